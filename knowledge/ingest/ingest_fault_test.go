package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// fullDiskStore is a store whose disk fills up: after okBatches write
// transactions have stored articles, storing more fails with ENOSPC, as a
// file system without space answers a write.
type fullDiskStore struct {
	knowledge.Store
	okBatches int32
	batches   atomic.Int32
}

func (s *fullDiskStore) Write(ctx context.Context, fn func(knowledge.Writer) error) error {
	return s.Store.Write(ctx, func(w knowledge.Writer) error { return fn(&fullDiskWriter{Writer: w, s: s}) })
}

type fullDiskWriter struct {
	knowledge.Writer
	s *fullDiskStore
}

func (w *fullDiskWriter) PutArticles(ctx context.Context, arts []knowledge.StoredArticle) error {
	if w.s.batches.Add(1) > w.s.okBatches {
		return fmt.Errorf("put articles: write news.db-wal: %w", syscall.ENOSPC)
	}
	return w.Writer.PutArticles(ctx, arts)
}

// TestIngestDiskFull: a full disk stops the ingest with an error naming
// the cause; what was committed before stays, consistent, and the same
// ingest completes once there is space again. (By hand, on a 40 MiB tmpfs,
// the real SQLite error reads "apply batch: put articles: database or disk
// is full (13)" with the same outcome.)
func TestIngestDiskFull(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus.jsonl")
	writeCorpus(t, corpus, 500)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	full := &fullDiskStore{Store: s, okBatches: 2}
	sum, err := (&ingest.Ingester{Store: full, BatchArticles: 100}).Ingest(ctx, []string{corpus})
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("Ingest on a full disk = %v, want an error naming ENOSPC", err)
	}
	if sum.Added != 200 {
		t.Errorf("summary = %+v, want the 200 articles of the 2 batches committed", sum)
	}
	if st := checkConsistent(t, s); st.Articles != 200 || st.Paragraphs != 600 {
		t.Errorf("after the full disk: %+v, want 200 articles, 600 paragraphs", st)
	}
	sum, err = (&ingest.Ingester{Store: s}).Ingest(ctx, []string{corpus})
	if err != nil || sum.Added != 300 || sum.Unchanged != 200 {
		t.Errorf("ingest with space again = %+v, %v; want 300 added, 200 unchanged", sum, err)
	}
	checkConsistent(t, s)
}
