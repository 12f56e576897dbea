package feed

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/parse"
	"github.com/newsbot/newsbot/knowledge/web"
)

// batchSize is how many articles are stored per transaction while a feed's
// items are read, so that a failure later on keeps what came before.
const batchSize = 20

// itemsKeptFor is how long the state of an item that left its feed is kept.
const itemsKeptFor = 14 * 24 * time.Hour

// roundSeen lets feeds polled in the same round share the article made for
// a link, so that a story in two feeds is fetched once.
type roundSeen struct {
	mu sync.Mutex
	m  map[string]*seenEntry
}

type seenEntry struct {
	done     chan struct{}
	id       string // "" when no article was made
	fromPage bool
}

// claim returns the entry for key, and whether the caller owns it (and must
// fill it and close done).
func (r *roundSeen) claim(key string) (*seenEntry, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.m[key]; ok {
		return e, false
	}
	e := &seenEntry{done: make(chan struct{})}
	r.m[key] = e
	return e, true
}

// workItem is an item that needs its article made.
type workItem struct {
	item  Item
	state ItemState
	isNew bool // never seen in this feed
	retry bool // unchanged, but its page could not be read before
}

// outcome is what became of a workItem.
type outcome struct {
	state    ItemState
	art      *knowledge.Article // nil: nothing to store
	fromPage bool
	err      error // why the page (or the whole item) failed
	skipped  bool  // cut short by ctx: not processed at all
}

func (p *Poller) retries() int {
	if p.PageRetries > 0 {
		return p.PageRetries
	}
	return 3
}

func (p *Poller) maxItems() int {
	if p.MaxItems > 0 {
		return p.MaxItems
	}
	return 50
}

// pending reports whether an item's page should be tried again.
func (p *Poller) pending(s ItemState) bool {
	return !(s.ArticleID != "" && s.FromPage) && s.Attempts < p.retries()
}

// pollFeed polls one feed and records its state. The error is the state
// or article store's; the feed's own failure is in the result.
func (p *Poller) pollFeed(ctx context.Context, src Source, st FeedState, seen *roundSeen) (res FeedResult, storeErr error) {
	start := time.Now()
	now := p.now()
	res = FeedResult{URL: src.URL, Title: st.Title}
	p.report(Event{Kind: FeedStarted, Feed: src.URL})
	defer func() {
		res.Elapsed = time.Since(start)
		p.report(Event{Kind: FeedDone, Feed: src.URL, Result: &res})
	}()
	st.URL = src.URL
	st.LastFetch = now
	resp, doc, err := p.fetchFeed(ctx, src, st)
	if err != nil {
		res.Err = err
		if ctx.Err() != nil {
			return res, nil // shutting down: not the feed's fault
		}
		return res, p.failed(ctx, src, &st, &res, err)
	}
	work, touched, err := p.plan(ctx, src, st, resp, doc, now)
	if err != nil {
		return res, err
	}
	if resp.NotModified {
		res.NotModified, res.Items = true, st.Items
	} else {
		st.Title, res.Title = doc.Title, doc.Title
		st.Items, res.Items = len(doc.Items), len(doc.Items)
	}
	res.Work = len(work)
	p.report(Event{Kind: FeedFetched, Feed: src.URL, Items: len(work)})
	complete, storeErr := p.processItems(ctx, src.URL, work, touched, seen, &res)
	st.Articles += res.Added
	st.LastError, st.Failures = "", 0
	st.LastSuccess = now
	st.NextFetch = now.Add(p.interval(src))
	if complete {
		// Only a document processed completely moves the validators on, so
		// that an interrupted poll fetches it again.
		st.ETag, st.LastModified = resp.ETag, resp.LastModified
	} else {
		st.NextFetch = now
	}
	if p.State != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := p.State.PutFeedState(sctx, st); err != nil {
			storeErr = errors.Join(storeErr, fmt.Errorf("feed %s: save state: %w", src.URL, err))
		}
		if complete && doc != nil {
			if _, err := p.State.PruneFeedItems(sctx, src.URL, now.Add(-itemsKeptFor)); err != nil {
				storeErr = errors.Join(storeErr, fmt.Errorf("feed %s: prune item state: %w", src.URL, err))
			}
		}
	}
	res.NextFetch = st.NextFetch
	log := p.logger().With("feed", src.URL)
	if res.FromSummary > 0 {
		log.Warn("pages could not be read; indexed the feed's own summary instead (retried on later polls)",
			"items", res.FromSummary, "first_reason", res.summaryWhy)
	}
	log.Info("feed polled", "items", res.Items, "work", res.Work, "added", res.Added, "updated", res.Updated,
		"unchanged", res.Unchanged, "from_summary", res.FromSummary, "failed", res.Failed, "not_modified", res.NotModified)
	return res, storeErr
}

