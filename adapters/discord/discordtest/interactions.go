package discordtest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
	// Focused marks the option being typed in an autocompletion.
	Focused bool
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
	if o.Focused {
		m["focused"] = true
	}
	return m
}

// Interaction types, as on the wire.
const (
	applicationCommand = 2
	autocomplete       = 4
)

// Command builds the INTERACTION_CREATE payload of a slash command used by
// user in channel, as Discord sends it, and registers the interaction so
// that its callback and webhook endpoints work. It returns the payload.
//
// The payload carries the partial channel object (its type tells a thread).
// In a channel of a server with the bot, the command comes from the
// server's install (authorizing_integration_owners {"0": guild}); in a DM
// with the bot, context 1; in a foreign channel (AddForeignChannel) from
// the user's install ({"1": user}), with context 0 in a server and 2 in a
// group DM or a DM between users.
func (s *Server) Command(channel string, user map[string]any, name string, opts ...Option) map[string]any {
	options := []any{}
	for _, o := range opts {
		options = append(options, o.wire())
	}
	return s.interaction(applicationCommand, channel, user, map[string]any{"id": "100000000000000010", "name": name, "type": 1, "options": options})
}

// Autocomplete builds the APPLICATION_COMMAND_AUTOCOMPLETE payload (type 4)
// Discord sends while user types in an option of a command (mark it
// Focused), and registers it (see Command).
func (s *Server) Autocomplete(channel string, user map[string]any, name string, opts ...Option) map[string]any {
	options := []any{}
	for _, o := range opts {
		options = append(options, o.wire())
	}
	return s.interaction(autocomplete, channel, user, map[string]any{"id": "100000000000000010", "name": name, "type": 1, "options": options})
}

// MessageCommand builds the payload of a message command (application
// command type 3) named name, used by user on message target (posted with
// Post or Store), and registers it (see Command). The target arrives whole
// in data.resolved.messages, content included, whatever the bot's intents.
func (s *Server) MessageCommand(channel string, user map[string]any, name, target string) map[string]any {
	s.mu.Lock()
	msg, ok := s.messages[target]
	s.mu.Unlock()
	if !ok {
		s.t.Fatalf("discordtest: MessageCommand on unknown message %s", target)
	}
	return s.interaction(applicationCommand, channel, user, map[string]any{
		"id": "100000000000000011", "name": name, "type": 3, "target_id": target,
		"resolved": map[string]any{"messages": map[string]any{target: msg}},
	})
}

// interaction builds and registers an interaction payload.
func (s *Server) interaction(kind int, channel string, user map[string]any, data map[string]any) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id()
	token := "interaction-token-" + id
	ch := s.channels[channel]
	i := map[string]any{
		"id": id, "application_id": s.AppID, "type": kind, "token": token, "version": 1,
		"data": data, "channel_id": channel, "channel": partialChannel(ch), "locale": "en-GB", "app_permissions": "274877991936",
		"entitlements": []any{}, "authorizing_integration_owners": map[string]any{"0": s.GuildID},
	}
	g, _ := ch["guild_id"].(string)
	if s.foreign[channel] {
		i["authorizing_integration_owners"] = map[string]any{"1": user["id"]}
		i["app_permissions"] = "559623605571072" // what a user install may do: embed links, attach files, external emoji, use commands
	}
	switch {
	case g != "":
		i["guild_id"], i["guild_locale"], i["context"] = g, "en-US", 0
		i["member"] = map[string]any{"user": user, "roles": []any{}, "permissions": "2248473465835073",
			"joined_at": epoch.Format("2006-01-02T15:04:05.000000+00:00")}
	case s.foreign[channel]:
		i["user"], i["context"] = user, 2
	default:
		i["user"], i["context"] = user, 1
	}
	// The messages answering it say which interaction they answer.
	meta := map[string]any{"id": id, "type": kind, "user": user, "authorizing_integration_owners": i["authorizing_integration_owners"]}
	s.inter[token] = &interaction{id: id, channel: channel, kind: kind, metadata: meta}
	return i
}

