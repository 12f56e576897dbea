package repl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/knowledge"
)

// panicky is a Retriever that panics on questions containing trigger and
// passes the others on.
type panicky struct {
	bot.Retriever
	trigger string
}

func (p panicky) Search(ctx context.Context, q knowledge.Query) (*knowledge.Result, error) {
	if strings.Contains(q.Text, p.trigger) {
		var m map[string]int
		m["boom"]++ // assignment to entry in nil map
	}
	return p.Retriever.Search(ctx, q)
}

// A question whose answering panics gets an apology, the panic is logged
// with its stack, and the next question is answered.
func TestREPLRecoversFromPanic(t *testing.T) {
	b := seed(t)
	b.Retriever = panicky{b.Retriever, "Ⱥ"}
	var out, logs bytes.Buffer
	in := "Ⱥ who met Putin?\nWho met Vladimir Putin last week?\n"
	r := &repl.REPL{Bot: b, In: strings.NewReader(in), Out: &out, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, bot.ApologyMessage) {
		t.Errorf("output %q lacks the apology", got)
	}
	if !strings.Contains(got, "Witkoff") {
		t.Errorf("output %q: the question after the panic was not answered", got)
	}
	if l := logs.String(); !strings.Contains(l, "level=ERROR") || !strings.Contains(l, "nil map") || !strings.Contains(l, "panic_test.go") {
		t.Errorf("log %q lacks the panic and its stack", l)
	}
}

// panickySearcher panics on one query and answers the others.
type panickySearcher struct{ b *bot.Bot }

func (p panickySearcher) SearchAsked(ctx context.Context, q bot.Question, k int) (*bot.Searched, error) {
	if strings.Contains(q.Text, "Ⱥ") {
		panic("boom")
	}
	return p.b.SearchAsked(ctx, q, k)
}

// A batch line whose search panics gets an error line, and the lines
// after it are answered: one output line per input line.
func TestSearchBatchRecoversFromPanic(t *testing.T) {
	b := seed(t)
	in := `{"id":1,"question":"Ⱥ yesterday"}` + "\n" + `{"id":2,"question":"Who met Vladimir Putin?"}` + "\n"
	var out bytes.Buffer
	if err := repl.SearchBatch(context.Background(), panickySearcher{b}, bot.Question{}, 3, time.UTC, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d output lines, want 2: %q", len(lines), out.String())
	}
	var first, second repl.BatchResultJSON
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || !strings.Contains(first.Error, "line 1") {
		t.Errorf("first line = %s (%v), want an error for line 1", lines[0], err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil || second.Error != "" || len(second.Results) == 0 {
		t.Errorf("second line = %s (%v), want results", lines[1], err)
	}
}

// ask --batch: one ask --json object per input line, with its id, and an
// error on the lines that cannot be answered.
func TestAskBatch(t *testing.T) {
	b := seed(t)
	b.Retriever = panicky{b.Retriever, "Ⱥ"}
	in := strings.Join([]string{
		`{"id": "a", "question": "Who met Vladimir Putin last week?", "date": "2025-04-16"}`,
		`{"id": 2, "question": "   "}`,
		`not json`,
		`{"id": "p", "question": "Ⱥ who met Putin?"}`,
		``,
		`{"id": "d", "question": "Who met Putin?", "date": "16/04/2025"}`,
		`{"id": "z", "question": "Where were earlier rounds of negotiations held?"}`,
	}, "\n")
	var out bytes.Buffer
	if err := repl.AskBatch(context.Background(), b, bot.Question{}, time.UTC, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []struct {
		id    any
		error string
	}{{"a", ""}, {float64(2), "empty"}, {nil, "malformed JSON"}, {"p", "internal error"}, {"d", "not YYYY-MM-DD"}, {"z", ""}}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, w := range want {
		var got repl.BatchAnswerJSON
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if got.ID != w.id || (w.error == "") != (got.Error == "") || !strings.Contains(got.Error, w.error) {
			t.Errorf("line %d = id %v error %q; want id %v error containing %q", i+1, got.ID, got.Error, w.id, w.error)
		}
		if w.error == "" && (!got.Found || len(got.Citations) == 0 || got.NewestSource != "2025-04-16") {
			t.Errorf("line %d = %s; want a cited answer", i+1, lines[i])
		}
	}
}
