package parse

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge"
)

// read parses one testdata file and returns its articles and problems.
func read(t *testing.T, name string) ([]*knowledge.Article, []string, []Problem) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var arts []*knowledge.Article
	var wheres []string
	var probs []Problem
	err = ReadArticles(context.Background(), name, f, func(a *knowledge.Article, where string) error {
		arts = append(arts, a)
		wheres = append(wheres, where)
		return nil
	}, func(p Problem) { probs = append(probs, p) })
	if err != nil {
		t.Fatalf("ReadArticles(%s): %v", name, err)
	}
	return arts, wheres, probs
}

func TestSeedFormat(t *testing.T) {
	for _, name := range []string{"seed.txt", "seed.txt.gz"} {
		arts, _, probs := read(t, name)
		if len(arts) != 1 || len(probs) != 0 {
			t.Fatalf("%s: %d articles, problems %v", name, len(arts), probs)
		}
		a := arts[0]
		if want := "Top Trump officials will hold talks with Europeans on the Russia-Ukraine war"; a.Title != want {
			t.Errorf("%s: title %q, want %q (View Photo removed)", name, a.Title, want)
		}
		if want := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC); !a.Published.Equal(want) {
			t.Errorf("%s: published %v, want %v", name, a.Published, want)
		}
		if a.Source != "AP" {
			t.Errorf("%s: source %q, want AP from the dateline", name, a.Source)
		}
		if want := "Matthew Lee, AP Diplomatic Writer"; a.Byline != want {
			t.Errorf("%s: byline %q, want %q", name, a.Byline, want)
		}
		if len(a.Paragraphs) != 9 {
			t.Errorf("%s: %d paragraphs, want 9", name, len(a.Paragraphs))
		}
		if !strings.HasPrefix(a.Paragraphs[0], "WASHINGTON (AP) — Secretary of State Marco Rubio") {
			t.Errorf("%s: paragraph 1 = %q", name, a.Paragraphs[0])
		}
		last := a.Paragraphs[len(a.Paragraphs)-1]
		if strings.Contains(last, "MATTHEW LEE") || strings.Contains(last, "Diplomatic Writer") {
			t.Errorf("%s: byline left in the paragraphs: %q", name, last)
		}
	}
}

func TestJSONLines(t *testing.T) {
	arts, wheres, probs := read(t, "articles.jsonl")
	var titles []string
	for _, a := range arts {
		titles = append(titles, a.Title)
	}
	if want := []string{"First", "Second", "Bad date", "Fifth good"}; !reflect.DeepEqual(titles, want) {
		t.Errorf("titles = %q, want %q", titles, want)
	}
	if want := []string{"articles.jsonl:1", "articles.jsonl:2", "articles.jsonl:6", "articles.jsonl:9"}; !reflect.DeepEqual(wheres, want) {
		t.Errorf("where = %q, want %q", wheres, want)
	}
	a := arts[0]
	if a.ID != "a1" || a.URL != "https://example.com/one" || len(a.Paragraphs) != 2 || a.Source != "example.com" {
		t.Errorf("first = %+v", a)
	}
	if arts[1].Byline != "Ann Lee, Bo Chan" || arts[1].Published.Hour() != 9 {
		t.Errorf("second = %+v", arts[1])
	}
	rejected := map[string]bool{}
	warned := map[string]bool{}
	for _, p := range probs {
		if p.Warning {
			warned[p.Where] = true
		} else {
			rejected[p.Where] = true
		}
	}
	for _, line := range []string{"4", "5", "7", "8"} {
		if !rejected["articles.jsonl:"+line] {
			t.Errorf("line %s not rejected; problems: %v", line, probs)
		}
	}
	if !warned["articles.jsonl:6"] || !arts[2].Published.IsZero() {
		t.Errorf("bad date: want a warning and no date; problems %v", probs)
	}
	for _, p := range probs {
		if strings.Contains(p.Where, ":8") && !strings.Contains(p.Error(), "paragraphs") {
			t.Errorf("wrong-type error does not name the field: %v", p)
		}
	}
}

func TestJSONDocuments(t *testing.T) {
	arts, wheres, probs := read(t, "array.json")
	if len(arts) != 2 || len(probs) != 0 || wheres[1] != "array.json[2]" || arts[1].URL != "https://example.com/two" {
		t.Errorf("array.json: %d articles %q, problems %v", len(arts), wheres, probs)
	}
	arts, _, probs = read(t, "single.json")
	if len(arts) != 1 || arts[0].Title != "Single object" || arts[0].Source != "Example Times" || len(probs) != 0 {
		t.Errorf("single.json: %+v %v", arts, probs)
	}
}

