package slack

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/newsbot/newsbot/bot"
)

// socketPeer is the Slack end of a Socket Mode connection.
type socketPeer struct {
	t    *testing.T
	conn *websocket.Conn
}

// accept waits for the adapter to connect and says hello, as Slack does.
func accept(t *testing.T, f *fakeSlack, n int) *socketPeer {
	t.Helper()
	select {
	case conn := <-f.sockets:
		t.Cleanup(func() { conn.Close() })
		p := &socketPeer{t: t, conn: conn}
		p.send(map[string]any{"type": "hello", "num_connections": n, "connection_info": map[string]any{"app_id": "A1"},
			"debug_info": map[string]any{"host": "applink-test", "approximate_connection_time": 18060}})
		if err := conn.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second)); err != nil {
			t.Fatal(err)
		}
		return p
	case <-time.After(20 * time.Second):
		t.Fatal("the adapter did not open a Socket Mode connection")
	}
	return nil
}

func (p *socketPeer) send(v any) {
	p.t.Helper()
	if err := p.conn.WriteJSON(v); err != nil {
		p.t.Fatalf("socket write: %v", err)
	}
}

// envelope sends a request and returns the adapter's acknowledgement.
func (p *socketPeer) envelope(id, typ string, payload any, retry int) map[string]any {
	p.t.Helper()
	raw, _ := json.Marshal(payload)
	p.send(map[string]any{"envelope_id": id, "type": typ, "payload": json.RawMessage(raw),
		"accepts_response_payload": typ == "slash_commands", "retry_attempt": retry, "retry_reason": map[bool]string{true: "timeout"}[retry > 0]})
	p.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		var ack map[string]any
		if err := p.conn.ReadJSON(&ack); err != nil {
			p.t.Fatalf("waiting for the ack of %s: %v", id, err)
		}
		if ack["envelope_id"] == id {
			return ack
		}
	}
}

func slashPayload(text, responseURL string) map[string]any {
	return map[string]any{"token": "t", "team_id": "T1", "team_domain": "newsroom", "channel_id": "C1", "channel_name": "general",
		"user_id": "U1", "user_name": "ada", "command": "/news", "text": text, "api_app_id": "A1",
		"response_url": responseURL, "trigger_id": newTriggerID()}
}

func TestSocketMode(t *testing.T) {
	h := newHarness(t, realBot(t), Options{AppToken: testAppToken})
	if n := h.adapter.Register(http.NewServeMux()); n != 0 {
		t.Errorf("Socket Mode registered %d HTTP routes, want none", n)
	}
	peer := accept(t, h.slack, 1)

	// A mention: acknowledged, answered in a thread.
	ev := json.RawMessage(eventJSON("EvS1", mention("C1", "U1", "500.1", "", "<@UBOT> Who met Vladimir Putin last week?")))
	if ack := peer.envelope("env-1", "events_api", ev, 0); ack["payload"] != nil {
		t.Errorf("events_api ack carries a payload: %v", ack)
	}
	reply := h.slack.waitFor(1, isMethod("chat.postMessage"))[0]
	if reply.Thread != "500.1" || !strings.Contains(reply.Text, "Vladimir Putin") || !strings.Contains(string(reply.Blocks), "Top Trump officials") {
		t.Errorf("reply = %+v", reply)
	}
	// Slack redelivers the same event: acknowledged, not answered again.
	peer.envelope("env-1b", "events_api", ev, 1)

	// Slash commands: help comes back in the ack itself, a question
	// through the response_url.
	ack := peer.envelope("env-2", "slash_commands", slashPayload("help", h.slack.responseURL("sh")), 0)
	payload, _ := json.Marshal(ack["payload"])
	if !strings.Contains(string(payload), "/news latest [topic]") {
		t.Errorf("help ack = %s", payload)
	}
	peer.envelope("env-3", "slash_commands", slashPayload("Where were earlier rounds of negotiations held?", h.slack.responseURL("sq")), 0)
	got := h.slack.waitFor(1, isResponse("/sq"))[0]
	if got.ResponseType != "ephemeral" || !strings.Contains(got.Text, "Saudi Arabia") {
		t.Errorf("slash answer = %+v", got)
	}

	// Slack asks the app to reconnect: it opens a new connection and goes
	// on answering there.
	peer.send(map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "applink-test"}})
	peer2 := accept(t, h.slack, 2)
	peer2.envelope("env-4", "events_api", json.RawMessage(eventJSON("EvS2", mention("C1", "U1", "600.1", "", "<@UBOT> latest"))), 0)
	latest := h.slack.waitFor(2, isMethod("chat.postMessage"))[1]
	if latest.Thread != "600.1" || !strings.Contains(string(latest.Blocks), "The latest news") {
		t.Errorf("reply after reconnecting = %+v", latest)
	}
	h.stop(t)
	h.slack.mu.Lock()
	opens := h.slack.opens
	h.slack.mu.Unlock()
	if opens != 2 {
		t.Errorf("apps.connections.open called %d times, want 2 (connect, reconnect)", opens)
	}
	if n := len(h.slack.waitFor(1, isMethod("chat.postMessage"))); n != 2 {
		t.Errorf("%d threaded replies, want 2 (the redelivered event is not answered twice)", n)
	}
}

// In Socket Mode too, SIGTERM lets acknowledged answers finish.
func TestSocketModeShutdownFinishesAnswers(t *testing.T) {
	fa := &fakeAsker{answer: &bot.Answer{Text: "Done. [1]", Found: true, Citations: []bot.Citation{apCitation}},
		gate: make(chan struct{}), asked: make(chan bot.Question, 1)}
	h := newHarness(t, fa, Options{AppToken: testAppToken})
	peer := accept(t, h.slack, 1)
	peer.envelope("env-1", "slash_commands", slashPayload("Who met Putin?", h.slack.responseURL("sd")), 0)
	<-fa.asked
	h.cancel()
	eventually(t, "the adapter to stop taking work", h.closed)
	select {
	case <-h.done:
		t.Fatal("Run returned with an answer in flight")
	default:
	}
	close(fa.gate)
	h.wait(t)
	found := false
	for _, c := range h.slack.snapshot() {
		found = found || c.Method == "response" && strings.Contains(c.Text, "Done.")
	}
	if !found {
		t.Error("the acknowledged answer was not delivered before Run returned")
	}
}
