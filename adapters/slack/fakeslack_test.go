package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSlack is a local Slack: the Web API methods the adapter calls
// (auth.test, chat.postMessage, chat.update, chat.postEphemeral,
// apps.connections.open), response_url endpoints, and a Socket Mode
// websocket. It records every call.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	calls   []call
	changed chan struct{} // closed and replaced at each new call
	nextTS  int
	// limited[method] is how many more calls of method get 429.
	limited map[string]int
	// faults[method] are the failures the next calls of method get, in
	// order.
	faults  map[string][]fault
	opens   int // apps.connections.open calls
	sockets chan *websocket.Conn
	// teams[token] is the workspace and bot user of a bot token the fake
	// accepts (testBotToken is T1's UBOT; OAuth installs add theirs).
	teams map[string]fakeTeam
	// codes[code] is the install an OAuth code stands for (oauth.v2.access
	// accepts each once).
	codes map[string]fakeTeam
	// noStream makes chat.startStream fail as for an app without the
	// streaming feature.
	noStream bool
}

// fakeTeam is a workspace newsbot is installed in.
type fakeTeam struct {
	id, name, botUser, token string
}

const (
	testClientID     = "1111.2222"
	testClientSecret = "client-secret-xyz"
)

// call is one request to the fake: a Web API call or a post to a
// response_url.
type call struct {
	Method string // "chat.postMessage", "chat.update", "chat.postEphemeral", "response", or "429 "+method
	Path   string
	// Channel, Thread and TS: chat.* calls (TS is the message's, for
	// chat.update, or the one the fake gave it).
	Channel, Thread, TS string
	Text                string
	Blocks              json.RawMessage
	// ResponseType, ReplaceOriginal, DeleteOriginal: response_url posts.
	ResponseType    string
	ReplaceOriginal bool
	DeleteOriginal  bool
	Raw             string // the request body as received
	// Team is the workspace of the token a Web API call was made with.
	Team string
	// Form is a Web API call's form (assistant.threads.*, chat.*Stream).
	Form url.Values
}

