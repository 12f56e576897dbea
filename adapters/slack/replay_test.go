package slack

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

// A slash command replayed (the same body, with its trigger_id, signed
// again) is acknowledged both times and answered once.
func TestReplayedSlashCommandIsAnsweredOnce(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Once. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{})
	body := commandForm("Who met Putin?", h.slack.responseURL("rp"))
	for i := range 3 {
		res := post(t, h.app.URL+"/slack/commands", form, body)
		if b, _ := io.ReadAll(res.Body); res.StatusCode != http.StatusOK || len(b) != 0 {
			t.Errorf("delivery %d: %d %q, want an empty 200", i, res.StatusCode, b)
		}
	}
	// A different command (a new trigger_id) is answered.
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("rp2")))
	h.slack.waitFor(1, isResponse("/rp2"))
	h.stop(t)
	if n := len(h.slack.waitFor(0, isResponse("/rp"))); n != 1 {
		t.Errorf("%d answers to one slash command delivered three times, want 1", n)
	}
	if n := len(fa.got()); n != 2 {
		t.Errorf("asked %d times, want 2", n)
	}
	if !strings.Contains(h.logs.String(), "duplicate slash command ignored") {
		t.Errorf("the replay is not logged:\n%s", h.logs.String())
	}
}

// countingDeduper is a shared Deduper (as the PostgreSQL store is for
// several instances), counting its calls.
type countingDeduper struct {
	seenSet
	calls atomic.Int64
}

func (d *countingDeduper) FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	d.calls.Add(1)
	return d.seenSet.FirstSeen(ctx, key, ttl)
}

// Two instances behind one Slack app share the Deduper: a slash command
// replayed to the other instance, and an event redelivered to it, are
// answered once.
func TestInstancesSharingADeduperAnswerOnce(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Once. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	shared := &countingDeduper{}
	one := newHarness(t, fa, Options{Dedupe: shared})
	two := newHarness(t, fa, Options{Dedupe: shared})
	cmd := commandForm("Who met Putin?", one.slack.responseURL("sh"))
	post(t, one.app.URL+"/slack/commands", form, cmd)
	post(t, two.app.URL+"/slack/commands", form, cmd)
	ev := eventJSON("EvShared", mention("C1", "U1", "3.1", "", "<@UBOT> Who met Putin?"))
	post(t, one.app.URL+"/slack/events", "application/json", ev)
	post(t, two.app.URL+"/slack/events", "application/json", ev, "X-Slack-Retry-Num", "1")
	one.slack.waitFor(1, isResponse("/sh"))
	one.slack.waitFor(1, isMethod("chat.postMessage"))
	one.stop(t)
	two.stop(t)
	if n := len(one.slack.snapshot()) + len(two.slack.snapshot()); n != 2 {
		t.Errorf("%d posts to Slack for one command and one event, each delivered to both instances; want 2:\n%+v\n%+v", n, one.slack.snapshot(), two.slack.snapshot())
	}
	if n := len(fa.got()); n != 2 {
		t.Errorf("asked %d times, want 2", n)
	}
	if shared.calls.Load() == 0 {
		t.Error("the shared deduper was not used")
	}
}

func TestResponseURLMustBeSlack(t *testing.T) {
	a := &Adapter{apiScheme: "http", apiHost: "127.0.0.1:8080"}
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://hooks.slack.com/commands/T1/123/abc", true},
		{"https://HOOKS.Slack.com/actions/T1/123/abc", true},
		{"https://newsroom.slack.com/x", true},
		{"https://hooks.slack.com:443/x", true},
		{"http://127.0.0.1:8080/response/1", true}, // SLACK_API_URL's host (tests)
		{"http://hooks.slack.com/commands/T1", false},
		{"https://hooks.slack.com:8443/x", false},
		{"https://slack.com.evil.example/x", false},
		{"https://evilslack.com/x", false},
		{"https://hooks.slack.com@169.254.169.254/latest/meta-data", false},
		{"https://user:pass@hooks.slack.com/x", false},
		{"http://169.254.169.254/latest/meta-data/", false},
		{"https://[fd00:ec2::254]/latest", false},
		{"http://127.0.0.1:8081/response/1", false},
		{"http://localhost:8080/response/1", false},
		{"file:///etc/passwd", false},
		{"https://.slack.com/x", false},
		{"https://a..slack.com/x", false},
		{"://", false},
		{"", false},
	} {
		if err := a.checkResponseURL(c.url); (err == nil) != c.ok {
			t.Errorf("checkResponseURL(%q) = %v, want ok=%v", c.url, err, c.ok)
		}
	}
	// GovSlack: SLACK_API_URL https://slack-gov.com/api/.
	gov := &Adapter{apiScheme: "https", apiHost: "slack-gov.com"}
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://hooks.slack-gov.com/commands/T1/1/x", true},
		{"https://slack-gov.com/x", true},
		{"https://hooks.slack.com/commands/T1/1/x", true},
		{"http://hooks.slack-gov.com/commands/T1/1/x", false},
		{"https://evilslack-gov.com/x", false},
		{"https://slack-gov.com.evil.example/x", false},
	} {
		if err := gov.checkResponseURL(c.url); (err == nil) != c.ok {
			t.Errorf("GovSlack: checkResponseURL(%q) = %v, want ok=%v", c.url, err, c.ok)
		}
	}
}

