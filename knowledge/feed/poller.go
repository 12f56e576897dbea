// Package feed brings news in from RSS 2.0, Atom and JSON Feed feeds and
// from article pages: it parses feeds (github.com/mmcdole/gofeed), extracts
// the full text of each item's page (codeberg.org/readeck/go-readability),
// falling back to the item's own summary when the page cannot be read, and
// stores the articles through knowledge.Apply, so that the same story
// reached through two feeds, a tracking URL or AMP is one article and a
// changed story replaces its old version.
//
// A Poller polls a list of feeds in the background, each at its interval,
// backing off exponentially from feeds that keep failing; what it knows of
// each feed persists in a StateStore. All downloads go through a polite
// web.Client.
package feed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/web"
)

// Source is one feed to poll.
type Source struct {
	URL string
	// Interval overrides the poller's interval for this feed; zero means the
	// poller's.
	Interval time.Duration
}

// Poller polls feeds and stores their articles. Set Sources, Client, Store
// and State; other fields are optional, and their zero values mean the
// defaults documented on each. Do not change fields after the first call.
// A Poller is safe for concurrent use; rounds of polling are serialised.
type Poller struct {
	Sources []Source
	Client  *web.Client
	// Store receives the articles.
	Store knowledge.Store
	// State keeps feed and item state; nil keeps nothing (every item is new
	// each time), which suits one-off ingests.
	State StateStore
	// Leases, when set, coordinate instances sharing the store: each due
	// feed is polled by the instance that takes its lease (LeaseTTL long;
	// zero means DefaultLeaseTTL), named LeaseHolder (empty means host,
	// process and a random suffix).
	Leases      Leaser
	LeaseTTL    time.Duration
	LeaseHolder string
	holder      string
	// Interval is how often a feed is polled; zero means 30 minutes.
	Interval time.Duration
	// MaxItems is how many of a feed's newest items are read per poll; zero
	// means 50.
	MaxItems int
	// PageRetries is how many polls retry an item's page that could not be
	// read (its summary is stored meanwhile); zero means 3.
	PageRetries int
	// Retention, when positive, deletes articles published (or, undated,
	// first seen) longer ago than this after each round, and skips items
	// older than that.
	Retention time.Duration
	// Concurrency is how many feeds are polled at once, and how many pages
	// of one feed are fetched at once (the client's per-host limits still
	// apply); zero means 4.
	Concurrency int
	// Logger receives what happened; nil discards it.
	Logger *slog.Logger
	// Progress, when set, is told as feeds and items are done. Calls are
	// serialised.
	Progress func(Event)
	// OnRound, when set, is told the outcome of each round Run polls, with
	// Run's ctx: when ctx is done (shutdown), the callback should return
	// soon, as Run waits for it before it returns.
	OnRound func(ctx context.Context, r Round)
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	round      sync.Mutex
	progressMu sync.Mutex
	ingOnce    sync.Once
	ing        *ingest.Ingester
}

// EventKind says what an Event reports.
type EventKind int

// The events a Poller reports.
const (
	FeedStarted EventKind = iota // a feed is being fetched
	FeedFetched                  // its document is parsed: Items is known
	ItemDone                     // one more item is done
	FeedDone                     // the feed is done: Result is set
)

// Event reports progress of a round.
type Event struct {
	Kind EventKind
	Feed string
	// Items is how many items of the feed need work; Done how many are done.
	Items, Done int
	Result      *FeedResult
}

// FeedResult is the outcome of polling one feed.
type FeedResult struct {
	URL, Title string
	// NotModified is set when the feed answered 304 Not Modified.
	NotModified bool
	// Items is the number of items in the feed's document; Work how many
	// were new, changed or retried.
	Items, Work int
	// Added, Updated and Unchanged count articles as knowledge.Apply did.
	Added, Updated, Unchanged int
	// FromSummary counts articles stored from the item's summary because
	// the page could not be read; Failed counts items that gave no article.
	FromSummary, Failed int
	// Err is why the feed could not be fetched or parsed; nil on success.
	Err       error
	NextFetch time.Time
	Elapsed   time.Duration

	summaryWhy error // why the first page stored from its summary was not used
}

// Round is the outcome of one Poll.
type Round struct {
	Feeds []FeedResult
	// Pruned counts articles deleted by retention.
	Pruned  int
	Elapsed time.Duration
}

// Offline reports whether every feed polled failed because the network or
// host could not be reached at all.
func (r Round) Offline() bool {
	if len(r.Feeds) == 0 {
		return false
	}
	for _, f := range r.Feeds {
		if f.Err == nil || !web.IsNetworkError(f.Err) {
			return false
		}
	}
	return true
}

// Articles counts the articles a round added or updated.
func (r Round) Articles() int {
	n := 0
	for _, f := range r.Feeds {
		n += f.Added + f.Updated
	}
	return n
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Poller) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (p *Poller) interval(s Source) time.Duration {
	switch {
	case s.Interval > 0:
		return s.Interval
	case p.Interval > 0:
		return p.Interval
	}
	return 30 * time.Minute
}

func (p *Poller) concurrency() int {
	if p.Concurrency > 0 {
		return p.Concurrency
	}
	return 4
}

func (p *Poller) ingester() *ingest.Ingester {
	p.ingOnce.Do(func() {
		p.ing = &ingest.Ingester{Store: p.Store, Logger: p.Logger, Now: p.Now}
	})
	return p.ing
}

func (p *Poller) report(e Event) {
	if p.Progress == nil {
		return
	}
	p.progressMu.Lock()
	defer p.progressMu.Unlock()
	p.Progress(e)
}

