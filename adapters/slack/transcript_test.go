package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// transcript records a session: what Slack sends newsbot, what newsbot
// answers, and the messages it sends to Slack.
type transcript struct {
	t    *testing.T
	h    *harness
	b    strings.Builder
	seen int // calls already written
}

func (tr *transcript) say(format string, args ...any) { fmt.Fprintf(&tr.b, format+"\n", args...) }

// request sends a signed (unless header says otherwise) request and writes
// it and the reply, then waits for n more calls to the fake Slack and
// writes them.
func (tr *transcript) request(path, contentType, body, show string, n int, header ...string) {
	tr.t.Helper()
	tr.say("\n→ POST %s  %s", path, show)
	var res *http.Response
	if len(header) > 0 && header[0] == "unsigned" {
		r, _ := http.NewRequest(http.MethodPost, tr.h.app.URL+path, strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		for i := 1; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		res = do(tr.t, r)
	} else {
		res = post(tr.t, tr.h.app.URL+path, contentType, body, header...)
	}
	reply, _ := io.ReadAll(res.Body)
	switch {
	case len(reply) == 0:
		tr.say("← %d (empty body)", res.StatusCode)
	case strings.HasPrefix(res.Header.Get("Content-Type"), "application/json"):
		var a struct {
			ResponseType string            `json:"response_type"`
			Text         string            `json:"text"`
			Blocks       []json.RawMessage `json:"blocks"`
		}
		json.Unmarshal(reply, &a)
		tr.say("← %d %s message", res.StatusCode, orDefault(a.ResponseType, "an"))
		tr.blocks(mustJSON(tr.t, a.Blocks), a.Text)
	default:
		tr.say("← %d %s", res.StatusCode, strings.TrimSpace(string(reply)))
	}
	tr.calls(n)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// calls waits for n more calls to the fake Slack and writes them.
func (tr *transcript) calls(n int) {
	tr.t.Helper()
	all := tr.h.slack.waitFor(tr.seen+n, func(call) bool { return true })
	for _, c := range all[tr.seen:] {
		switch {
		case strings.HasPrefix(c.Method, "429 "):
			tr.say("⇐ %s: 429 Too Many Requests, Retry-After: 1", strings.TrimPrefix(c.Method, "429 "))
		case c.Method == "response":
			what := c.ResponseType
			if c.ReplaceOriginal {
				what += ", replace_original"
			}
			if c.DeleteOriginal {
				tr.say("⇒ response_url %s: delete_original", c.Path)
				continue
			}
			tr.say("⇒ response_url %s (%s)", c.Path, what)
			tr.blocks(c.Blocks, c.Text)
		case strings.HasPrefix(c.Method, "assistant.threads."):
			where := "channel " + c.Channel + ", thread " + c.Thread
			switch c.Method {
			case "assistant.threads.setSuggestedPrompts":
				tr.say("⇒ %s (%s): %q", c.Method, where, c.Form.Get("title"))
				var ps []struct{ Title, Message string }
				json.Unmarshal([]byte(c.Form.Get("prompts")), &ps)
				for _, p := range ps {
					tr.say("    [prompt] %q → sends %q", p.Title, p.Message)
				}
			case "assistant.threads.setStatus":
				tr.say("⇒ %s (%s): %q", c.Method, where, c.Form.Get("status"))
			default:
				tr.say("⇒ %s (%s): %q", c.Method, where, c.Form.Get("title"))
			}
		case strings.HasPrefix(c.Method, "chat.") && strings.HasSuffix(c.Method, "Stream"):
			where := "channel " + c.Channel
			if c.Thread != "" {
				where += ", thread " + c.Thread
			}
			if c.Method != "chat.startStream" {
				where += ", ts " + c.TS
			}
			if c.Form.Get("recipient_user_id") != "" {
				where += ", for " + c.Form.Get("recipient_user_id") + " in " + c.Form.Get("recipient_team_id")
			}
			if c.Method == "chat.stopStream" {
				tr.say("⇒ %s (%s)", c.Method, where)
				continue
			}
			tr.say("⇒ %s (%s): markdown_text %q", c.Method, where, c.Text)
		default:
			where := "channel " + c.Channel
			if c.Thread != "" {
				where += ", thread " + c.Thread
			}
			if c.Method == "chat.update" {
				where += ", ts " + c.TS
			}
			if c.Method == "chat.postEphemeral" {
				form, _ := url.ParseQuery(c.Raw)
				where += ", visible to " + form.Get("user")
			}
			tr.say("⇒ %s (%s)", c.Method, where)
			tr.blocks(c.Blocks, c.Text)
		}
	}
	tr.seen = len(all)
}

var shareValue = regexp.MustCompile(`[0-9a-f]{24}`)

// blocks writes a message's fallback text and its blocks, one line each.
func (tr *transcript) blocks(raw json.RawMessage, text string) {
	tr.say("    text: %s", strings.ReplaceAll(text, "\n", "\n          "))
	var bs []map[string]any
	json.Unmarshal(raw, &bs)
	for _, b := range bs {
		switch b["type"] {
		case "section":
			tr.say("    [section] %s", strings.ReplaceAll(b["text"].(map[string]any)["text"].(string), "\n", "\n              "))
		case "context":
			for _, e := range b["elements"].([]any) {
				tr.say("    [context] %s", e.(map[string]any)["text"])
			}
		case "actions":
			for _, e := range b["elements"].([]any) {
				el := e.(map[string]any)
				tr.say("    [button] %q → %s=%s", el["text"].(map[string]any)["text"], el["action_id"], shareValue.ReplaceAllString(el["value"].(string), "<share-id>"))
			}
		}
	}
}

// TestSessionTranscript runs a whole session over HTTP against the fake
// Slack, with the real bot over a real SQLite store, and keeps its
// transcript as a golden file (testdata/session.txt).
func TestSessionTranscript(t *testing.T) {
	h := newHarness(t, realBot(t), Options{})
	h.slack.nextTS = 0
	tr := &transcript{t: t, h: h}
	tr.say("A session against the fake Slack, HTTP mode, real bot over a real SQLite store.")
	tr.say("→ a request from Slack to newsbot   ← newsbot's HTTP reply   ⇒ a call newsbot made to Slack   ⇐ Slack's reply")

	tr.request("/slack/events", "application/json", `{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`,
		`{"type":"url_verification","challenge":"3eZbrw1a…"}`, 0)
	tr.request("/slack/commands", form, commandForm("help", h.slack.responseURL("r0")), `/news help`, 0)
	tr.request("/slack/commands", form, commandForm("Who met Vladimir Putin last week?", h.slack.responseURL("r1")), `/news Who met Vladimir Putin last week?`, 1)
	share := shareButton(t, blocksOf(t, h.slack.waitFor(1, isResponse("/r1"))[0].Blocks))
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1"}, "team": map[string]any{"id": "T1"}, "channel": map[string]any{"id": "C1"},
		"response_url": h.slack.responseURL("i1"), "actions": []any{map[string]any{"type": "button", "action_id": shareActionID, "block_id": "b1", "value": share}},
	})
	tr.request("/slack/interactions", form, url.Values{"payload": {string(payload)}}.Encode(), `block_actions: "Share in channel" clicked by U1`, 2)
	tr.request("/slack/commands", form, commandForm("latest ukraine", h.slack.responseURL("r2")), `/news latest ukraine`, 1)
	tr.request("/slack/events", "application/json", eventJSON("Ev1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin last week?")),
		`app_mention in C1 by U1, ts 100.1: "<@UBOT> Who met Vladimir Putin last week?"`, 1)
	tr.request("/slack/events", "application/json", eventJSON("Ev2", mention("C1", "U2", "100.7", "100.1", "<@UBOT> and where were earlier rounds of negotiations held?")),
		`app_mention in thread 100.1 by U2: "<@UBOT> and where were earlier rounds of negotiations held?"`, 1)
	tr.request("/slack/events", "application/json", eventJSON("Ev2", mention("C1", "U2", "100.7", "100.1", "<@UBOT> and where were earlier rounds of negotiations held?")),
		`the same event again (Ev2), X-Slack-Retry-Num: 1 → acknowledged, not answered again`, 0, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")
	tr.request("/slack/events", "application/json", eventJSON("Ev3", map[string]any{"type": "message", "channel": "D1", "channel_type": "im", "user": "U1", "text": "What will Rubio discuss in Paris?", "ts": "200.1"}),
		`message.im in D1 by U1: "What will Rubio discuss in Paris?"`, 1)
	tr.request("/slack/events", "application/json", eventJSON("Ev4", mention("C1", "U3", "300.1", "", "<@UBOT> <!channel> what did the harbour master say about the lighthouse closure?")),
		`app_mention by U3: "<@UBOT> <!channel> what did the harbour master say about the lighthouse closure?" (a source in the store carries <!channel> and <!here> too)`, 1)
	h.slack.rateLimit("chat.postMessage", 1)
	tr.request("/slack/events", "application/json", eventJSON("Ev5", mention("C2", "U4", "400.1", "", "<@UBOT> What is the capital of Mongolia?")),
		`app_mention in C2 by U4 (Slack will answer chat.postMessage with 429 once)`, 2)
	body := commandForm("Who met Vladimir Putin last week?", h.slack.responseURL("x"))
	tr.request("/slack/commands", form, body, `with a forged X-Slack-Signature`, 0,
		"unsigned", "X-Slack-Request-Timestamp", fmt.Sprint(time.Now().Unix()), "X-Slack-Signature", "v0="+strings.Repeat("0", 64))
	old := time.Now().Add(-10 * time.Minute)
	r, _ := http.NewRequest(http.MethodPost, "", nil)
	sign(r, testSecret, old, body)
	tr.request("/slack/commands", form, body, `correctly signed 10 minutes ago (a replay)`, 0,
		"unsigned", "X-Slack-Request-Timestamp", r.Header.Get("X-Slack-Request-Timestamp"), "X-Slack-Signature", r.Header.Get("X-Slack-Signature"))
	tr.request("/slack/events", "application/json", `{"type":"url_verification","challenge":"x"}`, `without signature headers`, 0, "unsigned")
	h.stop(t)
	if n := len(h.slack.snapshot()); n != tr.seen {
		t.Errorf("%d calls to Slack, the transcript shows %d", n, tr.seen)
	}
	golden(t, "session.txt", []byte(tr.b.String()))
}
