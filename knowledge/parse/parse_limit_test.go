package parse

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
)

func TestBoundParagraphs(t *testing.T) {
	sentences := strings.TrimSpace(strings.Repeat("The council met again on Tuesday and voted. ", 5000))
	words := strings.TrimSpace(strings.Repeat("word ", 40000))
	quoted := strings.TrimSpace(strings.Repeat("“It is done,” she said. ", 9000))
	tests := []struct {
		name string
		in   string
		// endsWith is what every piece but the last ends with.
		endsWith string
		// exact: every piece but the last has exactly MaxParagraphRunes runes.
		exact bool
	}{
		{"200 KB of sentences", sentences, ".", false},
		{"200 KB without a sentence end", words, "word", false},
		{"quoted sentence ends", quoted, "said.", false},
		{"a blob without spaces", strings.Repeat("x", 200000), "x", true},
		{"case forms of other lengths", strings.Repeat("Ⱥİẞ\u212a", 50000), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BoundParagraphs([]string{"Short first.", tt.in, "Short last."})
			if got[0] != "Short first." || got[len(got)-1] != "Short last." {
				t.Fatalf("short paragraphs changed: %q ... %q", got[0], got[len(got)-1])
			}
			pieces := got[1 : len(got)-1]
			if want := utf8.RuneCountInString(tt.in) / MaxParagraphRunes; len(pieces) < want {
				t.Fatalf("%d pieces, want at least %d", len(pieces), want)
			}
			for i, p := range pieces {
				checkPiece(t, i, p)
				if i == len(pieces)-1 {
					break
				}
				if !strings.HasSuffix(p, tt.endsWith) {
					t.Errorf("piece %d ends %q, want a cut after %q", i+1, p[max(0, len(p)-20):], tt.endsWith)
				}
				if n := utf8.RuneCountInString(p); tt.exact && n != MaxParagraphRunes {
					t.Errorf("piece %d has %d runes, want %d", i+1, n, MaxParagraphRunes)
				}
				if n := utf8.RuneCountInString(p); n < minPieceRunes {
					t.Errorf("piece %d has %d runes, want at least %d", i+1, n, minPieceRunes)
				}
			}
			sep := " "
			if tt.exact {
				sep = ""
			}
			if strings.Join(pieces, sep) != tt.in {
				t.Errorf("the pieces joined again are not the paragraph")
			}
		})
	}
}

func checkPiece(t *testing.T, i int, p string) {
	t.Helper()
	if p == "" || strings.TrimSpace(p) != p || !utf8.ValidString(p) {
		t.Fatalf("piece %d = %.40q: want non-empty, trimmed, valid UTF-8", i+1, p)
	}
	if n := utf8.RuneCountInString(p); n > MaxParagraphRunes {
		t.Fatalf("piece %d has %d runes, want at most %d", i+1, n, MaxParagraphRunes)
	}
}

func TestBoundParagraphsKeepsGraphemes(t *testing.T) {
	for _, unit := range []string{"👩\u200d👩\u200d👧\u200d👦", "e\u0301", "👍🏽", "\u2764\ufe0f"} {
		got := BoundParagraphs([]string{strings.Repeat(unit, 3000)})
		for i, p := range got {
			checkPiece(t, i, p)
			if strings.Repeat(unit, strings.Count(p, unit)) != p {
				t.Errorf("%q: piece %d cuts a character in two (starts %+q, ends %+q)", unit, i+1, p[:8], p[len(p)-8:])
			}
		}
	}
}

func TestBoundParagraphsShortUnchanged(t *testing.T) {
	in := []string{"One.", strings.Repeat("é", MaxParagraphRunes)} // 2 bytes a rune: long in bytes only
	if got := BoundParagraphs(in); len(got) != 2 || &got[0] != &in[0] {
		t.Errorf("BoundParagraphs changed paragraphs within the limit")
	}
}

// TestLongParagraphsSplitInEveryFormat feeds a 200 KB paragraph without a
// sentence end through each article format.
func TestLongParagraphsSplitInEveryFormat(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("tokens without end ", 11000))
	inputs := map[string]string{
		"a.txt":   "Title\n\n" + long + "\n\nLast.",
		"a.md":    "# Title\n\n" + long + "\n\nLast.",
		"a.json":  `{"title":"Title","text":"` + long + `\n\nLast."}`,
		"a.jsonl": `{"title":"Title","paragraphs":["` + long + `","Last."]}` + "\n",
	}
	for name, in := range inputs {
		var arts []*knowledge.Article
		err := ReadArticles(context.Background(), name, strings.NewReader(in), func(a *knowledge.Article, _ string) error {
			arts = append(arts, a)
			return nil
		}, func(p Problem) { t.Errorf("%s: %v", name, p) })
		if err != nil || len(arts) != 1 {
			t.Fatalf("%s: %d articles, %v", name, len(arts), err)
		}
		a := arts[0]
		if len(a.Paragraphs) < len(long)/(MaxParagraphRunes) || a.Paragraphs[len(a.Paragraphs)-1] != "Last." {
			t.Errorf("%s: %d paragraphs, want the long one split and Last. kept", name, len(a.Paragraphs))
		}
		for i, p := range a.Paragraphs {
			checkPiece(t, i, p)
		}
	}
}
