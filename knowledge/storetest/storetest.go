// Package storetest is the one test suite every knowledge.Store engine
// runs (like Litestream's RunWithReplicaClient): engines call Run with a
// function that opens a fresh, empty store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/parse"
)

// Opener returns a new, empty store for one test; the test closes it.
type Opener func(t *testing.T) knowledge.Store

var t0 = time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)

func article(url, title string, published time.Time, paras ...string) *knowledge.Article {
	return &knowledge.Article{URL: url, Title: title, Source: "example.com", Published: published, Paragraphs: paras}
}

func apply(t *testing.T, s knowledge.Store, now time.Time, arts ...*knowledge.Article) index.ApplyResult {
	t.Helper()
	var batch []*index.Prepared
	for _, a := range arts {
		if _, err := parse.Clean(a); err != nil {
			t.Fatalf("clean %q: %v", a.Title, err)
		}
		batch = append(batch, index.Prepare(a))
	}
	res, err := index.Apply(context.Background(), s, batch, now)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return res
}

func search(t *testing.T, ix *index.Index, q knowledge.Query) []knowledge.Passage {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	return res.Passages
}

// Run runs the suite against stores from open.
func Run(t *testing.T, open Opener) {
	t.Run("AddSearchAndFetch", func(t *testing.T) { testAddSearch(t, open(t)) })
	t.Run("ReingestIsUnchanged", func(t *testing.T) { testReingest(t, open(t)) })
	t.Run("UpdateReplacesOldVersion", func(t *testing.T) { testUpdate(t, open(t)) })
	t.Run("CompactKeepsResults", func(t *testing.T) { testCompact(t, open(t)) })
	t.Run("LatestAndStats", func(t *testing.T) { testLatest(t, open(t)) })
	t.Run("DeleteAndPrune", func(t *testing.T) { testDelete(t, open(t)) })
	t.Run("FailedWriteLeavesNothing", func(t *testing.T) { testRollback(t, open(t)) })
	t.Run("Filters", func(t *testing.T) { testFilters(t, open(t)) })
	t.Run("ConcurrentReadersAndWriter", func(t *testing.T) { testConcurrent(t, open(t)) })
	t.Run("LanguageAndFirstSeen", func(t *testing.T) { testLanguage(t, open(t)) })
}

func testAddSearch(t *testing.T, s knowledge.Store) {
	ctx := context.Background()
	g0, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res := apply(t, s, t0,
		article("https://example.com/a", "Rubio and Witkoff to travel to Paris", t0, "Secretary of State Marco Rubio will travel to Paris this week.", "The talks are about Ukraine."),
		article("https://example.com/b", "Storm hits the coast", t0.Add(-24*time.Hour), "A storm brought heavy rain to the coast on Tuesday."),
	)
	if res.Added != 2 || res.Updated != 0 || res.Unchanged != 0 {
		t.Fatalf("apply = %+v, want 2 added", res)
	}
	if g1, _ := s.Generation(ctx); g1 == g0 {
		t.Errorf("generation did not change after a write")
	}
	ix := index.NewIndex(s, nil)
	ps := search(t, ix, knowledge.Query{Text: "who travels to Paris?", K: 5})
	if len(ps) == 0 {
		t.Fatal("search found nothing")
	}
	p := ps[0]
	if p.Paragraph != 1 || !strings.Contains(p.Text, "Marco Rubio") || p.Title != "Rubio and Witkoff to travel to Paris" ||
		p.URL != "https://example.com/a" || p.Source != "example.com" || !p.Published.Equal(t0) {
		t.Errorf("top passage = %+v, want paragraph 1 of the Paris article with its metadata", p)
	}
	if p.ArticleID != knowledge.ArticleID(&knowledge.Article{URL: "https://example.com/a"}) {
		t.Errorf("article id %q is not derived from the URL", p.ArticleID)
	}
	// The title is searched with the paragraph: "Witkoff" is only in the title.
	ps = search(t, ix, knowledge.Query{Text: "Witkoff", K: 5})
	if len(ps) != 2 || ps[0].ArticleID != p.ArticleID {
		t.Errorf("title-only term: got %d passages, want both paragraphs of the Paris article", len(ps))
	}
	a, err := s.Article(ctx, p.ArticleID)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 2 || a.Paragraphs[1] != "The talks are about Ukraine." || !a.FirstSeen.Equal(t0) {
		t.Errorf("Article = %+v", a)
	}
	if _, err := s.Article(ctx, "nope"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Article(nope) error = %v, want ErrNotFound", err)
	}
	if ps := search(t, ix, knowledge.Query{Text: "zzyzx quux"}); len(ps) != 0 {
		t.Errorf("unknown words matched %d passages", len(ps))
	}
}