// A slash command or a button click whose response_url is not Slack's is
// refused: logged, and the URL never fetched.
func TestForeignResponseURLIsNeverFetched(t *testing.T) {
	var fetched atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fetched.Add(1) }))
	t.Cleanup(elsewhere.Close)
	fa := &fakeAsker{answer: &bot.Answer{Text: "Answer. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{})
	res := post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", elsewhere.URL+"/steal"))
	var got ackBody
	decodeJSON(t, res, &got)
	if got.ResponseType != "ephemeral" || got.Text == "" {
		t.Errorf("refused command acknowledged with %+v, want an ephemeral notice", got)
	}
	payload := `{"type":"block_actions","user":{"id":"U1"},"team":{"id":"T1"},"channel":{"id":"C1"},"response_url":"` + elsewhere.URL + `/steal2","actions":[{"type":"button","block_id":"b1","action_id":"` + shareActionID + `","value":"x"}]}`
	post(t, h.app.URL+"/slack/interactions", form, url.Values{"payload": {payload}}.Encode())
	h.stop(t)
	if n := fetched.Load(); n != 0 {
		t.Errorf("a foreign response_url was fetched %d times", n)
	}
	if n := len(fa.got()); n != 0 {
		t.Errorf("asked %d times for a refused command", n)
	}
	if logs := h.logs.String(); strings.Count(logs, "refused a response_url") != 2 {
		t.Errorf("refusals are not logged:\n%s", logs)
	}
}

// Slack failing (5xx) or rate limiting (429) chat.postMessage and
// response_url posts: the adapter retries within reason, gives up with a
// log line when Slack keeps failing or asks for too long a wait, and the
// next question is answered.
func TestSlackFaultsAreRetriedOrGivenUp(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Answered. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{Retries: 2, MaxRetryAfter: 5 * time.Second})

	// Two 5xx, then success: answered after the retries.
	h.slack.fail("chat.postMessage", 2, http.StatusInternalServerError, "")
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvF1", mention("C1", "U1", "1.1", "", "<@UBOT> Who met Putin?")))
	if got := h.slack.waitFor(1, isMethod("chat.postMessage"))[0]; got.Thread != "1.1" {
		t.Errorf("answer after 5xx = %+v", got)
	}
	h.slack.fail("response", 1, http.StatusServiceUnavailable, "")
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("f1")))
	h.slack.waitFor(1, isResponse("/f1"))

	// Slack keeps failing: given up after the retries, with a log line.
	h.slack.fail("chat.postMessage", 3, http.StatusBadGateway, "")
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvF2", mention("C1", "U1", "2.1", "", "<@UBOT> Who met Putin?")))
	eventually(t, "the give-up log line", func() bool { return strings.Contains(h.logs.String(), `msg="send reply"`) })

	// A Retry-After longer than MaxRetryAfter is not waited for.
	h.slack.fail("response", 1, http.StatusTooManyRequests, "3600")
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("f2")))
	eventually(t, "the rate-limit give-up log line", func() bool {
		return strings.Contains(h.logs.String(), "rate limited by Slack for too long; giving up")
	})

	// And the next questions are answered.
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvF3", mention("C1", "U1", "3.1", "", "<@UBOT> Who met Putin?")))
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("f3")))
	h.slack.waitFor(1, isResponse("/f3"))
	posts := h.slack.waitFor(2, isMethod("chat.postMessage"))
	if posts[1].Thread != "3.1" {
		t.Errorf("answers in threads %q and %q, want 1.1 and 3.1", posts[0].Thread, posts[1].Thread)
	}
	var order []string
	for _, c := range h.slack.snapshot() {
		order = append(order, c.Method)
	}
	want := []string{"500 chat.postMessage", "500 chat.postMessage", "chat.postMessage", "503 response", "response",
		"502 chat.postMessage", "502 chat.postMessage", "502 chat.postMessage", "429 response"}
	if strings.Join(order[:len(want)], ",") != strings.Join(want, ",") {
		t.Errorf("calls to Slack %q, want first %q", order, want)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "Slack failed; retrying") || !strings.Contains(logs, "status=502") {
		t.Errorf("5xx retries are not logged:\n%s", logs)
	}
}
