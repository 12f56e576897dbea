package slack

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

const form = "application/x-www-form-urlencoded"

func isResponse(path string) func(call) bool {
	return func(c call) bool { return c.Method == "response" && strings.HasSuffix(c.Path, path) }
}

func TestSlashCommandAnswersThroughResponseURL(t *testing.T) {
	h := newHarness(t, realBot(t), Options{})
	res := post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Vladimir Putin last week?", h.slack.responseURL("r1")))
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || len(body) != 0 {
		t.Fatalf("slash command acknowledged with %d %q, want an empty 200", res.StatusCode, body)
	}
	got := h.slack.waitFor(1, isResponse("/r1"))[0]
	if got.ResponseType != "ephemeral" || got.ReplaceOriginal {
		t.Errorf("answer posted as %q (replace %v), want a new ephemeral message", got.ResponseType, got.ReplaceOriginal)
	}
	bs := blocksOf(t, got.Blocks)
	checkLimits(t, bs)
	checkSafe(t, "answer", got.Raw)
	answer := strings.Join(texts(bs, "section"), "\n")
	if !strings.Contains(answer, "Witkoff met last week with Russian President Vladimir Putin") || !strings.Contains(answer, "[1]") {
		t.Errorf("answer section:\n%s", answer)
	}
	sources := strings.Join(texts(bs, "context"), "\n")
	for _, want := range []string{"*Q:* Who met Vladimir Putin last week?", "*[1]*", "Top Trump officials will hold talks", "AP, 16 Apr 2025, paragraph 6"} {
		if !strings.Contains(sources, want) {
			t.Errorf("context blocks lack %q:\n%s", want, sources)
		}
	}
	if !strings.Contains(got.Text, "Vladimir Putin") || !strings.Contains(got.Text, "Sources: [1]") {
		t.Errorf("fallback text = %q", got.Text)
	}

	// "Share in channel" posts the same answer to the channel and removes
	// the ephemeral one.
	shareID := shareButton(t, bs)
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1", "username": "ada"}, "team": map[string]any{"id": "T1"},
		"channel": map[string]any{"id": "C1"}, "response_url": h.slack.responseURL("i1"), "trigger_id": "1.2",
		"container": map[string]any{"type": "message", "is_ephemeral": true},
		"actions":   []any{map[string]any{"type": "button", "action_id": shareActionID, "block_id": "b1", "value": shareID}},
	})
	res = post(t, h.app.URL+"/slack/interactions", form, url.Values{"payload": {string(payload)}}.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("interaction: %d", res.StatusCode)
	}
	posts := h.slack.waitFor(2, isResponse("/i1"))
	if posts[0].ResponseType != "in_channel" || posts[0].DeleteOriginal {
		t.Errorf("shared answer posted as %q, want in_channel", posts[0].ResponseType)
	}
	shared := blocksOf(t, posts[0].Blocks)
	if s := strings.Join(texts(shared, "section"), "\n"); s != answer {
		t.Errorf("shared answer differs:\n%s\nwant\n%s", s, answer)
	}
	if c := strings.Join(texts(shared, "context"), "\n"); !strings.Contains(c, "<@U1> asked: Who met Vladimir Putin last week?") || !strings.Contains(c, "AP, 16 Apr 2025, paragraph 6") {
		t.Errorf("shared answer context:\n%s", c)
	}
	if strings.Contains(string(posts[0].Blocks), shareActionID) {
		t.Error("the shared answer still has a Share button")
	}
	if !posts[1].DeleteOriginal {
		t.Errorf("second post to the interaction's response_url = %+v, want delete_original", posts[1])
	}

	// A second click on the same button: the answer was shared already.
	res = post(t, h.app.URL+"/slack/interactions", form, url.Values{"payload": {strings.Replace(string(payload), "/i1", "/i2", 1)}}.Encode())
	if c := h.slack.waitFor(1, isResponse("/i2"))[0]; c.ResponseType != "ephemeral" || !strings.Contains(c.Text, "no longer be shared") {
		t.Errorf("second share = %+v", c)
	}
}

// ackBody is a slash command's immediate response as Slack reads it.
type ackBody struct {
	ResponseType string          `json:"response_type"`
	Text         string          `json:"text"`
	Blocks       json.RawMessage `json:"blocks"`
}

