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
	want := make([]string, 0, 2*len(terms))
	for _, t := range terms {
		want = append(want, t)
		if ix.ranking.TitleWeight != 0 {
			want = append(want, knowledge.TitlePrefix+t)
		}
	}
	view, err := ix.view(ctx, st, want)
	if err != nil {
		return nil, err
	}
	acc := ix.getAccumulator(st)
	defer ix.putAccumulator(acc)
	qt := ix.termWeights(st, view, terms, res)
	for _, i := range qt.order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := ix.scoreTerm(st, view, qt, i, acc); err != nil {
			return nil, err
		}
	}
	ix.candidates(st, acc)
	return ix.best(st, q, k, qt, acc), nil
}

// queryTerms are the question's terms with their weights, rarest first.
type queryTerms struct {
	terms   []string
	weights []float32 // IDF^IDFExp, for scores and coverage
	total   float32
	dfs     []int
	order   []int // rarest first
	anyRare bool  // some term is in at most CommonShare of paragraphs
}

// termWeights computes each term's document frequency and weight, and
// records them in res.
func (ix *Index) termWeights(st *indexState, view postingsView, terms []string, res *knowledge.Result) queryTerms {
	r := ix.ranking
	n := float64(st.nDocs)
	qt := queryTerms{terms: terms, weights: make([]float32, len(terms)), dfs: make([]int, len(terms)), order: make([]int, len(terms))}
	for i, t := range terms {
		for _, p := range view.get(t) {
			qt.dfs[i] += postingsCount(p.Data)
		}
		idf := math.Log(1 + (n-float64(min(qt.dfs[i], st.nDocs))+0.5)/(float64(qt.dfs[i])+0.5))
		res.Terms = append(res.Terms, knowledge.TermStat{Term: t, DocFreq: qt.dfs[i], IDF: idf})
		qt.weights[i] = float32(r.idfWeight(idf))
		qt.total += qt.weights[i]
		qt.order[i] = i
		qt.anyRare = qt.anyRare || qt.dfs[i] > 0 && float64(qt.dfs[i]) <= r.CommonShare*n
	}
	sort.SliceStable(qt.order, func(a, b int) bool { return qt.dfs[qt.order[a]] < qt.dfs[qt.order[b]] })
	return qt
}

// scoreTerm adds term i's BM25 contributions over paragraphs and titles to
// acc.
func (ix *Index) scoreTerm(st *indexState, view postingsView, qt queryTerms, i int, acc *accumulator) error {
	r := ix.ranking
	t := qt.terms[i]
	bit := uint32(0)
	if i < 32 {
		bit = 1 << i
	}
	// Very common words (in more than CommonShare of paragraphs) add to
	// the paragraphs rarer words found, but find none of their own: they
	// would add many weak candidates, and work in proportion to the size
	// of the store.
	create := !(r.CommonShare > 0 && qt.anyRare && float64(qt.dfs[i]) > r.CommonShare*float64(st.nDocs))
	for _, p := range view.get(t) {
		if err := scoreBody(p.Data, st, acc, qt.weights[i], bit, float32(r.K1), float32(r.B), float32(st.avgLen), create); err != nil {
			return fmt.Errorf("postings %q: %w", t, err)
		}
	}
	if r.TitleWeight == 0 {
		return nil
	}
	title := view.get(knowledge.TitlePrefix + t)
	tdf := 0
	for _, p := range title {
		tdf += postingsCount(p.Data)
	}
	if tdf == 0 {
		return nil
	}
	nArts := float64(len(st.arts))
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
			return fmt.Errorf("postings %q: %w", knowledge.TitlePrefix+t, err)
		}
	}
	return nil
}

// candidates lists in acc.cand every paragraph with a matching word, and
// the leading paragraphs of articles whose title matches.
func (ix *Index) candidates(st *indexState, acc *accumulator) {
	r := ix.ranking
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
}

// best returns the k best candidates, best first: their raw BM25F score
// times coverage, recency, the preferred window and position, skipping
// those that cannot enter the top k.
func (ix *Index) best(st *indexState, q knowledge.Query, k int, qt queryTerms, acc *accumulator) []Hit {
	r := ix.ranking
	keep := st.filter(q)
	recency := r.recencyFactor(q)
	prefer := preferFactor(q)
	// coverage is the share of the question's weight a candidate's
	// matched terms (their bits in its masks) hold.
	coverage := func(mask uint32) float32 {
		if qt.total <= 0 {
			return 1
		}
		var got float32
		for i := range min(len(qt.weights), 32) {
			if mask&(1<<i) != 0 {
				got += qt.weights[i]
			}
		}
		return got / qt.total
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
	return out
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
