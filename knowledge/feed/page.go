package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/parse"
	"github.com/newsbot/newsbot/knowledge/web"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrNoText means a page held no readable article text.
var ErrNoText = errors.New("no readable article text on the page")

// MinPageText is the least text (in bytes, over all paragraphs) an
// extracted page must have to count as an article rather than a teaser,
// cookie wall or index page.
const MinPageText = 200

// Page is an article extracted from an HTML page.
type Page struct {
	// Article has the page's title, byline, site name (as Source),
	// publication time (zero when the page has none) and paragraphs. Its
	// URL is Canonical when there is one, else the page's own URL.
	Article *knowledge.Article
	// Canonical is the page's <link rel=canonical> or og:url, made absolute;
	// "" when it has neither.
	Canonical string
}

// ExtractPage extracts the article from an HTML page fetched from pageURL
// (used to resolve relative links). The body is decoded as web.DecodeHTML
// does: byte-order mark, valid UTF-8, contentType's charset, a <meta>
// anywhere in the <head>, then detection. It
// returns ErrNoText when the page has too little readable text.
func ExtractPage(body []byte, contentType, pageURL string) (*Page, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	text, _, err := web.DecodeHTML(body, contentType)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	doc, err := html.Parse(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("extract %s: parse HTML: %w", pageURL, err)
	}
	canonical := findCanonical(doc, base)
	parser := readability.NewParser()
	parser.MaxElemsToParse = 200000
	art, err := parser.ParseAndMutate(doc, base)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	if art.Node == nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, ErrNoText)
	}
	a := &knowledge.Article{
		URL:    pageURL,
		Title:  strings.TrimSpace(art.Title()),
		Source: strings.TrimSpace(art.SiteName()),
		Byline: cleanByline(art.Byline()),
	}
	if canonical != "" {
		a.URL = canonical
	}
	if t, err := art.PublishedTime(); err == nil && plausible(t) {
		a.Published = t.UTC()
	}
	paras := Paragraphs(art.Node)
	// Drop the headline repeated as the first paragraph.
	if len(paras) > 0 && strings.EqualFold(paras[0], a.Title) {
		paras = paras[1:]
	}
	if a.Byline == "" && len(paras) > 0 {
		if m := bylineRe.FindStringSubmatch(paras[0]); m != nil {
			a.Byline, paras = m[1], paras[1:]
		}
	} else if len(paras) > 0 && bylineRe.MatchString(paras[0]) {
		paras = paras[1:]
	}
	a.Paragraphs = parse.BoundParagraphs(paras)
	if textLen(paras) < MinPageText {
		return nil, fmt.Errorf("extract %s: %w", pageURL, ErrNoText)
	}
	return &Page{Article: a, Canonical: canonical}, nil
}

// plausible rejects dates a page could not really have been published on.
func plausible(t time.Time) bool {
	return t.Year() >= 1990 && t.Before(time.Now().Add(48*time.Hour))
}

func textLen(paras []string) int {
	n := 0
	for _, p := range paras {
		n += len(p)
	}
	return n
}

// bylineRe matches a paragraph that is only a byline: "By Jane Doe",
// "By JANE DOE and John Roe".
var bylineRe = regexp.MustCompile(`^(?i:by)\s+([\p{Lu}][\p{L}.'’-]*(?:[ ,]+(?:and\s+)?[\p{Lu}][\p{L}.'’-]*){0,8})\s*$`)

// cleanByline trims a byline and a leading "By".
func cleanByline(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 3 && strings.EqualFold(s[:3], "by ") {
		s = s[3:]
	}
	if len(s) > 200 { // a paragraph mistaken for a byline
		return ""
	}
	return s
}

// findCanonical returns the page's canonical URL: <link rel=canonical>,
// else <meta property=og:url>, resolved against base; "" when there is
// none or it is not an http(s) URL.
func findCanonical(doc *html.Node, base *url.URL) string {
	var link, og string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Link:
				if link == "" && hasToken(attr(n, "rel"), "canonical") {
					link = attr(n, "href")
				}
			case atom.Meta:
				if og == "" && (attr(n, "property") == "og:url" || attr(n, "name") == "og:url") {
					og = attr(n, "content")
				}
			case atom.Body:
				return // metadata lives in <head>
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, raw := range []string{link, og} {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		u, err := base.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		u.Fragment = ""
		return u.String()
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// blocks are the elements that end a paragraph.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Hr: true, atom.Address: true,
	atom.Figure: true, atom.Details: true, atom.Summary: true,
}

// skipped are elements whose text is not part of the article.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Figcaption: true, atom.Button: true, atom.Nav: true, atom.Form: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Select: true,
}

// Paragraphs returns the text of an HTML fragment as paragraphs: each block
// element (p, li, h2, blockquote, ...) is one paragraph, whitespace is
// collapsed, and scripts, captions and forms are left out.
func Paragraphs(n *html.Node) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(cur.String()), " "); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped[n.DataAtom] {
				return
			}
			if n.DataAtom == atom.Br {
				cur.WriteByte(' ')
				return
			}
		}
		block := n.Type == html.ElementNode && blocks[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(n)
	flush()
	return out
}

// HTMLParagraphs returns the paragraphs of an HTML fragment (a feed item's
// description or content); plain text is split on blank lines. Paragraphs
// longer than knowledge.MaxParagraphRunes are split.
func HTMLParagraphs(fragment string) []string {
	if !strings.ContainsAny(fragment, "<&") {
		return parse.BoundParagraphs(parse.SplitParagraphs(fragment))
	}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return parse.BoundParagraphs(parse.SplitParagraphs(fragment))
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return parse.BoundParagraphs(Paragraphs(root))
}
