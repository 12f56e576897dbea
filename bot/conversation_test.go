package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/bot"
)

// Follow-ups in template mode keep the subject of the turn before them:
// two- and three-turn conversations on the sample, with golden answers.
func TestConversationsGolden(t *testing.T) {
	b, _ := seedBot(t)
	convs := [][]string{
		{"Where are Rubio and Witkoff travelling this week?", "On which day?"},
		{"Who is travelling to Paris?", "who else?", "why?"},
		{"Who met Vladimir Putin last week?", "where were the negotiations held?"},
		{"What did Moscow and Kyiv agree to last month?", "and has Russia kept to it?"},
		{"Who is visiting Italy later in the week?", "who will he meet?"},
	}
	var out strings.Builder
	for i, conv := range convs {
		var history []string
		out.WriteString("## conversation " + string(rune('1'+i)) + "\n")
		for _, q := range conv {
			a, err := b.Ask(context.Background(), bot.Question{Text: q, History: history})
			if err != nil {
				t.Fatal(err)
			}
			out.WriteString("Q: " + q + "\nA: " + a.Text + "\n\n")
			history = append(history, q)
		}
	}
	golden(t, "conversations.golden", out.String())
	if got := out.String(); !strings.Contains(got, "Q: On which day?\nA: AP, 16 Apr 2025: “The State Department said Rubio and Witkoff would be in the French capital on Thursday") {
		t.Errorf("'On which day?' does not answer with Thursday:\n%s", got)
	}
}
