// Package discordtest is a fake Discord for tests: one local HTTP server
// that speaks Discord's REST API (v9, under /api/v9) and its gateway (a
// websocket at /gateway: HELLO, IDENTIFY, READY, heartbeats and ACKs,
// dispatches, RESUME with replay of missed events). A real discordgo
// session pointed at URL()+"/api/v9" talks to it as it would to Discord.
//
// The fake enforces what tests rely on: the bot token on bot endpoints,
// Discord's message limits (2,000 characters of content, 4,096 per embed
// description, 6,000 per message's embeds, 10 embeds), one response per
// interaction, and the privileged Message Content intent (refused with
// close code 4014 unless allowed; without it, message content is sent only
// for DMs and messages that mention the bot, as Discord does). It records
// every REST request and gateway frame for assertions and transcripts.
package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// Request is one REST request the fake received.
type Request struct {
	Method string
	// Path is the path under /api/v9, e.g. /channels/1/messages.
	Path   string
	Query  string
	Body   json.RawMessage
	Status int
}

// Server is a fake Discord. Create it with New; it is safe for concurrent
// use.
type Server struct {
	// Token is the bot token the fake accepts (without "Bot ").
	Token string
	// AppID and BotID are the application's and its bot user's ids.
	AppID, BotID string
	// GuildID is the one server the bot is in.
	GuildID string
	// AllowMessageContent lets the bot identify with the Message Content
	// intent (as if enabled in the Developer Portal).
	AllowMessageContent bool

	srv *httptest.Server
	t   testing.TB

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every change
	nextID   int64
	requests []Request
	log      strings.Builder
	messages map[string]map[string]any // id -> message as sent on the wire
	channels map[string]map[string]any
	foreign  map[string]bool            // channels the bot is not in (AddForeignChannel)
	commands map[string]json.RawMessage // "" or guild id -> registered commands
	inter    map[string]*interaction    // token -> interaction
	gw       gatewayState
	faults   []*fault
}

// fault answers the next requests matching a method and path with an
// error status instead of serving them.
type fault struct {
	method string
	path   *regexp.Regexp
	status int
	left   int
}

// Fail makes the next times REST requests of method whose path (after
// /api/v9) matches the regular expression path fail with status: 429 with
// Discord's rate-limit headers and body (retry_after of 50 ms, which
// discordgo waits and retries), or a 5xx with Discord's error body (an HTML
// page for 502, as Discord's proxy sends). Failed requests are recorded
// with their status like the others.
func (s *Server) Fail(method, path string, times, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, path: regexp.MustCompile("^" + path + "$"), status: status, left: times})
}

// injectFault answers r with a pending fault, if one matches.
func (s *Server) injectFault(w http.ResponseWriter, method, path string) bool {
	s.mu.Lock()
	var f *fault
	for _, c := range s.faults {
		if c.left > 0 && c.method == method && c.path.MatchString(path) {
			c.left--
			f = c
			break
		}
	}
	s.mu.Unlock()
	if f == nil {
		return false
	}
	switch {
	case f.status == http.StatusTooManyRequests:
		h := w.Header()
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(50*time.Millisecond).UnixMilli())/1000, 'f', 3, 64))
		h.Set("X-RateLimit-Reset-After", "0.050")
		h.Set("X-RateLimit-Bucket", "fake-bucket-"+strconv.Itoa(len(path)))
		h.Set("X-RateLimit-Scope", "user")
		h.Set("Retry-After", "1")
		h.Set("Content-Type", "application/json")
		w.WriteHeader(429)
		json.NewEncoder(w).Encode(map[string]any{"message": "You are being rate limited.", "retry_after": 0.05, "global": false})
	case f.status == http.StatusBadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n")
	default:
		apiError(w, f.status, 0, fmt.Sprintf("%d: %s", f.status, http.StatusText(f.status)))
	}
	return true
}

