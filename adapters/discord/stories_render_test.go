package discord

import (
	"context"
	"testing"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
)

// A timeline and disagreements (a count, an amount, a date), answered from the invented stories,
// rendered for Discord: one dated step per line, the values side by side,
// every citation in the Sources embed.
func TestRenderStoryAnswers(t *testing.T) {
	b := testkit.StoriesBot(t)
	for name, q := range map[string]string{
		"answer_timeline.json":            "How did the Alder Creek fire unfold?",
		"answer_disagreement.json":        "How many homes did the Alder Creek fire destroy?",
		"answer_disagreement_amount.json": "How much was Northwind Airlines fined?",
		"answer_disagreement_date.json":   "When did the Halden outage begin?",
	} {
		a, err := b.Ask(context.Background(), bot.Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		out := payloadsJSON(t, renderAnswer(a))
		golden(t, name, string(out)+"\n")
	}
}
