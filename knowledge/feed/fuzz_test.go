package feed_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/parse"
)

// addFiles adds the testdata files named to f's seed corpus.
func addFiles(f *testing.F, names ...string) {
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(strings.ReplaceAll(string(data), "{{BASE}}", "https://news.example"))
	}
}

// checkParagraphs fails t unless every paragraph is non-empty, trimmed,
// and within knowledge.MaxParagraphRunes.
func checkParagraphs(t *testing.T, paras []string) {
	t.Helper()
	for i, p := range paras {
		if p == "" || strings.TrimSpace(p) != p {
			t.Fatalf("paragraph %d = %q, want non-empty and trimmed", i+1, p)
		}
		if n := utf8.RuneCountInString(p); n > parse.MaxParagraphRunes {
			t.Fatalf("paragraph %d has %d runes, want at most %d", i+1, n, parse.MaxParagraphRunes)
		}
	}
}

func FuzzParse(f *testing.F) {
	addFiles(f, "rss.xml", "atom.xml", "feed.json", "malformed.xml")
	f.Add(`<rss version="2.0"><channel><title>Ⱥ</title><item><title>İ ẞ K</title><link>/a?utm_source=x#f</link><description>&lt;p&gt;` +
		strings.Repeat("no end ", 700) + `&lt;/p&gt;</description></item></channel></rss>`)
	f.Add(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>` + "\u202e\u200b👩‍👩‍👧‍👦" + `</title><link href="javascript:alert(1)"/><content type="html">x</content></entry></feed>`)
	f.Add(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"https://x.example/amp/a","content_text":"` + "\xff" + `"}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		doc, err := feed.Parse([]byte(body), "", "https://news.example/feed.xml")
		if err != nil {
			return
		}
		for _, it := range doc.Items {
			if it.Key == "" {
				t.Fatalf("item %+v has no key", it)
			}
			if it.Link != "" {
				u, err := url.Parse(it.Link)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
					t.Fatalf("item link %q is not an absolute http(s) URL without a fragment", it.Link)
				}
			}
			paras := feed.HTMLParagraphs(it.Summary)
			checkParagraphs(t, paras)
			a := &knowledge.Article{URL: feed.DeAMP(it.Link), Title: it.Title, Byline: it.Author, Paragraphs: paras}
			if _, err := parse.Clean(a); err != nil {
				continue
			}
			checkParagraphs(t, a.Paragraphs)
			for _, p := range a.Paragraphs {
				if !utf8.ValidString(p) {
					t.Fatalf("cleaned paragraph %q is not valid UTF-8", p)
				}
			}
		}
	})
}

func FuzzExtractPage(f *testing.F) {
	addFiles(f, "bridge.html", "bridge-amp.html", "final.html", "tram.html", "library.html")
	f.Add(`<html><head><link rel=canonical href="/story?utm_source=x#top"><title>Ⱥ İ</title></head><body><article><h1>Ⱥ İ</h1><p>By JANE DOE</p><p>` +
		strings.Repeat("ẞ K words without an end ", 400) + `</p></article></body></html>`)
	f.Add(`<html><body><article><p>` + strings.Repeat("x", 5000) + `</p><p>` + "\u202e\u200d👩‍👩‍👧‍👦 e\u0301 \xff" + `</p></article></body></html>`)
	f.Fuzz(func(t *testing.T, body string) {
		page, err := feed.ExtractPage([]byte(body), "text/html", "https://news.example/a/story")
		if err != nil {
			return
		}
		a := page.Article
		checkParagraphs(t, a.Paragraphs)
		if page.Canonical != "" {
			u, err := url.Parse(page.Canonical)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
				t.Fatalf("canonical %q is not an absolute http(s) URL without a fragment", page.Canonical)
			}
			if a.URL != page.Canonical {
				t.Fatalf("article URL %q, want the canonical %q", a.URL, page.Canonical)
			}
		}
		n := 0
		for _, p := range a.Paragraphs {
			n += len(p)
		}
		if n < feed.MinPageText {
			t.Fatalf("page with %d bytes of text accepted", n)
		}
	})
}

func FuzzDeAMP(f *testing.F) {
	for _, s := range []string{
		"https://www-example-com.cdn.ampproject.org/c/s/www.example.com/story/amp/",
		"https://www.google.com/amp/s/amp.example.com/amp/amp/story.amp.html?amp=1&outputType=amp&x=1",
		"https://AMP.example.com/amp/a",
		"https://example.com/a.amp?AMP",
		"http://[::1]:8080/amp/x",
		"https://Ⱥ.example/İ/amp",
		"https://example.com/%zz/amp",
		"not a url",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		d := feed.DeAMP(raw)
		if again := feed.DeAMP(d); again != d {
			t.Fatalf("DeAMP(%q) = %q, but DeAMP of that = %q", raw, d, again)
		}
		if d == raw {
			return
		}
		u, err := url.Parse(d)
		if err != nil || u.Host == "" {
			t.Fatalf("DeAMP(%q) = %q, not an absolute URL", raw, d)
		}
		for k, vs := range u.Query() {
			if strings.EqualFold(k, "amp") || strings.EqualFold(k, "outputType") && len(vs) == 1 && strings.EqualFold(vs[0], "amp") {
				t.Fatalf("DeAMP(%q) = %q keeps %s", raw, d, k)
			}
		}
	})
}
