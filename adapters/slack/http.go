package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/newsbot/newsbot/internal/safe"
)

// maxBody bounds the size of a request from Slack (theirs are a few KB).
const maxBody = 1 << 20

// Register adds the adapter's HTTP endpoints to mux: POST /slack/commands
// (slash commands), POST /slack/events (Events API, including the
// url_verification challenge) and POST /slack/interactions (the "Share in
// channel" button); with OAuth installs on, also GET /slack/install and
// GET /slack/oauth/callback (in Socket Mode too). It returns how many
// routes it added: in Socket Mode, which takes no requests from Slack over
// HTTP, only the OAuth ones.
func (a *Adapter) Register(mux *http.ServeMux) int {
	n := a.registerOAuth(mux)
	if a.SocketMode() {
		return n
	}
	mux.Handle("POST /slack/commands", a.verified(a.serveCommand))
	mux.Handle("POST /slack/events", a.verified(a.serveEvent))
	mux.Handle("POST /slack/interactions", a.verified(a.serveInteraction))
	return n + 3
}

// verified wraps next with Slack's request signing check: the signature
// headers and the timestamp (at most five minutes old) are checked before
// the body is read, then the HMAC-SHA256 of "v0:timestamp:body" with the
// signing secret. A request that fails gets 401 and nothing else happens.
// next receives the verified body.
func (a *Adapter) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reject := func(reason error) {
			a.log.Warn("rejected unsigned request", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", reason.Error())
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
		}
		sv, err := slack.NewSecretsVerifier(r.Header, a.opt.SigningSecret)
		if err != nil {
			if errors.Is(err, strconv.ErrSyntax) {
				err = errors.New("malformed timestamp")
			}
			reject(err)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			reject(errors.New("unreadable or oversized body"))
			return
		}
		sv.Write(body)
		if err := sv.Ensure(); err != nil {
			reject(err)
			return
		}
		rw := &trackingWriter{ResponseWriter: w}
		if err := safe.Do(r.Context(), a.log, "slack "+r.URL.Path, func() { next(rw, r, body) }); err != nil && !rw.wrote {
			// Acknowledge (Slack would retry, or show a timeout), with the
			// apology where Slack shows the response: a slash command's.
			if r.URL.Path == "/slack/commands" {
				writeJSON(w, ephemeralAck(renderNotice(apology)))
				return
			}
			w.WriteHeader(http.StatusOK)
		}
	})
}

// trackingWriter notes whether a response was started.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(p)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// serveCommand acknowledges a slash command at once (Slack waits three
// seconds); the answer follows through its response_url.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	cmd, err := decodeCommand(r.Header.Get("Content-Type"), body)
	if err != nil {
		http.Error(w, "malformed slash command", http.StatusBadRequest)
		return
	}
	if res := a.handleCommand(r.Context(), cmd); res != nil {
		writeJSON(w, res)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// serveEvent answers the url_verification challenge, and acknowledges
// events at once, handling them in the background. While shutting down it
// answers 503, so that Slack delivers the event again later.
func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	outer, ev, err := decodeEvent(body)
	if err != nil {
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	switch outer.Type {
	case slackevents.URLVerification:
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, outer.Challenge)
		return
	case slackevents.CallbackEvent:
	default:
		w.WriteHeader(http.StatusOK)
		return
	}
	if ev == nil {
		// An event type newsbot does not handle: acknowledge, or Slack retries.
		a.log.Debug("unparsed event", "event_id", outer.EventID)
		w.WriteHeader(http.StatusOK)
		return
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		a.log.Debug("event retry", "event_id", outer.EventID, "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	if !a.handleEvent(r.Context(), outer.EventID, *ev) {
		http.Error(w, restarting, http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// serveInteraction handles a button click (form field "payload").
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte) {
	cb, err := decodeInteraction(body)
	if err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	if !a.handleInteraction(cb) {
		http.Error(w, restarting, http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// decodeCommand reads a slash command from its form body, as Slack posts
// it (contentType application/x-www-form-urlencoded).
func decodeCommand(contentType string, body []byte) (slack.SlashCommand, error) {
	r, err := http.NewRequest(http.MethodPost, "/slack/commands", bytes.NewReader(body))
	if err != nil {
		return slack.SlashCommand{}, fmt.Errorf("decode slash command: %w", err)
	}
	r.Header.Set("Content-Type", contentType)
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		return slack.SlashCommand{}, fmt.Errorf("decode slash command: %w", err)
	}
	return cmd, nil
}

// eventOuter is the envelope of an Events API request.
type eventOuter struct {
	Type      string `json:"type"`
	Challenge string `json:"challenge"`
	EventID   string `json:"event_id"`
}

// decodeEvent reads an Events API request: its envelope, and for an
// event_callback of a type slack-go knows, the event (nil otherwise). It
// returns an error only when the body is not a JSON object.
func decodeEvent(body []byte) (eventOuter, *slackevents.EventsAPIEvent, error) {
	var outer eventOuter
	if err := json.Unmarshal(body, &outer); err != nil {
		return outer, nil, fmt.Errorf("decode event: %w", err)
	}
	if outer.Type != slackevents.CallbackEvent {
		return outer, nil, nil
	}
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		return outer, nil, nil
	}
	return outer, &ev, nil
}

// decodeInteraction reads an interaction from its form body (the JSON in
// field "payload").
func decodeInteraction(body []byte) (slack.InteractionCallback, error) {
	var cb slack.InteractionCallback
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return cb, fmt.Errorf("decode interaction: %w", err)
	}
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		return cb, fmt.Errorf("decode interaction: %w", err)
	}
	return cb, nil
}
