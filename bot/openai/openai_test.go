package openai

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/fakeopenai"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{"Wed, 16 Apr 2025 12:00:07 GMT", 7 * time.Second, true},
		{"Wed, 16 Apr 2025 11:00:00 GMT", 0, true},
		{"soon", 0, false},
		{"-4", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRedact(t *testing.T) {
	c := New(Options{APIKey: "my-local-key-123"})
	for _, in := range []string{
		"bad key my-local-key-123 here",
		"Incorrect API key provided: sk-proj-abcDEF123456",
		"Incorrect API key provided: sk-proj-***************3456",
		"Authorization: Bearer abc.def.ghi",
		"key ab12************yz89 rejected",
	} {
		got := c.redact(in)
		for _, bad := range []string{"my-local-key-123", "abcDEF", "3456", "abc.def", "yz89"} {
			if strings.Contains(got, bad) {
				t.Errorf("redact(%q) = %q, still contains %q", in, got, bad)
			}
		}
	}
}

func TestRequestShape(t *testing.T) {
	srv := fakeopenai.New(t)
	srv.Script(fakeopenai.Reply{Text: "ok"}, fakeopenai.Reply{Text: "ok"}, fakeopenai.Reply{Text: "ok"})
	ctx := context.Background()
	msgs := []bot.Message{{Role: bot.RoleSystem, Content: "sys"}, {Role: bot.RoleUser, Content: "hi"}}
	if _, err := New(Options{BaseURL: srv.BaseURL(), Model: "llama3.2", MaxTokens: 300, Temperature: 0}).Chat(ctx, msgs, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{BaseURL: srv.BaseURL() + "/", Model: "llama3.2", Temperature: 0.7}).Chat(ctx, msgs, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{BaseURL: srv.BaseURL(), Model: "o3-mini", MaxTokens: 300, Temperature: 0.7}).Chat(ctx, msgs, nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	var raw []map[string]any
	for _, r := range reqs {
		var m map[string]any
		json.Unmarshal(r.Body, &m)
		raw = append(raw, m)
		if r.Authorization != "" {
			t.Errorf("a client without a key sent Authorization %q", r.Authorization)
		}
	}
	if raw[0]["max_tokens"] != 300.0 || raw[0]["temperature"] == nil || raw[0]["temperature"].(float64) > 1e-6 {
		t.Errorf("request 1 = %v; want max_tokens 300 and temperature (about) 0 sent", raw[0])
	}
	if raw[1]["max_tokens"] != 500.0 || raw[1]["temperature"].(float64) < 0.69 {
		t.Errorf("request 2 = %v; want the default max_tokens and temperature 0.7", raw[1])
	}
	if raw[2]["max_completion_tokens"] != 300.0 || raw[2]["max_tokens"] != nil || raw[2]["temperature"] != nil {
		t.Errorf("reasoning model request = %v; want max_completion_tokens and no temperature", raw[2])
	}
	if m := reqs[0].Chat.Messages; len(m) != 2 || m[0].Role != "system" || m[1].Content != "hi" {
		t.Errorf("messages = %+v", m)
	}
}

func TestEmbed(t *testing.T) {
	srv := fakeopenai.New(t)
	srv.Embed = func(s string) []float32 { return []float32{float32(len(s)), 1} }
	c := New(Options{BaseURL: srv.BaseURL(), EmbeddingModel: "nomic-embed-text", Dimensions: 2})
	vs, err := c.Embed(context.Background(), []string{"a", "bbb"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0][0] != 1 || vs[1][0] != 3 {
		t.Errorf("vectors = %v", vs)
	}
	var body map[string]any
	json.Unmarshal(srv.Requests()[0].Body, &body)
	if body["model"] != "nomic-embed-text" || body["dimensions"] != 2.0 {
		t.Errorf("request = %v", body)
	}
	// Vectors of different sizes are a bad response, not data.
	srv.Embed = func(s string) []float32 { return make([]float32, len(s)) }
	if _, err := c.Embed(context.Background(), []string{"a", "bbb"}); !errors.Is(err, bot.ErrBadResponse) {
		t.Errorf("ragged vectors: error %v, want ErrBadResponse", err)
	}
	// 429 then success.
	n := 0
	srv.Embed = func(s string) []float32 { return []float32{1, 2} }
	srv.EmbedFail = func([]string) *fakeopenai.Reply {
		if n++; n == 1 {
			return &fakeopenai.Reply{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "0"}}
		}
		return nil
	}
	c = New(Options{BaseURL: srv.BaseURL(), EmbeddingModel: "m", Retries: 1})
	if vs, err := c.Embed(context.Background(), []string{"x"}); err != nil || len(vs) != 1 {
		t.Errorf("after a 429: %v, %v", vs, err)
	}
	if _, err := New(Options{BaseURL: srv.BaseURL()}).Embed(context.Background(), []string{"x"}); err == nil {
		t.Error("Embed without a model: nil error")
	}
}

func TestConnectionRefusedIsRetriedThenFails(t *testing.T) {
	srv := fakeopenai.New(t)
	url := srv.BaseURL()
	srv.Close()
	var waits int
	c := New(Options{BaseURL: url, Model: "m", Retries: 2, Sleep: func(context.Context, time.Duration) error { waits++; return nil }})
	_, err := c.Chat(context.Background(), []bot.Message{{Role: "user", Content: "hi"}}, nil)
	var e *Error
	if !errors.As(err, &e) || e.Status != 0 || waits != 2 {
		t.Errorf("error %v after %d waits; want an *Error after 2 retries", err, waits)
	}
}
