package bot_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/benchcorpus"
	"github.com/newsbot/newsbot/knowledge/index"
)

// BenchmarkAsk measures a whole template answer (retrieval, sentence
// selection, rendering) for the dev questions, round robin, at growing
// corpus sizes.
func BenchmarkAsk(b *testing.B) {
	qs := benchcorpus.Questions(b)
	for _, size := range []int{10_000, 100_000, 373_018} {
		b.Run(fmt.Sprintf("paragraphs=%d", size), func(b *testing.B) {
			s := benchcorpus.Store(b, size)
			bt := &bot.Bot{Retriever: index.NewIndex(s, nil), Library: s}
			ctx := context.Background()
			for _, q := range qs {
				if _, err := bt.Ask(ctx, bot.Question{Text: q.Question}); err != nil {
					b.Fatal(err)
				}
			}
			var lat []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				if _, err := bt.Ask(ctx, bot.Question{Text: qs[i%len(qs)].Question}); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				i++
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds()), "p99-µs")
		})
	}
}
