package hybrid

import (
	"container/heap"
	"context"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
)

// Hybrid ranks paragraphs by fusing the lexical ranking of an Index with a
// semantic one (cosine similarity of embeddings, brute force over every
// stored vector) by reciprocal rank fusion. It has Index's Search method,
// so it stands in wherever an Index retrieves. When the question cannot be
// embedded (the model is down or slow) or no vectors are stored, it returns
// the lexical ranking alone. Set Index, Vectors, Embedder and Model; it is
// safe for concurrent use.
type Hybrid struct {
	Index    *index.Index
	Vectors  knowledge.VectorStore
	Embedder knowledge.Embedder
	// Model is the EmbeddingKey the vectors are stored under.
	Model string
	// Logger receives embedding failures; nil discards them.
	Logger *slog.Logger
	// EmbedTimeout bounds embedding one question; zero means 10s.
	EmbedTimeout time.Duration

	mu    sync.Mutex // serialises cache refreshes
	cache vectorCache
}

// rrfK is the k of reciprocal rank fusion: score = Σ 1/(k + rank).
const rrfK = 60

// minRelativeSimilarity drops semantic hits whose cosine similarity is
// below this share of the best one's: every vector is somewhat similar to
// every other, and the tail would otherwise fill the fused list with
// unrelated paragraphs.
const minRelativeSimilarity = 0.5

// vectorCache holds the stored vectors in memory, normalised to unit
// length, in one slab.
type vectorCache struct {
	since int64 // ScanVectors position
	dim   int
	docs  []int64
	data  []float32 // len(docs)*dim
	bad   int       // vectors skipped for having another size
}

func (h *Hybrid) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// refresh loads vectors stored since the last call and returns a
// consistent view of the cache.
func (h *Hybrid) refresh(ctx context.Context) (docs []int64, data []float32, dim int, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := &h.cache
	c.since, err = h.Vectors.ScanVectors(ctx, h.Model, c.since, func(doc int64, v []float32) error {
		if c.dim == 0 {
			c.dim = len(v)
		}
		if len(v) != c.dim || len(v) == 0 {
			c.bad++
			return nil
		}
		c.docs = append(c.docs, doc)
		c.data = append(c.data, v...)
		normalize(c.data[len(c.data)-len(v):])
		return nil
	})
	if err != nil {
		return nil, nil, 0, fmt.Errorf("load vectors: %w", err)
	}
	return c.docs, c.data, c.dim, nil
}

func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
}

// Search returns the k best paragraphs for q by the fused ranking: the
// index's first-stage candidates and the nearest vectors are fused by
// reciprocal rank, then finished like a lexical search (copies collapsed,
// re-ranked by reading their text — which also sets Result.Votes —
// boilerplate left out). Errors are the Index's or the VectorStore's; a
// failure to embed the question is logged and answered lexically.
func (h *Hybrid) Search(ctx context.Context, q knowledge.Query) (*knowledge.Result, error) {
	k := index.Wanted(q)
	depth := max(3*k, 30)
	lq := q
	lq.K = depth
	res, err := h.Index.FirstStage(ctx, lq)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(q.Text) != "" {
		if err := h.fuse(ctx, q, depth, res); err != nil {
			return nil, err
		}
	}
	h.Index.Finish(q, res)
	return res, nil
}