// shareButton returns the value of the "Share in channel" button.
func shareButton(t *testing.T, bs []map[string]any) string {
	t.Helper()
	for _, b := range bs {
		if b["type"] != "actions" {
			continue
		}
		for _, e := range b["elements"].([]any) {
			el := e.(map[string]any)
			if el["action_id"] == shareActionID {
				return el["value"].(string)
			}
		}
	}
	t.Fatal("no Share in channel button")
	return ""
}

func TestSlashHelpLatestAndInChannel(t *testing.T) {
	h := newHarness(t, realBot(t), Options{InChannel: true})
	res := post(t, h.app.URL+"/slack/commands", form, commandForm("help", h.slack.responseURL("h")))
	var help ackBody
	if err := json.NewDecoder(res.Body).Decode(&help); err != nil || help.ResponseType != "ephemeral" || !strings.Contains(help.Text, "/news &lt;question&gt;") ||
		strings.Contains(help.Text+string(help.Blocks), "<question>") || strings.Contains(string(help.Blocks), `\u003cquestion`) {
		t.Errorf("help = %+v, %v", help, err)
	}
	res = post(t, h.app.URL+"/slack/commands", form, commandForm("latest", h.slack.responseURL("l")))
	var acked ackBody
	if err := json.NewDecoder(res.Body).Decode(&acked); err != nil || acked.ResponseType != "in_channel" {
		t.Errorf("in_channel acknowledgement = %+v, %v; want response_type in_channel", acked, err)
	}
	got := h.slack.waitFor(1, isResponse("/l"))[0]
	bs := blocksOf(t, got.Blocks)
	if got.ResponseType != "in_channel" || !strings.Contains(strings.Join(texts(bs, "section"), "\n"), "Top Trump officials will hold talks") {
		t.Errorf("latest = %+v", got)
	}
	checkSafe(t, "headlines", got.Raw)
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Vladimir Putin last week?", h.slack.responseURL("q")))
	if got := h.slack.waitFor(1, isResponse("/q"))[0]; strings.Contains(string(got.Blocks), shareActionID) {
		t.Error("an in_channel answer has a Share button")
	}
}

func TestMentionAnswersInThreadWithFollowUps(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Witkoff met Putin. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{})
	events := []string{
		eventJSON("Ev1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin last week?")),
		eventJSON("Ev2", mention("C1", "U2", "100.5", "100.1", "<@UBOT> and where?")),
		eventJSON("Ev3", mention("C1", "U1", "200.1", "", "<@UBOT> What about energy?")),
	}
	for i, e := range events {
		if res := post(t, h.app.URL+"/slack/events", "application/json", e); res.StatusCode != http.StatusOK {
			t.Fatalf("event %d: %d", i, res.StatusCode)
		}
		h.slack.waitFor(i+1, isMethod("chat.postMessage")) // in order, so that history is deterministic
	}
	posts := h.slack.waitFor(3, isMethod("chat.postMessage"))
	for i, want := range []string{"100.1", "100.1", "200.1"} {
		if posts[i].Channel != "C1" || posts[i].Thread != want {
			t.Errorf("reply %d in %s thread %q, want C1 thread %q", i, posts[i].Channel, posts[i].Thread, want)
		}
		bs := blocksOf(t, posts[i].Blocks)
		if !strings.Contains(strings.Join(texts(bs, "context"), ""), "Top Trump officials") {
			t.Errorf("reply %d has no sources", i)
		}
	}
	qs := fa.got()
	if len(qs) != 3 {
		t.Fatalf("asked %d questions, want 3", len(qs))
	}
	if qs[0].Text != "Who met Vladimir Putin last week?" || len(qs[0].History) != 0 {
		t.Errorf("first question = %q, history %q", qs[0].Text, qs[0].History)
	}
	if qs[1].Text != "and where?" || len(qs[1].History) != 1 || qs[1].History[0] != "Who met Vladimir Putin last week?" {
		t.Errorf("follow-up = %q with history %q, want the thread's first question", qs[1].Text, qs[1].History)
	}
	if len(qs[2].History) != 0 {
		t.Errorf("a new thread's question has history %q", qs[2].History)
	}
}

func TestRealBotFollowUpInThread(t *testing.T) {
	h := newHarness(t, realBot(t), Options{})
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Ev1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin last week?")))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Ev2", mention("C1", "U1", "100.9", "100.1", "<@UBOT> and where were earlier rounds of negotiations held?")))
	reply := h.slack.waitFor(2, isMethod("chat.postMessage"))[1]
	if reply.Thread != "100.1" || !strings.Contains(reply.Text, "Saudi Arabia") {
		t.Errorf("follow-up reply in thread %q: %s", reply.Thread, reply.Text)
	}
}

