package postgres_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/postgres"
	"github.com/newsbot/newsbot/knowledge/web"
)

// countingSite serves knowledge/feed's test feed and pages, counting the
// requests for each path.
func countingSite(t *testing.T) (*httptest.Server, func() map[string]int) {
	t.Helper()
	files := map[string]string{"/rss.xml": "rss.xml", "/news/bridge": "bridge.html", "/news/tram": "tram.html", "/news/library": "library.html"}
	var mu sync.Mutex
	counts := map[string]int{}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		counts[r.URL.Path]++
		mu.Unlock()
		name, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join("..", "feed", "testdata", name))
		if err != nil {
			t.Error(err)
		}
		if strings.HasSuffix(name, ".xml") {
			w.Header().Set("Content-Type", "application/rss+xml")
		}
		w.Write(bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte(srv.URL)))
	}))
	t.Cleanup(srv.Close)
	return srv, func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		c := map[string]int{}
		for k, v := range counts {
			c[k] = v
		}
		return c
	}
}

func leasedPoller(s *postgres.Store, feedURL, holder string) *feed.Poller {
	return &feed.Poller{Sources: []feed.Source{{URL: feedURL}}, Client: &web.Client{HostDelay: -1, Timeout: 5 * time.Second},
		Store: s, State: s, Leases: s, LeaseHolder: holder}
}

// Two pollers (two instances) on one database polling at once: the feed
// and each of its pages are fetched once, and the articles are stored.
func TestTwoPollersPollEachFeedOnce(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := openURL(t, url), openURL(t, url)
	site, counts := countingSite(t)
	feedURL := site.URL + "/rss.xml"
	pa, pb := leasedPoller(a, feedURL, "a"), leasedPoller(b, feedURL, "b")
	var wg sync.WaitGroup
	rounds := make([]feed.Round, 2)
	for i, p := range []*feed.Poller{pa, pb} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := p.Poll(context.Background(), false)
			if err != nil {
				t.Errorf("poller %d: %v", i, err)
			}
			rounds[i] = r
		}()
	}
	wg.Wait()
	if n := len(rounds[0].Feeds) + len(rounds[1].Feeds); n != 1 {
		t.Errorf("the feed was polled %d times in one interval, want 1: %+v", n, rounds)
	}
	for path, n := range counts() {
		if n != 1 {
			t.Errorf("%s fetched %d times, want once", path, n)
		}
	}
	if added := rounds[0].Articles() + rounds[1].Articles(); added != 3 {
		t.Errorf("%d articles stored, want 3", added)
	}
	// The next round, before the interval is over, polls nothing.
	for _, p := range []*feed.Poller{pa, pb} {
		if r, err := p.Poll(context.Background(), false); err != nil || len(r.Feeds) != 0 {
			t.Errorf("a second round within the interval: %+v, %v", r, err)
		}
	}
}

// A feed whose lease a live instance holds is left to it; when the holder
// dies (its lease expires) another instance takes the feed over.
func TestLeaseTakenOverWhenTheHolderDies(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	s := openURL(t, url)
	site, counts := countingSite(t)
	feedURL := site.URL + "/rss.xml"
	ctx := context.Background()
	if ok, err := s.AcquireFeedLease(ctx, feedURL, "alive", time.Hour); err != nil || !ok {
		t.Fatalf("acquire: %v %v", ok, err)
	}
	if ok, err := s.AcquireFeedLease(ctx, feedURL, "other", time.Hour); err != nil || ok {
		t.Fatalf("a held lease was given to another holder: %v %v", ok, err)
	}
	r, err := leasedPoller(s, feedURL, "b").Poll(ctx, false)
	if err != nil || len(r.Feeds) != 0 || counts()["/rss.xml"] != 0 {
		t.Fatalf("polled a feed another live instance holds: %+v %v", r, err)
	}
	// The holder dies mid-poll: nobody renews its lease, which runs out.
	if ok, err := s.AcquireFeedLease(ctx, feedURL, "dying", -time.Second); err != nil {
		t.Fatal(err)
	} else if ok {
		t.Fatal("a held lease was taken")
	}
	if err := s.ReleaseFeedLease(ctx, feedURL, "alive"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.AcquireFeedLease(ctx, feedURL, "dying", -time.Second); err != nil || !ok {
		t.Fatalf("acquire by the instance about to die: %v %v", ok, err)
	}
	r, err = leasedPoller(s, feedURL, "b").Poll(ctx, false)
	if err != nil || len(r.Feeds) != 1 || r.Articles() != 3 || counts()["/rss.xml"] != 1 {
		t.Fatalf("the dead holder's feed was not taken over: %+v %v %v", r, err, counts())
	}
}
