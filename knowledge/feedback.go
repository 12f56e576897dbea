package knowledge

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// feedback returns expansion terms for q from the best first-stage hits:
// the words that weigh most in them (by frequency, weighted by the hit's
// score, times their IDF), leaving out the question's own words.
func (ix *Index) feedback(ctx context.Context, st *indexState, q Query, hits []hit) ([]weightedTerm, error) {
	r := ix.ranking
	fb := hits[:min(len(hits), r.FeedbackDocs)]
	docs := make([]int64, len(fb))
	score := map[int64]float32{}
	var total float32
	for i, h := range fb {
		docs[i] = h.doc
		score[h.doc] = h.score
		total += h.score
	}
	ps, err := ix.store.Passages(ctx, docs)
	if err != nil {
		return nil, fmt.Errorf("feedback passages: %w", err)
	}
	own := map[string]bool{}
	for _, t := range Terms(q.Text, nil) {
		own[t] = true
	}
	weight := map[string]float64{}
	var buf []string
	for _, p := range ps {
		buf = Terms(p.Text, buf[:0])
		if len(buf) == 0 || total == 0 {
			continue
		}
		w := float64(score[p.Doc]/total) / float64(len(buf))
		for _, t := range buf {
			if !own[t] && len(t) > 1 {
				weight[t] += w
			}
		}
	}
	type cand struct {
		term string
		w    float64
	}
	var cands []cand
	for t, w := range weight {
		cands = append(cands, cand{t, w})
	}
	sort.Slice(cands, func(i, j int) bool {
		return cands[i].w > cands[j].w || cands[i].w == cands[j].w && cands[i].term < cands[j].term
	})
	cands = cands[:min(len(cands), 3*r.FeedbackTerms)]
	n := float64(st.nDocs)
	for i, c := range cands {
		body, err := ix.postings(ctx, st, c.term)
		if err != nil {
			return nil, err
		}
		df := 0
		for _, p := range body {
			df += postingsCount(p.Data)
		}
		cands[i].w = c.w * math.Log(1+(n-float64(min(df, st.nDocs))+0.5)/(float64(df)+0.5))
	}
	sort.Slice(cands, func(i, j int) bool {
		return cands[i].w > cands[j].w || cands[i].w == cands[j].w && cands[i].term < cands[j].term
	})
	cands = cands[:min(len(cands), r.FeedbackTerms)]
	if len(cands) == 0 || cands[0].w == 0 {
		return nil, nil
	}
	out := make([]weightedTerm, len(cands))
	for i, c := range cands {
		out[i] = weightedTerm{c.term, float32(r.FeedbackWeight * c.w / cands[0].w)}
	}
	return out, nil
}
