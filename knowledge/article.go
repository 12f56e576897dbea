// Package knowledge holds newsbot's domain: articles and their paragraphs,
// parsing of the supported input formats, the Store contract that storage
// engines implement, and the ranking that finds the paragraphs answering a
// question.
//
// Storage engines live in sub-packages named after the dependency they wrap
// (knowledge/sqlite, knowledge/postgres); knowledge/storetest holds the one
// test suite every engine must pass.
package knowledge

import (
	"crypto/sha1"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Article is one news article as newsbot stores it.
//
// Paragraph numbers are 1-based positions in Paragraphs and are part of every
// citation.
type Article struct {
	// ID is stable across re-ingests: derived from the URL when there is one,
	// else from the article's identifying content (see ArticleID).
	ID     string
	URL    string
	Title  string
	Source string // outlet, e.g. "AP" or "apnews.com"
	Byline string
	// Published is the publication time; zero when unknown.
	Published time.Time
	// Updated is when this version of the article was stored, if it replaced
	// an earlier version; zero for an article stored only once.
	Updated time.Time
	// FirstSeen is when newsbot first stored the article.
	FirstSeen time.Time
	// Lang is the article's language (ISO 639-1, "fr"), detected when it
	// is stored (analysis.Detect); empty when unsure or stored before
	// newsbot knew languages.
	Lang       string
	Paragraphs []string
}

// Passage is one paragraph of an article, as returned by retrieval.
type Passage struct {
	// Doc is the paragraph's number in the index; it changes when the
	// article is updated, so cite ArticleID and Paragraph instead.
	Doc       int64
	ArticleID string
	URL       string
	Title     string
	Source    string
	Byline    string
	Published time.Time
	Updated   time.Time
	// FirstSeen is when the article was first stored; Lang its language
	// (Article.Lang).
	FirstSeen time.Time
	Lang      string
	// Paragraph is the 1-based paragraph number within the article.
	Paragraph int
	Text      string
	// Score is the ranking score; only comparable within one result list.
	Score float64
	// AlsoIn lists other articles carrying the same paragraph word for word
	// (wire copies), collapsed into this result; their Text is empty.
	AlsoIn []Passage
}

// ArticleID returns the stable id of an article: the first 12 hex digits of
// the SHA-1 of its normalised URL when it has one (the same rule as the
// RealTime QA corpus, so ids match that corpus), otherwise of its title,
// publication date, source and first paragraph. Later paragraphs are left out
// on purpose, so that a corrected article keeps its id and replaces the old
// version.
func ArticleID(a *Article) string {
	var key string
	if u := NormalizeURL(a.URL); u != "" {
		key = u
	} else {
		var b strings.Builder
		b.WriteString("content\x00")
		b.WriteString(strings.ToLower(strings.Join(strings.Fields(a.Title), " ")))
		b.WriteByte(0)
		if !a.Published.IsZero() {
			b.WriteString(a.Published.UTC().Format("2006-01-02"))
		}
		b.WriteByte(0)
		b.WriteString(strings.ToLower(a.Source))
		b.WriteByte(0)
		if len(a.Paragraphs) > 0 {
			b.WriteString(strings.Join(strings.Fields(a.Paragraphs[0]), " "))
		}
		key = b.String()
	}
	sum := sha1.Sum([]byte(key))
	return hex.EncodeToString(sum[:])[:12]
}

// ContentHash returns a digest of what an article says: its normalised URL,
// title, source, byline, date and paragraphs (not the timestamps of its
// arrival, nor the form of its URL). Two versions with the same hash are the
// same.
func ContentHash(a *Article) string {
	h := sha1.New()
	for _, s := range []string{NormalizeURL(a.URL), a.Title, a.Source, a.Byline} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if !a.Published.IsZero() {
		h.Write([]byte(a.Published.UTC().Format(time.RFC3339)))
	}
	h.Write([]byte{0})
	for _, p := range a.Paragraphs {
		h.Write([]byte(p))
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// trackingParams are query parameters that identify a campaign, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"cmpid": true, "ref": true, "ref_src": true, "smid": true, "smtyp": true, "ocid": true,
	"taid": true, "cid": true, "partner": true, "soc_src": true, "soc_trk": true, "igshid": true,
	"_ga": true, "yclid": true, "ito": true, "outputtype": true, "amp": true,
}

// isTrackingParam reports whether a query parameter identifies a campaign
// (utm_*, trackingParams), not a page.
func isTrackingParam(k string) bool {
	lk := strings.ToLower(k)
	return strings.HasPrefix(lk, "utm_") || trackingParams[lk]
}

// DisplayURL returns raw as a link to show: the same URL without its
// tracking parameters (utm_*, fbclid, ...), everything else kept. An
// unparsable URL is returned as it is.
func DisplayURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.RawQuery == "" {
		return raw
	}
	q := u.Query()
	changed := false
	for k := range q {
		if isTrackingParam(k) {
			q.Del(k)
			changed = true
		}
	}
	if !changed {
		return raw
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// NormalizeURL returns the form of a URL used to identify an article: host in
// lower case without "www." (an IPv6 address keeps its brackets), path without a trailing slash, and the query
// without tracking parameters (utm_*, fbclid, ...); scheme and fragment are
// dropped. It returns "" for an empty or unparsable URL.
func NormalizeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	for strings.HasPrefix(host, "www.") {
		host = host[len("www."):]
	}
	if host == "" {
		return ""
	}
	if strings.Contains(host, ":") {
		if !strings.HasPrefix(u.Host, "[") {
			return "" // "::" and the like: no host at all
		}
		host = "[" + host + "]" // IPv6: keep the form a URL needs
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		if isTrackingParam(k) {
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return host + path
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		vs := q[k]
		sort.Strings(vs)
		for j, v := range vs {
			if j > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return host + path + "?" + b.String()
}

// Date returns t's calendar date as YYYY-MM-DD, or "" for the zero time.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}
