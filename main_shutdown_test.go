package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/fakeopenai"
)

// A SIGTERM while `serve` embeds the articles of a feed round ends the
// embedding round: serve returns soon after, not when the embedding API's
// 30-second answer (or the round's own 10-minute bound) is due.
func TestServeShutdownDuringEmbeddingRound(t *testing.T) {
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/auth.test" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"team":"Newsroom","user_id":"UBOT","team_id":"T1"}`)
	}))
	defer slack.Close()
	embedding := make(chan struct{}, 1)
	ai := fakeopenai.New(t)
	ai.EmbedFail = func([]string) *fakeopenai.Reply {
		select {
		case embedding <- struct{}{}:
		default:
		}
		return &fakeopenai.Reply{Status: http.StatusInternalServerError, Delay: 30 * time.Second}
	}
	site := newsSite(t)
	env := map[string]string{
		"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_HTTP_ADDR": "127.0.0.1:0",
		"NEWSBOT_SHUTDOWN_TIMEOUT": "2s", "NEWSBOT_FEEDS": site.URL + "/rss.xml", "NEWSBOT_HOST_DELAY": "0s",
		"OPENAI_API_KEY": testAPIKey, "OPENAI_BASE_URL": ai.BaseURL(), "NEWSBOT_EMBEDDING_MODEL": "test-embed",
		"SLACK_BOT_TOKEN": "xoxb-serve-test", "SLACK_SIGNING_SECRET": "serve-secret", "SLACK_API_URL": slack.URL + "/api/",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &stdio{in: strings.NewReader(""), out: io.Discard, err: &stderr,
			getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	}()
	select {
	case <-embedding:
	case err := <-done:
		t.Fatalf("serve returned before the embedding round: %v\n%s", err, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatal("no embedding request within 60s of starting serve")
	}
	cancel() // as SIGTERM does
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve still runs 20s after SIGTERM: the embedding round ignores shutdown")
	}
}

// llmShutdown is a `serve` (Slack over HTTP, answers written by a language
// model) whose model holds each completion until the test releases it.
type llmShutdown struct {
	base    string
	cancel  context.CancelFunc
	done    chan error
	stderr  *syncBuffer
	arrived chan struct{} // a completion request is being held
	release chan struct{} // close to let the held completion answer
	gaveUp  chan struct{} // closed when the client gave up on the held request
	mu      sync.Mutex
	answers []string // bodies posted to the response_url
}

