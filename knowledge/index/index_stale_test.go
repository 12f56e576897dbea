package index_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
)

// mergeBeforePostings is a store where another process merges every
// segment just before the first postings are read.
type mergeBeforePostings struct {
	knowledge.Store
	once sync.Once
	err  error
}

func (m *mergeBeforePostings) Postings(ctx context.Context, terms []string) (int64, map[string][]knowledge.SegmentPostings, error) {
	m.once.Do(func() { _, m.err = index.Compact(ctx, m.Store, index.CompactPolicy{All: true}) })
	if m.err != nil {
		return 0, nil, m.err
	}
	return m.Store.Postings(ctx, terms)
}

// A merge committed between loading the index tables and reading postings
// (by a writer in another goroutine or process) does not make a search
// miss: the index reloads and ranks again.
func TestSearchDuringMerge(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	now := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		a := &knowledge.Article{URL: fmt.Sprintf("https://example.com/%d", i), Title: fmt.Sprintf("Story %d", i),
			Paragraphs: []string{fmt.Sprintf("Paragraph about subject%d.", i)}}
		if _, err := index.Apply(ctx, s, []*index.Prepared{index.Prepare(a)}, now); err != nil {
			t.Fatal(err)
		}
	}
	m := &mergeBeforePostings{Store: s}
	ix := index.NewIndex(m, nil)
	if err := ix.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, knowledge.Query{Text: "subject1"})
	if err != nil {
		t.Fatal(err)
	}
	if m.err != nil {
		t.Fatal(m.err)
	}
	if len(res.Passages) != 1 || res.Passages[0].Title != "Story 1" {
		t.Errorf("search during a merge found %+v, want Story 1", res.Passages)
	}
	if st, _ := s.Stats(ctx); st.Segments != 1 {
		t.Errorf("%d segments after the merge, want 1", st.Segments)
	}
}
