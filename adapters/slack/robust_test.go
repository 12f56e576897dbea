package slack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/safe"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
)

// panicky is a Retriever that panics on questions containing "boom" and
// searches the real index otherwise.
type panicky struct {
	next   bot.Retriever
	panics atomic.Int64
}

func (p *panicky) Search(ctx context.Context, q knowledge.Query) (*knowledge.Result, error) {
	if strings.Contains(strings.ToLower(q.Text), "boom") {
		p.panics.Add(1)
		var m map[string]int
		m["boom"]++ // a real runtime panic: assignment to entry in nil map
	}
	return p.next.Search(ctx, q)
}

// panickyBot is the real bot over the sample, with a retriever that panics
// on "boom".
func panickyBot(t *testing.T) (*bot.Bot, *panicky) {
	b := testkit.Bot(testkit.SampleStore(t), nil)
	p := &panicky{next: b.Retriever}
	b.Retriever = p
	return b, p
}

// checkPanicLogged fails unless the log has the recovered panic at error
// level, with its stack.
func checkPanicLogged(t *testing.T, logs string) {
	t.Helper()
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "level=ERROR") && strings.Contains(line, `msg="recovered from a panic"`) &&
			strings.Contains(line, "assignment to entry in nil map") && strings.Contains(line, "goroutine ") && strings.Contains(line, "panicky") {
			return
		}
	}
	t.Errorf("no error line with the panic and its stack in the log:\n%s", logs)
}

func TestPanicWhileAnsweringOverHTTPIsRecovered(t *testing.T) {
	b, p := panickyBot(t)
	h := newHarness(t, b, Options{})
	before := safe.Panics()

	// A slash command whose answer panics: acknowledged, then the apology
	// through its response_url.
	if res := post(t, h.app.URL+"/slack/commands", form, commandForm("boom who met Putin?", h.slack.responseURL("p1"))); res.StatusCode != http.StatusOK {
		t.Fatalf("slash command: %d", res.StatusCode)
	}
	got := h.slack.waitFor(1, isResponse("/p1"))[0]
	if got.Text != apology || got.ResponseType != "ephemeral" {
		t.Errorf("after a panic the user got %+v, want the apology", got)
	}
	// The next question is answered.
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Vladimir Putin last week?", h.slack.responseURL("p2")))
	if next := h.slack.waitFor(1, isResponse("/p2"))[0]; !strings.Contains(next.Text, "Vladimir Putin") || !strings.Contains(next.Text, "Sources: [1]") {
		t.Errorf("the question after the panic got %q", next.Text)
	}

	// A mention whose answer panics: the apology in its thread; the next
	// mention is answered.
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvBoom", mention("C1", "U1", "9.1", "", "<@UBOT> boom?")))
	apologised := h.slack.waitFor(1, isMethod("chat.postMessage"))[0]
	if apologised.Thread != "9.1" || apologised.Text != apology {
		t.Errorf("mention apology = %+v", apologised)
	}
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvOK", mention("C1", "U1", "9.2", "", "<@UBOT> Who met Vladimir Putin last week?")))
	if next := h.slack.waitFor(2, isMethod("chat.postMessage"))[1]; next.Thread != "9.2" || !strings.Contains(next.Text, "Vladimir Putin") {
		t.Errorf("the mention after the panic got %+v", next)
	}
	if n := p.panics.Load(); n != 2 {
		t.Errorf("the retriever panicked %d times, want 2", n)
	}
	if n := safe.Panics() - before; n < 2 {
		t.Errorf("safe.Panics grew by %d, want at least 2", n)
	}
	checkPanicLogged(t, h.logs.String())
}

