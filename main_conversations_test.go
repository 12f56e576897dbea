package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
)

// Two `newsbot serve` instances sharing one PostgreSQL database: a
// follow-up slash command answered by the second instance knows the
// question the first one answered (the conversation lives in the
// database), so "On which day?" is about the trip, not the bare words.
func TestServeFollowUpAcrossInstancesOnPostgres(t *testing.T) {
	answers := make(chan string, 4)
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch {
		case r.URL.Path == "/api/auth.test":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true,"team":"Newsroom","user_id":"UBOT","team_id":"T1"}`)
		case strings.HasPrefix(r.URL.Path, "/response/"):
			var msg struct{ Text string }
			json.Unmarshal(body, &msg)
			answers <- r.URL.Path + " " + msg.Text
			io.WriteString(w, "ok")
		default:
			http.NotFound(w, r)
		}
	}))
	defer slack.Close()
	db := pgtest.NewDatabase(t)
	env := func() map[string]string {
		return map[string]string{
			"NEWSBOT_DATABASE_URL": db, "NEWSBOT_DB": t.TempDir() + "/unused.db",
			"SLACK_BOT_TOKEN": "xoxb-serve-test", "SLACK_SIGNING_SECRET": "serve-secret", "SLACK_API_URL": slack.URL + "/api/",
		}
	}
	one := startServe(t, env()) // loads the sample into the empty database
	two := startServe(t, env())
	ask := func(base, trigger, text string) string {
		t.Helper()
		form := url.Values{"command": {"/news"}, "text": {text}, "team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"},
			"trigger_id": {trigger}, "response_url": {slack.URL + "/response/" + trigger}}.Encode()
		postSignedCommand(t, base, "serve-secret", form)
		select {
		case got := <-answers:
			return got
		case <-time.After(30 * time.Second):
			t.Fatalf("no answer to %q", text)
			return ""
		}
	}
	if got := ask(one.base, "1", "Where are Rubio and Witkoff travelling this week?"); !strings.Contains(got, "Paris") {
		t.Fatalf("first question, through the first instance: %s", got)
	}
	if got := ask(two.base, "2", "On which day?"); !strings.Contains(got, "Thursday") {
		t.Errorf("follow-up through the other instance: %s\nwant the day of the trip (Thursday): the first turn comes from the database", got)
	}
	for _, s := range []*served{one, two} {
		if err := s.stop(t); err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, s.stderr.String())
		}
	}
}
