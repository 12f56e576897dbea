package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
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
