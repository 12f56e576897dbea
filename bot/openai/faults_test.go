package openai

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/fakeopenai"
	"github.com/newsbot/newsbot/internal/testkit"
)

var hi = []bot.Message{{Role: bot.RoleUser, Content: "hi"}}

// A stream that ends before its end, cleanly or with the connection
// broken, is an error, not a shorter answer; it is not retried (text was
// shown); the text that came is returned with the error.
func TestStreamCutMidAnswer(t *testing.T) {
	for _, abort := range []bool{false, true} {
		srv := fakeopenai.New(t)
		srv.Script(fakeopenai.Reply{Text: "Talks were held in Saudi Arabia [1] and in Istanbul [2].", DropAfter: 3, Abort: abort})
		c := New(Options{BaseURL: srv.BaseURL(), Model: "m", Retries: 2, Sleep: func(context.Context, time.Duration) error { return nil }})
		var seen strings.Builder
		out, err := c.Chat(context.Background(), hi, func(d string) { seen.WriteString(d) })
		if err == nil {
			t.Errorf("abort=%v: a stream cut after 3 chunks gave %q and no error", abort, out)
			continue
		}
		if !abort && !errors.Is(err, bot.ErrBadResponse) {
			t.Errorf("a stream ended cleanly without [DONE]: %v, want ErrBadResponse", err)
		}
		if out != "Talks were held " || seen.String() != out {
			t.Errorf("abort=%v: returned %q, streamed %q; want the 3 chunks that came", abort, out, seen.String())
		}
		if n := len(srv.Chats()); n != 1 {
			t.Errorf("abort=%v: %d requests; a stream that showed text must not be retried", abort, n)
		}
	}
}

// A stream complete by either sign is accepted: [DONE] without a finish
// reason (some servers), or a finish reason without [DONE].
func TestStreamEndSigns(t *testing.T) {
	chunk := func(content, finish string) string {
		f := "null"
		if finish != "" {
			f = `"` + finish + `"`
		}
		return `data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"` + content + `"},"finish_reason":` + f + "}]}\n\n"
	}
	for name, body := range map[string]string{
		"[DONE] only":          chunk("Saudi ", "") + chunk("Arabia", "") + "data: [DONE]\n\n",
		"[DONE] without space": chunk("Saudi ", "") + chunk("Arabia", "") + "data:[DONE]\n\n",
		"finish reason only":   chunk("Saudi ", "") + chunk("Arabia", "stop"),
	} {
		srv := fakeopenai.New(t)
		srv.Script(fakeopenai.Reply{Body: body})
		out, err := New(Options{BaseURL: srv.BaseURL(), Model: "m"}).Chat(context.Background(), hi, func(string) {})
		if err != nil || out != "Saudi Arabia" {
			t.Errorf("%s: %q, %v; want the whole answer", name, out, err)
		}
	}
	// "[DONE]" inside the model's text is not the end of the stream.
	srv := fakeopenai.New(t)
	srv.Script(fakeopenai.Reply{Body: chunk("data: [DONE]", "") + chunk(" and more", "")})
	if out, err := New(Options{BaseURL: srv.BaseURL(), Model: "m"}).Chat(context.Background(), hi, func(string) {}); !errors.Is(err, bot.ErrBadResponse) {
		t.Errorf("[DONE] in the text: %q, %v; want ErrBadResponse", out, err)
	}
}

// hangFirst is a TCP listener whose first connection is accepted and never
// answered (nor read); the next ones are passed to backend.
func hangFirst(t *testing.T, backend string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	go func() {
		for n := 0; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if n == 0 {
				mu.Lock()
				held = append(held, c)
				mu.Unlock()
				continue
			}
			go func() {
				defer c.Close()
				b, err := net.Dial("tcp", backend)
				if err != nil {
					return
				}
				defer b.Close()
				go io.Copy(b, c)
				io.Copy(c, b)
			}()
		}
	}()
	return ln.Addr().String()
}

// The model's faults, through the bot: a server that accepts the
// connection and never answers, one that stops sending mid-stream, and one
// that drops the stream halfway (cleanly or not). Each question gets the
// template answer (the timeout bounds the hangs), and the next question
// is answered by the model again.
func TestModelFaultsFallBackThenRecover(t *testing.T) {
	const q = "Who met Vladimir Putin last week?"
	good := fakeopenai.Reply{Text: "Witkoff met Vladimir Putin last week [1]."}
	tests := []struct {
		name  string
		hang  bool // the first connection is never answered
		reply fakeopenai.Reply
		want  string
	}{
		{"connection never answered", true, good, bot.FallbackTimeout},
		{"stream stalls", false, fakeopenai.Reply{Text: good.Text, StallAfter: 2}, bot.FallbackTimeout},
		{"stream ends halfway", false, fakeopenai.Reply{Text: good.Text, DropAfter: 2}, bot.FallbackBadResponse},
		{"connection breaks halfway", false, fakeopenai.Reply{Text: good.Text, DropAfter: 2, Abort: true}, bot.FallbackModelError},
	}
	store := testkit.SampleStore(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeopenai.New(t)
			base := srv.BaseURL()
			if tt.hang {
				base = "http://" + hangFirst(t, srv.Listener.Addr().String()) + "/v1"
			}
			srv.Script(tt.reply, good)
			b := testkit.Bot(store, nil)
			b.LLM = &bot.LLM{Model: New(Options{BaseURL: base, Model: "m", Retries: 0}), Timeout: 500 * time.Millisecond}
			var partial []string
			ask := bot.Question{Text: q, OnPartial: func(s string) { partial = append(partial, s) }}
			a, err := b.Ask(context.Background(), ask)
			if err != nil {
				t.Fatalf("Ask: %v; want the template answer", err)
			}
			if a.Mode != bot.ModeTemplate || a.FallbackReason != tt.want || !a.Found || !strings.Contains(a.Text, "Putin") {
				t.Errorf("first answer: mode %q, reason %q, found %v, %q; want the template answer, %q", a.Mode, a.FallbackReason, a.Found, a.Text, tt.want)
			}
			b.LLM.Timeout = 5 * time.Second // a guard: the next answer is not a fault
			a, err = b.Ask(context.Background(), bot.Question{Text: q, OnPartial: func(string) {}})
			if err != nil || a.Mode != bot.ModeLLM || !strings.HasPrefix(a.Text, "Witkoff met Vladimir Putin last week [1].") {
				t.Errorf("next answer: %v, mode %q reason %q, %q; want the model's", err, a.Mode, a.FallbackReason, a.Text)
			}
		})
	}
}
