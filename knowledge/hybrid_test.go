package knowledge_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge"
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

func hybridStore(t *testing.T) (*sqlite.Store, *knowledge.Index) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	day := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	arts := []*knowledge.Article{
		{URL: "https://example.com/a", Title: "Dealers report", Source: "A", Published: day, Paragraphs: []string{"Car sales fell sharply in March, dealers said."}},
		{URL: "https://example.com/b", Title: "Market slump", Source: "B", Published: day.AddDate(0, 0, -10), Paragraphs: []string{"Automobile purchases dropped across Europe last month."}},
		{URL: "https://example.com/c", Title: "Forecast", Source: "C", Published: day, Paragraphs: []string{"The weather was sunny on the coast."}},
	}
	if _, _, err := (&knowledge.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	return s, knowledge.NewIndex(s, knowledge.Ranking{})
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
	h := &knowledge.Hybrid{Index: ix, Vectors: s, Embedder: e, Model: "concepts", Logger: slog.New(slog.NewTextHandler(&log, nil))}
	q := knowledge.Query{Text: "car sales", K: 5}

	// No vectors yet: the lexical ranking alone.
	res, err := h.Search(ctx, q)
	if err != nil || sources(res.Passages) != "A" {
		t.Fatalf("before embedding: %q, %v; want the lexical match only", sources(res.Passages), err)
	}
	if _, err := knowledge.EmbedPending(ctx, s, e, "concepts", knowledge.EmbedOptions{}); err != nil {
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
	in := &knowledge.Ingester{Store: s}
	if _, _, err := in.Add(ctx, []*knowledge.Article{{URL: "https://example.com/d", Title: "Showroom", Source: "D",
		Published: time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC), Paragraphs: []string{"Vehicle buying slowed in showrooms."}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := knowledge.EmbedPending(ctx, s, e, "concepts", knowledge.EmbedOptions{}); err != nil {
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
// every stored vector for one question) at the corpus's size: 373,018
// paragraphs, for common embedding sizes.
func BenchmarkCosine(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 373_018} {
		for _, dim := range []int{256, 768, 1536} {
			if n*dim > 373_018*768 && n != 373_018 {
				continue
			}
			b.Run(fmt.Sprintf("paragraphs=%d/dim=%d", n, dim), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, uint64(dim)))
				docs := make([]int64, n)
				data := make([]float32, n*dim)
				for i := range docs {
					docs[i] = int64(i + 1)
				}
				for i := range data {
					data[i] = float32(rng.NormFloat64())
				}
				q := make([]float32, dim)
				for i := range q {
					q[i] = float32(rng.NormFloat64())
				}
				b.ReportMetric(float64(len(data)*4)/(1<<20), "MiB")
				b.ResetTimer()
				for range b.N {
					knowledge.TopCosineForBench(q, docs, data, dim, 30)
				}
			})
		}
	}
}
