package index

import (
	"math"
	"math/rand"

	"github.com/newsbot/newsbot/knowledge"
)

// RerankList is one question's first-stage results, read for fitting the
// re-ranking weights (FitRerank): each passage's features and whether it
// holds the question's answer.
type RerankList struct {
	feats    []features
	Relevant []bool
}

// NewRerankList reads the features of res.Passages, first-stage results for
// q (from an Index whose Ranking has RerankDepth 0, searched for
// RerankDepth passages), under r. relevant tells whether a passage holds
// the answer.
func NewRerankList(q knowledge.Query, res *knowledge.Result, r Ranking, relevant func(knowledge.Passage) bool) RerankList {
	feats, _ := rerankFeatures(q, res, r)
	l := RerankList{feats: feats}
	if l.feats == nil {
		return RerankList{}
	}
	l.Relevant = make([]bool, len(res.Passages))
	for i, p := range res.Passages {
		l.Relevant[i] = relevant(p)
	}
	return l
}

// fitTemperature is the first-stage score's fixed weight while fitting:
// it sets how sharply the softmax tells the best-scored passage from the
// rest (weights are reported relative to it).
const fitTemperature = 2

// FitRerank returns r with its re-ranking feature weights fitted to lists:
// the weights that maximise, over the lists holding an answer, the
// log-probability that a softmax over each list's re-ranking scores picks
// a passage holding the answer (plain gradient ascent with a small L2
// penalty, from zero weights; deterministic).
func FitRerank(lists []RerankList, r Ranking) Ranking {
	const (
		iterations = 300
		rate       = 0.5
		l2         = 0.01
	)
	var w [nFeatures]float64 // in units of fitTemperature
	for range iterations {
		var grad [nFeatures]float64
		n := 0
		for _, l := range lists {
			if !l.hasRelevant() {
				continue
			}
			n++
			g := l.gradient(w)
			for j := range grad {
				grad[j] += g[j]
			}
		}
		if n == 0 {
			return r
		}
		for j := range w {
			w[j] += rate * (grad[j]/float64(n) - l2*w[j])
		}
	}
	for j := range w {
		w[j] = math.Round(100*w[j]/fitTemperature) / 100
	}
	return r.withFeatureWeights(w)
}

func (l RerankList) hasRelevant() bool {
	for _, ok := range l.Relevant {
		if ok {
			return true
		}
	}
	return false
}

// gradient is the gradient of log P(relevant) under the softmax of
// fitTemperature·score + w·features.
func (l RerankList) gradient(w [nFeatures]float64) [nFeatures]float64 {
	logits := make([]float64, len(l.feats))
	top := math.Inf(-1)
	for i, f := range l.feats {
		logits[i] = fitTemperature*f.score + f.dot(w)
		top = max(top, logits[i])
	}
	var z, zr float64
	var ez, ezr [nFeatures]float64
	for i, f := range l.feats {
		e := math.Exp(logits[i] - top)
		z += e
		if l.Relevant[i] {
			zr += e
		}
		for j, v := range f.f {
			ez[j] += e * v
			if l.Relevant[i] {
				ezr[j] += e * v
			}
		}
	}
	var g [nFeatures]float64
	for j := range g {
		g[j] = ezr[j]/zr - ez[j]/z
	}
	return g
}

// RerankRecall returns the share of lists with a relevant passage among the
// first k after re-ranking with r's weights (ties keep first-stage order).
func RerankRecall(lists []RerankList, r Ranking, k int) float64 {
	if len(lists) == 0 {
		return 0
	}
	w := r.featureWeights()
	hits := 0
	for _, l := range lists {
		best := -1 // best-scored relevant passage
		scores := make([]float64, len(l.feats))
		for i, f := range l.feats {
			scores[i] = f.weighted(w)
			if l.Relevant[i] && (best < 0 || scores[i] > scores[best]) {
				best = i
			}
		}
		if best < 0 {
			continue
		}
		above := 0
		for i, s := range scores {
			if s > scores[best] || s == scores[best] && i < best {
				above++
			}
		}
		if above < k {
			hits++
		}
	}
	return float64(hits) / float64(len(lists))
}

// CrossValidateRerank estimates how FitRerank's weights do on questions
// they were not fitted to: repeats times, the lists are split at random
// (seeded: the result is deterministic) into two halves; weights fitted to
// one half are scored (RerankRecall at k) on the other, and so are r's own
// weights. It returns the mean recall of r's weights and of the fitted
// ones.
func CrossValidateRerank(lists []RerankList, r Ranking, k, repeats int) (given, fitted float64) {
	rng := rand.New(rand.NewSource(1))
	runs := 0
	for range repeats {
		perm := rng.Perm(len(lists))
		halves := [2][]RerankList{}
		for i, j := range perm {
			halves[i%2] = append(halves[i%2], lists[j])
		}
		for h := range 2 {
			train, test := halves[h], halves[1-h]
			given += RerankRecall(test, r, k)
			fitted += RerankRecall(test, FitRerank(train, r), k)
			runs++
		}
	}
	if runs == 0 {
		return 0, 0
	}
	return given / float64(runs), fitted / float64(runs)
}
