package bot_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	goldenfile "github.com/newsbot/newsbot/internal/golden"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// seedBot returns a bot over a real SQLite file holding the seed article.
func seedBot(t testing.TB) (*bot.Bot, *sqlite.Store) {
	t.Helper()
	s := testkit.SampleStore(t)
	return testkit.Bot(s, nil), s
}

func TestSeedQuestions(t *testing.T) {
	b, _ := seedBot(t)
	tests := []struct {
		question  string
		want      []string // all must be in the answer text
		paragraph int      // paragraph of the first citation
	}{
		{"Who is travelling to Paris and when?", []string{"Marco Rubio", "Steve Witkoff", "Paris this week"}, 1},
		{"Who met Vladimir Putin last week?", []string{"Witkoff met last week with Russian President Vladimir Putin"}, 6},
		{"What did Moscow and Kyiv agree to last month?", []string{"30-day halt on strikes on energy facilities"}, 7},
		{"Where were earlier rounds of negotiations held?", []string{"Saudi Arabia"}, 6},
		// "last week" is the article's own words, not only a window.
		{"Which Russian leader did Witkoff meet last week?", []string{"Vladimir Putin"}, 6},
		// Asked with "did", searched as the news writes it ("met").
		{"Who did Witkoff meet last week?", []string{"Witkoff met last week with Russian President Vladimir Putin"}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := b.Ask(context.Background(), bot.Question{Text: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Found || a.Mode != bot.ModeTemplate {
				t.Fatalf("found=%v mode=%q; answer %q", a.Found, a.Mode, a.Text)
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("answer %q does not contain %q", a.Text, w)
				}
			}
			if len(a.Citations) == 0 || a.Citations[0].Paragraph != tt.paragraph {
				t.Fatalf("citations = %+v, want paragraph %d first", a.Citations, tt.paragraph)
			}
			c := a.Citations[0]
			if c.N != 1 || !strings.Contains(a.Text, "[1]") || c.Source != "AP" || c.Title == "" ||
				!c.Published.Equal(time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)) || !strings.Contains(c.Text, c.Quote) {
				t.Errorf("citation = %+v", c)
			}
			// Every marker in the text has a citation and vice versa.
			for _, c := range a.Citations {
				if !strings.Contains(a.Text, "["+strconv.Itoa(c.N)+"]") {
					t.Errorf("citation %d not referenced in %q", c.N, a.Text)
				}
			}
		})
	}
}

