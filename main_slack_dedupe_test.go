package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
)

// Two `newsbot serve` instances sharing one PostgreSQL database behind one
// Slack app: a slash command replayed to the other instance (the same
// body and trigger_id, signed again) is acknowledged by both and answered
// once, and the next command is answered.
func TestServeSlackInstancesSharingPostgresAnswerOnce(t *testing.T) {
	var answers atomic.Int64
	answered := make(chan string, 4)
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		switch {
		case r.URL.Path == "/api/auth.test":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true,"team":"Newsroom","user_id":"UBOT","team_id":"T1"}`)
		case strings.HasPrefix(r.URL.Path, "/response/"):
			answers.Add(1)
			answered <- r.URL.Path
			io.WriteString(w, "ok")
		default:
			http.NotFound(w, r)
		}
	}))
	defer slack.Close()
	env := map[string]string{
		"NEWSBOT_DATABASE_URL": pgtest.NewDatabase(t), "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_HTTP_ADDR": "127.0.0.1:0",
		"NEWSBOT_DB":      t.TempDir() + "/unused.db",
		"SLACK_BOT_TOKEN": "xoxb-serve-test", "SLACK_SIGNING_SECRET": "serve-secret", "SLACK_API_URL": slack.URL + "/api/",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var dones []chan error
	start := func() string {
		t.Helper()
		addr := make(chan string, 1)
		done := make(chan error, 1)
		var stderr bytes.Buffer
		go func() {
			done <- run(ctx, []string{"serve"}, &stdio{in: strings.NewReader(""), out: io.Discard, err: &stderr,
				getenv:    func(k string) (string, bool) { v, ok := env[k]; return v, ok },
				listening: func(a string) { addr <- a }})
		}()
		dones = append(dones, done)
		select {
		case a := <-addr:
			return "http://" + a
		case err := <-done:
			t.Fatalf("serve: %v\n%s", err, stderr.String())
		}
		return ""
	}
	one, two := start(), start() // one after the other: the first loads the sample

	command := func(base, trigger, response string) {
		t.Helper()
		form := url.Values{"command": {"/news"}, "text": {"Who met Vladimir Putin last week?"}, "team_id": {"T1"},
			"channel_id": {"C1"}, "user_id": {"U1"}, "trigger_id": {trigger}, "response_url": {slack.URL + response}}.Encode()
		postSignedCommand(t, base, "serve-secret", form)
	}
	wait := func(path string) {
		t.Helper()
		select {
		case got := <-answered:
			if got != path {
				t.Errorf("answer posted to %s, want %s", got, path)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("no answer reached %s", path)
		}
	}
	command(one, "7.7.7", "/response/1")
	command(two, "7.7.7", "/response/1") // the replay, to the other instance
	wait("/response/1")
	command(two, "8.8.8", "/response/2")
	wait("/response/2")
	cancel()
	for _, done := range dones {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve after SIGTERM: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	if n := answers.Load(); n != 2 {
		t.Errorf("%d answers for two commands (one replayed to the other instance), want 2", n)
	}
}
