package discordtest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Option is a slash command option as sent in an interaction.
type Option struct {
	Name  string
	Value any // string or bool; nil for a subcommand
	// Options are a subcommand's options.
	Options []Option
}

func (o Option) wire() map[string]any {
	m := map[string]any{"name": o.Name}
	switch v := o.Value.(type) {
	case string:
		m["type"], m["value"] = 3, v
	case bool:
		m["type"], m["value"] = 5, v
	default:
		m["type"] = 1
		opts := []any{}
		for _, s := range o.Options {
			opts = append(opts, s.wire())
		}
		m["options"] = opts
	}
	return m
}

// Command builds the INTERACTION_CREATE payload of a slash command used by
// user in channel, as Discord sends it, and registers the interaction so
// that its callback and webhook endpoints work. It returns the payload.
func (s *Server) Command(channel string, user map[string]any, name string, opts ...Option) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id()
	token := "interaction-token-" + id
	options := []any{}
	for _, o := range opts {
		options = append(options, o.wire())
	}
	ch := s.channels[channel]
	i := map[string]any{
		"id": id, "application_id": s.AppID, "type": 2, "token": token, "version": 1,
		"data":       map[string]any{"id": "100000000000000010", "name": name, "type": 1, "options": options},
		"channel_id": channel, "channel": ch, "locale": "en-GB", "app_permissions": "274877991936",
		"entitlements": []any{}, "authorizing_integration_owners": map[string]any{"0": s.GuildID},
	}
	if g, _ := ch["guild_id"].(string); g != "" {
		i["guild_id"], i["guild_locale"], i["context"] = g, "en-US", 0
		i["member"] = map[string]any{"user": user, "roles": []any{}, "permissions": "2248473465835073",
			"joined_at": epoch.Format("2006-01-02T15:04:05.000000+00:00")}
	} else {
		i["user"], i["context"] = user, 1
	}
	s.inter[token] = &interaction{id: id, channel: channel}
	return i
}

// Interact dispatches a slash command over the gateway (see Command) and
// returns its interaction token.
func (s *Server) Interact(channel string, user map[string]any, name string, opts ...Option) string {
	i := s.Command(channel, user, name, opts...)
	s.Dispatch("INTERACTION_CREATE", i)
	return i["token"].(string)
}

// Ping is the payload of Discord's PING to an interactions endpoint.
func Ping() map[string]any {
	return map[string]any{"id": "100000000000000099", "application_id": "100000000000000001", "type": 1, "token": "ping-token", "version": 1}
}

// Interaction reports what happened to an interaction: whether it was
// answered, deferred, ephemeral, and the id of its response message.
func (s *Server) Interaction(token string) (responded, deferred, ephemeral bool, original string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.inter[token]
	if !ok {
		return false, false, false, ""
	}
	return i.responded, i.deferred, i.ephemeral, i.original
}

func (s *Server) callback(w http.ResponseWriter, id, token string, body []byte) {
	var resp struct {
		Type int      `json:"type"`
		Data outgoing `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		apiError(w, 400, 50109, "The request body contains invalid JSON.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.inter[token]
	if !ok || i.id != id {
		apiError(w, 404, 10062, "Unknown interaction")
		return
	}
	if i.responded {
		apiError(w, 400, 40060, "Interaction has already been acknowledged.")
		return
	}
	switch resp.Type {
	case 4:
		if code, msg := resp.Data.check(true); code != 0 {
			apiError(w, 400, code, msg)
			return
		}
		m := s.newBotMessage(i.channel, resp.Data, mustJSON(resp.Data))
		i.original = m["id"].(string)
	case 5:
		m := s.newBotMessage(i.channel, outgoing{}, nil)
		i.original, i.deferred = m["id"].(string), true
	default:
		apiError(w, 400, 50035, "Invalid Form Body: type: Value must be one of {4, 5}.")
		return
	}
	i.responded, i.ephemeral = true, resp.Data.Flags&64 != 0
	w.WriteHeader(204)
}

// Deliver sends an interaction to an HTTP interactions endpoint the way
// Discord does: a POST signed with key (Ed25519 over the timestamp and the
// body, in X-Signature-Ed25519 and X-Signature-Timestamp) at time ts. A 200
// response is recorded as the interaction's response, so that the
// adapter's later edits and follow-ups work; REST calls for the
// interaction that arrive before the response is recorded wait for it. It
// returns the status and body of the response.
func (s *Server) Deliver(endpoint string, key ed25519.PrivateKey, ts time.Time, payload map[string]any) (int, []byte) {
	s.t.Helper()
	body := mustJSON(payload)
	token, _ := payload["token"].(string)
	s.mu.Lock()
	i := s.inter[token]
	if i != nil {
		i.pendingHTTP = true
	}
	s.logf("HTTP POST interaction %v to the endpoint\n     sent %s", payload["id"], summary("INTERACTION_CREATE", payload))
	s.mu.Unlock()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req, err := http.NewRequest("POST", endpoint, bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logf("     got  %d %s", resp.StatusCode, strings.TrimSpace(string(out)))
	if i != nil {
		i.pendingHTTP = false
		if resp.StatusCode == 200 {
			var r struct {
				Type int      `json:"type"`
				Data outgoing `json:"data"`
			}
			json.Unmarshal(out, &r)
			if r.Type == 4 || r.Type == 5 {
				m := s.newBotMessage(i.channel, r.Data, mustJSON(r.Data))
				i.original, i.responded, i.deferred = m["id"].(string), true, r.Type == 5
				i.ephemeral = r.Data.Flags&64 != 0
			}
		}
		s.notify()
	}
	return resp.StatusCode, out
}

// answered returns the interaction of token, waiting (up to five seconds)
// while its HTTP response is on its way, and whether it belongs to app and
// was answered, as a webhook on it requires. The caller holds s.mu, which
// is released while waiting.
func (s *Server) answered(app, token string) (*interaction, bool) {
	i, ok := s.inter[token]
	if !ok {
		return nil, false
	}
	deadline := time.Now().Add(5 * time.Second)
	for i.pendingHTTP && time.Now().Before(deadline) {
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-time.After(time.Until(deadline)):
		}
		s.mu.Lock()
	}
	return i, app == s.AppID && i.responded
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func (s *Server) webhookEdit(w http.ResponseWriter, app, token, which string, body []byte) {
	var o outgoing
	if err := json.Unmarshal(body, &o); err != nil {
		apiError(w, 400, 50109, "The request body contains invalid JSON.")
		return
	}
	s.mu.Lock()
	i, valid := s.answered(app, token)
	if valid && which == "@original" {
		which = i.original
	}
	s.mu.Unlock()
	if !valid {
		apiError(w, 404, 10015, "Unknown Webhook")
		return
	}
	s.editMessage(w, which, body)
}

func (s *Server) followup(w http.ResponseWriter, app, token string, body []byte) {
	o, ok := readOutgoing(w, body, true)
	if !ok {
		return
	}
	s.mu.Lock()
	i, valid := s.answered(app, token)
	var m map[string]any
	if valid {
		m = s.newBotMessage(i.channel, o, body)
	}
	s.mu.Unlock()
	if !valid {
		apiError(w, 404, 10015, "Unknown Webhook")
		return
	}
	writeJSON(w, m)
}