type interaction struct {
	id        string
	kind      int // 2 command, 4 autocomplete
	channel   string
	choices   []Choice       // of an autocomplete result
	metadata  map[string]any // interaction_metadata of its messages
	responded bool
	deferred  bool
	ephemeral bool
	original  string // message id of the response
	// pendingHTTP is set while the response to an HTTP delivery is on
	// its way.
	pendingHTTP bool
}

// epoch is the timestamp of every message the fake makes.
var epoch = time.Date(2025, 4, 17, 9, 30, 0, 0, time.UTC)

// New starts a fake Discord, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		Token: "fake-bot-token", AppID: "100000000000000001", BotID: "100000000000000002", GuildID: "100000000000000003",
		t: t, changed: make(chan struct{}), nextID: 200000000000000000,
		messages: map[string]map[string]any{}, channels: map[string]map[string]any{}, foreign: map[string]bool{},
		commands: map[string]json.RawMessage{}, inter: map[string]*interaction{},
	}
	s.gw.sessions = map[string]*gwSession{}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v9/", s.rest)
	mux.HandleFunc("/gateway", s.gateway)
	mux.HandleFunc("/gateway/", s.gateway) // discordgo adds a slash
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// URL is the fake's base URL; the REST API is at URL()+"/api/v9".
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the REST base to give the adapter (DISCORD_API_URL).
func (s *Server) APIURL() string { return s.srv.URL + "/api/v9" }

// Close stops the fake, dropping any gateway connection.
func (s *Server) Close() {
	s.DropConnection()
	s.srv.Close()
}

// id returns a new snowflake-like id; the caller holds s.mu.
func (s *Server) id() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// notify wakes waiters; the caller holds s.mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Wake wakes WaitFor, for conditions that change outside the fake.
func (s *Server) Wake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notify()
}

// logf adds a line to the transcript; the caller holds s.mu.
func (s *Server) logf(format string, args ...any) {
	fmt.Fprintf(&s.log, format+"\n", args...)
}

// Transcript is what happened, in order: REST requests with their bodies
// and statuses, and gateway frames both ways (heartbeats left out).
func (s *Server) Transcript() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// WaitFor blocks until cond (called with the fake locked) holds, failing the
// test if it does not within ten seconds (a guard against deadlocks, not a
// timing assertion).
func (s *Server) WaitFor(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			s.t.Fatalf("discordtest: gave up waiting for %s; transcript:\n%s", what, s.Transcript())
		}
	}
}

// Requests returns the REST requests received so far whose method is
// method and whose path matches the regular expression path (anchored).
func (s *Server) Requests(method, path string) []Request {
	re := regexp.MustCompile("^" + path + "$")
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requestsLocked(method, re)
}

// RequestsLocked is Requests for use inside WaitFor conditions.
func (s *Server) RequestsLocked(method, path string) []Request {
	return s.requestsLocked(method, regexp.MustCompile("^"+path+"$"))
}

func (s *Server) requestsLocked(method string, re *regexp.Regexp) []Request {
	var out []Request
	for _, r := range s.requests {
		if r.Method == method && re.MatchString(r.Path) {
			out = append(out, r)
		}
	}
	return out
}

// WaitRequests waits until at least n requests match method and path, and
// returns them.
func (s *Server) WaitRequests(n int, method, path string) []Request {
	s.t.Helper()
	re := regexp.MustCompile("^" + path + "$")
	var got []Request
	s.WaitFor(fmt.Sprintf("%d %s %s", n, method, path), func() bool {
		got = s.requestsLocked(method, re)
		return len(got) >= n
	})
	return got
}

// apiError is Discord's error body.
func apiError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"message": msg, "code": code})
}

var (
	reChannel      = regexp.MustCompile(`^/channels/([0-9]+)$`)
	reTyping       = regexp.MustCompile(`^/channels/([0-9]+)/typing$`)
	reMessages     = regexp.MustCompile(`^/channels/([0-9]+)/messages$`)
	reMessage      = regexp.MustCompile(`^/channels/([0-9]+)/messages/([0-9]+)$`)
	reCommands     = regexp.MustCompile(`^/applications/([0-9]+)(?:/guilds/([0-9]+))?/commands$`)
	reCallback     = regexp.MustCompile(`^/interactions/([0-9]+)/([^/]+)/callback$`)
	reWebhook      = regexp.MustCompile(`^/webhooks/([0-9]+)/([^/]+)$`)
	reWebhookEdit  = regexp.MustCompile(`^/webhooks/([0-9]+)/([^/]+)/messages/(@original|[0-9]+)$`)
	reInteractions = regexp.MustCompile(`^/(interactions|webhooks)/`)
)

