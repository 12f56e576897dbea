package knowledge

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
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

// Ranking holds the parameters of the ranking function; the zero value is
// replaced by DefaultRanking.
type Ranking struct {
	K1, B       float64 // BM25 saturation and length normalisation
	TitleWeight float64 // weight of the title field against the paragraph
	// TitleParas is how many leading paragraphs of an article whose title
	// matches (and none of whose words match) become candidates.
	TitleParas int
	// NeighborWeight adds this share of the neighbouring paragraphs'
	// scores: news paragraphs are short, and the answer often sits next to
	// the paragraph that names the topic.
	NeighborWeight float64
	// CoverageExp raises the share of the question's weight (IDF) found in
	// the paragraph and its title to this power, as a factor: paragraphs
	// that match more of the question rank higher. Zero turns it off.
	CoverageExp float64
	// RecencyWeight and RecencyDays prefer articles published shortly
	// before Query.AsOf: the score is multiplied by
	// 1 + RecencyWeight·exp(-age/RecencyDays). RecentWeight replaces
	// RecencyWeight for Query.Recent.
	RecencyWeight, RecentWeight, RecencyDays float64
	// AgeWeight and AgeDays add a slower preference on the scale of
	// months: 1 + ... + AgeWeight·exp(-age/AgeDays), so that a story from
	// years ago ranks below this season's when both match.
	AgeWeight, AgeDays float64
	// ArticleWeight adds this share of the best paragraph score in the same
	// article: a paragraph of an article about the question is a better bet
	// than a stray match.
	ArticleWeight float64
	// PerArticle caps how many paragraphs of one article the results hold
	// (0: no cap), so that the top results cover several articles.
	PerArticle int
	// RerankDepth is how many first-stage results are re-ranked by reading
	// their text (0: none): PhraseWeight rewards the question's word pairs
	// found side by side, TypeWeight a paragraph holding the kind of thing
	// the question asks for (a date for "when", a number for "how many", a
	// name for "who"/"which").
	RerankDepth              int
	PhraseWeight, TypeWeight float64
	// FillerWeight scales the weight of words that questions about the news
	// use to frame the question rather than to name its subject ("recently",
	// "announced", "reportedly").
	FillerWeight float64
	// FeedbackDocs, FeedbackTerms and FeedbackWeight expand the question
	// with the FeedbackTerms most telling words of the first FeedbackDocs
	// results (pseudo-relevance feedback), at FeedbackWeight of a question
	// word's weight, and search again. Zero FeedbackDocs turns it off.
	FeedbackDocs, FeedbackTerms int
	FeedbackWeight              float64
}

// weightedTerm is an expansion term with its weight.
type weightedTerm struct {
	term   string
	weight float32
}

// questionFiller are stems of words that frame news questions without
// naming their subject.
var questionFiller = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"recently", "recent", "reportedly", "announced", "announce", "according", "reported",
		"report", "say", "said", "says", "new", "news", "latest", "week", "year", "month", "day", "today", "name", "named",
		"called", "accord", "revealed", "reveal", "unveiled", "set", "expected", "made", "make", "headlines", "headline",
		"people", "first", "become", "became", "one", "take", "took", "place", "following", "after"} {
		m[stem(w)] = true
	}
	return m
}()

// DefaultRanking is the ranking newsbot ships with, tuned on the RealTime
// QA dev questions (see README, Performance).
var DefaultRanking = Ranking{K1: 1.2, B: 0.75, TitleWeight: 0.5, TitleParas: 1 << 30}

// Index ranks paragraphs for a query over the segments of a Store. It keeps
// the small per-doc tables in memory and fetches postings on demand, caching
// them; it notices writes (from this or another process) through the store's
// generation and reloads. It is safe for concurrent use.
type Index struct {
	store   Reader
	ranking Ranking

	mu    sync.Mutex // serialises reloads
	state *indexState

	cacheMu    sync.Mutex
	cache      map[string][]SegmentPostings
	cacheBytes int
	cacheGen   int64

	accPool sync.Pool
}