// In a thread, a question for the news of a day is that day's headlines,
// not more about the thread's subject, and a bare "Warum?" is about the
// subject, answered in German (issue 12).
func TestRealBotDayNewsAndForeignFollowUpInThread(t *testing.T) {
	h := newHarness(t, realBot(t), Options{})
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Ev1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin last week?")))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Ev2", mention("C1", "U1", "100.5", "100.1", "<@UBOT> What happened on April 16, 2025?")))
	reply := h.slack.waitFor(2, isMethod("chat.postMessage"))[1]
	if reply.Thread != "100.1" || !strings.Contains(reply.Text, "• ") || !strings.Contains(reply.Text, "Top Trump officials will hold talks") {
		t.Errorf("the day's news in thread %q: %s; want the headlines", reply.Thread, reply.Text)
	}
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Ev3", mention("C1", "U1", "100.9", "100.1", "<@UBOT> Warum?")))
	reply = h.slack.waitFor(3, isMethod("chat.postMessage"))[2]
	if reply.Thread != "100.1" || strings.Contains(reply.Text, "Rückfrage") || !strings.Contains(reply.Text, "Apr. 2025") {
		t.Errorf("Warum? in thread %q: %s; want a German answer about the thread's subject", reply.Thread, reply.Text)
	}
}

func TestDirectMessagesAndIgnoredMessages(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "An answer. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{})
	msg := func(channel, channelType, user, ts, text string, extra map[string]any) map[string]any {
		m := map[string]any{"type": "message", "channel": channel, "channel_type": channelType, "user": user, "text": text, "ts": ts, "event_ts": ts}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	ignored := []map[string]any{
		msg("C1", "channel", "U1", "1.1", "what happened in Paris?", nil),                                         // no mention, not a DM
		msg("D1", "im", testBotUser, "1.2", "my own message", nil),                                                // itself
		msg("D1", "im", "U2", "1.3", "from a bot", map[string]any{"bot_id": "B2"}),                                // a bot
		msg("D1", "im", "U1", "1.4", "edited", map[string]any{"subtype": "message_changed"}),                      // an edit
		{"type": "app_mention", "user": "U3", "bot_id": "B3", "text": "<@UBOT> hi", "ts": "1.5", "channel": "C1"}, // a bot mentioning it
	}
	for i, e := range ignored {
		post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Ign"+string(rune('A'+i)), e))
	}
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Dm1", msg("D1", "im", "U1", "2.1", "What happened in Paris?", nil)))
	got := h.slack.waitFor(1, isMethod("chat.postMessage"))[0]
	if got.Channel != "D1" || got.Thread != "" {
		t.Errorf("DM answered in %s thread %q, want D1 without a thread", got.Channel, got.Thread)
	}
	// A mention in a DM arrives twice (message.im and app_mention): one answer.
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Dm2", mention("D1", "U1", "2.1", "", "<@UBOT> What happened in Paris?")))
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Dm3", msg("D1", "im", "U1", "3.1", "And in Rome?", nil)))
	h.slack.waitFor(2, isMethod("chat.postMessage"))
	h.stop(t) // finishes anything in flight
	if n := len(fa.got()); n != 2 {
		t.Errorf("asked %d questions, want 2 (the two DMs): %+v", n, fa.got())
	}
	if qs := fa.got(); len(qs) == 2 && (len(qs[1].History) != 1 || qs[1].History[0] != "What happened in Paris?") {
		t.Errorf("second DM history = %q, want the first", qs[1].History)
	}
}

func TestRequestsWithoutAValidSignatureAreRejected(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "never"}}
	h := newHarness(t, fa, Options{})
	bodies := map[string]string{
		"/slack/commands":     commandForm("Who met Putin?", h.slack.responseURL("x")),
		"/slack/events":       eventJSON("EvX", mention("C1", "U1", "9.1", "", "<@UBOT> Who met Putin?")),
		"/slack/interactions": url.Values{"payload": {`{"type":"block_actions","response_url":"` + h.slack.responseURL("x") + `","actions":[{"action_id":"newsbot_share","block_id":"b","value":"v"}]}`}}.Encode(),
	}
	cases := map[string]func(r *http.Request, body string){
		"forged signature": func(r *http.Request, body string) {
			sign(r, testSecret, time.Now(), body)
			r.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("ab", 32))
		},
		"wrong secret":     func(r *http.Request, body string) { sign(r, "not-the-secret", time.Now(), body) },
		"stale timestamp":  func(r *http.Request, body string) { sign(r, testSecret, time.Now().Add(-6*time.Minute), body) },
		"future timestamp": func(r *http.Request, body string) { sign(r, testSecret, time.Now().Add(6*time.Minute), body) },
		"body changed":     func(r *http.Request, body string) { sign(r, testSecret, time.Now(), body+"&x=1") },
		"missing headers":  func(r *http.Request, body string) {},
		"missing signature": func(r *http.Request, body string) {
			sign(r, testSecret, time.Now(), body)
			r.Header.Del("X-Slack-Signature")
		},
		"missing timestamp": func(r *http.Request, body string) {
			sign(r, testSecret, time.Now(), body)
			r.Header.Del("X-Slack-Request-Timestamp")
		},
		"malformed timestamp": func(r *http.Request, body string) {
			sign(r, testSecret, time.Now(), body)
			r.Header.Set("X-Slack-Request-Timestamp", "soon")
		},
		"malformed signature": func(r *http.Request, body string) {
			sign(r, testSecret, time.Now(), body)
			r.Header.Set("X-Slack-Signature", "v0=zz")
		},
		"signature version v1": func(r *http.Request, body string) {
			sign(r, testSecret, time.Now(), body)
			r.Header.Set("X-Slack-Signature", "v1=00")
		},
	}
	for path, body := range bodies {
		for name, prepare := range cases {
			r, _ := http.NewRequest(http.MethodPost, h.app.URL+path, strings.NewReader(body))
			r.Header.Set("Content-Type", form)
			prepare(r, body)
			res := do(t, r)
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s: status %d, want 401", path, name, res.StatusCode)
			}
		}
	}
	// The url_verification challenge is not echoed without a signature.
	r, _ := http.NewRequest(http.MethodPost, h.app.URL+"/slack/events", strings.NewReader(`{"type":"url_verification","challenge":"c0ffee"}`))
	res := do(t, r)
	if b, _ := io.ReadAll(res.Body); res.StatusCode != http.StatusUnauthorized || strings.Contains(string(b), "c0ffee") {
		t.Errorf("unsigned url_verification: %d %q", res.StatusCode, b)
	}
	h.stop(t) // anything started would have finished by now
	if n := len(fa.got()); n != 0 {
		t.Errorf("rejected requests asked the bot %d questions", n)
	}
	for _, c := range h.slack.snapshot() {
		t.Errorf("rejected requests reached Slack: %+v", c)
	}
	if !strings.Contains(h.logs.String(), "rejected unsigned request") {
		t.Errorf("rejections are not logged:\n%s", h.logs.String())
	}
}

