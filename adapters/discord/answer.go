package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/safe"
)

// replier puts an answer where the question came from: a reply in a
// channel, or an interaction's response.
type replier interface {
	// first creates the answer's first message, or replaces it when it
	// exists (a streamed answer, a deferred interaction), and returns its
	// id.
	first(ctx context.Context, m message) (string, error)
	// more sends a further message of a long answer and returns its id.
	more(ctx context.Context, m message) (string, error)
}

// deliver sends msgs through r and returns the ids of the messages sent.
// It stops at the first error.
func deliver(ctx context.Context, r replier, msgs []message) ([]string, error) {
	var ids []string
	for i, m := range msgs {
		send := r.more
		if i == 0 {
			send = r.first
		}
		id, err := send(ctx, m)
		if err != nil {
			return ids, fmt.Errorf("send message %d of %d: %w", i+1, len(msgs), err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// answer answers question in conversation key through r: it streams the
// answer as it grows (when the bot streams), then sends the whole answer
// with its sources, and remembers the question and the answer's messages
// for follow-ups. Errors reach the user as a short sentence and the log with
// their cause; a panic while answering or rendering is recovered, logged
// with its stack, and the user gets an apology.
//
// opts.head, when set, goes before the answer (see renderAnswerAbout);
// opts.shown, when set, is called once something is about to be shown (the
// first partial answer or the answer), e.g. to stop a typing indicator.
func (a *Adapter) answer(ctx context.Context, r replier, key, question string, opts answerOpts) {
	shown := func() {}
	if opts.shown != nil {
		shown = sync.OnceFunc(opts.shown)
	}
	st := a.startStream(ctx, r, shown)
	var msgs []message
	panicked := safe.Do(ctx, a.log, "discord answer", func() {
		defer st.stop()
		ans, err := a.bot.Ask(ctx, bot.Question{Text: question, History: a.convs.History(ctx, key), OnPartial: st.partial})
		st.stop()
		if err != nil {
			msgs = renderText(a.userMessage(ctx, err, "answer"))
			return
		}
		a.convs.Add(ctx, key, ans.Question)
		msgs = renderAnswerAbout(ans, opts.head)
	})
	if panicked != nil {
		msgs = renderText(apology)
	}
	// What the bot returned is delivered even when ctx ended meanwhile
	// (the shutdown timeout cancelled the model's answer and the bot fell
	// back to the extractive one), within a short grace of its own.
	ctx, cancel := deliveryContext(ctx)
	defer cancel()
	shown()
	ids, err := deliver(ctx, r, msgs)
	for _, id := range ids {
		if id != "" {
			a.answers.put(id, key)
		}
	}
	if err != nil {
		a.log.ErrorContext(ctx, "deliver answer failed", "err", safeErr(err))
	}
}

// DeliveryGrace bounds the delivery of an answer whose context ended
// while it was being written (see deliveryContext).
const DeliveryGrace = 5 * time.Second

// deliveryContext returns ctx while it is live; once it is done (the
// shutdown timeout cancelled the answer in flight), a context of its own
// bounded by DeliveryGrace, so that the answer the bot fell back to still
// reaches the user rather than nothing.
func deliveryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), DeliveryGrace)
}

// answerOpts are the options of Adapter.answer.
type answerOpts struct {
	head  string
	shown func()
}

// stream shows an answer while it grows, editing one message no more often
// than every interval. Partial texts that arrive faster are coalesced: the
// latest one is shown next.
type stream struct {
	show     func(text string) error
	interval time.Duration
	log      *slog.Logger
	ctx      context.Context // the answer's, for the log

	stopOnce sync.Once
	mu       sync.Mutex
	latest   string
	wake     chan struct{}
	quit     chan struct{}
	done     chan struct{}
}

// startStream returns a stream that shows partial answers through r's
// first message. Call stop before sending the final answer.
func (a *Adapter) startStream(ctx context.Context, r replier, shown func()) *stream {
	s := &stream{
		show: func(text string) error {
			shown()
			_, err := r.first(ctx, message{Content: partialText(text)})
			return err
		},
		interval: a.cfg.StreamInterval,
		ctx:      ctx,
		log:      a.log,
		wake:     make(chan struct{}, 1),
		quit:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	safe.Go(ctx, a.log, "discord stream", s.run)
	return s
}

// partial is the bot.Question.OnPartial hook.
func (s *stream) partial(text string) {
	s.mu.Lock()
	s.latest = text
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *stream) run() {
	defer close(s.done)
	shown := ""
	for {
		select {
		case <-s.wake:
		case <-s.quit:
			return
		}
		s.mu.Lock()
		text := s.latest
		s.mu.Unlock()
		if text == shown {
			continue
		}
		if err := s.show(text); err != nil {
			s.log.WarnContext(s.ctx, "show partial answer failed", "err", safeErr(err))
		}
		shown = text
		if s.interval > 0 {
			t := time.NewTimer(s.interval)
			select {
			case <-t.C:
			case <-s.quit:
				t.Stop()
				return
			}
		}
	}
}

// stop ends the stream and waits until no edit is in progress; a partial
// text not yet shown is dropped (the final answer replaces it). Calls after
// the first do nothing.
func (s *stream) stop() {
	s.stopOnce.Do(func() { close(s.quit) })
	<-s.done
}

// channelReply answers a message in a channel: the first message replies
// to the question, the others follow it.
type channelReply struct {
	a         *Adapter
	channelID string
	replyTo   *discordgo.MessageReference
	firstID   string
}

func (c *channelReply) first(ctx context.Context, m message) (string, error) {
	if c.firstID != "" {
		_, err := retryEdit(ctx, func() (*discordgo.Message, error) {
			return c.a.sess.editMessage(c.channelID, c.firstID, m.edit(), discordgo.WithContext(ctx))
		})
		return c.firstID, err
	}
	msg, err := c.a.sess.ChannelMessageSendComplex(c.channelID, m.send(c.replyTo), discordgo.WithContext(ctx))
	if err != nil {
		return "", err
	}
	c.firstID = msg.ID
	return msg.ID, nil
}

func (c *channelReply) more(ctx context.Context, m message) (string, error) {
	msg, err := c.a.sess.ChannelMessageSendComplex(c.channelID, m.send(nil), discordgo.WithContext(ctx))
	if err != nil {
		return "", err
	}
	return msg.ID, nil
}

// interactionReply completes a deferred interaction: the first message
// replaces the "thinking…" response, the others are follow-ups (ephemeral
// like the response when flags says so).
type interactionReply struct {
	a     *Adapter
	i     *discordgo.Interaction
	flags discordgo.MessageFlags
}

func (r *interactionReply) first(ctx context.Context, m message) (string, error) {
	msg, err := retryEdit(ctx, func() (*discordgo.Message, error) {
		return r.a.sess.editResponse(r.i, m.edit(), discordgo.WithContext(ctx))
	})
	if err != nil {
		return "", err
	}
	return msg.ID, nil
}

func (r *interactionReply) more(ctx context.Context, m message) (string, error) {
	msg, err := r.a.sess.FollowupMessageCreate(r.i, true, m.webhookParams(r.flags), discordgo.WithContext(ctx))
	if err != nil {
		return "", err
	}
	return msg.ID, nil
}

// editRetryPause is how long retryEdit waits before trying again.
const editRetryPause = 300 * time.Millisecond

// retryEdit runs edit, and once more after a short pause when Discord
// answers with a server error (5xx; discordgo itself retries 502 and waits
// out 429s). Only edits are retried: they are idempotent, while a message
// created before an error would be sent twice.
func retryEdit(ctx context.Context, edit func() (*discordgo.Message, error)) (*discordgo.Message, error) {
	msg, err := edit()
	var re *discordgo.RESTError
	if err == nil || !errors.As(err, &re) || re.Response == nil || re.Response.StatusCode < 500 {
		return msg, err
	}
	t := time.NewTimer(editRetryPause)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return msg, err
	case <-t.C:
	}
	return edit()
}
