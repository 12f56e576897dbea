package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/bot/openai"
	"github.com/newsbot/newsbot/internal/fakeopenai"
)

func TestLLMFailuresFallBackToTemplate(t *testing.T) {
	q := "Who met Vladimir Putin last week?"
	garbageStream := "data: {\"id\": \"x\", \"choices\": [{\"delta\": {\"content\": 42\n\n"
	tests := []struct {
		name    string
		stream  bool
		replies []fakeopenai.Reply
		timeout time.Duration
		want    string
	}{
		{"500", false, []fakeopenai.Reply{{Status: 500, Message: "boom"}, {Status: 500, Message: "boom"}, {Status: 500, Message: "boom"}}, 0, bot.FallbackServerError},
		{"502 streaming", true, []fakeopenai.Reply{{Status: 502, Body: "<html>Bad Gateway</html>"}, {Status: 502, Body: "<html>Bad Gateway</html>"}, {Status: 502, Body: "<html>Bad Gateway</html>"}}, 0, bot.FallbackServerError},
		{"429 until retries run out", false, []fakeopenai.Reply{{Status: 429, Message: "slow down"}, {Status: 429, Message: "slow down"}, {Status: 429, Message: "slow down"}}, 0, bot.FallbackRateLimited},
		{"Retry-After beyond the deadline", false, []fakeopenai.Reply{{Status: 429, Message: "slow down", Header: map[string]string{"Retry-After": "3600"}}}, 0, bot.FallbackRateLimited},
		{"timeout", false, []fakeopenai.Reply{{Delay: time.Minute, Text: "too late [1]"}}, 300 * time.Millisecond, bot.FallbackTimeout},
		{"timeout streaming", true, []fakeopenai.Reply{{Delay: time.Minute, Text: "too late [1]"}}, 300 * time.Millisecond, bot.FallbackTimeout},
		{"garbage JSON", false, []fakeopenai.Reply{{Body: "{this is not json"}}, 0, bot.FallbackBadResponse},
		{"garbage stream", true, []fakeopenai.Reply{{Body: garbageStream}}, 0, bot.FallbackBadResponse},
		{"HTML instead of JSON", false, []fakeopenai.Reply{{Body: "<html><body>proxy login</body></html>"}}, 0, bot.FallbackBadResponse},
		{"empty choice list", false, []fakeopenai.Reply{{NoChoices: true}}, 0, bot.FallbackEmptyResponse},
		{"empty stream", true, []fakeopenai.Reply{{NoChoices: true, Chunks: []string{}}}, 0, bot.FallbackEmptyResponse},
		{"blank text", false, []fakeopenai.Reply{{Text: "  \n "}}, 0, bot.FallbackEmptyResponse},
		{"context length", false, []fakeopenai.Reply{{Status: 400, Code: "context_length_exceeded",
			Message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens."}}, 0, bot.FallbackContextLength},
		{"context length, other server", true, []fakeopenai.Reply{{Status: 400, Body: `{"error": "the prompt is too long: exceeds the context window"}`}}, 0, bot.FallbackContextLength},
		{"unauthorised", false, []fakeopenai.Reply{{Status: 401, Code: "invalid_api_key", Message: "Incorrect API key provided: " + testKey}}, 0, bot.FallbackModelError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, srv, log := llmBot(t, openai.Options{Retries: 2})
			if tt.timeout > 0 {
				b.LLM.Timeout = tt.timeout
			}
			srv.Script(tt.replies...)
			tmpl, err := b.Ask(context.Background(), bot.Question{Text: q, Mode: bot.ModeTemplate})
			if err != nil {
				t.Fatal(err)
			}
			question := bot.Question{Text: q}
			if tt.stream {
				question.OnPartial = func(string) {}
			}
			a, err := b.Ask(context.Background(), question)
			if err != nil {
				t.Fatalf("Ask error %v; want the template answer", err)
			}
			if a.Mode != bot.ModeTemplate || a.FallbackReason != tt.want {
				t.Errorf("mode %q, fallback reason %q; want template, %q", a.Mode, a.FallbackReason, tt.want)
			}
			if a.Text != tmpl.Text || len(a.Citations) != len(tmpl.Citations) || !a.Found {
				t.Errorf("answer %q (%d citations), want the template answer %q", a.Text, len(a.Citations), tmpl.Text)
			}
			if !strings.Contains(log.String(), "reason="+tt.want) {
				t.Errorf("the log does not give the reason %q:\n%s", tt.want, log.String())
			}
			if strings.Contains(log.String(), testKey) || strings.Contains(log.String(), "SECRET") {
				t.Errorf("the log contains the API key:\n%s", log.String())
			}
		})
	}
}

func TestLLMBoundedTotalTime(t *testing.T) {
	// Every attempt is slow and then fails: retries must stop at the
	// deadline, not run each to the end. (No timing is asserted; the
	// request count shows the bound.)
	b, srv, _ := llmBot(t, openai.Options{Retries: 5, Backoff: time.Hour})
	b.LLM.Timeout = 10 * time.Second // long enough for a loaded machine; the backoff passes it anyway
	srv.Script(fakeopenai.Reply{Status: 503}, fakeopenai.Reply{Status: 503}, fakeopenai.Reply{Status: 503})
	a, err := b.Ask(context.Background(), bot.Question{Text: "Who met Vladimir Putin last week?"})
	if err != nil {
		t.Fatal(err)
	}
	if a.FallbackReason != bot.FallbackServerError || len(srv.Chats()) != 1 {
		t.Errorf("reason %q after %d requests; want server_error after 1 (an hour's backoff passes the deadline)", a.FallbackReason, len(srv.Chats()))
	}
}

// A caller that cancels (Ctrl-C, a shutdown) gets the template answer at
// once, marked as cancelled.
func TestLLMCallerCancel(t *testing.T) {
	b, srv, _ := llmBot(t, openai.Options{})
	srv.Script(fakeopenai.Reply{Delay: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	q := bot.Question{Text: "Who met Vladimir Putin last week?", OnPartial: func(string) {}}
	go func() {
		for len(srv.Requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	a, err := b.Ask(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != bot.ModeTemplate || a.FallbackReason != bot.FallbackCanceled || !a.Found {
		t.Errorf("answer after cancel: mode %q reason %q found %v", a.Mode, a.FallbackReason, a.Found)
	}
}
