package discord

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// splitSeeds are inputs for the splitting fuzz target.
var splitSeeds = []string{
	"Hello.",
	"The minister said the talks would go on. “We are close,” she said. [1] [2] And then? More.\n\nA new paragraph.",
	"word word word word word word",
	"[a link with words](https://example.com/a) tail [1],[2]",
	"Ⱥ İ ẞ ⱥ i̇ ß \u200b\u200d\u202e\u2066 e\u0301 👩‍👩‍👧 \xff\xfe broken",
	strings.Repeat("x", 50) + "  \n\n  " + strings.Repeat("y ", 30),
	"📰📰📰📰📰📰📰📰📰📰",
}

// checkSplit checks the properties of splitText(text, limit, maxParts).
func checkSplit(t *testing.T, text string, limit, maxParts int, parts []string) {
	t.Helper()
	if maxParts > 0 && len(parts) > maxParts {
		t.Fatalf("%d parts, want at most %d", len(parts), maxParts)
	}
	for i, p := range parts {
		if textLen(p) > limit {
			t.Fatalf("part %d is %d units, over %d: %q", i, textLen(p), limit, p)
		}
		if p == "" {
			t.Fatalf("part %d is empty", i)
		}
	}
	if strings.TrimSpace(text) == "" && len(parts) != 0 {
		t.Fatalf("blank text gave %q", parts)
	}
	if maxParts > 0 {
		return
	}
	// The parts are the text in order, separated by white space only.
	rest := text
	for i, p := range parts {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if !strings.HasPrefix(rest, p) {
			t.Fatalf("part %d (%q) is not the text that follows (%.40q)", i, p, rest)
		}
		rest = rest[len(p):]
	}
	if strings.TrimSpace(rest) != "" {
		t.Fatalf("text left over after the parts: %.40q", rest)
	}
}

// FuzzSplit checks that every part fits, parts joined give the text back
// (modulo the white space at the cuts), and that with the three-message
// cap there are at most three parts, the last ending in an ellipsis when
// text was dropped.
func FuzzSplit(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add(s, uint16(20))
		f.Add(s, uint16(2000))
	}
	f.Fuzz(func(t *testing.T, text string, limit uint16) {
		l := int(limit%4100) + 3 // Discord limits are never below a few units
		parts := splitText(text, l, 0)
		checkSplit(t, text, l, 0, parts)
		capped := splitText(text, l, maxMessages)
		checkSplit(t, text, l, maxMessages, capped)
		if len(parts) <= maxMessages {
			if strings.Join(capped, "\x00") != strings.Join(parts, "\x00") {
				t.Fatalf("capped %q, want %q (the text fits)", capped, parts)
			}
		} else if !strings.HasSuffix(capped[len(capped)-1], ellipsis) {
			t.Fatalf("last capped part %q does not end with an ellipsis", capped[len(capped)-1])
		}
	})
}

// oracleIgnorable is the test's own list of what shows as nothing.
func oracleIgnorable(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) ||
		unicode.Is(unicode.Variation_Selector, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// oracleMention finds a notifying mention, disguised or not, by another
// route than neutralise: invisible characters removed, each character
// replaced by its NFKC form, then a regular expression.
var oracleMention = regexp.MustCompile(`(?i)@+(everyone|here)|<@+[!&]?[0-9]+>`)

func notifies(s string) bool {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\ufffd")
			continue
		}
		if oracleIgnorable(r) {
			continue
		}
		d := norm.NFKC.String(string(r))
		if len(d) == 1 {
			b.WriteString(d)
		} else {
			b.WriteRune(r)
		}
	}
	return oracleMention.MatchString(s) || oracleMention.MatchString(b.String())
}

var neutraliseSeeds = []string{
	"@everyone look", "@@everyone", "@@@here", "＠everyone", "﹫here", "@\u200beveryone", "@\u200d\u2060here",
	"<@123>", "<@!123>", "<@&123>", "<<@123>>", "<@@123>", "<\u200b@\u200b1\u200b2>", "＜＠１２＞", "<@𝟏𝟐>",
	"@ＥＶＥＲＹＯＮＥ", "@e\u0301veryone", "@\u202eeveryone", "mail me@example.com", "<#123>",
	"[click](http://evil.example/@everyone)", "\\[x\\](y)", "\\\\[x](y)", "[a [b] c](http://x)",
	"Ⱥ @here İ ẞ 👩‍👩‍👧 \xff<@1>",
}

// FuzzNeutralise checks that no notifying mention survives neutralise (or
// cleanText), that both are idempotent, and that masked links are escaped.
func FuzzNeutralise(f *testing.F) {
	for _, s := range neutraliseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := neutralise(s)
		if notifies(n) {
			t.Fatalf("neutralise(%q) = %q still notifies", s, n)
		}
		if nn := neutralise(n); nn != n {
			t.Fatalf("neutralise is not idempotent: %q -> %q -> %q", s, n, nn)
		}
		if !notifies(s) && n != s {
			t.Fatalf("neutralise(%q) = %q changed a text without mentions", s, n)
		}
		c := cleanText(s)
		if notifies(c) {
			t.Fatalf("cleanText(%q) = %q still notifies", s, c)
		}
		if cc := cleanText(c); cc != c {
			t.Fatalf("cleanText is not idempotent: %q -> %q -> %q", s, c, cc)
		}
		if liveMaskedLink(c) {
			t.Fatalf("cleanText(%q) = %q keeps a live masked link", s, c)
		}
		// Pieces of a neutral text are neutral: splitting keeps it so.
		for _, p := range splitText(c, 40, maxMessages) {
			if notifies(p) {
				t.Fatalf("part %q of cleanText(%q) notifies", p, s)
			}
		}
	})
}

// liveMaskedLink reports whether s has an unescaped "[" followed later by
// an unescaped "](", which Discord could show as a masked link.
func liveMaskedLink(s string) bool {
	open := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++ // the next byte is escaped
		case s[i] == '[':
			open = true
		case s[i] == ']' && i+1 < len(s) && s[i+1] == '(' && open:
			return true
		}
	}
	return false
}
