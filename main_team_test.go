package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
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
