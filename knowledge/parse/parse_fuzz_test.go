package parse

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
)

// checkArticle fails t unless a is what Clean promises: valid UTF-8
// everywhere, a title within its limit, and paragraphs that are non-empty,
// single-spaced, free of control characters and within MaxParagraphRunes.
func checkArticle(t *testing.T, a *knowledge.Article) {
	t.Helper()
	for name, s := range map[string]string{"title": a.Title, "source": a.Source, "byline": a.Byline, "url": a.URL, "id": a.ID} {
		if !utf8.ValidString(s) {
			t.Fatalf("%s %q is not valid UTF-8", name, s)
		}
	}
	if a.Title == "" {
		t.Fatal("empty title")
	}
	if n := utf8.RuneCountInString(a.Title); n > MaxTitleRunes+1 {
		t.Fatalf("title of %d runes, want at most %d", n, MaxTitleRunes+1)
	}
	if len(a.Paragraphs) == 0 || len(a.Paragraphs) > MaxParagraphs {
		t.Fatalf("%d paragraphs, want 1..%d", len(a.Paragraphs), MaxParagraphs)
	}
	for i, p := range a.Paragraphs {
		checkParagraph(t, i, p)
	}
	if a.URL != "" && knowledge.NormalizeURL(a.URL) == "" {
		t.Fatalf("url %q kept but not usable", a.URL)
	}
}

func checkParagraph(t *testing.T, i int, p string) {
	t.Helper()
	switch {
	case p == "":
		t.Fatalf("paragraph %d is empty", i+1)
	case !utf8.ValidString(p):
		t.Fatalf("paragraph %d is not valid UTF-8: %q", i+1, p)
	case utf8.RuneCountInString(p) > MaxParagraphRunes:
		t.Fatalf("paragraph %d has %d runes, want at most %d", i+1, utf8.RuneCountInString(p), MaxParagraphRunes)
	case strings.Join(strings.Fields(p), " ") != p:
		t.Fatalf("paragraph %d is not single-spaced: %q", i+1, p)
	}
	for _, r := range p {
		if unwanted(r) {
			t.Fatalf("paragraph %d holds %U", i+1, r)
		}
	}
}

// fuzzRead runs ReadArticles on data under name and checks every article.
func fuzzRead(t *testing.T, name string, data []byte) {
	err := ReadArticles(context.Background(), name, bytes.NewReader(data), func(a *knowledge.Article, where string) error {
		checkArticle(t, a)
		return nil
	}, func(Problem) {})
	if err != nil && !strings.Contains(err.Error(), "gunzip") && !strings.Contains(err.Error(), "unsupported") && !errors.Is(err, ErrBinary) {
		t.Fatalf("ReadArticles(%s) = %v", name, err)
	}
}

// tricky are strings whose case forms differ in byte length, controls,
// combining marks and emoji sequences.
var tricky = []string{
	"Ⱥ", "İ", "ẞ", "K", "ſ", "\u200b", "\u200d", "\u202e", "\u2066", "e\u0301", "👩‍👩‍👧‍👦", "🇺🇦", "\xff\xfe", "\r\n",
}

func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`{"title":"T","text":"One.\n\nTwo.","url":"https://www.example.com/a?utm_source=x"}`), false)
	f.Add([]byte(`[{"headline":"Ⱥ yesterday","paragraphs":["İstanbul ẞ K","\u202eevil"],"published":"2025-04-16"}]`), false)
	f.Add([]byte("{\"title\":\"a\",\"body\":\"b\"}\n{\"title\":\"c\",\"content\":\"\xff\"}\n"), true)
	f.Add([]byte(`{"id":123,"title":"x","text":"`+strings.Repeat("word ", 600)+`","author":["a","b"]}`), true)
	f.Fuzz(func(t *testing.T, data []byte, lines bool) {
		name := "in.json"
		if lines {
			name = "in.jsonl"
		}
		fuzzRead(t, name, data)
	})
}

func FuzzReadMarkdown(f *testing.F) {
	f.Add("---\ntitle: T\ndate: 2025-04-16\nurl: https://example.com/x\n---\n# Head\n\nBody *em* [link](http://x).\n")
	f.Add("# Ⱥ İ ẞ K\n\n> quote\n\n- item\n\n```\ncode\n```\n\nBy JOHN DOE\n")
	f.Add("#\n\n" + strings.Repeat("x", 5000))
	for _, s := range tricky {
		f.Add("# " + s + "\n\n" + s + " text " + s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzRead(t, "in.md", []byte(s))
	})
}

func FuzzReadText(f *testing.F) {
	f.Add("date 2025-04-16 Top officials meet View Photo\n\nWASHINGTON (AP) — Text.\n\nBy MATTHEW LEE\n\nAP Diplomatic Writer\n")
	f.Add("Title\n" + strings.Repeat("long sentence without an end ", 300))
	f.Add("T\n\n" + strings.Repeat("é", 4100))
	for _, s := range tricky {
		f.Add(s + " title\n\nBY " + strings.ToUpper(s) + " DOE\n\n" + s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzRead(t, "in.txt", []byte(s))
	})
}

func FuzzBoundParagraphs(f *testing.F) {
	f.Add("One. Two! Three?", 3)
	f.Add(strings.Repeat("word ", 1000), 1)
	f.Add(strings.Repeat("x", 4500), 2)
	f.Add(strings.Repeat("“Quoted.” ", 500), 1)
	f.Add(strings.Repeat("Ⱥ", 2500)+" "+strings.Repeat("👩‍👩‍👧‍👦", 700), 2)
	f.Fuzz(func(t *testing.T, s string, reps int) {
		reps = 1 + (reps&7+8)%8
		s = strings.Join(strings.Fields(sanitize(strings.Repeat(s, reps))), " ")
		if s == "" {
			return
		}
		got := BoundParagraphs([]string{s})
		for i, p := range got {
			checkParagraph(t, i, p)
		}
		// Nothing is lost: the pieces, joined by the spaces dropped at the
		// cuts, are the paragraph again.
		if j, want := strings.ReplaceAll(strings.Join(got, ""), " ", ""), strings.ReplaceAll(s, " ", ""); j != want {
			t.Fatalf("pieces lose text: %d bytes of %d", len(j), len(want))
		}
		if utf8.RuneCountInString(s) <= MaxParagraphRunes && (len(got) != 1 || got[0] != s) {
			t.Fatalf("short paragraph changed: %q", got)
		}
	})
}
