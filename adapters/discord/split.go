package discord

import (
	"regexp"
	"sort"
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
	// maxMessages is how many messages one answer may take, sources
	// included: a longer text is cut at a word with an ellipsis.
	maxMessages = 3
)

// ellipsis ends a text that was cut short.
const ellipsis = "…"

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

// splitText splits text into chunks of at most limit (UTF-16 units, at
// least 2), at the best boundary that keeps chunks from getting small: a
// paragraph break, else a line break, a sentence end, a space. It never
// splits inside a word, a link or a run of citation markers, and separates
// markers from the text before them only when there is no other place;
// only a single word longer than limit is cut inside, at a character
// boundary. Chunks are trimmed of white space (unicode.IsSpace) and none is
// empty: the chunks, in order, are substrings of text separated by white
// space only, so joining them with the white space at the cuts gives text
// back.
//
// maxParts > 0 bounds the number of chunks: when text needs more, the last
// one ends at a word with an ellipsis and the rest is dropped.
//
// splitText takes time linear in the length of text.
func splitText(text string, limit, maxParts int) []string {
	var out []string
	sp := newSplitter(text)
	for {
		sp.skipSpace()
		if sp.pos >= sp.end {
			return out
		}
		last := maxParts > 0 && len(out) == maxParts-1
		end, fits := sp.fit(limit)
		if fits {
			return append(out, text[sp.pos:sp.end])
		}
		if last {
			// Room for the ellipsis; the cut is at a word if there is one.
			l := limit - textLen(ellipsis)
			end, _ = sp.fit(l)
			cut := sp.bestCut(end, l)
			chunk := strings.TrimRight(strings.TrimSpace(text[sp.pos:cut]), " ,;:")
			return append(out, chunk+ellipsis)
		}
		cut := sp.bestCut(end, limit)
		if chunk := strings.TrimSpace(text[sp.pos:cut]); chunk != "" {
			out = append(out, chunk)
		}
		sp.pos = cut
	}
}

// splitter walks a text once from start to end, finding each chunk's cut
// in the window of text that fits in the limit. The protected spans are
// found once for the whole text, and only spans that end after the current
// position are looked at: the work is linear in the text.
type splitter struct {
	text      string
	end       int // of text without its trailing white space
	pos       int
	protected [][]int // atomic matches, in order
	first     int     // index of the first protected span ending after pos
}

func newSplitter(text string) *splitter {
	return &splitter{text: text, end: len(strings.TrimRightFunc(text, unicode.IsSpace)), protected: atomic.FindAllStringIndex(text, -1)}
}

// skipSpace moves pos past white space.
func (s *splitter) skipSpace() {
	for s.pos < len(s.text) {
		r, size := utf8.DecodeRuneInString(s.text[s.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		s.pos += size
	}
	for s.first < len(s.protected) && s.protected[s.first][1] <= s.pos {
		s.first++
	}
}

// fit returns the end of the longest text from pos that fits in limit,
// and whether that is the rest of the text (but its trailing white space).
func (s *splitter) fit(limit int) (end int, all bool) {
	end = prefixEnd(s.text[:s.end], s.pos, limit)
	return end, end == s.end
}

// prefixEnd returns the end of the longest part of text from start that
// fits in limit units.
func prefixEnd(text string, start, limit int) int {
	end, n := start, 0
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if n+runeUnits(r) > limit {
			return end
		}
		n += runeUnits(r)
		end += size
	}
	return end
}

// joins reports whether r belongs with the character before it: a
// combining mark, a variation selector, a zero-width joiner, an emoji
// modifier or a tag character.
func joins(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Variation_Selector) || r == '\u200d' ||
		(r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F)
}

// clusterStart moves a cut at end back to the start of the character
// sequence it falls in (not before start): a cut never separates a base
// from its combining marks, nor the parts of an emoji ZWJ sequence. Where
// the sequence starts at start itself, the cut stays (the sequence is too
// long to keep whole). Only a few characters are looked at.
func clusterStart(text string, start, end int) int {
	cut := end
	for steps := 0; cut > start && cut < len(text) && steps < 32; steps++ {
		next, _ := utf8.DecodeRuneInString(text[cut:])
		prev, size := utf8.DecodeLastRuneInString(text[:cut])
		if !joins(next) && prev != '\u200d' {
			return cut
		}
		cut -= size
	}
	if cut <= start || cut < len(text) && joinsAt(text, cut) {
		return end
	}
	return cut
}

