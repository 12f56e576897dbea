package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
)

const (
	oauthTeamToken = "xoxb-T2-installed-secret"
	oauthKey       = "0707070707070707070707070707070707070707070707070707070707070707"
	oauthSecret    = "oauth-serve-secret"
)

// oauthSlack is a local Slack for installs: oauth.v2.access gives T2's
// bot token for the code "code-T2" (once), auth.test and chat.postMessage
// take that token, and every post is recorded with the token it came with.
type oauthSlack struct {
	srv   *httptest.Server
	mu    sync.Mutex
	posts []oauthPost
	codes map[string]bool
}

type oauthPost struct{ Token, Channel, Text string }

func newOAuthSlack(t *testing.T) *oauthSlack {
	f := &oauthSlack{codes: map[string]bool{"code-T2": true}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if token == "" {
			token = r.Form.Get("token")
		}
		switch r.URL.Path {
		case "/api/oauth.v2.access":
			f.mu.Lock()
			ok := f.codes[r.Form.Get("code")] && r.Form.Get("client_id") == "1111.2222" && r.Form.Get("client_secret") == "client-secret-xyz"
			delete(f.codes, r.Form.Get("code"))
			f.mu.Unlock()
			if !ok {
				io.WriteString(w, `{"ok":false,"error":"invalid_code"}`)
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"ok": true, "access_token": oauthTeamToken, "token_type": "bot",
				"scope": "app_mentions:read,chat:write,commands", "bot_user_id": "UBOT2", "app_id": "A1",
				"team": map[string]any{"id": "T2", "name": "Second Newsroom"}, "is_enterprise_install": false,
				"authed_user": map[string]any{"id": "U77"}})
		case "/api/auth.test":
			if token != oauthTeamToken {
				io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
				return
			}
			io.WriteString(w, `{"ok":true,"team":"Second Newsroom","user_id":"UBOT2","team_id":"T2"}`)
		case "/api/chat.postMessage":
			f.mu.Lock()
			f.posts = append(f.posts, oauthPost{Token: token, Channel: r.Form.Get("channel"), Text: r.Form.Get("text")})
			f.mu.Unlock()
			if token != oauthTeamToken {
				io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
				return
			}
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.%06d"}`, r.Form.Get("channel"), len(f.posts))
		default:
			io.WriteString(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *oauthSlack) snapshot() []oauthPost {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]oauthPost(nil), f.posts...)
}

// waitPosts waits until n messages were posted.
func (f *oauthSlack) waitPosts(t *testing.T, n int) []oauthPost {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ps := f.snapshot(); len(ps) >= n {
			return ps
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%d messages posted, want %d", len(f.snapshot()), n)
	return nil
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// install goes through /slack/install and the OAuth callback of base as
// a browser does, Slack's consent page skipped (its redirect carries the
// state), and returns the page shown.
func install(t *testing.T, base string) string {
	t.Helper()
	res, err := noFollow.Get(base + "/slack/install")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("/slack/install: %d %v", res.StatusCode, err)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/slack/oauth/callback?code=code-T2&state="+url.QueryEscape(loc.Query().Get("state")), nil)
	for _, c := range res.Cookies() {
		req.AddCookie(c)
	}
	res, err = noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("callback: %d %s", res.StatusCode, page)
	}
	return string(page)
}

// postSignedEvent posts an Events API callback of team to base, signed.
func postSignedEvent(t *testing.T, base, id, team string, event map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
		"event_id": id, "event_time": time.Now().Unix(), "event": event})
	if code := postSlackSigned(t, base+"/slack/events", oauthSecret, "application/json", body); code != http.StatusOK {
		t.Fatalf("event %s: status %d", id, code)
	}
}

func oauthMention(id, ts string) map[string]any {
	return map[string]any{"type": "app_mention", "user": "U9", "text": "<@UBOT2> Who met Vladimir Putin last week?",
		"ts": ts, "channel": "C9", "event_ts": ts}
}

func oauthEnv(slackURL string) map[string]string {
	return map[string]string{
		"NEWSBOT_HISTORY_FILE": "", "NEWSBOT_HTTP_ADDR": "127.0.0.1:0", "NEWSBOT_FEEDS": "off",
		"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "client-secret-xyz", "SLACK_SIGNING_SECRET": oauthSecret,
		"SLACK_REDIRECT_URL": "https://newsbot.example/slack/oauth/callback", "SLACK_TOKEN_KEY": oauthKey,
		"SLACK_API_URL": slackURL + "/api/",
	}
}

// checkSealed fails unless row is a sealed installation: present, and
// without the bot token or the bot user in the clear.
func checkSealed(t *testing.T, row []byte, ok bool) {
	t.Helper()
	if !ok {
		t.Fatal("no slack_installs row for T2 after the install")
	}
	if bytes.Contains(row, []byte(oauthTeamToken)) || bytes.Contains(row, []byte("UBOT2")) || bytes.Contains(row, []byte("Second Newsroom")) {
		t.Errorf("the slack_installs row holds the installation in the clear: %q", row)
	}
}

