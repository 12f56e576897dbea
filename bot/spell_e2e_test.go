package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
)

// A question with a typo is answered as if spelled right, and the answer
// says which words it read as which, in the question's language; a typo
// of a stop word goes unsaid.
func TestTyposAreReadAsTheStoresWords(t *testing.T) {
	ctx := context.Background()
	sample, _ := seedBot(t)
	langs := testkit.LangsBot(t)
	for _, tt := range []struct {
		b          *bot.Bot
		question   string
		want, note string
	}{
		{sample, "whre are the tlaks?", "will travel to Paris this week for talks", "I read “tlaks” as “talks”."},
		{sample, "Who met Vladimir Ptuin last week?", "Witkoff met last week with Russian President Vladimir Putin", "I read “Ptuin” as “Putin”."},
		{sample, "Wehre were earlier rounds of negotiations held?", "Several rounds of negotiations have been held in Saudi Arabia", ""},
		{langs, "Wie viel wird die neue Brükce in Altdorf kosten?", "Brücke", "Ich habe „Brükce“ als „Brücke“ gelesen."},
	} {
		a, err := tt.b.Ask(ctx, bot.Question{Text: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Found || !strings.Contains(a.Text, tt.want) || len(a.Citations) == 0 {
			t.Errorf("%q: found=%v, %d citations, text %q; want it to hold %q", tt.question, a.Found, len(a.Citations), a.Text, tt.want)
		}
		if tt.note != "" && !strings.HasSuffix(a.Text, "\n\n"+tt.note) || tt.note == "" && strings.Contains(a.Text, "“Wehre”") {
			t.Errorf("%q: text %q; want it to end with %q", tt.question, a.Text, tt.note)
		}
		if a.Question != tt.question {
			t.Errorf("Answer.Question = %q, want the question as asked %q", a.Question, tt.question)
		}
		// newsbot search reads it the same way and says so the same way.
		s, err := tt.b.SearchAsked(ctx, bot.Question{Text: tt.question}, 3)
		if err != nil {
			t.Fatal(err)
		}
		if s.ReadAs != tt.note || len(s.Corrected) == 0 || !slices.Equal(s.Corrected, a.Corrected) {
			t.Errorf("SearchAsked(%q): read as %q, corrected %+v; want %q and the answer's %+v", tt.question, s.ReadAs, s.Corrected, tt.note, a.Corrected)
		}
		if len(s.Result.Passages) == 0 || len(a.Citations) > 0 && s.Result.Passages[0].ArticleID != a.Citations[0].ArticleID {
			t.Errorf("SearchAsked(%q): %d passages, not led by the answer's article", tt.question, len(s.Result.Passages))
		}
	}
	// A question spelled right is searched as asked.
	s, err := sample.SearchAsked(ctx, bot.Question{Text: "Who met Vladimir Putin last week?"}, 3)
	if err != nil || s.ReadAs != "" || s.Corrected != nil {
		t.Errorf("a question spelled right: %v, read as %q, corrected %+v", err, s.ReadAs, s.Corrected)
	}
	// A name new to the store is searched as typed, not as its neighbour.
	a, err := sample.Ask(ctx, bot.Question{Text: "What did Witkoff tell Zelenskyj?"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Text, "I read") {
		t.Errorf("an unknown name was corrected: %q", a.Text)
	}
}