// MaxPostingsCache bounds the bytes of postings an Index keeps in memory.
const MaxPostingsCache = 96 << 20

// NewIndex returns an Index over s; a zero ranking means DefaultRanking.
func NewIndex(s Reader, r Ranking) *Index {
	if r == (Ranking{}) {
		r = DefaultRanking
	}
	return &Index{store: s, ranking: r}
}

type artInfo struct {
	first    int64
	n        int32
	pub      int32 // days since epoch, or noDate
	src      int32 // index into indexState.sources
	titleLen uint16
}

type indexState struct {
	gen      int64
	segs     map[int64]bool
	base     int64
	docArt   []int32 // doc-base -> article slot, -1 for none or dead
	docLen   []uint16
	arts     []artInfo
	artByDoc map[int64]int32 // first doc -> article slot
	sources  []string
	nDocs    int
	avgLen   float64
	avgTitle float64
	// lenient: rank with the postings of st's segments even when a merge
	// moved some out (see postings); set on a search's last attempt.
	lenient bool
}

// Refresh reloads the in-memory tables if the store changed since the last
// load. Search calls it; call it directly to pay the load cost up front.
func (ix *Index) Refresh(ctx context.Context) error {
	_, err := ix.current(ctx)
	return err
}

func (ix *Index) current(ctx context.Context) (*indexState, error) {
	gen, err := ix.store.Generation(ctx)
	if err != nil {
		return nil, fmt.Errorf("index generation: %w", err)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.state != nil && ix.state.gen == gen {
		return ix.state, nil
	}
	snap, err := ix.store.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("index snapshot: %w", err)
	}
	st, err := loadState(snap)
	if err != nil {
		return nil, err
	}
	ix.state = st
	return st, nil
}

func loadState(snap *Snapshot) (*indexState, error) {
	st := &indexState{gen: snap.Generation, segs: map[int64]bool{}, artByDoc: map[int64]int32{}}
	dead := make(map[int64]bool, len(snap.Tombstones))
	for _, d := range snap.Tombstones {
		dead[d] = true
	}
	lo, hi := int64(math.MaxInt64), int64(-1)
	tables := make([][]docTableArticle, len(snap.Segments))
	for i, seg := range snap.Segments {
		st.segs[seg.ID] = true
		t, err := decodeDocTable(seg.DocTable)
		if err != nil {
			return nil, fmt.Errorf("index segment %d: %w", seg.ID, err)
		}
		tables[i] = t
		if seg.Docs > 0 {
			lo, hi = min(lo, seg.MinDoc), max(hi, seg.MaxDoc)
		}
	}
	if hi < lo {
		lo, hi = 0, -1
	}
	st.base = lo
	size := int(hi - lo + 1)
	st.docArt = make([]int32, size)
	st.docLen = make([]uint16, size)
	for i := range st.docArt {
		st.docArt[i] = -1
	}
	srcIdx := map[string]int32{}
	var totalLen, totalTitle int64
	for _, t := range tables {
		for _, a := range t {
			if dead[a.FirstDoc] {
				continue
			}
			src, ok := srcIdx[a.Source]
			if !ok {
				src = int32(len(st.sources))
				srcIdx[a.Source] = src
				st.sources = append(st.sources, a.Source)
			}
			slot := int32(len(st.arts))
			st.arts = append(st.arts, artInfo{first: a.FirstDoc, n: int32(len(a.ParaLens)), pub: a.Published, src: src, titleLen: a.TitleLen})
			st.artByDoc[a.FirstDoc] = slot
			totalTitle += int64(a.TitleLen)
			for j, l := range a.ParaLens {
				d := a.FirstDoc + int64(j) - lo
				if d < 0 || d >= int64(size) {
					return nil, fmt.Errorf("index: doc %d outside segment range: %w", a.FirstDoc+int64(j), errCorrupt)
				}
				st.docArt[d] = slot
				st.docLen[d] = l
				totalLen += int64(l)
				st.nDocs++
			}
		}
	}
	if st.nDocs > 0 {
		st.avgLen = float64(totalLen) / float64(st.nDocs)
	}
	if len(st.arts) > 0 {
		st.avgTitle = float64(totalTitle) / float64(len(st.arts))
	}
	return st, nil
}

