package slack

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/logctx"
)

// request is what a user asked for, from a slash command's text or a
// message to the bot.
type request struct {
	kind string // "help", "latest" or "ask"
	text string // the question, or the topic of "latest"
}

// parseRequest reads "help", "latest [topic]" or a question. The first
// word (up to any Unicode space) is compared without regard to case
// (strings.EqualFold, on the original text: no position found in a
// transformed copy is applied to it). The question or topic is always a
// substring of text.
func parseRequest(text string) request {
	text = strings.TrimSpace(text)
	if whatsNew(text) {
		return request{kind: "latest"}
	}
	first, rest := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		first, rest = text[:i], strings.TrimSpace(text[i:])
	}
	switch {
	case first == "" || first == "?" || strings.EqualFold(first, "help"):
		if rest == "" {
			return request{kind: "help"}
		}
	case strings.EqualFold(first, "latest") || strings.EqualFold(first, "headlines"):
		return request{kind: "latest", text: rest}
	}
	return request{kind: "ask", text: text}
}

// whatsNew reports whether text is only "What's new?" or "What's new
// today?" (the assistant's first suggested prompt), which lists the
// latest headlines.
func whatsNew(text string) bool {
	t := strings.TrimRight(strings.ReplaceAll(text, "’", "'"), "?!. ")
	return strings.EqualFold(t, "what's new") || strings.EqualFold(t, "what's new today")
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
// question, a response_url that is not Slack's) or an acknowledgement at
// once, with the answer following through the command's response_url. A
// command seen before (same trigger_id, as when a request is replayed) is
// acknowledged and not answered again. It blocks on no I/O but the
// Deduper's.
func (a *Adapter) handleCommand(ctx context.Context, cmd slack.SlashCommand) *ack {
	// One request id for every line about this question, the bot's too
	// (internal/logctx).
	ctx, _ = logctx.WithRequestID(ctx)
	text := plainText(cmd.Text, "")
	req := parseRequest(text)
	lg := a.log.With("team", cmd.TeamID, "channel", cmd.ChannelID, "user", cmd.UserID, "kind", req.kind)
	lg.DebugContext(ctx, "slash command", "command", cmd.Command)
	if a.closing() {
		return ephemeralAck(renderNotice(restarting))
	}
	if !strings.EqualFold(strings.TrimSpace(cmd.Command), a.opt.Command) {
		// Another command routed to this URL: not a question to answer.
		lg.InfoContext(ctx, "slash command of another name", "command", truncate(cmd.Command, 40))
		return ephemeralAck(renderNotice("newsbot answers " + a.opt.Command + ", not " + truncate(cmd.Command, 40) + ". Try " + a.opt.Command + " help."))
	}
	if cmd.TriggerID != "" && !a.firstSeen(ctx, "command:"+cmd.TeamID+":"+cmd.TriggerID, commandTTL) {
		lg.InfoContext(ctx, "duplicate slash command ignored", "trigger_id", cmd.TriggerID)
		return nil
	}
	if req.kind == "help" {
		return ephemeralAck(renderHelp(a.opt.Command, !a.opt.NoThreadFollowups))
	}
	if ok, wait := a.opt.Limiter.Allow(cmd.TeamID + ":" + cmd.UserID); !ok {
		lg.InfoContext(ctx, "rate limited")
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
		lg.WarnContext(ctx, "slash command without response_url")
		return ephemeralAck(renderNotice(bot.UserMessage(nil)))
	}
	if err := a.checkResponseURL(cmd.ResponseURL); err != nil {
		lg.WarnContext(ctx, "refused a response_url", "reason", err.Error())
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
	if !a.start(ctx, lg, out, func(ctx context.Context) { a.reply(ctx, lg, out, req, view, key) }) {
		return ephemeralAck(renderNotice(restarting))
	}
	if a.opt.InChannel {
		// Shows the command itself to the channel, above the answer.
		return &ack{ResponseType: slack.ResponseTypeInChannel}
	}
	return nil
}

// BotEvents are the Events API events newsbot subscribes to: the
// manifest's bot_events (README.md), each handled by handleEvent. The
// message events are told apart by their channel_type: im, channel, group.
var BotEvents = []string{
	"app_mention",
	"app_uninstalled",
	"assistant_thread_context_changed",
	"assistant_thread_started",
	"message.channels",
	"message.groups",
	"message.im",
	"tokens_revoked",
}

// handleEvent handles one Events API event: a mention of the bot, a
// direct message to it, a reply in a thread it answered in, an assistant
// thread opened, or the app uninstalled. It returns false only when the
// adapter is shutting down and the event should be delivered again later.
// Events seen before (same event_id) are ignored.
func (a *Adapter) handleEvent(ctx context.Context, eventID string, ev slackevents.EventsAPIEvent) bool {
	if a.closing() {
		return false
	}
	if !a.firstSeen(ctx, "event:"+eventID, eventTTL) {
		a.log.Debug("duplicate event ignored", "event_id", eventID)
		return true
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppUninstalledEvent:
		a.uninstall(ctx, ev.TeamID, "app uninstalled")
		return true
	case *slackevents.TokensRevokedEvent:
		if len(e.Tokens.Bot) > 0 {
			a.uninstall(ctx, ev.TeamID, "bot token revoked")
		}
		return true
	}
	ws, err := a.workspace(ctx, ev.TeamID)
	if err != nil {
		a.log.Warn("event from a workspace newsbot cannot answer", "team", ev.TeamID, "err", err)
		return true
	}
	me := ws.botUser
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.User == "" || e.User == me || e.Edited != nil {
			return true
		}
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp
		}
		dm := strings.HasPrefix(e.Channel, "D")
		in := incoming{ws: ws, channel: e.Channel, user: e.User, ts: e.TimeStamp, thread: thread, text: mentionText(e.Text, me), dm: dm}
		if dm && e.ThreadTimeStamp != "" && a.assistant.has(threadKey(ws.team, e.Channel, e.ThreadTimeStamp)) {
			in.assistant = true
		}
		return a.handleMessage(ctx, in)
	case *slackevents.MessageEvent:
		return a.handleMessageEvent(ctx, ws, e)
	case *slackevents.AssistantThreadStartedEvent:
		return a.assistantStarted(ctx, ws, e.AssistantThread)
	case *slackevents.AssistantThreadContextChangedEvent:
		t := e.AssistantThread
		if t.ChannelID != "" && t.ThreadTimeStamp != "" {
			a.assistant.add(threadKey(ws.team, t.ChannelID, t.ThreadTimeStamp))
			a.log.Debug("assistant thread context changed", "team", ws.team, "channel", t.ChannelID, "viewing", t.Context.ChannelID)
		}
	}
	return true
}