func testReingest(t *testing.T, s knowledge.Store) {
	ctx := context.Background()
	a := func() *knowledge.Article {
		return article("https://example.com/a?utm_source=x", "Title", t0, "One paragraph.", "Two paragraph.")
	}
	apply(t, s, t0, a())
	g, _ := s.Generation(ctx)
	st, _ := s.Stats(ctx)
	// The same article again, also under another form of its URL.
	b := a()
	b.URL = "https://www.example.com/a/"
	res := apply(t, s, t0.Add(time.Hour), a(), b)
	if res.Unchanged != 2 || res.Added != 0 || res.Updated != 0 {
		t.Errorf("re-ingest (two URL forms, one id) = %+v, want 2 unchanged", res)
	}
	st2, _ := s.Stats(ctx)
	if st2.Articles != st.Articles || st2.Paragraphs != st.Paragraphs {
		t.Errorf("stats after re-ingest = %+v, want %+v", st2, st)
	}
	if g2, _ := s.Generation(ctx); g2 != g {
		t.Errorf("generation moved from %d to %d on a batch that changed nothing", g, g2)
	}
	got, err := s.Article(ctx, knowledge.ArticleID(a()))
	if err != nil || !got.FirstSeen.Equal(t0) || !got.Updated.IsZero() {
		t.Errorf("article after re-ingest = %+v, %v; want first seen %v, never updated", got, err, t0)
	}
}

