package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/safe"
)

// target is where a reply goes. send posts m the first time and replaces
// it after that, so that a streamed answer is one message that grows.
type target interface {
	send(ctx context.Context, m message) error
	// streaming returns how many edits the target allows before the final
	// message (-1: no limit) and the least time between them.
	streaming(interval time.Duration) (edits int, every time.Duration)
}

// threadTarget posts with chat.postMessage (in a thread when thread is
// set) and edits with chat.update.
type threadTarget struct {
	api     webAPI
	channel string
	thread  string
	ts      string // the message posted, once it is
}

func (t *threadTarget) send(ctx context.Context, m message) error {
	opts := m.options()
	if t.ts != "" {
		if _, _, _, err := t.api.UpdateMessageContext(ctx, t.channel, t.ts, opts...); err != nil {
			return fmt.Errorf("chat.update %s: %w", t.channel, err)
		}
		return nil
	}
	if t.thread != "" {
		opts = append(opts, slack.MsgOptionTS(t.thread))
	}
	_, ts, err := t.api.PostMessageContext(ctx, t.channel, opts...)
	if err != nil {
		return fmt.Errorf("chat.postMessage %s: %w", t.channel, err)
	}
	t.ts = ts
	return nil
}

func (t *threadTarget) streaming(interval time.Duration) (int, time.Duration) { return -1, interval }

// partialSender is a target that streams partial answers its own way:
// it gets the raw text so far as well as the rendered message.
type partialSender interface {
	sendPartial(ctx context.Context, text string, m message) error
}

// streamTarget answers in an assistant thread with Slack's streaming
// methods: the partial answer is chat.startStream, then chat.appendStream
// of what it grew by (whole words only, so that escaping is never split);
// the final answer stops the stream (chat.stopStream) and replaces it
// with the answer's blocks and sources (chat.update). When Slack refuses
// to stream (the method is not enabled for the app or workspace) the
// partials are posted and edited like in channels (threadTarget).
type streamTarget struct {
	thread     *threadTarget
	team, user string
	log        *slog.Logger

	ts       string // the streamed message, once started
	streamed string // the raw text appended so far
	stopped  bool
	refused  bool // Slack would not stream: fall back to chat.update
}

func (t *streamTarget) sendPartial(ctx context.Context, text string, m message) error {
	if t.refused || t.stopped {
		return t.thread.send(ctx, m)
	}
	// Up to the last space: a word (a broadcast word, an entity) is never
	// cut between two appends.
	cut := strings.LastIndexFunc(text, unicode.IsSpace)
	if cut <= 0 {
		return nil
	}
	_, size := utf8.DecodeRuneInString(text[cut:])
	text = text[:cut+size]
	tt := t.thread
	if t.ts == "" {
		opts := []slack.MsgOption{slack.MsgOptionMarkdownText(escape(text))}
		if tt.thread != "" {
			opts = append(opts, slack.MsgOptionTS(tt.thread))
		}
		if t.team != "" {
			opts = append(opts, slack.MsgOptionRecipientTeamID(t.team))
		}
		if t.user != "" {
			opts = append(opts, slack.MsgOptionRecipientUserID(t.user))
		}
		_, ts, err := tt.api.StartStreamContext(ctx, tt.channel, opts...)
		if err != nil {
			t.refused = true
			t.log.InfoContext(ctx, "chat.startStream refused; editing the message instead", "err", err)
			return t.thread.send(ctx, m)
		}
		t.ts, t.streamed = ts, text
		return nil
	}
	if !strings.HasPrefix(text, t.streamed) || len(text) == len(t.streamed) {
		return nil // rewritten (the final answer shows it) or not grown
	}
	delta := text[len(t.streamed):]
	if _, _, err := tt.api.AppendStreamContext(ctx, tt.channel, t.ts, slack.MsgOptionMarkdownText(escape(delta))); err != nil {
		return fmt.Errorf("chat.appendStream %s: %w", tt.channel, err)
	}
	t.streamed = text
	return nil
}

