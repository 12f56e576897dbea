package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/feed/statetest"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/sqlite"
	"github.com/newsbot/newsbot/knowledge/storetest"
)

func open(t *testing.T) knowledge.Store {
	t.Helper()
	s := testkit.Store(t)
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, open)
}

func TestStoreShared(t *testing.T) {
	storetest.RunShared(t, func(t *testing.T) (knowledge.Store, knowledge.Store) {
		path := filepath.Join(t.TempDir(), "news.db")
		return openPath(t, path), openPath(t, path)
	})
}

func openPath(t *testing.T, path string) knowledge.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dir", "news.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	a := &knowledge.Article{URL: "https://example.com/a", Title: "Kept", Paragraphs: []string{"Persisted paragraph."}}
	if _, err := index.Apply(ctx, s, []*index.Prepared{index.Prepare(a)}, a.Published); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := index.NewIndex(s, nil).Search(ctx, knowledge.Query{Text: "persisted"})
	if err != nil || len(res.Passages) != 1 {
		t.Fatalf("after reopen: %v, %v", res, err)
	}
}

func TestFeedState(t *testing.T) {
	statetest.Run(t, func(t *testing.T) feed.StateStore { return open(t).(*sqlite.Store) })
}

func TestVectorStore(t *testing.T) {
	storetest.RunVectors(t, open)
}

func TestConversationTurns(t *testing.T) {
	storetest.RunConversations(t, func(t *testing.T) (knowledge.Store, knowledge.Store) {
		path := filepath.Join(t.TempDir(), "news.db")
		return openPath(t, path), openPath(t, path)
	})
}