// `newsbot serve` with OAuth installs on the SQLite store: a workspace
// installs through /slack/install, its sealed token lands in the
// slack_installs table, its mention is answered with its own token (also
// after a restart, from the table), and app_uninstalled deletes the row,
// after which it is not answered.
func TestServeSlackOAuthInstallsInSQLite(t *testing.T) {
	fake := newOAuthSlack(t)
	env := oauthEnv(fake.srv.URL)
	db := filepath.Join(t.TempDir(), "news.db")
	env["NEWSBOT_DB"] = db
	row := func() ([]byte, bool) {
		t.Helper()
		conn, err := sql.Open("sqlite", "file:"+filepath.ToSlash(db))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var b []byte
		err = conn.QueryRow(`SELECT token FROM slack_installs WHERE team_id = 'T2'`).Scan(&b)
		if err == sql.ErrNoRows {
			return nil, false
		}
		if err != nil {
			t.Fatal(err)
		}
		return b, true
	}

	one := startServe(t, env)
	if page := install(t, one.base); !strings.Contains(page, "installed in Second Newsroom") {
		t.Errorf("install page: %s", page)
	}
	b, ok := row()
	checkSealed(t, b, ok)
	postSignedEvent(t, one.base, "Ev1", "T2", oauthMention("Ev1", "900.1"))
	if p := fake.waitPosts(t, 1)[0]; p.Token != oauthTeamToken || p.Channel != "C9" {
		t.Errorf("answer posted to %s with token %q, want C9 with T2's", p.Channel, p.Token)
	}
	if err := one.stop(t); err != nil {
		t.Errorf("serve after SIGTERM: %v", err)
	}

	// A restart reads the install from the table.
	two := startServe(t, env)
	postSignedEvent(t, two.base, "Ev2", "T2", oauthMention("Ev2", "900.2"))
	if p := fake.waitPosts(t, 2)[1]; p.Token != oauthTeamToken {
		t.Errorf("after a restart, answered with token %q", p.Token)
	}
	postSignedEvent(t, two.base, "Ev3", "T2", map[string]any{"type": "app_uninstalled"})
	if _, ok := row(); ok {
		t.Error("the slack_installs row is still there after app_uninstalled")
	}
	postSignedEvent(t, two.base, "Ev4", "T2", oauthMention("Ev4", "900.4"))
	if err := two.stop(t); err != nil { // after the answers in flight
		t.Error(err)
	}
	if n := len(fake.snapshot()); n != 2 {
		t.Errorf("%d messages posted, want 2 (none after the uninstall)", n)
	}
	if strings.Contains(two.stderr.String(), oauthTeamToken) || strings.Contains(one.stderr.String(), oauthTeamToken) {
		t.Error("the installed bot token reached the log")
	}
}

// Two instances sharing PostgreSQL: a workspace installed through one is
// answered by the other, and tokens_revoked through the other deletes the
// row for both.
func TestServeSlackOAuthInstallsSharedInPostgres(t *testing.T) {
	fake := newOAuthSlack(t)
	env := oauthEnv(fake.srv.URL)
	dbURL := pgtest.NewDatabase(t)
	env["NEWSBOT_DATABASE_URL"] = dbURL
	env["NEWSBOT_DB"] = filepath.Join(t.TempDir(), "unused.db")
	conn := pgtest.Connect(t, dbURL)
	row := func() ([]byte, bool) {
		t.Helper()
		var b []byte
		err := conn.QueryRow(context.Background(), `SELECT token FROM slack_installs WHERE team_id = 'T2'`).Scan(&b)
		if err != nil && strings.Contains(err.Error(), "no rows") {
			return nil, false
		}
		if err != nil {
			t.Fatal(err)
		}
		return b, true
	}
	one := startServe(t, env)
	two := startServe(t, env)
	install(t, one.base)
	b, ok := row()
	checkSealed(t, b, ok)
	postSignedEvent(t, two.base, "Ev1", "T2", oauthMention("Ev1", "900.1"))
	if p := fake.waitPosts(t, 1)[0]; p.Token != oauthTeamToken {
		t.Errorf("the other instance answered with token %q, want T2's", p.Token)
	}
	postSignedEvent(t, two.base, "Ev2", "T2", map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{"UBOT2"}}})
	if _, ok := row(); ok {
		t.Error("the slack_installs row is still there after tokens_revoked")
	}
	// one never cached T2: it reads the table, finds no install.
	postSignedEvent(t, one.base, "Ev3", "T2", oauthMention("Ev3", "900.3"))
	if err := one.stop(t); err != nil {
		t.Errorf("serve after SIGTERM: %v", err)
	}
	if err := two.stop(t); err != nil {
		t.Errorf("serve after SIGTERM: %v", err)
	}
	if n := len(fake.snapshot()); n != 1 {
		t.Errorf("%d messages posted, want 1 (none after tokens_revoked)", n)
	}
}
