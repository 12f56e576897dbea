package feed_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/sqlite"
	"github.com/newsbot/newsbot/knowledge/web"
)

// site is a local web server for the saved fixtures in testdata/, with
// {{BASE}} in them replaced by its URL. It answers conditional requests
// with 304, counts requests per path, and lets a test replace any route.
type site struct {
	*httptest.Server
	t *testing.T

	mu       sync.Mutex
	hits     map[string]int
	override map[string]http.HandlerFunc
	files    map[string]string // path -> fixture
	types    map[string]string // path -> Content-Type
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{t: t, hits: map[string]int{}, override: map[string]http.HandlerFunc{},
		files: map[string]string{
			"/rss.xml":          "rss.xml",
			"/atom.xml":         "atom.xml",
			"/feed.json":        "feed.json",
			"/malformed.xml":    "malformed.xml",
			"/news/bridge":      "bridge.html",
			"/amp/news/bridge":  "bridge-amp.html",
			"/news/tram":        "tram.html",
			"/news/library":     "library.html",
			"/news/quota":       "quota-cp1252.html",
			"/news/final":       "final.html",
			"/news/library-hrs": "library.html",
		},
		types: map[string]string{
			"/rss.xml": "application/rss+xml", "/atom.xml": "application/atom+xml", "/feed.json": "application/feed+json",
			"/malformed.xml": "application/rss+xml", "/news/quota": "text/html",
		},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	h := s.override[r.URL.Path]
	s.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	switch r.URL.Path {
	case "/news/redirect-me":
		http.Redirect(w, r, "/news/final", http.StatusMovedPermanently)
		return
	case "/s/1001":
		http.Redirect(w, r, "/amp/news/bridge", http.StatusFound)
		return
	}
	name, ok := s.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.serveBytes(w, r, s.fixture(name), s.types[r.URL.Path])
}

// serveBytes serves body with an ETag, answering If-None-Match with 304.
func (s *site) serveBytes(w http.ResponseWriter, r *http.Request, body []byte, ctype string) {
	sum := sha1.Sum(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if ctype == "" {
		ctype = "text/html; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(body)
}

// fixture reads testdata/name with {{BASE}} replaced.
func (s *site) fixture(name string) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		s.t.Fatal(err)
	}
	return bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte(s.URL))
}

// handle replaces the handler of path.
func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override[path] = h
}

// serveText makes path serve body (with an ETag).
func (s *site) serveText(path, ctype, body string) {
	s.handle(path, func(w http.ResponseWriter, r *http.Request) { s.serveBytes(w, r, []byte(body), ctype) })
}

func (s *site) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// env is a poller over a real SQLite store, with a clock the test moves.
type env struct {
	store  *sqlite.Store
	poller *feed.Poller
	index  *index.Index
	now    time.Time
	mu     sync.Mutex
}

func newEnv(t *testing.T, feeds ...string) *env {
	t.Helper()
	st := testkit.Store(t)
	e := &env{store: st, now: time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)}
	var srcs []feed.Source
	for _, f := range feeds {
		srcs = append(srcs, feed.Source{URL: f})
	}
	e.poller = &feed.Poller{
		Sources: srcs,
		Client:  &web.Client{HostDelay: -1, Timeout: 5 * time.Second, Robots: true},
		Store:   st, State: st,
		Interval: 30 * time.Minute,
		Now:      e.clock,
	}
	e.index = index.NewIndex(st, nil)
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func (e *env) poll(t *testing.T, force bool) feed.Round {
	t.Helper()
	r, err := e.poller.Poll(context.Background(), force)
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	return r
}

// article returns the stored article with url (normalised), or nil.
func (e *env) article(t *testing.T, url string) *knowledge.Article {
	t.Helper()
	a, err := e.store.Article(context.Background(), knowledge.ArticleID(&knowledge.Article{URL: url}))
	if err != nil {
		return nil
	}
	return a
}

func (e *env) count(t *testing.T) int {
	t.Helper()
	st, err := e.store.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Articles
}

// state returns the stored state of one feed.
func (e *env) state(t *testing.T, url string) feed.FeedState {
	t.Helper()
	sts, err := e.store.FeedStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sts {
		if s.URL == url {
			return s
		}
	}
	t.Fatalf("no state for %s", url)
	return feed.FeedState{}
}

func text(a *knowledge.Article) string { return strings.Join(a.Paragraphs, "\n") }