// joinsAt reports whether the cut at i is still inside a sequence.
func joinsAt(text string, i int) bool {
	next, _ := utf8.DecodeRuneInString(text[i:])
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	return joins(next) || prev == '\u200d'
}

// startsMarker reports whether a citation marker starts at i.
func (s *splitter) startsMarker(i int) bool {
	p := s.protected[s.first:]
	k := sort.Search(len(p), func(k int) bool { return p[k][0] >= i })
	return k < len(p) && p[k][0] == i && i+1 < len(s.text) && s.text[i+1] >= '0' && s.text[i+1] <= '9'
}

// bestCut returns the byte offset at which to cut the text from pos, given
// end, the end of the longest part that fits in limit.
func (s *splitter) bestCut(end, limit int) int {
	text := s.text
	var best [cutParagraph + 1]int
	var bestLen [cutParagraph + 1]int
	beforeMarker := 0
	k := s.first // protected spans that may contain i
	n := 0       // units from pos to i
	prev := rune(-1)
	for i := s.pos; i <= end && i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		// A boundary is the start of a run of white space.
		if i > s.pos && unicode.IsSpace(r) && !unicode.IsSpace(prev) {
			for k < len(s.protected) && s.protected[k][1] <= i {
				k++
			}
			inside := k < len(s.protected) && s.protected[k][0] < i
			if !inside {
				ws, restAt := whitespaceRun(text, i)
				switch {
				case restAt < len(text) && text[restAt] == '[' && s.startsMarker(restAt):
					beforeMarker = i // keep a citation marker with its sentence if at all possible
				default:
					kind := cutWord
					switch {
					case strings.Contains(ws, "\n\n"):
						kind = cutParagraph
					case strings.Contains(ws, "\n"):
						kind = cutLine
					case endsSentence(text[s.pos:i]):
						kind = cutSentence
					}
					best[kind], bestLen[kind] = i, n
				}
			}
		}
		prev = r
		n += runeUnits(r)
		i += size
	}
	// The best kind of boundary that keeps the chunk at least half full;
	// else the latest boundary of any kind.
	for kind := cutParagraph; kind >= cutWord; kind-- {
		if best[kind] > 0 && bestLen[kind] >= limit/2 {
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
	if end == s.pos { // limit below one character
		_, size := utf8.DecodeRuneInString(text[s.pos:])
		return s.pos + size
	}
	// Inside a word: not inside a character sequence.
	return clusterStart(text, s.pos, end)
}

// maxRunLook bounds how much of a run of white space is looked at to
// classify a boundary (paragraph, line or word break).
const maxRunLook = 64

// whitespaceRun returns the start of the run of white space at i (at most
// maxRunLook bytes of it) and where the text after the run starts.
func whitespaceRun(text string, i int) (string, int) {
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsSpace(r) {
			break
		}
		j += size
	}
	return text[i:min(j, i+maxRunLook)], j
}

// endsSentence reports whether s ends a sentence: with . ! ? or …,
// possibly followed by closing quotes or brackets, or by a citation marker
// that follows one. It looks only at the end of s.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if t := trimCitationTail(s); len(t) < len(s) {
		s = strings.TrimRightFunc(t, unicode.IsSpace)
	}
	s = strings.TrimRight(s, `"'”’)]*_`)
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// trimCitationTail removes a trailing run of citation markers ("[1]",
// "[1] [2]", "[1],[2]") from s, scanning back from its end.
func trimCitationTail(s string) string {
	t, ok := trimMarker(s)
	if !ok {
		return s
	}
	for {
		u, ok := trimMarker(strings.TrimRight(t, " ,"))
		if !ok {
			return t
		}
		t = u
	}
}

// trimMarker removes one "[digits]" from the end of s.
func trimMarker(s string) (string, bool) {
	if !strings.HasSuffix(s, "]") {
		return s, false
	}
	i := len(s) - 1
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s)-1 || i == 0 || s[i-1] != '[' {
		return s, false
	}
	return s[:i-1], true
}
