// Package slack is newsbot's Slack adapter, built on slack-go. People ask
// with a slash command (/news <question>, /news latest [topic], /news
// help), by mentioning the bot in a channel (answered in a thread, where
// later mentions are follow-ups) or in a direct message. Answers are Block
// Kit messages whose sources are numbered links.
//
// The adapter takes Slack's requests over HTTP (signed requests to
// /slack/commands, /slack/events and /slack/interactions, see Register) or
// over a Socket Mode websocket when an app-level token is given. Either
// way, an Adapter is a server.Runner: Run stops taking work when its
// context ends and finishes the answers in flight.
package slack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/backoff"
	"github.com/newsbot/newsbot/internal/safe"
)

// Asker answers questions and lists the latest news; *bot.Bot is one.
type Asker interface {
	Ask(ctx context.Context, q bot.Question) (*bot.Answer, error)
	Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error)
}

var _ Asker = (*bot.Bot)(nil)

// webAPI is the part of slack-go's Web API client the adapter uses.
// Messages to a response_url also go through PostMessageContext (with
// slack.MsgOptionResponseURL).
type webAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	// The assistant surface and streaming (assistant threads).
	SetAssistantThreadsSuggestedPromptsContext(ctx context.Context, params slack.AssistantThreadsSetSuggestedPromptsParameters) error
	SetAssistantThreadsStatusContext(ctx context.Context, params slack.AssistantThreadsSetStatusParameters) error
	SetAssistantThreadsTitleContext(ctx context.Context, params slack.AssistantThreadsSetTitleParameters) error
	StartStreamContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	AppendStreamContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, error)
	StopStreamContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, error)
}

var _ webAPI = (*slack.Client)(nil)

// Options configure an Adapter. BotToken is required, and either AppToken
// (Socket Mode) or SigningSecret (HTTP); the zero values of the others
// work.
type Options struct {
	// BotToken (xoxb-…) authenticates Web API calls.
	BotToken string
	// AppToken (xapp-…), when set, selects Socket Mode.
	AppToken string
	// SigningSecret verifies HTTP requests from Slack.
	SigningSecret string
	// Command is the slash command; empty means "/news".
	Command string
	// InChannel shows slash command answers to the whole channel; false
	// answers ephemerally with a "Share in channel" button.
	InChannel bool
	// APIURL overrides the Web API base URL (ending in "/").
	APIURL string
	// HTTPClient makes the Web API calls; nil means a client with a 30s
	// timeout.
	HTTPClient *http.Client
	// Limiter limits questions per user; nil means no limit.
	Limiter *bot.Limiter
	// Conversations keeps thread history for follow-ups; nil means a new
	// bot.Conversations.
	Conversations *bot.Conversations
	// Logger receives what happens and the causes of errors; nil discards.
	Logger *slog.Logger
	// ShutdownTimeout bounds how long Run waits for answers in flight once
	// its context ends; zero means 20 seconds.
	ShutdownTimeout time.Duration
	// AnswerTimeout bounds one answer; zero means 2 minutes.
	AnswerTimeout time.Duration
	// UpdateInterval is the least time between two edits of a message
	// while an answer streams (chat.update is rate limited); zero means
	// 1.5 seconds. Edits through a response_url are rarer still: at least
	// 3 seconds apart, and at most two before the answer.
	UpdateInterval time.Duration
	// Retries is how many times a Web API call or a post to a response_url
	// is retried when Slack rate limits it (HTTP 429, after its
	// Retry-After, if that is at most MaxRetryAfter) or fails (HTTP 5xx,
	// after a short backoff); zero means 3, negative none. A call that
	// still fails is given up with a log line.
	Retries int
	// MaxRetryAfter is the longest Retry-After newsbot waits for; a 429
	// asking for longer is given up at once. Zero means 30 seconds.
	MaxRetryAfter time.Duration
	// StartRetry is the backoff between attempts to check the bot token
	// at start while Slack cannot be reached or fails (a refused token is
	// not retried); zero values mean 1 second doubling up to 1 minute.
	StartRetry backoff.Policy
	// Dedupe remembers the event_id of events and the trigger_id of slash
	// commands, so that a redelivered or replayed request is answered
	// once; nil means memory of this process only. Several instances
	// behind one Slack app share it (main wires the PostgreSQL store's
	// when that is the store).
	Dedupe Deduper
	// NoThreadFollowups turns off answering, without a new mention, the
	// replies in channel threads newsbot has answered in.
	NoThreadFollowups bool

	// ClientID and ClientSecret, with Installs and TokenKey, enable
	// installs in many workspaces: GET /slack/install sends the browser to
	// Slack's OAuth v2 consent page, GET /slack/oauth/callback exchanges
	// the code (oauth.v2.access) and keeps the workspace's bot token,
	// sealed, in Installs. BotToken may then be empty; when set it answers
	// the workspaces that have no installation in Installs.
	ClientID, ClientSecret string
	// RedirectURL is the public URL of /slack/oauth/callback, as in the
	// app's OAuth settings (https://newsbot.example.com/slack/oauth/callback).
	RedirectURL string
	// Installs keeps the sealed installations.
	Installs TokenStore
	// TokenKey (32 bytes) seals the installations (AES-256-GCM) and signs
	// the OAuth state.
	TokenKey []byte
	// Scopes are the bot scopes asked for at install; nil means
	// DefaultScopes.
	Scopes []string
}

