// Package benchcorpus builds the stores that benchmarks and evaluations
// run on: prefixes of the RealTime QA corpus (../shared/data/realtimeqa) at
// growing paragraph counts, cached on disk between runs. Callers skip when
// the data is absent.
package benchcorpus

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/parse"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// Dir returns the RealTime QA data directory: $NEWSBOT_REALTIMEQA, else
// ../shared/data/realtimeqa found from the working directory upwards.
func Dir() string {
	if d := os.Getenv("NEWSBOT_REALTIMEQA"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		c := filepath.Join(d, "..", "shared", "data", "realtimeqa")
		if _, err := os.Stat(filepath.Join(c, "corpus.jsonl.gz")); err == nil {
			return c
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Corpus returns the path of corpus.jsonl.gz, skipping tb when absent.
func Corpus(tb testing.TB) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skip("RealTime QA data not found (../shared/data/realtimeqa or $NEWSBOT_REALTIMEQA)")
	}
	return filepath.Join(d, "corpus.jsonl.gz")
}

var (
	loadOnce sync.Once
	articles []*knowledge.Article
	loadErr  error
)

// Articles returns the corpus articles, read once per process.
func Articles(tb testing.TB) []*knowledge.Article {
	tb.Helper()
	path := Corpus(tb)
	loadOnce.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			loadErr = err
			return
		}
		defer f.Close()
		loadErr = parse.ReadArticles(context.Background(), path, f, func(a *knowledge.Article, _ string) error {
			articles = append(articles, a)
			return nil
		}, func(p parse.Problem) {})
	})
	if loadErr != nil {
		tb.Fatal(loadErr)
	}
	return articles
}

// Subset returns copies of the first corpus articles holding about
// paragraphs paragraphs; beyond the corpus it repeats the corpus under new
// ids and URLs ("the corpus loaded 4x"). Paragraph text is shared.
func Subset(tb testing.TB, paragraphs int) []*knowledge.Article {
	all := Articles(tb)
	var out []*knowledge.Article
	n := 0
	for copyNo := 0; n < paragraphs; copyNo++ {
		for _, a := range all {
			if n >= paragraphs {
				break
			}
			c := *a
			if copyNo > 0 {
				c.ID = fmt.Sprintf("%s-%d", a.ID, copyNo)
				if c.URL != "" {
					c.URL = fmt.Sprintf("%s?copy=%d", a.URL, copyNo)
				}
			}
			out = append(out, &c)
			n += len(a.Paragraphs)
		}
	}
	return out
}

// Store returns a store holding Subset(paragraphs), cached under the
// system's temporary directory so that repeated benchmark runs share it.
// The store is closed when tb ends.
func Store(tb testing.TB, paragraphs int) *sqlite.Store {
	tb.Helper()
	ctx := context.Background()
	dir := filepath.Join(os.TempDir(), "newsbot-bench")
	path := filepath.Join(dir, fmt.Sprintf("corpus-%d.db", paragraphs))
	arts := Subset(tb, paragraphs)
	want := 0
	for _, a := range arts {
		want += len(a.Paragraphs)
	}
	if s, err := sqlite.Open(ctx, path); err == nil {
		if st, err := s.Stats(ctx); err == nil && st.Paragraphs == want && st.Articles == len(arts) {
			tb.Cleanup(func() { s.Close() })
			return s
		}
		s.Close()
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := Load(ctx, s, arts); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Load stores arts the way the ingest command does: analysed in parallel,
// written in batches, compacted at the end.
func Load(ctx context.Context, s knowledge.Store, arts []*knowledge.Article) error {
	prep := make([]*index.Prepared, len(arts))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(arts); i += workers {
				c := *arts[i]
				c.Paragraphs = append([]string(nil), arts[i].Paragraphs...)
				if _, err := parse.Clean(&c); err != nil {
					continue
				}
				prep[i] = index.Prepare(&c)
			}
		}()
	}
	wg.Wait()
	var batch []*index.Prepared
	paras := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := index.Apply(ctx, s, batch, loadTime)
		batch, paras = batch[:0], 0
		return err
	}
	for _, p := range prep {
		if p == nil {
			continue
		}
		batch = append(batch, p)
		paras += len(p.Paragraphs)
		if paras >= 50000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	_, err := index.Compact(ctx, s, index.CompactPolicy{})
	return err
}

// Question is one RealTime QA question.
type Question struct {
	ID       string `json:"id"`
	Date     string `json:"date"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Questions returns the dev questions, skipping tb when absent.
func Questions(tb testing.TB) []Question {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skip("RealTime QA data not found")
	}
	f, err := os.Open(filepath.Join(d, "questions-dev.jsonl"))
	if err != nil {
		tb.Skip(err)
	}
	defer f.Close()
	var qs []Question
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q Question
		if err := json.Unmarshal(sc.Bytes(), &q); err == nil && q.Question != "" {
			qs = append(qs, q)
		}
	}
	return qs
}

// loadTime is the arrival time recorded for benchmark articles.
var loadTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
