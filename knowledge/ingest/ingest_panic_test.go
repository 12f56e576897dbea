package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/parse"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// panickyStore panics when asked to store an article whose URL contains
// bad.
type panickyStore struct {
	knowledge.Store
	bad string
}

func (s *panickyStore) Write(ctx context.Context, fn func(knowledge.Writer) error) error {
	return s.Store.Write(ctx, func(w knowledge.Writer) error { return fn(&panickyWriter{Writer: w, bad: s.bad}) })
}

type panickyWriter struct {
	knowledge.Writer
	bad string
}

func (w *panickyWriter) PutArticles(ctx context.Context, arts []knowledge.StoredArticle) error {
	for _, a := range arts {
		if strings.Contains(a.URL, w.bad) {
			panic("cannot store " + a.URL)
		}
	}
	return w.Writer.PutArticles(ctx, arts)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestIngestSkipsAnArticleWhoseStoringPanics(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus.jsonl")
	writeCorpus(t, corpus, 50)
	other := filepath.Join(dir, "other.txt")
	if err := os.WriteFile(other, []byte("Another file\n\nIts text."), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var log lockedBuffer
	in := &ingest.Ingester{Store: &panickyStore{Store: s, bad: "/story/7"}, Logger: slog.New(slog.NewTextHandler(&log, nil)), BatchArticles: 20}
	before := safe.Panics()
	sum, err := in.Ingest(ctx, []string{corpus, other})
	if err != nil {
		t.Fatalf("Ingest = %v, want the panicking article skipped", err)
	}
	// Of the 50 stories and the other file, only /story/7 cannot be stored.
	if sum.Added != 50 || sum.Rejected != 1 {
		t.Errorf("summary = %+v, want 50 added and 1 rejected", sum)
	}
	var pe *safe.PanicError
	if len(sum.Problems) == 0 || !errors.As(sum.Problems[0].Err, &pe) || !strings.Contains(sum.Problems[0].Where, "/story/7") {
		t.Errorf("problems = %v, want the panics, naming the articles", sum.Problems)
	}
	// One for its batch, one when it is stored alone.
	if safe.Panics()-before < 2 {
		t.Errorf("%d panics counted, want 2", safe.Panics()-before)
	}
	if out := log.String(); !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "cannot store") || !strings.Contains(out, "ingest_panic_test.go") {
		t.Errorf("log lacks the panic with its stack:\n%.2000s", out)
	}
	if st := checkConsistent(t, s); st.Articles != 50 {
		t.Errorf("stored %d articles, want 50", st.Articles)
	}
	// The store still takes writes: the panicking transaction was rolled
	// back, not left open.
	if sum, err := (&ingest.Ingester{Store: s}).Ingest(ctx, []string{corpus}); err != nil || sum.Added != 1 || sum.Unchanged != 49 {
		t.Errorf("second ingest = %+v, %v; want /story/7 added, 49 unchanged", sum, err)
	}
}

func TestReadArticlesRecoversPerLine(t *testing.T) {
	input := `{"title":"one","text":"a"}
{"title":"two","text":"b"}
{"title":"three","text":"c"}
`
	var got []string
	var probs []parse.Problem
	err := parse.ReadArticles(context.Background(), "in.jsonl", strings.NewReader(input), func(a *knowledge.Article, where string) error {
		if a.Title == "two" {
			panic("emit of two")
		}
		got = append(got, a.Title)
		return nil
	}, func(p parse.Problem) { probs = append(probs, p) })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "one,three" {
		t.Errorf("emitted %v, want one and three", got)
	}
	var pe *safe.PanicError
	if len(probs) != 1 || probs[0].Where != "in.jsonl:2" || !errors.As(probs[0].Err, &pe) {
		t.Errorf("problems = %v, want the panic at in.jsonl:2", probs)
	}
}
