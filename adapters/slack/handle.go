package slack

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/newsbot/newsbot/bot"
)

// request is what a user asked for, from a slash command's text or a
// message to the bot.
type request struct {
	kind string // "help", "latest" or "ask"
	text string // the question, or the topic of "latest"
}

// parseRequest reads "help", "latest [topic]" or a question.
func parseRequest(text string) request {
	text = strings.TrimSpace(text)
	first, rest, _ := strings.Cut(text, " ")
	switch strings.ToLower(first) {
	case "", "help", "?":
		if strings.TrimSpace(rest) == "" {
			return request{kind: "help"}
		}
	case "latest", "headlines":
		return request{kind: "latest", text: strings.TrimSpace(rest)}
	}
	return request{kind: "ask", text: text}
}

// ack is the immediate reply to a slash command: the HTTP response body,
// or the Socket Mode acknowledgement's payload. A nil *ack is an empty
// acknowledgement.
type ack struct {
	ResponseType string        `json:"response_type,omitempty"`
	Text         string        `json:"text,omitempty"`
	Blocks       []slack.Block `json:"blocks,omitempty"`
}

func ephemeralAck(m message) *ack {
	return &ack{ResponseType: slack.ResponseTypeEphemeral, Text: m.Text, Blocks: m.Blocks}
}

// restarting is what users see when a request arrives during shutdown.
const restarting = "newsbot is restarting. Please ask again in a minute."

// handleCommand answers a slash command: help, a refusal (rate limit, bad
// question) or an acknowledgement at once, with the answer following
// through the command's response_url. It never blocks on I/O.
func (a *Adapter) handleCommand(cmd slack.SlashCommand) *ack {
	text := plainText(cmd.Text, "")
	req := parseRequest(text)
	lg := a.log.With("team", cmd.TeamID, "channel", cmd.ChannelID, "user", cmd.UserID, "kind", req.kind)
	lg.Debug("slash command", "command", cmd.Command)
	if req.kind == "help" {
		return ephemeralAck(renderHelp(a.opt.Command))
	}
	if ok, wait := a.opt.Limiter.Allow(cmd.TeamID + ":" + cmd.UserID); !ok {
		lg.Info("rate limited")
		return ephemeralAck(renderNotice(bot.RateLimitMessage(wait)))
	}
	if req.kind == "ask" {
		q, err := bot.CleanQuestion(req.text)
		if err != nil {
			return ephemeralAck(renderNotice(bot.UserMessage(err)))
		}
		req.text = q
	}
	if cmd.ResponseURL == "" {
		lg.Warn("slash command without response_url")
		return ephemeralAck(renderNotice(bot.UserMessage(nil)))
	}
	rtype := slack.ResponseTypeEphemeral
	if a.opt.InChannel {
		rtype = slack.ResponseTypeInChannel
	}
	out := &responseTarget{api: a.api, url: cmd.ResponseURL, responseType: rtype}
	view := answerView{Question: req.text}
	if !a.opt.InChannel {
		view.ShareID = newID()
	}
	key := "cmd:" + cmd.TeamID + ":" + cmd.ChannelID + ":" + cmd.UserID
	if !a.start(func(ctx context.Context) { a.reply(ctx, lg, out, req, view, key) }) {
		return ephemeralAck(renderNotice(restarting))
	}
	if a.opt.InChannel {
		// Shows the command itself to the channel, above the answer.
		return &ack{ResponseType: slack.ResponseTypeInChannel}
	}
	return nil
}

// handleEvent handles one Events API event: a mention of the bot, or a
// direct message to it. It returns false only when the adapter is shutting
// down and the event should be delivered again later. Events seen before
// (same event_id) are ignored.
func (a *Adapter) handleEvent(eventID string, ev slackevents.EventsAPIEvent) bool {
	if !a.seen.first("event:" + eventID) {
		a.log.Debug("duplicate event ignored", "event_id", eventID)
		return true
	}
	me := a.botUserID()
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.User == "" || e.User == me || e.Edited != nil {
			return true
		}
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp
		}
		return a.handleMessage(ev.TeamID, e.Channel, e.User, e.TimeStamp, thread, mentionText(e.Text, me), strings.HasPrefix(e.Channel, "D"))
	case *slackevents.MessageEvent:
		// Only direct messages: in channels the bot answers mentions only.
		if e.ChannelType != "im" || e.SubType != "" || e.BotID != "" || e.User == "" || e.User == me {
			return true
		}
		return a.handleMessage(ev.TeamID, e.Channel, e.User, e.TimeStamp, e.ThreadTimeStamp, plainText(e.Text, me), true)
	}
	return true
}

// handleMessage answers a message to the bot, in thread (when thread is
// set) in channel. A message seen before (same channel and ts, as when a
// mention in a DM comes both as app_mention and as message.im) is ignored.
func (a *Adapter) handleMessage(team, channel, user, ts, thread, text string, dm bool) bool {
	if !a.seen.first("msg:" + channel + ":" + ts) {
		return true
	}
	lg := a.log.With("team", team, "channel", channel, "user", user)
	out := &threadTarget{api: a.api, channel: channel, thread: thread}
	req := parseRequest(text)
	if req.kind == "help" {
		return a.start(func(ctx context.Context) { a.send(ctx, lg, out, renderHelp(a.opt.Command)) })
	}
	if ok, wait := a.opt.Limiter.Allow(team + ":" + user); !ok {
		lg.Info("rate limited")
		notice := renderNotice(bot.RateLimitMessage(wait))
		if dm {
			return a.start(func(ctx context.Context) { a.send(ctx, lg, out, notice) })
		}
		return a.start(func(ctx context.Context) {
			opts := notice.options()
			if thread != "" {
				opts = append(opts, slack.MsgOptionTS(thread))
			}
			if _, err := a.api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
				lg.Error("post rate limit notice", "err", err)
			}
		})
	}
	key := "thread:" + team + ":" + channel + ":" + thread
	return a.start(func(ctx context.Context) { a.reply(ctx, lg, out, req, answerView{}, key) })
}

// handleInteraction handles a click on "Share in channel": the saved
// answer is posted to the channel through the interaction's response_url,
// and the ephemeral one removed. It returns false when the adapter is
// shutting down.
func (a *Adapter) handleInteraction(cb slack.InteractionCallback) bool {
	if cb.Type != slack.InteractionTypeBlockActions || cb.ResponseURL == "" {
		return true
	}
	for _, act := range cb.ActionCallback.BlockActions {
		if act.ActionID != shareActionID {
			continue
		}
		id, user, url := act.Value, cb.User.ID, cb.ResponseURL
		lg := a.log.With("team", cb.Team.ID, "channel", cb.Channel.ID, "user", user)
		return a.start(func(ctx context.Context) { a.share(ctx, lg, id, user, url) })
	}
	return true
}
