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

// A round that outlasts its lease's time to live keeps the lease: the
// holder renews it while polling, so no other instance takes the feed
// before the round is over; afterwards the lease is released.
func TestLeaseRenewedDuringALongRound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openURL(t, pgtest.NewDatabase(t))
	inPage, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	site, _ := countingSite(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/news/") {
			once.Do(func() { close(inPage) })
			<-release // the round stalls here, past the lease's TTL
		}
		resp, err := http.Get(site.URL + r.URL.Path)
		if err != nil {
			t.Error(err)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		b := new(bytes.Buffer)
		b.ReadFrom(resp.Body)
		w.Write(bytes.ReplaceAll(b.Bytes(), []byte(site.URL), []byte("http://"+r.Host)))
	}))
	t.Cleanup(slow.Close)
	feedURL := slow.URL + "/rss.xml"
	p := leasedPoller(s, feedURL, "long")
	p.LeaseTTL = 900 * time.Millisecond
	done := make(chan error, 1)
	go func() { _, err := p.Poll(ctx, false); done <- err }()
	<-inPage
	// Three TTLs later, the lease is still the long round's.
	time.Sleep(3 * p.LeaseTTL)
	if ok, err := s.AcquireFeedLease(ctx, feedURL, "other", time.Minute); err != nil || ok {
		t.Errorf("another instance took the lease of a live round after 3 TTLs: %v %v", ok, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ok, err := s.AcquireFeedLease(ctx, feedURL, "other", time.Minute); err != nil || !ok {
		t.Errorf("the lease was not released after the round: %v %v", ok, err)
	}
}
