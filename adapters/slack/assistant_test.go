package slack

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

func threadStarted(user, channel, thread string) map[string]any {
	return map[string]any{"type": "assistant_thread_started", "event_ts": thread,
		"assistant_thread": map[string]any{"user_id": user, "channel_id": channel, "thread_ts": thread, "context": map[string]any{"channel_id": "C1", "team_id": "T1"}}}
}

func isStream(c call) bool { return c.Method == "chat.startStream" || c.Method == "chat.appendStream" }

// assistantAsker streams an LLM answer and knows two headlines.
func assistantAsker() *fakeAsker {
	fa := streamingAsker()
	fa.headlines = []bot.Headline{
		{Title: "Top Trump officials will hold talks with Europeans on the Russia-Ukraine war", Source: "AP", URL: apCitation.URL, Published: apDay},
		{Title: "Harbour alert <!channel> | lighthouse", Source: "Example News", URL: "https://news.example.com/harbour", Published: apDay},
	}
	return fa
}

// asked writes the question the bot was last asked and the conversation it
// came with (the thread's earlier questions).
func (tr *transcript) asked(fa *fakeAsker) {
	tr.t.Helper()
	qs := fa.got()
	if len(qs) == 0 {
		tr.t.Fatal("the bot was asked nothing")
	}
	q := qs[len(qs)-1]
	history := "no earlier turns"
	if len(q.History) > 0 {
		history = fmt.Sprintf("the thread's earlier turns %q", q.History)
	}
	tr.say("  (the bot was asked %q with %s)", q.Text, history)
}

// TestAssistantTranscript is a conversation in Slack's assistant view
// against the fake Slack, kept as testdata/assistant_session.txt: the
// thread opens (greeting, suggested prompts from the latest headlines),
// the first prompt lists the headlines (status, title), a question streams
// (chat.startStream, appendStream of whole words, stopStream, then
// chat.update with the sources), and a follow-up keeps the conversation
// (the thread's first question is its history; the title stays).
func TestAssistantTranscript(t *testing.T) {
	fa := assistantAsker()
	h := newHarness(t, fa, Options{UpdateInterval: time.Millisecond})
	h.slack.nextTS = 0
	streamed := 0
	fa.afterPartial = func(i int) { waitCalls(h.slack, streamed+i+1, isStream) }
	tr := &transcript{t: t, h: h}
	tr.say("An assistant thread against the fake Slack (HTTP mode; the bot is a fake that streams an LLM answer).")
	tr.say("→ a request from Slack to newsbot   ← newsbot's HTTP reply   ⇒ a call newsbot made to Slack")
	js := "application/json"
	tr.request("/slack/events", js, eventJSON("EvA1", threadStarted("U1", "D1", "500.1")), `assistant_thread_started: U1 opens a thread in D1 (ts 500.1) while viewing C1`, 2)
	tr.request("/slack/events", js, eventJSON("EvA2", dmMessage("D1", "U1", "500.2", "500.1", "What's new today?")), `message.im in thread 500.1 by U1: "What's new today?" (the first prompt)`, 3)
	tr.request("/slack/events", js, eventJSON("EvA3", dmMessage("D1", "U1", "500.3", "500.1", "How did the talks in Paris go?")), `message.im in thread 500.1 by U1: "How did the talks in Paris go?"`, 7)
	tr.asked(fa)
	streamed = 4
	tr.request("/slack/events", js, eventJSON("EvA4", dmMessage("D1", "U1", "500.4", "500.1", "and who else was there?")), `message.im in thread 500.1 by U1: "and who else was there?" (a follow-up, no mention)`, 7)
	tr.asked(fa)
	tr.request("/slack/events", js, eventJSON("EvA5", map[string]any{"type": "assistant_thread_context_changed", "event_ts": "500.9",
		"assistant_thread": map[string]any{"user_id": "U1", "channel_id": "D1", "thread_ts": "500.1", "context": map[string]any{"channel_id": "C7", "team_id": "T1"}}}),
		`assistant_thread_context_changed: U1 now views C7 → remembered, nothing sent`, 0)
	h.stop(t)
	if n := len(h.slack.snapshot()); n != tr.seen {
		t.Errorf("%d calls to Slack, the transcript shows %d", n, tr.seen)
	}
	golden(t, "assistant_session.txt", []byte(tr.b.String()))

	qs := fa.got()
	if len(qs) != 2 || len(qs[0].History) != 0 || !slices.Equal(qs[1].History, []string{"How did the talks in Paris go?"}) {
		t.Errorf("questions = %+v, want the follow-up with the first question as history", qs)
	}
	var titles, streams int
	for _, c := range h.slack.snapshot() {
		if c.Method == "assistant.threads.setTitle" {
			titles++
		}
		if isStream(c) {
			streams++
			checkSafe(t, c.Method, c.Text)
			if strings.Contains(c.Text, "<") {
				t.Errorf("%s sends markup: %q", c.Method, c.Text)
			}
		}
		if c.Method == "assistant.threads.setSuggestedPrompts" {
			checkSafe(t, "suggested prompts", c.Form.Get("prompts"))
		}
	}
	if titles != 1 || streams != 8 {
		t.Errorf("%d titles and %d stream calls, want 1 and 8", titles, streams)
	}
}

