package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// Several outlets naming the same answer give a short answer; the sample
// alone (one article) gives none.
func TestShortAnswer(t *testing.T) {
	day := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	arts := []*knowledge.Article{
		{URL: "https://a.example/granogue", Title: "Historic estate has a new owner", Source: "Delaware Online", Published: day,
			Paragraphs: []string{"The historic du Pont estate Granogue has a new owner: the estate was given to Longwood Gardens, the family said."}},
		{URL: "https://b.example/granogue", Title: "Longwood Gardens takes over Granogue", Source: "WHYY", Published: day,
			Paragraphs: []string{"Granogue, the du Pont estate near Wilmington, will be owned by Longwood Gardens from next year."}},
		{URL: "https://c.example/granogue", Title: "Du Pont family hands estate on", Source: "AP", Published: day,
			Paragraphs: []string{"The new owner of the Granogue estate is Longwood Gardens, which plans to open it to visitors."}},
		{URL: "https://d.example/rates", Title: "Bank holds rates", Source: "AP", Published: day,
			Paragraphs: []string{"The central bank held interest rates on Thursday, its governor said."}},
	}
	a := askOn(t, day, arts, "Who is the new owner of the du Pont estate Granogue?")
	if a.Short != "Longwood Gardens" {
		t.Errorf("short answer = %q, want Longwood Gardens (answer %q)", a.Short, a.Text)
	}
	sb, _ := seedBot(t)
	a, err := sb.Ask(context.Background(), bot.Question{Text: "Who is travelling to Paris and when?"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Short != "" {
		t.Errorf("one article gave the short answer %q", a.Short)
	}
}

// A short answer stands in the quotes as shown: a sentence quoted cut
// short (longer than a quote may be) does not lend the answer it lost.
func TestShortAnswerIsInTheQuotes(t *testing.T) {
	day := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	filler := strings.Repeat("after a long review of the gardens, the greenhouses, the woods and the old stone barns by the family and its lawyers, ", 4)
	var arts []*knowledge.Article
	for i, src := range []string{"Delaware Online", "WHYY", "AP"} {
		arts = append(arts, &knowledge.Article{URL: fmt.Sprintf("https://%c.example/granogue", 'a'+i), Title: "Historic estate has a new owner",
			Source: src, Published: day, Paragraphs: []string{"The new owner of the du Pont estate Granogue, " + filler + "is Longwood Gardens."}})
	}
	a := askOn(t, day, arts, "Who is the new owner of the du Pont estate Granogue?")
	if !strings.Contains(a.Text, "…") || strings.Contains(a.Text, "Longwood") {
		t.Fatalf("the quotes are not cut before the answer: %q", a.Text)
	}
	if a.Short != "" {
		t.Errorf("short answer %q, which the quotes do not show: %q", a.Short, a.Text)
	}
}

// askOn asks question, on day at noon, of a bot over a new store holding
// arts.
func askOn(t *testing.T, day time.Time, arts []*knowledge.Article, question string) *bot.Answer {
	t.Helper()
	ctx := context.Background()
	s := testkit.Store(t)
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	b := &bot.Bot{Retriever: index.NewIndex(s, nil), Library: s, Location: time.UTC,
		Now: func() time.Time { return day.Add(12 * time.Hour) }}
	a, err := b.Ask(ctx, bot.Question{Text: question})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A question naming a thing news writes in lower case takes a noun span,
// and no name; "which country" is not answered by the stories' home
// country.
func TestShortAnswerKinds(t *testing.T) {
	day := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	three := func(slug string, paras ...string) []*knowledge.Article {
		var arts []*knowledge.Article
		for i, p := range paras {
			arts = append(arts, &knowledge.Article{URL: fmt.Sprintf("https://%c.example/%s", 'a'+i, slug), Title: "Recall widens",
				Source: fmt.Sprintf("Outlet %d", i), Published: day, Paragraphs: []string{p}})
		}
		// Other news, for the question's words to be rare.
		for i, p := range []string{"The central bank held interest rates on Thursday.", "The storm moved north overnight.",
			"The team won its third game in a row."} {
			arts = append(arts, &knowledge.Article{URL: fmt.Sprintf("https://other.example/%s/%d", slug, i), Title: "Other news",
				Source: "Wire", Published: day, Paragraphs: []string{p}})
		}
		return arts
	}
	for _, c := range []struct {
		question string
		arts     []*knowledge.Article
		want     string
	}{
		{"Which type of outbreak has been linked to recalled pasta meals?", three("pasta",
			"A listeria outbreak has been linked to recalled pasta meals sold at Kroger, the FDA said.",
			"Health officials said the listeria outbreak linked to the pasta meals has sickened 19 people.",
			"Recalled pasta meals were linked to a listeria outbreak in 18 states."), "listeria"},
		{"Which coin was minted for the last time this week?", three("coin",
			"The last coin was minted this week at the Philadelphia Mint, the Treasury said.",
			"Workers at the Philadelphia Mint minted the last coin this week.",
			"The Philadelphia Mint minted its last coin this week after 230 years."), ""},
		{"Which country returned two giant pandas to China this week?", three("pandas",
			"Two giant pandas returned to China this week from a zoo in the U.S.",
			"The U.S. returned two giant pandas to China this week, zoo officials said.",
			"The giant pandas flew from the U.S. to China this week."), ""},
		// "What type of" asks for a thing named in lower case, not a name.
		{"What type of nest was found at the old bomb site?", three("nest",
			"Workers at the old bomb site in Hanford found a nest, Hanford officials said.",
			"The nest found at the old bomb site in Hanford was radioactive.",
			"Hanford crews removed the nest from the old bomb site."), ""},
		// Nor is it the answer to "where"; a day of the week alone is no
		// date.
		{"Where was the ousted general flown after his capture?", three("general",
			"The ousted general was flown to the U.S. after his capture, officials said.",
			"After his capture the ousted general was flown to the U.S. on a military jet.",
			"The U.S. flew the ousted general out after his capture."), ""},
		{"On which day will the ban on the video app take effect?", three("ban",
			"The ban on the video app will take effect Friday, officials said.",
			"Officials said the video app ban takes effect Friday.",
			"The ban on the video app takes effect Friday unless courts step in."), ""},
	} {
		a := askOn(t, day, c.arts, c.question)
		if a.Short != c.want {
			t.Errorf("%q: short answer %q, want %q (answer %q)", c.question, a.Short, c.want, a.Text)
		}
	}
}

// "Who did Witkoff meet?" asks for the object of "meet": the names written
// alongside its subject ("Rubio and Witkoff", "Marco Rubio and Steve
// Witkoff") are his companions, not the answer.
func TestObjectQuestionSkipsTheSubjectsCompanions(t *testing.T) {
	sb, _ := seedBot(t)
	a, err := sb.Ask(context.Background(), bot.Question{Text: "Who did Witkoff meet last week?"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Short, "Rubio") || !strings.Contains(a.Text, "Witkoff met last week with Russian President Vladimir Putin") {
		t.Errorf("short answer %q, answer %q; want no Rubio, and the sentence with Putin quoted", a.Short, a.Text)
	}
}
