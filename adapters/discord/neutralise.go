package discord

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Neutralising mentions. Discord pings for @everyone, @here, <@id>, <@!id>
// and <@&id>. allowed_mentions is empty on every message the adapter
// sends, so Discord would not ping even then; as a second defence, no text
// from users, sources or the model keeps the shape of a mention, not even
// in disguise: with repeated @ signs, with zero-width, bidi or other
// invisible characters inside, or with compatibility forms such as the
// full-width ＠ (anything Unicode's NFKC folds to the characters of a
// mention).
//
// A mention found so is rewritten to a canonical harmless form: one @, a
// thin space (U+2009, visible and not invisible: no later stripping of
// invisible characters can join it back), then the rest in plain ASCII.
// "@@everyone" becomes "@ everyone" (with a thin space) and "<@!123>"
// becomes "<@ !123>". Rewriting only ever replaces a mention by a form no
// mention can be read in, whatever surrounds it, so neutralise is
// idempotent: neutralise(neutralise(s)) == neutralise(s).

// mentionBreak separates the @ of a neutralised mention from the rest.
const mentionBreak = "\u2009"

// neutralise rewrites every mention in s that would notify, in linear
// time. Invalid UTF-8 outside mentions is kept as it is.
func neutralise(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		r, start, next := skelNext(s, i)
		if r < 0 {
			break
		}
		switch r {
		case '<':
			if end, canon, ok := userMention(s, next); ok {
				b.Grow(len(s))
				b.WriteString(s[last:start])
				b.WriteString(canon)
				last, i = end, end
				continue
			}
		case '@':
			end, canon, runEnd, ok := massMention(s, start)
			if ok {
				b.Grow(len(s))
				b.WriteString(s[last:start])
				b.WriteString(canon)
				last, i = end, end
				continue
			}
			// Any later @ of the same run is followed by the same text.
			i = runEnd
			continue
		}
		i = next
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// userMention matches the rest of a user or role mention after its "<":
// one or more @, an optional ! or &, digits, ">". It returns the end of the
// mention in s and its harmless form.
func userMention(s string, i int) (end int, canon string, ok bool) {
	r, _, next := skelNext(s, i)
	if r != '@' {
		return 0, "", false
	}
	for r == '@' {
		i = next
		r, _, next = skelNext(s, i)
	}
	var b strings.Builder
	b.WriteString("<@" + mentionBreak)
	if r == '!' || r == '&' {
		b.WriteRune(r)
		i = next
		r, _, next = skelNext(s, i)
	}
	digits := 0
	for r >= '0' && r <= '9' {
		b.WriteRune(r)
		digits++
		i = next
		r, _, next = skelNext(s, i)
	}
	if digits == 0 || r != '>' {
		return 0, "", false
	}
	b.WriteByte('>')
	return next, b.String(), true
}

// massMention matches @everyone or @here (any case, after one or more @)
// at i, where s has an @. It returns the end of the mention and its
// harmless form; when there is none, runEnd is the end of the run of @.
func massMention(s string, i int) (end int, canon string, runEnd int, ok bool) {
	r, _, next := skelNext(s, i)
	for r == '@' {
		i = next
		r, _, next = skelNext(s, i)
	}
	runEnd = i
	for _, word := range [...]string{"everyone", "here"} {
		if end, ok := skelHasWord(s, i, word); ok {
			return end, "@" + mentionBreak + word, runEnd, true
		}
	}
	return 0, "", runEnd, false
}

// skelHasWord reports whether the skeleton of s at i spells word (ASCII
// lower case, compared case-insensitively), and where it ends in s.
func skelHasWord(s string, i int, word string) (int, bool) {
	for k := 0; k < len(word); k++ {
		r, _, next := skelNext(s, i)
		if r < 0 || unicode.ToLower(r) != rune(word[k]) {
			return 0, false
		}
		i = next
	}
	return i, true
}

// skelNext returns the next rune of the skeleton of s from byte i, where
// the rune starts in s and where the text after it starts; r is -1 at the
// end. The skeleton leaves out invisible characters and folds the
// compatibility forms of the characters mentions are made of to ASCII.
func skelNext(s string, i int) (r rune, start, next int) {
	for i < len(s) {
		c, size := utf8.DecodeRuneInString(s[i:])
		if c < utf8.RuneSelf {
			return c, i, i + size
		}
		if !ignorable(c) {
			return fold(c), i, i + size
		}
		i += size
	}
	return -1, len(s), len(s)
}

// ignorable reports whether r shows as nothing (or only changes how its
// neighbours show): format characters such as zero-width spaces and
// joiners and bidi controls, variation selectors, combining marks and the
// other default-ignorable code points.
func ignorable(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// fold maps a non-ASCII rune whose compatibility form (NFKC) is a single
// ASCII character to that character; other runes stay as they are.
func fold(r rune) rune {
	var in [utf8.UTFMax]byte
	var out [4 * utf8.UTFMax]byte
	n := utf8.EncodeRune(in[:], r)
	d := norm.NFKC.Append(out[:0], in[:n]...)
	if len(d) == 1 && d[0] < utf8.RuneSelf {
		return rune(d[0])
	}
	return r
}

// escapeMaskedLinks makes markdown masked links ([text](url)) in s show
// as text: every "](" not already escaped gets a backslash before its "]",
// and so does every unescaped "[" before the last such "](". The URL stays
// (shown as a plain link). Citations the adapter writes itself are built
// after this and stay live. escapeMaskedLinks is idempotent and linear.
func escapeMaskedLinks(s string) string {
	lastClose := -1
	for i := 0; i+1 < len(s); i++ {
		if s[i] == ']' && s[i+1] == '(' && !escaped(s, i) {
			lastClose = i
		}
	}
	if lastClose < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	backslashes := 0 // run of backslashes just before i
	for i := 0; i < len(s); i++ {
		c := s[i]
		live := backslashes%2 == 0
		switch {
		case c == '[' && i < lastClose && live:
			b.WriteByte('\\')
		case c == ']' && i+1 < len(s) && s[i+1] == '(' && live:
			b.WriteByte('\\')
		}
		b.WriteByte(c)
		if c == '\\' {
			backslashes++
		} else {
			backslashes = 0
		}
	}
	return b.String()
}

// escaped reports whether the byte at i follows an odd run of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for i-n > 0 && s[i-n-1] == '\\' {
		n++
	}
	return n%2 == 1
}
