package slack

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	testTeam2Token = "xoxb-team2-secret-token"
	testRedirect   = "https://newsbot.example/slack/oauth/callback"
)

var testTokenKey = bytes.Repeat([]byte{7}, 32)

var team2 = fakeTeam{id: "T2", name: "Second & <Co>", botUser: "UBOT2", token: testTeam2Token}

func oauthOptions(store TokenStore) Options {
	return Options{ClientID: testClientID, ClientSecret: testClientSecret, RedirectURL: testRedirect, Installs: store, TokenKey: testTokenKey}
}

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, rawURL string, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	for _, c := range cookies {
		if c != nil {
			r.AddCookie(c)
		}
	}
	res, err := noRedirects.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// startInstall opens /slack/install and returns the state Slack would
// send back and the browser's cookie.
func startInstall(t *testing.T, h *harness) (string, *http.Cookie) {
	t.Helper()
	res, _ := get(t, h.app.URL+"/slack/install")
	if res.StatusCode != http.StatusFound {
		t.Fatalf("/slack/install: status %d, want a redirect", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if want := h.slack.srv.URL + "/oauth/v2/authorize"; loc.Scheme+"://"+loc.Host+loc.Path != want {
		t.Errorf("redirect to %s, want %s", loc, want)
	}
	q := loc.Query()
	if q.Get("client_id") != testClientID || q.Get("redirect_uri") != testRedirect || q.Get("state") == "" {
		t.Errorf("consent page query = %v", q)
	}
	for _, s := range []string{"app_mentions:read", "channels:history", "groups:history", "im:history", "chat:write", "commands", "assistant:write"} {
		if !strings.Contains(","+q.Get("scope")+",", ","+s+",") {
			t.Errorf("scope %q lacks %s", q.Get("scope"), s)
		}
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == stateCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("state cookie = %+v, want HttpOnly, Secure, SameSite=Lax", cookie)
	}
	return q.Get("state"), cookie
}

// A second workspace installs newsbot through OAuth v2; its bot token is
// kept sealed (the store never sees it), its events are answered with it,
// BotToken's workspace keeps working, and app_uninstalled forgets it.
func TestOAuthInstallAnswersAndUninstall(t *testing.T) {
	store := &MemoryTokenStore{}
	fa := okAsker()
	h := newHarness(t, fa, oauthOptions(store))
	state, cookie := startInstall(t, h)
	h.slack.install("code-T2", team2)
	res, page := get(t, h.app.URL+"/slack/oauth/callback?code=code-T2&state="+url.QueryEscape(state), cookie)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "installed in Second &amp; &lt;Co&gt;") {
		t.Fatalf("callback: %d %s", res.StatusCode, page)
	}
	sealed, err := store.Get(context.Background(), "T2")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte(testTeam2Token)) || bytes.Contains(sealed, []byte("UBOT2")) {
		t.Error("the store holds the bot token in the clear")
	}
	ex := h.slack.waitFor(1, isMethod("oauth.v2.access"))[0]
	if ex.Form.Get("code") != "code-T2" || ex.Form.Get("redirect_uri") != testRedirect {
		t.Errorf("oauth.v2.access form = %v", ex.Form)
	}

	// T2's mention is answered with T2's token; its bot user is UBOT2.
	postEventJSON(t, h, teamEventJSON("EvT2", "T2", mention("C9", "U9", "900.1", "", "<@UBOT2> Who met Vladimir Putin?")))
	// T1 (SLACK_BOT_TOKEN) still works.
	postEvent(t, h, "EvT1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin?"))
	posts := h.slack.waitFor(2, isMethod("chat.postMessage"))
	byChannel := map[string]string{}
	for _, p := range posts {
		byChannel[p.Channel] = p.Team
	}
	if byChannel["C9"] != "T2" || byChannel["C1"] != "T1" {
		t.Errorf("answers posted with the tokens of %v, want C9 with T2's and C1 with T1's", byChannel)
	}
	if qs := questions(fa); len(qs) != 2 || qs[0] != "Who met Vladimir Putin?" || qs[1] != qs[0] {
		t.Errorf("asked %q (the bot mention of each workspace removed)", qs)
	}

	// Uninstalled: the installation is gone, T2's events are not answered.
	postEventJSON(t, h, teamEventJSON("EvU2", "T2", map[string]any{"type": "app_uninstalled"}))
	if _, err := store.Get(context.Background(), "T2"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("after app_uninstalled Get = %v, want ErrNotInstalled", err)
	}
	postEventJSON(t, h, teamEventJSON("EvT2b", "T2", mention("C9", "U9", "900.5", "", "<@UBOT2> again?")))
	postEvent(t, h, "EvT1b", mention("C1", "U1", "100.5", "", "<@UBOT> and now?"))
	h.slack.waitFor(3, isMethod("chat.postMessage"))
	h.stop(t)
	n := 0
	for _, p := range h.slack.snapshot() {
		if p.Method == "chat.postMessage" && p.Channel == "C9" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d answers in T2's C9, want 1 (none after the uninstall)", n)
	}
	if !strings.Contains(h.logs.String(), "app uninstalled: installation forgotten") {
		t.Errorf("no log of the uninstall:\n%s", h.logs.String())
	}
}