// rest serves the REST API.
func (s *Server) rest(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	body, _ := io.ReadAll(r.Body)
	rec := &recorder{ResponseWriter: w, status: 200}
	defer func() {
		s.mu.Lock()
		req := Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Body: json.RawMessage(body), Status: rec.status}
		s.requests = append(s.requests, req)
		line := "REST " + r.Method + " " + path
		if r.URL.RawQuery != "" {
			line += "?" + r.URL.RawQuery
		}
		if len(body) > 0 {
			line += "\n     sent " + compact(body) + shows(body)
		}
		line += fmt.Sprintf("\n     got  %d", rec.status)
		if rec.body.Len() > 0 && rec.status >= 400 {
			line += " " + strings.TrimSpace(rec.body.String())
		}
		s.logf("%s", line)
		s.notify()
		s.mu.Unlock()
	}()
	w = rec
	if s.injectFault(w, r.Method, path) {
		return
	}
	if !reInteractions.MatchString(path) && r.Header.Get("Authorization") != "Bot "+s.Token {
		apiError(w, 401, 0, "401: Unauthorized")
		return
	}
	var m []string
	match := func(re *regexp.Regexp) bool { m = re.FindStringSubmatch(path); return m != nil }
	if ch := channelOf(path); ch != "" && s.isForeign(ch) {
		// The bot is not in that server or private channel: only the
		// interaction webhooks reach it.
		apiError(w, 403, 50001, "Missing Access")
		return
	}
	switch {
	case r.Method == "GET" && (path == "/gateway" || path == "/gateway/bot"):
		writeJSON(w, map[string]any{"url": "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/gateway", "shards": 1,
			"session_start_limit": map[string]int{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}})
	case r.Method == "GET" && match(reChannel):
		s.mu.Lock()
		ch, ok := s.channels[m[1]]
		s.mu.Unlock()
		if !ok {
			apiError(w, 404, 10003, "Unknown Channel")
			return
		}
		writeJSON(w, ch)
	case r.Method == "POST" && match(reTyping):
		w.WriteHeader(204)
	case r.Method == "POST" && match(reMessages):
		s.createMessage(w, m[1], body, "")
	case r.Method == "PATCH" && match(reMessage):
		s.editMessage(w, m[2], body)
	case match(reCommands):
		s.serveCommands(w, r.Method, m[1], m[2], body)
	case r.Method == "POST" && match(reCallback):
		s.callback(w, m[1], m[2], body)
	case r.Method == "PATCH" && match(reWebhookEdit):
		s.webhookEdit(w, m[1], m[2], m[3], body)
	case r.Method == "POST" && match(reWebhook):
		s.followup(w, m[1], m[2], body)
	default:
		apiError(w, 404, 0, "404: Not Found")
	}
}

var reChannelPath = regexp.MustCompile(`^/channels/([0-9]+)(?:/|$)`)

// channelOf is the channel id of a /channels/... path, or "".
func channelOf(path string) string {
	if m := reChannelPath.FindStringSubmatch(path); m != nil {
		return m[1]
	}
	return ""
}

func (s *Server) isForeign(channel string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.foreign[channel]
}

type recorder struct {
	http.ResponseWriter
	status int
	body   strings.Builder
}

func (r *recorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }
func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func compact(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // <url> and & as sent, for the reader
	enc.Encode(v)
	return strings.TrimSuffix(out.String(), "\n")
}