// Where Slack refuses to stream (the app lacks the feature), the answer
// in an assistant thread is posted and edited like in a channel thread.
func TestAssistantStreamFallsBackToUpdate(t *testing.T) {
	fa := assistantAsker()
	h := newHarness(t, fa, Options{UpdateInterval: time.Hour})
	h.slack.noStream = true
	fa.afterPartial = func(i int) {
		if i == 0 { // the greeting, then the partial answer
			waitCalls(h.slack, 2, isMethod("chat.postMessage"))
		}
	}
	postEvent(t, h, "EvS1", threadStarted("U1", "D1", "600.1"))
	h.slack.waitFor(1, isMethod("assistant.threads.setSuggestedPrompts"))
	postEvent(t, h, "EvS2", dmMessage("D1", "U1", "600.2", "600.1", "How did the talks go?"))
	final := h.slack.waitFor(1, isMethod("chat.update"))[0]
	h.stop(t)
	posts := h.slack.waitFor(2, isMethod("chat.postMessage"))
	partial := posts[1] // posts[0] is the greeting
	if partial.Thread != "600.1" || !strings.Contains(string(partial.Blocks), "writing…") || final.TS != partial.TS {
		t.Errorf("partial %+v, final %+v: want the partial in the thread, then edited", partial, final)
	}
	if !strings.Contains(string(final.Blocks), "Top Trump officials") {
		t.Errorf("final answer without its source: %s", final.Blocks)
	}
	if n := len(h.slack.waitFor(1, isMethod("refused chat.startStream"))); n != 1 {
		t.Errorf("chat.startStream tried %d times, want once", n)
	}
}

// A message in a DM thread that Slack marks as an assistant thread's
// (assistant_thread in the event) is answered as one even when newsbot
// did not see the thread start (a restart): status, title, stream.
func TestAssistantThreadAfterRestart(t *testing.T) {
	fa := okAsker()
	h := newHarness(t, fa, Options{})
	postEvent(t, h, "EvR1", with(dmMessage("D1", "U1", "700.2", "700.1", "Who met Vladimir Putin?"), "assistant_thread", map[string]any{"action_token": "x"}))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	h.stop(t)
	var methods []string
	for _, c := range h.slack.snapshot() {
		methods = append(methods, c.Method)
	}
	if want := []string{"assistant.threads.setStatus", "assistant.threads.setTitle", "chat.postMessage"}; !slices.Equal(methods, want) {
		t.Errorf("calls %q, want %q (a template answer: nothing to stream)", methods, want)
	}
}
