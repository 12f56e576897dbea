package feed_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge/feed"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(data), "{{BASE}}", "https://news.example"))
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, ctype string
		body        []byte
		want        feed.Kind
	}{
		{"rss", "", read(t, "rss.xml"), feed.KindFeed},
		{"atom served as text/html", "text/html", read(t, "atom.xml"), feed.KindFeed},
		{"json feed", "application/json", read(t, "feed.json"), feed.KindFeed},
		{"html page", "", read(t, "bridge.html"), feed.KindPage},
		{"cp1252 page", "", read(t, "quota-cp1252.html"), feed.KindPage},
		{"html fragment by type", "text/html", []byte("<p>Hello</p>"), feed.KindPage},
		{"rdf", "", []byte(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>`), feed.KindFeed},
		{"plain json article", "", []byte(`{"title": "x", "text": "y"}`), feed.KindUnknown},
		{"text", "", []byte("Just a title\n\nAnd text."), feed.KindUnknown},
		{"other xml", "application/xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), feed.KindUnknown},
		{"empty", "", nil, feed.KindUnknown},
	}
	for _, tt := range tests {
		if got := feed.Detect(tt.body, tt.ctype); got != tt.want {
			t.Errorf("%s: Detect = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParseFeeds(t *testing.T) {
	for _, name := range []string{"rss.xml", "atom.xml", "feed.json"} {
		doc, err := feed.Parse(read(t, name), "", "https://news.example/"+name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, it := range doc.Items {
			if it.Key == "" || it.Fingerprint == "" || it.Title == "" {
				t.Errorf("%s: incomplete item %+v", name, it)
			}
			if it.Link != "" && !strings.HasPrefix(it.Link, "https://news.example/") {
				t.Errorf("%s: link %q not made absolute", name, it.Link)
			}
		}
	}
	doc, _ := feed.Parse(read(t, "atom.xml"), "", "https://news.example/atom.xml")
	if got := doc.Items[1]; got.Link != "https://news.example/news/quota" || got.Author != "Lena Fischer" ||
		!got.Published.Equal(time.Date(2025, 4, 14, 16, 20, 0, 0, time.UTC)) {
		t.Errorf("atom entry: %+v", got)
	}
	if _, err := feed.Parse(read(t, "malformed.xml"), "", "https://news.example/bad.xml"); err == nil {
		t.Error("malformed XML: nil error")
	}
	// An ISO-8859-1 feed declared only in the Content-Type header.
	latin1 := []byte("<rss version=\"2.0\"><channel><title>Caf\xe9</title><item><title>Cr\xe8me br\xfbl\xe9e</title><link>https://x.example/a</link></item></channel></rss>")
	doc, err := feed.Parse(latin1, "application/rss+xml; charset=ISO-8859-1", "https://x.example/rss")
	if err != nil || doc.Title != "Café" || doc.Items[0].Title != "Crème brûlée" {
		t.Errorf("latin-1 feed: %+v, %v", doc, err)
	}
	// A changed item has a new fingerprint; the same item the same one.
	a, _ := feed.Parse(read(t, "rss.xml"), "", "https://news.example/rss.xml")
	b, _ := feed.Parse([]byte(strings.Replace(string(read(t, "rss.xml")), "reopened on Tuesday", "reopened on Monday", 1)), "", "https://news.example/rss.xml")
	c, _ := feed.Parse(read(t, "rss.xml"), "", "https://news.example/rss.xml")
	if a.Items[0].Fingerprint == b.Items[0].Fingerprint || a.Items[0].Fingerprint != c.Items[0].Fingerprint || a.Items[1].Fingerprint != b.Items[1].Fingerprint {
		t.Error("fingerprints do not follow item changes")
	}
}

func TestExtractPage(t *testing.T) {
	tests := []struct {
		file, url, wantURL, canonical, byline, first string
	}{
		{"bridge.html", "https://news.example/news/bridge?utm_source=x", "https://news.example/news/bridge", "https://news.example/news/bridge",
			"Anna Berg", "The harbour bridge reopened to traffic on Tuesday morning"},
		{"tram.html", "https://news.example/news/tram", "https://news.example/news/tram", "", "Tomas Novak", "The city council voted 31 to 12"},
		{"library.html", "https://news.example/news/library", "https://news.example/news/library-hours", "https://news.example/news/library-hours",
			"Ines Duarte", "The central library will stay open"},
		{"quota-cp1252.html", "https://news.example/news/quota", "https://news.example/news/quota", "", "Lena Fischer", "Fishermen blocked the port of Kiel"},
	}
	for _, tt := range tests {
		p, err := feed.ExtractPage(read(t, tt.file), "text/html", tt.url)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if p.Article.URL != tt.wantURL || p.Canonical != tt.canonical || p.Article.Byline != tt.byline ||
			len(p.Article.Paragraphs) != 3 && len(p.Article.Paragraphs) != 4 || !strings.HasPrefix(p.Article.Paragraphs[0], tt.first) {
			t.Errorf("%s: url %q canonical %q byline %q paragraphs %q", tt.file, p.Article.URL, p.Canonical, p.Article.Byline, p.Article.Paragraphs)
		}
	}
	// A page with next to no text is not an article.
	_, err := feed.ExtractPage([]byte("<html><body><p>Subscribe to read.</p></body></html>"), "text/html", "https://news.example/x")
	if !errors.Is(err, feed.ErrNoText) {
		t.Errorf("teaser page: %v, want ErrNoText", err)
	}
}

func TestHTMLParagraphs(t *testing.T) {
	tests := map[string][]string{
		"Plain text.\n\nSecond paragraph.":                                                    {"Plain text.", "Second paragraph."},
		"<p>One <b>bold</b>\n word.</p><p>Two &amp; three.</p>":                               {"One bold word.", "Two & three."},
		"Loose text <br> with a break<ul><li>item one</li><li>item two</li></ul>":             {"Loose text with a break", "item one", "item two"},
		"<p>Text</p><script>alert(1)</script><figure><figcaption>Photo</figcaption></figure>": {"Text"},
		"": {},
	}
	for in, want := range tests {
		if got := feed.HTMLParagraphs(in); len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Errorf("HTMLParagraphs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeAMP(t *testing.T) {
	tests := map[string]string{
		"https://www.example.com/news/story/amp":                                 "https://www.example.com/news/story",
		"https://www.example.com/news/story/amp/":                                "https://www.example.com/news/story",
		"https://www.example.com/amp/news/story":                                 "https://www.example.com/news/story",
		"https://www.bbc.co.uk/news/world-123.amp":                               "https://www.bbc.co.uk/news/world-123",
		"https://example.com/news/story.amp.html":                                "https://example.com/news/story.html",
		"https://amp.theguardian.com/world/2025/apr/16/story":                    "https://www.theguardian.com/world/2025/apr/16/story",
		"https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a/b/amp": "https://www.example.com/a/b",
		"https://www.google.com/amp/s/www.example.com/a/b.amp":                   "https://www.example.com/a/b",
		"https://example.com/a?amp=1&id=7":                                       "https://example.com/a?id=7",
		"https://example.com/a?outputType=amp":                                   "https://example.com/a",
		"https://example.com/news/amplifier":                                     "https://example.com/news/amplifier",
		"https://example.com/amp":                                                "https://example.com/amp",
		"not a url":                                                              "not a url",
	}
	for in, want := range tests {
		if got := feed.DeAMP(in); got != want {
			t.Errorf("DeAMP(%q) = %q, want %q", in, got, want)
		}
	}
}