// shows is a message body (a message, an edit or an interaction response)
// as a user reads it in Discord, for the transcript: its content, then
// each embed's title and description, each line indented under "shows";
// "" when body has neither.
func shows(body []byte) string {
	type embed struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	var m struct {
		Content string  `json:"content"`
		Embeds  []embed `json:"embeds"`
		Flags   int     `json:"flags"`
		Data    *struct {
			Content string  `json:"content"`
			Embeds  []embed `json:"embeds"`
			Flags   int     `json:"flags"`
			Choices []struct {
				Name string `json:"name"`
			} `json:"choices"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	content, embeds, flags := m.Content, m.Embeds, m.Flags
	var lines []string
	if m.Data != nil {
		content, embeds, flags = m.Data.Content, m.Data.Embeds, m.Data.Flags
		for _, c := range m.Data.Choices {
			lines = append(lines, "choice: "+c.Name)
		}
	}
	if content != "" {
		lines = append(lines, strings.Split(content, "\n")...)
	}
	for _, e := range embeds {
		lines = append(lines, "┌ "+e.Title)
		for _, l := range strings.Split(e.Description, "\n") {
			lines = append(lines, "│ "+l)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	var notes []string
	if flags&64 != 0 {
		notes = append(notes, "only the user sees it")
	}
	if flags&4 != 0 {
		notes = append(notes, "no link previews")
	}
	head := "\n     shows"
	if len(notes) > 0 {
		head += " (" + strings.Join(notes, ", ") + ")"
	}
	return head + "\n           " + strings.Join(lines, "\n           ")
}

// units is a text's length as Discord counts it (UTF-16 code units).
func units(s string) int { return len(utf16.Encode([]rune(s))) }

// outgoing is the part of a message payload the fake checks.
type outgoing struct {
	Content         *string           `json:"content"`
	Embeds          *[]map[string]any `json:"embeds"`
	AllowedMentions json.RawMessage   `json:"allowed_mentions"`
	// Flags is nil when the payload has none (an edit then keeps them).
	Flags   *int     `json:"flags"`
	Choices []Choice `json:"choices"`
}

func (o outgoing) flags() int {
	if o.Flags == nil {
		return 0
	}
	return *o.Flags
}

// check enforces Discord's limits on a message payload; creating says
// whether the message must have content or embeds.
// readOutgoing decodes and checks a message body as Discord does, answering
// 400 with Discord's error when it is refused.
func readOutgoing(w http.ResponseWriter, body []byte, creating bool) (outgoing, bool) {
	var o outgoing
	if err := json.Unmarshal(body, &o); err != nil {
		apiError(w, 400, 50109, "The request body contains invalid JSON.")
		return o, false
	}
	if code, msg := o.check(creating); code != 0 {
		apiError(w, 400, code, msg)
		return o, false
	}
	return o, true
}

func (o outgoing) check(creating bool) (int, string) {
	content := ""
	if o.Content != nil {
		content = *o.Content
	}
	if units(content) > 2000 {
		return 50035, fmt.Sprintf("Invalid Form Body: content: Must be 2000 or fewer in length (got %d).", units(content))
	}
	var embeds []map[string]any
	if o.Embeds != nil {
		embeds = *o.Embeds
	}
	if len(embeds) > 10 {
		return 50035, "Invalid Form Body: embeds: Must be 10 or fewer in length."
	}
	total := 0
	for i, e := range embeds {
		title, _ := e["title"].(string)
		desc, _ := e["description"].(string)
		if units(title) > 256 {
			return 50035, fmt.Sprintf("Invalid Form Body: embeds.%d.title: Must be 256 or fewer in length.", i)
		}
		if units(desc) > 4096 {
			return 50035, fmt.Sprintf("Invalid Form Body: embeds.%d.description: Must be 4096 or fewer in length (got %d).", i, units(desc))
		}
		total += units(title) + units(desc)
	}
	if total > 6000 {
		return 50035, fmt.Sprintf("Invalid Form Body: embeds: Embed size exceeds maximum size of 6000 (got %d).", total)
	}
	if creating && content == "" && len(embeds) == 0 {
		return 50006, "Cannot send an empty message"
	}
	return 0, ""
}
