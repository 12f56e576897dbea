package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/bot"
)

// Any question, after any earlier one, gets an answer or one of the
// question errors: never a panic, never an empty text, and every citation
// marker in a found answer names a citation it carries.
func FuzzAsk(f *testing.F) {
	for _, s := range [][2]string{
		{"who else?", "Who is travelling to Paris?"}, {"why?", "What did Moscow and Kyiv agree to last month?"},
		{"when was it published?", "Who wrote the article about the Paris talks?"}, {"What's new?", "and where?"},
		{"how close will it come?", "Ⱥ yesterday"}, {"and the other side?", "\u202eother\u200b"},
		{"What happened on April 15?", "Who is travelling to Paris?"}, {"Warum?", "Who is travelling to Paris?"},
		{"Who did Witkoff meet last week?", "Which company did the DOJ drop charges against?"},
		{"An welchem Tag?", "Warum?"}, {"なぜ？", "¿Por qué?"},
	} {
		f.Add(s[0], s[1])
	}
	b, _ := seedBot(f)
	f.Fuzz(func(t *testing.T, question, earlier string) {
		a, err := b.Ask(context.Background(), bot.Question{Text: question, History: []string{earlier}})
		if err != nil {
			if !errors.Is(err, bot.ErrEmptyQuestion) && !errors.Is(err, bot.ErrQuestionTooLong) {
				t.Fatalf("Ask(%q after %q): %v", question, earlier, err)
			}
			return
		}
		if strings.TrimSpace(a.Text) == "" || !utf8.ValidString(a.Text) {
			t.Fatalf("Ask(%q after %q): empty or invalid text %q", question, earlier, a.Text)
		}
		for i, c := range a.Citations {
			if c.N != i+1 {
				t.Fatalf("Ask(%q after %q): citation %d numbered %d", question, earlier, i+1, c.N)
			}
		}
		if a.Found && len(a.Citations) == 0 {
			t.Fatalf("Ask(%q after %q): found without citations: %q", question, earlier, a.Text)
		}
	})
}
