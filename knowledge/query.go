package knowledge

import (
	"strings"
	"time"
)

// Query is a retrieval request.
type Query struct {
	// Text is the question or keywords.
	Text string
	// K is the number of passages wanted; zero means 10.
	K int
	// Since and Until bound the publication date (Since inclusive, Until
	// exclusive); zero means open. Articles of unknown date are excluded
	// when either bound is set.
	Since, Until time.Time
	// Sources keeps only articles whose source equals one of these (case
	// insensitive), or is a host name ending in "."+source.
	Sources []string
	// AsOf is the moment the question is asked; articles published shortly
	// before it are preferred (see Ranking). Zero means no preference.
	AsOf time.Time
	// Recent strengthens the preference for recent articles, for questions
	// about how things stand now.
	Recent bool
	// PreferSince and PreferUntil, when set, multiply the scores of
	// articles published in [PreferSince, PreferUntil) by PreferBoost: a
	// softer form of Since and Until.
	PreferSince, PreferUntil time.Time
	PreferBoost              float64
}

// Result is what a search found.
type Result struct {
	// Passages are the best paragraphs, best first.
	Passages []Passage
	// Terms are the query's index terms with their statistics, in query
	// order; a term that occurs nowhere has DocFreq 0 and the largest IDF.
	Terms []TermStat
	// Docs is the number of live paragraphs searched.
	Docs int
	// Votes are the likely answers to the question (see CandidateAnswers)
	// that the re-ranked results mention, each with the share of those
	// results' first-stage score mentioning it: names that many good
	// results repeat are likely answers. Nil without re-ranking.
	Votes map[string]float64
	// Context are other paragraphs of the first stage's best articles,
	// read by the re-ranking for answer redundancy only (see
	// index.Rerank.ContextArticles); they are never results. Nil unless
	// the ranking asks for them.
	Context []Passage
	// Query is the query as searched (after the caller's rewriting: the
	// window phrase taken out, the as-of date and preferences set), for
	// fitting the re-ranking to what is served.
	Query Query
}

// TermStat describes one query term in the index.
type TermStat struct {
	Term    string
	DocFreq int
	IDF     float64
}

// SourceMatches reports whether source equals one of want (case
// insensitive) or is a host name ending in "."+want.
func SourceMatches(source string, want []string) bool {
	s := strings.ToLower(source)
	for _, w := range want {
		w = strings.ToLower(strings.TrimSpace(w))
		if w != "" && (s == w || strings.HasSuffix(s, "."+w)) {
			return true
		}
	}
	return false
}
