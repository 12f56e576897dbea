package feed_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
)

// panickyStore is a store that panics when asked to store, or to look up,
// the article at a URL containing bad.
type panickyStore struct {
	knowledge.Store
	bad       string
	onPut     bool // panic in PutArticles
	onArticle bool // panic in Article
}

func (s *panickyStore) Write(ctx context.Context, fn func(knowledge.Writer) error) error {
	return s.Store.Write(ctx, func(w knowledge.Writer) error { return fn(&panickyWriter{Writer: w, s: s}) })
}

func (s *panickyStore) Article(ctx context.Context, id string) (*knowledge.Article, error) {
	if s.onArticle && id == knowledge.ArticleID(&knowledge.Article{URL: s.bad}) {
		panic("lookup of " + s.bad + " panicked")
	}
	return s.Store.Article(ctx, id)
}

type panickyWriter struct {
	knowledge.Writer
	s *panickyStore
}

func (w *panickyWriter) PutArticles(ctx context.Context, arts []knowledge.StoredArticle) error {
	for _, a := range arts {
		if w.s.onPut && strings.Contains(a.URL, w.s.bad) {
			var m map[string]int
			m[a.URL]++ // a nil map write: a real runtime panic
		}
	}
	return w.Writer.PutArticles(ctx, arts)
}

// panickyState panics when asked for the items of one feed.
type panickyState struct {
	feed.StateStore
	bad string
}

func (s *panickyState) FeedItems(ctx context.Context, feedURL string) ([]feed.ItemState, error) {
	if feedURL == s.bad {
		panic("item state of " + feedURL + " panicked")
	}
	return s.StateStore.FeedItems(ctx, feedURL)
}

// syncBuffer is a bytes.Buffer safe for the poller's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func logTo(e *env) *syncBuffer {
	var buf syncBuffer
	e.poller.Logger = slog.New(slog.NewTextHandler(&buf, nil))
	return &buf
}

func checkPanicLogged(t *testing.T, log string, want string) {
	t.Helper()
	if !strings.Contains(log, "level=ERROR") || !strings.Contains(log, "recovered from a panic") ||
		!strings.Contains(log, want) || !strings.Contains(log, "panic_test.go") {
		t.Errorf("log lacks an error line with the panic %q and its stack:\n%s", want, log)
	}
}

func TestPollSkipsAnArticleWhoseStoringPanics(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml")
	ps := &panickyStore{Store: e.store, bad: "/news/tram", onPut: true}
	e.poller.Store = ps
	log := logTo(e)
	before := safe.Panics()
	r := e.poll(t, false)
	if r.Feeds[0].Err != nil {
		t.Fatalf("feed failed: %v", r.Feeds[0].Err)
	}
	if e.article(t, s.URL+"/news/bridge") == nil || e.article(t, s.URL+"/news/library-hours") == nil {
		t.Errorf("the feed's other articles were not stored")
	}
	if e.article(t, s.URL+"/news/tram") != nil {
		t.Errorf("the article whose storing panics was stored")
	}
	if safe.Panics() == before {
		t.Errorf("the panic was not counted")
	}
	checkPanicLogged(t, log.String(), "assignment to entry in nil map")
	// Its item is not taken for stored: the next poll tries it again, and
	// with a store that works it is stored.
	ps.onPut = false
	e.advance(time.Hour)
	e.poll(t, false)
	if e.article(t, s.URL+"/news/tram") == nil {
		t.Errorf("the item was not retried after its storing panicked")
	}
}

func TestPollSkipsAnItemWhoseProcessingPanics(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml")
	e.poller.Store = &panickyStore{Store: e.store, bad: s.URL + "/news/tram", onArticle: true}
	log := logTo(e)
	r := e.poll(t, false)
	if r.Feeds[0].Err != nil {
		t.Fatalf("feed failed: %v", r.Feeds[0].Err)
	}
	if r.Feeds[0].Failed != 1 {
		t.Errorf("Failed = %d, want 1 (the panicking item)", r.Feeds[0].Failed)
	}
	if e.article(t, s.URL+"/news/bridge") == nil || e.article(t, s.URL+"/news/library-hours") == nil {
		t.Errorf("the feed's other articles were not stored")
	}
	checkPanicLogged(t, log.String(), "lookup of "+s.URL+"/news/tram panicked")
}

func TestPollGoesOnWhenOneFeedPanics(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/atom.xml", s.URL+"/rss.xml")
	e.poller.State = &panickyState{StateStore: e.store, bad: s.URL + "/atom.xml"}
	log := logTo(e)
	r := e.poll(t, false)
	var atom, rss feed.FeedResult
	for _, f := range r.Feeds {
		if strings.HasSuffix(f.URL, "/atom.xml") {
			atom = f
		} else {
			rss = f
		}
	}
	var pe *safe.PanicError
	if !errors.As(atom.Err, &pe) {
		t.Errorf("atom feed Err = %v, want a *safe.PanicError", atom.Err)
	}
	if rss.Err != nil || rss.Added != 3 {
		t.Errorf("rss feed = %+v, want its 3 articles added", rss)
	}
	if st := e.state(t, s.URL+"/atom.xml"); st.Failures != 1 || !strings.Contains(st.LastError, "panic") {
		t.Errorf("atom feed state = %+v, want one failure naming the panic", st)
	}
	checkPanicLogged(t, log.String(), "item state of "+s.URL+"/atom.xml panicked")
}

// roundPanicState panics the first time the feed states are read, which
// Poll does before any feed: the whole round panics.
type roundPanicState struct {
	feed.StateStore
	calls atomic.Int32
}

func (s *roundPanicState) FeedStates(ctx context.Context) ([]feed.FeedState, error) {
	if s.calls.Add(1) == 1 {
		panic("feed states panicked")
	}
	return s.StateStore.FeedStates(ctx)
}

func TestRunSurvivesAPanickingRound(t *testing.T) {
	s := newSite(t)
	e := newEnv(t, s.URL+"/rss.xml")
	e.poller.State = &roundPanicState{StateStore: e.store}
	log := logTo(e)
	before := safe.Panics()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.poller.Run(ctx) }()
	for deadline := time.Now().Add(10 * time.Second); safe.Panics() == before; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the round's panic was not recovered")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after ctx is done", err)
	}
	checkPanicLogged(t, log.String(), "feed states panicked")
}