// threadKey names a thread: the conversation key of its questions, and
// the key of the sets of threads newsbot answered in.
func threadKey(team, channel, thread string) string {
	return "thread:" + team + ":" + channel + ":" + thread
}

// answerable reports whether a message's subtype is one newsbot answers:
// a plain message, one with files (answered from its text), or a thread
// reply also sent to the channel.
func answerable(subtype string) bool {
	switch subtype {
	case "", "file_share", "thread_broadcast":
		return true
	}
	return false
}

var otherMention = regexp.MustCompile(`<@([UW][A-Z0-9]+)(\|[^>]*)?>`)

// mentionsOther reports whether text mentions a user other than botUser.
func mentionsOther(text, botUser string) bool {
	for _, m := range otherMention.FindAllStringSubmatch(text, -1) {
		if m[1] != botUser {
			return true
		}
	}
	return false
}

// handleMessageEvent answers a direct message (in an assistant thread or
// not), and, unless Options.NoThreadFollowups, a reply in a channel thread
// newsbot answered in. It ignores its own messages, other bots', edits
// and deletions, and messages in other threads.
func (a *Adapter) handleMessageEvent(ctx context.Context, ws *workspace, e *slackevents.MessageEvent) bool {
	me := ws.botUser
	if !answerable(e.SubType) || e.BotID != "" || e.User == "" || e.User == me {
		return true
	}
	text := plainText(e.Text, me)
	if e.SubType != "" && text == "" {
		return true // a file without a word: nothing to answer
	}
	switch e.ChannelType {
	case "im":
		in := incoming{ws: ws, channel: e.Channel, user: e.User, ts: e.TimeStamp, thread: e.ThreadTimeStamp, text: text, dm: true}
		if e.ThreadTimeStamp != "" && (e.AssistantThread != nil || a.assistant.has(threadKey(ws.team, e.Channel, e.ThreadTimeStamp))) {
			in.assistant = true
		}
		return a.handleMessage(ctx, in)
	case "channel", "group":
		thread := e.ThreadTimeStamp
		if a.opt.NoThreadFollowups || thread == "" || thread == e.TimeStamp || !a.answeredIn(ctx, threadKey(ws.team, e.Channel, thread)) {
			return true
		}
		if mentionsOther(e.Text, me) && !strings.Contains(e.Text, "<@"+me) {
			return true // addressed to someone else in the thread
		}
		if text == "" {
			return true
		}
		return a.handleMessage(ctx, incoming{ws: ws, channel: e.Channel, user: e.User, ts: e.TimeStamp, thread: thread, text: text, followup: true})
	}
	return true
}

// answeredIn reports whether newsbot answered in the thread key: by this
// instance (kept in memory), or, when conversations are shared through a
// store, by any instance that recorded a turn there.
func (a *Adapter) answeredIn(ctx context.Context, key string) bool {
	if a.threads.has(key) {
		return true
	}
	if a.convs.Store == nil {
		return false
	}
	if len(a.convs.History(ctx, key)) == 0 {
		return false
	}
	a.threads.add(key)
	return true
}

// incoming is a message newsbot answers.
type incoming struct {
	ws                *workspace
	channel, user, ts string
	thread            string // where the answer goes; empty: the DM itself
	text              string // the question, as plain text
	dm                bool
	assistant         bool // in an assistant thread
	followup          bool // a reply in a thread, without a mention
}

