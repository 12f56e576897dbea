package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/internal/server"
)

// lockedBuffer is a bytes.Buffer that serve's logger and the test may use
// at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// served is a `newsbot serve` started by startServe.
type served struct {
	base   string // http://host:port
	stderr *lockedBuffer
	done   chan error
	cancel context.CancelFunc
}

// stop cancels serve as SIGTERM does and returns its error.
func (s *served) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("serve still runs 30s after SIGTERM\n%s", s.stderr.String())
		return nil
	}
}

// startServe runs `newsbot serve` with env (NEWSBOT_HTTP_ADDR defaults to
// a free loopback port) and waits until it listens.
func startServe(t *testing.T, env map[string]string) *served {
	t.Helper()
	if _, ok := env["NEWSBOT_HTTP_ADDR"]; !ok {
		env["NEWSBOT_HTTP_ADDR"] = "127.0.0.1:0"
	}
	if _, ok := env["NEWSBOT_HISTORY_FILE"]; !ok {
		env["NEWSBOT_HISTORY_FILE"] = ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{stderr: &lockedBuffer{}, done: make(chan error, 1), cancel: cancel}
	t.Cleanup(cancel)
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
	case <-time.After(60 * time.Second):
		t.Fatalf("serve does not listen after 60s\n%s", s.stderr.String())
	}
	return s
}

