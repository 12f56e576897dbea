// Package testkit is what the tests of many packages share: a throw-away
// SQLite store, empty or holding the bundled sample article, and a bot over
// it answering on the day the sample was published.
package testkit

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/sample"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// Store opens a new SQLite store in a temporary directory of tb, closed when
// tb ends.
func Store(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "news.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// SampleStore is Store holding the bundled sample article (and nothing else).
func SampleStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s := Store(tb)
	if n, err := sample.LoadIfEmpty(context.Background(), s, &ingest.Ingester{Store: s}); err != nil || n != 1 {
		tb.Fatalf("load the sample: %d articles, %v", n, err)
	}
	return s
}

// SampleDay is the afternoon the sample article was published (16 April
// 2025, 15:00 UTC): relative dates in test questions count from it.
func SampleDay() time.Time { return time.Date(2025, 4, 16, 15, 0, 0, 0, time.UTC) }

// Bot is a bot over s, ranking with r, answering in UTC on SampleDay.
func Bot(s *sqlite.Store, r *index.Ranking) *bot.Bot {
	ix := index.NewIndex(s, r)
	return &bot.Bot{Retriever: ix, Terms: ix, Library: s, Now: SampleDay, Location: time.UTC}
}

// fixture is the path of a file under bot/testdata (elem joined).
func fixture(elem ...string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(file), "..", "..", "bot", "testdata"}, elem...)...)
}

// ingestAt ingests file into s as if it arrived at now(), so that
// first-seen days in rendered output do not change with the day the tests
// run; it fails tb when ingest fails.
func ingestAt(tb testing.TB, s *sqlite.Store, now func() time.Time, file string) ingest.Summary {
	tb.Helper()
	sum, err := (&ingest.Ingester{Store: s, Now: now}).Ingest(context.Background(), []string{file})
	if err != nil {
		tb.Fatalf("ingest %s: %v", file, err)
	}
	return sum
}

// botOn is Bot over s with the default ranking, answering on day.
func botOn(s *sqlite.Store, day func() time.Time) *bot.Bot {
	b := Bot(s, nil)
	b.Now = day
	return b
}
