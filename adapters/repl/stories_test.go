package repl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
)

// ask --json on the invented stories (bot/testdata/stories): the outlets'
// different counts of the homes the Alder Creek fire destroyed, the fines
// they give for Northwind's outage and the days they say it began are
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
	// An amount and a date the outlets give differently: in ask --json
	// and as the REPL prints them.
	var text bytes.Buffer
	for _, w := range []struct{ q, about, file string }{
		{"How much was Northwind Airlines fined?", "the amount fined", "ask_disagreement_amount.json"},
		{"When did the Halden outage begin?", "when the outage began", "ask_disagreement_date.json"},
	} {
		out.Reset()
		if err := repl.Ask(ctx, b, bot.Question{Text: w.q}, true, &out); err != nil {
			t.Fatal(err)
		}
		var got repl.AnswerJSON
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out.String())
		}
		var d *repl.DisagreementJSON
		for i := range got.Disagreements {
			if got.Disagreements[i].About == w.about {
				d = &got.Disagreements[i]
			}
		}
		if d == nil || len(d.Values) != 2 || got.ShortAnswer != "" {
			t.Errorf("%q: ask --json = %s\nwant a disagreement on %s (two values), no short answer", w.q, out.String(), w.about)
		} else {
			for _, v := range d.Values {
				if v.Citation < 1 || v.Citation > len(got.Citations) {
					t.Errorf("%q: value %+v cites no citation of %d", w.q, v, len(got.Citations))
				}
			}
		}
		pretty.Reset()
		json.Indent(&pretty, out.Bytes(), "", "  ")
		golden(t, w.file, pretty.String())
		fmt.Fprintf(&text, "> %s\n", w.q)
		if err := repl.Ask(ctx, b, bot.Question{Text: w.q}, false, &text); err != nil {
			t.Fatal(err)
		}
		text.WriteString("\n")
	}
	golden(t, "ask_disagreements.txt", text.String())

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