func TestPanicWhileAnsweringOverSocketModeIsRecovered(t *testing.T) {
	b, _ := panickyBot(t)
	h := newHarness(t, b, Options{AppToken: testAppToken})
	peer := accept(t, h.slack, 1)

	peer.envelope("env-1", "slash_commands", slashPayload("boom", h.slack.responseURL("s1")), 0)
	if got := h.slack.waitFor(1, isResponse("/s1"))[0]; got.Text != apology {
		t.Errorf("after a panic the user got %q, want the apology", got.Text)
	}
	peer.envelope("env-2", "events_api", json.RawMessage(eventJSON("EvS1", mention("C1", "U1", "1.1", "", "<@UBOT> boom"))), 0)
	if got := h.slack.waitFor(1, isMethod("chat.postMessage"))[0]; got.Text != apology || got.Thread != "1.1" {
		t.Errorf("mention apology = %+v", got)
	}
	// The connection goes on: the next question is answered.
	peer.envelope("env-3", "slash_commands", slashPayload("Who met Vladimir Putin last week?", h.slack.responseURL("s2")), 0)
	if got := h.slack.waitFor(1, isResponse("/s2"))[0]; !strings.Contains(got.Text, "Vladimir Putin") {
		t.Errorf("the question after the panic got %q", got.Text)
	}
	checkPanicLogged(t, h.logs.String())
}

// boomDeduper panics on keys containing "boom", the way a failing store
// driver might, inside the handling of a request itself (before its
// acknowledgement).
type boomDeduper struct{ seenSet }

func (d *boomDeduper) FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if strings.Contains(key, "boom") {
		panic("dedupe boom")
	}
	return d.seenSet.FirstSeen(ctx, key, ttl)
}

// A panic in the handling of a Socket Mode event itself is recovered: the
// envelope is acknowledged, a slash command's with the apology, and the
// connection reads the next one.
func TestPanicInSocketModeEventIsRecovered(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Fine. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{AppToken: testAppToken, Dedupe: &boomDeduper{}})
	peer := accept(t, h.slack, 1)
	p := slashPayload("Who met Putin?", h.slack.responseURL("x1"))
	p["trigger_id"] = "boom.1"
	ack := peer.envelope("env-1", "slash_commands", p, 0)
	if b, _ := json.Marshal(ack["payload"]); !strings.Contains(string(b), apology) {
		t.Errorf("ack after a panic = %s, want the apology", b)
	}
	peer.envelope("env-2", "slash_commands", slashPayload("Who met Putin?", h.slack.responseURL("x2")), 0)
	if got := h.slack.waitFor(1, isResponse("/x2"))[0]; !strings.Contains(got.Text, "Fine.") {
		t.Errorf("the question after the panic got %q", got.Text)
	}
	if n := len(h.slack.waitFor(0, isResponse("/x1"))); n != 0 {
		t.Errorf("%d posts to the response_url of the command that panicked", n)
	}
	if !strings.Contains(h.logs.String(), "dedupe boom") {
		t.Errorf("the panic is not logged:\n%s", h.logs.String())
	}
}

// A panic in an HTTP handler (before any response) is recovered: Slack
// gets a 200, a slash command the apology as its response, and the next
// request is handled.
func TestPanicInHTTPHandlerIsRecovered(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Fine. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{Dedupe: &boomDeduper{}})
	body := strings.Replace(commandForm("Who met Putin?", h.slack.responseURL("h1")), "trigger_id=", "trigger_id=boom", 1)
	res := post(t, h.app.URL+"/slack/commands", form, body)
	var got struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	decodeJSON(t, res, &got)
	if res.StatusCode != http.StatusOK || got.Text != apology || got.ResponseType != "ephemeral" {
		t.Errorf("after a handler panic: %d %+v, want 200 and the apology", res.StatusCode, got)
	}
	res = post(t, h.app.URL+"/slack/events", "application/json", eventJSON("boom", mention("C1", "U1", "1.1", "", "<@UBOT> hi")))
	if b, _ := io.ReadAll(res.Body); res.StatusCode != http.StatusOK || len(b) != 0 {
		t.Errorf("event after a handler panic: %d %q, want an empty 200", res.StatusCode, b)
	}
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("h2")))
	if got := h.slack.waitFor(1, isResponse("/h2"))[0]; !strings.Contains(got.Text, "Fine.") {
		t.Errorf("the question after the panic got %q", got.Text)
	}
	if !strings.Contains(h.logs.String(), "dedupe boom") {
		t.Errorf("the panic is not logged:\n%s", h.logs.String())
	}
}