const (
	testBotToken = "xoxb-test-bot-token"
	testAppToken = "xapp-test-app-token"
	testSecret   = "8f742231b10e8888abcd99yyyzzz85a5"
	testBotUser  = "UBOT"
)

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{t: t, changed: make(chan struct{}), nextTS: 1000, limited: map[string]int{}, faults: map[string][]fault{}, sockets: make(chan *websocket.Conn, 4),
		teams: map[string]fakeTeam{testBotToken: {id: "T1", name: "Newsroom", botUser: testBotUser, token: testBotToken}}, codes: map[string]fakeTeam{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", f.api)
	mux.HandleFunc("POST /response/{id}", f.response)
	mux.HandleFunc("GET /socket", f.socket)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

func (f *fakeSlack) responseURL(id string) string { return f.srv.URL + "/response/" + id }

// rateLimit makes the next n calls of method answer 429 with Retry-After: 1.
func (f *fakeSlack) rateLimit(method string, n int) {
	f.mu.Lock()
	f.limited[method] = n
	f.mu.Unlock()
}

func (f *fakeSlack) record(c call) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

// fault is a failure of one call: an HTTP status, and a Retry-After
// header when set.
type fault struct {
	status     int
	retryAfter string
}

// fail makes the next n calls of method ("response" for response_urls)
// fail with status (and Retry-After retryAfter, when not empty).
func (f *fakeSlack) fail(method string, n, status int, retryAfter string) {
	f.mu.Lock()
	for range n {
		f.faults[method] = append(f.faults[method], fault{status, retryAfter})
	}
	f.mu.Unlock()
}

// limit answers 429 when method is rate limited, or the next fault set by
// fail, and reports whether it did.
func (f *fakeSlack) limit(w http.ResponseWriter, method string) bool {
	f.mu.Lock()
	n := f.limited[method]
	if n > 0 {
		f.limited[method] = n - 1
	}
	var ft *fault
	if q := f.faults[method]; n == 0 && len(q) > 0 {
		ft, f.faults[method] = &q[0], q[1:]
	}
	f.mu.Unlock()
	if ft != nil {
		f.record(call{Method: fmt.Sprintf("%d %s", ft.status, method)})
		if ft.retryAfter != "" {
			w.Header().Set("Retry-After", ft.retryAfter)
		}
		http.Error(w, "fault", ft.status)
		return true
	}
	if n == 0 {
		return false
	}
	f.record(call{Method: "429 " + method})
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusTooManyRequests)
	return true
}

func writeOK(w http.ResponseWriter, v map[string]any) {
	v["ok"] = true
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) api(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == "" {
		token = form.Get("token")
	}
	if method == "oauth.v2.access" {
		f.oauthAccess(w, form)
		return
	}
	f.mu.Lock()
	team, known := f.teams[token]
	f.mu.Unlock()
	if method == "apps.connections.open" {
		known = token == testAppToken
	}
	if !known {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	if f.limit(w, method) {
		return
	}
	switch method {
	case "auth.test":
		writeOK(w, map[string]any{"url": "https://newsroom.slack.com/", "team": team.name, "user": "newsbot", "team_id": team.id, "user_id": team.botUser, "bot_id": "BBOT"})
	case "assistant.threads.setSuggestedPrompts", "assistant.threads.setStatus", "assistant.threads.setTitle":
		if form.Get("channel_id") == "" || form.Get("thread_ts") == "" {
			writeJSON(w, map[string]any{"ok": false, "error": "invalid_arguments"})
			return
		}
		if method == "assistant.threads.setSuggestedPrompts" {
			var ps []struct{ Title, Message string }
			if err := json.Unmarshal([]byte(form.Get("prompts")), &ps); err != nil || len(ps) == 0 || len(ps) > 4 {
				f.t.Errorf("setSuggestedPrompts: prompts %q are not 1 to 4 prompts (%v)", form.Get("prompts"), err)
			}
		}
		f.record(call{Method: method, Channel: form.Get("channel_id"), Thread: form.Get("thread_ts"), Text: form.Get("status") + form.Get("title"), Raw: string(body), Team: team.id, Form: form})
		writeOK(w, map[string]any{})
	case "chat.startStream", "chat.appendStream", "chat.stopStream":
		f.mu.Lock()
		noStream := f.noStream
		f.mu.Unlock()
		if noStream {
			f.record(call{Method: "refused " + method, Team: team.id})
			writeJSON(w, map[string]any{"ok": false, "error": "feature_not_enabled"})
			return
		}
		c := call{Method: method, Channel: form.Get("channel"), Thread: form.Get("thread_ts"), TS: form.Get("ts"), Text: form.Get("markdown_text"), Raw: string(body), Team: team.id, Form: form}
		if method == "chat.startStream" {
			if c.Thread == "" {
				f.t.Errorf("chat.startStream without thread_ts: %s", body)
			}
			f.mu.Lock()
			f.nextTS++
			c.TS = fmt.Sprintf("1700000000.%06d", f.nextTS)
			f.mu.Unlock()
		}
		f.record(c)
		writeOK(w, map[string]any{"channel": c.Channel, "ts": c.TS})
	case "apps.connections.open":
		f.mu.Lock()
		f.opens++
		f.mu.Unlock()
		writeOK(w, map[string]any{"url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/socket"})
	case "chat.postMessage", "chat.update", "chat.postEphemeral":
		c := call{Method: method, Channel: form.Get("channel"), Thread: form.Get("thread_ts"), TS: form.Get("ts"),
			Text: form.Get("text"), Blocks: json.RawMessage(form.Get("blocks")), Raw: string(body), Team: team.id}
		if method != "chat.update" {
			f.mu.Lock()
			f.nextTS++
			c.TS = fmt.Sprintf("1700000000.%06d", f.nextTS)
			f.mu.Unlock()
		}
		f.record(c)
		writeOK(w, map[string]any{"channel": c.Channel, "ts": c.TS})
	default:
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

// install makes code an OAuth code for a new workspace team, whose bot
// token is token.
func (f *fakeSlack) install(code string, team fakeTeam) {
	f.mu.Lock()
	f.codes[code] = team
	f.mu.Unlock()
}

// oauthAccess is oauth.v2.access: the client's credentials and a code
// given once for the redirect_uri of the install.
func (f *fakeSlack) oauthAccess(w http.ResponseWriter, form url.Values) {
	f.mu.Lock()
	team, ok := f.codes[form.Get("code")]
	delete(f.codes, form.Get("code"))
	if ok {
		f.teams[team.token] = team
	}
	f.mu.Unlock()
	f.record(call{Method: "oauth.v2.access", Team: team.id, Form: form})
	switch {
	case form.Get("client_id") != testClientID || form.Get("client_secret") != testClientSecret:
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_client_id"})
	case !ok:
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_code"})
	case !strings.HasSuffix(form.Get("redirect_uri"), "/slack/oauth/callback"):
		writeJSON(w, map[string]any{"ok": false, "error": "bad_redirect_uri"})
	default:
		writeOK(w, map[string]any{
			"access_token": team.token, "token_type": "bot", "scope": "app_mentions:read,chat:write,commands",
			"bot_user_id": team.botUser, "app_id": "A1", "team": map[string]any{"id": team.id, "name": team.name},
			"enterprise": nil, "is_enterprise_install": false, "authed_user": map[string]any{"id": "U77"},
		})
	}
}

// revoke makes Slack refuse token from now on.
func (f *fakeSlack) revoke(token string) {
	f.mu.Lock()
	delete(f.teams, token)
	f.mu.Unlock()
}

func (f *fakeSlack) response(w http.ResponseWriter, r *http.Request) {
	if f.limit(w, "response") {
		return
	}
	body, _ := io.ReadAll(r.Body)
	var m struct {
		Text            string          `json:"text"`
		Blocks          json.RawMessage `json:"blocks"`
		ResponseType    string          `json:"response_type"`
		ReplaceOriginal bool            `json:"replace_original"`
		DeleteOriginal  bool            `json:"delete_original"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		f.t.Errorf("response_url got malformed JSON: %v\n%s", err, body)
	}
	f.record(call{Method: "response", Path: r.URL.Path, Text: m.Text, Blocks: m.Blocks, ResponseType: m.ResponseType,
		ReplaceOriginal: m.ReplaceOriginal, DeleteOriginal: m.DeleteOriginal, Raw: string(body)})
	w.Header().Set("Content-Type", "text/html")
	io.WriteString(w, "ok")
}

// upgrader accepts the Origin slack-go sends, as Slack does.
var upgrader = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { return r.Header.Get("Origin") == "https://api.slack.com" }}

func (f *fakeSlack) socket(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		f.t.Errorf("socket upgrade: %v", err)
		return
	}
	f.sockets <- conn
}

// snapshot returns the calls so far.
func (f *fakeSlack) snapshot() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// waitFor waits until n calls match ok and returns them. It fails the test
// after 20 seconds (a deadlock guard, not a timing assertion).
func (f *fakeSlack) waitFor(n int, ok func(call) bool) []call {
	f.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		f.mu.Lock()
		var got []call
		for _, c := range f.calls {
			if ok(c) {
				got = append(got, c)
			}
		}
		ch := f.changed
		f.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-deadline:
			f.t.Fatalf("waited for %d matching calls, have %d; all calls: %+v", n, len(got), f.snapshot())
		}
	}
}

func isMethod(m string) func(call) bool { return func(c call) bool { return c.Method == m } }

// sign adds Slack's signature headers to r for body at time at.
func sign(r *http.Request, secret string, at time.Time, body string) {
	ts := fmt.Sprint(at.Unix())
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// post sends body to url as Slack does: signed now with the test secret.
func post(t testing.TB, url, contentType, body string, header ...string) *http.Response {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", contentType)
	sign(r, testSecret, time.Now(), body)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return do(t, r)
}

func do(t testing.TB, r *http.Request) *http.Response {
	t.Helper()
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// triggers numbers the trigger_ids of test slash commands: each is new,
// as Slack's are.
var triggers atomic.Int64

func newTriggerID() string { return fmt.Sprintf("%d.2.3", triggers.Add(1)) }

// commandForm is a slash command as Slack posts it, with a new trigger_id.
func commandForm(text, responseURL string) string {
	return url.Values{
		"token": {"legacy-verification-token"}, "team_id": {"T1"}, "team_domain": {"newsroom"},
		"channel_id": {"C1"}, "channel_name": {"general"}, "user_id": {"U1"}, "user_name": {"ada"},
		"command": {"/news"}, "text": {text}, "response_url": {responseURL}, "trigger_id": {newTriggerID()},
		"api_app_id": {"A1"},
	}.Encode()
}

// eventJSON is an Events API event_callback carrying inner.
func eventJSON(eventID string, inner map[string]any) string {
	b, _ := json.Marshal(map[string]any{
		"token": "legacy-verification-token", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": 1700000000, "event": inner,
	})
	return string(b)
}

func mention(channel, user, ts, threadTS, text string) map[string]any {
	m := map[string]any{"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts}
	if threadTS != "" {
		m["thread_ts"] = threadTS
	}
	return m
}
