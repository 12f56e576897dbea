package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/feed/statetest"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/postgres"
	"github.com/newsbot/newsbot/knowledge/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func openURL(t *testing.T, url string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) knowledge.Store { return openURL(t, pgtest.NewDatabase(t)) })
}

func TestStoreShared(t *testing.T) {
	t.Parallel()
	storetest.RunShared(t, func(t *testing.T) (knowledge.Store, knowledge.Store) {
		url := pgtest.NewDatabase(t)
		return openURL(t, url), openURL(t, url)
	})
}

func TestFeedState(t *testing.T) {
	t.Parallel()
	statetest.Run(t, func(t *testing.T) feed.StateStore { return openURL(t, pgtest.NewDatabase(t)) })
}

func TestVectorStore(t *testing.T) {
	t.Parallel()
	storetest.RunVectors(t, func(t *testing.T) knowledge.Store { return openURL(t, pgtest.NewDatabase(t)) })
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	a := &knowledge.Article{URL: "https://example.com/a", Title: "Kept", Paragraphs: []string{"Persisted paragraph."}}
	if _, err := index.Apply(ctx, s, []*index.Prepared{index.Prepare(a)}, a.Published); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openURL(t, url)
	res, err := index.NewIndex(s, nil).Search(ctx, knowledge.Query{Text: "persisted"})
	if err != nil || len(res.Passages) != 1 {
		t.Fatalf("after reopen: %v, %v", res, err)
	}
}

// Instances starting together on a new database take turns migrating: each
// opens, and every version is applied once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	const n = 6
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = postgres.Open(ctx, url)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
			continue
		}
		stores[i].Close()
	}
	conn := pgtest.Connect(t, url)
	var rows, distinct int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != distinct || rows == 0 {
		t.Errorf("schema_migrations holds %d rows for %d versions, want each version once", rows, distinct)
	}
	var next int64
	if err := conn.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'next_doc'`).Scan(&next); err != nil || next != 1 {
		t.Errorf("next_doc = %d, %v; want 1 (the counter row written once)", next, err)
	}
}

// A database migrated by a newer newsbot is refused, naming the version.
func TestUnknownSchemaVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	openURL(t, url).Close()
	conn := pgtest.Connect(t, url)
	if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations(version) VALUES (999)`); err != nil {
		t.Fatal(err)
	}
	_, err := postgres.Open(ctx, url)
	if err == nil || !strings.Contains(err.Error(), "schema version 999") {
		t.Errorf("Open on a newer schema: %v, want an error naming version 999", err)
	}
}

// A version missing from the middle (written on another branch, landed
// later) is applied on open, as in knowledge/sqlite.
func TestMissingVersionApplied(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	openURL(t, url).Close()
	conn := pgtest.Connect(t, url)
	// Pretend version 1 was never applied: drop what it made.
	if _, err := conn.Exec(ctx, `DROP TABLE meta, articles, paragraphs, segments, postings, tombstones; DELETE FROM schema_migrations WHERE version = 1`); err != nil {
		t.Fatal(err)
	}
	s := openURL(t, url)
	if st, err := s.Stats(ctx); err != nil || st.Articles != 0 {
		t.Errorf("after re-applying version 1: %+v, %v", st, err)
	}
}

// Errors name the server, never the password.
func TestOpenErrorsHidePassword(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, url := range []string{
		"postgres://newsbot:s3cr3t-pw@127.0.0.1:1/news?connect_timeout=5", // nothing listens on port 1
		"postgres://newsbot:s3cr3t-pw@127.0.0.1:notaport/news",
		"postgres://newsbot:s3cr3t-pw@127.0.0.1:1/news?sslmode=bogus",
	} {
		s, err := postgres.Open(ctx, url)
		if err == nil {
			s.Close()
			t.Errorf("Open(%s) succeeded", url)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("Open error shows the password: %v", err)
		}
	}
}

func TestStringHidesCredentials(t *testing.T) {
	t.Parallel()
	s := openURL(t, pgtest.NewDatabase(t))
	name := s.String()
	if !strings.Contains(name, "newsbot_test_") || strings.Contains(name, "postgres@") {
		t.Errorf("String() = %q, want the database name and server, no user", name)
	}
}

// Dates are whole seconds, and Latest/Expired order and cut on the
// publication date, or the first-seen date when it is unknown — as SQLite.
func TestUndatedArticlesUseFirstSeen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openURL(t, pgtest.NewDatabase(t))
	base := index.Prepare(&knowledge.Article{URL: "https://example.com/dated", Title: "Dated", Paragraphs: []string{"Dated text."}})
	base.Published = at(-48)
	undated := index.Prepare(&knowledge.Article{URL: "https://example.com/undated", Title: "Undated", Paragraphs: []string{"Undated text."}})
	now := at(0).Add(123456789 * time.Nanosecond) // the fraction of a second is dropped
	if _, err := index.Apply(ctx, s, []*index.Prepared{base, undated}, now); err != nil {
		t.Fatal(err)
	}
	got, err := s.Latest(ctx, knowledge.LatestQuery{Limit: 5})
	if err != nil || len(got) != 2 || got[0].Title != "Undated" || !got[0].FirstSeen.Equal(at(0)) {
		t.Fatalf("Latest = %v, %v; want Undated (first seen %v) first", got, err, at(0))
	}
	got, _ = s.Latest(ctx, knowledge.LatestQuery{Limit: 5, Until: at(-1)})
	if len(got) != 1 || got[0].Title != "Dated" {
		t.Errorf("Latest until an hour ago = %v, want Dated only", got)
	}
	n, err := index.Prune(ctx, s, at(-1))
	if err != nil || n != 1 {
		t.Errorf("Prune = %d, %v; want 1 (the dated article)", n, err)
	}
}

var t0 = time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)

func at(hours int) time.Time { return t0.Add(time.Duration(hours) * time.Hour) }

// Feed documents are not cleaned like articles: text PostgreSQL refuses (a
// NUL byte, invalid UTF-8) is stored cleaned, not an error.
func TestFeedTextPostgresRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openURL(t, pgtest.NewDatabase(t))
	feedURL := "https://a.example/rss"
	item := feed.ItemState{Key: "k\x001", Fingerprint: "f", Title: "Bad \xff title\x00", FirstSeen: t0, LastSeen: t0}
	if err := s.PutFeedItems(ctx, feedURL, []feed.ItemState{item}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFeedState(ctx, feed.FeedState{URL: feedURL, LastError: "parse: bad byte \x00", LastFetch: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := s.FeedItems(ctx, feedURL)
	if err != nil || len(got) != 1 || got[0].Key != "k1" || got[0].Title != "Bad \uFFFD title" {
		t.Errorf("FeedItems = %+v, %v; want the item with NUL removed and invalid UTF-8 replaced", got, err)
	}
}

func TestConversationTurns(t *testing.T) {
	t.Parallel()
	storetest.RunConversations(t, func(t *testing.T) (knowledge.Store, knowledge.Store) {
		url := pgtest.NewDatabase(t)
		return openURL(t, url), openURL(t, url)
	})
}
