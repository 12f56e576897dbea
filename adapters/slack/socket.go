package slack

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/newsbot/newsbot/internal/safe"
)

// socketConn is the part of slack-go's Socket Mode client the adapter
// uses; its events arrive on the client's Events channel.
type socketConn interface {
	RunContext(ctx context.Context) error
	AckCtx(ctx context.Context, envelopeID string, payload any) error
}

var _ socketConn = (*socketmode.Client)(nil)

// runSocket holds the Socket Mode connection until ctx ends (slack-go
// reconnects when Slack sends "disconnect"), acknowledging each envelope
// at once and handling it like the HTTP endpoints do. It returns an error
// when the connection cannot be (re)opened.
func (a *Adapter) runSocket(ctx context.Context, conn socketConn, events <-chan socketmode.Event) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- conn.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			<-errc
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-events:
			a.noteSocketState(evt.Type)
			a.safeSocketEvent(ctx, conn, evt)
		}
	}
}

// safeSocketEvent is socketEvent, recovering from a panic: it is logged
// with its stack, and a request not acknowledged yet is (a slash command
// with the apology), so the connection goes on with the next event.
func (a *Adapter) safeSocketEvent(ctx context.Context, conn socketConn, evt socketmode.Event) {
	acked := false
	err := safe.Do(ctx, a.log, "slack socket mode "+string(evt.Type), func() { a.socketEvent(ctx, conn, evt, &acked) })
	if err == nil || acked || evt.Request == nil {
		return
	}
	var payload any
	if evt.Type == socketmode.EventTypeSlashCommand {
		payload = ephemeralAck(renderNotice(apology))
	}
	if err := conn.AckCtx(ctx, evt.Request.EnvelopeID, payload); err != nil {
		a.log.Warn("socket mode ack", "type", evt.Type, "err", err)
	}
}

// socketEvent handles one Socket Mode event, setting *acked once it has
// acknowledged it.
func (a *Adapter) socketEvent(ctx context.Context, conn socketConn, evt socketmode.Event, acked *bool) {
	ackWith := func(payload any) {
		if evt.Request == nil {
			return
		}
		*acked = true
		if err := conn.AckCtx(ctx, evt.Request.EnvelopeID, payload); err != nil {
			a.log.Warn("socket mode ack", "type", evt.Type, "err", err)
		}
	}
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.log.Debug("socket mode connecting")
	case socketmode.EventTypeConnected:
		a.log.Info("socket mode connected")
	case socketmode.EventTypeHello:
		a.log.Debug("socket mode hello")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("socket mode", "event", evt.Type, "detail", fmt.Sprint(evt.Data))
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("socket mode: the app-level token was refused")
	case socketmode.EventTypeDisconnect:
		a.log.Info("socket mode: Slack asked to reconnect")
	case socketmode.EventTypeEventsAPI:
		ackWith(nil)
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok || ev.Type != slackevents.CallbackEvent {
			return
		}
		var outer struct {
			EventID string `json:"event_id"`
		}
		if evt.Request != nil {
			json.Unmarshal(evt.Request.Payload, &outer)
			if evt.Request.RetryAttempt > 0 {
				a.log.Debug("event retry", "event_id", outer.EventID, "retry", evt.Request.RetryAttempt, "reason", evt.Request.RetryReason)
			}
		}
		a.handleEvent(ctx, outer.EventID, ev)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			ackWith(nil)
			return
		}
		if res := a.handleCommand(ctx, cmd); res != nil {
			ackWith(res)
		} else {
			ackWith(nil)
		}
	case socketmode.EventTypeInteractive:
		ackWith(nil)
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			a.handleInteraction(cb)
		}
	}
}
