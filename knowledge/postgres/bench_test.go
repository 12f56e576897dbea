package postgres_test

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/benchcorpus"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/postgres"
)

// The PostgreSQL counterparts of knowledge's benchmarks, on the RealTime QA
// corpus (skipped without it, or without a PostgreSQL server). The server
// is pgtest's throw-away cluster (fsync off) unless
// NEWSBOT_TEST_POSTGRES_URL names one.

// BenchmarkIngest measures a whole ingest of the corpus file (parse,
// analyse, write with COPY, compact) into a new database.
func BenchmarkIngest(b *testing.B) {
	b.Run("corpus-file", func(b *testing.B) {
		path := benchcorpus.Corpus(b)
		fi, _ := os.Stat(path)
		b.SetBytes(fi.Size())
		for b.Loop() {
			b.StopTimer()
			s, err := postgres.Open(context.Background(), pgtest.NewDatabase(b))
			if err != nil {
				b.Fatal(err)
			}
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

// corpusStore returns a store holding the whole corpus, loaded once per
// test binary.
func corpusStore(b *testing.B) *postgres.Store {
	const paragraphs = 373_018
	url := pgtest.SharedDatabase(b, "corpus")
	ctx := context.Background()
	s, err := postgres.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if st, err := s.Stats(ctx); err != nil || st.Articles == 0 {
		if err := benchcorpus.Load(ctx, s, benchcorpus.Subset(b, paragraphs)); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkSearch measures warm retrieval of the top 10 paragraphs for the
// dev questions, round robin, over the whole corpus, like knowledge's
// BenchmarkSearch: each search asks the database for the generation and
// the passages (postings are cached by the Index).
func BenchmarkSearch(b *testing.B) {
	qs := benchcorpus.Questions(b)
	b.Run("paragraphs=373018", func(b *testing.B) {
		ix := index.NewIndex(corpusStore(b), nil)
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
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		if len(lat) > 0 {
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds()), "p99-µs")
		}
	})
}

// BenchmarkOpenIndex measures what a new instance pays at start on an
// already-loaded database: reading the index tables.
func BenchmarkOpenIndex(b *testing.B) {
	s := corpusStore(b)
	for b.Loop() {
		ix := index.NewIndex(s, nil)
		if err := ix.Refresh(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
