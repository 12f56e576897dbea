package hybrid_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/hybrid"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// conceptEmbedder maps words to a few concepts, so that "car sales" and
// "automobile purchases" are near while sharing no word: the case lexical
// ranking misses and semantic ranking finds.
type conceptEmbedder struct {
	fail  error
	calls int
}

var concepts = map[string]int{
	"car": 0, "cars": 0, "automobile": 0, "automobiles": 0, "vehicle": 0,
	"sales": 1, "purchases": 1, "buying": 1, "sold": 1,
	"weather": 2, "sunny": 2, "rain": 2,
	"europe": 3, "european": 3,
}

func (e *conceptEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	e.calls++
	if e.fail != nil {
		return nil, e.fail
	}
	out := make([][]float32, len(texts))
	for i, s := range texts {
		v := make([]float32, 6)
		v[5] = 0.1
		for _, w := range strings.Fields(strings.ToLower(s)) {
			if c, ok := concepts[strings.Trim(w, ".,?!")]; ok {
				v[c]++
			}
		}
		out[i] = v
	}
	return out, nil
}

func hybridStore(t *testing.T) (*sqlite.Store, *index.Index) {
	t.Helper()
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	arts := []*knowledge.Article{
		{URL: "https://example.com/a", Title: "Dealers report", Source: "A", Published: day, Paragraphs: []string{"Car sales fell sharply in March, dealers said."}},
		{URL: "https://example.com/b", Title: "Market slump", Source: "B", Published: day.AddDate(0, 0, -10), Paragraphs: []string{"Automobile purchases dropped across Europe last month."}},
		{URL: "https://example.com/c", Title: "Forecast", Source: "C", Published: day, Paragraphs: []string{"The weather was sunny on the coast."}},
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	return s, index.NewIndex(s, nil)
}

func sources(ps []knowledge.Passage) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Source)
	}
	return strings.Join(out, ",")
}

