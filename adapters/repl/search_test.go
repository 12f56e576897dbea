package repl_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
)

// `newsbot search` reads a typo as the store's word, as `ask` does, and
// says so: the text output above the passages ("I read “tlaks” as
// “talks”.", in the query's language), --json and --batch in "corrected"
// (with the quiet ones the text leaves unsaid). A query spelled right
// prints no note and no "corrected".
func TestSearchSaysItsCorrections(t *testing.T) {
	ctx := context.Background()
	sample, langs := seed(t), testkit.LangsBot(t)
	var out strings.Builder
	for _, c := range []struct {
		b     *bot.Bot
		query string
	}{
		{sample, "whre are the tlaks?"},
		{sample, "Who met Vladimir Ptuin last week?"},
		{sample, "Who met Vladimir Putin last week?"},
		{langs, "Wie viel wird die neue Brükce in Altdorf kosten?"},
		{sample, "qwzxv tlaks"},
	} {
		for _, asJSON := range []bool{false, true} {
			out.WriteString("$ newsbot search --k 2")
			if asJSON {
				out.WriteString(" --json")
			}
			out.WriteString(" " + c.query + "\n")
			if err := repl.Search(ctx, c.b, bot.Question{Text: c.query}, 2, asJSON, &out); err != nil {
				t.Fatal(err)
			}
			out.WriteString("\n")
		}
	}
	in := `{"id": 1, "question": "whre are the tlaks?"}` + "\n" + `{"id": 2, "question": "Who met Vladimir Putin last week?"}` + "\n"
	out.WriteString("$ newsbot search --k 1 --batch -\n")
	if err := repl.SearchBatch(ctx, sample, bot.Question{}, 1, nil, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	golden(t, "search_corrected.txt", got)
	for _, want := range []string{
		"I read “tlaks” as “talks”.\n\n 1. Top Trump officials",
		`"corrected":[{"from":"whre","to":"where","quiet":true},{"from":"tlaks","to":"talks"}]`,
		"I read “Ptuin” as “Putin”.",
		"Ich habe „Brükce“ als „Brücke“ gelesen.",
		`{"id":1,"corrected":[{"from":"whre","to":"where","quiet":true},{"from":"tlaks","to":"talks"}],"results":[`,
		`{"id":2,"results":[`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("search output lacks %q:\n%s", want, got)
		}
	}
}