// errStale means a segment merge replaced segments of an index state.
var errStale = errors.New("the index changed during the search")

// postings returns term's postings in the segments of st, from the cache
// when it can. Unless st is lenient, it returns errStale when the store
// holds a segment written after st was loaded with docs that st knows: a
// merge moved them out of st's segments.
func (ix *Index) postings(ctx context.Context, st *indexState, term string) ([]SegmentPostings, error) {
	ix.cacheMu.Lock()
	if ix.cacheGen != st.gen {
		ix.cache, ix.cacheBytes, ix.cacheGen = nil, 0, st.gen
	}
	if p, ok := ix.cache[term]; ok {
		ix.cacheMu.Unlock()
		return p, nil
	}
	ix.cacheMu.Unlock()
	all, err := ix.store.Postings(ctx, term)
	if err != nil {
		return nil, fmt.Errorf("postings %q: %w", term, err)
	}
	out := all[:0]
	size := len(term)
	for _, p := range all {
		if st.segs[p.Segment] {
			out = append(out, p)
			size += len(p.Data)
			continue
		}
		// Segment ids are never reused: this one was written after st was
		// loaded. New docs only (an ingest) are not in st and change
		// nothing for it; older docs were merged out of st's segments.
		if !st.lenient {
			oldDocs := false
			decodePostings(p.Data, func(doc int64, _ int) { oldDocs = oldDocs || doc < st.base+int64(len(st.docArt)) })
			if oldDocs {
				return nil, errStale
			}
		}
	}
	ix.cacheMu.Lock()
	if ix.cacheGen == st.gen {
		if ix.cacheBytes+size > MaxPostingsCache {
			ix.cache, ix.cacheBytes = nil, 0
		}
		if ix.cache == nil {
			ix.cache = map[string][]SegmentPostings{}
		}
		ix.cache[term] = out
		ix.cacheBytes += size
	}
	ix.cacheMu.Unlock()
	return out, nil
}

// Hit is a ranked doc before its text is fetched.
type hit struct {
	doc   int64
	score float32
}