// partialChannel is the channel object an interaction carries: id, type,
// and for server channels the guild, name, parent and permissions.
func partialChannel(ch map[string]any) map[string]any {
	if ch == nil {
		return nil
	}
	out := map[string]any{}
	for _, k := range []string{"id", "type", "guild_id", "name", "parent_id", "flags", "recipients"} {
		if v, ok := ch[k]; ok {
			out[k] = v
		}
	}
	if _, ok := ch["guild_id"]; ok {
		out["permissions"] = "2248473465835073"
	}
	return out
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

// Choice is an autocompletion choice.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Choices returns the choices an autocompletion was answered with, and
// whether it was.
func (s *Server) Choices(token string) ([]Choice, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.inter[token]
	if !ok || !i.responded {
		return nil, false
	}
	return i.choices, true
}

// response is an interaction response as sent.
type response struct {
	Type int      `json:"type"`
	Data outgoing `json:"data"`
}

// accept checks and records the response to i; the caller holds s.mu. It
// returns Discord's error code and message when Discord would refuse it.
func (s *Server) accept(i *interaction, resp response, body []byte) (int, int, string) {
	if i.responded {
		return 400, 40060, "Interaction has already been acknowledged."
	}
	switch {
	case i.kind == autocomplete && resp.Type == 8:
		if code, msg := checkChoices(body); code != 0 {
			return 400, code, msg
		}
		i.choices = resp.Data.Choices
	case i.kind == autocomplete:
		return 400, 50035, "Invalid Form Body: type: Value must be 8 for an autocomplete interaction."
	case resp.Type == 4:
		if code, msg := resp.Data.check(true); code != 0 {
			return 400, code, msg
		}
		m := s.newBotMessage(i.channel, resp.Data, mustJSON(resp.Data))
		m["interaction_metadata"] = i.metadata
		i.original = m["id"].(string)
	case resp.Type == 5:
		m := s.newBotMessage(i.channel, outgoing{Flags: resp.Data.Flags}, nil)
		m["interaction_metadata"] = i.metadata
		i.original, i.deferred = m["id"].(string), true
	default:
		return 400, 50035, "Invalid Form Body: type: Value must be one of {4, 5}."
	}
	i.responded, i.ephemeral = true, resp.Data.flags()&64 != 0
	return 0, 0, ""
}

// checkChoices enforces Discord's limits on an autocomplete result: data
// and its choices present, at most 25, names of 1 to 100 characters,
// string values of at most 100.
func checkChoices(body []byte) (int, string) {
	var r struct {
		Data *struct {
			Choices *[]struct {
				Name  *string `json:"name"`
				Value any     `json:"value"`
			} `json:"choices"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &r) != nil || r.Data == nil || r.Data.Choices == nil {
		return 50035, "Invalid Form Body: data.choices: This field is required"
	}
	cs := *r.Data.Choices
	if len(cs) > 25 {
		return 50035, "Invalid Form Body: data.choices: Must be 25 or fewer in length."
	}
	for n, c := range cs {
		if c.Name == nil || units(*c.Name) < 1 || units(*c.Name) > 100 {
			return 50035, fmt.Sprintf("Invalid Form Body: data.choices.%d.name: Must be between 1 and 100 in length.", n)
		}
		if v, ok := c.Value.(string); !ok || units(v) > 100 {
			return 50035, fmt.Sprintf("Invalid Form Body: data.choices.%d.value: Must be a string of 100 or fewer in length.", n)
		}
	}
	return 0, ""
}

func (s *Server) callback(w http.ResponseWriter, id, token string, body []byte) {
	var resp response
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
	if status, code, msg := s.accept(i, resp, body); status != 0 {
		apiError(w, status, code, msg)
		return
	}
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
	s.logf("     got  %d %s%s", resp.StatusCode, strings.TrimSpace(string(out)), shows(out))
	if i != nil {
		i.pendingHTTP = false
		if resp.StatusCode == 200 {
			var r response
			json.Unmarshal(out, &r)
			if status, code, msg := s.accept(i, r, out); status != 0 {
				s.logf("     refused by Discord: %d %d %s", status, code, msg)
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
		m["interaction_metadata"] = i.metadata
	}
	s.mu.Unlock()
	if !valid {
		apiError(w, 404, 10015, "Unknown Webhook")
		return
	}
	writeJSON(w, m)
}
