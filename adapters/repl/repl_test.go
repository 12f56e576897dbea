package repl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	goldenfile "github.com/newsbot/newsbot/internal/golden"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge/index"
)

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, []byte(got))
}

func seed(t *testing.T) *bot.Bot {
	t.Helper()
	return seedRanked(t, nil)
}

// seedRanked is a bot over the sample article, ranking with r, answering
// on the afternoon the article was published.
func seedRanked(t *testing.T, r *index.Ranking) *bot.Bot {
	t.Helper()
	return testkit.Bot(testkit.SampleStore(t), r)
}

func TestPipedSession(t *testing.T) {
	b := seed(t)
	in := strings.Join([]string{
		"Who met Vladimir Putin last week?",
		":sources",
		":open 1",
		":open 7",
		"",
		"   ",
		":latest",
		":bogus",
		"What is the capital of Mongolia?",
		strings.Repeat("x", 1200),
		":quit",
		"never asked",
	}, "\n")
	var out bytes.Buffer
	r := &repl.REPL{Bot: b, In: strings.NewReader(in), Out: &out}
	if err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "news>") {
		t.Error("piped session printed a prompt")
	}
	golden(t, "piped_session.golden", out.String())
}

func TestAskJSON(t *testing.T) {
	b := seed(t)
	var out bytes.Buffer
	if err := repl.Ask(context.Background(), b, bot.Question{Text: "Where were earlier rounds of negotiations held?"}, true, &out); err != nil {
		t.Fatal(err)
	}
	var got repl.AnswerJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if !got.Found || got.Mode != "template" || len(got.Citations) == 0 {
		t.Fatalf("ask --json = %+v", got)
	}
	c := got.Citations[0]
	if c.N != 1 || c.Paragraph != 6 || c.Source != "AP" || c.Published != "2025-04-16" || c.ArticleID == "" || !strings.Contains(c.Quote, "Saudi Arabia") {
		t.Errorf("citation = %+v", c)
	}
	// The documented keys are all present.
	var raw map[string]any
	json.Unmarshal(out.Bytes(), &raw)
	for _, k := range []string{"question", "answer", "found", "mode", "citations"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("ask --json lacks %q", k)
		}
	}
}

func TestSearchBatch(t *testing.T) {
	b := seed(t)
	in := `{"id": "q1", "question": "Saudi Arabia negotiations"}
not json
{"id": 2, "question": "energy facilities", "date": "2025-04-16"}
{"id": "q3", "question": ""}
{"id": "q4", "question": "x", "date": "16/04/2025"}
`
	var out bytes.Buffer
	if err := repl.SearchBatch(context.Background(), b, bot.Question{}, 3, time.UTC, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d output lines, want 5 (one per input):\n%s", len(lines), out.String())
	}
	var first repl.BatchResultJSON
	json.Unmarshal([]byte(lines[0]), &first)
	if first.ID != "q1" || len(first.Results) == 0 || first.Results[0].Paragraph != 6 || first.Results[0].Score <= 0 {
		t.Errorf("line 1 = %s", lines[0])
	}
	for i, want := range []string{"malformed JSON", "", "question is empty", "not YYYY-MM-DD"} {
		var r repl.BatchResultJSON
		json.Unmarshal([]byte(lines[i+1]), &r)
		if want == "" && r.Error != "" || want != "" && !strings.Contains(r.Error, want) {
			t.Errorf("line %d error = %q, want %q", i+2, r.Error, want)
		}
	}
	var second map[string]any
	json.Unmarshal([]byte(lines[2]), &second)
	res := second["results"].([]any)[0].(map[string]any)
	for _, k := range []string{"article_id", "url", "title", "source", "published", "paragraph", "text", "score"} {
		if _, ok := res[k]; !ok {
			t.Errorf("batch result lacks %q: %v", k, res)
		}
	}
}
