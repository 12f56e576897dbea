package index_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/benchcorpus"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/sample"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// Corpus sizes, in paragraphs, for the growth benchmarks; 1,492,072 is the
// whole corpus (373,018 paragraphs) loaded four times under new ids.
var searchSizes = []int{10_000, 100_000, 373_018, 4 * 373_018}

// BenchmarkIngest measures a whole ingest (parse, analyse, write, compact)
// into a fresh SQLite file: the seed article, then the first 1,000 corpus
// articles, then the whole RealTime QA corpus file.
func BenchmarkIngest(b *testing.B) {
	b.Run("seed", func(b *testing.B) {
		arts, _ := sample.Articles()
		benchLoad(b, arts)
	})
	b.Run("articles=1000", func(b *testing.B) {
		all := benchcorpus.Articles(b)
		benchLoad(b, all[:1000])
	})
	b.Run("corpus-file", func(b *testing.B) {
		path := benchcorpus.Corpus(b)
		fi, _ := os.Stat(path)
		b.SetBytes(fi.Size())
		for b.Loop() {
			b.StopTimer()
			s := freshStore(b)
			b.StartTimer()
			sum, err := (&ingest.Ingester{Store: s}).Ingest(context.Background(), []string{path})
			if err != nil || sum.Added == 0 {
				b.Fatal(sum, err)
			}
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
	})
}

func freshStore(b *testing.B) *sqlite.Store {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("ingest-%d.db", time.Now().UnixNano())))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func benchLoad(b *testing.B, arts []*knowledge.Article) {
	paras := 0
	for _, a := range arts {
		paras += len(a.Paragraphs)
	}
	for b.Loop() {
		b.StopTimer()
		s := freshStore(b)
		b.StartTimer()
		if err := benchcorpus.Load(context.Background(), s, arts); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(paras)*float64(b.N)/b.Elapsed().Seconds(), "paragraphs/s")
}

// BenchmarkSearch measures warm retrieval of the top 10 paragraphs for the
// dev questions, round robin, at growing corpus sizes. Besides ns/op it
// reports the median and 99th percentile of single queries.
func BenchmarkSearch(b *testing.B) {
	qs := benchcorpus.Questions(b)
	for _, size := range searchSizes {
		b.Run(fmt.Sprintf("paragraphs=%d", size), func(b *testing.B) {
			s := benchcorpus.Store(b, size)
			ix := index.NewIndex(s, nil)
			ctx := context.Background()
			for _, q := range qs { // warm the postings cache
				if _, err := ix.Search(ctx, knowledge.Query{Text: q.Question, K: 10}); err != nil {
					b.Fatal(err)
				}
			}
			lat := make([]time.Duration, 0, b.N)
			i := 0
			for b.Loop() {
				start := time.Now()
				if _, err := ix.Search(ctx, knowledge.Query{Text: qs[i%len(qs)].Question, K: 10}); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				i++
			}
			reportPercentiles(b, lat)
		})
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds()), "p99-µs")
}

// BenchmarkOpenIndex measures what `newsbot repl` pays at start on an
// already-ingested store: loading the index tables (no re-indexing).
func BenchmarkOpenIndex(b *testing.B) {
	s := benchcorpus.Store(b, 373_018)
	for b.Loop() {
		ix := index.NewIndex(s, nil)
		if err := ix.Refresh(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
