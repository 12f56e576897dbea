package feed_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the driver knowledge/sqlite uses, for PRAGMA integrity_check

	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/sqlite"
	"github.com/newsbot/newsbot/knowledge/web"
)

// slowFeed serves an RSS feed of n items whose pages each take delay.
type slowFeed struct {
	*httptest.Server
	n     int
	delay atomic.Int64 // nanoseconds per page
	pages atomic.Int32 // page requests seen
}

func newSlowFeed(t *testing.T, n int, delay time.Duration) *slowFeed {
	f := &slowFeed{n: n}
	f.delay.Store(int64(delay))
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := "http://" + r.Host
		if r.URL.Path == "/feed.xml" {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow Wire</title><link>`+base+`/</link>`)
			for i := range f.n {
				fmt.Fprintf(w, `<item><title>Story %d of the slow wire</title><link>%s/news/%d</link><guid>slow-%d</guid><pubDate>Wed, 16 Apr 2025 %02d:00:00 GMT</pubDate><description>Summary %d.</description></item>`,
					i, base, i, i, i%24, i)
			}
			fmt.Fprint(w, `</channel></rss>`)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/news/") {
			http.NotFound(w, r)
			return
		}
		f.pages.Add(1)
		select {
		case <-time.After(time.Duration(f.delay.Load())):
		case <-r.Context().Done():
			return
		}
		id := strings.TrimPrefix(r.URL.Path, "/news/")
		fmt.Fprintf(w, `<html><head><title>Story %s of the slow wire</title></head><body><article><h1>Story %s of the slow wire</h1>
<p>The council of the slow wire met on Tuesday for story %s and heard from residents about the harbour works.</p>
<p>Residents said the works had run for two years and asked for a timetable, which the council promised by June.</p>
<p>The mayor said the budget for story %s was approved and the first contracts would be signed within weeks.</p>
</article></body></html>`, id, id, id, id)
	}))
	t.Cleanup(f.Close)
	return f
}

func slowPoller(st *sqlite.Store, feedURL string) *feed.Poller {
	return &feed.Poller{
		Sources: []feed.Source{{URL: feedURL}},
		Client:  &web.Client{HostDelay: -1, Timeout: 10 * time.Second},
		Store:   st, State: st, MaxItems: 500,
	}
}

// TestPollKilledMidway kills a process in the middle of a feed poll
// (SIGKILL: no clean-up at all), then checks that the SQLite store is
// intact and that the next poll completes.
func TestPollKilledMidway(t *testing.T) {
	if v := os.Getenv("NEWSBOT_TEST_CHILD_POLL"); v != "" {
		childPoll(v)
		return
	}
	if testing.Short() {
		t.Skip("spawns a process")
	}
	const n = 60
	srv := newSlowFeed(t, n, 150*time.Millisecond)
	db := filepath.Join(t.TempDir(), "news.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestPollKilledMidway$")
	cmd.Env = append(os.Environ(), "NEWSBOT_TEST_CHILD_POLL="+srv.URL+"/feed.xml|"+db)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once a first batch of articles may have been committed and
	// more pages are being fetched.
	deadline := time.Now().Add(60 * time.Second)
	for srv.pages.Load() < 30 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child fetched no pages")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	t.Logf("killed after %d page requests", srv.pages.Load())

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v; want ok", check, err)
	}
	raw.Close()

	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer st.Close()
	before, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before.Articles >= n {
		t.Fatalf("%d articles stored before the kill; want fewer than %d (killed too late)", before.Articles, n)
	}
	t.Logf("%d of %d articles stored before the kill", before.Articles, n)

	srv.delay.Store(0)
	p := slowPoller(st, srv.URL+"/feed.xml")
	r, err := p.Poll(ctx, false)
	if err != nil || r.Feeds[0].Err != nil {
		t.Fatalf("poll after restart = %+v, %v", r.Feeds, err)
	}
	after, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Articles != n || after.Paragraphs != 3*n {
		t.Errorf("after the next poll: %d articles, %d paragraphs; want %d and %d", after.Articles, after.Paragraphs, n, 3*n)
	}
	states, err := st.FeedStates(ctx)
	if err != nil || len(states) != 1 || states[0].LastError != "" || states[0].Items != n {
		t.Errorf("feed state after the next poll = %+v, %v", states, err)
	}
	// A third poll finds nothing to do.
	r, err = p.Poll(ctx, true)
	if err != nil || r.Feeds[0].Added != 0 || r.Feeds[0].Updated != 0 {
		t.Errorf("third poll = %+v, %v; want nothing new", r.Feeds, err)
	}
}

func childPoll(v string) {
	feedURL, db, _ := strings.Cut(v, "|")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		os.Exit(3)
	}
	slowPoller(st, feedURL).Poll(ctx, false)
	os.Exit(0)
}