func TestHybridFindsWhatWordsMiss(t *testing.T) {
	ctx := context.Background()
	s, ix := hybridStore(t)
	e := &conceptEmbedder{}
	var log bytes.Buffer
	h := &hybrid.Hybrid{Index: ix, Vectors: s, Embedder: e, Model: "concepts", Logger: slog.New(slog.NewTextHandler(&log, nil))}
	q := knowledge.Query{Text: "car sales", K: 5}

	// No vectors yet: the lexical ranking alone.
	res, err := h.Search(ctx, q)
	if err != nil || sources(res.Passages) != "A" {
		t.Fatalf("before embedding: %q, %v; want the lexical match only", sources(res.Passages), err)
	}
	if _, err := hybrid.EmbedPending(ctx, s, e, "concepts", hybrid.EmbedOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err = h.Search(ctx, q)
	if err != nil || sources(res.Passages) != "A,B" {
		t.Fatalf("hybrid: %q, %v; want A (both rankings) then B (semantic only)", sources(res.Passages), err)
	}
	if len(res.Terms) == 0 || res.Passages[0].Score <= res.Passages[1].Score || res.Passages[1].Text == "" {
		t.Errorf("result = %+v; want the lexical terms, fused scores best first, and B's text fetched", res)
	}
	// Filters apply to the semantic side too.
	res, _ = h.Search(ctx, knowledge.Query{Text: "car sales", K: 5, Since: time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC)})
	if sources(res.Passages) != "A" {
		t.Errorf("with --since: %q, want A only (B is older)", sources(res.Passages))
	}
	res, _ = h.Search(ctx, knowledge.Query{Text: "car sales", K: 1})
	if sources(res.Passages) != "A" {
		t.Errorf("K=1: %q", sources(res.Passages))
	}
	// The embedding model fails: lexical results, and a warning.
	e.fail = errors.New("connection refused")
	res, err = h.Search(ctx, q)
	if err != nil || sources(res.Passages) != "A" || !strings.Contains(log.String(), "lexical ranking only") {
		t.Errorf("embedder down: %q, %v; log %q", sources(res.Passages), err, log.String())
	}
	// New articles' vectors are picked up without a restart.
	e.fail = nil
	in := &ingest.Ingester{Store: s}
	if _, _, err := in.Add(ctx, []*knowledge.Article{{URL: "https://example.com/d", Title: "Showroom", Source: "D",
		Published: time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC), Paragraphs: []string{"Vehicle buying slowed in showrooms."}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := hybrid.EmbedPending(ctx, s, e, "concepts", hybrid.EmbedOptions{}); err != nil {
		t.Fatal(err)
	}
	res, _ = h.Search(ctx, q)
	if !strings.Contains(sources(res.Passages), "D") {
		t.Errorf("after adding D: %q, want D among the results", sources(res.Passages))
	}
}

func TestVectorEncoding(t *testing.T) {
	v := []float32{0, -1.5, 3.25e10, 1e-20}
	got, err := knowledge.DecodeVector(knowledge.EncodeVector(v))
	if err != nil || fmt.Sprint(got) != fmt.Sprint(v) {
		t.Errorf("round trip = %v, %v", got, err)
	}
	if _, err := knowledge.DecodeVector([]byte{1, 2, 3}); err == nil {
		t.Error("a 3-byte vector decoded")
	}
}

// BenchmarkCosine measures the brute-force semantic ranking (the scan of
// every stored vector for one question, top 30 kept) up to the corpus's
// size, 373,018 paragraphs, for common embedding sizes (nomic-embed-text
// 768, text-embedding-3-small 1536 or shortened to 256).
func BenchmarkCosine(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 373_018} {
		for _, dim := range []int{256, 768, 1536} {
			var docs []int64
			var data, q []float32
			b.Run(fmt.Sprintf("paragraphs=%d/dim=%d", n, dim), func(b *testing.B) {
				if data == nil { // once per size, not per b.N round
					rng := rand.New(rand.NewPCG(1, uint64(dim)))
					docs, data, q = make([]int64, n), make([]float32, n*dim), make([]float32, dim)
					for i := range docs {
						docs[i] = int64(i + 1)
					}
					for i := range data {
						data[i] = rng.Float32() - 0.5
					}
					for i := range q {
						q[i] = rng.Float32() - 0.5
					}
					b.ResetTimer()
				}
				b.ReportMetric(float64(len(data)*4)/(1<<20), "MiB")
				for b.Loop() {
					hybrid.TopCosineForBench(q, docs, data, dim, 30)
				}
			})
		}
	}
}

// BenchmarkLoadVectors measures reading every stored vector into memory
// (what a newly started process does on its first hybrid search), per
// 10,000 paragraphs of 768 dimensions.
func BenchmarkLoadVectors(b *testing.B) {
	ctx := context.Background()
	s := testkit.Store(b)
	const n, dim = 10_000, 768
	var arts []*knowledge.Article
	for i := range n / 10 {
		a := &knowledge.Article{URL: fmt.Sprintf("https://example.com/%d", i), Title: fmt.Sprintf("Story %d", i)}
		for j := range 10 {
			a.Paragraphs = append(a.Paragraphs, fmt.Sprintf("Paragraph %d of story %d.", j, i))
		}
		arts = append(arts, a)
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	e := embedFunc(func(texts []string) [][]float32 {
		out := make([][]float32, len(texts))
		for i := range out {
			out[i] = make([]float32, dim)
			for j := range out[i] {
				out[i][j] = rng.Float32()
			}
		}
		return out
	})
	if _, err := hybrid.EmbedPending(ctx, s, e, "bench", hybrid.EmbedOptions{Batch: 500}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		got := 0
		if _, err := s.ScanVectors(ctx, "bench", 0, func(int64, []float32) error { got++; return nil }); err != nil || got != n {
			b.Fatalf("%d vectors, %v", got, err)
		}
	}
}

type embedFunc func([]string) [][]float32

func (f embedFunc) Embed(_ context.Context, texts []string) ([][]float32, error) {
	return f(texts), nil
}

// Passages that only the vectors find are finished like lexical ones: wire
// copies collapsed into one result, re-ranked (so the result carries the
// candidate answers' votes), boilerplate left out.
func TestHybridFinishesWhatVectorsFind(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	wire := "Automobile purchases dropped across Europe last month, said Maria Lopez of the dealers' association."
	arts := []*knowledge.Article{
		{URL: "https://example.com/a", Title: "Dealers report", Source: "A", Published: day, Paragraphs: []string{"Car sales fell sharply in March."}},
		{URL: "https://example.com/b", Title: "Market slump", Source: "B", Published: day, Paragraphs: []string{wire}},
		{URL: "https://example.com/c", Title: "Slump in Europe", Source: "C", Published: day, Paragraphs: []string{wire}},
		{URL: "https://example.com/d", Title: "Gallery", Source: "D", Published: day, Paragraphs: []string{"Photo: automobile purchases at a dealer. (Jon Reyes/Getty Images)"}},
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	e := &conceptEmbedder{}
	if _, err := hybrid.EmbedPending(ctx, s, e, "concepts", hybrid.EmbedOptions{}); err != nil {
		t.Fatal(err)
	}
	h := &hybrid.Hybrid{Index: index.NewIndex(s, nil), Vectors: s, Embedder: e, Model: "concepts"}
	res, err := h.Search(ctx, knowledge.Query{Text: "who said car sales fell?", K: 5})
	if err != nil {
		t.Fatal(err)
	}
	var wires int
	for _, p := range res.Passages {
		if p.Text == wire {
			wires++
			if len(p.AlsoIn) != 1 {
				t.Errorf("the wire paragraph lists %d copies, want 1 (B and C are one result)", len(p.AlsoIn))
			}
		}
		if p.Source == "D" {
			t.Errorf("boilerplate returned: %q", p.Text)
		}
	}
	if wires != 1 {
		t.Errorf("the wire paragraph found only by vectors is %d results, want 1: %q", wires, sources(res.Passages))
	}
	if len(res.Votes) == 0 {
		t.Error("no votes: the fused results were not re-ranked")
	}
}