func (t *streamTarget) send(ctx context.Context, m message) error {
	if t.ts != "" && !t.stopped {
		t.stopped = true
		if _, _, err := t.thread.api.StopStreamContext(ctx, t.thread.channel, t.ts); err != nil {
			t.log.WarnContext(ctx, "chat.stopStream", "err", err)
		}
		t.thread.ts = t.ts // the final answer replaces the streamed text
	}
	return t.thread.send(ctx, m)
}

func (t *streamTarget) streaming(interval time.Duration) (int, time.Duration) { return -1, interval }

// responseTarget posts to a slash command's or an interaction's
// response_url, which Slack accepts five times in 30 minutes; later
// messages replace the first.
type responseTarget struct {
	api          webAPI
	url          string
	responseType string
	sent         int
}

func (t *responseTarget) send(ctx context.Context, m message) error {
	opts := append(m.options(), slack.MsgOptionResponseURL(t.url, t.responseType))
	if t.sent > 0 {
		opts = append(opts, slack.MsgOptionReplaceOriginal(t.url))
	}
	if _, _, err := t.api.PostMessageContext(ctx, "", opts...); err != nil {
		return fmt.Errorf("post to response_url: %w", err)
	}
	t.sent++
	return nil
}

func (t *responseTarget) streaming(interval time.Duration) (int, time.Duration) {
	return 2, max(interval, 3*time.Second)
}

// DeliveryGrace bounds the delivery of an answer whose context ended
// while it was being written (see deliveryContext).
const DeliveryGrace = 5 * time.Second

// deliveryContext returns ctx while it is live; once it is done (the
// shutdown timeout cancelled the answer in flight, or AnswerTimeout ran
// out), a context of its own bounded by DeliveryGrace, so that the answer
// the bot fell back to still reaches the user rather than nothing.
func deliveryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), DeliveryGrace)
}

// send delivers a message, logging a failure.
func (a *Adapter) send(ctx context.Context, lg *slog.Logger, out target, m message) {
	if err := out.send(ctx, m); err != nil {
		lg.ErrorContext(ctx, "send reply", "err", err)
	}
}

// reply answers req and delivers the answer to out: a question is asked
// with the conversation's history under key (streaming partial answers
// into the message), "latest" lists headlines. Errors reach the user as a
// short sentence and the log with their cause.
func (a *Adapter) reply(ctx context.Context, lg *slog.Logger, out target, req request, view answerView, key string) {
	switch req.kind {
	case "help":
		a.send(ctx, lg, out, renderHelp(a.opt.Command, !a.opt.NoThreadFollowups))
		return
	case "latest":
		hs, err := a.bot.Latest(ctx, req.text, 10)
		if err != nil {
			lg.ErrorContext(ctx, "latest", "err", err)
			a.send(ctx, lg, out, renderNotice(bot.UserMessage(err)))
			return
		}
		a.send(ctx, lg, out, renderHeadlines(req.text, hs))
		return
	}
	q := bot.Question{Text: req.text, History: a.convs.History(ctx, key)}
	edits, every := out.streaming(a.opt.UpdateInterval)
	st := newStreamer(edits, every, func(text string) {
		pv := view
		pv.Partial = true
		m := renderAnswer(&bot.Answer{Text: text}, pv)
		var err error
		if ps, ok := out.(partialSender); ok {
			err = ps.sendPartial(ctx, text, m)
		} else {
			err = out.send(ctx, m)
		}
		if err != nil {
			lg.WarnContext(ctx, "stream partial answer", "err", err)
		}
	})
	q.OnPartial = st.update
	safe.Go(ctx, lg, "slack stream", st.run)
	// Stopped before the final message is sent, and also when Ask panics
	// (then the apology follows the last partial answer).
	defer st.stop()
	start := time.Now()
	ans, err := a.bot.Ask(ctx, q)
	st.stop()
	// What Ask returned is delivered even when ctx ended meanwhile (the
	// shutdown timeout cancelled the model's answer, and the bot fell back
	// to the extractive one): within a short grace of its own.
	ctx, cancel := deliveryContext(ctx)
	defer cancel()
	if err != nil {
		if !errors.Is(err, bot.ErrEmptyQuestion) && !errors.Is(err, bot.ErrQuestionTooLong) {
			lg.ErrorContext(ctx, "ask", "err", err)
		}
		a.send(ctx, lg, out, renderNotice(bot.UserMessage(err)))
		return
	}
	a.convs.Add(ctx, key, q.Text)
	if view.ShareID != "" {
		if len(ans.Citations) == 0 {
			view.ShareID = "" // nothing worth sharing
		} else {
			a.shares.put(view.ShareID, q.Text, ans)
		}
	}
	a.send(ctx, lg, out, renderAnswer(ans, view))
	lg.InfoContext(ctx, "answered", "mode", ans.Mode, "found", ans.Found, "citations", len(ans.Citations), "elapsed", time.Since(start).Round(time.Millisecond))
}

