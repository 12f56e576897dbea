package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on what one answer quotes, whatever the store holds: a paragraph
// of 200 KB without a sentence end must not become a 200 KB answer.
const (
	// maxQuoteRunes bounds one quoted sentence; the whole paragraph stays
	// in the citation (Citation.Text) for :open and the sources.
	maxQuoteRunes = 400
	// maxTitleRunes bounds a cited title.
	maxTitleRunes = 300
)

// clip returns s cut to at most max runes (the ellipsis included), at the
// last word boundary before the limit when there is one in its second
// half, with "…" appended. Shorter text is returned unchanged. It runs in
// time linear in max, not in len(s).
func clip(s string, max int) string {
	if max < 2 || utf8.RuneCountInString(s) <= max {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == max-1 {
			cut = i
			break
		}
		n++
	}
	head := s[:cut]
	if sp := strings.LastIndexFunc(head, unicode.IsSpace); sp > len(head)/2 {
		head = head[:sp]
	}
	return strings.TrimRightFunc(head, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != ')' && r != '"' }) + "…"
}
