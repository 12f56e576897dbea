package bot

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzCleanQuestion checks that a cleaned question is valid UTF-8, single
// spaced, free of controls and bidi overrides, within the length limit, and
// clean already (cleaning it again changes nothing); otherwise the error is
// one of the two a user can be shown.
func FuzzCleanQuestion(f *testing.F) {
	for _, s := range []string{"Who won?", "  Ⱥ\tyesterday\n", "\u202eevil\u202c question", "\xff\xfe", "",
		strings.Repeat("é", MaxQuestionRunes+1), "👩‍👩‍👧 news", "a\x00b\x1b[31mc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := CleanQuestion(in)
		if err != nil {
			if !errors.Is(err, ErrEmptyQuestion) && !errors.Is(err, ErrQuestionTooLong) {
				t.Fatalf("CleanQuestion(%q): unexpected error %v", in, err)
			}
			return
		}
		if !utf8.ValidString(out) || out == "" || utf8.RuneCountInString(out) > MaxQuestionRunes {
			t.Fatalf("CleanQuestion(%q) = %q: invalid, empty or too long", in, out)
		}
		if out != strings.Join(strings.Fields(out), " ") {
			t.Fatalf("CleanQuestion(%q) = %q: not single-spaced", in, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' {
				t.Fatalf("CleanQuestion(%q) = %q keeps %U", in, out, r)
			}
		}
		if again, err := CleanQuestion(out); err != nil || again != out {
			t.Fatalf("CleanQuestion(%q) = %q, again %q, %v", in, out, again, err)
		}
	})
}

// FuzzResolveCitations checks that whatever a model writes, the markers
// left in the answer are [1]…[n] for the n citations returned, each
// citation is of one of the passages given, in order of first use.
func FuzzResolveCitations(f *testing.F) {
	for _, s := range []string{"A [1]. B [2][3].", "[Source 2] and [sources 1, 2]", "[9] [0] [-1] [1a] []",
		"Year [2025].", "<think>[1]</think>answer [3]", "[1,1,1,2,2]", "\xff[2]\u202e"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, raw string, k int) {
		k = (k%8+8)%8 + 1
		sources := make([]promptSource, k)
		for i := range sources {
			sources[i].passage.ArticleID = "a" + strconv.Itoa(i+1)
			sources[i].passage.Text = "Passage number " + strconv.Itoa(i+1) + " says something."
		}
		text, cites := resolveCitations(raw, sources)
		for i, c := range cites {
			if c.N != i+1 {
				t.Fatalf("citation %d numbered %d", i, c.N)
			}
		}
		seen := map[int]bool{}
		for _, m := range reCite.FindAllStringSubmatch(text, -1) {
			n, _ := strconv.Atoi(m[1])
			if n < 1 || n > len(cites) {
				t.Fatalf("answer %q (from %q) has marker [%d] with %d citations", text, raw, n, len(cites))
			}
			if !seen[n] && n != len(seen)+1 {
				t.Fatalf("answer %q: marker [%d] used before [%d]", text, n, len(seen)+1)
			}
			seen[n] = true
		}
		if len(seen) != len(cites) {
			t.Fatalf("answer %q uses %d markers for %d citations", text, len(seen), len(cites))
		}
		if !utf8.ValidString(text) {
			t.Fatalf("invalid UTF-8 in %q", text)
		}
	})
}