// share posts a saved ephemeral answer to the channel through an
// interaction's response_url, then deletes the ephemeral one.
func (a *Adapter) share(ctx context.Context, lg *slog.Logger, id, user, url string) {
	s, ok := a.shares.take(id)
	if !ok {
		out := &responseTarget{api: a.api, url: url, responseType: slack.ResponseTypeEphemeral}
		a.send(ctx, lg, out, renderNotice("That answer can no longer be shared. Please ask again."))
		return
	}
	pub := &responseTarget{api: a.api, url: url, responseType: slack.ResponseTypeInChannel}
	if err := pub.send(ctx, renderAnswer(s.answer, answerView{Question: s.question, SharedBy: user})); err != nil {
		lg.ErrorContext(ctx, "share answer", "err", err)
		return
	}
	if _, _, err := a.api.PostMessageContext(ctx, "", slack.MsgOptionDeleteOriginal(url)); err != nil {
		lg.WarnContext(ctx, "delete the ephemeral answer after sharing", "err", err)
	}
	lg.InfoContext(ctx, "answer shared")
}

// streamer turns the bot's OnPartial calls (as fast as an LLM writes) into
// at most one edit per interval, and at most edits of them (-1: no limit):
// it always sends the latest text, dropping the ones in between. The
// final answer is sent by the caller after stop.
type streamer struct {
	edits int
	every time.Duration
	send  func(text string)

	stopOnce sync.Once
	mu       sync.Mutex
	latest   string
	fresh    bool
	kick     chan struct{}
	done     chan struct{}
	exited   chan struct{}
}

func newStreamer(edits int, every time.Duration, send func(string)) *streamer {
	return &streamer{edits: edits, every: every, send: send,
		kick: make(chan struct{}, 1), done: make(chan struct{}), exited: make(chan struct{})}
}

// update records the answer so far; it never blocks.
func (s *streamer) update(text string) {
	s.mu.Lock()
	s.latest, s.fresh = text, true
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// run sends updates until stop.
func (s *streamer) run() {
	defer close(s.exited)
	sent := 0
	for s.edits < 0 || sent < s.edits {
		select {
		case <-s.done:
			return
		case <-s.kick:
		}
		s.mu.Lock()
		text, fresh := s.latest, s.fresh
		s.fresh = false
		s.mu.Unlock()
		if !fresh {
			continue
		}
		s.send(text)
		sent++
		t := time.NewTimer(s.every)
		select {
		case <-s.done:
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// stop ends run and waits for an edit in progress to finish, so that the
// final message is sent after it. Calls after the first do nothing.
func (s *streamer) stop() {
	s.stopOnce.Do(func() { close(s.done) })
	<-s.exited
}