type hitHeap []hit

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return h[i].score < h[j].score }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(hit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type accumulator struct {
	score   []float32 // body BM25 per doc
	mask    []uint32  // query terms matched in the body, per doc
	touched []int32   // docs with a body score
	tscore  []float32 // title BM25 per article slot
	tmask   []uint32
	tarts   []int32   // article slots with a title score
	amax    []float32 // best paragraph score per article slot
	aarts   []int32   // article slots with an amax
	cand    []int32
	seen    []bool // doc is in cand
}

func (ix *Index) getAccumulator(st *indexState) *accumulator {
	acc, _ := ix.accPool.Get().(*accumulator)
	if acc == nil || len(acc.score) < len(st.docArt) || len(acc.tscore) < len(st.arts) {
		n, na := len(st.docArt), len(st.arts)
		acc = &accumulator{score: make([]float32, n), mask: make([]uint32, n), seen: make([]bool, n),
			tscore: make([]float32, na), tmask: make([]uint32, na), amax: make([]float32, na)}
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
	for _, a := range acc.aarts {
		acc.amax[a] = 0
	}
	acc.touched, acc.cand, acc.tarts, acc.aarts = acc.touched[:0], acc.cand[:0], acc.tarts[:0], acc.aarts[:0]
	ix.accPool.Put(acc)
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
}

// TermStat describes one query term in the index.
type TermStat struct {
	Term    string
	DocFreq int
	IDF     float64
}

// Search returns the k best paragraphs for q, best first, with their
// articles' metadata. A query with no indexable words returns no passages and
// no error.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	// A segment merge committed while ranking (by another goroutine or
	// process) moves postings out of the segments the loaded tables know:
	// reload and rank again; the last attempt ranks what it can.
	const attempts = 5
	for attempt := 1; ; attempt++ {
		res, err := ix.search(ctx, q, attempt == attempts)
		if errors.Is(err, errStale) {
			continue
		}
		return res, err
	}
}

func (ix *Index) search(ctx context.Context, q Query, lenient bool) (*Result, error) {
	st, err := ix.current(ctx)
	if err != nil {
		return nil, err
	}
	if lenient {
		c := *st
		c.lenient = true
		st = &c
	}
	res := &Result{Docs: st.nDocs}
	want := q.K
	if want <= 0 {
		want = 10
	}
	first := q
	if ix.ranking.RerankDepth > want {
		first.K = ix.ranking.RerankDepth
	}
	hits, err := ix.rank(ctx, st, first, res, nil)
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		return res, nil
	}
	if ix.ranking.FeedbackDocs > 0 {
		more, err := ix.feedback(ctx, st, q, hits)
		if err != nil {
			return nil, err
		}
		if len(more) > 0 {
			second := &Result{}
			if hits, err = ix.rank(ctx, st, first, second, more); err != nil {
				return nil, err
			}
		}
	}
	docs := make([]int64, len(hits))
	for i, h := range hits {
		docs[i] = h.doc
	}
	ps, err := ix.store.Passages(ctx, docs)
	if err != nil {
		return nil, fmt.Errorf("fetch passages: %w", err)
	}
	byDoc := make(map[int64]int, len(docs))
	for i, d := range docs {
		byDoc[d] = i
	}
	out := make([]Passage, len(hits))
	found := make([]bool, len(hits))
	for _, p := range ps {
		i, ok := byDoc[p.Doc]
		if !ok {
			continue
		}
		p.Score = float64(hits[i].score)
		out[i] = p
		found[i] = true
	}
	// A passage deleted between ranking and fetching is left out.
	for i, p := range out {
		if found[i] {
			res.Passages = append(res.Passages, p)
		}
	}
	if ix.ranking.RerankDepth > 0 {
		rerank(q.Text, res, ix.ranking)
	}
	if len(res.Passages) > want {
		res.Passages = res.Passages[:want]
	}
	return res, nil
}

