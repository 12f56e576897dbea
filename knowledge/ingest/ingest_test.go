package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// writeCorpus writes n generated articles as JSON Lines.
func writeCorpus(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for i := range n {
		enc.Encode(map[string]any{
			"url":       fmt.Sprintf("https://example.com/story/%d", i),
			"title":     fmt.Sprintf("Story number %d about topic%d", i, i%97),
			"published": time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365).Format("2006-01-02"),
			"text":      fmt.Sprintf("First paragraph of story %d mentions keyword%d.\n\nSecond paragraph with shared words.\n\nThird paragraph, unique%d.", i, i%13, i),
		})
	}
}

// checkConsistent verifies that the articles table and the index agree.
func checkConsistent(t *testing.T, s *sqlite.Store) knowledge.Stats {
	t.Helper()
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := index.NewIndex(s, nil).DocCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if docs != st.Paragraphs {
		t.Errorf("index has %d paragraphs, articles table %d: inconsistent store", docs, st.Paragraphs)
	}
	return st
}

// TestIngestKilledMidway kills a real newsbot-like process in the middle of
// an ingest (SIGKILL: no clean-up at all), then checks that the store is
// consistent and that running the ingest again completes it.
func TestIngestKilledMidway(t *testing.T) {
	if os.Getenv("NEWSBOT_TEST_CHILD_INGEST") != "" {
		childIngest()
		return
	}
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus.jsonl")
	db := filepath.Join(dir, "news.db")
	const n = 6000
	writeCorpus(t, corpus, n)
	cmd := exec.Command(os.Args[0], "-test.run=^TestIngestKilledMidway$")
	cmd.Env = append(os.Environ(), "NEWSBOT_TEST_CHILD_INGEST="+corpus+"|"+db)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once some batches have committed, but before the end.
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("child made no progress")
		}
		time.Sleep(20 * time.Millisecond)
		s, err := sqlite.Open(ctx, db)
		if err != nil {
			continue
		}
		st, err := s.Stats(ctx)
		s.Close()
		if err == nil && st.Articles > 0 {
			break
		}
	}
	cmd.Process.Kill()
	cmd.Wait()

	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st := checkConsistent(t, s)
	if st.Articles == 0 || st.Articles >= n {
		t.Fatalf("after kill: %d articles; want some but not all of %d (kill came too late?)", st.Articles, n)
	}
	t.Logf("killed after %d of %d articles", st.Articles, n)
	sum, err := (&ingest.Ingester{Store: s}).Ingest(ctx, []string{corpus})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != n-st.Articles || sum.Unchanged != st.Articles || sum.Updated != 0 {
		t.Errorf("second run = %+v; want %d added, %d unchanged", sum, n-st.Articles, st.Articles)
	}
	if st := checkConsistent(t, s); st.Articles != n || st.Paragraphs != 3*n {
		t.Errorf("after completing: %+v, want %d articles and %d paragraphs", st, n, 3*n)
	}
}

func childIngest() {
	corpus, db, _ := strings.Cut(os.Getenv("NEWSBOT_TEST_CHILD_INGEST"), "|")
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		os.Exit(3)
	}
	in := &ingest.Ingester{Store: s, BatchArticles: 500}
	in.Ingest(ctx, []string{corpus})
	os.Exit(0)
}

// cancelAfterWrites is a store that cancels the ingest's context once n
// of its write transactions have committed, as Ctrl-C after that many
// batches would.
type cancelAfterWrites struct {
	knowledge.Store
	n      int
	cancel context.CancelFunc
	writes atomic.Int64
}

func (c *cancelAfterWrites) Write(ctx context.Context, fn func(knowledge.Writer) error) error {
	err := c.Store.Write(ctx, fn)
	if err == nil && c.writes.Add(1) == int64(c.n) {
		c.cancel()
	}
	return err
}

// An ingest cancelled after its first batch (1,000 of 3,000 articles)
// commits no more: it returns context.Canceled with that batch stored, and
// the same ingest run again stores the rest.
func TestIngestCancelled(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus.jsonl")
	const n, batch = 3000, 1000
	writeCorpus(t, corpus, n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var last ingest.Progress
	in := &ingest.Ingester{Store: &cancelAfterWrites{Store: s, n: 1, cancel: cancel}, BatchArticles: batch,
		Progress: func(p ingest.Progress) { last = p }}
	sum, err := in.Ingest(ctx, []string{corpus})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ingest: %v, want context.Canceled", err)
	}
	st := checkConsistent(t, s)
	if st.Articles != batch || sum.Added != batch {
		t.Errorf("cancelled after the first batch: %d stored, summary %+v; want the first %d only", st.Articles, sum, batch)
	}
	if !last.Done || last.Summary.Added != batch {
		t.Errorf("last progress = %+v, want Done with the first batch added", last)
	}
	sum, err = (&ingest.Ingester{Store: s}).Ingest(context.Background(), []string{corpus})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added+sum.Unchanged != n || sum.Unchanged != st.Articles {
		t.Errorf("resumed ingest = %+v after %d stored", sum, st.Articles)
	}
	checkConsistent(t, s)
}
