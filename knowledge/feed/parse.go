package feed

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsbot/newsbot/knowledge/web"
)

// Kind is what a fetched document is.
type Kind int

// The kinds of document Detect tells apart.
const (
	KindUnknown Kind = iota
	KindFeed         // RSS, Atom or JSON Feed
	KindPage         // an HTML page
)

// Detect tells a feed from an HTML page by its content (the media type only
// breaks ties): an <rss>, <rdf:RDF> or <feed> root element, or a JSON
// object with a jsonfeed.org version, is a feed; a document that looks like
// HTML is a page.
func Detect(body []byte, contentType string) Kind {
	head := body
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return KindUnknown
	case trimmed[0] == '{':
		if isJSONFeed(body) {
			return KindFeed
		}
		return KindUnknown
	case trimmed[0] != '<':
		return KindUnknown
	}
	if gofeed.DetectFeedType(bytes.NewReader(head)) != gofeed.FeedTypeUnknown {
		return KindFeed
	}
	lower := bytes.ToLower(trimmed[:min(len(trimmed), 2048)])
	if web.MediaType(contentType) == "text/html" || web.MediaType(contentType) == "application/xhtml+xml" ||
		bytes.Contains(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html")) ||
		bytes.Contains(lower, []byte("<head")) || bytes.Contains(lower, []byte("<body")) {
		return KindPage
	}
	return KindUnknown
}

func isJSONFeed(body []byte) bool {
	var v struct {
		Version string `json:"version"`
	}
	return json.Unmarshal(body, &v) == nil && strings.Contains(v.Version, "jsonfeed.org/version/")
}

// Document is a parsed feed.
type Document struct {
	Title string
	// Link is the site the feed belongs to, when it says.
	Link  string
	Items []Item
}

// Item is one entry of a feed, reduced to what becomes an article.
type Item struct {
	// Key identifies the item within its feed: its GUID, else its link,
	// else a digest of its title and summary.
	Key string
	// Link is the item's page, absolute; "" when it has none.
	Link   string
	Title  string
	Author string
	// Summary is the item's content, else its description (HTML).
	Summary string
	// Published is the item's publication (else update) time; zero when the
	// item has no readable date.
	Published time.Time
	// Fingerprint changes when the item changes (its title, link, dates or
	// summary).
	Fingerprint string
	// Site is the host of the feed's site, the outlet named for an item
	// without a link of its own.
	Site string
}

// Parse parses an RSS, Atom or JSON Feed document fetched from feedURL
// (used to resolve relative links). An XML document's encoding comes from
// a byte-order mark, its UTF-8 validity, its prolog, contentType's charset
// or detection (web.DecodeXML). It returns an error for a
// document that is not a well-formed feed.
func Parse(body []byte, contentType, feedURL string) (*Document, error) {
	base, err := url.Parse(feedURL)
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	body = transcodeXML(body, contentType)
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, fmt.Errorf("parse feed %s: not an RSS, Atom or JSON feed", feedURL)
		}
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	doc := &Document{Title: strings.TrimSpace(f.Title), Link: f.Link}
	if l, err := base.Parse(strings.TrimSpace(f.Link)); err == nil && f.Link != "" {
		base = l // items' relative links are relative to the site
		doc.Link = l.String()
	}
	site := hostName(base.String())
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		item := newItem(it, base)
		item.Site = site
		doc.Items = append(doc.Items, item)
	}
	// Newest first, undated items keep their place after dated ones.
	sort.SliceStable(doc.Items, func(i, j int) bool {
		a, b := doc.Items[i].Published, doc.Items[j].Published
		return !a.IsZero() && (b.IsZero() || a.After(b))
	})
	return doc, nil
}

// transcodeXML converts a feed to UTF-8 (see web.DecodeXML: byte-order
// mark, valid UTF-8, the prolog's encoding, the Content-Type charset, then
// detection), with its prolog rewritten to say so. A body it cannot
// decode is returned as it is, for the XML parser to judge.
func transcodeXML(body []byte, contentType string) []byte {
	out, _, err := web.DecodeXML(body, contentType)
	if err != nil {
		return body
	}
	return out
}

func newItem(it *gofeed.Item, base *url.URL) Item {
	out := Item{Title: strings.Join(strings.Fields(it.Title), " ")}
	link := strings.TrimSpace(it.Link)
	if link == "" && (strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://")) {
		link = strings.TrimSpace(it.GUID)
	}
	if link != "" {
		if u, err := base.Parse(link); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			u.Fragment = ""
			out.Link = u.String()
		}
	}
	var names []string
	for _, p := range it.Authors {
		if p != nil && strings.TrimSpace(p.Name) != "" {
			names = append(names, strings.TrimSpace(p.Name))
		}
	}
	if len(names) == 0 && it.Author != nil && it.Author.Name != "" {
		names = append(names, it.Author.Name)
	}
	if len(names) == 0 && it.DublinCoreExt != nil {
		names = append(names, it.DublinCoreExt.Creator...)
	}
	out.Author = strings.Join(names, ", ")
	out.Summary = it.Content
	if len(strings.TrimSpace(it.Description)) > len(strings.TrimSpace(stripTags(it.Content))) {
		out.Summary = it.Description
	}
	switch {
	case it.PublishedParsed != nil && plausible(*it.PublishedParsed):
		out.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil && plausible(*it.UpdatedParsed):
		out.Published = it.UpdatedParsed.UTC()
	}
	h := sha1.New()
	for _, s := range []string{out.Title, out.Link, it.Published, it.Updated, out.Summary} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	out.Fingerprint = hex.EncodeToString(h.Sum(nil))[:16]
	switch {
	case strings.TrimSpace(it.GUID) != "":
		out.Key = strings.TrimSpace(it.GUID)
	case out.Link != "":
		out.Key = out.Link
	default:
		sum := sha1.Sum([]byte(out.Title + "\x00" + out.Summary))
		out.Key = "sha1:" + hex.EncodeToString(sum[:])[:16]
	}
	return out
}

// stripTags is a rough text length measure for HTML.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
