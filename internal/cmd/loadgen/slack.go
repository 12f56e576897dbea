package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsbot/newsbot/adapters/slack"
	"github.com/newsbot/newsbot/bot"
)

// signingSecret signs the load generator's requests; it is made up.
const signingSecret = "loadgen-signing-secret"

// sign returns Slack's v0 request signature of body at timestamp ts: "v0="
// and the hex HMAC-SHA256 of "v0:ts:body" with secret.
func sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "v0:%d:", ts)
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// slackHarness is the Slack adapter's HTTP endpoints on a loopback server,
// and a fake Slack (Web API and response_url) on another, where the
// answers arrive.
type slackHarness struct {
	bot, fake *httptest.Server
	client    *http.Client
	timeout   time.Duration
	stopRun   context.CancelFunc
	ran       chan struct{}

	mu      sync.Mutex
	waiting map[string]chan string // response_url id -> the first answer's text
}

// startSlack starts the adapter answering with b, as `newsbot serve` does
// in HTTP mode (ephemeral answers, no rate limit: every asker is its own
// user), with room for c connections at once.
func startSlack(ctx context.Context, b *bot.Bot, log *slog.Logger, c int, timeout time.Duration) (*slackHarness, error) {
	h := &slackHarness{timeout: timeout, waiting: map[string]chan string{}, ran: make(chan struct{})}
	fake := http.NewServeMux()
	fake.HandleFunc("POST /api/{method}", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.PathValue("method") == "auth.test" {
			io.WriteString(w, `{"ok":true,"url":"https://loadgen.slack.com/","team":"Load","user":"newsbot","team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}`)
			return
		}
		io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1700000000.000001"}`)
	})
	fake.HandleFunc("POST /response/{id}", h.response)
	h.fake = httptest.NewServer(fake)
	sa, err := slack.New(b, slack.Options{
		BotToken: "xoxb-loadgen", SigningSecret: signingSecret, APIURL: h.fake.URL + "/api/",
		Logger: log, AnswerTimeout: timeout,
	})
	if err != nil {
		h.fake.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	sa.Register(mux)
	h.bot = httptest.NewServer(mux)
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	h.stopRun = stop
	go func() {
		defer close(h.ran)
		if err := sa.Run(runCtx); err != nil {
			log.Error("slack adapter", "err", err)
		}
	}()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = c
	h.client = &http.Client{Transport: tr, Timeout: timeout}
	return h, nil
}

// close stops the adapter (it finishes the answers in flight) and the
// servers.
func (h *slackHarness) close() {
	h.stopRun()
	<-h.ran
	h.bot.Close()
	h.fake.Close()
}

// response receives a message posted to a response_url.
func (h *slackHarness) response(w http.ResponseWriter, r *http.Request) {
	var m struct {
		Text string `json:"text"`
	}
	err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&m)
	w.Header().Set("Content-Type", "text/html")
	io.WriteString(w, "ok")
	if err != nil {
		m.Text = "loadgen: malformed response_url JSON: " + err.Error()
	}
	h.mu.Lock()
	ch := h.waiting[r.PathValue("id")]
	h.mu.Unlock()
	if ch != nil {
		select {
		case ch <- m.Text:
		default: // a later message to the same response_url
		}
	}
}

// failures are the notices the adapter answers with when answering failed.
var failures = []string{
	bot.UserMessage(nil), bot.UserMessage(context.DeadlineExceeded),
	"newsbot is restarting. Please ask again in a minute.",
}

// ask sends question q as signed slash command i and waits for its
// answer at the command's response_url.
func (h *slackHarness) ask(ctx context.Context, i int, q string) (sample, string) {
	id := strconv.Itoa(i)
	got := make(chan string, 1)
	h.mu.Lock()
	h.waiting[id] = got
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.waiting, id)
		h.mu.Unlock()
	}()
	// A channel of its own per command, so that no conversation history
	// carries from one question to the next; a trigger_id of its own, as
	// Slack sends.
	body := url.Values{
		"token": {"unused"}, "team_id": {"T1"}, "team_domain": {"load"},
		"channel_id": {"C" + id}, "channel_name": {"load"}, "user_id": {"U" + id}, "user_name": {"asker"},
		"command": {"/news"}, "text": {q}, "response_url": {h.fake.URL + "/response/" + id},
		"trigger_id": {fmt.Sprintf("%d.%d.loadgen", i, time.Now().UnixNano())}, "api_app_id": {"A1"},
	}.Encode()
	ts := time.Now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.bot.URL+"/slack/commands", strings.NewReader(body))
	if err != nil {
		return sample{Err: true}, "request: " + err.Error()
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", sign(signingSecret, ts, []byte(body)))
	start := time.Now()
	res, err := h.client.Do(req)
	if err != nil {
		return sample{Err: true}, "ack: transport error"
	}
	ackBody, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	res.Body.Close()
	s := sample{Ack: time.Since(start)}
	if res.StatusCode != http.StatusOK {
		s.Err = true
		return s, "ack: HTTP " + strconv.Itoa(res.StatusCode)
	}
	if len(strings.TrimSpace(string(ackBody))) > 0 {
		// An ephemeral command is acknowledged with an empty body; a body
		// is a notice (rate limited, restarting, a bad question).
		s.Err = true
		return s, "ack: notice instead of an answer"
	}
	t := time.NewTimer(h.timeout)
	defer t.Stop()
	select {
	case text := <-got:
		s.E2E = time.Since(start)
		for _, f := range failures {
			if strings.Contains(text, f) {
				s.Err = true
				return s, "answer: " + f
			}
		}
		return s, ""
	case <-t.C:
		s.Err = true
		return s, "answer: none within the timeout"
	}
}