// handleMessage answers a message to the bot, in thread (when thread is
// set) in channel. A message seen before (same channel and ts, as when a
// mention in a DM comes both as app_mention and as message.im, or a reply
// in a thread both as app_mention and message.channels) is ignored.
func (a *Adapter) handleMessage(ctx context.Context, in incoming) bool {
	ctx, _ = logctx.WithRequestID(ctx) // see handleCommand
	team, channel, user, thread := in.ws.team, in.channel, in.user, in.thread
	if in.ts != "" && !a.firstSeen(ctx, "msg:"+team+":"+channel+":"+in.ts, eventTTL) {
		return true
	}
	lg := a.log.With("team", team, "channel", channel, "user", user)
	if in.followup {
		lg = lg.With("followup", true)
	}
	if in.assistant {
		lg = lg.With("assistant", true)
	}
	api := in.ws.api
	var out target = &threadTarget{api: api, channel: channel, thread: thread}
	if in.assistant {
		out = &streamTarget{thread: out.(*threadTarget), team: team, user: user, log: lg}
	}
	key := threadKey(team, channel, thread)
	req := parseRequest(in.text)
	if req.kind == "help" {
		return a.start(ctx, lg, out, func(ctx context.Context) { a.send(ctx, lg, out, renderHelp(a.opt.Command, !a.opt.NoThreadFollowups)) })
	}
	if ok, wait := a.opt.Limiter.Allow(team + ":" + user); !ok {
		lg.InfoContext(ctx, "rate limited")
		notice := renderNotice(bot.RateLimitMessage(wait))
		if in.dm {
			return a.start(ctx, lg, out, func(ctx context.Context) { a.send(ctx, lg, out, notice) })
		}
		return a.start(ctx, lg, nil, func(ctx context.Context) {
			opts := notice.options()
			if thread != "" {
				opts = append(opts, slack.MsgOptionTS(thread))
			}
			if _, err := api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
				lg.ErrorContext(ctx, "post rate limit notice", "err", err)
			}
		})
	}
	if !in.dm && thread != "" {
		a.threads.add(key) // replies here are follow-ups from now on
	}
	return a.start(ctx, lg, out, func(ctx context.Context) {
		if in.assistant {
			a.assistantBusy(ctx, lg, api, channel, thread, req, key)
		}
		a.reply(ctx, lg, out, req, answerView{}, key)
	})
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
		ctx, _ := logctx.WithRequestID(context.Background())
		lg := a.log.With("team", cb.Team.ID, "channel", cb.Channel.ID, "user", user)
		if err := a.checkResponseURL(url); err != nil {
			lg.WarnContext(ctx, "refused a response_url", "reason", err.Error())
			return true
		}
		out := &responseTarget{api: a.api, url: url, responseType: slack.ResponseTypeEphemeral}
		return a.start(ctx, lg, out, func(ctx context.Context) { a.share(ctx, lg, id, user, url) })
	}
	return true
}

// checkResponseURL returns an error unless raw is a URL newsbot may post
// an answer to: https on hooks.slack.com or another *.slack.com host (on
// the default port), on a subdomain of the host of Options.APIURL (for
// GovSlack), or on that very host and port (a local Slack, in tests). Anything else (another host, plain http, credentials in the
// URL) is refused, so that a request cannot aim newsbot's posts at
// internal or cloud-metadata addresses.
func (a *Adapter) checkResponseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("unparsable URL")
	}
	if u.User != nil || u.Opaque != "" {
		return fmt.Errorf("URL with credentials or no host")
	}
	host := strings.ToLower(u.Host)
	if a.apiHost != "" && host == a.apiHost && u.Scheme == a.apiScheme && (u.Scheme == "http" || u.Scheme == "https") {
		return nil
	}
	if u.Scheme != "https" {
		return fmt.Errorf("scheme %q is not https", u.Scheme)
	}
	if p := u.Port(); p != "" && p != "443" {
		return fmt.Errorf("port %s on a Slack host", p)
	}
	name := strings.ToLower(u.Hostname())
	if subdomain(name, "slack.com") {
		return nil
	}
	// GovSlack and the like: SLACK_API_URL https://slack-gov.com/api/
	// answers on hooks.slack-gov.com.
	if api := hostname(a.apiHost); api != "" && net.ParseIP(api) == nil && strings.Contains(api, ".") && subdomain(name, api) {
		return nil
	}
	return fmt.Errorf("host %q is not Slack's", name)
}

// subdomain reports whether name is a subdomain of domain ("a.slack.com"
// of "slack.com"; not "slack.com" itself nor "evilslack.com").
func subdomain(name, domain string) bool {
	sub, ok := strings.CutSuffix(name, "."+domain)
	return ok && sub != "" && !strings.HasPrefix(sub, ".") && !strings.HasSuffix(sub, ".")
}

// hostname is host without its port.
func hostname(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}
