package discord

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/logctx"
	"github.com/newsbot/newsbot/internal/safe"
)

// typingEvery renews the typing indicator, which Discord shows for about
// ten seconds.
const typingEvery = 8 * time.Second

// onMessage handles a MESSAGE_CREATE from the gateway: a question when it
// is a DM, mentions the bot, or replies to one of the bot's answers.
// Messages from bots (itself included), webhooks and the system are
// ignored.
func (a *Adapter) onMessage(parent context.Context, m *discordgo.Message) {
	me, _ := a.sess.identity()
	if m.Author == nil || m.Author.Bot || m.Author.System || m.Author.ID == me || m.WebhookID != "" {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	dm := m.GuildID == ""
	mentioned := false
	for _, u := range m.Mentions {
		mentioned = mentioned || (u != nil && u.ID == me && me != "")
	}
	replyToMe := m.ReferencedMessage != nil && m.ReferencedMessage.Author != nil && m.ReferencedMessage.Author.ID == me && me != ""
	if !dm && !mentioned && !replyToMe {
		return
	}
	text := stripMentions(m.Content, me)
	if text == "" && !dm && !mentioned {
		// A reply without a mention: without the Message Content intent
		// Discord sends it without its text, so there is nothing to answer.
		return
	}
	parent, _ = logctx.WithRequestID(parent) // one id for every line about it, the bot's too
	ctx, done, ok := a.begin(parent)
	if !ok {
		return
	}
	defer done()
	a.log.DebugContext(ctx, "question", "channel", m.ChannelID, "message", m.ID, "user", m.Author.ID, "dm", dm)

	r := &channelReply{a: a, channelID: m.ChannelID, replyTo: &discordgo.MessageReference{
		MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: new(bool)}}
	// A panic past this point gets the user an apology.
	if err := safe.Do(ctx, a.log, "discord question", func() { a.question(ctx, r, m, dm, replyToMe, text) }); err != nil {
		a.apologise(ctx, r)
	}
}

// question answers a message addressed to the bot through r.
func (a *Adapter) question(ctx context.Context, r *channelReply, m *discordgo.Message, dm, replyToMe bool, text string) {
	if ok, wait := a.limiter.Allow(m.Author.ID); !ok {
		a.log.InfoContext(ctx, "rate limited", "channel", m.ChannelID, "user", m.Author.ID)
		if _, err := deliver(ctx, r, renderText(bot.RateLimitMessage(wait))); err != nil {
			a.log.WarnContext(ctx, "send rate limit message failed", "err", safeErr(err))
		}
		return
	}
	stopTyping := a.typing(ctx, m.ChannelID)
	defer stopTyping()
	key := a.messageConversation(ctx, m, dm, replyToMe)
	a.answer(ctx, r, key, text, answerOpts{shown: stopTyping})
}

// messageConversation names the conversation a question belongs to: the
// DM channel, the thread, the conversation of the answer it replies to, or
// else a new conversation started by this message.
func (a *Adapter) messageConversation(ctx context.Context, m *discordgo.Message, dm, replyToMe bool) string {
	switch {
	case dm:
		return "dm:" + m.ChannelID
	case replyToMe:
		if key, ok := a.answers.get(m.ReferencedMessage.ID); ok {
			return key
		}
	}
	if a.isThread(ctx, m.ChannelID) {
		return "thread:" + m.ChannelID
	}
	if replyToMe {
		// An answer not (or not yet) remembered: continue the conversation
		// of the command it answered, or of the question it replied to,
		// else start one from it.
		if im := m.ReferencedMessage.InteractionMetadata; im != nil && im.ID != "" {
			return "interaction:" + im.ID
		}
		if ref := m.ReferencedMessage.MessageReference; ref != nil && ref.MessageID != "" {
			return "msg:" + ref.MessageID
		}
		return "msg:" + m.ReferencedMessage.ID
	}
	return "msg:" + m.ID
}

// isThread reports whether a channel is a thread, asking Discord once per
// channel. When Discord cannot say, the channel is taken for a plain one.
func (a *Adapter) isThread(ctx context.Context, channelID string) bool {
	if v, ok := a.threads.get(channelID); ok {
		return v == "thread"
	}
	if a.cfg.Token == "" {
		return false // reading channels needs the bot token
	}
	ch, err := a.sess.Channel(channelID, discordgo.WithContext(ctx))
	if err != nil {
		a.log.WarnContext(ctx, "look up channel failed", "channel", channelID, "err", safeErr(err))
		return false
	}
	v := "channel"
	if ch.IsThread() {
		v = "thread"
	}
	a.threads.put(channelID, v)
	return v == "thread"
}

// typing shows the typing indicator in a channel once answering has taken
// longer than TypingDelay (an answer ready sooner needs none), renewing it
// until the returned function is called. That function may be called more
// than once; when it returns, no indicator is being sent or will be.
func (a *Adapter) typing(ctx context.Context, channelID string) (stop func()) {
	send := func() {
		if err := a.sess.ChannelTyping(channelID, discordgo.WithContext(ctx)); err != nil {
			a.log.DebugContext(ctx, "typing indicator failed", "err", safeErr(err))
		}
	}
	delay := a.cfg.TypingDelay
	switch {
	case delay == 0:
		delay = time.Second
	case delay < 0:
		delay = 0
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	safe.Go(ctx, a.log, "discord typing", func() {
		defer close(finished)
		t := time.NewTimer(delay)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				// The answer may have become ready while the timer fired.
				select {
				case <-quit:
					return
				default:
				}
				send()
				t.Reset(typingEvery)
			case <-quit:
				return
			case <-ctx.Done():
				return
			}
		}
	})
	return sync.OnceFunc(func() { close(quit); <-finished })
}

// userID is the id of the user who started an interaction.
func userID(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
}

// optionString returns a string option's value, and whether it is there.
func optionString(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (string, bool) {
	for _, o := range opts {
		if o != nil && o.Name == name {
			s, ok := o.Value.(string)
			return strings.TrimSpace(s), ok
		}
	}
	return "", false
}

// optionBool returns a boolean option's value (false when absent).
func optionBool(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) bool {
	for _, o := range opts {
		if o != nil && o.Name == name {
			b, _ := o.Value.(bool)
			return b
		}
	}
	return false
}
