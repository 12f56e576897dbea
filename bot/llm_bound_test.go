package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

// endless is a model (or a server) that ignores its token limit and
// streams until it is stopped.
type endless struct{ sent int }

func (e *endless) Chat(ctx context.Context, _ []bot.Message, onDelta func(string)) (string, error) {
	var all strings.Builder
	for ctx.Err() == nil && e.sent < 2<<20 {
		d := "Witkoff met Putin [1] and talked again "
		all.WriteString(d)
		e.sent += len(d)
		if onDelta != nil {
			onDelta(d)
		}
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	return all.String(), nil
}

// A model answer that never ends is read up to a bound and answered from,
// cut at a word; streamed or not.
func TestLLMAnswerBounded(t *testing.T) {
	for _, stream := range []bool{false, true} {
		b, _ := seedBot(t)
		m := &endless{}
		b.LLM = &bot.LLM{Model: m, Timeout: 20 * time.Second}
		q := bot.Question{Text: "Who met Vladimir Putin last week?", Mode: bot.ModeLLM}
		partials := 0
		if stream {
			q.OnPartial = func(string) { partials++ }
		}
		a, err := b.Ask(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Mode != bot.ModeLLM || a.FallbackReason != "" {
			t.Fatalf("stream=%v: mode %q, fallback %q; want the model's (cut) answer", stream, a.Mode, a.FallbackReason)
		}
		if n := len(a.Text); n > 17<<10 || !strings.HasSuffix(a.Text, "…") {
			t.Errorf("stream=%v: answer of %d bytes ending %q; want at most ~16 KiB, cut with an ellipsis", stream, n, a.Text[max(0, len(a.Text)-20):])
		}
		if stream && (m.sent > 1<<20 || partials == 0) {
			t.Errorf("stream: the model sent %d bytes (want reading stopped near 16 KiB), %d previews", m.sent, partials)
		}
	}
}
