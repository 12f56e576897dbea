package index_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// A wire story printed word for word by two outlets is one result, the
// other outlet listed in AlsoIn.
func TestWireCopiesCollapse(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	wire := "The volcano erupted on Tuesday, sending ash over the northern villages."
	arts := []*knowledge.Article{
		{URL: "https://a.example/volcano", Title: "Volcano erupts", Source: "a.example", Published: day, Paragraphs: []string{wire, "Officials in A said more."}},
		{URL: "https://b.example/volcano", Title: "Eruption in the north", Source: "b.example", Published: day, Paragraphs: []string{"  the volcano erupted on Tuesday,  sending ash over the northern villages.", "Officials in B said less."}},
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	res, err := index.NewIndex(s, nil).Search(ctx, knowledge.Query{Text: "volcano ash villages", K: 5})
	if err != nil {
		t.Fatal(err)
	}
	copies := 0
	for _, p := range res.Passages {
		if p.Paragraph == 1 {
			copies++
			if len(p.AlsoIn) != 1 || p.AlsoIn[0].Source == p.Source || p.AlsoIn[0].Text != "" {
				t.Errorf("paragraph 1 of %s: AlsoIn = %+v, want the other outlet", p.Source, p.AlsoIn)
			}
		}
	}
	if copies != 1 {
		t.Errorf("%d results for the wire paragraph, want 1", copies)
	}
}

// DocFreqs counts the paragraphs and headlines holding each term, leaves
// out the terms none holds, and sees articles added after the index was
// first read.
func TestDocFreqs(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	add := func(url, title string, paras ...string) {
		t.Helper()
		if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, []*knowledge.Article{{URL: url, Title: title, Source: "a.example", Published: day, Paragraphs: paras}}); err != nil {
			t.Fatal(err)
		}
	}
	add("https://a.example/1", "Volcano erupts", "The volcano erupted on Tuesday.", "Ash fell on two villages.")
	ix := index.NewIndex(s, nil)
	got, err := ix.DocFreqs(ctx, []string{"volcano", "ash", "glacier"})
	if err != nil {
		t.Fatal(err)
	}
	if got["volcano"] != 2 || got["ash"] != 1 || len(got) != 2 {
		t.Errorf("DocFreqs = %v, want volcano 2 (a paragraph and the headline), ash 1, no glacier", got)
	}
	add("https://a.example/2", "Glacier melts", "The glacier lost a tenth of its ice.")
	if got, err := ix.DocFreqs(ctx, []string{"glacier"}); err != nil || got["glacier"] != 2 {
		t.Errorf("after adding an article: DocFreqs(glacier) = %v, %v; want 2", got, err)
	}
}

// A term asked for twice is counted once, and leaves the postings the
// index keeps for later searches as they were: the store returns a term's
// postings once per time it is asked, and the first words of a question
// are often asked again ("zodiac … zodiac"), so that a search after them
// scored every paragraph of the term twice over.
func TestDocFreqsRepeatedTerm(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	arts := []*knowledge.Article{
		{URL: "https://a.example/1", Title: "Volcano erupts", Source: "a.example", Published: day, Paragraphs: []string{"The volcano erupted on Tuesday.", "Ash fell on two villages near the volcano."}},
		{URL: "https://a.example/2", Title: "Villages cleaned", Source: "a.example", Published: day, Paragraphs: []string{"The villages were cleaned of ash."}},
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	q := knowledge.Query{Text: "volcano ash villages", K: 5}
	want, err := index.NewIndex(s, nil).Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	ix := index.NewIndex(s, nil)
	got, err := ix.DocFreqs(ctx, []string{"volcano", "ash", "volcano", "ash"})
	if err != nil || got["volcano"] != 3 || got["ash"] != 2 {
		t.Errorf("DocFreqs(volcano, ash, volcano, ash) = %v, %v; want volcano 3, ash 2", got, err)
	}
	res, err := ix.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Passages) != len(want.Passages) {
		t.Fatalf("after DocFreqs: %d passages, want %d", len(res.Passages), len(want.Passages))
	}
	for i, p := range res.Passages {
		if p.Score != want.Passages[i].Score || p.Text != want.Passages[i].Text {
			t.Errorf("after DocFreqs: passage %d %q score %v, want %q score %v", i, p.Text, p.Score, want.Passages[i].Text, want.Passages[i].Score)
		}
	}
}
