package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// HeartbeatInterval is the interval the fake asks for in HELLO, in
// milliseconds. discordgo sends its first heartbeat at once, then one per
// interval.
const HeartbeatInterval = 41250

// Identify is what a client sent in IDENTIFY.
type Identify struct {
	Token   string  `json:"token"`
	Intents int     `json:"intents"`
	Shard   *[2]int `json:"shard"`
}

type gatewayState struct {
	conn       *websocket.Conn
	sessions   map[string]*gwSession
	current    *gwSession
	identifies []Identify
	resumes    int
	heartbeats int
	// messageContent is whether the current session has the Message
	// Content intent.
	messageContent bool
}

type gwSession struct {
	id     string
	seq    int64
	events []gwEvent
}

type gwEvent struct {
	seq int64
	t   string
	d   json.RawMessage
}

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

var upgrader = websocket.Upgrader{}

// gateway serves one websocket connection of the gateway protocol.
func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") != "9" || r.URL.Query().Get("encoding") != "json" {
		http.Error(w, "want ?v=9&encoding=json", http.StatusBadRequest)
		return
	}
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s.mu.Lock()
	if s.gw.conn != nil {
		s.gw.conn.Close()
	}
	s.gw.conn = c
	s.send(c, frame{Op: 10, D: mustJSON(map[string]any{"heartbeat_interval": HeartbeatInterval})})
	s.logf("GATEWAY ← HELLO heartbeat_interval=%d", HeartbeatInterval)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.gw.conn == c {
			s.gw.conn = nil
		}
		s.notify()
		s.mu.Unlock()
		c.Close()
	}()
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		var f frame
		if err := json.Unmarshal(data, &f); err != nil {
			s.closeWith(c, 4002, "Decode error.")
			return
		}
		s.mu.Lock()
		switch f.Op {
		case 1:
			s.gw.heartbeats++
			s.send(c, frame{Op: 11})
		case 2:
			if !s.identify(c, f.D) {
				s.mu.Unlock()
				return
			}
		case 6:
			s.resume(c, f.D)
		default:
			s.logf("GATEWAY → op %d %s", f.Op, compact(f.D))
		}
		s.notify()
		s.mu.Unlock()
	}
}

// send writes a frame; the caller holds s.mu (which serialises writes).
func (s *Server) send(c *websocket.Conn, f frame) {
	if f.D == nil {
		f.D = json.RawMessage("null")
	}
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	c.WriteJSON(f)
}

// closeWith closes a connection with a gateway close code.
func (s *Server) closeWith(c *websocket.Conn, code int, text string) {
	c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.Close()
}

// identify handles IDENTIFY; the caller holds s.mu. It returns false when
// the connection was closed.
func (s *Server) identify(c *websocket.Conn, d json.RawMessage) bool {
	var id Identify
	json.Unmarshal(d, &id)
	s.gw.identifies = append(s.gw.identifies, Identify{Intents: id.Intents, Shard: id.Shard})
	shard := "none"
	if id.Shard != nil {
		shard = fmt.Sprint(*id.Shard)
	}
	s.logf("GATEWAY → IDENTIFY intents=%d shard=%s", id.Intents, shard)
	if strings.TrimPrefix(id.Token, "Bot ") != s.Token {
		s.logf("GATEWAY ✕ close 4004 Authentication failed.")
		s.closeWith(c, 4004, "Authentication failed.")
		return false
	}
	const messageContent = 1 << 15
	if id.Intents&messageContent != 0 && !s.AllowMessageContent {
		s.logf("GATEWAY ✕ close 4014 Disallowed intent(s).")
		s.closeWith(c, 4014, "Disallowed intent(s).")
		return false
	}
	s.gw.messageContent = id.Intents&messageContent != 0
	sess := &gwSession{id: fmt.Sprintf("fake-session-%d", len(s.gw.sessions)+1)}
	s.gw.sessions[sess.id] = sess
	s.gw.current = sess
	shardPair := [2]int{0, 1}
	if id.Shard != nil {
		shardPair = *id.Shard
	}
	s.dispatchLocked("READY", map[string]any{
		"v": 9, "user": s.botUser(), "session_id": sess.id, "shard": shardPair,
		"resume_gateway_url": "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/gateway",
		"guilds":             []any{map[string]any{"id": s.GuildID, "unavailable": true}},
		"application":        map[string]any{"id": s.AppID, "flags": 0},
		"private_channels":   []any{},
	})
	return true
}

// resume handles RESUME: it replays the events the client missed, then
// sends RESUMED; an unknown session gets INVALID_SESSION. The caller holds
// s.mu.
func (s *Server) resume(c *websocket.Conn, d json.RawMessage) {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	json.Unmarshal(d, &r)
	s.logf("GATEWAY → RESUME session=%s seq=%d", r.SessionID, r.Seq)
	sess, ok := s.gw.sessions[r.SessionID]
	if !ok || strings.TrimPrefix(r.Token, "Bot ") != s.Token {
		s.logf("GATEWAY ← INVALID_SESSION")
		s.send(c, frame{Op: 9, D: json.RawMessage("false")})
		return
	}
	s.gw.current = sess
	s.gw.resumes++
	for _, e := range sess.events {
		if e.seq > r.Seq {
			seq, t := e.seq, e.t
			s.send(c, frame{Op: 0, D: e.d, S: &seq, T: &t})
			s.logf("GATEWAY ← %s s=%d (replayed)", e.t, e.seq)
		}
	}
	s.dispatchLocked("RESUMED", map[string]any{})
}

