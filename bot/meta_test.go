package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/bot"
)

// Questions about the articles themselves are answered from their byline,
// date and outlet.
func TestMetaQuestions(t *testing.T) {
	b, _ := seedBot(t)
	tests := []struct{ q, want string }{
		{"Who wrote the article about the Paris talks?", "was written by"},
		{"who is the author of the story on Rubio and Witkoff travelling to Paris", "was written by"},
		{"When was the article about the Paris talks published?", "was published by AP on 16 Apr 2025"},
		{"Which outlet reported the Paris talks on the Russia-Ukraine war?", "AP reported it on 16 Apr 2025"},
	}
	for _, tt := range tests {
		a, err := b.Ask(context.Background(), bot.Question{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Found || !strings.Contains(a.Text, tt.want) || !strings.Contains(a.Text, "Top Trump officials") || len(a.Citations) != 1 || !strings.Contains(a.Text, "[1]") {
			t.Errorf("%q: answer %q (found %v, %d citations); want %q about the sample article", tt.q, a.Text, a.Found, len(a.Citations), tt.want)
		}
	}
	// The byline is the article's.
	a, _ := b.Ask(context.Background(), bot.Question{Text: "Who wrote the article about the Paris talks?"})
	if a == nil || !strings.Contains(strings.ToLower(a.Text), "matthew lee") {
		t.Errorf("author answer = %v, want the sample's byline (Matthew Lee)", a)
	}
	// Not about an article: answered from the text as before.
	a, _ = b.Ask(context.Background(), bot.Question{Text: "Who met Vladimir Putin last week?"})
	if a == nil || strings.Contains(a.Text, "was written by") || !strings.Contains(a.Text, "Witkoff") {
		t.Errorf("ordinary question answered as %v", a)
	}
}