func TestURLVerificationChallenge(t *testing.T) {
	h := newHarness(t, &fakeAsker{}, Options{})
	res := post(t, h.app.URL+"/slack/events", "application/json", `{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || string(b) != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge answered %d %q", res.StatusCode, b)
	}
}

func TestRetriedEventIsAnsweredOnce(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Once. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{})
	ev := eventJSON("EvRetry", mention("C1", "U1", "5.1", "", "<@UBOT> Who met Putin?"))
	for i, hdr := range [][]string{nil, {"X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"}, {"X-Slack-Retry-Num", "2", "X-Slack-Retry-Reason", "http_timeout"}} {
		if res := post(t, h.app.URL+"/slack/events", "application/json", ev, hdr...); res.StatusCode != http.StatusOK {
			t.Errorf("delivery %d: status %d, want 200 (or Slack keeps retrying)", i, res.StatusCode)
		}
	}
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	h.stop(t)
	if n := len(h.slack.waitFor(1, isMethod("chat.postMessage"))); n != 1 {
		t.Errorf("%d answers to one event delivered three times, want 1", n)
	}
	if n := len(fa.got()); n != 1 {
		t.Errorf("asked %d times, want 1", n)
	}
}

func TestMentionsInQuestionsAndSourcesAreNeutralised(t *testing.T) {
	h := newHarness(t, realBot(t), Options{})
	q := "<!channel> what did the harbour master say about the lighthouse closure? <!here> <@U2>"
	post(t, h.app.URL+"/slack/commands", form, commandForm(q, h.slack.responseURL("n1")))
	got := h.slack.waitFor(1, isResponse("/n1"))[0]
	checkSafe(t, "slash answer", got.Raw)
	bs := blocksOf(t, got.Blocks)
	all := strings.Join(append(texts(bs, "section"), texts(bs, "context")...), "\n")
	for _, want := range []string{"harbour master said &lt;!channel&gt; and @\u2060here were told", "*Q:* @\u2060channel what did the harbour master say", "Harbour alert &lt;!channel&gt;", "Example &lt;!here&gt; News"} {
		if !strings.Contains(all, want) {
			t.Errorf("answer lacks %q:\n%s", want, all)
		}
	}
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvN", mention("C1", "U1", "7.1", "", "<@UBOT> <!everyone> what did the harbour master say about the lighthouse closure?")))
	reply := h.slack.waitFor(1, isMethod("chat.postMessage"))[0]
	checkSafe(t, "thread reply blocks", string(reply.Blocks))
	checkSafe(t, "thread reply text", reply.Text)
	if !strings.Contains(string(reply.Blocks), "lighthouse closure") {
		t.Errorf("thread reply: %s", reply.Blocks)
	}
}

func TestWebAPIRateLimitIsRetried(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Retried. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{})
	h.slack.rateLimit("chat.postMessage", 1)
	h.slack.rateLimit("response", 1)
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("Ev429", mention("C1", "U1", "8.1", "", "<@UBOT> Who met Putin?")))
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("rl")))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	h.slack.waitFor(1, isResponse("/rl"))
	var order []string
	for _, c := range h.slack.snapshot() {
		order = append(order, c.Method)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "call=chat.postMessage retry_after=1") || !strings.Contains(logs, "call=response_url") || strings.Contains(logs, "/response/rl") {
		t.Errorf("rate limits are not logged as expected:\n%s", logs)
	}
	for _, m := range []string{"chat.postMessage", "response"} {
		i, j := indexOf(order, "429 "+m), indexOf(order, m)
		if i < 0 || j < i {
			t.Errorf("%s: want a 429 then the retried call; calls: %q", m, order)
		}
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func TestPerUserRateLimit(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Fine. [1]", Found: true, Citations: []bot.Citation{apCitation}}}
	h := newHarness(t, fa, Options{Limiter: &bot.Limiter{PerMinute: 1}})
	post(t, h.app.URL+"/slack/commands", form, commandForm("first?", h.slack.responseURL("a")))
	res := post(t, h.app.URL+"/slack/commands", form, commandForm("second?", h.slack.responseURL("b")))
	var limited ackBody
	json.NewDecoder(res.Body).Decode(&limited)
	if limited.ResponseType != "ephemeral" || !strings.Contains(limited.Text, "asking faster than I can read the news") {
		t.Errorf("second command = %+v, want the rate limit message", limited)
	}
	// The same user mentioning the bot is limited too, privately.
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvL", mention("C1", "U1", "9.1", "", "<@UBOT> third?")))
	eph := h.slack.waitFor(1, isMethod("chat.postEphemeral"))[0]
	if eph.Channel != "C1" || eph.Thread != "9.1" || !strings.Contains(eph.Text, "asking faster") || !strings.Contains(eph.Raw, "user=U1") {
		t.Errorf("rate limit notice = %+v", eph)
	}
	// Another user is not.
	post(t, h.app.URL+"/slack/events", "application/json", eventJSON("EvM", mention("C1", "U2", "9.2", "", "<@UBOT> fourth?")))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	h.stop(t)
	if n := len(fa.got()); n != 2 {
		t.Errorf("asked %d questions, want 2", n)
	}
}

func TestErrorsReachUsersAsASentenceAndTheLogWithTheCause(t *testing.T) {
	fa := &fakeAsker{err: errors.New("sqlite: disk I/O error at page 7")}
	h := newHarness(t, fa, Options{})
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Putin?", h.slack.responseURL("e")))
	got := h.slack.waitFor(1, isResponse("/e"))[0]
	if !strings.Contains(got.Text, "Sorry, something went wrong") || strings.Contains(got.Raw, "sqlite") {
		t.Errorf("user saw %q", got.Text)
	}
	res := post(t, h.app.URL+"/slack/commands", form, commandForm(strings.Repeat("x", 1200), h.slack.responseURL("long")))
	var tooLong ackBody
	json.NewDecoder(res.Body).Decode(&tooLong)
	if !strings.Contains(tooLong.Text, "too long") {
		t.Errorf("over-long question = %+v", tooLong)
	}
	h.stop(t)
	if !strings.Contains(h.logs.String(), "disk I/O error at page 7") {
		t.Errorf("the cause is not in the log:\n%s", h.logs.String())
	}
}
