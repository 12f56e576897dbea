package feed

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/web"
)

// IsURL reports whether s is an http(s) URL, as opposed to a file path.
// The scheme is compared ASCII case-insensitively on s itself: lower-casing
// s first would cost a copy of it and could change its length (U+212A, the
// Kelvin sign, lower-cases to "k").
func IsURL(s string) bool {
	return hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://")
}

// hasPrefixFold reports whether s begins with prefix, an ASCII string,
// ignoring ASCII case only.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// SniffFile reports whether a local file holds a feed or an HTML page (by
// its content), so that `newsbot ingest` can send it here rather than to
// the article formats of knowledge.Ingester.
func SniffFile(path string) (Kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return KindUnknown, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.IsDir() {
		return KindUnknown, err
	}
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return KindUnknown, err
	}
	head = head[:n]
	if len(head) > 0 && head[0] == '{' {
		// A JSON Feed needs the whole object to be recognised.
		if all, err := os.ReadFile(path); err == nil && len(all) <= 32<<20 {
			head = all
		}
	}
	return Detect(head, ""), nil
}

// Ingest stores the articles of one feed or article page, given as an
// http(s) URL or a local file; which of the two it is comes from the
// content, not the name. A feed's items are read like a poll does (their
// pages fetched, their summaries used when a page cannot be read), without
// recording feed state. The URL itself is fetched even where robots.txt
// would not allow a crawler: the user asked for it. It returns what it did,
// or an error when the target cannot be read or is neither a feed nor a
// page, or when the store fails.
//
// A panic while reading the target is logged with its stack and returned
// as a *safe.PanicError.
func (p *Poller) Ingest(ctx context.Context, target string) (res FeedResult, kind Kind, err error) {
	if perr := safe.Do(ctx, p.Logger, "ingest "+target, func() { res, kind, err = p.ingest(ctx, target) }); perr != nil {
		return FeedResult{URL: target}, KindUnknown, perr
	}
	return res, kind, err
}

func (p *Poller) ingest(ctx context.Context, target string) (FeedResult, Kind, error) {
	start := time.Now()
	res := FeedResult{URL: target}
	var body []byte
	var contentType, base string
	if IsURL(target) {
		resp, err := p.Client.Get(ctx, web.Request{URL: target, Accept: acceptFeed + "," + acceptHTML})
		if err != nil {
			return res, KindUnknown, err
		}
		body, contentType, base = resp.Body, resp.ContentType, resp.URL
	} else {
		f, err := os.Open(target)
		if err != nil {
			return res, KindUnknown, err
		}
		defer f.Close()
		limit := p.Client.Limit()
		body, err = io.ReadAll(io.LimitReader(f, limit+1))
		if err != nil {
			return res, KindUnknown, fmt.Errorf("read %s: %w", target, err)
		}
		if int64(len(body)) > limit {
			return res, KindUnknown, fmt.Errorf("read %s: %w", target, web.ErrTooLarge)
		}
		abs, _ := filepath.Abs(target)
		base = "file://" + filepath.ToSlash(abs)
	}
	kind := Detect(body, contentType)
	switch kind {
	case KindFeed:
		doc, err := Parse(body, contentType, base)
		if err != nil {
			return res, kind, err
		}
		res.Title, res.Items = doc.Title, len(doc.Items)
		items := doc.Items[:min(len(doc.Items), p.maxItems())]
		work := make([]workItem, len(items))
		now := p.now()
		for i, it := range items {
			work[i] = workItem{item: it, state: ItemState{Key: it.Key, FirstSeen: now}, isNew: true}
		}
		res.Work = len(work)
		p.report(Event{Kind: FeedFetched, Feed: target, Items: len(work)})
		_, err = p.processItems(ctx, target, work, nil, &roundSeen{m: map[string]*seenEntry{}}, &res)
		res.Elapsed = time.Since(start)
		return res, kind, err
	case KindPage:
		page, err := ExtractPage(body, contentType, base)
		if err != nil {
			return res, kind, err
		}
		a := page.Article
		switch {
		case page.Canonical != "":
		case IsURL(base):
			a.URL = DeAMP(base)
		default:
			a.URL = "" // a local file: the id comes from the content
		}
		if a.Source == "" {
			a.Source = hostName(a.URL)
		}
		p.stableDate(ctx, a, p.now())
		res.Title, res.Items, res.Work = a.Title, 1, 1
		ar, probs, err := p.ingester().Add(ctx, []*knowledge.Article{a})
		if err != nil {
			return res, kind, err
		}
		for _, pr := range probs {
			if !pr.Warning {
				return res, kind, fmt.Errorf("%s: %w", target, pr.Err)
			}
		}
		res.Added, res.Updated, res.Unchanged = ar.Added, ar.Updated, ar.Unchanged
		res.Elapsed = time.Since(start)
		return res, kind, nil
	}
	return res, kind, fmt.Errorf("%s is neither a feed (RSS, Atom, JSON Feed) nor an HTML page", target)
}