// fuse adds to the first-stage candidates in res the paragraphs whose
// vectors are nearest the question's, and orders them all by reciprocal
// rank fusion. It leaves res alone when there are no vectors or the
// question cannot be embedded.
func (h *Hybrid) fuse(ctx context.Context, q knowledge.Query, depth int, res *knowledge.Result) error {
	docs, data, dim, err := h.refresh(ctx)
	if err != nil || len(docs) == 0 {
		return err
	}
	timeout := h.EmbedTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ectx, cancel := context.WithTimeout(ctx, timeout)
	vecs, err := h.Embedder.Embed(ectx, []string{q.Text})
	cancel()
	if err == nil && len(vecs) != 1 {
		err = fmt.Errorf("%d vectors for one question", len(vecs))
	}
	if err == nil && len(vecs[0]) != dim {
		err = fmt.Errorf("the question's vector has %d dimensions, the stored ones %d (was the embedding model changed?)", len(vecs[0]), dim)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		h.logger().Warn("hybrid search: cannot embed the question; using lexical ranking only", "err", err)
		return nil
	}
	keep, err := h.Index.DocFilter(ctx, q)
	if err != nil {
		return err
	}
	qv := append([]float32(nil), vecs[0]...)
	normalize(qv)
	sem := topCosine(qv, docs, data, dim, depth, keep)
	// Vectors rank every paragraph; those far below the best are noise.
	for i, s := range sem {
		if s.Score <= 0 || s.Score < minRelativeSimilarity*sem[0].Score {
			sem = sem[:i]
			break
		}
	}
	// Reciprocal rank fusion over the lexical candidates and the nearest.
	fused := map[int64]float64{}
	for r, p := range res.Passages {
		fused[p.Doc] += 1.0 / float64(rrfK+r+1)
	}
	for r, s := range sem {
		fused[s.Doc] += 1.0 / float64(rrfK+r+1)
	}
	order := make([]int64, 0, len(fused))
	for d := range fused {
		order = append(order, d)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if fused[a] != fused[b] {
			return fused[a] > fused[b]
		}
		return a < b
	})
	if limit := max(depth, len(res.Passages)); len(order) > limit {
		order = order[:limit]
	}
	have := map[int64]knowledge.Passage{}
	for _, p := range res.Passages {
		have[p.Doc] = p
	}
	var missing []int64
	for _, d := range order {
		if _, ok := have[d]; !ok {
			missing = append(missing, d)
		}
	}
	if len(missing) > 0 {
		ps, err := h.Index.Passages(ctx, missing)
		if err != nil {
			return err
		}
		for _, p := range ps {
			have[p.Doc] = p
		}
	}
	res.Passages = res.Passages[:0:0]
	for _, d := range order {
		p, ok := have[d]
		if !ok {
			continue // deleted meanwhile
		}
		p.Score = fused[d]
		res.Passages = append(res.Passages, p)
	}
	return nil
}

// topCosine returns the n docs whose unit vectors are closest to the unit
// vector q, best first, among those keep accepts. Large sets are scanned
// in parallel.
func topCosine(q []float32, docs []int64, data []float32, dim, n int, keep func(int64) bool) []index.Hit {
	parts := 1
	if len(docs) >= 20000 {
		parts = runtime.GOMAXPROCS(0)
	}
	heaps := make([]index.HitHeap, parts)
	var wg sync.WaitGroup
	chunk := (len(docs) + parts - 1) / parts
	for p := range parts {
		lo, hi := p*chunk, min((p+1)*chunk, len(docs))
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := make(index.HitHeap, 0, n+1)
			for i := lo; i < hi; i++ {
				if !keep(docs[i]) {
					continue
				}
				s := dot(q, data[i*dim:(i+1)*dim])
				if len(h) == n && s <= h[0].Score {
					continue
				}
				heap.Push(&h, index.Hit{Doc: docs[i], Score: s})
				if len(h) > n {
					heap.Pop(&h)
				}
			}
			heaps[p] = h
		}()
	}
	wg.Wait()
	var all []index.Hit
	for _, h := range heaps {
		all = append(all, h...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Score > all[j].Score })
	if len(all) > n {
		all = all[:n]
	}
	return all
}

// dot is the dot product of two vectors of the same length, unrolled by
// eight (about 25% faster than by four; Go does not vectorise it).
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	for len(a) >= 8 {
		x, y := a[:8:8], b[:8:8]
		s0 += x[0] * y[0]
		s1 += x[1] * y[1]
		s2 += x[2] * y[2]
		s3 += x[3] * y[3]
		s4 += x[4] * y[4]
		s5 += x[5] * y[5]
		s6 += x[6] * y[6]
		s7 += x[7] * y[7]
		a, b = a[8:], b[8:]
	}
	for i := range a {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7)
}