func startLLMShutdown(t *testing.T, shutdownTimeout string) *llmShutdown {
	t.Helper()
	s := &llmShutdown{done: make(chan error, 1), stderr: &syncBuffer{}, arrived: make(chan struct{}, 1),
		release: make(chan struct{}), gaveUp: make(chan struct{})}
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/api/auth.test":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true,"team":"Newsroom","user_id":"UBOT","team_id":"T1"}`)
		case "/response/1":
			s.mu.Lock()
			s.answers = append(s.answers, string(body))
			s.mu.Unlock()
			io.WriteString(w, "ok")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(slack.Close)
	ai := fakeopenai.New(t)
	ai.Default = fakeopenai.Reply{Text: "Witkoff met Vladimir Putin last week [1].", Hold: func(ctx context.Context) {
		s.arrived <- struct{}{}
		select {
		case <-s.release:
		case <-ctx.Done():
			close(s.gaveUp)
		}
	}}
	env := map[string]string{
		"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_HTTP_ADDR": "127.0.0.1:0",
		"NEWSBOT_SHUTDOWN_TIMEOUT": shutdownTimeout, "NEWSBOT_LOG_FORMAT": "json", "NEWSBOT_LOG_LEVEL": "info",
		"OPENAI_API_KEY": testAPIKey, "OPENAI_BASE_URL": ai.BaseURL(), "NEWSBOT_LLM_MODEL": "test-model", "NEWSBOT_LLM_RETRIES": "0",
		"SLACK_BOT_TOKEN": "xoxb-serve-test", "SLACK_SIGNING_SECRET": "serve-secret", "SLACK_API_URL": slack.URL + "/api/",
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s.cancel = cancel
	addr := make(chan string, 1)
	go func() {
		s.done <- run(ctx, []string{"serve"}, &stdio{in: strings.NewReader(""), out: io.Discard, err: s.stderr,
			getenv:    func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			listening: func(a string) { addr <- a }})
	}()
	select {
	case a := <-addr:
		s.base = "http://" + a
	case err := <-s.done:
		t.Fatalf("serve: %v\n%s", err, s.stderr.String())
	}
	form := url.Values{"command": {"/news"}, "text": {"Who met Vladimir Putin last week?"}, "team_id": {"T1"},
		"channel_id": {"C1"}, "user_id": {"U1"}, "response_url": {slack.URL + "/response/1"}}.Encode()
	postSignedCommand(t, s.base, "serve-secret", form)
	select {
	case <-s.arrived:
	case err := <-s.done:
		t.Fatalf("serve returned before the model was asked: %v\n%s", err, s.stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("the model was not asked within 30s\n%s", s.stderr.String())
	}
	return s
}

// finalAnswer returns the last message posted to the response_url before
// serve returned (partial answers come first), as JSON, or "".
func (s *llmShutdown) finalAnswer() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.answers) == 0 {
		return ""
	}
	return s.answers[len(s.answers)-1]
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of serve's
// logger and the test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// waitFor polls cond until it holds, failing the test after 30 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// A SIGTERM while the language model writes an answer: serve stops taking
// questions but the answer in flight, ready within ShutdownTimeout, is
// still delivered, before serve returns cleanly.
func TestServeShutdownWhileLLMAnswers(t *testing.T) {
	s := startLLMShutdown(t, "60s")
	s.cancel() // SIGTERM, with the completion held
	// Shutdown has begun: /readyz says so, and new questions are refused.
	waitFor(t, "readyz to report the shutdown", func() bool {
		res, err := http.Get(s.base + "/readyz")
		if err != nil {
			return true // the HTTP server closed already
		}
		res.Body.Close()
		return res.StatusCode == http.StatusServiceUnavailable
	})
	select {
	case err := <-s.done:
		t.Fatalf("serve returned (%v) with an answer in flight\n%s", err, s.stderr.String())
	default:
	}
	close(s.release)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, s.stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("serve still runs 60s after the answer was released\n%s", s.stderr.String())
	}
	// Delivered before serve returned (the response_url handler records it
	// before answering the post, which the adapter waits for).
	if got := s.finalAnswer(); !strings.Contains(got, "Witkoff met Vladimir Putin last week") || strings.Contains(got, "the extractive answer") {
		t.Errorf("the answer delivered during shutdown is not the model's: %q\n%s", got, s.stderr.String())
	}
	if strings.Contains(s.stderr.String(), "shutdown timeout") {
		t.Errorf("the answer was cancelled:\n%s", s.stderr.String())
	}
	// The adapter's, the model client's and serve's lines about the
	// question share one request id.
	ids := map[string]string{}
	for _, l := range strings.Split(s.stderr.String(), "\n") {
		var line struct {
			Msg       string `json:"msg"`
			RequestID string `json:"request_id"`
		}
		if json.Unmarshal([]byte(l), &line) == nil {
			ids[line.Msg] = line.RequestID
		}
	}
	if id := ids["answered"]; id == "" || ids["llm: answered"] != id || ids["question answered"] != id {
		t.Errorf("request ids of the lines about the question: %v, want one\n%s", ids, s.stderr.String())
	}
}

// A SIGTERM while the language model hangs past ShutdownTimeout: serve
// cancels the model call and returns, the user gets the extractive answer
// (marked as a fallback) rather than silence, and the model's connection
// is closed, not left behind.
func TestServeShutdownWhileLLMHangs(t *testing.T) {
	s := startLLMShutdown(t, "1s")
	t.Cleanup(func() {
		select {
		case <-s.release:
		default:
			close(s.release)
		}
	})
	s.cancel() // SIGTERM; the completion is never released
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, s.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve still runs 30s after SIGTERM with ShutdownTimeout 1s: the hung model call holds it\n%s", s.stderr.String())
	}
	select { // the client closed the connection: the fake's handler sees it
	case <-s.gaveUp:
	case <-time.After(30 * time.Second):
		t.Error("the model's request is still open 30s after serve returned")
	}
	if !strings.Contains(s.stderr.String(), "shutdown timeout") {
		t.Errorf("the log does not say the answer was cancelled:\n%s", s.stderr.String())
	}
	got := s.finalAnswer()
	if !strings.Contains(got, "Vladimir Putin") || !strings.Contains(got, "was interrupted, so this is the extractive answer") {
		t.Errorf("the user got %q, want the extractive answer marked as a fallback\n%s", got, s.stderr.String())
	}
	if testing.Verbose() {
		t.Logf("serve's log:\n%s\nthe answer posted to the response_url:\n%s", s.stderr.String(), got)
	}
}
