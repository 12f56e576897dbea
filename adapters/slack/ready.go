package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/newsbot/newsbot/internal/backoff"
)

// readiness is what Ready reports: the adapter's connection state.
type readiness struct {
	connected atomic.Bool
	// why is the reason the adapter is not connected ("" when it is, or
	// before Run).
	why atomic.Pointer[string]
}

func (r *readiness) set(ok bool, why string) {
	r.why.Store(&why)
	r.connected.Store(ok)
}

// Ready reports whether the adapter can take questions (for /readyz): in
// HTTP mode once the bot token is checked (auth.test), in Socket Mode while
// the websocket is connected. nil means ready.
func (a *Adapter) Ready() error {
	if a.ready.connected.Load() {
		return nil
	}
	if w := a.ready.why.Load(); w != nil && *w != "" {
		return errors.New(*w)
	}
	return errors.New("not connected yet")
}

// noteSocketState follows the Socket Mode connection for Ready.
func (a *Adapter) noteSocketState(t socketmode.EventType) {
	switch t {
	case socketmode.EventTypeConnected, socketmode.EventTypeHello:
		a.ready.set(true, "")
	case socketmode.EventTypeConnecting:
		a.ready.set(false, "socket mode: connecting")
	case socketmode.EventTypeDisconnect:
		a.ready.set(false, "socket mode: disconnected, reconnecting")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth, socketmode.EventTypeIncomingError:
		a.ready.set(false, "socket mode: "+string(t))
	}
}

// fatalAuthErrors are auth.test answers that retrying cannot fix: the
// token is wrong, revoked or of the wrong kind.
var fatalAuthErrors = map[string]bool{
	"invalid_auth": true, "token_revoked": true, "not_authed": true, "account_inactive": true,
	"token_expired": true, "not_allowed_token_type": true, "no_permission": true,
}

// authTest checks the bot token, retrying with backoff (StartRetry) while
// Slack cannot be reached or fails, and giving up at once when it refuses
// the token. Meanwhile Ready says why it is not connected.
func (a *Adapter) authTest(ctx context.Context) (*slack.AuthTestResponse, error) {
	var auth *slack.AuthTestResponse
	err := backoff.Retry(ctx, a.log, "slack auth.test", a.opt.StartRetry, func(ctx context.Context) error {
		var err error
		auth, err = a.api.AuthTestContext(ctx)
		if err == nil {
			return nil
		}
		a.ready.set(false, "auth.test: "+err.Error())
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && fatalAuthErrors[authCode(se.Err)] {
			return backoff.Permanent(fmt.Errorf("Slack refused SLACK_BOT_TOKEN (%s); reinstall the app or copy a new token: %w", se.Err, err))
		}
		return err
	})
	return auth, err
}

// authCode is the error code at the start of a Slack error ("invalid_auth",
// also when a proxy or an old API adds words after it).
func authCode(e string) string {
	if i := strings.IndexAny(e, ": "); i >= 0 {
		return e[:i]
	}
	return e
}
