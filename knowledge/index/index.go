package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// Index ranks paragraphs for a query over the segments of a Store. It keeps
// the small per-doc tables in memory and fetches postings on demand, caching
// them; it notices writes (from this or another process) through the store's
// generation and reloads. It is safe for concurrent use.
type Index struct {
	// MaxSearches bounds the searches that run at once; the others wait
	// their turn, in order, or until their context ends. Zero means
	// GOMAXPROCS. A search is CPU work over tables sized to the whole
	// store (3.4 MB at 373k paragraphs), so more searches at once than CPUs
	// only hold memory and take CPU from the rest of the program (Slack
	// wants its acknowledgement within 3 s). Set it before the first
	// Search.
	MaxSearches int

	store   knowledge.Reader
	ranking Ranking
	gate    gate

	mu    sync.Mutex // serialises reloads
	state *indexState

	cacheMu    sync.Mutex
	cache      map[string][]knowledge.SegmentPostings
	cacheBytes int
	cacheGen   int64

	accPool sync.Pool

	// noPrune turns off skipping candidates that cannot enter the top K
	// (tests compare the two).
	noPrune bool
}

// MaxPostingsCache bounds the bytes of postings an Index keeps in memory.
const MaxPostingsCache = 96 << 20

// NewIndex returns an Index over s ranking with r, taken as it is (a zero
// field turns its part off); nil means DefaultRanking.
func NewIndex(s knowledge.Reader, r *Ranking) *Index {
	if r == nil {
		r = &DefaultRanking
	}
	return &Index{store: s, ranking: *r}
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

func loadState(snap *knowledge.Snapshot) (*indexState, error) {
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
					return nil, fmt.Errorf("index: doc %d outside segment range: %w", a.FirstDoc+int64(j), knowledge.ErrCorrupt)
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

// errStale means the index changed between loading its tables and reading
// postings; the search starts again on the new state.
var errStale = errors.New("index changed during the search")

// postingsView holds the postings a search reads, restricted to the
// segments of its state.
type postingsView map[string][]knowledge.SegmentPostings

func (v postingsView) get(term string) []knowledge.SegmentPostings { return v[term] }

// view returns the postings of terms in the segments of st: from the cache
// when it holds them for st's generation, else read from the store in one
// transaction whose generation must be st's (errStale otherwise: a merge
// may have removed segments st lists).
func (ix *Index) view(ctx context.Context, st *indexState, terms []string) (postingsView, error) {
	v := make(postingsView, len(terms))
	var missing []string
	ix.cacheMu.Lock()
	if st.gen > ix.cacheGen {
		ix.cache, ix.cacheBytes, ix.cacheGen = nil, 0, st.gen
	}
	asked := make(map[string]bool, len(terms))
	for _, t := range terms {
		if asked[t] {
			// A term asked twice is fetched once: the store returns its
			// postings once per time asked, which would count them twice.
			continue
		}
		asked[t] = true
		if p, ok := ix.cache[t]; ok && ix.cacheGen == st.gen {
			v[t] = p
		} else {
			missing = append(missing, t)
		}
	}
	ix.cacheMu.Unlock()
	if len(missing) == 0 {
		return v, nil
	}
	gen, lists, err := ix.store.Postings(ctx, missing)
	if err != nil {
		return nil, fmt.Errorf("postings: %w", err)
	}
	if gen != st.gen {
		return nil, errStale
	}
	size := 0
	for _, t := range missing {
		var out []knowledge.SegmentPostings
		for _, p := range lists[t] {
			if st.segs[p.Segment] {
				out = append(out, p)
				size += len(p.Data)
			}
		}
		v[t] = out
		size += len(t)
	}
	ix.cacheMu.Lock()
	if ix.cacheGen == st.gen {
		if ix.cacheBytes+size > MaxPostingsCache {
			ix.cache, ix.cacheBytes = nil, 0
		}
		if ix.cache == nil {
			ix.cache = map[string][]knowledge.SegmentPostings{}
		}
		for _, t := range missing {
			ix.cache[t] = v[t]
		}
		ix.cacheBytes += size
	}
	ix.cacheMu.Unlock()
	return v, nil
}

// Search returns the k best paragraphs for q, best first, with their
// articles' metadata: the first stage, then Finish (copies collapsed,
// re-ranked, boilerplate left out). A query with no indexable words
// returns no passages and no error.
func (ix *Index) Search(ctx context.Context, q knowledge.Query) (*knowledge.Result, error) {
	return ix.gated(ctx, func(st *indexState) (*knowledge.Result, error) {
		res, err := ix.firstStage(ctx, st, q)
		if err != nil {
			return nil, err
		}
		ix.Finish(q, res)
		return res, nil
	})
}

// FirstStage returns the candidates the first stage (BM25F with the
// ranking's factors) finds for q: as many as the re-ranking reads
// (Ranking.RerankDepth) or q.K if more, best first, with the query's
// terms and the index's size. Finish turns them into Search's result;
// Hybrid fuses them with vector search in between.
func (ix *Index) FirstStage(ctx context.Context, q knowledge.Query) (*knowledge.Result, error) {
	return ix.gated(ctx, func(st *indexState) (*knowledge.Result, error) { return ix.firstStage(ctx, st, q) })
}

// gated runs search on the current state, within the MaxSearches gate,
// starting again on the new state when a write lands between reading the
// tables and the postings.
func (ix *Index) gated(ctx context.Context, search func(*indexState) (*knowledge.Result, error)) (*knowledge.Result, error) {
	leave, err := ix.gate.enter(ctx, ix.MaxSearches)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer leave()
	return onCurrent(ctx, ix, search)
}

// onCurrent runs fn on the current state, starting again on the new state
// when a write lands between reading the tables and the postings
// (errStale), at most ten times.
func onCurrent[T any](ctx context.Context, ix *Index, fn func(*indexState) (T, error)) (T, error) {
	for attempt := 1; ; attempt++ {
		st, err := ix.current(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		v, err := fn(st)
		if errors.Is(err, errStale) && attempt < 10 {
			continue
		}
		return v, err
	}
}

func (ix *Index) firstStage(ctx context.Context, st *indexState, q knowledge.Query) (*knowledge.Result, error) {
	res := &knowledge.Result{Docs: st.nDocs, Query: q}
	first := q
	if want := Wanted(q); ix.ranking.RerankDepth > want {
		first.K = ix.ranking.RerankDepth
	}
	hits, err := ix.rank(ctx, st, first, res)
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		return res, nil
	}
	docs := make([]int64, len(hits))
	scores := make(map[int64]float64, len(hits))
	for i, h := range hits {
		docs[i] = h.Doc
		scores[h.Doc] = float64(h.Score)
	}
	res.Passages, err = ix.Passages(ctx, docs)
	if err != nil {
		return nil, err
	}
	for i := range res.Passages {
		res.Passages[i].Score = scores[res.Passages[i].Doc]
	}
	if res.Context, err = ix.contextParagraphs(ctx, st, hits); err != nil {
		return nil, err
	}
	return res, nil
}

// contextParagraphs returns, for the re-ranking's answer redundancy (see
// Rerank.ContextArticles), the ContextParas paragraphs nearest to the best
// paragraph of each of the ContextArticles best articles of hits (the
// first stage's, best first) that are not among hits, each scored as that
// best paragraph. Nil when the ranking asks for none.
func (ix *Index) contextParagraphs(ctx context.Context, st *indexState, hits []Hit) ([]knowledge.Passage, error) {
	r := ix.ranking
	if r.ContextArticles <= 0 || r.ContextParas <= 0 || r.ContextWeight <= 0 {
		return nil, nil
	}
	have := make(map[int64]bool, len(hits))
	for _, h := range hits {
		have[h.Doc] = true
	}
	var docs []int64
	score := map[int64]float64{}
	done := map[int32]bool{}
	for _, h := range hits {
		slot := st.docArt[h.Doc-st.base]
		if done[slot] {
			continue
		}
		if len(done) == r.ContextArticles {
			break
		}
		done[slot] = true
		a := st.arts[slot]
		// Nearest first: the paragraph after, the one before, two after…
		n := 0
		for dist := int64(1); n < r.ContextParas && dist < int64(a.n); dist++ {
			for _, d := range [2]int64{h.Doc + dist, h.Doc - dist} {
				if n == r.ContextParas || d < a.first || d >= a.first+int64(a.n) || have[d] {
					continue
				}
				have[d] = true
				docs = append(docs, d)
				score[d] = float64(h.Score)
				n++
			}
		}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	ps, err := ix.Passages(ctx, docs)
	if err != nil {
		return nil, fmt.Errorf("context paragraphs: %w", err)
	}
	for i := range ps {
		ps[i].Score = score[ps[i].Doc]
	}
	return ps, nil
}

// Passages returns the passages of docs, in that order; a doc deleted
// meanwhile is left out.
func (ix *Index) Passages(ctx context.Context, docs []int64) ([]knowledge.Passage, error) {
	ps, err := ix.store.Passages(ctx, docs)
	if err != nil {
		return nil, fmt.Errorf("fetch passages: %w", err)
	}
	byDoc := make(map[int64]knowledge.Passage, len(ps))
	for _, p := range ps {
		byDoc[p.Doc] = p
	}
	out := make([]knowledge.Passage, 0, len(docs))
	for _, d := range docs {
		if p, ok := byDoc[d]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// Finish turns first-stage candidates (res.Passages, best first, scored)
// into the answer to q: copies of one text collapsed into the best-ranked
// (AlsoIn), re-ranked by reading their text (which sets res.Votes), and
// the first q.K that are not boilerplate kept, their labels stripped.
func (ix *Index) Finish(q knowledge.Query, res *knowledge.Result) {
	res.Passages = collapseCopies(res.Passages)
	if ix.ranking.RerankDepth > 0 {
		rerank(q, res, ix.ranking)
	}
	res.Passages = withoutBoilerplate(res.Passages, Wanted(q))
}

// Wanted is how many results q asks for.
func Wanted(q knowledge.Query) int {
	if q.K <= 0 {
		return 10
	}
	return q.K
}

// withoutBoilerplate returns the first want passages of ps that are not
// boilerplate (captions, time stamps, bios…: kept in the store, never an
// answer), their summary labels stripped. It classifies only as many
// passages as it needs: the classifier costs microseconds a paragraph.
func withoutBoilerplate(ps []knowledge.Passage, want int) []knowledge.Passage {
	out := ps[:0]
	for _, p := range ps {
		if len(out) == want {
			break
		}
		// Classified without its label or stamp: a stamp hides the
		// "Photos:" that starts a gallery entry of a live-updates page.
		text := analysis.StripLabel(p.Text)
		if analysis.BoilerplateKind(text) != "" {
			continue
		}
		p.Text = text
		out = append(out, p)
	}
	return out
}

// collapseCopies merges passages whose text is the same word for word
// (case and spacing aside) into the best-ranked one, listing the others in
// its AlsoIn: a wire story printed by many outlets is one result.
func collapseCopies(ps []knowledge.Passage) []knowledge.Passage {
	first := make(map[string]int, len(ps))
	out := ps[:0]
	for _, p := range ps {
		key := strings.ToLower(strings.Join(strings.Fields(p.Text), " "))
		if i, ok := first[key]; ok {
			c := p
			c.Text, c.AlsoIn = "", nil
			out[i].AlsoIn = append(out[i].AlsoIn, c)
			continue
		}
		first[key] = len(out)
		out = append(out, p)
	}
	return out
}

// uniqueTerms returns ts without repeats, in first-seen order.
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

// DocFreqs returns in how many paragraphs and headlines each of terms
// occurs (deleted paragraphs not yet merged away included), for telling
// words the store knows from those it does not: bot.TermCounter. Terms it
// lacks are left out of the map.
func (ix *Index) DocFreqs(ctx context.Context, terms []string) (map[string]int, error) {
	want := make([]string, 0, 2*len(terms))
	for _, t := range terms {
		want = append(want, t, knowledge.TitlePrefix+t)
	}
	view, err := onCurrent(ctx, ix, func(st *indexState) (postingsView, error) { return ix.view(ctx, st, want) })
	if err != nil {
		return nil, fmt.Errorf("doc freqs: %w", err)
	}
	out := map[string]int{}
	for _, t := range terms {
		n := 0
		for _, p := range view.get(t) {
			n += postingsCount(p.Data)
		}
		for _, p := range view.get(knowledge.TitlePrefix + t) {
			n += postingsCount(p.Data)
		}
		if n > 0 {
			out[t] = n
		}
	}
	return out, nil
}
