package slack

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Broadcast words: @channel, @here and @everyone notify a whole channel
// when Slack reads them as mentions. Text from strangers may disguise them
// (@@here, @\u200bhere, ＠ｈｅｒｅ, 𝐡𝐞𝐫𝐞); neutralize finds them through the
// disguises and rewrites each to its neutral form, "@" U+2060 (an
// invisible word joiner) and the word's letters, which no Slack client
// turns into a mention.

// wordJoiner is the neutral mark put right after a broadcast's @.
const wordJoiner = '\u2060'

var broadcastWords = []string{"channel", "here", "everyone"}

// ignorable reports whether r is invisible and may be slipped into a word
// without changing how it reads: format characters (zero-width spaces and
// joiners, bidi controls, soft hyphen, tags), variation selectors and the
// other default-ignorable code points.
func ignorable(r rune) bool {
	return r == '\u034f' || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// fold returns the lower-case ASCII letter or '@' that r reads as (its
// compatibility form: full-width, mathematical and circled letters, the
// full-width and small commercial at), or r itself lower-cased.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		return unicode.ToLower(r)
	}
	if k := norm.NFKC.String(string(r)); len(k) == 1 {
		return unicode.ToLower(rune(k[0]))
	}
	return unicode.ToLower(r)
}

// isAt reports whether r reads as a commercial at: "@", the full-width
// "＠" or the small "﹫" (the characters whose compatibility form is "@").
func isAt(r rune) bool { return r == '@' || r == '\uff20' || r == '\ufe6b' }

// wordRune reports whether r continues a word (so that "@heres" is not
// "@here"). Ignorable characters end a word.
func wordRune(r rune) bool {
	r = fold(r)
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// matchBroadcast reports whether s[j:] (right after an @) spells a
// broadcast word, skipping ignorable characters, followed by the end of a
// word. It returns the end of the word's last letter and its letters
// without the ignorable characters.
func matchBroadcast(s string, j int) (end int, letters string, ok bool) {
	var got []rune  // the letters as written
	var want []byte // their folded forms
	for i := j; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if ignorable(r) {
			i += w
			continue
		}
		if r == '*' || r == '_' || r == '~' {
			// Slack's bold, italic and strike marks vanish when shown
			// ("@*everyone*" reads as @everyone): skipped like invisible
			// characters, but kept in the rewritten word.
			got = append(got, r)
			i += w
			continue
		}
		f := fold(r)
		if f >= utf8.RuneSelf || !('a' <= f && f <= 'z') {
			break
		}
		got, want = append(got, r), append(want, byte(f))
		i += w
		if len(want) > len("everyone") {
			break
		}
		for _, word := range broadcastWords {
			if string(want) != word {
				continue
			}
			if i < len(s) {
				if next, _ := utf8.DecodeRuneInString(s[i:]); wordRune(next) {
					continue
				}
			}
			return i, string(got), true
		}
	}
	return 0, "", false
}

// neutralize rewrites every broadcast word in s, however disguised, to
// "@" U+2060 and its letters (the ignorable characters inside it
// dropped). It is idempotent: neutralize(neutralize(s)) == neutralize(s),
// since a rewritten word is found again and rewritten to itself. s must be
// valid UTF-8 (see validUTF8).
func neutralize(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isAt(r) {
			i += w
			continue
		}
		end, letters, ok := matchBroadcast(s, i+w)
		if !ok {
			i += w
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + 8)
		}
		b.WriteString(s[last:i])
		b.WriteByte('@')
		b.WriteRune(wordJoiner)
		b.WriteString(letters)
		last, i = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// notifies reports whether s holds a broadcast word Slack could read as a
// mention: one whose @ is not followed by the neutral U+2060.
func notifies(s string) bool {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if !isAt(r) {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(s[i:]); next == wordJoiner {
			continue
		}
		if _, _, ok := matchBroadcast(s, i); ok {
			return true
		}
	}
	return false
}

// validUTF8 replaces each byte of s that is not part of valid UTF-8 with
// U+FFFD, as converting to []rune does (and as Slack would see it once
// JSON-encoded).
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}