// Adapter is the Slack adapter. Create it with New; it is safe for
// concurrent use.
type Adapter struct {
	ready  readiness // for Ready (/readyz)
	bot    Asker
	opt    Options
	client *slack.Client
	api    webAPI
	// clientFor returns a Web API client for a bot token, with the
	// adapter's options (HTTP client, retries, API URL).
	clientFor func(token string) *slack.Client
	oauth     *oauthFlow // nil unless OAuth installs are configured
	spaces    workspaces
	threads   recentSet // channel threads newsbot has answered in
	assistant recentSet // assistant threads (DMs with the assistant)
	titled    recentSet // assistant threads named already
	log       *slog.Logger
	convs     *bot.Conversations
	seen      Deduper
	shares    *shareCache
	// apiScheme and apiHost are those of Options.APIURL, where
	// response_urls may also point (tests, GovSlack).
	apiScheme, apiHost string

	idMu    sync.RWMutex
	botUser string // the bot's user ID, from auth.test
	botTeam string // BotToken's workspace, from auth.test

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	abort  chan struct{} // closed when the shutdown grace period is over
}

// New returns a Slack adapter answering with b. It returns an error naming
// the missing setting when the options cannot work. It does no I/O: the
// token is checked when Run starts.
func New(b Asker, opt Options) (*Adapter, error) {
	switch {
	case b == nil:
		return nil, errors.New("slack: no bot")
	case opt.BotToken == "" && opt.ClientID == "":
		return nil, errors.New("slack: SLACK_BOT_TOKEN is required (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for installs through OAuth)")
	case opt.AppToken == "" && opt.SigningSecret == "":
		return nil, errors.New("slack: SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)")
	}
	if opt.Command == "" {
		opt.Command = "/news"
	}
	if opt.ShutdownTimeout <= 0 {
		opt.ShutdownTimeout = 20 * time.Second
	}
	if opt.AnswerTimeout <= 0 {
		opt.AnswerTimeout = 2 * time.Minute
	}
	if opt.UpdateInterval <= 0 {
		opt.UpdateInterval = 1500 * time.Millisecond
	}
	if opt.Retries == 0 {
		opt.Retries = 3
	}
	if opt.MaxRetryAfter <= 0 {
		opt.MaxRetryAfter = 30 * time.Second
	}
	hc := opt.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	lg := opt.Logger
	if lg == nil {
		lg = slog.New(slog.DiscardHandler)
	}
	lg = lg.With("adapter", "slack")
	logged := *hc
	logged.Transport = &rateLimitLog{next: hc.Transport, log: lg}
	sopts := []slack.Option{
		slack.OptionHTTPClient(&logged),
		slack.OptionLog(log.New(&slogWriter{lg}, "", 0)),
	}
	if opt.APIURL != "" {
		u := opt.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		sopts = append(sopts, slack.OptionAPIURL(u))
	}
	if opt.AppToken != "" {
		sopts = append(sopts, slack.OptionAppLevelToken(opt.AppToken))
	}
	if opt.Retries > 0 {
		// After OptionHTTPClient, so that the retries wrap that client.
		cfg := slack.RetryConfig{
			MaxRetries:         opt.Retries,
			RetryAfterDuration: 5 * time.Second,
			BackoffInitial:     250 * time.Millisecond,
			BackoffMax:         4 * time.Second,
			BackoffJitter:      100 * time.Millisecond,
		}
		cfg.Handlers = []slack.RetryHandler{
			slack.NewConnectionErrorRetryHandler(),
			&boundedRateLimit{next: slack.NewRateLimitErrorRetryHandler(cfg), max: opt.MaxRetryAfter, log: lg},
			slack.NewServerErrorRetryHandler(cfg),
		}
		sopts = append(sopts, slack.OptionRetryConfig(cfg))
	}
	clientFor := func(token string) *slack.Client { return slack.New(token, sopts...) }
	client := clientFor(opt.BotToken)
	var flow *oauthFlow
	if opt.ClientID != "" {
		var err error
		if flow, err = newOAuthFlow(opt, &logged); err != nil {
			return nil, err
		}
	}
	convs := opt.Conversations
	if convs == nil {
		convs = &bot.Conversations{}
	}
	var seen Deduper = &seenSet{}
	if opt.Dedupe != nil {
		seen = opt.Dedupe
	}
	var apiScheme, apiHost string
	if opt.APIURL != "" {
		if u, err := url.Parse(opt.APIURL); err == nil {
			apiScheme, apiHost = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
		}
	}
	return &Adapter{
		bot: b, opt: opt, client: client, api: client, clientFor: clientFor, oauth: flow, log: lg, convs: convs, apiScheme: apiScheme, apiHost: apiHost,
		seen: seen, shares: &shareCache{}, abort: make(chan struct{}),
	}, nil
}

