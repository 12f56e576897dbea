package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/newsbot/newsbot/internal/jsonout"
	"github.com/newsbot/newsbot/knowledge/feed"
)

// Poller is the part of feed.Poller the terminal uses.
type Poller interface {
	Poll(ctx context.Context, force bool) (feed.Round, error)
	Status(ctx context.Context) ([]feed.Status, error)
}

// WriteFeeds prints each feed's state: last fetch, items, last error, next
// fetch. now makes relative times ("2m ago") reproducible.
func WriteFeeds(w io.Writer, sts []feed.Status, now time.Time) error {
	var b strings.Builder
	if len(sts) == 0 {
		b.WriteString("No feeds are configured. Set NEWSBOT_FEEDS (or NEWSBOT_FEEDS_FILE) to poll some.\n")
	}
	for i, s := range sts {
		if i > 0 {
			b.WriteByte('\n')
		}
		st := s.State
		if st.Title != "" {
			fmt.Fprintf(&b, "%s\n  %s — every %s\n", st.Title, s.URL, shortDuration(s.Interval))
		} else {
			fmt.Fprintf(&b, "%s — every %s\n", s.URL, shortDuration(s.Interval))
		}
		if !s.Polled {
			b.WriteString("  last fetch: never\n  next fetch: now\n")
			continue
		}
		fmt.Fprintf(&b, "  last fetch: %s", when(st.LastFetch, now))
		if st.Failures == 0 {
			fmt.Fprintf(&b, ", ok — %s in the feed, %s added in all\n", plural(st.Items, "item"), plural(st.Articles, "article"))
		} else {
			times := "once"
			if st.Failures > 1 {
				times = fmt.Sprintf("%d times in a row", st.Failures)
			}
			fmt.Fprintf(&b, ", failed %s\n  last error: %s\n", times, st.LastError)
			if st.LastSuccess.IsZero() {
				b.WriteString("  last success: never\n")
			} else {
				fmt.Fprintf(&b, "  last success: %s — %s in the feed then, %s added in all\n", when(st.LastSuccess, now),
					plural(st.Items, "item"), plural(st.Articles, "article"))
			}
		}
		next := when(st.NextFetch, now)
		if !st.NextFetch.After(now) {
			next = "now"
		} else if st.Failures > 1 {
			next = strings.TrimSuffix(next, ")") + ", backing off)"
		}
		fmt.Fprintf(&b, "  next fetch: %s\n", next)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// when is "16 Apr 12:03 (2m ago)" or "16 Apr 12:33 (in 28m)".
func when(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	rel := shortDuration(d) + " ago"
	if d < 0 {
		rel = "in " + shortDuration(-d)
	}
	if d > -time.Minute && d < time.Minute {
		rel = "just now"
	}
	return t.In(now.Location()).Format("2 Jan 15:04") + " (" + rel + ")"
}

// shortDuration is "45s", "28m", "3h10m", "2d4h".
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%dm", h, m)
	}
	days, h := int(d.Hours())/24, int(d.Hours())%24
	if h == 0 {
		return fmt.Sprintf("%dd", days)
	}
	return fmt.Sprintf("%dd%dh", days, h)
}

// FetchProgress shows a round of feed polling: a line per feed as it
// finishes and, on a terminal (Live), a status line that counts up. Set its
// Event method as the poller's Progress. It is safe for concurrent use.
type FetchProgress struct {
	W    io.Writer
	Live bool

	mu       sync.Mutex
	stopped  bool
	feeds    int // feeds done
	articles int
	items    map[string][2]int // feed -> done, total
}

// Event takes one progress event.
func (p *FetchProgress) Event(e feed.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	if p.items == nil {
		p.items = map[string][2]int{}
	}
	switch e.Kind {
	case feed.FeedFetched:
		p.items[e.Feed] = [2]int{0, e.Items}
	case feed.ItemDone:
		p.items[e.Feed] = [2]int{e.Done, e.Items}
	case feed.FeedDone:
		p.feeds++
		r := e.Result
		p.articles += r.Added + r.Updated
		p.clear()
		fmt.Fprintf(p.W, "  %s\n", feedLine(r))
	}
	if p.Live {
		done, total := 0, 0
		for _, c := range p.items {
			done, total = done+c[0], total+c[1]
		}
		p.clear()
		fmt.Fprintf(p.W, "  … %s done, %d of %s read", plural(p.feeds, "feed"), done, plural(total, "item"))
	}
}

func (p *FetchProgress) clear() {
	if p.Live {
		io.WriteString(p.W, "\r\033[K")
	}
}

// Stop ends the display; later events are ignored.
func (p *FetchProgress) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	p.stopped = true
}

// feedLine is one feed's outcome in a sentence.
func feedLine(r *feed.FeedResult) string {
	name := r.Title
	if name == "" {
		name = r.URL
	}
	switch {
	case r.Err != nil:
		return fmt.Sprintf("%s: failed: %v", name, r.Err)
	case r.NotModified && r.Added+r.Updated == 0:
		return fmt.Sprintf("%s: nothing new", name)
	}
	s := fmt.Sprintf("%s: %d new, %d updated", name, r.Added, r.Updated)
	if r.FromSummary > 0 {
		s += fmt.Sprintf(" (%d from the feed's summary: page unavailable)", r.FromSummary)
	}
	if r.Failed > 0 {
		s += fmt.Sprintf(", %d items without text", r.Failed)
	}
	return s
}

