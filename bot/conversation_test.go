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

// "What's new?" in the middle of a conversation is still the headlines;
// "what happened?" after a subject is about that subject.
func TestWhatsNewInAConversation(t *testing.T) {
	b, _ := seedBot(t)
	history := []string{"Who is travelling to Paris?"}
	a, err := b.Ask(context.Background(), bot.Question{Text: "What's new?", History: history})
	if err != nil || !strings.Contains(a.Text, "Top Trump officials will hold talks") {
		t.Errorf("what's new? after a question: %v %q; want the headlines", err, a.Text)
	}
	a, err = b.Ask(context.Background(), bot.Question{Text: "and what happened then?", History: history})
	if err != nil || strings.Contains(a.Text, "The latest news") {
		t.Errorf("a follow-up got the headlines: %v %q", err, a.Text)
	}
}

// "What happened on April 15?" after a question is that day's headlines
// (the latest, saying so, when the day holds none), not more about the
// subject so far (issue 12).
func TestDayNewsInAConversation(t *testing.T) {
	b, _ := seedBot(t)
	history := []string{"Where are Rubio and Witkoff travelling this week?"}
	for _, q := range []string{"What happened on April 15?", "what happened on April 16?", "any news from yesterday?"} {
		a, err := b.Ask(context.Background(), bot.Question{Text: q, History: history})
		if err != nil || !strings.Contains(a.Text, "• Top Trump officials will hold talks with Europeans on the Russia-Ukraine war — AP, 16 Apr 2025 [1]") {
			t.Errorf("%q after a question: %v %q; want the headlines", q, err, a.Text)
		}
	}
	a, err := b.Ask(context.Background(), bot.Question{Text: "what happened?", History: history})
	if err != nil || strings.Contains(a.Text, "•") || !strings.Contains(a.Text, "Paris") {
		t.Errorf("what happened? after a question: %v %q; want its subject", err, a.Text)
	}
}
