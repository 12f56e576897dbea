package repl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
)

// ask --json on the invented stories (bot/testdata/stories): the outlets'
// different counts of the homes the Alder Creek fire destroyed are
// disagreements, each value with its citation, and the answer names the
// story it draws on.
func TestAskJSONDisagreements(t *testing.T) {
	ctx := context.Background()
	b := testkit.StoriesBot(t)
	var out bytes.Buffer
	q := bot.Question{Text: "How many homes did the Alder Creek fire destroy?"}
	if err := repl.Ask(ctx, b, q, true, &out); err != nil {
		t.Fatal(err)
	}
	var got repl.AnswerJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if len(got.Disagreements) != 1 || got.Disagreements[0].About != "homes destroyed" || len(got.Disagreements[0].Values) != 2 ||
		got.Story == nil || got.Story.Articles != 5 || len(got.Story.Outlets) != 3 || got.ShortAnswer != "" {
		t.Errorf("ask --json = %s\nwant one disagreement on homes destroyed (two values), the story of 5 articles by 3 outlets, no short answer", out.String())
	}
	for _, v := range got.Disagreements[0].Values {
		if v.Citation < 1 || v.Citation > len(got.Citations) {
			t.Errorf("value %+v cites no citation of %d", v, len(got.Citations))
		}
	}
	var pretty bytes.Buffer
	json.Indent(&pretty, out.Bytes(), "", "  ")
	golden(t, "ask_disagreements.json", pretty.String())
	// A question the sources agree on has none.
	out.Reset()
	q.Text = "How did the Rotterdam port strike end?"
	if err := repl.Ask(ctx, b, q, true, &out); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	json.Unmarshal(out.Bytes(), &raw)
	if d, ok := raw["disagreements"].([]any); !ok || len(d) != 0 {
		t.Errorf("disagreements = %v, want []", raw["disagreements"])
	}
}