func TestNothingRelevant(t *testing.T) {
	b, _ := seedBot(t)
	for _, q := range []string{
		"What is the capital of Mongolia?",
		"Who won the World Cup final?",
		"weather forecast for Tokyo tomorrow",
	} {
		a, err := b.Ask(context.Background(), bot.Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if a.Found || len(a.Citations) != 0 || strings.Contains(a.Text, "[1]") {
			t.Errorf("%q: found=%v, %d citations, text %q; want a plain not-found", q, a.Found, len(a.Citations), a.Text)
		}
		if !strings.Contains(a.Text, "couldn't find") {
			t.Errorf("%q: text %q does not say nothing was found", q, a.Text)
		}
	}
}

func TestEmptyStore(t *testing.T) {
	s := testkit.Store(t)
	b := &bot.Bot{Retriever: index.NewIndex(s, nil), Library: s}
	a, err := b.Ask(context.Background(), bot.Question{Text: "anything new?"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Found || !strings.Contains(a.Text, "newsbot ingest") {
		t.Errorf("empty store answer = %q, want a hint to ingest", a.Text)
	}
}

func TestBadQuestions(t *testing.T) {
	b, _ := seedBot(t)
	for _, tt := range []struct {
		q    string
		want error
	}{
		{"", bot.ErrEmptyQuestion},
		{"   \t\n ", bot.ErrEmptyQuestion},
		{strings.Repeat("why ", 300), bot.ErrQuestionTooLong},
	} {
		_, err := b.Ask(context.Background(), bot.Question{Text: tt.q})
		if !errors.Is(err, tt.want) {
			t.Errorf("Ask(%.20q) error = %v, want %v", tt.q, err, tt.want)
		}
		if msg := bot.UserMessage(err); msg == "" || strings.Contains(msg, "Sorry, something went wrong") {
			t.Errorf("UserMessage(%v) = %q, want a specific message", err, msg)
		}
	}
}

func TestFollowUpUsesHistory(t *testing.T) {
	b, _ := seedBot(t)
	// Alone, "and where?" has nothing to search for.
	a, err := b.Ask(context.Background(), bot.Question{Text: "and where?"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Found {
		t.Errorf("'and where?' without history found %q", a.Text)
	}
	a, err = b.Ask(context.Background(), bot.Question{Text: "and where?", History: []string{"Who held negotiations?"}})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || !strings.Contains(a.Text, "negotiations") {
		t.Errorf("follow-up answer = %q, want one about the negotiations", a.Text)
	}
	// A follow-up that starts like one but has words of its own is still
	// answered when the earlier question leads nowhere.
	a, err = b.Ask(context.Background(), bot.Question{Text: "and where were negotiations held?", History: []string{"What is the capital of Mongolia?"}})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || !strings.Contains(a.Text, "Saudi Arabia") {
		t.Errorf("'and where were negotiations held?' after an unrelated question = %q", a.Text)
	}
	// A new question with words of its own is not answered about the old
	// topic.
	a, err = b.Ask(context.Background(), bot.Question{Text: "What is the capital of Mongolia?", History: []string{"Who met Vladimir Putin last week?"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Found {
		t.Errorf("unrelated question after history answered %q", a.Text)
	}
}

func TestLatest(t *testing.T) {
	b, _ := seedBot(t)
	hs, err := b.Latest(context.Background(), "", 5)
	if err != nil || len(hs) != 1 || hs[0].Source != "AP" {
		t.Errorf("Latest = %+v, %v", hs, err)
	}
	hs, err = b.Latest(context.Background(), "Ukraine peace talks", 5)
	if err != nil || len(hs) != 1 {
		t.Errorf("Latest(topic) = %+v, %v", hs, err)
	}
	hs, err = b.Latest(context.Background(), "cricket", 5)
	if err != nil || len(hs) != 0 {
		t.Errorf("Latest(unrelated topic) = %+v, %v; want none", hs, err)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, []byte(got))
}

func TestTemplateAnswerGolden(t *testing.T) {
	b, _ := seedBot(t)
	var out strings.Builder
	for _, q := range []string{"Who is travelling to Paris and when?", "What did Moscow and Kyiv agree to last month?", "What is the capital of Mongolia?", "whre are the tlaks?"} {
		a, err := b.Ask(context.Background(), bot.Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString("Q: " + q + "\nA: " + a.Text + "\n\n")
	}
	golden(t, "template_answers.golden", out.String())
}

// The window a question names reaches the ranking: the same story at three
// dates, each question picks the article from its window, and says so.
func TestWindowReachesRanking(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	arts := []*knowledge.Article{
		{URL: "https://example.com/council-march", Title: "Council votes on the harbour budget", Source: "Example Times", Published: day(3, 3),
			Paragraphs: []string{"The city council voted on the harbour budget and approved a new ferry pier."}},
		{URL: "https://example.com/council-weekend", Title: "Council votes on the harbour budget again", Source: "Example Times", Published: day(4, 12),
			Paragraphs: []string{"The city council voted on the harbour budget and cut the dredging fund."}},
		{URL: "https://example.com/council-yesterday", Title: "Council votes on the harbour budget once more", Source: "Example Times", Published: day(4, 15),
			Paragraphs: []string{"The city council voted on the harbour budget and doubled the lighthouse repairs."}},
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	b := testkit.Bot(s, nil)
	tests := []struct {
		question, want, window string
	}{
		{"What did the city council vote on the harbour budget yesterday?", "lighthouse", "From articles of 15–16 April 2025"},
		{"What did the city council vote on the harbour budget on April 12?", "dredging", "From articles of 12 April 2025"},
		{"What did the city council vote on the harbour budget in March?", "ferry pier", "From articles of March 2025"},
		{"What is the city council doing about the harbour budget?", "lighthouse", ""}, // present tense: the newest
	}
	for _, tt := range tests {
		a, err := b.Ask(ctx, bot.Question{Text: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Found || !strings.Contains(a.Citations[0].Quote, tt.want) {
			t.Errorf("%q: first citation %q, want the one about %q (answer %q)", tt.question, a.Citations[0].Quote, tt.want, a.Text)
		}
		if tt.window != "" && !strings.HasPrefix(a.Text, tt.window) {
			t.Errorf("%q: answer %q does not start with %q", tt.question, a.Text, tt.window)
		}
		// An answer "from articles of" the window quotes none older; one
		// quoting several articles of one outlet dates each.
		for _, c := range a.Citations {
			if tt.window != "" && !c.Published.Equal(a.Citations[0].Published) {
				t.Errorf("%q: quotes an article of %v besides the window's", tt.question, c.Published)
			}
			if label := "Example Times, " + c.Published.Format("2 Jan 2006") + ":"; !strings.Contains(a.Text, label) {
				t.Errorf("%q: answer %q does not introduce the article of %v with %q", tt.question, a.Text, c.Published, label)
			}
		}
	}
	// Asked as of 5 March, the April articles do not exist yet.
	a, err := b.Ask(ctx, bot.Question{Text: "What did the city council vote on the harbour budget?", AsOf: day(3, 5).Add(12 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range a.Citations {
		if c.Published.After(day(3, 5)) {
			t.Errorf("as of 5 March the answer cites an article of %v", c.Published)
		}
	}
}

// A question for the news in general gets a digest of the newest articles
// of its window, each cited.
func TestDigest(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := func(d int) time.Time { return time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC) }
	arts := []*knowledge.Article{
		{URL: "https://example.com/old", Title: "Old", Source: "Example Times", Published: day(1), Paragraphs: []string{"An old story. More."}},
		{URL: "https://example.com/y1", Title: "Bridge", Source: "Example Times", Published: day(15), Paragraphs: []string{"CITY (AP) — The bridge reopened after repairs. Traffic resumed."}},
		{URL: "https://example.com/y2", Title: "Tram", Source: "Daily Example", Published: day(16), Paragraphs: []string{"The new tram line opened on Wednesday."}},
		// A copy of the same story under the same headline: one line.
		{URL: "https://wire.example/tram", Title: "Tram", Source: "Wire Example", Published: day(15), Paragraphs: []string{"The new tram line opened on Wednesday, officials said."}},
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	b := testkit.Bot(s, nil)
	a, err := b.Ask(ctx, bot.Question{Text: "What happened yesterday?"})
	if err != nil {
		t.Fatal(err)
	}
	want := "The latest from 15–16 April 2025:\n" +
		"• Tram — Daily Example, 16 Apr 2025 (also: Wire Example) [1]\n" +
		"• Bridge — Example Times, 15 Apr 2025 [2]"
	if !a.Found || a.Text != want || len(a.Citations) != 2 || a.Citations[1].Paragraph != 1 {
		t.Errorf("digest = %q (%d citations), want %q", a.Text, len(a.Citations), want)
	}
	a, err = b.Ask(ctx, bot.Question{Text: "any news?"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || len(a.Citations) != 3 || !strings.HasPrefix(a.Text, "The latest news:\n") {
		t.Errorf("digest without a window = %q", a.Text)
	}
}

// News sentences often name the subject in one sentence and give the
// answer in the next, which repeats none of the question's words: the
// template answer quotes that next sentence too when it holds the kind of
// answer asked for.
func TestTemplateQuotesTheNextSentenceWithTheAnswer(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
	arts := []*knowledge.Article{{URL: "https://valley.example/lanterns", Title: "City prepares for its biggest celebration", Source: "valley.example", Published: day,
		Paragraphs: []string{
			"The festival of lanterns is the city's biggest celebration, drawing thousands of visitors every spring. It opens on March 3 with a parade along the river.",
			"Hotels expect record bookings, the tourism office said.",
		}}}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	b := &bot.Bot{Retriever: index.NewIndex(s, nil), Library: s, Location: time.UTC,
		Now: func() time.Time { return day.Add(36 * time.Hour) }}
	a, err := b.Ask(ctx, bot.Question{Text: "When does the festival of lanterns start?"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || !strings.Contains(a.Text, "festival of lanterns is") || !strings.Contains(a.Text, "It opens on March 3") {
		t.Errorf("answer = %q, want the sentence naming the festival and the one with its date", a.Text)
	}
	// A next sentence without the kind of answer asked for is left out.
	a, err = b.Ask(ctx, bot.Question{Text: "What percentage of the city's visitors come for the festival of lanterns?"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || strings.Contains(a.Text, "March 3") {
		t.Errorf("answer = %q, want only the sentence with the visitors (no percentage follows)", a.Text)
	}
}

// A paragraph of 200 KB without a sentence end (such text arrives from
// feeds and files) gives an answer of bounded length, cut at a word.
func TestAnswerBoundedOnHugeParagraph(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
	var hb strings.Builder // ~200 KB, no full stop
	hb.WriteString("the lantern festival parade drew crowds along the river")
	for i := 0; hb.Len() < 200_000; i++ {
		hb.WriteString(" filler" + strconv.Itoa(i) + " words")
	}
	huge := hb.String()
	arts := []*knowledge.Article{{URL: "https://valley.example/huge", Title: strings.Repeat("Lantern festival ", 100), Source: "valley.example", Published: day,
		Paragraphs: []string{huge, "Hotels expect record bookings, the tourism office said."}},
		{URL: "https://valley.example/rates", Title: "Bank holds rates", Source: "valley.example", Published: day,
			Paragraphs: []string{"The central bank held interest rates on Thursday.", "Markets rose after the decision."}}}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	b := &bot.Bot{Retriever: index.NewIndex(s, nil), Library: s, Location: time.UTC,
		Now: func() time.Time { return day.Add(36 * time.Hour) }}
	a, err := b.Ask(ctx, bot.Question{Text: "What did the lantern festival parade draw along the river?"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found {
		t.Fatalf("answer = %q, want one from the huge paragraph", a.Text)
	}
	if n := len([]rune(a.Text)); n > 2000 {
		t.Errorf("answer is %d characters, want at most 2000", n)
	}
	for _, c := range a.Citations {
		if n := len([]rune(c.Quote)); n > 400*3+2 {
			t.Errorf("citation %d quotes %d characters", c.N, n)
		}
		if n := len([]rune(c.Title)); n > 300 {
			t.Errorf("citation %d title is %d characters", c.N, n)
		}
	}
	if !strings.Contains(a.Text, "…") {
		t.Errorf("answer %q does not show the cut", a.Text)
	}
}

// Search reports the query it served (eval --fit trains on it): the
// window phrase is out of the text and is a preference instead, and the
// as-of date is the question's.
func TestSearchReportsTheServedQuery(t *testing.T) {
	b, _ := seedBot(t)
	asOf := time.Date(2025, 4, 16, 12, 0, 0, 0, time.UTC)
	res, err := b.Search(context.Background(), bot.Question{Text: "Who met Vladimir Putin last week?", AsOf: asOf}, 10)
	if err != nil {
		t.Fatal(err)
	}
	q := res.Query
	if strings.Contains(q.Text, "last week") || !strings.Contains(q.Text, "Putin") {
		t.Errorf("served text %q; want the question without its window phrase", q.Text)
	}
	if q.PreferSince.IsZero() || q.PreferBoost <= 1 || !q.AsOf.Equal(asOf) {
		t.Errorf("served query %+v; want last week preferred, as of %v", q, asOf)
	}
}

// A window that holds no article is said to be empty, both when asking for
// its news (the latest headlines follow, said to be from another time) and
// when asking about a subject (the articles held are counted, not said to
// be from the window).
func TestEmptyWindowSaysSo(t *testing.T) {
	b, _ := seedBot(t)
	ctx := context.Background()
	asOf := time.Date(2025, 4, 17, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ question, want string }{
		{"What happened on April 15?", "Nothing from 15 April 2025; the latest I have:\n• Top Trump officials will hold talks with Europeans on the Russia-Ukraine war — AP, 16 Apr 2025 [1]"},
		{"Was ist am 15. April passiert?", "Aus dem Zeitraum 15. April 2025 habe ich nichts; das Neueste, das ich habe:\n• Top Trump officials"},
		{"What is the capital of Mongolia on April 15?", "I couldn't find anything about that from 15 April 2025 in the 1 article I have (from 16 Apr 2025). Try other words or a wider time span."},
		{"What happened on April 16?", "The latest from 16 April 2025:\n• Top Trump officials"},
	} {
		a, err := b.Ask(ctx, bot.Question{Text: tt.question, AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(a.Text, tt.want) {
			t.Errorf("%q:\n%s\nwant it to start with\n%s", tt.question, a.Text, tt.want)
		}
	}
}

// A bare follow-up with nothing before it ("why?", "on which day?") asks
// for a subject instead of quoting whatever mentions a day; with a
// question before it, it is answered about that one.
func TestFollowUpWithoutSubject(t *testing.T) {
	b, _ := seedBot(t)
	ctx := context.Background()
	for _, q := range []string{"why?", "On which day?", "who else?"} {
		a, err := b.Ask(ctx, bot.Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if a.Found || !strings.HasPrefix(a.Text, "That reads like a follow-up, but there is no earlier question to follow.") {
			t.Errorf("%q alone: found=%v %q", q, a.Found, a.Text)
		}
	}
	a, err := b.Ask(ctx, bot.Question{Text: "On which day?", History: []string{"Where are Rubio and Witkoff travelling this week?"}})
	if err != nil || !a.Found || !strings.Contains(a.Text, "Thursday") {
		t.Errorf("after a question: %v %+v", err, a)
	}
}