// Name is "slack".
func (a *Adapter) Name() string { return "slack" }

// SocketMode reports whether the adapter connects through Socket Mode
// (and so has no HTTP routes).
func (a *Adapter) SocketMode() bool { return a.opt.AppToken != "" }

// Run checks the bot token (auth.test), then serves until ctx ends: in
// Socket Mode it holds the websocket connection (reconnecting when Slack
// asks), in HTTP mode the routes from Register take the requests. When ctx
// ends it stops taking new work, lets the answers in flight finish within
// ShutdownTimeout (cancelling them after that), and returns. It returns an
// error when the token is refused or the Socket Mode connection cannot be
// reopened.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.shutdown()
	if a.opt.BotToken == "" {
		// Installs through OAuth only: each workspace's token is checked
		// when it is installed.
		a.log.Info("connected", "installs", "oauth", "socket_mode", a.SocketMode())
		if !a.SocketMode() {
			a.ready.set(true, "")
		}
		if a.SocketMode() {
			sm := socketmode.New(a.client, socketmode.OptionLog(log.New(&slogWriter{a.log}, "", 0)))
			return a.runSocket(ctx, sm, sm.Events)
		}
		<-ctx.Done()
		return nil
	}
	auth, err := a.authTest(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("slack: auth.test: %w", err)
	}
	a.idMu.Lock()
	a.botUser, a.botTeam = auth.UserID, auth.TeamID
	a.idMu.Unlock()
	a.log.Info("connected", "team", auth.Team, "bot_user", auth.UserID, "socket_mode", a.SocketMode())
	if !a.SocketMode() {
		a.ready.set(true, "")
	}
	if a.SocketMode() {
		sm := socketmode.New(a.client, socketmode.OptionLog(log.New(&slogWriter{a.log}, "", 0)))
		return a.runSocket(ctx, sm, sm.Events)
	}
	<-ctx.Done()
	return nil
}

