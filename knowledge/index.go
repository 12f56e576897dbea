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
}

// Ranking holds the parameters of the ranking function; the zero value is
// replaced by DefaultRanking.
type Ranking struct {
	K1, B       float64 // BM25 saturation and length normalisation
	TitleWeight float64 // weight of the title field against the paragraph
}

// DefaultRanking is the ranking newsbot ships with.
var DefaultRanking = Ranking{K1: 1.2, B: 0.75, TitleWeight: 0.5}

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
// when it can. Unless lenient, it returns errStale when the store holds a
// segment written after st was loaded with docs that st knows: a merge
// moved them out of st's segments.
func (ix *Index) postings(ctx context.Context, st *indexState, term string, lenient bool) ([]SegmentPostings, error) {
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
		if !lenient {
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
	score   []float32
	touched []int32
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
	var res *Result
	var hits []hit
	// A segment merge committed while ranking (by another goroutine or
	// process) moves postings out of the segments the loaded tables know:
	// reload and rank again; the last attempt ranks what it can.
	const attempts = 5
	for attempt := 1; ; attempt++ {
		st, err := ix.current(ctx)
		if err != nil {
			return nil, err
		}
		res = &Result{Docs: st.nDocs}
		hits, err = ix.rank(ctx, st, q, res, attempt == attempts)
		if errors.Is(err, errStale) {
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	if len(hits) == 0 {
		return res, nil
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
	return res, nil
}

// rank scores docs with BM25 over paragraph and title fields and returns
// the top K, best first.
func (ix *Index) rank(ctx context.Context, st *indexState, q Query, res *Result, lenient bool) ([]hit, error) {
	k := q.K
	if k <= 0 {
		k = 10
	}
	terms := uniqueTerms(Terms(q.Text, nil))
	if len(terms) == 0 || st.nDocs == 0 {
		return nil, nil
	}
	acc, _ := ix.accPool.Get().(*accumulator)
	if acc == nil || len(acc.score) < len(st.docArt) {
		acc = &accumulator{score: make([]float32, len(st.docArt))}
	}
	defer func() {
		for _, d := range acc.touched {
			acc.score[d] = 0
		}
		acc.touched = acc.touched[:0]
		ix.accPool.Put(acc)
	}()
	r := ix.ranking
	n := float64(st.nDocs)
	nArts := float64(len(st.arts))
	for _, t := range terms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		body, err := ix.postings(ctx, st, t, lenient)
		if err != nil {
			return nil, err
		}
		df := 0
		for _, p := range body {
			df += postingsCount(p.Data)
		}
		idf64 := math.Log(1 + (n-float64(min(df, st.nDocs))+0.5)/(float64(df)+0.5))
		res.Terms = append(res.Terms, TermStat{Term: t, DocFreq: df, IDF: idf64})
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
					if acc.score[d] == 0 {
						acc.touched = append(acc.touched, int32(d))
					}
					acc.score[d] += idf * f * float32(r.K1+1) / (f + norm)
				})
				if err != nil {
					return nil, fmt.Errorf("postings %q: %w", t, err)
				}
			}
		}
		if r.TitleWeight == 0 {
			continue
		}
		title, err := ix.postings(ctx, st, TitlePrefix+t, lenient)
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
				w := float32(r.TitleWeight * tidf * f * (r.K1 + 1) / (f + norm))
				for j := int64(0); j < int64(a.n); j++ {
					d := first + j - st.base
					if acc.score[d] == 0 {
						acc.touched = append(acc.touched, int32(d))
					}
					acc.score[d] += w
				}
			})
			if err != nil {
				return nil, fmt.Errorf("postings %q: %w", TitlePrefix+t, err)
			}
		}
	}
	keep := st.filter(q)
	h := make(hitHeap, 0, k+1)
	for _, d := range acc.touched {
		s := acc.score[d]
		if s <= 0 || (len(h) == k && s <= h[0].score) {
			continue
		}
		if keep != nil && !keep(st.docArt[d]) {
			continue
		}
		heap.Push(&h, hit{doc: int64(d) + st.base, score: s})
		if len(h) > k {
			heap.Pop(&h)
		}
	}
	out := make([]hit, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(hit)
	}
	return out, nil
}

// filter returns a predicate over article slots for q's filters, or nil.
func (st *indexState) filter(q Query) func(slot int32) bool {
	if q.Since.IsZero() && q.Until.IsZero() && len(q.Sources) == 0 {
		return nil
	}
	since, until := int32(math.MinInt32+1), int32(math.MaxInt32)
	if !q.Since.IsZero() {
		since = int32(math.Floor(float64(q.Since.Unix()) / 86400))
	}
	if !q.Until.IsZero() {
		until = int32(math.Ceil(float64(q.Until.Unix()) / 86400))
	}
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
