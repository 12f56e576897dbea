package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestConditionalGetAndUserAgent(t *testing.T) {
	var agents []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 16 Apr 2025 10:00:00 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Wed, 16 Apr 2025 10:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("<rss/>"))
	}))
	defer srv.Close()
	c := &Client{UserAgent: "newsbot-test/1 (+https://example.org/contact)", HostDelay: -1}
	ctx := context.Background()
	r1, err := c.Get(ctx, Request{URL: srv.URL})
	if err != nil || r1.NotModified || string(r1.Body) != "<rss/>" || r1.ETag != `"v1"` {
		t.Fatalf("first get: %+v, %v", r1, err)
	}
	r2, err := c.Get(ctx, Request{URL: srv.URL, ETag: r1.ETag, LastModified: r1.LastModified})
	if err != nil || !r2.NotModified || len(r2.Body) != 0 {
		t.Fatalf("conditional get: %+v, %v; want 304", r2, err)
	}
	for _, a := range agents {
		if a != c.UserAgent {
			t.Errorf("User-Agent %q, want %q", a, c.UserAgent)
		}
	}
}

func TestStatusErrorsAndRetryAfter(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/broken":
			http.Error(w, "oops", http.StatusInternalServerError)
		case "/busy":
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "later", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	c := &Client{HostDelay: -1}
	ctx := context.Background()
	for path, code := range map[string]int{"/missing": 404, "/broken": 500} {
		_, err := c.Get(ctx, Request{URL: srv.URL + path})
		var se *StatusError
		if !errors.As(err, &se) || se.Code != code || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want a StatusError %d naming the URL", path, err, code)
		}
		if _, ok := RetryAt(err); ok {
			t.Errorf("%s: RetryAt set without Retry-After", path)
		}
	}
	before := time.Now()
	_, err := c.Get(ctx, Request{URL: srv.URL + "/busy"})
	at, ok := RetryAt(err)
	if !ok || at.Before(before.Add(59*time.Minute)) {
		t.Fatalf("503 with Retry-After 3600: %v (retry at %v)", err, at)
	}
	// The whole host is left alone until then; no request is sent.
	n := hits.Load()
	_, err = c.Get(ctx, Request{URL: srv.URL + "/missing"})
	var we *WaitError
	if !errors.As(err, &we) || hits.Load() != n {
		t.Errorf("request to a host that asked to wait: %v (%d requests sent)", err, hits.Load()-n)
	}
}

func TestRetryAfterFormats(t *testing.T) {
	now := time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"120", now.Add(2 * time.Minute), true},
		{"Wed, 16 Apr 2025 13:00:00 GMT", now.Add(time.Hour), true},
		{"999999999", now.Add(24 * time.Hour), true},
		{"soon", time.Time{}, false},
		{"-5", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	var sent atomic.Int64
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/announced" {
			w.Header().Set("Content-Length", "52428800")
			w.WriteHeader(http.StatusOK)
			return
		}
		defer close(done)
		chunk := make([]byte, 64<<10)
		for sent.Load() < 50<<20 { // 50 MB, streamed without a length
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c := &Client{MaxBytes: 1 << 20, HostDelay: -1}
	resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/stream"})
	if !errors.Is(err, ErrTooLarge) || resp != nil {
		t.Fatalf("50 MB body: %v, %v; want ErrTooLarge and no response", resp, err)
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the server kept sending after the client gave up")
	}
	if n := sent.Load(); n >= 50<<20 {
		t.Errorf("the whole 50 MB was sent (%d bytes); the client should hang up at the limit", n)
	}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/announced"}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("announced 50 MB: %v, want ErrTooLarge", err)
	}
}

func TestTimeoutAndRedirects(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-release:
			}
		case "/old":
			http.Redirect(w, r, "/middle", http.StatusMovedPermanently)
		case "/middle":
			http.Redirect(w, r, "/new", http.StatusFound)
		case "/new":
			w.Write([]byte("here"))
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		}
	}))
	defer srv.Close()
	defer close(release)
	c := &Client{Timeout: 100 * time.Millisecond, HostDelay: -1}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/slow"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow server: %v, want a deadline error", err)
	}
	c = &Client{HostDelay: -1}
	resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/old"})
	if err != nil || resp.URL != srv.URL+"/new" || string(resp.Body) != "here" {
		t.Errorf("redirects: %+v, %v; want the final URL", resp, err)
	}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/loop"}); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: %v", err)
	}
	if _, err := c.Get(context.Background(), Request{URL: "ftp://example.com/x"}); err == nil {
		t.Error("ftp URL: nil error")
	}
}

func TestPerHostConcurrency(t *testing.T) {
	for _, per := range []int{1, 2} {
		var cur, peak atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := cur.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(20 * time.Millisecond) // give others the chance to overlap
			cur.Add(-1)
		}))
		c := &Client{PerHost: per, HostDelay: -1}
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Get(context.Background(), Request{URL: srv.URL}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		srv.Close()
		if p := peak.Load(); p > int32(per) {
			t.Errorf("PerHost %d: %d requests ran at once", per, p)
		}
	}
}

