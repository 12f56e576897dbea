package slack

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

// waitCalls waits (off the test goroutine) until the fake has n calls
// matching ok.
func waitCalls(f *fakeSlack, n int, ok func(call) bool) {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		count := 0
		for _, c := range f.snapshot() {
			if ok(c) {
				count++
			}
		}
		if count >= n {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func streamingAsker() *fakeAsker {
	return &fakeAsker{
		partials: []string{"The talks", "The talks in Paris", "The talks in Paris went on", "The talks in Paris went on for a day"},
		answer: &bot.Answer{Text: "The talks in Paris went on for a day [1] and ended without a deal.", Found: true, Mode: bot.ModeLLM,
			Citations: []bot.Citation{apCitation}},
	}
}

// An LLM answer streams into one threaded message: posted with the first
// partial text, then edited — no faster than UpdateInterval (an hour here,
// so the partials after the first are dropped) — and finally replaced by
// the whole answer with its sources.
func TestStreamingEditsTheThreadedMessage(t *testing.T) {
	fa := streamingAsker()
	h := newHarness(t, fa, Options{UpdateInterval: time.Hour})
	fa.afterPartial = func(i int) {
		if i == 0 { // let the first partial reach Slack before writing on
			waitCalls(h.slack, 1, isMethod("chat.postMessage"))
		}
	}
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvS", mention("C1", "U1", "300.1", "", "<@UBOT> How did the talks go?")))
	final := h.slack.waitFor(1, isMethod("chat.update"))[0]
	h.stop(t)
	posts := h.slack.waitFor(1, isMethod("chat.postMessage"))
	updates := h.slack.waitFor(1, isMethod("chat.update"))
	if len(posts) != 1 || len(updates) != 1 {
		t.Fatalf("%d posts and %d updates, want 1 and 1 (the partial, then the final answer)", len(posts), len(updates))
	}
	first := posts[0]
	if first.Thread != "300.1" || !strings.Contains(first.Text, "The talks") || !strings.Contains(string(first.Blocks), "writing…") {
		t.Errorf("first message = %+v, want the partial answer in the thread", first)
	}
	if strings.Contains(string(first.Blocks), "Top Trump officials") {
		t.Error("the partial message shows sources before the answer is done")
	}
	if final.TS != first.TS || final.Channel != "C1" {
		t.Errorf("final update edits %s/%s, want the first message %s/%s", final.Channel, final.TS, first.Channel, first.TS)
	}
	bs := blocksOf(t, final.Blocks)
	if s := strings.Join(texts(bs, "section"), ""); s != "The talks in Paris went on for a day [1] and ended without a deal." {
		t.Errorf("final answer = %q", s)
	}
	if c := strings.Join(texts(bs, "context"), ""); !strings.Contains(c, "Top Trump officials") || strings.Contains(c, "writing…") {
		t.Errorf("final context = %q", c)
	}
}

// A slash command's answer streams through its response_url: one partial
// message, then the final answer replacing it.
func TestStreamingThroughResponseURL(t *testing.T) {
	fa := streamingAsker()
	h := newHarness(t, fa, Options{UpdateInterval: time.Hour})
	fa.afterPartial = func(i int) {
		if i == 0 {
			waitCalls(h.slack, 1, isResponse("/s"))
		}
	}
	post(t, h.app.URL+"/slack/commands", form, commandForm("How did the talks go?", h.slack.responseURL("s")))
	h.slack.waitFor(2, isResponse("/s"))
	h.stop(t)
	got := h.slack.waitFor(2, isResponse("/s"))
	if len(got) != 2 {
		t.Fatalf("%d posts to the response_url, want 2", len(got))
	}
	if got[0].ReplaceOriginal || !strings.Contains(got[0].Text, "The talks") || strings.Contains(string(got[0].Blocks), shareActionID) {
		t.Errorf("partial = %+v", got[0])
	}
	if !got[1].ReplaceOriginal || !strings.Contains(string(got[1].Blocks), "Top Trump officials") || !strings.Contains(string(got[1].Blocks), shareActionID) {
		t.Errorf("final = %+v, want it to replace the partial, with sources and a Share button", got[1])
	}
}

// The streamer never sends more than its edit budget, and always the
// latest text.
func TestStreamerBudgetAndLatestText(t *testing.T) {
	sent := make(chan string, 100)
	s := newStreamer(2, 0, func(text string) { sent <- text })
	go s.run()
	for _, p := range []string{"a", "ab", "abc", "abcd", "abcde"} {
		s.update(p)
	}
	s.stop()
	close(sent)
	var got []string
	for x := range sent {
		got = append(got, x)
	}
	if len(got) > 2 {
		t.Errorf("sent %q, more than the budget of 2", got)
	}
	for i := 1; i < len(got); i++ {
		if len(got[i]) <= len(got[i-1]) {
			t.Errorf("sent %q: an older text after a newer one", got)
		}
	}
}

// On SIGTERM the adapter stops taking work but finishes what it has
// acknowledged: a slash command answer and a threaded reply are delivered
// before Run returns.
func TestShutdownFinishesAnswersInFlight(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Late but complete. [1]", Found: true, Citations: []bot.Citation{apCitation}},
		gate: make(chan struct{}), asked: make(chan bot.Question, 4)}
	h := newHarness(t, fa, Options{})
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("inflight")))
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvIn", mention("C1", "U1", "400.1", "", "<@UBOT> Who met Putin?")))
	<-fa.asked
	<-fa.asked
	h.cancel() // SIGTERM
	eventually(t, "the adapter to stop taking work", h.closed)

	res := post(t, h.app.URL+"/slack/commands", form, commandForm("One more?", h.slack.responseURL("refused")))
	var refused ackBody
	decodeJSON(t, res, &refused)
	if !strings.Contains(refused.Text, "restarting") {
		t.Errorf("a command during shutdown got %+v, want the restarting notice", refused)
	}
	res = post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvLate", mention("C1", "U1", "401.1", "", "<@UBOT> One more?")))
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("an event during shutdown got %d, want 503 so that Slack delivers it again", res.StatusCode)
	}
	select {
	case <-h.done:
		t.Fatal("Run returned with answers in flight")
	default:
	}
	close(fa.gate)
	if err := h.wait(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	var gotResponse, gotReply bool
	for _, c := range h.slack.snapshot() { // as they were when Run returned
		gotResponse = gotResponse || c.Method == "response" && strings.HasSuffix(c.Path, "/inflight") && strings.Contains(c.Text, "Late but complete")
		gotReply = gotReply || c.Method == "chat.postMessage" && c.Thread == "400.1" && strings.Contains(c.Text, "Late but complete")
	}
	if !gotResponse || !gotReply {
		t.Errorf("answers delivered before Run returned: response_url %v, thread %v; calls %+v", gotResponse, gotReply, h.slack.snapshot())
	}
	if n := len(fa.got()); n != 2 {
		t.Errorf("asked %d questions, want 2 (none after shutdown began)", n)
	}
}

