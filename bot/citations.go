package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/newsbot/newsbot/knowledge/analysis"
)

// minSupport is the share of a cited sentence's content words (stemmed,
// stop words left out) that must occur in the passages it cites; below it
// the citations are flagged weak. Sentences with fewer than
// minSupportTerms content words are not judged.
const (
	minSupport      = 1.0 / 3
	minSupportTerms = 3
)

var (
	// reMarker matches a citation group as models write them: [1], [1, 2],
	// [1; 3], [Source 2], with the blanks before it.
	reMarker = regexp.MustCompile(`[ \t]*\[(?i:sources?\s*)?(\d+(?:\s*[,;]\s*(?i:sources?\s*)?\d+)*)\]`)
	reDigits = regexp.MustCompile(`\d+`)
	// reCite matches one marker after renumbering.
	reCite        = regexp.MustCompile(`\[(\d+)\]`)
	reLineIndent  = regexp.MustCompile(`(?m)^[ \t]+`)
	reSpaceBefore = regexp.MustCompile(`[ \t]+([.,;:!?])`)
)

// renumber rewrites the citation markers of text written against k
// numbered sources: markers that name no source are removed, the others
// are renumbered 1, 2, … in order of first use and written one number per
// bracket. order[i] is the source number behind the new marker [i+1].
// Renumbering a prefix of a text gives a prefix of the renumbered text, so
// it can be applied to a stream as it grows.
//
// Removing a marker can join the pieces of another ("[[0]2]" leaves
// "[2]"), so it is repeated until nothing changes, composing the orders.
func renumber(text string, k int) (out string, order []int) {
	out, order = renumberOnce(text, k)
	for i := 0; i < 8; i++ {
		again, o := renumberOnce(out, len(order))
		if again == out {
			return out, order
		}
		composed := make([]int, len(o))
		for j, n := range o {
			composed[j] = order[n-1]
		}
		out, order = again, composed
	}
	// Pathological nesting: drop the brackets, which leaves no marker.
	return strings.NewReplacer("[", "", "]", "").Replace(out), nil
}

// renumberOnce is one pass of renumber.
func renumberOnce(text string, k int) (out string, order []int) {
	newOf := map[int]int{}
	out = reMarker.ReplaceAllStringFunc(text, func(m string) string {
		group := reMarker.FindStringSubmatch(m)[1]
		var b strings.Builder
		seen := map[int]bool{}
		for _, f := range reDigits.FindAllString(group, -1) {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 || n > k {
				continue
			}
			nn, ok := newOf[n]
			if !ok {
				order = append(order, n)
				nn = len(order)
				newOf[n] = nn
			}
			if !seen[nn] {
				seen[nn] = true
				fmt.Fprintf(&b, "[%d]", nn)
			}
		}
		if b.Len() == 0 {
			return ""
		}
		if strings.TrimLeft(m, " \t") != m {
			return " " + b.String()
		}
		return b.String()
	})
	return out, order
}

// tidy trims the blanks that removed markers and tags leave behind.
func tidy(s string) string {
	s = reLineIndent.ReplaceAllString(s, "")
	s = reSpaceBefore.ReplaceAllString(s, "$1")
	return strings.TrimSpace(s)
}

// partialText is what a streamed answer shows so far: the part of raw that
// can no longer change (up to the last blank, short of an unfinished tag
// or marker), sanitised and renumbered like the final text.
func partialText(raw string, k int) string {
	cut := strings.LastIndexAny(raw, " \t\n")
	if cut < 0 {
		return ""
	}
	s := raw[:cut]
	if i := strings.LastIndexByte(s, '<'); i >= 0 && !strings.Contains(s[i:], ">") {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '['); i >= 0 && !strings.Contains(s[i:], "]") {
		s = s[:i]
	}
	text, _ := renumber(SanitizeModelText(s), k)
	return tidy(text)
}

// resolveCitations turns a model's raw answer into the text users see and
// its citations: the text is sanitised, invalid markers removed and the
// rest renumbered in order of first use; each citation gets the sentence
// of its passage that best matches the sentences citing it, and is flagged
// weak when a sentence citing it barely overlaps the passages it cites.
func resolveCitations(raw string, sources []promptSource) (string, []Citation) {
	text, order := renumber(SanitizeModelText(raw), len(sources))
	text = tidy(text)
	cites := make([]Citation, len(order))
	for i, n := range order {
		cites[i] = citationFor(i+1, sources[n-1].passage, "")
	}
	checkSupport(text, cites)
	return text, cites
}

// citedSentence is a sentence of an answer with the citations it carries.
type citedSentence struct {
	terms map[string]bool
	cites []int // 1-based citation numbers
}

// citedSentences splits an answer into sentences and their markers; a
// marker standing alone after a sentence's full stop belongs to it.
func citedSentences(text string) []citedSentence {
	var out []citedSentence
	for _, line := range strings.Split(text, "\n") {
		for _, s := range analysis.Sentences(line) {
			var ns []int
			for _, m := range reCite.FindAllStringSubmatch(s, -1) {
				n, _ := strconv.Atoi(m[1])
				ns = append(ns, n)
			}
			content := reCite.ReplaceAllString(s, " ")
			terms := termSet(content)
			if len(terms) == 0 && len(ns) > 0 && len(out) > 0 {
				out[len(out)-1].cites = append(out[len(out)-1].cites, ns...)
				continue
			}
			out = append(out, citedSentence{terms: terms, cites: ns})
		}
	}
	return out
}

// checkSupport sets Weak and Quote on cites from the sentences of text.
func checkSupport(text string, cites []Citation) {
	if len(cites) == 0 {
		return
	}
	passTerms := make([]map[string]bool, len(cites))
	for i, c := range cites {
		passTerms[i] = termSet(c.Title, c.Text)
	}
	citing := make([]map[string]bool, len(cites)) // words of the sentences citing each
	for _, s := range citedSentences(text) {
		if len(s.cites) == 0 {
			continue
		}
		found := 0
		for t := range s.terms {
			for _, n := range s.cites {
				if n >= 1 && n <= len(cites) && passTerms[n-1][t] {
					found++
					break
				}
			}
		}
		weak := len(s.terms) >= minSupportTerms && float64(found) < minSupport*float64(len(s.terms))
		for _, n := range s.cites {
			if n < 1 || n > len(cites) {
				continue
			}
			if weak {
				cites[n-1].Weak = true
			}
			citing[n-1] = mergeSets(citing[n-1], s.terms)
		}
	}
	for i := range cites {
		cites[i].Quote = bestSentence(cites[i].Text, citing[i])
	}
}

// bestSentence returns the sentence of paragraph that shares most words
// with terms, or "" when none shares any.
func bestSentence(paragraph string, terms map[string]bool) string {
	best, bestN := "", 0
	for _, s := range analysis.Sentences(paragraph) {
		n := 0
		for t := range termSet(s) {
			if terms[t] {
				n++
			}
		}
		if n > bestN {
			best, bestN = s, n
		}
	}
	return best
}
