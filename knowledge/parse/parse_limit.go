package parse

import (
	"unicode"
	"unicode/utf8"
)

// MaxParagraphRunes bounds the length of a stored paragraph. Feeds and
// files deliver paragraphs of hundreds of kilobytes with no sentence end;
// stored whole, one of them becomes a whole answer. Longer paragraphs are
// split at ingest (see BoundParagraphs).
const MaxParagraphRunes = 2000

// minPieceRunes is the least a piece cut from a long paragraph holds when
// a sentence end or a space allows it: a cut is only looked for in the
// second half of the window, so pieces are not needlessly short.
const minPieceRunes = MaxParagraphRunes / 2

// BoundParagraphs returns paras with every paragraph longer than
// MaxParagraphRunes split into pieces of at most that many runes: cut after
// the last sentence end (".", "!" or "?", with any closing quotes or
// brackets, followed by a space) in the second half of the window, else at
// the last space there, else — a blob without spaces — at a rune boundary.
// Spaces at a cut are dropped. Paragraphs are expected single-spaced (as
// Clean makes them); no piece is empty. It takes time linear in the
// length of the text and returns paras itself when nothing is too long.
func BoundParagraphs(paras []string) []string {
	long := false
	for _, p := range paras {
		if len(p) > MaxParagraphRunes && utf8.RuneCountInString(p) > MaxParagraphRunes {
			long = true
			break
		}
	}
	if !long {
		return paras
	}
	out := make([]string, 0, len(paras)+4)
	for _, p := range paras {
		out = appendBounded(out, p)
	}
	return out
}

// appendBounded appends p to out, split as BoundParagraphs describes.
func appendBounded(out []string, p string) []string {
	for {
		p = trimSpaces(p)
		if p == "" {
			return out
		}
		// end is the byte offset just past MaxParagraphRunes runes, or
		// len(p); half just past minPieceRunes runes.
		end, half, n := 0, 0, 0
		for end < len(p) && n < MaxParagraphRunes {
			_, size := utf8.DecodeRuneInString(p[end:])
			end += size
			n++
			if n == minPieceRunes {
				half = end
			}
		}
		if end == len(p) {
			return append(out, p)
		}
		cut := lastCut(p[:end+1], half)
		if cut <= 0 {
			cut = runeCut(p, end, half)
		}
		out = append(out, trimSpaces(p[:cut]))
		p = p[cut:]
	}
}

// lastCut returns the best place at or after from to cut w (a window whose
// last byte is the one just after the window proper, so that a sentence
// end right at the window's end is seen): just after a sentence end
// followed by a space, else at a space; 0 when w has neither after from.
func lastCut(w string, from int) int {
	space := 0
	for i := len(w) - 1; i > from; i-- {
		if w[i] != ' ' {
			continue
		}
		if space == 0 {
			space = i
		}
		// Skip closing quotes and brackets before the space.
		j := i
		for j > from {
			r, size := utf8.DecodeLastRuneInString(w[:j])
			if r == '"' || r == '\'' || r == '”' || r == '’' || r == ')' || r == ']' || r == '»' {
				j -= size
				continue
			}
			break
		}
		if j > from {
			if c := w[j-1]; c == '.' || c == '!' || c == '?' {
				return i
			}
		}
	}
	return space
}

// trimSpaces removes ASCII spaces at both ends of s.
func trimSpaces(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] == ' ' {
		i++
	}
	for j > i && s[j-1] == ' ' {
		j--
	}
	return s[i:j]
}

// runeCut returns end, moved back (not past from) so that the cut does not
// fall inside a character a reader sees as one: before a combining mark,
// variation selector or zero-width joiner, or just after a joiner (emoji
// sequences such as 👩‍👩‍👧). After 16 runes of those it cuts at end anyway.
func runeCut(p string, end, from int) int {
	cut := end
	for range 16 {
		if cut <= from {
			return end
		}
		next, _ := utf8.DecodeRuneInString(p[cut:])
		prev, size := utf8.DecodeLastRuneInString(p[:cut])
		if !joins(next) && prev != '\u200d' {
			return cut
		}
		cut -= size
	}
	return end
}

// joins reports whether r attaches to the rune before it.
func joins(r rune) bool {
	return r == '\u200d' || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) ||
		unicode.Is(unicode.Variation_Selector, r) || r >= 0x1F3FB && r <= 0x1F3FF // skin tones
}