// get fetches base+path and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// signallingSite is newsSite's feed and pages, telling fetched each path
// it serves (without blocking).
func signallingSite(t *testing.T, fetched chan<- string) *httptest.Server {
	t.Helper()
	files := map[string]string{"/rss.xml": "rss.xml", "/news/bridge": "bridge.html", "/news/tram": "tram.html", "/news/library": "library.html"}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join("knowledge", "feed", "testdata", name))
		if err != nil {
			t.Error(err)
		}
		if strings.HasSuffix(name, ".xml") {
			w.Header().Set("Content-Type", "application/rss+xml")
		}
		w.Write(bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte(srv.URL)))
		select {
		case fetched <- r.URL.Path:
		default:
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// With no chat adapter configured, serve runs the feed poller and the HTTP
// endpoints, says so, and stops cleanly.
func TestServeWithoutChatAdapters(t *testing.T) {
	fetched := make(chan string, 16)
	site := signallingSite(t, fetched)
	s := startServe(t, map[string]string{
		"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_FEEDS": site.URL + "/rss.xml", "NEWSBOT_HOST_DELAY": "0s",
	})
	select {
	case p := <-fetched:
		if p != "/rss.xml" {
			t.Errorf("first fetch %s, want the feed", p)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("the feed was not polled within 60s\n%s", s.stderr.String())
	}
	if code, body := get(t, s.base+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if err := s.stop(t); err != nil {
		t.Errorf("serve after SIGTERM: %v", err)
	}
	if log := s.stderr.String(); !strings.Contains(log, "No chat adapter is configured: serving the feed poller and the HTTP endpoints on 127.0.0.1:0 only (feeds: 1).") {
		t.Errorf("serve does not say it runs without chat adapters:\n%s", log)
	}
}

// readyz fetches /readyz and decodes its body.
func readyz(t *testing.T, base string) (int, server.Readiness) {
	t.Helper()
	code, body := get(t, base+"/readyz")
	var r server.Readiness
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("/readyz body %q: %v", body, err)
	}
	return code, r
}

// waitReady polls /readyz until it answers 200 (a wait, not a timing
// assertion: the limit is only there so that a broken build fails).
func waitReady(t *testing.T, s *served) server.Readiness {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, r := readyz(t, s.base)
		if code == http.StatusOK {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 60s: %+v\n%s", r, s.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func check(r server.Readiness, name string) (server.CheckResult, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return server.CheckResult{}, false
}

// /readyz with Slack over HTTP: 503 (slack not connected) while auth.test
// has not answered, 200 once it has, with the store and slack checks.
func TestServeReadinessSlack(t *testing.T) {
	authAsked := make(chan struct{}, 1)
	release := make(chan struct{})
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/auth.test" {
			http.NotFound(w, r)
			return
		}
		select {
		case authAsked <- struct{}{}:
		default:
		}
		<-release
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"team":"Newsroom","user_id":"UBOT","team_id":"T1"}`)
	}))
	defer slack.Close()
	s := startServe(t, map[string]string{
		"NEWSBOT_DB":      filepath.Join(t.TempDir(), "news.db"),
		"SLACK_BOT_TOKEN": "xoxb-serve-test", "SLACK_SIGNING_SECRET": "serve-secret", "SLACK_API_URL": slack.URL + "/api/",
	})
	<-authAsked
	code, r := readyz(t, s.base)
	if c, _ := check(r, "slack"); code != http.StatusServiceUnavailable || r.Ready || c.OK || c.Error == "" {
		t.Errorf("before auth.test answered: %d %+v", code, r)
	}
	if c, ok := check(r, "store"); !ok || !c.OK {
		t.Errorf("store check: %+v", r)
	}
	close(release)
	r = waitReady(t, s)
	if c, ok := check(r, "slack"); !ok || !c.OK {
		t.Errorf("ready without a passing slack check: %+v", r)
	}
	if err := s.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
}

// /readyz with Discord: the gateway connected (the fake's READY), and the
// HTTP interactions endpoint alone (no token) is ready at once.
func TestServeReadinessDiscord(t *testing.T) {
	fake := discordtest.New(t)
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	s := startServe(t, map[string]string{
		"NEWSBOT_DB":        filepath.Join(t.TempDir(), "news.db"),
		"DISCORD_BOT_TOKEN": fake.Token, "DISCORD_API_URL": fake.APIURL(), "DISCORD_PUBLIC_KEY": hex.EncodeToString(pub),
	})
	r := waitReady(t, s)
	if c, ok := check(r, "discord"); !ok || !c.OK {
		t.Errorf("gateway: %+v", r)
	}
	if err := s.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}

	s = startServe(t, map[string]string{
		"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "DISCORD_PUBLIC_KEY": hex.EncodeToString(pub), "DISCORD_APP_ID": "100000000000000001",
	})
	code, r := readyz(t, s.base)
	if c, ok := check(r, "discord"); code != http.StatusOK || !ok || !c.OK {
		t.Errorf("HTTP only: %d %+v", code, r)
	}
	if err := s.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
}

// On PostgreSQL the store check asks the database: ready, every migration
// applied.
func TestServeReadinessPostgres(t *testing.T) {
	s := startServe(t, map[string]string{
		"NEWSBOT_DATABASE_URL": pgtest.NewDatabase(t), "NEWSBOT_DB": filepath.Join(t.TempDir(), "unused.db"),
	})
	code, r := readyz(t, s.base)
	if c, ok := check(r, "store"); code != http.StatusOK || !ok || !c.OK {
		t.Errorf("postgres store: %d %+v", code, r)
	}
	if err := s.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
}

// /metrics after real questions through the Discord fake (one answered,
// one about nothing in the store, one refused by the rate limit) and a feed
// polled: the counters and histograms say so, with bounded labels.
func TestServeMetrics(t *testing.T) {
	fake := discordtest.New(t)
	fetched := make(chan string, 16)
	site := signallingSite(t, fetched)
	s := startServe(t, map[string]string{
		"NEWSBOT_DB":        filepath.Join(t.TempDir(), "news.db"),
		"DISCORD_BOT_TOKEN": fake.Token, "DISCORD_API_URL": fake.APIURL(), "NEWSBOT_RATE_LIMIT": "2",
		"NEWSBOT_FEEDS": site.URL + "/rss.xml", "NEWSBOT_HOST_DELAY": "0s",
	})
	fake.WaitFor("commands registered", func() bool { return fake.CommandsLocked("") != nil })
	ch := fake.AddChannel(discordtest.GuildText)
	alice := discordtest.User("300000000000000001", "alice")
	path := "/channels/" + ch + "/messages"
	fake.Post(discordtest.Say{Channel: ch, Author: alice, Content: "<@" + fake.BotID + "> Who met Vladimir Putin last week?"})
	fake.WaitRequests(1, "POST", path)
	fake.Post(discordtest.Say{Channel: ch, Author: alice, Content: "<@" + fake.BotID + "> What did the zorblax quintessence committee decide?"})
	fake.WaitRequests(2, "POST", path)
	fake.Post(discordtest.Say{Channel: ch, Author: alice, Content: "<@" + fake.BotID + "> And who else?"})
	fake.WaitRequests(3, "POST", path)

	feedURL := site.URL + "/rss.xml"
	want := []string{
		`newsbot_questions_total{adapter="discord",mode="template",outcome="answered"} 1`,
		`newsbot_questions_total{adapter="discord",mode="template",outcome="not_found"} 1`,
		`newsbot_rate_limited_questions_total{adapter="discord"} 1`,
		`newsbot_answer_duration_seconds_count{adapter="discord"} 2`,
		`newsbot_feed_fetches_total{feed="` + feedURL + `"} 1`,
		`newsbot_feed_articles_total{change="added",feed="` + feedURL + `"}`,
		`newsbot_panics_recovered_total `,
		`newsbot_articles_stored `,
		`newsbot_stories_stored `,
		`newsbot_retrieval_duration_seconds_count `,
		`go_goroutines `,
	}
	// The feed round ends in the background: wait for its counters (a
	// wait, not a timing assertion).
	var body string
	deadline := time.Now().Add(60 * time.Second)
	for {
		var code int
		code, body = get(t, s.base+"/metrics")
		if code != http.StatusOK {
			t.Fatalf("/metrics: %d\n%s", code, body)
		}
		if strings.Contains(body, "newsbot_feed_fetches_total{") || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("/metrics lacks %s", w)
		}
	}
	if strings.Contains(body, "zorblax") || strings.Contains(body, "Putin") {
		t.Errorf("/metrics shows what users asked")
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", body)
	}
	if err := s.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
}
