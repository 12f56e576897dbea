package discord

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/bot"
)

// tricky are texts whose case forms change byte length ("Ⱥ" grows when
// lower-cased, "İ" too, "ẞ" shrinks), invalid UTF-8, zero-width and bidi
// controls, combining marks and emoji ZWJ sequences: where a position
// found in a transformed string is applied to the original, these panic
// or cut the wrong words.
var tricky = map[string]string{
	"Ⱥ":              "Ⱥ yesterday",
	"İ":              "İstanbul İzmir",
	"ẞ":              "STRAẞE ẞ",
	"invalid UTF-8":  "bad \xff\xfe\xc3 bytes \xe2\x82",
	"zero-width":     "zero\u200bwidth\u200c\u200d\u2060joiners\ufeff",
	"bidi":           "\u202eevil\u202c \u2066isolate\u2069 \u200fRLM",
	"combining":      "e\u0301e\u0301e\u0301 a\u0308\u0308\u0308 Z\u0335\u0321\u0327",
	"emoji ZWJ":      "👩\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 👍🏽 🇺🇦",
	"case mix":       "ȺȺȺ ⱥⱥⱥ İİİ i̇i̇i̇ ẞẞẞ ßßß",
	"mention inside": "Ⱥ<@123>İ@everyoneẞ",
}

// TestTransformedPositionsNeverCutTheOriginal checks the adapter's text
// paths on tricky text: the bot's mention is stripped byte-exactly,
// neutralising keeps every other byte, truncating keeps a byte prefix,
// splitting keeps every byte (and no cut separates a character sequence
// when there is a space to cut at), and nothing panics.
func TestTransformedPositionsNeverCutTheOriginal(t *testing.T) {
	const bot = "100000000000000002"
	for name, s := range tricky {
		t.Run(name, func(t *testing.T) {
			for _, q := range []string{"<@" + bot + "> " + s, "<@!" + bot + ">" + s + " <@" + bot + ">"} {
				if got := stripMentions(q, bot); got != strings.TrimSpace(s) {
					t.Errorf("stripMentions(%q) = %q, want %q", q, got, s)
				}
			}
			if name != "mention inside" {
				if got := neutralise(s); got != s {
					t.Errorf("neutralise(%q) = %q, want it unchanged", s, got)
				}
				if got := neutralise("@here " + s + " <@1>"); got != "@"+mentionBreak+"here "+s+" <@"+mentionBreak+"1>" {
					t.Errorf("neutralise around %q = %q", s, got)
				}
			} else if got, want := neutralise(s), "Ⱥ<@"+mentionBreak+"123>İ@"+mentionBreak+"everyoneẞ"; got != want {
				t.Errorf("neutralise(%q) = %q, want %q", s, got, want)
			}
			long := strings.Repeat(s+" ", 40)
			for n := 3; n < 40; n++ {
				got := truncate(long, n)
				kept := strings.TrimSuffix(got, ellipsis)
				if !strings.HasPrefix(long, kept) || textLen(got) > n {
					t.Fatalf("truncate(%q, %d) = %q: not a prefix within %d units", long, n, got, n)
				}
			}
			for _, limit := range []int{3, 7, 16, 64} {
				parts := splitText(long, limit, 0)
				checkSplit(t, long, limit, 0, parts)
				for i, p := range parts[:len(parts)-1] {
					r, _ := utf8.DecodeRuneInString(parts[i+1])
					last, _ := utf8.DecodeLastRuneInString(p)
					if limit >= 16 && (joins(r) || last == '\u200d') {
						t.Errorf("limit %d: parts %d and %d split a character sequence: …%q | %q…", limit, i, i+1, p[max(0, len(p)-12):], parts[i+1][:min(12, len(parts[i+1]))])
					}
				}
			}
			for _, m := range renderAnswer(answerOf(s)) {
				if textLen(m.Content) > maxContent {
					t.Errorf("message of %d units", textLen(m.Content))
				}
			}
		})
	}
}

// TestLongWordIsCutBetweenSequences: a word longer than the limit is cut
// inside, but not inside an emoji ZWJ sequence or between a letter and its
// combining marks.
func TestLongWordIsCutBetweenSequences(t *testing.T) {
	family := "👩\u200d👩\u200d👧" // 8 units
	for _, tt := range []struct{ word, unit string }{
		{strings.Repeat(family, 10), family},
		{strings.Repeat("e\u0301\u0301", 30), "e\u0301\u0301"},
	} {
		for _, limit := range []int{10, 11, 17, 20} {
			for i, p := range splitText(tt.word, limit, 0) {
				if strings.ReplaceAll(p, tt.unit, "") != "" {
					t.Errorf("limit %d: part %d %q is not whole sequences", limit, i, p)
				}
			}
		}
	}
}

// answerOf is an answer quoting s, with s in its citation too.
func answerOf(s string) *bot.Answer {
	return &bot.Answer{Text: strings.Repeat(s+" [1] ", 500), Citations: []bot.Citation{{N: 1, Title: s, Source: s, URL: "https://example.com/" + s}}}
}
