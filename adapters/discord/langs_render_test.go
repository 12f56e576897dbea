package discord

import (
	"context"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
)

// A French answer is rendered in French words: its sources' dates, "mis à
// jour le …", "paragraphe N", as the bot gives them.
func TestRenderFrenchAnswer(t *testing.T) {
	b := testkit.LangsBot(t)
	q := "Combien de personnes ont assisté au festival de jazz de Valmont ?"
	a, err := b.Ask(context.Background(), bot.Question{Text: q, Mode: bot.ModeTemplate})
	if err != nil {
		t.Fatal(err)
	}
	out := payloadsJSON(t, renderAnswer(a))
	got := string(out)
	for _, want := range []string{"mis à jour le 13 mai 2026", "paragraphe 1", "11 mai 2026"} {
		if !strings.Contains(got, want) {
			t.Errorf("the French answer lacks %q", want)
		}
	}
	for _, english := range []string{"updated", "paragraph "} {
		if strings.Contains(got, english) {
			t.Errorf("the French answer says %q", english)
		}
	}
	golden(t, "answer_french.json", got+"\n")
}