// failed records a failed fetch and schedules the next with backoff.
func (p *Poller) failed(ctx context.Context, src Source, st *FeedState, res *FeedResult, err error) error {
	now := st.LastFetch
	st.Failures++
	st.LastError = shortError(err)
	next := now.Add(backoff(p.interval(src), st.Failures))
	if at, ok := web.RetryAt(err); ok {
		// The server's clock time, as a wait from now on the poller's clock.
		if wait := time.Until(at); now.Add(wait).After(next) {
			next = now.Add(wait)
		}
	}
	st.NextFetch = next
	res.NextFetch = next
	log := p.logger().With("feed", src.URL, "err", err, "failures", st.Failures, "next_fetch", next.Format(time.RFC3339))
	if st.Failures == 1 {
		log.Warn("feed fetch failed; will retry later")
	} else {
		log.Info("feed fetch failed again; backing off")
	}
	if p.State == nil {
		return nil
	}
	if err := p.State.PutFeedState(ctx, *st); err != nil {
		return fmt.Errorf("feed %s: save state: %w", src.URL, err)
	}
	return nil
}

// processItems makes and stores the articles of work, a few at a time,
// committing them in batches with their item state. It reports whether
// every item was dealt with (not cut short by ctx or a store error).
func (p *Poller) processItems(ctx context.Context, feedURL string, work []workItem, touched []ItemState, seen *roundSeen, res *FeedResult) (bool, error) {
	jobs := make(chan workItem)
	results := make(chan outcome)
	var wg sync.WaitGroup
	for range min(p.concurrency(), max(len(work), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w := range jobs {
				results <- p.safeWork(ctx, feedURL, w, seen)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, w := range work {
			select {
			case jobs <- w:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	// Writes survive cancellation: what was fetched is kept.
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	var storeErr error
	var arts []*knowledge.Article
	states := touched
	done := 0
	flush := func() {
		if storeErr != nil || (len(arts) == 0 && len(states) == 0) {
			return
		}
		fctx, cancel := context.WithTimeout(wctx, time.Minute)
		defer cancel()
		if len(arts) > 0 {
			ar, probs, err := p.ingester().Add(fctx, arts)
			if err != nil {
				storeErr = fmt.Errorf("feed %s: store articles: %w", feedURL, err)
				return
			}
			forgetRejected(arts, probs, states)
			res.Added += ar.Added
			res.Updated += ar.Updated
			res.Unchanged += ar.Unchanged
		}
		if p.State != nil && len(states) > 0 {
			if err := p.State.PutFeedItems(fctx, feedURL, states); err != nil {
				storeErr = fmt.Errorf("feed %s: save item state: %w", feedURL, err)
				return
			}
		}
		arts, states = arts[:0], nil
	}
	for {
		var o outcome
		var ok bool
		select {
		case o, ok = <-results:
		default:
			// Nothing more fetched yet (pages are slow): store what was, so
			// that an instance killed while it waits loses nothing it
			// fetched, and the instance taking over does not fetch it again.
			flush()
			o, ok = <-results
		}
		if !ok {
			break
		}
		done++
		p.report(Event{Kind: ItemDone, Feed: feedURL, Items: len(work), Done: done})
		if o.skipped {
			continue // not processed; the next poll does it
		}
		if o.art != nil {
			arts = append(arts, o.art)
			if !o.fromPage {
				res.FromSummary++
				if res.summaryWhy == nil {
					res.summaryWhy = o.err
				}
			}
		} else if o.state.ArticleID == "" {
			res.Failed++
		} else {
			res.Unchanged++ // stored already (another feed, an earlier poll)
		}
		states = append(states, o.state)
		if len(arts) >= batchSize {
			flush()
		}
	}
	flush()
	return storeErr == nil && ctx.Err() == nil && done == len(work), storeErr
}

// forgetRejected clears the article of the item states whose article Add
// rejected (its storing panicked), so that a later poll tries the item
// again instead of taking it for stored.
func forgetRejected(arts []*knowledge.Article, probs []parse.Problem, states []ItemState) {
	rejected := map[string]bool{}
	for _, pr := range probs {
		if !pr.Warning {
			rejected[pr.Where] = true
		}
	}
	if len(rejected) == 0 {
		return
	}
	for _, a := range arts {
		if !rejected[a.URL] && !(a.URL == "" && rejected[a.Title]) {
			continue
		}
		for i := range states {
			if states[i].ArticleID == a.ID {
				states[i].ArticleID, states[i].FromPage = "", false
			}
		}
	}
}

// safeWork is work, except that a panic while making the item's article
// (a parser or page bug tripped by a stranger's item) is logged with its
// stack and counts as a failed attempt at the item: the rest of the feed
// goes on, and later polls retry it like an unreadable page.
func (p *Poller) safeWork(ctx context.Context, feedURL string, w workItem, seen *roundSeen) (o outcome) {
	where := "feed item " + w.item.Link
	if w.item.Link == "" {
		where = "feed item " + w.item.Key
	}
	if perr := safe.Do(ctx, p.Logger, where, func() { o = p.work(ctx, feedURL, w, seen) }); perr != nil {
		o = outcome{state: w.state, err: perr}
		o.state.Fingerprint, o.state.Link, o.state.Title, o.state.LastSeen = w.item.Fingerprint, w.item.Link, w.item.Title, p.now()
		if o.state.FirstSeen.IsZero() {
			o.state.FirstSeen = o.state.LastSeen
		}
		o.state.Attempts++
	}
	return o
}

// work makes the article for one item and its new state.
func (p *Poller) work(ctx context.Context, feedURL string, w workItem, seen *roundSeen) (o outcome) {
	now := p.now()
	it := w.item
	o.state = w.state
	o.state.Fingerprint, o.state.Link, o.state.Title, o.state.LastSeen = it.Fingerprint, it.Link, it.Title, now
	if o.state.FirstSeen.IsZero() {
		o.state.FirstSeen = now
	}
	if p.Retention > 0 && !it.Published.IsZero() && it.Published.Before(now.Add(-p.Retention)) {
		o.state.Attempts = p.retries() // too old to keep: never fetched
		return o
	}
	if key := knowledge.NormalizeURL(DeAMP(it.Link)); key != "" && !w.retry {
		e, owner := seen.claim(key)
		if !owner {
			select {
			case <-e.done:
			case <-ctx.Done():
				o.err, o.skipped = ctx.Err(), true
				return o
			}
			if e.id != "" {
				o.state.ArticleID, o.state.FromPage = e.id, e.fromPage
				return o
			}
		} else {
			defer func() {
				if o.art != nil {
					e.id = knowledge.ArticleID(o.art)
				} else {
					e.id = o.state.ArticleID
				}
				e.fromPage = o.state.FromPage
				close(e.done)
			}()
		}
		// A new item whose link is already stored (from another feed, or
		// before a crash) needs no fetch.
		if w.isNew && p.State != nil && p.Store != nil {
			if old, err := p.Store.Article(ctx, knowledge.ArticleID(&knowledge.Article{URL: DeAMP(it.Link)})); err == nil {
				o.state.ArticleID, o.state.FromPage = old.ID, true
				return o
			}
		}
	}
	a, fromPage, pageErr := p.itemArticle(ctx, it)
	if ctx.Err() != nil {
		o.err, o.skipped = ctx.Err(), true
		return o
	}
	log := p.logger().With("feed", feedURL, "item", it.Link)
	if fromPage {
		o.state.FromPage, o.state.Attempts = true, 0
	} else {
		o.state.Attempts++
		o.err = pageErr
		if w.retry && o.state.ArticleID != "" {
			a = nil // the summary is stored already
		}
		if a != nil {
			log.Info("page not used; indexing the feed's summary", "reason", pageErr)
		}
	}
	if a == nil {
		if o.state.ArticleID == "" && o.state.Attempts >= p.retries() {
			log.Warn("gave up on a feed item: no text from its page or the feed", "title", it.Title, "err", pageErr)
		}
		return o
	}
	p.stableDate(ctx, a, o.state.FirstSeen)
	if _, err := parse.Clean(a); err != nil {
		log.Warn("feed item has no usable text", "title", it.Title, "err", err)
		return o
	}
	a.ID = knowledge.ArticleID(a)
	o.art, o.fromPage = a, fromPage
	o.state.ArticleID = a.ID
	if !it.Published.IsZero() {
		o.state.Published = it.Published
	} else {
		o.state.Published = a.Published
	}
	return o
}

// fetchFeed fetches the feed (conditionally, with st's validators) and
// parses it; doc is nil when the feed is unchanged (resp.NotModified).
func (p *Poller) fetchFeed(ctx context.Context, src Source, st FeedState) (*web.Response, *Document, error) {
	resp, err := p.Client.Get(ctx, web.Request{URL: src.URL, ETag: st.ETag, LastModified: st.LastModified, Accept: acceptFeed})
	if err != nil || resp.NotModified {
		return resp, nil, err
	}
	switch Detect(resp.Body, resp.ContentType) {
	case KindFeed:
		doc, err := Parse(resp.Body, resp.ContentType, resp.URL)
		return resp, doc, err
	case KindPage:
		return resp, nil, fmt.Errorf("%s is an HTML page, not a feed", resp.URL)
	}
	return resp, nil, fmt.Errorf("%s is not an RSS, Atom or JSON feed", resp.URL)
}

// plan decides, from what is known of the feed's items, which to fetch
// (new, changed, or pending a retry) and which were only seen again.
func (p *Poller) plan(ctx context.Context, src Source, st FeedState, resp *web.Response, doc *Document, now time.Time) (work []workItem, touched []ItemState, err error) {
	known := map[string]ItemState{}
	if p.State != nil {
		list, err := p.State.FeedItems(ctx, src.URL)
		if err != nil {
			return nil, nil, fmt.Errorf("feed %s: read item state: %w", src.URL, err)
		}
		for _, s := range list {
			known[s.Key] = s
		}
	}
	if resp.NotModified {
		for _, s := range known {
			if p.pending(s) && s.Link != "" && s.LastSeen.After(now.Add(-itemsKeptFor)) {
				it := Item{Key: s.Key, Link: s.Link, Title: s.Title, Published: s.Published, Fingerprint: s.Fingerprint}
				work = append(work, workItem{item: it, state: s, retry: true})
			}
		}
	} else {
		items := doc.Items[:min(len(doc.Items), p.maxItems())]
		for _, it := range items {
			s, ok := known[it.Key]
			switch {
			case !ok:
				work = append(work, workItem{item: it, state: ItemState{Key: it.Key, FirstSeen: now}, isNew: true})
			case s.Fingerprint != it.Fingerprint:
				s.Attempts = 0
				work = append(work, workItem{item: it, state: s})
			case p.pending(s):
				work = append(work, workItem{item: it, state: s, retry: true})
			default:
				s.LastSeen = now
				touched = append(touched, s)
			}
		}
	}
	return work, touched, nil
}