func TestHostDelaySpacesRequestStarts(t *testing.T) {
	c := &Client{HostDelay: time.Hour, MaxWait: time.Minute}
	c.init()
	h := c.host("example.com")
	release, err := h.acquire(context.Background(), c.maxWait())
	if err != nil {
		t.Fatal(err)
	}
	release()
	// The next request's turn is an hour away: it waits, and gives up with
	// its context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.acquire(ctx, c.maxWait()); !errors.Is(err, context.Canceled) {
		t.Errorf("second request within the delay: %v, want to wait (and be cancelled)", err)
	}
	if wait := time.Until(h.next); wait < 59*time.Minute {
		t.Errorf("next start in %v, want about 2 hours of reservations", wait)
	}
}

func TestIsNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there now
	c := &Client{HostDelay: -1}
	_, err := c.Get(context.Background(), Request{URL: addr})
	if err == nil || !IsNetworkError(err) {
		t.Errorf("closed port: %v, IsNetworkError = false", err)
	}
	if IsNetworkError(&StatusError{URL: addr, Code: 500}) {
		t.Error("a 500 counted as a network error")
	}
}

func TestRobotsTxt(t *testing.T) {
	var robotsHits, pageHits atomic.Int32
	body := "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.001\n"
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsHits.Add(1)
			if status != http.StatusOK {
				http.Error(w, "no", status)
				return
			}
			w.Write([]byte(body))
			return
		}
		pageHits.Add(1)
		w.Write([]byte("page"))
	}))
	defer srv.Close()
	ctx := context.Background()
	c := &Client{HostDelay: -1, Robots: true}
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/private/a", Page: true}); !errors.Is(err, ErrDisallowed) {
		t.Errorf("disallowed page: %v", err)
	}
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/public/a", Page: true}); err != nil {
		t.Errorf("allowed page: %v", err)
	}
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/private/feed.xml"}); err != nil {
		t.Errorf("a feed (not a page) under a disallowed path: %v", err)
	}
	if n := robotsHits.Load(); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once (cached)", n)
	}
	if n := pageHits.Load(); n != 2 {
		t.Errorf("%d pages fetched, want 2", n)
	}
	// Robots off: everything goes.
	c = &Client{HostDelay: -1}
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/private/a", Page: true}); err != nil {
		t.Errorf("robots disabled: %v", err)
	}
	// A missing robots.txt allows all; a failing one allows nothing.
	status = http.StatusNotFound
	c = &Client{HostDelay: -1, Robots: true}
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/private/a", Page: true}); err != nil {
		t.Errorf("robots.txt 404: %v", err)
	}
	status = http.StatusInternalServerError
	c = &Client{HostDelay: -1, Robots: true}
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/public/a", Page: true}); err == nil || !strings.Contains(err.Error(), "robots.txt") {
		t.Errorf("robots.txt 500: %v, want pages refused", err)
	}
}

func TestParseRobots(t *testing.T) {
	const txt = `# comment
User-agent: Googlebot
Disallow: /

User-agent: newsbot
User-agent: otherbot
Disallow: /news/private
Allow: /news/private/open$
Disallow: /*.pdf$
Disallow: /search?
Crawl-delay: 5

User-agent: *
Disallow: /tmp/
`
	tests := []struct {
		agent, path string
		want        bool
	}{
		{"newsbot", "/news/world", true},
		{"newsbot", "/news/private/x", false},
		{"newsbot", "/news/private/open", true},
		{"newsbot", "/news/private/open/more", false},
		{"newsbot", "/files/report.pdf", false},
		{"newsbot", "/files/report.pdf?x=1", true},
		{"newsbot", "/search?q=x", false},
		{"newsbot", "/tmp/a", true}, // its own group replaces *
		{"NewsBot", "/news/private/x", false},
		{"somebot", "/tmp/a", false},
		{"somebot", "/news/private/x", true},
		{"googlebot", "/anything", false},
		{"googlebot", "/robots.txt", true},
	}
	for _, tt := range tests {
		u, _ := url.Parse("https://example.com" + tt.path)
		if got := ParseRobots([]byte(txt), tt.agent).Allowed(u); got != tt.want {
			t.Errorf("%s %s: allowed = %v, want %v", tt.agent, tt.path, got, tt.want)
		}
	}
	if d := ParseRobots([]byte(txt), "newsbot").CrawlDelay; d != 5*time.Second {
		t.Errorf("Crawl-delay = %v, want 5s", d)
	}
}

func TestDecodeHTML(t *testing.T) {
	cp1252 := []byte("<p>caf\xe9 \x93quoted\x94 \x80 5</p>")
	want := "<p>café “quoted” € 5</p>"
	tests := []struct {
		name, ctype string
		body        []byte
		want        string
	}{
		{"header", "text/html; charset=windows-1252", cp1252, want},
		{"meta", "text/html", append([]byte(`<meta charset="windows-1252">`), cp1252...), `<meta charset="windows-1252">` + want},
		{"latin1 means 1252", "text/html; charset=ISO-8859-1", cp1252, want},
		{"undeclared, not UTF-8", "", cp1252, want},
		{"UTF-8 kept", "text/html", []byte(want), want},
		{"BOM", "", append([]byte("\ufeff"), want...), want},
	}
	for _, tt := range tests {
		got, _, err := DecodeHTML(tt.body, tt.ctype)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}