func TestMarkdownAndPlainText(t *testing.T) {
	arts, _, probs := read(t, "story.md")
	if len(arts) != 1 || len(probs) != 0 {
		t.Fatalf("story.md: %d articles, %v", len(arts), probs)
	}
	a := arts[0]
	want := []string{"Some bold text with a link in it.", "a list item", "another one"}
	if a.Title != "Markdown story" || a.Source != "Example Blog" || a.Published.Month() != 3 || !reflect.DeepEqual(a.Paragraphs, want) {
		t.Errorf("story.md = %q %q %v %q", a.Title, a.Source, a.Published, a.Paragraphs)
	}
	arts, _, _ = read(t, "plain.txt")
	want = []string{"First paragraph of a plain text file, wrapped over two lines.", "Second paragraph."}
	if len(arts) != 1 || arts[0].Title != "A plain title line" || !reflect.DeepEqual(arts[0].Paragraphs, want) {
		t.Errorf("plain.txt = %+v", arts)
	}
}

func TestSniffWithoutExtension(t *testing.T) {
	tests := map[string]Format{
		`{"title": "x", "text": "y"}` + "\n" + `{"title": "z", "text": "w"}`: FormatJSONL,
		"{\n  \"title\": \"x\"\n}": FormatJSON,
		`[{"title": "x"}]`:         FormatJSON,
		"# Heading\n\ntext":        FormatMarkdown,
		"Title\n\nBody":            FormatText,
		"<html><body>":             "",
	}
	for in, want := range tests {
		if got := sniff([]byte(in)); got != want {
			t.Errorf("sniff(%q) = %q, want %q", in, got, want)
		}
	}
	err := ReadArticles(context.Background(), "page", strings.NewReader("<html></html>"), nil, func(Problem) {})
	if err == nil || !strings.Contains(err.Error(), "unsupported") {
		t.Errorf("HTML input: error %v, want unsupported format", err)
	}
}

func TestCleanRejectsAndRepairs(t *testing.T) {
	a := &knowledge.Article{Title: "  Spaced \t title ", URL: "not a url", Paragraphs: []string{"bad\x00byte \xff here", "  ", "ok"}}
	warnings, err := Clean(a)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Spaced title" || a.URL != "" || len(a.Paragraphs) != 2 || strings.ContainsRune(a.Paragraphs[0], 0) {
		t.Errorf("cleaned = %+v", a)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "not an absolute URL") {
		t.Errorf("warnings = %q", warnings)
	}
	if _, err := Clean(&knowledge.Article{Title: "Only a title"}); err == nil {
		t.Error("title-only article accepted")
	}
	b := &knowledge.Article{Paragraphs: []string{"WASHINGTON (AP) — A long first paragraph that makes a title. And more."}}
	if _, err := Clean(b); err != nil || b.Title != "A long first paragraph that makes a title" {
		t.Errorf("derived title = %q, %v", b.Title, err)
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := map[string]string{
		"https://www.Example.com/a/b/?utm_source=x&utm_medium=y": "example.com/a/b",
		"http://example.com/a?id=2&fbclid=zz&b=1":                "example.com/a?b=1&id=2",
		"example.com/no-scheme":                                  "",
		"":                                                       "",
	}
	for in, want := range tests {
		if got := knowledge.NormalizeURL(in); got != want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", in, got, want)
		}
	}
	// The realtimeqa corpus's id rule: sha1 of host+path, first 12 hex.
	a := &knowledge.Article{URL: "https://www.usatoday.com/story/opinion/columnist/2025/07/17/emmy-nominations-white-lotus-hbo-severance/85249241007/"}
	if got := knowledge.ArticleID(a); got != "00081284139f" {
		t.Errorf("ArticleID = %s, want the corpus id 00081284139f", got)
	}
}

// A program, an image or random bytes is refused as binary, whatever its
// name says; text with a few bad bytes is read (with a warning).
func TestBinaryRefused(t *testing.T) {
	elf := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00"), make([]byte, 64)...)
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte((i*7919 + 13) % 251)
	}
	for name, data := range map[string][]byte{"prog.txt": elf, "noise.gz": random, "noise.md": random} {
		err := ReadArticles(context.Background(), name, bytes.NewReader(data), func(*knowledge.Article, string) error {
			t.Errorf("%s: an article was read from binary input", name)
			return nil
		}, func(Problem) {})
		if !errors.Is(err, ErrBinary) {
			t.Errorf("%s: err = %v, want ErrBinary", name, err)
		}
	}
	text := []byte("Title\n\nA paragraph with one bad byte \xff in it.")
	n := 0
	err := ReadArticles(context.Background(), "ok.txt", bytes.NewReader(text), func(*knowledge.Article, string) error { n++; return nil }, func(Problem) {})
	if err != nil || n != 1 {
		t.Errorf("text with a bad byte: %d articles, %v", n, err)
	}
}