// teamEventJSON is eventJSON from another workspace.
func teamEventJSON(id, team string, inner map[string]any) string {
	return strings.Replace(eventJSON(id, inner), `"team_id":"T1"`, `"team_id":"`+team+`"`, 1)
}

func postEventJSON(t *testing.T, h *harness, body string) {
	t.Helper()
	if res := post(t, h.app.URL+"/slack/events", "application/json", body); res.StatusCode != http.StatusOK {
		t.Fatalf("event: status %d", res.StatusCode)
	}
}

// With only OAuth installs (no SLACK_BOT_TOKEN), an installed workspace is
// answered and tokens_revoked for its bot forgets it.
func TestOAuthOnlyAndTokensRevoked(t *testing.T) {
	store := &MemoryTokenStore{}
	fa := okAsker()
	opt := oauthOptions(store)
	opt.BotToken = noBotToken
	h := newHarness(t, fa, opt)
	state, cookie := startInstall(t, h)
	h.slack.install("code-T2", team2)
	if res, page := get(t, h.app.URL+"/slack/oauth/callback?state="+url.QueryEscape(state)+"&code=code-T2", cookie); res.StatusCode != http.StatusOK {
		t.Fatalf("callback: %d %s", res.StatusCode, page)
	}
	postEventJSON(t, h, teamEventJSON("EvR1", "T2", dmMessage("D9", "U9", "10.1", "", "Who met Vladimir Putin?")))
	if p := h.slack.waitFor(1, isMethod("chat.postMessage"))[0]; p.Team != "T2" {
		t.Errorf("posted with %s's token", p.Team)
	}
	// T1 has no installation and there is no BotToken: not answered.
	postEvent(t, h, "EvR2", dmMessage("D1", "U1", "10.2", "", "Who?"))
	postEventJSON(t, h, teamEventJSON("EvR3", "T2", map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{"UBOT2"}}}))
	if _, err := store.Get(context.Background(), "T2"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("after tokens_revoked Get = %v, want ErrNotInstalled", err)
	}
	h.stop(t)
	if n := len(h.slack.waitFor(1, isMethod("chat.postMessage"))); n != 1 {
		t.Errorf("%d answers, want T2's only", n)
	}
}

// The callback refuses what an attacker could send: no cookie, another
// browser's cookie, a forged or replayed state; Slack's errors (the user
// cancelled, a bad code) are pages, and nothing is stored.
func TestOAuthCallbackRefusals(t *testing.T) {
	store := &MemoryTokenStore{}
	h := newHarness(t, okAsker(), oauthOptions(store))
	state, cookie := startInstall(t, h)
	_, other := startInstall(t, h)
	h.slack.install("code-T2", team2)
	cb := h.app.URL + "/slack/oauth/callback?code=code-T2&state="
	forged := []byte(state)
	forged[3] ^= 1
	cases := []struct {
		name   string
		url    string
		cookie *http.Cookie
		status int
	}{
		{"no cookie", cb + url.QueryEscape(state), nil, http.StatusBadRequest},
		{"another browser's cookie", cb + url.QueryEscape(state), other, http.StatusBadRequest},
		{"forged state", cb + url.QueryEscape(string(forged)), cookie, http.StatusBadRequest},
		{"no state", cb, cookie, http.StatusBadRequest},
		{"cancelled", h.app.URL + "/slack/oauth/callback?error=access_denied&state=" + url.QueryEscape(state), cookie, http.StatusOK},
	}
	for _, c := range cases {
		res, page := get(t, c.url, c.cookie)
		if res.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d (%s)", c.name, res.StatusCode, c.status, page)
		}
	}
	if _, err := store.Get(context.Background(), "T2"); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("a refused callback stored an installation (%v)", err)
	}
	// A bad code: Slack refuses it; then the state, used once, is spent.
	if res, page := get(t, h.app.URL+"/slack/oauth/callback?code=nope&state="+url.QueryEscape(state), cookie); res.StatusCode != http.StatusBadGateway {
		t.Errorf("bad code: %d %s", res.StatusCode, page)
	}
	if res, _ := get(t, cb+url.QueryEscape(state), cookie); res.StatusCode != http.StatusBadRequest {
		t.Errorf("replayed state: status %d, want 400", res.StatusCode)
	}
	if _, err := store.Get(context.Background(), "T2"); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("stored an installation (%v)", err)
	}
	// An expired state.
	f := h.adapter.oauth
	st, nonce := f.newState(time.Now().Add(-stateTTL - time.Minute))
	if _, err := f.checkState(st, nonce, time.Now()); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired state: %v", err)
	}
	if _, err := f.checkState(st, nonce, time.Now().Add(-stateTTL-time.Minute)); err != nil {
		t.Errorf("fresh state refused: %v", err)
	}
}

