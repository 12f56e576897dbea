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
	"github.com/newsbot/newsbot/bot/openai"
	"github.com/newsbot/newsbot/internal/fakeopenai"
)

func llmSeed(t *testing.T) (*bot.Bot, *fakeopenai.Server) {
	t.Helper()
	b := seed(t)
	srv := fakeopenai.New(t)
	b.LLM = &bot.LLM{Model: openai.New(openai.Options{BaseURL: srv.BaseURL(), Model: "test-model", Backoff: time.Millisecond}), Timeout: 5 * time.Second}
	b.Now = func() time.Time { return time.Date(2025, 4, 20, 0, 0, 0, 0, time.UTC) }
	return b, srv
}

// The same question with and without the language model, a switch of
// mode, a weak citation, and a model that fails.
func TestLLMPipedSession(t *testing.T) {
	b, srv := llmSeed(t)
	srv.Script(
		fakeopenai.Reply{Text: "Steve Witkoff, President Trump's special envoy, met Russian President Vladimir Putin last week [1]. " +
			"He and Secretary of State Marco Rubio travel to Paris this week for talks with European allies [4]."},
		fakeopenai.Reply{Text: "Witkoff met Putin last week [1]. A lunar cheese summit follows in Lisbon [1]."},
		fakeopenai.Reply{Status: 500, Message: "model crashed"},
	)
	in := strings.Join([]string{
		":mode",
		"Who met Vladimir Putin, and what talks followed?",
		":sources",
		":mode template",
		"Who met Vladimir Putin, and what talks followed?",
		":mode llm",
		"Who met Vladimir Putin, and what talks followed?",
		":sources",
		"Who met Vladimir Putin, and what talks followed?",
		":mode bogus",
	}, "\n")
	var out bytes.Buffer
	r := &repl.REPL{Bot: b, In: strings.NewReader(in), Out: &out, LLM: true}
	if err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Chats()); n != 3 {
		t.Errorf("%d model requests, want 3 (none in template mode)", n)
	}
	for _, c := range srv.Chats() {
		if !c.Stream {
			t.Error("the REPL did not stream")
		}
	}
	golden(t, "llm_session.golden", out.String())
}

func TestModeWithoutModel(t *testing.T) {
	b := seed(t)
	var out bytes.Buffer
	r := &repl.REPL{Bot: b, In: strings.NewReader(":mode\n:mode llm\nWho met Vladimir Putin last week?\n"), Out: &out}
	if err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"Answers come from the articles' own sentences (template)", "No language model is configured",
		"(No language model is configured, so this is the extractive answer.)", "Witkoff met last week"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestAskJSONFallbackAndWeak(t *testing.T) {
	b, srv := llmSeed(t)
	srv.Script(fakeopenai.Reply{Text: "Witkoff met Putin last week [1]. Penguins opened a bank in Oslo [2]."},
		fakeopenai.Reply{Body: "not json at all"})
	var out bytes.Buffer
	if err := repl.Ask(context.Background(), b, bot.Question{Text: "Who met Vladimir Putin and where were the talks?"}, true, &out); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	cites := got["citations"].([]any)
	if got["mode"] != "llm" || len(cites) != 2 || cites[0].(map[string]any)["weak"] != false || cites[1].(map[string]any)["weak"] != true {
		t.Errorf("ask --json = %s", out.String())
	}
	if _, ok := got["fallback_reason"]; ok {
		t.Errorf("an LLM answer has a fallback_reason: %s", out.String())
	}
	out.Reset()
	if err := repl.Ask(context.Background(), b, bot.Question{Text: "Who met Vladimir Putin and where were the talks?"}, true, &out); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(out.Bytes(), &got)
	if got["mode"] != "template" || got["fallback_reason"] != bot.FallbackBadResponse || len(got["citations"].([]any)) == 0 {
		t.Errorf("ask --json after garbage = %s", out.String())
	}
}

// A model failing after it has begun streaming: what was shown stays, the
// template answer follows, marked.
func TestStreamFailsMidway(t *testing.T) {
	b, srv := llmSeed(t)
	b.LLM.Timeout = 300 * time.Millisecond
	srv.Script(fakeopenai.Reply{Chunks: []string{"Witkoff ", "met ", "Putin ", "and "}, BeforeChunk: func(i int) {
		if i == 3 {
			time.Sleep(2 * time.Second) // past the LLM timeout
		}
	}})
	var out bytes.Buffer
	if err := repl.Ask(context.Background(), b, bot.Question{Text: "Who met Vladimir Putin last week?"}, false, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "Witkoff met Putin …\n\nFrom articles of 7–20 April 2025: AP, 16 Apr 2025: “Several rounds") ||
		!strings.Contains(got, "(The language model took too long, so this is the extractive answer.)") {
		t.Errorf("output:\n%s", got)
	}
}