// FirstFetch polls every feed before the first answer of a first run,
// showing progress on w (Live: a counting status line, for a terminal). It
// waits at most wait; polling then goes on in the background (the round
// keeps running with ctx). It reports whether the network was unreachable,
// having said so on w.
func FirstFetch(ctx context.Context, p Poller, progress *FetchProgress, n int, wait time.Duration) (offline bool) {
	w := progress.W
	fmt.Fprintf(w, "The store is empty: fetching today's news from %s (this can take up to %s)…\n", plural(n, "feed"), shortDuration(wait))
	start := time.Now()
	type result struct {
		round feed.Round
		err   error
	}
	done := make(chan result, 1)
	go func() {
		r, err := p.Poll(ctx, true)
		done <- result{r, err}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case r := <-done:
		progress.Stop()
		if r.round.Offline() {
			fmt.Fprintf(w, "%s\n\n", OfflineMessage(r.round))
			return true
		}
		ok := 0
		for _, f := range r.round.Feeds {
			if f.Err == nil {
				ok++
			}
		}
		fmt.Fprintf(w, "Fetched %s from %d of %s in %s.\n\n", plural(r.round.Articles(), "article"), ok, plural(len(r.round.Feeds), "feed"),
			time.Since(start).Round(time.Second))
	case <-timer.C:
		progress.Stop()
		fmt.Fprintf(w, "Still fetching in the background; answering from what has arrived so far (see :feeds).\n\n")
	case <-ctx.Done():
		progress.Stop()
	}
	return false
}

// OfflineMessage says, once, that the feeds could not be reached.
func OfflineMessage(r feed.Round) string {
	cause := ""
	for _, f := range r.Feeds {
		if f.Err != nil {
			cause = " (" + rootCause(f.Err) + ")"
			break
		}
	}
	return "I couldn't reach the network" + cause + ", so I'm answering from the articles already in the store. " +
		"The feeds will be tried again in the background."
}

// rootCause is the innermost error message: "no such host", "connection
// refused".
func rootCause(err error) string {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err.Error()
		}
		err = u.Unwrap()
	}
}

// Notices collects what the background poller has to tell the REPL user:
// today, only that the network is unreachable, said once per process. It is
// safe for concurrent use.
type Notices struct {
	mu      sync.Mutex
	pending string
	said    bool
}

// Round takes the outcome of a background round (feed.Poller.OnRound).
func (n *Notices) Round(r feed.Round) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if r.Offline() && !n.said {
		n.pending, n.said = OfflineMessage(r), true
	}
}

// Said marks the offline notice as given (by FirstFetch).
func (n *Notices) Said() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.said = true
}

// Take returns the pending notice, once; "" when there is none.
func (n *Notices) Take() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := n.pending
	n.pending = ""
	return s
}

// WebIngester reads feeds and pages given as URLs or saved files.
type WebIngester interface {
	Ingest(ctx context.Context, target string) (feed.FeedResult, feed.Kind, error)
}

// IngestWeb ingests feeds and pages (URLs or saved files), one line each on
// w. A target that fails is reported and the others still load; the error
// counts the failures.
func IngestWeb(ctx context.Context, in WebIngester, targets []string, w io.Writer) error {
	failed := 0
	for _, t := range targets {
		res, kind, err := in.Ingest(ctx, t)
		if err != nil {
			failed++
			fmt.Fprintf(w, "ingest: %s: %v\n", t, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		what := "page"
		if kind == feed.KindFeed {
			what = fmt.Sprintf("feed %q, %d items", res.Title, res.Items)
		}
		fmt.Fprintf(w, "ingest: %s (%s): %d added, %d updated, %d unchanged", t, what, res.Added, res.Updated, res.Unchanged)
		if res.FromSummary > 0 {
			fmt.Fprintf(w, ", %d from the feed's summary (page unavailable)", res.FromSummary)
		}
		if res.Failed > 0 {
			fmt.Fprintf(w, ", %d without text", res.Failed)
		}
		fmt.Fprintf(w, " in %s\n", res.Elapsed.Round(10*time.Millisecond))
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d feeds or pages could not be read", failed, len(targets))
	}
	return nil
}

// FeedJSON is one feed in `feeds --json`.
type FeedJSON struct {
	URL         string `json:"url"`
	Title       string `json:"title,omitempty"`
	Interval    string `json:"interval"`
	Polled      bool   `json:"polled"`
	LastFetch   string `json:"last_fetch,omitempty"`
	LastSuccess string `json:"last_success,omitempty"`
	LastError   string `json:"last_error,omitempty"`
	Failures    int    `json:"failures"`
	NextFetch   string `json:"next_fetch,omitempty"`
	Items       int    `json:"items"`
	Articles    int    `json:"articles"`
}

// WriteFeedsJSON prints the feeds' state as one JSON array (times in RFC
// 3339, empty when never).
func WriteFeedsJSON(w io.Writer, sts []feed.Status) error {
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	out := []FeedJSON{}
	for _, s := range sts {
		out = append(out, FeedJSON{URL: s.URL, Title: s.State.Title, Interval: s.Interval.String(), Polled: s.Polled,
			LastFetch: stamp(s.State.LastFetch), LastSuccess: stamp(s.State.LastSuccess), LastError: s.State.LastError,
			Failures: s.State.Failures, NextFetch: stamp(s.State.NextFetch), Items: s.State.Items, Articles: s.State.Articles})
	}
	return jsonout.WriteIndented(w, out)
}
