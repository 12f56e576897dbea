package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/postgres"
)

// childEnv, set to "serve" in a child process of the test binary, makes
// TestMain run `newsbot serve` (as the binary's main does) instead of the
// tests: the two-process test kills such a child with SIGKILL.
const childEnv = "NB_TEST_CHILD"

// childServe is main for a child process: serve until SIGTERM, then exit
// with serve's exit code.
func childServe() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	err := run(ctx, []string{"serve"}, &stdio{in: strings.NewReader(""), out: os.Stdout, err: os.Stderr})
	os.Exit(report(os.Stderr, err))
}

// killSite serves knowledge/feed's test feed and its three pages. It
// counts each page served whole, and holds the second page request it
// gets until that request's client goes away (the instance fetching it is
// killed) — it is never served.
type killSite struct {
	*httptest.Server
	mu      sync.Mutex
	served  map[string]int
	pages   int
	holding chan struct{} // closed when the second page request is held
}

func newKillSite(t *testing.T) *killSite {
	files := map[string]string{"/rss.xml": "rss.xml", "/news/bridge": "bridge.html", "/news/tram": "tram.html", "/news/library": "library.html"}
	k := &killSite{served: map[string]int{}, holding: make(chan struct{})}
	k.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/news/") {
			k.mu.Lock()
			k.pages++
			hold := k.pages == 2
			k.mu.Unlock()
			if hold {
				close(k.holding)
				<-r.Context().Done() // its instance is killed mid-poll
				return
			}
		}
		data, err := os.ReadFile(filepath.Join("knowledge", "feed", "testdata", name))
		if err != nil {
			t.Error(err)
		}
		if strings.HasSuffix(name, ".xml") {
			w.Header().Set("Content-Type", "application/rss+xml")
		}
		if _, err := w.Write(bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte("http://"+r.Host))); err == nil {
			k.mu.Lock()
			k.served[r.URL.Path]++
			k.mu.Unlock()
		}
	}))
	t.Cleanup(k.Close)
	return k
}

func (k *killSite) servedCounts() map[string]int {
	k.mu.Lock()
	defer k.mu.Unlock()
	c := map[string]int{}
	for p, n := range k.served {
		c[p] = n
	}
	return c
}

// child is a `newsbot serve` process.
type child struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	addr   string
	done   chan struct{} // closed when it has exited, with err set
	err    error
}

func startChild(t *testing.T, env map[string]string) *child {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=serve", "NEWSBOT_HTTP_ADDR="+addr)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	c := &child{cmd: cmd, stderr: &lockedBuffer{}, addr: addr, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = io.Discard, c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.err = cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-c.done
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			return c
		}
		select {
		case <-c.done:
			t.Fatalf("serve exited: %v\n%s", c.err, c.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve does not answer /healthz after 60s\n%s", c.stderr.String())
		}
	}
}

// Two `newsbot serve` processes on one PostgreSQL database poll one local
// feed. The one polling it is killed (SIGKILL: no clean-up, its lease
// left behind) while it fetches the second page; the other takes the feed
// over when the lease runs out and completes the round: all three
// articles stored, each page served once — the one stored before the
// kill is not fetched again, the one in flight is fetched by the survivor.
func TestServeTwoProcessesOneKilledMidPoll(t *testing.T) {
	db := pgtest.NewDatabase(t)
	site := newKillSite(t)
	env := map[string]string{
		"NEWSBOT_DATABASE_URL": db, "NEWSBOT_FEEDS": site.URL + "/rss.xml", "NEWSBOT_HOST_DELAY": "0s",
		"NEWSBOT_SAMPLE": "false", "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_LOG_LEVEL": "debug",
	}
	one := startChild(t, env)
	select {
	case <-site.holding:
	case <-time.After(60 * time.Second):
		t.Fatalf("the first instance did not reach the second page\n%s", one.stderr.String())
	}
	ctx := context.Background()
	s, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stored := func(n int) []*knowledge.Article {
		t.Helper()
		deadline := time.Now().Add(120 * time.Second)
		for {
			arts, err := s.Latest(ctx, knowledge.LatestQuery{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(arts) >= n || time.Now().After(deadline) {
				return arts
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// The first instance stores the two pages it got, and waits for the
	// third: it is mid-poll, holding the feed's lease.
	if arts := stored(2); len(arts) != 2 {
		t.Fatalf("the first instance stored %d articles before the kill, want the 2 pages served to it\n%s", len(arts), one.stderr.String())
	}
	two := startChild(t, env)
	if err := one.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-one.done
	arts := stored(3)
	var titles []string
	for _, a := range arts {
		titles = append(titles, a.Title)
	}
	if len(arts) != 3 {
		t.Fatalf("articles stored after the kill: %q, want all three\nsurvivor's log:\n%s", titles, two.stderr.String())
	}
	for _, p := range []string{"/news/bridge", "/news/tram", "/news/library"} {
		if n := site.servedCounts()[p]; n != 1 {
			t.Errorf("%s served %d times, want once across both instances (served: %v)\nkilled one's log:\n%s\nsurvivor's log:\n%s", p, n, site.servedCounts(), one.stderr.String(), two.stderr.String())
		}
	}
	if err := two.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-two.done:
		if two.err != nil {
			t.Errorf("survivor after SIGTERM: %v\n%s", two.err, two.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("survivor did not stop after SIGTERM")
	}
}
