package index

import (
	"math"
	"sort"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// The re-ranking features (see Ranking), each in [0, 1] except featNames.
const (
	featType      = iota // holds the kind of answer asked for
	featVote             // share of the results' weight naming its best candidate answer
	featTitleVote        // the same in the results' titles
	featArticle          // its article's best first-stage score, relative to the best
	featSentence         // share of the question's weight in its best sentence
	featNames            // candidate answers it holds, log-scaled
	featFresh            // exp(-age/RecencyDays) at the as-of date
	nFeatures
)

// features are what re-ranking reads in a first-stage result.
type features struct {
	score float64 // first-stage score relative to the best
	f     [nFeatures]float64
}

// featureWeights returns r's weights of the re-ranking features.
func (r Ranking) featureWeights() [nFeatures]float64 {
	return [nFeatures]float64{r.TypeWeight, r.VoteWeight, r.TitleVoteWeight, r.ArticleWeight,
		r.SentenceWeight, r.NamesWeight, r.FreshWeight}
}

// withFeatureWeights returns r with the re-ranking feature weights w.
func (r Ranking) withFeatureWeights(w [nFeatures]float64) Ranking {
	r.TypeWeight, r.VoteWeight, r.TitleVoteWeight, r.ArticleWeight = w[0], w[1], w[2], w[3]
	r.SentenceWeight, r.NamesWeight, r.FreshWeight = w[4], w[5], w[6]
	return r
}

// weighted is the re-ranking score of f under the feature weights w.
func (f features) weighted(w [nFeatures]float64) float64 { return f.score + f.dot(w) }

// dot is the weighted sum of f's features.
func (f features) dot(w [nFeatures]float64) float64 {
	s := 0.0
	for i, v := range f.f {
		s += w[i] * v
	}
	return s
}

// rerank re-orders res.Passages, the first-stage results for q, by reading
// their text: each passage's score becomes features.weighted.
func rerank(q knowledge.Query, res *knowledge.Result, r Ranking) {
	fs, votes := rerankFeatures(q, res, r)
	if fs == nil {
		return
	}
	res.Votes = votes
	w := r.featureWeights()
	scores := make([]float64, len(fs))
	for i, f := range fs {
		scores[i] = f.weighted(w)
	}
	idx := make([]int, len(res.Passages))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	out := make([]knowledge.Passage, len(idx))
	for i, j := range idx {
		out[i] = res.Passages[j]
		out[i].Score = scores[j]
	}
	res.Passages = out
}

// rerankFeatures computes the features of each of res.Passages, and the
// candidate answers' vote shares (see Result.Votes); nil when there is
// nothing to re-rank.
func rerankFeatures(q knowledge.Query, res *knowledge.Result, r Ranking) ([]features, map[string]float64) {
	ps := res.Passages
	if len(ps) == 0 || ps[0].Score <= 0 {
		return nil, nil
	}
	top := ps[0].Score
	kind := analysis.QuestionKind(q.Text)
	words := analysis.QuestionWords(q.Text)
	// Term weights, for the share of the question found in a sentence.
	weight := make(map[string]float64, len(res.Terms))
	total := 0.0
	for _, t := range res.Terms {
		w := r.idfWeight(t.IDF)
		weight[t.Term] += w
		total += w
	}
	// Answer redundancy: candidate answers (names, numbers, places of the
	// kind asked for) that several well-ranked passages mention, and the
	// question does not, are likely answers.
	names := make([]map[string]bool, len(ps))
	mass, titleMass := map[string]float64{}, map[string]float64{}
	totalMass := 0.0
	best := map[string]float64{} // article -> best score
	titleNames := map[string]map[string]bool{}
	for i, p := range ps {
		w := p.Score / top
		totalMass += w
		names[i] = analysis.CandidateAnswers(p.Text, kind, q.Text, words)
		for n := range names[i] {
			mass[n] += w
		}
		tn, ok := titleNames[p.ArticleID]
		if !ok {
			tn = analysis.CandidateAnswers(p.Title, kind, q.Text, words)
			titleNames[p.ArticleID] = tn
		}
		for n := range tn {
			titleMass[n] += w
		}
		best[p.ArticleID] = max(best[p.ArticleID], p.Score)
	}
	votes := make(map[string]float64, len(mass))
	for n, m := range mass {
		votes[n] = m / totalMass
	}
	// The best articles' other paragraphs add their votes to the
	// features, not to res.Votes (the results' own).
	if r.ContextWeight > 0 {
		for _, p := range res.Context {
			w := r.ContextWeight * p.Score / top
			totalMass += w
			for n := range analysis.CandidateAnswers(p.Text, kind, q.Text, words) {
				mass[n] += w
			}
		}
	}
	var terms []string
	prefixes := analysis.TermPrefixes(weight)
	fs := make([]features, len(ps))
	for i, p := range ps {
		f := &fs[i]
		f.score = p.Score / top
		if kind != analysis.KindAny && analysis.HasKind(p.Text, kind, q.Text, words) {
			f.f[featType] = 1
		}
		for n := range names[i] {
			f.f[featVote] = max(f.f[featVote], mass[n]/totalMass)
			f.f[featTitleVote] = max(f.f[featTitleVote], titleMass[n]/totalMass)
		}
		f.f[featArticle] = best[p.ArticleID] / top
		if total > 0 {
			for _, s := range analysis.Sentences(p.Text) {
				terms = uniqueTerms(analysis.TermsWithPrefix(s, prefixes, terms[:0]))
				got := 0.0
				for _, t := range terms {
					got += weight[t]
				}
				f.f[featSentence] = max(f.f[featSentence], got/total)
			}
		}
		f.f[featNames] = math.Log1p(float64(len(names[i])))
		if !q.AsOf.IsZero() && !p.Published.IsZero() && r.RecencyDays > 0 {
			age := max(q.AsOf.Sub(p.Published).Hours()/24, 0)
			f.f[featFresh] = math.Exp(-age / r.RecencyDays)
		}
	}
	return fs, votes
}