func testUpdate(t *testing.T, s knowledge.Store) {
	ctx := context.Background()
	apply(t, s, t0, article("https://example.com/u", "Vote count", t0, "Early returns show a narrow lead.", "Counting continues."))
	later := t0.Add(6 * time.Hour)
	res := apply(t, s, later, article("https://example.com/u", "Vote count", t0, "Final results confirm a landslide victory.", "Counting ended.", "Turnout was high."))
	if res.Updated != 1 || len(res.UpdatedIDs) != 1 {
		t.Fatalf("apply changed article = %+v, want 1 updated", res)
	}
	ix := index.NewIndex(s, nil)
	if ps := search(t, ix, knowledge.Query{Text: "narrow lead early returns"}); len(ps) != 0 {
		t.Errorf("old version still found: %+v", ps)
	}
	ps := search(t, ix, knowledge.Query{Text: "landslide"})
	if len(ps) != 1 || ps[0].Paragraph != 1 || !ps[0].Updated.Equal(later) {
		t.Errorf("new version: %+v, want paragraph 1 updated at %v", ps, later)
	}
	a, err := s.Article(ctx, res.UpdatedIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 3 || !a.FirstSeen.Equal(t0) || !a.Updated.Equal(later) {
		t.Errorf("updated article = %+v, want 3 paragraphs, first seen %v, updated %v", a, t0, later)
	}
	st, _ := s.Stats(ctx)
	if st.Articles != 1 || st.Paragraphs != 3 {
		t.Errorf("stats = %+v, want 1 article, 3 paragraphs", st)
	}
}

func testCompact(t *testing.T, s knowledge.Store) {
	ctx := context.Background()
	for i := range 12 {
		apply(t, s, t0, article(fmt.Sprintf("https://example.com/%d", i), fmt.Sprintf("Story %d", i), t0,
			fmt.Sprintf("Paragraph about topic%d and the common thread.", i)))
	}
	// Update two stories so that there are dead docs to drop.
	apply(t, s, t0, article("https://example.com/3", "Story 3", t0, "Rewritten: topic3 revised."))
	apply(t, s, t0, article("https://example.com/4", "Story 4", t0, "Rewritten: topic4 revised."))
	ix := index.NewIndex(s, nil)
	before := search(t, ix, knowledge.Query{Text: "common thread topic7 revised", K: 20})
	snap, _ := s.Snapshot(ctx)
	if len(snap.Segments) < 2 || len(snap.Tombstones) != 2 {
		t.Fatalf("before compaction: %d segments, %d tombstones", len(snap.Segments), len(snap.Tombstones))
	}
	n, err := index.Compact(ctx, s, index.CompactPolicy{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(snap.Segments) {
		t.Errorf("compacted %d segments, want %d", n, len(snap.Segments))
	}
	snap, _ = s.Snapshot(ctx)
	if len(snap.Segments) != 1 || len(snap.Tombstones) != 0 {
		t.Errorf("after compaction: %d segments, %d tombstones; want 1 and 0", len(snap.Segments), len(snap.Tombstones))
	}
	after := search(t, ix, knowledge.Query{Text: "common thread topic7 revised", K: 20})
	if len(after) != len(before) {
		t.Fatalf("results after compaction: %d, before: %d", len(after), len(before))
	}
	for i := range after {
		if after[i].ArticleID != before[i].ArticleID || after[i].Paragraph != before[i].Paragraph {
			t.Errorf("result %d changed by compaction: %s ¶%d, was %s ¶%d", i, after[i].ArticleID, after[i].Paragraph, before[i].ArticleID, before[i].Paragraph)
		}
	}
	// The default policy merges small segments as they accumulate.
	for i := range 6 {
		apply(t, s, t0, article(fmt.Sprintf("https://example.com/x%d", i), "More", t0, "Another paragraph."))
	}
	if _, err := index.Compact(ctx, s, index.CompactPolicy{}); err != nil {
		t.Fatal(err)
	}
	snap, _ = s.Snapshot(ctx)
	if len(snap.Segments) > 5 {
		t.Errorf("default policy left %d segments", len(snap.Segments))
	}
}

func testLatest(t *testing.T, s knowledge.Store) {
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil || st.Articles != 0 {
		t.Fatalf("empty store stats = %+v, %v", st, err)
	}
	for i := range 5 {
		apply(t, s, t0, article(fmt.Sprintf("https://example.com/%d", i), fmt.Sprintf("Day %d", i), t0.AddDate(0, 0, i), "Text."))
	}
	got, err := s.Latest(ctx, knowledge.LatestQuery{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Title != "Day 4" || got[2].Title != "Day 2" {
		t.Errorf("Latest = %v, want Day 4, 3, 2", titles(got))
	}
	got, _ = s.Latest(ctx, knowledge.LatestQuery{Limit: 10, Since: t0.AddDate(0, 0, 1), Until: t0.AddDate(0, 0, 3)})
	if len(got) != 2 || got[0].Title != "Day 2" || got[1].Title != "Day 1" {
		t.Errorf("Latest in window = %v, want Day 2, Day 1", titles(got))
	}
	st, _ = s.Stats(ctx)
	if st.Articles != 5 || st.Paragraphs != 5 || !st.Oldest.Equal(t0) || !st.Newest.Equal(t0.AddDate(0, 0, 4)) {
		t.Errorf("Stats = %+v", st)
	}
}

func titles(as []*knowledge.Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}

func testDelete(t *testing.T, s knowledge.Store) {
	ctx := context.Background()
	apply(t, s, t0, article("https://example.com/old", "Old news", t0.AddDate(0, -6, 0), "An ancient event happened."),
		article("https://example.com/new", "New news", t0, "A recent event happened."))
	n, err := index.Prune(ctx, s, t0.AddDate(0, -1, 0))
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	ix := index.NewIndex(s, nil)
	ps := search(t, ix, knowledge.Query{Text: "event happened"})
	if len(ps) != 1 || ps[0].Title != "New news" {
		t.Errorf("after prune: %+v, want only the new article", ps)
	}
	st, _ := s.Stats(ctx)
	if st.Articles != 1 {
		t.Errorf("articles after prune = %d, want 1", st.Articles)
	}
}

func testRollback(t *testing.T, s knowledge.Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.Write(ctx, func(w knowledge.Writer) error {
		first, err := w.AllocateDocs(ctx, 1)
		if err != nil {
			return err
		}
		a := &knowledge.Article{ID: "x", Title: "Half written", Paragraphs: []string{"text"}}
		if err := w.PutArticles(ctx, []knowledge.StoredArticle{{Article: a, Hash: "h", FirstDoc: first}}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write error = %v, want boom", err)
	}
	if _, err := s.Article(ctx, "x"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("article written by a failed transaction is visible (err %v)", err)
	}
	// A cancelled context aborts the write too.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	var batch []*index.Prepared
	batch = append(batch, index.Prepare(article("https://example.com/c", "Cancelled", t0, "Never stored.")))
	if _, err := index.Apply(cctx, s, batch, t0); err == nil {
		t.Error("Apply with a cancelled context: got nil error")
	}
	if st, _ := s.Stats(ctx); st.Articles != 0 {
		t.Errorf("articles after failed writes = %d, want 0", st.Articles)
	}
}

func testFilters(t *testing.T, s knowledge.Store) {
	a := article("https://apnews.com/x", "Election results", t0, "The election results were announced.")
	a.Source = "AP"
	b := article("https://www.bbc.co.uk/y", "Election day", t0.AddDate(0, 0, -10), "Voters went to the polls for the election.")
	b.Source = "bbc.co.uk"
	c := article("https://example.com/z", "Undated election piece", time.Time{}, "An election essay.")
	apply(t, s, t0, a, b, c)
	ix := index.NewIndex(s, nil)
	q := knowledge.Query{Text: "election", K: 10}
	if got := search(t, ix, q); len(got) != 3 {
		t.Fatalf("unfiltered: %d passages, want 3", len(got))
	}
	q.Sources = []string{"ap"}
	if got := search(t, ix, q); len(got) != 1 || got[0].Source != "AP" {
		t.Errorf("source AP: %+v", got)
	}
	q.Sources = []string{"co.uk"}
	if got := search(t, ix, q); len(got) != 1 || got[0].Source != "bbc.co.uk" {
		t.Errorf("source co.uk: %+v", got)
	}
	q.Sources = nil
	q.Since = t0.AddDate(0, 0, -1)
	if got := search(t, ix, q); len(got) != 1 || got[0].Source != "AP" {
		t.Errorf("since yesterday: %+v, want the AP article only (undated excluded)", got)
	}
	q.Since, q.Until = time.Time{}, t0.AddDate(0, 0, -1)
	if got := search(t, ix, q); len(got) != 1 || got[0].Source != "bbc.co.uk" {
		t.Errorf("until yesterday: %+v, want the BBC article only", got)
	}
}

func testConcurrent(t *testing.T, s knowledge.Store) {
	ctx := context.Background()
	apply(t, s, t0, article("https://example.com/0", "Seed", t0, "Concurrency seed paragraph."))
	ix := index.NewIndex(s, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				res, err := ix.Search(ctx, knowledge.Query{Text: "concurrency paragraph"})
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				if len(res.Passages) == 0 {
					errs <- fmt.Errorf("reader %d: seed article not found", r)
					return
				}
			}
		}()
	}
	for i := range 10 {
		apply(t, s, t0, article(fmt.Sprintf("https://example.com/w%d", i), "Writer", t0, "Concurrency paragraph number "+fmt.Sprint(i)))
		if _, err := index.Compact(ctx, s, index.CompactPolicy{}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	res, err := ix.Search(ctx, knowledge.Query{Text: "concurrency paragraph", K: 20})
	if err != nil || len(res.Passages) != 11 {
		t.Errorf("after writes: %d passages, %v; want 11", len(res.Passages), err)
	}
}

// SharedOpener returns two stores over one new, empty database — two
// instances, as two newsbot processes sharing it would have; the test
// closes them.
type SharedOpener func(t *testing.T) (a, b knowledge.Store)

// RunShared runs the cases about several instances sharing one database:
// what one writes, an Index over the other sees; concurrent writers through
// both keep doc numbers unique and every article whole.
func RunShared(t *testing.T, open SharedOpener) {
	t.Run("WriteSeenByOtherInstance", func(t *testing.T) { testSharedVisibility(t, open) })
	t.Run("ConcurrentWritersAcrossInstances", func(t *testing.T) { testSharedWriters(t, open) })
}

func testSharedVisibility(t *testing.T, open SharedOpener) {
	ctx := context.Background()
	a, b := open(t)
	ix := index.NewIndex(b, nil)
	if ps := search(t, ix, knowledge.Query{Text: "volcano erupted"}); len(ps) != 0 {
		t.Fatalf("empty store found %d passages", len(ps))
	}
	g0, err := b.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, a, t0, article("https://example.com/v", "Volcano erupts", t0, "The volcano erupted on Sunday night."))
	if g1, _ := b.Generation(ctx); g1 == g0 {
		t.Errorf("generation seen through the other instance stayed %d after a write", g0)
	}
	ps := search(t, ix, knowledge.Query{Text: "volcano erupted"})
	if len(ps) != 1 || ps[0].Title != "Volcano erupts" {
		t.Fatalf("index over the other instance: %+v, want the new article", ps)
	}
	// An update and a compaction through a are seen too.
	apply(t, a, t0.Add(time.Hour), article("https://example.com/v", "Volcano erupts", t0, "The volcano erupted again, ash fell on the town."))
	if _, err := index.Compact(ctx, a, index.CompactPolicy{All: true}); err != nil {
		t.Fatal(err)
	}
	ps = search(t, ix, knowledge.Query{Text: "volcano ash"})
	if len(ps) != 1 || !strings.Contains(ps[0].Text, "ash fell") {
		t.Errorf("after update and compaction through the other instance: %+v", ps)
	}
	if st, _ := b.Stats(ctx); st.Articles != 1 || st.Paragraphs != 1 || st.Segments != 1 {
		t.Errorf("stats through the other instance = %+v, want 1 article, 1 paragraph, 1 segment", st)
	}
}

func testSharedWriters(t *testing.T, open SharedOpener) {
	ctx := context.Background()
	a, b := open(t)
	const writers, batches = 4, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*batches*2)
	for wr := range writers {
		s := a
		if wr%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range batches {
				var batch []*index.Prepared
				for j := range 3 { // articles of 1 to 3 paragraphs
					key := fmt.Sprintf("w%db%da%d", wr, i, j)
					paras := []string{}
					for k := range j + 1 {
						paras = append(paras, fmt.Sprintf("Paragraph %d of story %s about marker%s.", k+1, key, key))
					}
					art := article("https://example.com/"+key, "Story "+key, t0, paras...)
					if _, err := parse.Clean(art); err != nil {
						errs <- err
						return
					}
					batch = append(batch, index.Prepare(art))
				}
				if _, err := index.Apply(ctx, s, batch, t0); err != nil {
					errs <- fmt.Errorf("writer %d: %w", wr, err)
					return
				}
				if _, err := index.Compact(ctx, s, index.CompactPolicy{}); err != nil {
					errs <- fmt.Errorf("writer %d compact: %w", wr, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	want := writers * batches * 3
	if st, _ := a.Stats(ctx); st.Articles != want || st.Paragraphs != writers*batches*6 {
		t.Errorf("stats = %+v, want %d articles, %d paragraphs", st, want, writers*batches*6)
	}
	// Each paragraph is indexed once: merges did not race (no new
	// versions here, so no dead docs either).
	snap, err := b.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	indexed := 0
	for _, seg := range snap.Segments {
		indexed += seg.Docs
	}
	if indexed != writers*batches*6 || len(snap.Tombstones) != 0 {
		t.Errorf("segments index %d docs with %d tombstones, want %d and none", indexed, len(snap.Tombstones), writers*batches*6)
	}
	// Every article's doc range is its own.
	var ids []string
	for wr := range writers {
		for i := range batches {
			for j := range 3 {
				ids = append(ids, knowledge.ArticleID(&knowledge.Article{URL: fmt.Sprintf("https://example.com/w%db%da%d", wr, i, j)}))
			}
		}
	}
	var versions map[string]knowledge.Version
	if err := b.Write(ctx, func(w knowledge.Writer) (err error) {
		versions, err = w.Versions(ctx, ids)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(versions) != want {
		t.Fatalf("%d versions, want %d", len(versions), want)
	}
	owner := map[int64]string{}
	for id, v := range versions {
		for d := v.FirstDoc; d < v.FirstDoc+int64(v.Paragraphs); d++ {
			if other, ok := owner[d]; ok {
				t.Errorf("doc %d belongs to both %s and %s", d, other, id)
			}
			owner[d] = id
		}
	}
	// Every article is whole and found by its own marker, through either
	// instance's index.
	for n, s := range []knowledge.Store{a, b} {
		ix := index.NewIndex(s, nil)
		for wr := range writers {
			key := fmt.Sprintf("w%db%da2", wr, batches-1)
			ps := search(t, ix, knowledge.Query{Text: "marker" + key, K: 10})
			if len(ps) != 3 {
				t.Errorf("instance %d: marker%s found %d passages, want 3", n, key, len(ps))
				continue
			}
			for _, p := range ps {
				if !strings.Contains(p.Text, "story "+key+" ") || p.Title != "Story "+key {
					t.Errorf("instance %d: passage %+v is not of story %s", n, p, key)
				}
			}
		}
	}
}

// An article's language is detected when it is stored, kept with it and
// given with its passages, as is the time it was first seen; an undated
// article stays undated.
func testLanguage(t *testing.T, s knowledge.Store) {
	ctx := context.Background()
	fr := article("https://fr.example/tram", "Le tramway de Lyon coûtera 40 millions d'euros", time.Time{},
		"Selon la mairie, les travaux du tramway dureront deux ans et coûteront 40 millions d'euros.")
	en := article("https://en.example/tram", "Lyon tram to cost 40 million euros", t0.AddDate(0, 0, -1),
		"The city said the tram works would take two years.")
	apply(t, s, t0, fr, en)
	ix := index.NewIndex(s, nil)
	for _, tt := range []struct {
		a    *knowledge.Article
		lang string
	}{{fr, "fr"}, {en, "en"}} {
		got, err := s.Article(ctx, tt.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Lang != tt.lang || !got.FirstSeen.Equal(t0) {
			t.Errorf("Article(%s): lang %q, first seen %v; want %q, %v", tt.a.URL, got.Lang, got.FirstSeen, tt.lang, t0)
		}
	}
	if got, _ := s.Article(ctx, fr.ID); !got.Published.IsZero() {
		t.Errorf("undated article published %v", got.Published)
	}
	ps := search(t, ix, knowledge.Query{Text: "tramway Lyon", K: 5})
	if len(ps) == 0 {
		t.Fatal("no passages")
	}
	for _, p := range ps {
		want := map[string]string{fr.ID: "fr", en.ID: "en"}[p.ArticleID]
		if p.Lang != want || !p.FirstSeen.Equal(t0) {
			t.Errorf("passage of %s: lang %q, first seen %v; want %q, %v", p.URL, p.Lang, p.FirstSeen, want, t0)
		}
	}
}