// rank scores docs with BM25 over paragraph and title fields, adjusted by
// neighbouring paragraphs, coverage of the question and recency, and
// returns the top K, best first.
func (ix *Index) rank(ctx context.Context, st *indexState, q Query, res *Result, extra []weightedTerm) ([]hit, error) {
	k := q.K
	if k <= 0 {
		k = 10
	}
	terms := uniqueTerms(Terms(q.Text, nil))
	if len(terms) == 0 || st.nDocs == 0 {
		return nil, nil
	}
	acc := ix.getAccumulator(st)
	defer ix.putAccumulator(acc)
	r := ix.ranking
	n := float64(st.nDocs)
	nArts := float64(len(st.arts))
	idfs := make([]float32, len(terms))
	var idfTotal float32
	for i, t := range terms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		bit := uint32(0)
		if i < 32 {
			bit = 1 << i
		}
		body, err := ix.postings(ctx, st, t)
		if err != nil {
			return nil, err
		}
		df := 0
		for _, p := range body {
			df += postingsCount(p.Data)
		}
		idf64 := math.Log(1 + (n-float64(min(df, st.nDocs))+0.5)/(float64(df)+0.5))
		if questionFiller[t] {
			idf64 *= r.FillerWeight
		}
		res.Terms = append(res.Terms, TermStat{Term: t, DocFreq: df, IDF: idf64})
		idfs[i] = float32(idf64)
		idfTotal += idfs[i]
		if df > 0 {
			idf := float32(idf64)
			for _, p := range body {
				err := decodePostings(p.Data, func(doc int64, tf int) {
					d := doc - st.base
					if d < 0 || d >= int64(len(st.docArt)) || st.docArt[d] < 0 {
						return
					}
					f := float32(tf)
					norm := float32(r.K1 * (1 - r.B + r.B*float64(st.docLen[d])/st.avgLen))
					if acc.mask[d] == 0 && acc.score[d] == 0 {
						acc.touched = append(acc.touched, int32(d))
					}
					acc.score[d] += idf * f * float32(r.K1+1) / (f + norm)
					acc.mask[d] |= bit
				})
				if err != nil {
					return nil, fmt.Errorf("postings %q: %w", t, err)
				}
			}
		}
		if r.TitleWeight == 0 {
			continue
		}
		title, err := ix.postings(ctx, st, TitlePrefix+t)
		if err != nil {
			return nil, err
		}
		tdf := 0
		for _, p := range title {
			tdf += postingsCount(p.Data)
		}
		if tdf == 0 {
			continue
		}
		tidf := math.Log(1 + (nArts-float64(tdf)+0.5)/(float64(tdf)+0.5))
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
				acc.tscore[slot] += float32(r.TitleWeight * tidf * f * (r.K1 + 1) / (f + norm))
				acc.tmask[slot] |= bit
			})
			if err != nil {
				return nil, fmt.Errorf("postings %q: %w", TitlePrefix+t, err)
			}
		}
	}
	// Expansion terms from feedback score the body only, with their weight,
	// and count for no coverage.
	for _, x := range extra {
		body, err := ix.postings(ctx, st, x.term)
		if err != nil {
			return nil, err
		}
		df := 0
		for _, p := range body {
			df += postingsCount(p.Data)
		}
		if df == 0 {
			continue
		}
		w := x.weight * float32(math.Log(1+(n-float64(min(df, st.nDocs))+0.5)/(float64(df)+0.5)))
		for _, p := range body {
			err := decodePostings(p.Data, func(doc int64, tf int) {
				d := doc - st.base
				if d < 0 || d >= int64(len(st.docArt)) || st.docArt[d] < 0 {
					return
				}
				f := float32(tf)
				norm := float32(r.K1 * (1 - r.B + r.B*float64(st.docLen[d])/st.avgLen))
				if acc.mask[d] == 0 && acc.score[d] == 0 {
					acc.touched = append(acc.touched, int32(d))
				}
				acc.score[d] += w * f * float32(r.K1+1) / (f + norm)
			})
			if err != nil {
				return nil, fmt.Errorf("postings %q: %w", x.term, err)
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
	recency := ix.recencyFactor(q)
	if prefer := st.preferFactor(q); prefer != nil {
		if recency == nil {
			recency = prefer
		} else {
			rf := recency
			recency = func(pub int32) float32 { return rf(pub) * prefer(pub) }
		}
	}
	coverage := func(mask uint32) float32 { return 1 }
	if r.CoverageExp > 0 && idfTotal > 0 {
		coverage = func(mask uint32) float32 {
			var got float32
			for i := range min(len(idfs), 32) {
				if mask&(1<<i) != 0 {
					got += idfs[i]
				}
			}
			return float32(math.Pow(float64(got/idfTotal), r.CoverageExp))
		}
	}
	nw := float32(r.NeighborWeight)
	// Pass 1: paragraph scores, and the best per article.
	base := func(d int32, slot int32) float32 {
		s := acc.score[d] + acc.tscore[slot]
		if nw > 0 {
			if d > 0 && st.docArt[d-1] == slot {
				s += nw * acc.score[d-1]
			}
			if int(d)+1 < len(st.docArt) && st.docArt[d+1] == slot {
				s += nw * acc.score[d+1]
			}
		}
		return s * coverage(acc.mask[d]|acc.tmask[slot])
	}
	aw := float32(r.ArticleWeight)
	if aw > 0 {
		for _, d := range acc.cand {
			slot := st.docArt[d]
			if keep != nil && !keep(slot) {
				continue
			}
			if s := base(d, slot); s > acc.amax[slot] {
				if acc.amax[slot] == 0 {
					acc.aarts = append(acc.aarts, slot)
				}
				acc.amax[slot] = s
			}
		}
	}
	// Pass 2: the final score; keep the best, several per article at most.
	size := k
	if r.PerArticle > 0 {
		size = 4 * k
	}
	h := make(hitHeap, 0, size+1)
	for _, d := range acc.cand {
		slot := st.docArt[d]
		if keep != nil && !keep(slot) {
			continue
		}
		s := base(d, slot) + aw*acc.amax[slot]
		if recency != nil {
			s *= recency(st.arts[slot].pub)
		}
		if s <= 0 || (len(h) == size && s <= h[0].score) {
			continue
		}
		heap.Push(&h, hit{doc: int64(d) + st.base, score: s})
		if len(h) > size {
			heap.Pop(&h)
		}
	}
	all := make([]hit, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		all[i] = heap.Pop(&h).(hit)
	}
	if r.PerArticle <= 0 {
		return all, nil
	}
	out := all[:0:0]
	per := map[int32]int{}
	for _, x := range all {
		slot := st.docArt[x.doc-st.base]
		if per[slot] >= r.PerArticle {
			continue
		}
		per[slot]++
		out = append(out, x)
		if len(out) == k {
			break
		}
	}
	return out, nil
}

// recencyFactor returns the score factor for an article's publication day,
// or nil when q asks for no recency preference.
func (ix *Index) recencyFactor(q Query) func(pub int32) float32 {
	r := ix.ranking
	w := r.RecencyWeight
	if q.Recent {
		w = r.RecentWeight
	}
	if q.AsOf.IsZero() || (w == 0 || r.RecencyDays <= 0) && (r.AgeWeight == 0 || r.AgeDays <= 0) {
		return nil
	}
	now := calendarDay(q.AsOf)
	return func(pub int32) float32 {
		if pub == noDate {
			return 1
		}
		age := float64(now - pub)
		if age < 0 {
			age = 0
		}
		f := 1.0
		if r.RecencyDays > 0 {
			f += w * math.Exp(-age/r.RecencyDays)
		}
		if r.AgeDays > 0 {
			f += r.AgeWeight * math.Exp(-age/r.AgeDays)
		}
		return float32(f)
	}
}

// preferFactor returns the score factor for q's preferred window, or nil.
func (st *indexState) preferFactor(q Query) func(pub int32) float32 {
	if q.PreferBoost <= 0 || q.PreferSince.IsZero() && q.PreferUntil.IsZero() {
		return nil
	}
	w := Query{Since: q.PreferSince, Until: q.PreferUntil}
	since, until := w.dayBounds()
	boost := float32(q.PreferBoost)
	return func(pub int32) float32 {
		if pub != noDate && pub >= since && pub < until {
			return boost
		}
		return 1
	}
}

// dayBounds returns q's [Since, Until) as day numbers: calendar dates where
// they are given; publication days are UTC dates (most sources give a date
// without a time).
func (q Query) dayBounds() (int32, int32) {
	since, until := int32(math.MinInt32+1), int32(math.MaxInt32)
	if !q.Since.IsZero() {
		since = calendarDay(q.Since)
	}
	if !q.Until.IsZero() {
		until = calendarDay(q.Until)
		if u := q.Until; u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
			until++ // a bound inside a day keeps that day
		}
	}
	return since, until
}

// calendarDay is the day number of t's calendar date in its own location.
func calendarDay(t time.Time) int32 {
	return int32(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// filter returns a predicate over article slots for q's filters, or nil.
func (st *indexState) filter(q Query) func(slot int32) bool {
	if q.Since.IsZero() && q.Until.IsZero() && len(q.Sources) == 0 {
		return nil
	}
	since, until := q.dayBounds()
	var srcOK []bool
	if len(q.Sources) > 0 {
		srcOK = make([]bool, len(st.sources))
		for i, s := range st.sources {
			srcOK[i] = SourceMatches(s, q.Sources)
		}
	}
	dated := !q.Since.IsZero() || !q.Until.IsZero()
	return func(slot int32) bool {
		a := st.arts[slot]
		if dated && (a.pub == noDate || a.pub < since || a.pub >= until) {
			return false
		}
		return srcOK == nil || srcOK[a.src]
	}
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

func uniqueTerms(ts []string) []string {
	seen := make(map[string]bool, len(ts))
	out := ts[:0]
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// DocCount returns the number of live paragraphs in the index as last
// loaded.
func (ix *Index) DocCount(ctx context.Context) (int, error) {
	st, err := ix.current(ctx)
	if err != nil {
		return 0, err
	}
	return st.nDocs, nil
}
