package discord

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Discord's limits on a message. Discord counts characters as UTF-16 code
// units (what a JavaScript string's length counts), which is never less than
// the number of code points, so measuring in UTF-16 stays within the limit
// whichever Discord applies.
const (
	maxContent          = 2000 // message content
	maxEmbedDescription = 4096 // one embed's description
	maxEmbedTotal       = 6000 // all embeds of a message together
	maxEmbeds           = 10   // embeds per message
	maxEmbedTitle       = 256
)

// textLen is the length of s as Discord counts it.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

// runeUnits is how many UTF-16 code units r takes (invalid bytes are
// shown as U+FFFD: one).
func runeUnits(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// Kinds of places where text may be split, best first.
const (
	cutNone = iota
	cutWord
	cutSentence
	cutLine
	cutParagraph
)

// atomic matches what must never be split even though it contains spaces:
// markdown links [text](url) and citation runs such as "[1] [2]".
var atomic = regexp.MustCompile(`\[[^\]\n]*\]\([^)\s]*\)|\[[0-9]+\](?:[ ,]*\[[0-9]+\])*`)

// splitText splits text into chunks of at most limit (UTF-16 units), at the
// best boundary that keeps chunks from getting small: a paragraph break,
// else a line break, a sentence end, a space. It never splits inside a word,
// a link or a run of citation markers, and separates markers from the text
// before them only when there is no other place; only a single word longer
// than limit is cut inside, at a character boundary. Chunks are trimmed;
// none is empty.
func splitText(text string, limit int) []string {
	text = strings.TrimSpace(text)
	var out []string
	for text != "" {
		if textLen(text) <= limit {
			out = append(out, text)
			break
		}
		cut := bestCut(text, limit)
		chunk := strings.TrimSpace(text[:cut])
		if chunk != "" {
			out = append(out, chunk)
		}
		text = strings.TrimSpace(text[cut:])
	}
	return out
}

// bestCut returns the byte offset at which to cut text so that the part
// before it fits in limit.
func bestCut(text string, limit int) int {
	// end is the byte offset of the longest prefix that fits.
	end, n := 0, 0
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if n+runeUnits(r) > limit {
			break
		}
		n += runeUnits(r)
		end += size
	}
	protected := atomic.FindAllStringIndex(text, -1)
	inside := func(pos int) bool {
		for _, p := range protected {
			if pos > p[0] && pos < p[1] {
				return true
			}
			if p[0] > pos {
				break
			}
		}
		return false
	}
	best := [cutParagraph + 1]int{}
	beforeMarker := 0
	for i := 1; i <= end && i < len(text); i++ {
		// A boundary is the start of a run of white space.
		r, _ := utf8.DecodeRuneInString(text[i:])
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.IsSpace(r) || unicode.IsSpace(prev) || inside(i) {
			continue
		}
		rest := strings.TrimLeftFunc(text[i:], unicode.IsSpace)
		if strings.HasPrefix(rest, "[") && atomicAt(rest) {
			beforeMarker = i // keep a citation marker with its sentence if at all possible
			continue
		}
		kind := cutWord
		ws := text[i : len(text)-len(rest)]
		switch {
		case strings.Contains(ws, "\n\n"):
			kind = cutParagraph
		case strings.Contains(ws, "\n"):
			kind = cutLine
		case endsSentence(text[:i]):
			kind = cutSentence
		}
		best[kind] = i
	}
	// The best kind of boundary that keeps the chunk at least half full;
	// else the latest boundary of any kind.
	for kind := cutParagraph; kind >= cutWord; kind-- {
		if best[kind] > 0 && textLen(text[:best[kind]]) >= limit/2 {
			return best[kind]
		}
	}
	latest := 0
	for _, b := range best {
		latest = max(latest, b)
	}
	if latest > 0 {
		return latest
	}
	if beforeMarker > 0 {
		return beforeMarker
	}
	if end == 0 { // limit below one character
		_, size := utf8.DecodeRuneInString(text)
		return size
	}
	return end
}

// atomicAt reports whether s starts with a citation marker.
func atomicAt(s string) bool {
	loc := atomic.FindStringIndex(s)
	return loc != nil && loc[0] == 0 && s[1] >= '0' && s[1] <= '9'
}

// endsSentence reports whether s ends a sentence: with . ! ? or …,
// possibly followed by closing quotes or brackets, or by a citation marker
// that follows one.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if loc := citationTail.FindStringIndex(s); loc != nil {
		s = strings.TrimRightFunc(s[:loc[0]], unicode.IsSpace)
	}
	s = strings.TrimRight(s, `"'”’)]*_`)
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == '…'
}

var citationTail = regexp.MustCompile(`\[[0-9]+\](?:[ ,]*\[[0-9]+\])*$`)
