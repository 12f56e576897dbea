package migrate_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/migrate"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/postgres"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const model = "test-embed@4"

// fill puts into s: bot's invented story articles (which form stories), 60
// invented articles with a boilerplate paragraph each, one of them then
// replaced (a tombstone in the source's index), a feed with two items, and
// vectors for the paragraphs up to a watermark below the last doc (an
// embedding pass that had not finished).
func fill(t *testing.T, s migrate.Store) {
	t.Helper()
	ctx := context.Background()
	in := &ingest.Ingester{Store: s, Now: func() time.Time { return time.Date(2025, 6, 10, 8, 0, 0, 0, time.UTC) }}
	if _, err := in.Ingest(ctx, []string{filepath.Join("..", "..", "bot", "testdata", "stories.jsonl")}); err != nil {
		t.Fatal(err)
	}
	var arts []*knowledge.Article
	cities := []string{"Lisbon", "Oslo", "Tallinn", "Quito", "Hanoi", "Accra"}
	things := []string{"tram line", "harbour bridge", "library", "water plant", "stadium", "airport runway", "museum", "bus depot", "hospital", "seawall"}
	for i := range 60 {
		c, th := cities[i%len(cities)], things[i%len(things)]
		arts = append(arts, &knowledge.Article{
			ID: fmt.Sprintf("inv-%03d", i), Source: "Invented", URL: fmt.Sprintf("https://invented.example/%d", i),
			Title:     fmt.Sprintf("%s opens a new %s after %d years of work", c, th, 2+i%9),
			Published: time.Date(2025, 5, 1+i%28, 9, 0, 0, 0, time.UTC),
			Paragraphs: []string{
				fmt.Sprintf("The city of %s opened its new %s on Monday, officials said, after %d years of construction costing %d million.", c, th, 2+i%9, 10+i),
				fmt.Sprintf("Residents of the %d district welcomed the %s, which the mayor called number %d on her list.", i, th, i*7),
				"Photo: Invented Press / Staff photographer",
			},
		})
	}
	if _, _, err := in.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	changed := *arts[7]
	changed.Paragraphs = append([]string{"Updated: the opening was moved to Tuesday because of rain."}, changed.Paragraphs...)
	if _, _, err := in.Add(ctx, []*knowledge.Article{&changed}); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2025, 6, 9, 7, 0, 0, 0, time.UTC)
	if err := s.PutFeedItems(ctx, "https://invented.example/rss", []feed.ItemState{
		{Key: "a", Fingerprint: "fa", Link: "https://invented.example/1", Title: "one", Published: when, ArticleID: "inv-001", FromPage: true, FirstSeen: when, LastSeen: when},
		{Key: "b", Fingerprint: "fb", Link: "https://invented.example/2", Title: "two", Published: when, Attempts: 2, FirstSeen: when, LastSeen: when},
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFeedState(ctx, feed.FeedState{URL: "https://invented.example/rss", Title: "Invented", ETag: `"x"`, LastFetch: when, LastSuccess: when, NextFetch: when.Add(time.Hour), Items: 2, Articles: 1}); err != nil {
		t.Fatal(err)
	}
	texts, err := s.Unembedded(ctx, model, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var vs []knowledge.DocVector
	for _, dt := range texts[:len(texts)-10] {
		vs = append(vs, knowledge.DocVector{Doc: dt.Doc, Hash: knowledge.TextHash(dt.Text), Vec: []float32{float32(dt.Doc), 1, 2, 3}})
	}
	if err := s.PutVectors(ctx, model, vs, vs[len(vs)-1].Doc); err != nil {
		t.Fatal(err)
	}
}

func openSQLite(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openPostgres(t *testing.T, url string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// vectors returns the model's vectors keyed by their paragraph's article
// and number, with the number of paragraphs still to embed.
func vectors(t *testing.T, s migrate.Store) (map[string][]float32, int) {
	t.Helper()
	ctx := context.Background()
	byDoc := map[int64][]float32{}
	if _, err := s.ScanVectors(ctx, model, 0, func(doc int64, v []float32) error { byDoc[doc] = v; return nil }); err != nil {
		t.Fatal(err)
	}
	docs := slices.Sorted(func(yield func(int64) bool) {
		for d := range byDoc {
			if !yield(d) {
				return
			}
		}
	})
	ps, err := s.Passages(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float32{}
	for _, p := range ps {
		v := byDoc[p.Doc]
		out[fmt.Sprintf("%s#%d", p.ArticleID, p.Paragraph)] = v[1:] // v[0] is the source doc, which differs
	}
	pending, err := s.Unembedded(ctx, model, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return out, len(pending)
}

// TestCopyThereAndBack copies a real SQLite file into PostgreSQL and that
// into a new SQLite file: every table's rows arrive, the searches agree,
// articles keep their times, stories their members' features, vectors their
// paragraphs and the unfinished embedding pass its place.
func TestCopyThereAndBack(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := openSQLite(t, filepath.Join(dir, "source.db"))
	fill(t, src)
	pg := openPostgres(t, pgtest.NewDatabase(t))
	sum, err := migrate.Copy(ctx, src, pg, migrate.Options{Batch: 16})
	if err != nil {
		t.Fatalf("to PostgreSQL: %v (%+v)", err, sum)
	}
	if sum.Articles.Read != 65 || sum.Articles.Copied != 65 || sum.Stories == 0 || sum.Feeds != 1 || !sum.Verified || len(sum.Searches) != 8 {
		t.Fatalf("to PostgreSQL: %+v", sum)
	}
	back := openSQLite(t, filepath.Join(dir, "back.db"))
	sum2, err := migrate.Copy(ctx, pg, back, migrate.Options{})
	if err != nil {
		t.Fatalf("back to SQLite: %v (%+v)", err, sum2)
	}
	if !slices.Equal(sum.Tables, sum2.Tables) {
		t.Errorf("tables there %v, back %v", sum.Tables, sum2.Tables)
	}
	for _, tc := range sum.Tables {
		if tc.Source == 0 {
			t.Errorf("table %s is empty in the source: the test copies nothing of it", tc.Table)
		}
	}
	for _, s := range []migrate.Store{pg, back} {
		a, err := s.Article(ctx, "inv-007")
		if err != nil {
			t.Fatal(err)
		}
		want, _ := src.Article(ctx, "inv-007")
		if !a.FirstSeen.Equal(want.FirstSeen) || !a.Updated.Equal(want.Updated) || a.Updated.IsZero() || !slices.Equal(a.Paragraphs, want.Paragraphs) {
			t.Errorf("inv-007: %+v, want %+v", a, want)
		}
		wantV, wantPending := vectors(t, src)
		gotV, gotPending := vectors(t, s)
		if len(gotV) != len(wantV) || gotPending != wantPending || wantPending != 10 {
			t.Errorf("vectors: %d, %d pending; want %d, %d pending", len(gotV), gotPending, len(wantV), wantPending)
		}
		for k, v := range wantV {
			if !slices.Equal(gotV[k], v) {
				t.Errorf("vector of %s: %v, want %v", k, gotV[k], v)
			}
		}
		wantM, _ := src.StoryMembersBetween(ctx, time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
		gotM, err := s.StoryMembersBetween(ctx, time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if len(wantM) == 0 || !slices.EqualFunc(gotM, wantM, func(a, b knowledge.StoryMember) bool {
			return a == b || (a.ArticleID == b.ArticleID && a.Features == b.Features && a.Published.Equal(b.Published) && a.StoryID == b.StoryID)
		}) {
			t.Errorf("story members: %v, want %v", gotM, wantM)
		}
		items, err := s.FeedItems(ctx, "https://invented.example/rss")
		if err != nil || len(items) != 2 || items[1].Attempts != 2 {
			t.Errorf("feed items: %+v, %v", items, err)
		}
	}
	// The boilerplate paragraph is stored but still not found.
	res, err := migrate.SearchTop(ctx, back, "Photo Invented Press Staff photographer")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 0 {
		t.Errorf("the photo credit is found in the copy: %v", res)
	}
}

// TestResume interrupts a copy after its second batch (the context is
// cancelled) and runs it again: the counts are exact, nothing twice.
func TestResume(t *testing.T) {
	dir := t.TempDir()
	src := openSQLite(t, filepath.Join(dir, "source.db"))
	fill(t, src)
	pg := openPostgres(t, pgtest.NewDatabase(t))
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	_, err := migrate.Copy(ctx, src, pg, migrate.Options{Batch: 10, Progress: func(done, total int) {
		if batches++; batches == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted copy: %v, want context.Canceled", err)
	}
	counts, err := pg.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts["articles"] != 20 {
		t.Fatalf("after the interruption %d articles, want the first two batches' 20", counts["articles"])
	}
	sum, err := migrate.Copy(context.Background(), src, pg, migrate.Options{Batch: 10})
	if err != nil {
		t.Fatalf("resumed copy: %v (%+v)", err, sum)
	}
	if sum.Articles.Unchanged != 20 || sum.Articles.Copied != 45 || !sum.Verified {
		t.Errorf("resumed: %+v", sum.Articles)
	}
	for _, tc := range sum.Tables {
		if tc.Source != tc.Target {
			t.Errorf("%s: %d in the source, %d in the copy", tc.Table, tc.Source, tc.Target)
		}
	}
	// A third run changes nothing.
	sum, err = migrate.Copy(context.Background(), src, pg, migrate.Options{Batch: 10})
	if err != nil || sum.Articles.Copied != 0 || sum.Articles.Unchanged != 65 {
		t.Errorf("third run: %+v, %v", sum.Articles, err)
	}
}

// TestMismatch: a target that holds an article the source has not fails
// the verification with ErrMismatch, naming the table.
func TestMismatch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := openSQLite(t, filepath.Join(dir, "source.db"))
	fill(t, src)
	dst := openSQLite(t, filepath.Join(dir, "target.db"))
	in := &ingest.Ingester{Store: dst}
	if _, _, err := in.Add(ctx, []*knowledge.Article{{ID: "extra", Title: "An extra article", Paragraphs: []string{"Only in the target."}}}); err != nil {
		t.Fatal(err)
	}
	sum, err := migrate.Copy(ctx, src, dst, migrate.Options{})
	if !errors.Is(err, migrate.ErrMismatch) || sum.Verified || len(sum.Mismatch) == 0 {
		t.Fatalf("Copy: %v, %+v", err, sum.Mismatch)
	}
	if _, err := os.Stat(filepath.Join(dir, "target.db")); err != nil {
		t.Fatal(err)
	}
}
