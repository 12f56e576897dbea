package feed

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/web"
)

const acceptHTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
const acceptFeed = "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"

// fetchPage downloads and extracts an article page (robots.txt applies).
// The article's URL is the page's canonical URL, else the URL reached after
// redirects with any AMP form removed.
func (p *Poller) fetchPage(ctx context.Context, link string, robots bool) (*Page, error) {
	resp, err := p.Client.Get(ctx, web.Request{URL: link, Page: robots, Accept: acceptHTML})
	if err != nil {
		return nil, err
	}
	if mt := web.MediaType(resp.ContentType); mt != "" && mt != "text/html" && mt != "application/xhtml+xml" &&
		Detect(resp.Body, resp.ContentType) != KindPage {
		return nil, fmt.Errorf("%s is not an HTML page (%s)", resp.URL, mt)
	}
	page, err := ExtractPage(resp.Body, resp.ContentType, resp.URL)
	if err != nil {
		return nil, err
	}
	if page.Canonical == "" {
		page.Article.URL = DeAMP(resp.URL)
	}
	return page, nil
}

// itemArticle makes the article for a feed item: from its page when the
// page can be read and says more than the item itself, else from the item's
// summary. It returns the article (nil when neither has text), whether it
// came from the page, and why the page was not used (nil when it was).
func (p *Poller) itemArticle(ctx context.Context, it Item) (*knowledge.Article, bool, error) {
	summary := HTMLParagraphs(it.Summary)
	var pageErr error
	if it.Link == "" {
		pageErr = errors.New("the item has no link")
	} else if page, err := p.fetchPage(ctx, it.Link, true); err != nil {
		pageErr = err
	} else if n, s := textLen(page.Article.Paragraphs), textLen(summary); n < s {
		pageErr = fmt.Errorf("the page's text (%d bytes) is shorter than the feed's (%d bytes)", n, s)
	} else {
		// The page's own metadata wins, so that the same story reached
		// through two feeds is the same article; the item fills gaps.
		a := page.Article
		if a.Title == "" {
			a.Title = it.Title
		}
		if a.Byline == "" {
			a.Byline = it.Author
		}
		if a.Source == "" {
			a.Source = hostName(a.URL)
		}
		if a.Published.IsZero() {
			a.Published = it.Published
		}
		return a, true, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if len(summary) == 0 {
		return nil, false, fmt.Errorf("page unavailable (%v) and the item has no text of its own", pageErr)
	}
	a := &knowledge.Article{
		URL: DeAMP(it.Link), Title: it.Title, Byline: it.Author, Source: hostName(it.Link),
		Published: it.Published, Paragraphs: summary,
	}
	if a.Source == "" {
		a.Source = it.Site
	}
	return a, false, pageErr
}

// hostName is an outlet name from a URL: its host without "www.".
func hostName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// stableDate leaves an undated article undated: the day it was read is not
// its publication date (answers show such an article as undated, with the
// day it was first seen). Only a date a previous read found is kept (an
// article first stored from a dated feed item), except a stored date equal
// to the article's first-seen time, which older versions set in place of
// a missing date. seen is unused, kept for the callers' sake.
func (p *Poller) stableDate(ctx context.Context, a *knowledge.Article, seen time.Time) {
	_ = seen
	if !a.Published.IsZero() || knowledge.NormalizeURL(a.URL) == "" || p.Store == nil {
		return
	}
	old, err := p.Store.Article(ctx, knowledge.ArticleID(&knowledge.Article{URL: a.URL}))
	if err != nil || old.Published.IsZero() {
		return
	}
	if d := old.Published.Sub(old.FirstSeen); d > -2*time.Minute && d < 2*time.Minute {
		return // the read day of an older version, not a date
	}
	a.Published = old.Published
}

// shortError is an error's message cut to a length that fits a status line.
func shortError(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}
