package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeSlack runs `newsbot serve` with Slack configured over HTTP
// against a minimal local Slack (auth.test and a response_url), asks with
// a signed slash command, and stops it as SIGTERM does.
func TestServeSlack(t *testing.T) {
	answers := make(chan string, 1)
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/api/auth.test":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true,"team":"Newsroom","user_id":"UBOT","team_id":"T1"}`)
		case "/response/1":
			answers <- string(body)
			io.WriteString(w, "ok")
		default:
			http.NotFound(w, r)
		}
	}))
	defer slack.Close()

	env := map[string]string{
		"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_HTTP_ADDR": "127.0.0.1:0",
		"SLACK_BOT_TOKEN": "xoxb-serve-test", "SLACK_SIGNING_SECRET": "serve-secret", "SLACK_API_URL": slack.URL + "/api/",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := make(chan string, 1)
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &stdio{in: strings.NewReader(""), out: io.Discard, err: &stderr,
			getenv:    func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			listening: func(a string) { addr <- a }})
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	}

	form := url.Values{"command": {"/news"}, "text": {"Who met Vladimir Putin last week?"}, "team_id": {"T1"},
		"channel_id": {"C1"}, "user_id": {"U1"}, "response_url": {slack.URL + "/response/1"}}.Encode()
	postSignedCommand(t, base, "serve-secret", form)
	select {
	case body := <-answers:
		var msg struct{ Text string }
		json.Unmarshal([]byte(body), &msg)
		if !strings.Contains(msg.Text, "Vladimir Putin") || !strings.Contains(msg.Text, "Sources: [1]") {
			t.Errorf("answer posted to response_url: %s", body)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no answer reached the response_url")
	}
	// Unsigned requests are refused.
	res, err := http.Post(base+"/slack/events", "application/json", strings.NewReader(`{"type":"url_verification","challenge":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned event: %d, want 401", res.StatusCode)
	}
	cancel() // SIGTERM
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if strings.Contains(stderr.String(), "xoxb-serve-test") || strings.Contains(stderr.String(), "serve-secret") {
		t.Errorf("a secret reached the log:\n%s", stderr.String())
	}
}

func TestServeSlackMisconfigured(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"},
		{map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"},
	} {
		tt.env["NEWSBOT_DB"], tt.env["NEWSBOT_HTTP_ADDR"] = db, "127.0.0.1:0"
		err := run(context.Background(), []string{"serve"}, &stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard,
			getenv: func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("serve with %v: %v, want an error naming %s", tt.env, err, tt.want)
		}
	}
}

// postSignedCommand posts form to base's slash-command route, signed with
// secret as Slack signs it, and fails the test unless it is acknowledged
// with 200.
func postSignedCommand(t *testing.T, base, secret, form string) {
	t.Helper()
	if code := postSlackSigned(t, base+"/slack/commands", secret, "application/x-www-form-urlencoded", []byte(form)); code != http.StatusOK {
		t.Fatalf("slash command: %d", code)
	}
}

// postSlackSigned posts body to url signed with secret as Slack signs its
// requests (v0, HMAC-SHA256 over the timestamp and body) and returns the
// response's status.
func postSlackSigned(t *testing.T, url, secret, contentType string, body []byte) int {
	t.Helper()
	ts := fmt.Sprint(time.Now().Unix())
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
