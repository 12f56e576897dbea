package index_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// Boilerplate stays in the store (the article keeps every paragraph) but is
// never a search result; a summary label or a live-update stamp is
// stripped and its text kept, and a gallery entry behind a stamp is still
// boilerplate.
func TestBoilerplateNeverFound(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC)
	arts := []*knowledge.Article{{URL: "https://a.example/fire", Title: "Wildfire spreads", Source: "a.example", Published: day, Paragraphs: []string{
		"AI-assisted summary: The Eaton fire has burned 14,000 acres in Altadena.",
		"Firefighters battle the Eaton fire in Altadena. Kevin Frayer/Getty Images",
		"Kevin Frayer/Getty Images",
		"Updated Jan. 8, 2025, 7:02 a.m. ET",
		"Sign up for our wildfire newsletter to get the latest Eaton fire updates.",
		"Firefighters said the Eaton fire was 3% contained by Wednesday night.",
		"7:55 pm ET Jan. 8, 2025 Share this update Officials lifted evacuation orders in Altadena.",
		"8:10 pm ET Jan. 8, 2025 Share this update Photos: The Eaton fire in Altadena",
	}}}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	res, err := index.NewIndex(s, nil).Search(ctx, knowledge.Query{Text: "Eaton fire Altadena firefighters Getty updated newsletter evacuation photos", K: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, p := range res.Passages {
		got[p.Paragraph] = p.Text
	}
	for _, n := range []int{3, 4, 5, 8} {
		if _, ok := got[n]; ok {
			t.Errorf("boilerplate paragraph %d was found: %q", n, got[n])
		}
	}
	if got[1] != "The Eaton fire has burned 14,000 acres in Altadena." || got[6] == "" || got[7] != "Officials lifted evacuation orders in Altadena." {
		t.Errorf("story paragraphs found = %v; want 1 (its label stripped), 6 and 7 (its stamp stripped)", got)
	}
	photos, err := index.NewIndex(s, nil).Search(ctx, knowledge.Query{Text: "photos", K: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range photos.Passages {
		t.Errorf("the gallery entry behind a stamp was found: paragraph %d, %q", p.Paragraph, p.Text)
	}
	a, err := s.Article(ctx, res.Passages[0].ArticleID)
	if err != nil || len(a.Paragraphs) != 8 || !strings.HasPrefix(a.Paragraphs[2], "Kevin Frayer") {
		t.Errorf("stored article = %v (%v); want all 8 paragraphs kept", a, err)
	}
}

// A store indexed by an older analyser (boilerplate in its postings) is
// re-indexed from its stored articles, keeping every doc number: the
// boilerplate words then find nothing, the story's words still find it,
// and a second Reindex has nothing to do.
func TestReindexOlderAnalyzer(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC)
	in := &ingest.Ingester{Store: s}
	for i, u := range []string{"https://a.example/fire", "https://b.example/fire"} {
		arts := []*knowledge.Article{{URL: u, Title: "Wildfire spreads", Source: "a.example", Published: day.AddDate(0, 0, i), Paragraphs: []string{
			fmt.Sprintf("Firefighters said the Eaton fire was %d%% contained by Wednesday night.", 3+i),
			"Kevin Frayer/Getty Images",
		}}}
		if _, _, err := in.Add(ctx, arts); err != nil { // two batches: two segments
			t.Fatal(err)
		}
	}
	if err := index.MakeAnalyzer1(ctx, s); err != nil {
		t.Fatal(err)
	}
	// As the first release left it: the credit is in the postings (the
	// search's own filter still hides it from results).
	frayer := func() int {
		_, lists, err := s.Postings(ctx, analysis.Terms("Frayer", nil))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, l := range lists {
			n += len(l)
		}
		return n
	}
	if frayer() == 0 {
		t.Fatal("the old-analyser store has no postings for the credit; the test sets up nothing")
	}
	before, err := index.NewIndex(s, nil).Search(ctx, knowledge.Query{Text: "Eaton fire contained", K: 5})
	if err != nil || len(before.Passages) != 2 {
		t.Fatalf("before: %+v, %v", before, err)
	}
	n, err := index.Reindex(ctx, s)
	if err != nil || n == 0 {
		t.Fatalf("Reindex = %d, %v; want the old segments rebuilt", n, err)
	}
	if frayer() != 0 {
		t.Error("after Reindex the credit is still in the postings")
	}
	after, err := index.NewIndex(s, nil).Search(ctx, knowledge.Query{Text: "Eaton fire contained", K: 5})
	if err != nil || len(after.Passages) != 2 {
		t.Fatalf("after: %+v, %v", after, err)
	}
	for i := range after.Passages {
		if after.Passages[i].Doc != before.Passages[i].Doc {
			t.Errorf("result %d is doc %d after Reindex, %d before: doc numbers must not change", i, after.Passages[i].Doc, before.Passages[i].Doc)
		}
	}
	if n, err := index.Reindex(ctx, s); err != nil || n != 0 {
		t.Errorf("second Reindex = %d, %v; want nothing to do", n, err)
	}
}

// A store ingested before stamps were stripped keeps them in its
// paragraphs: search strips them from what it returns and classifies the
// rest, so a gallery entry behind a stamp is not an answer there either.
func TestStampedParagraphsOfOlderStores(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC)
	// index.Apply without ingest's parse.Clean: the text as older
	// releases stored it.
	a := &knowledge.Article{URL: "https://a.example/live", Title: "Eaton fire live updates", Source: "a.example", Published: day, Paragraphs: []string{
		"7:55 pm ET Jan. 8, 2025 Share this update Officials lifted evacuation orders in Altadena.",
		"8:10 pm ET Jan. 8, 2025 Share this update Photos: Crews battle the Eaton fire above Altadena",
	}}
	if _, err := index.Apply(ctx, s, []*index.Prepared{index.Prepare(a)}, day); err != nil {
		t.Fatal(err)
	}
	res, err := index.NewIndex(s, nil).Search(ctx, knowledge.Query{Text: "Altadena", K: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Passages {
		got = append(got, fmt.Sprintf("%d %s", p.Paragraph, p.Text))
	}
	if len(got) != 1 || got[0] != "1 Officials lifted evacuation orders in Altadena." {
		t.Errorf("found %q; want only paragraph 1, its stamp stripped", got)
	}
}