// Sealed installations open only with their key and for their team, and
// not once tampered with.
func TestSealedInstallation(t *testing.T) {
	s, err := newSealer(testTokenKey)
	if err != nil {
		t.Fatal(err)
	}
	in := Installation{TeamID: "T2", BotToken: testTeam2Token, BotUserID: "UBOT2", InstalledAt: time.Unix(1700000000, 0).UTC()}
	sealed, err := s.seal(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.open("T2", sealed); err != nil || got != in {
		t.Fatalf("open = %+v, %v", got, err)
	}
	if _, err := s.open("T3", sealed); err == nil {
		t.Error("T2's row opened as T3's")
	}
	other, _ := newSealer(bytes.Repeat([]byte{8}, 32))
	if _, err := other.open("T2", sealed); err == nil {
		t.Error("opened with another key")
	}
	bad := append([]byte(nil), sealed...)
	bad[len(bad)-1] ^= 1
	if _, err := s.open("T2", bad); err == nil {
		t.Error("a tampered row opened")
	}
	if _, err := newSealer([]byte("short")); err == nil {
		t.Error("a 5-byte key was taken")
	}
}

// mapTable is an InstallTable in memory, as the stores' tables behave;
// with fail set every call fails.
type mapTable struct {
	m    map[string][]byte
	fail error
}

func (t *mapTable) SaveSlackInstall(_ context.Context, team string, sealed []byte) error {
	if t.fail != nil {
		return t.fail
	}
	if t.m == nil {
		t.m = map[string][]byte{}
	}
	t.m[team] = sealed
	return nil
}

func (t *mapTable) SlackInstall(_ context.Context, team string) ([]byte, bool, error) {
	b, ok := t.m[team]
	return b, ok, t.fail
}

func (t *mapTable) DeleteSlackInstall(_ context.Context, team string) error {
	delete(t.m, team)
	return t.fail
}

// TableTokenStore maps a table's "none" to ErrNotInstalled and wraps its
// errors with the operation.
func TestTableTokenStore(t *testing.T) {
	ctx := context.Background()
	tab := &mapTable{}
	s := TableTokenStore{Table: tab}
	if _, err := s.Get(ctx, "T1"); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("empty table: %v", err)
	}
	if err := s.Put(ctx, "T1", []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, "T1"); err != nil || !bytes.Equal(got, []byte{1, 2, 3}) {
		t.Errorf("Get = %v, %v", got, err)
	}
	if err := s.Delete(ctx, "T1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "T1"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("after Delete: %v", err)
	}
	down := errors.New("database is down")
	tab.fail = down
	for op, err := range map[string]error{
		"save install": s.Put(ctx, "T1", nil), "delete install": s.Delete(ctx, "T1"),
		"read install": func() error { _, err := s.Get(ctx, "T1"); return err }(),
	} {
		if !errors.Is(err, down) || errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "slack: "+op) {
			t.Errorf("%s on a failing table: %v", op, err)
		}
	}
}

// panicStore panics on Put (a broken store driver).
type panicStore struct{ MemoryTokenStore }

func (*panicStore) Put(context.Context, string, []byte) error { panic("store driver bug") }

// A panic while finishing an install is a 500 page and a log line with the
// stack; newsbot goes on serving.
func TestOAuthCallbackRecoversFromPanic(t *testing.T) {
	h := newHarness(t, okAsker(), oauthOptions(&panicStore{}))
	state, cookie := startInstall(t, h)
	h.slack.install("code-T2", team2)
	res, page := get(t, h.app.URL+"/slack/oauth/callback?code=code-T2&state="+url.QueryEscape(state), cookie)
	if res.StatusCode != http.StatusInternalServerError || !strings.Contains(page, "try again") {
		t.Errorf("callback after a panic: %d %s", res.StatusCode, page)
	}
	if !strings.Contains(h.logs.String(), "store driver bug") {
		t.Errorf("the panic is not logged:\n%s", h.logs.String())
	}
	if res, _ := get(t, h.app.URL+"/slack/install"); res.StatusCode != http.StatusFound {
		t.Errorf("after the panic /slack/install answers %d", res.StatusCode)
	}
}