// Dispatch sends an event to the bot over the gateway. When the connection
// is down, the event is kept and replayed on RESUME, as Discord does.
func (s *Server) Dispatch(t string, d any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gw.current == nil {
		s.t.Fatalf("discordtest: Dispatch(%s) before the bot identified", t)
	}
	s.dispatchLocked(t, d)
	s.notify()
}

func (s *Server) dispatchLocked(t string, d any) {
	sess := s.gw.current
	sess.seq++
	data := mustJSON(d)
	sess.events = append(sess.events, gwEvent{seq: sess.seq, t: t, d: data})
	seq := sess.seq
	note := ""
	if s.gw.conn != nil {
		s.send(s.gw.conn, frame{Op: 0, D: data, S: &seq, T: &t})
	} else {
		note = " (connection down: kept for RESUME)"
	}
	s.logf("GATEWAY ← %s s=%d %s%s", t, seq, summary(t, d), note)
}

// summary is the interesting part of an event, for the transcript.
func summary(t string, d any) string {
	m, _ := d.(map[string]any)
	switch t {
	case "READY":
		u, _ := m["user"].(map[string]any)
		return fmt.Sprintf("session=%v user=%v", m["session_id"], u["username"])
	case "MESSAGE_CREATE":
		u, _ := m["author"].(map[string]any)
		where := "guild channel " + fmt.Sprint(m["channel_id"])
		if m["guild_id"] == nil {
			where = "DM " + fmt.Sprint(m["channel_id"])
		}
		reply := ""
		if ref, ok := m["message_reference"].(map[string]any); ok {
			reply = fmt.Sprintf(" reply-to=%v", ref["message_id"])
		}
		return fmt.Sprintf("id=%v %s from %v%s: %q", m["id"], where, u["username"], reply, m["content"])
	case "INTERACTION_CREATE":
		if m["type"] == 1 {
			return fmt.Sprintf("id=%v PING", m["id"])
		}
		data, _ := m["data"].(map[string]any)
		switch {
		case data["type"] == 3:
			target := ""
			if res, ok := data["resolved"].(map[string]any); ok {
				if ms, ok := res["messages"].(map[string]any); ok {
					if msg, ok := ms[fmt.Sprint(data["target_id"])].(map[string]any); ok {
						author, _ := msg["author"].(map[string]any)
						target = fmt.Sprintf(" by %v: %q", author["username"], msg["content"])
					}
				}
			}
			by := ""
			if u := interactionUser(m); u != "" {
				by = " used by " + u
			}
			return fmt.Sprintf("id=%v message command %q%s on message %v%s in channel %v", m["id"], data["name"], by, data["target_id"], target, m["channel_id"])
		case m["type"] == autocomplete:
			return fmt.Sprintf("id=%v autocomplete /%v %s in channel %v", m["id"], data["name"], compact(mustJSON(data["options"])), m["channel_id"])
		}
		return fmt.Sprintf("id=%v /%v %s in channel %v", m["id"], data["name"], compact(mustJSON(data["options"])), m["channel_id"])
	}
	return compact(mustJSON(d))
}

// interactionUser is the username of who used an interaction ("" when the
// payload has none).
func interactionUser(m map[string]any) string {
	u, _ := m["user"].(map[string]any)
	if member, ok := m["member"].(map[string]any); ok {
		u, _ = member["user"].(map[string]any)
	}
	if u == nil {
		return ""
	}
	return fmt.Sprint(u["username"])
}

// DropConnection cuts the gateway connection without a close frame, as a
// network failure would. The client is expected to reconnect and RESUME.
func (s *Server) DropConnection() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gw.conn != nil {
		s.gw.conn.Close()
		s.gw.conn = nil
		s.logf("GATEWAY ✂ connection dropped")
		s.notify()
	}
}

// ConnectedLocked reports whether a client is connected to the gateway,
// for use inside WaitFor conditions.
func (s *Server) ConnectedLocked() bool { return s.gw.conn != nil && s.gw.current != nil }

// WaitReady waits until the bot has identified n times and resumed r
// times in all.
func (s *Server) WaitReady(identifies, resumes int) {
	s.t.Helper()
	s.WaitFor(fmt.Sprintf("%d IDENTIFY and %d RESUME", identifies, resumes), func() bool {
		return len(s.gw.identifies) >= identifies && s.gw.resumes >= resumes && s.gw.conn != nil && s.gw.current != nil
	})
}

// Identifies returns the IDENTIFY payloads received (tokens left out).
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Identify(nil), s.gw.identifies...)
}

// Heartbeats is how many heartbeats the fake has acknowledged.
func (s *Server) Heartbeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.heartbeats
}