// An answer that outlasts ShutdownTimeout is cancelled, and Run returns.
func TestShutdownTimeoutCancelsAnswers(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "never"}, gate: make(chan struct{}), asked: make(chan bot.Question, 1)}
	h := newHarness(t, fa, Options{ShutdownTimeout: 50 * time.Millisecond})
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("slow")))
	<-fa.asked
	if err := h.stop(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	if !strings.Contains(h.logs.String(), "shutdown timeout") {
		t.Errorf("log does not say answers were cancelled:\n%s", h.logs.String())
	}
}

// An answer the shutdown timeout cancels, for which the bot fell back to
// the extractive answer, is still delivered before Run returns: the user
// gets the fallback, not silence.
func TestShutdownTimeoutDeliversTheFallback(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "never"}, gate: make(chan struct{}), asked: make(chan bot.Question, 1),
		cancelled: &bot.Answer{Text: "Quoted instead. [1]", Found: true, Mode: bot.ModeTemplate, FallbackReason: bot.FallbackCanceled,
			Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{ShutdownTimeout: 50 * time.Millisecond})
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("slow")))
	<-fa.asked
	if err := h.stop(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	delivered := false
	for _, c := range h.slack.snapshot() { // as they were when Run returned
		delivered = delivered || c.Method == "response" && strings.HasSuffix(c.Path, "/slow") && strings.Contains(c.Text, "Quoted instead")
	}
	if !delivered {
		t.Errorf("the fallback was not delivered before Run returned; calls %+v\n%s", h.slack.snapshot(), h.logs.String())
	}
}

func TestBadTokenStopsRun(t *testing.T) {
	fs := newFakeSlack(t)
	a, err := New(&fakeAsker{}, Options{BotToken: "xoxb-revoked", SigningSecret: testSecret, APIURL: fs.apiURL()})
	if err != nil {
		t.Fatal(err)
	}
	err = a.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") || strings.Contains(err.Error(), "xoxb-revoked") {
		t.Errorf("Run with a refused token = %v, want an invalid_auth error without the token", err)
	}
}

func TestNewNamesMissingSettings(t *testing.T) {
	for _, tt := range []struct {
		opt  Options
		want string
	}{
		{Options{SigningSecret: "s"}, "SLACK_BOT_TOKEN"},
		{Options{BotToken: "xoxb-1"}, "SLACK_SIGNING_SECRET"},
	} {
		if _, err := New(&fakeAsker{}, tt.opt); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) = %v, want an error naming %s", tt.opt, err, tt.want)
		}
	}
	if _, err := New(&fakeAsker{}, Options{BotToken: "xoxb-1", AppToken: "xapp-1"}); err != nil {
		t.Errorf("Socket Mode without a signing secret: %v", err)
	}
}
