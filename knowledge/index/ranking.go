package index

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/newsbot/newsbot/knowledge"
)

// Ranking holds the parameters of the ranking: the first stage's and the
// re-ranking's. NewIndex takes it as it is (a zero field turns its part
// off); nil there means DefaultRanking. As JSON (ranking files, `newsbot
// eval --fit`) the fields of both stages are one flat object.
type Ranking struct {
	FirstStage
	Rerank
}

// FirstStage parameterises the first stage. A paragraph's score is BM25
// over the paragraph and, at TitleWeight, over its article's title, with
// term weights IDF^IDFExp; multiplied by the share of the question's weight
// it covers, by a recency factor relative to the question's as-of date, by
// a preference for leading paragraphs, and by Query.PreferBoost inside a
// preferred window.
type FirstStage struct {
	K1, B       float64 // BM25 saturation and length normalisation
	TitleWeight float64 // weight of the title field against the paragraph
	// TitleParas is how many leading paragraphs of an article whose title
	// matches (and none of whose words match) become candidates.
	TitleParas int
	// IDFExp raises term weights (IDF) to this power (0 means 1): above 1,
	// rare words — names — count for more against common ones.
	IDFExp float64
	// RecencyWeight and RecencyDays prefer articles published shortly
	// before Query.AsOf: the score is multiplied by
	// 1 + RecencyWeight·exp(-age/RecencyDays). RecentWeight replaces
	// RecencyWeight for Query.Recent (questions in the present tense); the
	// default is the same weight, and docs/quality.md measures others
	// (TestRecentWeightPrefersNewer shows it moves results).
	RecencyWeight, RecentWeight, RecencyDays float64
	// CommonShare: a word found in more than this share of all paragraphs
	// scores the paragraphs that other words of the question find, but adds
	// none of its own (0: every word adds its paragraphs). Such words weigh
	// little; the candidates they would add rarely rank, and cost time in
	// proportion to the size of the store.
	CommonShare float64
	// PositionWeight prefers an article's first paragraphs, where news
	// writing puts the facts: the score is multiplied by
	// 1 + PositionWeight/(1 + paragraph index).
	PositionWeight float64
}

// Rerank parameterises the re-ranking. RerankDepth is how many
// first-stage results are re-ranked by reading their text (0: none). A
// re-ranked paragraph's score is its first-stage score relative to the
// best, plus each of these weights times a feature in [0, 1] (see
// rerank.go):
//
//   - TypeWeight: it holds the kind of thing the question asks for (a
//     date for "when", a number for "how many", a country for "which
//     country", a name for "who");
//   - VoteWeight: it names a candidate answer that other well-ranked
//     paragraphs name too (answer redundancy), by their share of the
//     first-stage score; TitleVoteWeight: the same, counting the names
//     in those paragraphs' titles;
//   - ArticleWeight: the best first-stage score of its article's
//     paragraphs (the answer is often a paragraph of the best article
//     that repeats few of the question's words);
//   - SentenceWeight: the share of the question's weight found in one
//     of its sentences;
//   - NamesWeight: how many candidate answers it holds (log-scaled);
//   - FreshWeight: exp(-age/RecencyDays) against the as-of date.
//
// ContextArticles, ContextParas and ContextWeight let more of the best
// articles vote for candidate answers (VoteWeight) without becoming
// results: the ContextParas paragraphs nearest to the best paragraph of
// each of the first stage's ContextArticles best articles, each counted
// at ContextWeight times that paragraph's score. The answer is often in a
// paragraph of the best article that repeats none of the question's words
// (docs/performance.md, "Where the misses are"). Off by default (zero):
// it lifts answer-recall@5 on the dev questions (46.5% → 47.3% at 2, 10,
// 0.3, on both halves) but costs template and short answers a few
// questions as they choose sentences now.
type Rerank struct {
	RerankDepth                                            int
	TypeWeight, VoteWeight, TitleVoteWeight, ArticleWeight float64
	SentenceWeight, NamesWeight, FreshWeight               float64
	ContextArticles, ContextParas                          int
	ContextWeight                                          float64
}

// DefaultRanking is the ranking newsbot ships with, tuned with `newsbot
// eval` on the RealTime QA dev questions (docs/performance.md says what
// each part gained). The re-ranking weights are what `newsbot eval --fit`
// prints for those questions.
var DefaultRanking = Ranking{
	FirstStage: FirstStage{
		K1: 1.2, B: 0.5, TitleWeight: 0.4, TitleParas: 3, IDFExp: 1.5,
		RecencyWeight: 1, RecentWeight: 1, RecencyDays: 14, PositionWeight: 0.5, CommonShare: 0.02,
	},
	Rerank: Rerank{
		RerankDepth: 50, TypeWeight: 0.97, VoteWeight: 0.34, TitleVoteWeight: 0.8, ArticleWeight: 0.78,
		SentenceWeight: 0.73, NamesWeight: 0.3, FreshWeight: 0.42,
	},
}

// ReadRanking reads a ranking as JSON (the fields of Ranking, as `newsbot
// eval --fit` prints them): fields it leaves out keep DefaultRanking's
// values, and unknown fields are an error.
func ReadRanking(r io.Reader) (Ranking, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Ranking{}, fmt.Errorf("read ranking: %w", err)
	}
	// Rankings printed before CoverageExp was removed (its only value was
	// 1, now the rule) still read.
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) == nil {
		if v, ok := fields["CoverageExp"]; ok {
			if string(v) != "1" {
				return Ranking{}, fmt.Errorf("read ranking: CoverageExp %s: no longer supported (the coverage factor is linear)", v)
			}
			delete(fields, "CoverageExp")
			data, _ = json.Marshal(fields)
		}
	}
	rk := DefaultRanking
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rk); err != nil {
		return Ranking{}, fmt.Errorf("read ranking: %w", err)
	}
	return rk, nil
}

// idfWeight is a term's weight: its IDF raised to IDFExp.
func (r Ranking) idfWeight(idf float64) float64 {
	if r.IDFExp > 0 && r.IDFExp != 1 {
		return math.Pow(idf, r.IDFExp)
	}
	return idf
}

// recencyFactor returns the score factor for an article's publication day,
// or nil when q asks for no recency preference.
func (r Ranking) recencyFactor(q knowledge.Query) func(pub int32) float32 {
	w := r.RecencyWeight
	if q.Recent {
		w = r.RecentWeight
	}
	if q.AsOf.IsZero() || w == 0 || r.RecencyDays <= 0 {
		return nil
	}
	now := calendarDay(q.AsOf)
	return func(pub int32) float32 {
		if pub == noDate {
			return 1
		}
		age := max(float64(now-pub), 0)
		return float32(1 + w*math.Exp(-age/r.RecencyDays))
	}
}

// preferFactor returns the score factor for q's preferred window, or nil.
func preferFactor(q knowledge.Query) func(pub int32) float32 {
	if q.PreferBoost <= 0 || q.PreferSince.IsZero() && q.PreferUntil.IsZero() {
		return nil
	}
	since, until := dayBounds(knowledge.Query{Since: q.PreferSince, Until: q.PreferUntil})
	boost := float32(q.PreferBoost)
	return func(pub int32) float32 {
		if pub != noDate && pub >= since && pub < until {
			return boost
		}
		return 1
	}
}