// shutdown stops taking work and waits for the answers in flight, for at
// most ShutdownTimeout; then it cancels them and waits for them to return.
func (a *Adapter) shutdown() {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return
	}
	a.closed = true
	a.mu.Unlock()
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	t := time.NewTimer(a.opt.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		a.log.Warn("shutdown timeout: cancelling answers in flight", "timeout", a.opt.ShutdownTimeout)
		close(a.abort)
		<-done
	}
}

// apology is what a user sees when answering them panicked.
const apology = bot.ApologyMessage

// start runs job in the background with its own context (parent's values,
// such as the request id, but bounded by AnswerTimeout and cancelled if
// shutdown gives up, not when parent is), unless the adapter is
// shutting down, in which case it returns false. A panic in job is
// recovered and logged with its stack (safe.Do), and the user gets the
// apology at out (when out is not nil).
func (a *Adapter) start(parent context.Context, lg *slog.Logger, out target, job func(ctx context.Context)) bool {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return false
	}
	a.wg.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), a.opt.AnswerTimeout)
		defer cancel()
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			select {
			case <-a.abort:
				cancel()
			case <-stop:
			}
		}()
		if err := safe.Do(ctx, lg, "slack answer", func() { job(ctx) }); err != nil && out != nil {
			actx, acancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer acancel()
			_ = safe.Do(actx, lg, "slack apology", func() { a.send(actx, lg, out, renderNotice(apology)) })
		}
	}()
	return true
}

// botUserID returns the bot's user ID once auth.test has answered.
func (a *Adapter) botUserID() string {
	a.idMu.RLock()
	defer a.idMu.RUnlock()
	return a.botUser
}

// newID returns a random identifier for a shared answer.
func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// slogWriter passes slack-go's log lines to slog as warnings (slack-go
// logs only problems unless its debug option is on, which newsbot never
// sets, so no token reaches the log).
type slogWriter struct{ log *slog.Logger }

func (w *slogWriter) Write(p []byte) (int, error) {
	w.log.Warn("slack-go", "detail", strings.TrimSpace(string(p)))
	return len(p), nil
}

// rateLimitLog logs the calls Slack rate limits (HTTP 429) or fails
// (5xx) before slack-go retries them. It names the Web API method, never the URL of a
// response_url, which is a credential of sorts.
type rateLimitLog struct {
	next http.RoundTripper
	log  *slog.Logger
}

func (t *rateLimitLog) RoundTrip(r *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	res, err := next.RoundTrip(r)
	switch {
	case err != nil:
	case res.StatusCode == http.StatusTooManyRequests:
		t.log.Warn("rate limited by Slack; retrying", "call", callName(r), "retry_after", res.Header.Get("Retry-After"))
	case res.StatusCode >= 500:
		t.log.Warn("Slack failed; retrying", "call", callName(r), "status", res.StatusCode)
	}
	return res, err
}

// boundedRateLimit is slack-go's 429 handler, except that a Retry-After
// longer than max is not waited for: the call is given up (and logged), so
// that one answer never waits minutes.
type boundedRateLimit struct {
	next slack.RetryHandler
	max  time.Duration
	log  *slog.Logger
}

func (h *boundedRateLimit) ShouldRetry(state *slack.RetryState, req *http.Request, res *http.Response, err error) (bool, time.Duration) {
	retry, wait := h.next.ShouldRetry(state, req, res, err)
	if retry && wait > h.max {
		h.log.Warn("rate limited by Slack for too long; giving up", "call", callName(req), "retry_after", res.Header.Get("Retry-After"))
		return false, 0
	}
	return retry, wait
}

// callName names a request to Slack for the log: the Web API method, or
// "response_url" (whose URL is a credential of sorts).
func callName(r *http.Request) string {
	if i := strings.LastIndex(r.URL.Path, "/api/"); i >= 0 {
		return r.URL.Path[i+len("/api/"):]
	}
	return "response_url"
}