// Name names the poller among the server's runners.
func (p *Poller) Name() string { return "feeds" }

// Run polls the feeds as they fall due until ctx is done, then returns nil
// once the round in flight has stored what it fetched. It implements
// server.Runner.
func (p *Poller) Run(ctx context.Context) error {
	for {
		var round Round
		var err error
		if perr := safe.Do(ctx, p.Logger, "feed round", func() { round, err = p.Poll(ctx, false) }); perr != nil {
			err = perr // logged with its stack; the next round is tried as after any failure
		}
		if ctx.Err() != nil {
			return nil
		}
		if p.OnRound != nil && len(round.Feeds) > 0 {
			p.OnRound(ctx, round)
		}
		wait := time.Minute
		if err != nil {
			p.logger().Error("feed poll failed", "err", err)
		} else if next, err := p.nextDue(ctx); err == nil {
			wait = time.Until(next)
		}
		wait = min(max(wait, time.Second), p.Interval+time.Hour)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// nextDue is when the next feed falls due.
func (p *Poller) nextDue(ctx context.Context) (time.Time, error) {
	states, err := p.states(ctx)
	if err != nil {
		return time.Time{}, err
	}
	var next time.Time
	now := p.now()
	for _, s := range p.Sources {
		t := states[s.URL].NextFetch
		if p.Leases != nil && !t.After(now) {
			// Still due after a round: another instance holds its lease,
			// polling it, or died holding it; look again before the lease
			// can have run out, to take over a dead holder's feed.
			t = now.Add(p.leaseTTL() / 3)
		}
		if t.IsZero() {
			continue // never polled: Poll took it if it could
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	if next.IsZero() {
		next = now.Add(p.interval(Source{}))
	}
	return next, nil
}

func (p *Poller) states(ctx context.Context) (map[string]FeedState, error) {
	out := map[string]FeedState{}
	if p.State == nil {
		return out, nil
	}
	list, err := p.State.FeedStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("read feed state: %w", err)
	}
	for _, s := range list {
		out[s.URL] = s
	}
	return out, nil
}

// Poll fetches every feed that is due (every feed when force is set) and
// stores its new and changed items, then applies retention. Feeds' own
// failures are recorded in their state and in the Round, not returned; the
// error is the state store's or the article store's, or ctx's.
func (p *Poller) Poll(ctx context.Context, force bool) (Round, error) {
	p.round.Lock()
	defer p.round.Unlock()
	start := time.Now()
	states, err := p.states(ctx)
	if err != nil {
		return Round{}, err
	}
	now := p.now()
	var due []Source
	for _, s := range p.Sources {
		st := states[s.URL]
		if force || st.NextFetch.IsZero() || !now.Before(st.NextFetch) {
			due = append(due, s)
		}
	}
	if p.Leases != nil {
		var release func()
		var lerr error
		due, states, release, lerr = p.lease(ctx, due, force)
		defer release()
		if lerr != nil {
			p.logger().Warn("feed leases", "err", lerr)
		}
	}
	round := Round{Feeds: make([]FeedResult, len(due))}
	seen := &roundSeen{m: map[string]*seenEntry{}}
	sem := make(chan struct{}, p.concurrency())
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var storeErr error
	for i, s := range due {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				round.Feeds[i] = FeedResult{URL: s.URL, Err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			var res FeedResult
			var err error
			if perr := safe.Do(ctx, p.Logger, "feed "+s.URL, func() { res, err = p.pollFeed(ctx, s, states[s.URL], seen) }); perr != nil {
				// The feed's document tripped a bug: the feed failed this
				// round (and backs off like a failing feed), the others go on.
				st := states[s.URL]
				st.URL, st.LastFetch = s.URL, p.now()
				res = FeedResult{URL: s.URL, Title: st.Title, Err: perr}
				err = p.failed(ctx, s, &st, &res, perr)
			}
			round.Feeds[i] = res
			if err != nil {
				errMu.Lock()
				storeErr = errors.Join(storeErr, err)
				errMu.Unlock()
			}
		}()
	}
	wg.Wait()
	if storeErr == nil && ctx.Err() == nil && p.Retention > 0 && p.Store != nil {
		n, err := index.Prune(ctx, p.Store, p.now().Add(-p.Retention))
		if err != nil {
			storeErr = err
		}
		round.Pruned = n
		if n > 0 {
			p.logger().Info("retention: deleted old articles", "count", n, "older_than", p.Retention.String())
		}
	}
	round.Elapsed = time.Since(start)
	if storeErr == nil {
		storeErr = ctx.Err()
	}
	return round, storeErr
}

// backoff is how long a feed that failed n times in a row waits: its
// interval doubled for each failure after the first, at most a day (or the
// interval, when that is longer).
func backoff(interval time.Duration, failures int) time.Duration {
	limit := max(24*time.Hour, interval)
	d := interval
	for i := 1; i < failures && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// Status is one configured feed's state, for display.
type Status struct {
	Source
	// Interval is the effective interval.
	Interval time.Duration
	// State is zero for a feed never polled (Polled false).
	State  FeedState
	Polled bool
}

// Status returns the state of every configured feed, in configuration
// order. It returns the state store's error.
func (p *Poller) Status(ctx context.Context) ([]Status, error) {
	states, err := p.states(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(p.Sources))
	for _, s := range p.Sources {
		st, ok := states[s.URL]
		out = append(out, Status{Source: s, Interval: p.interval(s), State: st, Polled: ok})
	}
	return out, nil
}
