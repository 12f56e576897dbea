package index

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// Hit is a ranked doc before its text is fetched.
type Hit struct {
	Doc   int64
	Score float32
}

// HitHeap is a min-heap of hits, for keeping the best K.
type HitHeap []Hit

func (h HitHeap) Len() int           { return len(h) }
func (h HitHeap) Less(i, j int) bool { return h[i].Score < h[j].Score }
func (h HitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *HitHeap) Push(x any)        { *h = append(*h, x.(Hit)) }
func (h *HitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// accumulator holds one search's scores; pooled, and cleared after use
// through the lists of what was touched.
type accumulator struct {
	score   []float32 // body BM25 per doc
	mask    []uint32  // query terms matched in the body, per doc
	touched []int32   // docs with a body score
	tscore  []float32 // title BM25 per article slot
	tmask   []uint32
	tarts   []int32 // article slots with a title score
	cand    []int32
	seen    []bool // doc is in cand
}

func (ix *Index) getAccumulator(st *indexState) *accumulator {
	acc, _ := ix.accPool.Get().(*accumulator)
	if acc == nil || len(acc.score) < len(st.docArt) || len(acc.tscore) < len(st.arts) {
		n, na := len(st.docArt), len(st.arts)
		acc = &accumulator{score: make([]float32, n), mask: make([]uint32, n), seen: make([]bool, n),
			tscore: make([]float32, na), tmask: make([]uint32, na)}
	}
	return acc
}

func (ix *Index) putAccumulator(acc *accumulator) {
	for _, d := range acc.touched {
		acc.score[d], acc.mask[d] = 0, 0
	}
	for _, d := range acc.cand {
		acc.seen[d] = false
	}
	for _, a := range acc.tarts {
		acc.tscore[a], acc.tmask[a] = 0, 0
	}
	acc.touched, acc.cand, acc.tarts = acc.touched[:0], acc.cand[:0], acc.tarts[:0]
	ix.accPool.Put(acc)
}

// rank is the first stage: it scores every paragraph that shares a word
// with the question (see Ranking) and returns the best q.K, best first. It
// records the question's term statistics in res.
func (ix *Index) rank(ctx context.Context, st *indexState, q knowledge.Query, res *knowledge.Result) ([]Hit, error) {
	k := q.K
	if k <= 0 {
		k = 10
	}
	terms := uniqueTerms(analysis.Terms(q.Text, nil))
	if len(terms) == 0 || st.nDocs == 0 {
		return nil, nil
	}
	r := ix.ranking
	want := make([]string, 0, 2*len(terms))
	for _, t := range terms {
		want = append(want, t)
		if r.TitleWeight != 0 {
			want = append(want, knowledge.TitlePrefix+t)
		}
	}
	view, err := ix.view(ctx, st, want)
	if err != nil {
		return nil, err
	}
	acc := ix.getAccumulator(st)
	defer ix.putAccumulator(acc)
	n := float64(st.nDocs)
	nArts := float64(len(st.arts))
	k1, b := float32(r.K1), float32(r.B)
	avgLen := float32(st.avgLen)
	weights := make([]float32, len(terms)) // for coverage
	var total float32
	dfs := make([]int, len(terms))
	order := make([]int, len(terms)) // rarest first
	anyRare := false
	for i, t := range terms {
		for _, p := range view.get(t) {
			dfs[i] += postingsCount(p.Data)
		}
		idf := math.Log(1 + (n-float64(min(dfs[i], st.nDocs))+0.5)/(float64(dfs[i])+0.5))
		res.Terms = append(res.Terms, knowledge.TermStat{Term: t, DocFreq: dfs[i], IDF: idf})
		weights[i] = float32(r.idfWeight(idf))
		total += weights[i]
		order[i] = i
		anyRare = anyRare || dfs[i] > 0 && float64(dfs[i]) <= r.CommonShare*n
	}
	sort.SliceStable(order, func(a, b int) bool { return dfs[order[a]] < dfs[order[b]] })
	for _, i := range order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t := terms[i]
		bit := uint32(0)
		if i < 32 {
			bit = 1 << i
		}
		body := view.get(t)
		w := weights[i]
		// Very common words (in more than CommonShare of paragraphs) add to
		// the paragraphs rarer words found, but find none of their own: they
		// would add many weak candidates, and work in proportion to the
		// size of the store.
		create := !(r.CommonShare > 0 && anyRare && float64(dfs[i]) > r.CommonShare*n)
		for _, p := range body {
			if err := scoreBody(p.Data, st, acc, w, bit, k1, b, avgLen, create); err != nil {
				return nil, fmt.Errorf("postings %q: %w", t, err)
			}
		}
		if r.TitleWeight == 0 {
			continue
		}
		title := view.get(knowledge.TitlePrefix + t)
		tdf := 0
		for _, p := range title {
			tdf += postingsCount(p.Data)
		}
		if tdf == 0 {
			continue
		}
		tw := r.TitleWeight * r.idfWeight(math.Log(1+(nArts-float64(tdf)+0.5)/(float64(tdf)+0.5)))
		for _, p := range title {
			err := decodePostings(p.Data, func(first int64, tf int) {
				slot, ok := st.artByDoc[first]
				if !ok {
					return
				}
				a := st.arts[slot]
				f := float64(tf)
				norm := r.K1 * (1 - r.B + r.B*float64(a.titleLen)/max(st.avgTitle, 1))
				if acc.tmask[slot] == 0 && acc.tscore[slot] == 0 {
					acc.tarts = append(acc.tarts, slot)
				}
				acc.tscore[slot] += float32(tw * f * (r.K1 + 1) / (f + norm))
				acc.tmask[slot] |= bit
			})
			if err != nil {
				return nil, fmt.Errorf("postings %q: %w", knowledge.TitlePrefix+t, err)
			}
		}
	}
	// Candidates: every paragraph with a matching word, and the leading
	// paragraphs of articles whose title matches.
	for _, d := range acc.touched {
		acc.seen[d] = true
	}
	acc.cand = append(acc.cand, acc.touched...)
	for _, slot := range acc.tarts {
		a := st.arts[slot]
		for j := int64(0); j < int64(min(int(a.n), r.TitleParas)); j++ {
			d := int32(a.first + j - st.base)
			if !acc.seen[d] {
				acc.seen[d] = true
				acc.cand = append(acc.cand, d)
			}
		}
	}
	keep := st.filter(q)
	recency := r.recencyFactor(q)
	prefer := preferFactor(q)
	// coverage[mask] for the first 8 terms' bits is cheap to tabulate;
	// beyond that it is computed.
	coverage := func(mask uint32) float32 { return 1 }
	if r.CoverageExp > 0 && total > 0 {
		coverage = func(mask uint32) float32 {
			var got float32
			for i := range min(len(weights), 32) {
				if mask&(1<<i) != 0 {
					got += weights[i]
				}
			}
			c := got / total
			if r.CoverageExp != 1 {
				return float32(math.Pow(float64(c), r.CoverageExp))
			}
			return c
		}
	}
	pw := float32(r.PositionWeight)
	// bound is the most the factors can multiply a raw score by: a
	// candidate whose raw score times bound cannot enter the heap is
	// skipped without computing them.
	bound := float32(1) + pw
	if recency != nil {
		bound *= 1 + float32(max(r.RecencyWeight, r.RecentWeight))
	}
	if prefer != nil {
		bound *= float32(max(q.PreferBoost, 1))
	}
	h := make(HitHeap, 0, k+1)
	for _, d := range acc.cand {
		slot := st.docArt[d]
		raw := acc.score[d] + acc.tscore[slot]
		if len(h) == k && raw*bound <= h[0].Score && !ix.noPrune {
			continue
		}
		if keep != nil && !keep(slot) {
			continue
		}
		a := &st.arts[slot]
		s := raw * coverage(acc.mask[d]|acc.tmask[slot])
		if recency != nil {
			s *= recency(a.pub)
		}
		if prefer != nil {
			s *= prefer(a.pub)
		}
		if pw > 0 {
			s *= 1 + pw/float32(1+int64(d)+st.base-a.first)
		}
		if s <= 0 || (len(h) == k && s <= h[0].Score) {
			continue
		}
		heap.Push(&h, Hit{Doc: int64(d) + st.base, Score: s})
		if len(h) > k {
			heap.Pop(&h)
		}
	}
	out := make([]Hit, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(Hit)
	}
	return out, nil
}

// scoreBody adds one term's BM25 contributions from encoded postings (see
// postingsBuilder) to acc. When create is false, it only adds to docs that
// already have a score.
func scoreBody(data []byte, st *indexState, acc *accumulator, w float32, bit uint32, k1, b, avgLen float32, create bool) error {
	r, err := readPostings(data)
	if err != nil {
		return err
	}
	size := int64(len(st.docArt))
	for r.next() {
		tf := r.tf
		d := r.doc - st.base
		if d < 0 || d >= size || st.docArt[d] < 0 {
			continue
		}
		fresh := acc.mask[d] == 0 && acc.score[d] == 0
		if fresh && !create {
			continue
		}
		f := float32(tf)
		norm := k1 * (1 - b + b*float32(st.docLen[d])/avgLen)
		if fresh {
			acc.touched = append(acc.touched, int32(d))
		}
		acc.score[d] += w * f * (k1 + 1) / (f + norm)
		acc.mask[d] |= bit
	}
	return r.err
}
