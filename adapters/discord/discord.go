// Package discord is newsbot's Discord adapter, built on discordgo. It
// answers mentions and direct messages received over the gateway, the slash
// commands /ask and /news and the message command "Ask newsbot" (over the
// gateway, or over HTTP through an Interactions Endpoint URL verified with
// Ed25519), and treats a reply to one of its answers, or a question in a
// thread, as a follow-up in the same conversation. The commands can be
// installed to servers and to users; installed to a user, they are answered
// through the interaction's webhook wherever the user is.
//
// Every outgoing message allows no mentions at all (allowed_mentions is
// empty, and @everyone, @here and user or role mentions from questions,
// sources or the model are neutralised, in any disguise), shows masked
// links from sources or the model as text, and stays within Discord's
// limits: an answer is at most three messages (split at paragraph or
// sentence boundaries, cut at a word with an ellipsis beyond that), and
// shows no link previews (SUPPRESS_EMBEDS, or <…> beside its own embeds). Users
// are rate limited. A panic while handling an event or a request is
// recovered, logged with its stack, and answered with an apology. The adapter uses only the non-privileged intents
// Guild Messages and Direct Messages unless told otherwise: Discord still
// sends the content of messages that mention the bot and of DMs.
package discord

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/backoff"
	"github.com/newsbot/newsbot/internal/safe"
)

// Asker is the part of the bot the adapter uses.
type Asker interface {
	Ask(ctx context.Context, q bot.Question) (*bot.Answer, error)
	Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error)
}

// Config configures an Adapter. Zero values of optional fields mean "off"
// or a documented default.
type Config struct {
	// Token is the bot token (without "Bot "). It enables the gateway
	// connection and command registration; without it only the HTTP
	// interactions endpoint works (with commands registered elsewhere).
	Token string
	// AppID is the application id; empty means the one READY reports.
	AppID string
	// GuildID registers the commands to one server instead of globally.
	GuildID string
	// PublicKey verifies the HTTP interactions endpoint; nil turns it off.
	PublicKey ed25519.PublicKey
	// ShardID and ShardCount select the gateway shard; zero ShardCount
	// means one shard.
	ShardID, ShardCount int
	// APIURL is the REST base URL; empty means Discord's
	// (https://discord.com/api/v9).
	APIURL string
	// MessageContent requests the privileged Message Content intent, so
	// that replies to the bot's answers are understood without a mention.
	MessageContent bool
	// RateLimit is how many questions one user may ask per minute; zero
	// means no limit.
	RateLimit int
	// OnRateLimited, when set, is called each time a question is refused
	// by the rate limit (metrics).
	OnRateLimited func()
	// AutocompleteLimit is how many lookups of /news latest topic choices
	// one user may cause per minute (keystrokes whose choices are cached
	// do not count; over the limit the user gets the titles in memory);
	// zero means 30, negative no limit.
	AutocompleteLimit int
	// StartRetry is the backoff between attempts to reach the gateway at
	// start (a refused token, intents or sharding is not retried); zero
	// values mean 1 second doubling up to 1 minute.
	StartRetry backoff.Policy
	// ShutdownTimeout bounds how long Run lets answers in flight finish
	// once its context is done; zero means 20 seconds.
	ShutdownTimeout time.Duration
	// StreamInterval is the least time between two edits of a message while
	// an answer streams in; zero means 1.5 seconds (Discord allows about
	// five edits per five seconds in a channel).
	StreamInterval time.Duration
	// TypingDelay is how long answering a message may take before the
	// typing indicator shows; zero means one second, negative at once.
	TypingDelay time.Duration
	// Logger receives what happened and the causes of errors; nil discards.
	Logger *slog.Logger
	// Conversations keeps each channel's, thread's and DM's questions for
	// follow-ups; nil means a new bot.Conversations (in memory). Give it a
	// Store to share the turns with other instances.
	Conversations *bot.Conversations
	// Now returns the current time; nil means time.Now. It dates the
	// signatures of HTTP interactions.
	Now func() time.Time
}

// Adapter connects the bot to Discord. Create it with New; it is a
// server.Runner. Its methods are safe for concurrent use.
type Adapter struct {
	ready readiness // for Ready (/readyz)
	// handlersAdded is set once connect has subscribed to the events.
	handlersAdded bool
	bot           Asker
	cfg           Config
	sess          session
	log           *slog.Logger
	limiter       *bot.Limiter
	convs         *bot.Conversations
	// answers maps the ids of the bot's answer messages to the
	// conversation they belong to, so that a reply to one is a follow-up.
	answers *keyCache[string]
	// threads caches whether a channel is a thread.
	threads *keyCache[string]
	// seen holds the ids of interactions received over HTTP, to refuse
	// replays.
	seen *keyCache[string]
	// recentHeads are the newest headlines, for autocompletion; topics
	// caches the choices for what was typed, and acLimiter limits each
	// user's lookups.
	recentHeads recentHeadlines
	topics      *keyCache[[]*discordgo.ApplicationCommandOptionChoice]
	acLimiter   *bot.Limiter

	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup
	abort    chan struct{} // closed when answers in flight must stop
}

// New returns an adapter for b configured by cfg. It returns an error when
// neither a token nor a public key is given, or the API URL is invalid. It
// does not connect: Run does.
func New(b Asker, cfg Config) (*Adapter, error) {
	if cfg.Token == "" && len(cfg.PublicKey) == 0 {
		return nil, errors.New("discord: set DISCORD_BOT_TOKEN (gateway) or DISCORD_PUBLIC_KEY (interactions endpoint)")
	}
	if cfg.PublicKey != nil && len(cfg.PublicKey) != ed25519.PublicKeySize {
		return nil, errors.New("discord: DISCORD_PUBLIC_KEY is not an Ed25519 public key")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = discordAPI
	}
	if cfg.ShardCount <= 0 {
		cfg.ShardCount = 1
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 20 * time.Second
	}
	if cfg.StreamInterval == 0 {
		cfg.StreamInterval = 1500 * time.Millisecond
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s, err := newSession(cfg.Token, cfg.APIURL, intents(cfg.MessageContent), cfg.ShardID, cfg.ShardCount)
	if err != nil {
		return nil, err
	}
	return newAdapter(b, cfg, dgSession{s}, log.With("adapter", "discord")), nil
}

func newAdapter(b Asker, cfg Config, s session, log *slog.Logger) *Adapter {
	return &Adapter{
		bot: b, cfg: cfg, sess: s, log: log,
		limiter:   &bot.Limiter{PerMinute: cfg.RateLimit, Now: cfg.Now, OnLimited: cfg.OnRateLimited},
		convs:     conversations(cfg),
		answers:   newKeyCache[string](20000, 2*time.Hour, cfg.Now),
		threads:   newKeyCache[string](20000, 24*time.Hour, cfg.Now),
		seen:      newKeyCache[string](20000, 2*maxSignatureAge, cfg.Now),
		topics:    newKeyCache[[]*discordgo.ApplicationCommandOptionChoice](maxCachedTopics, choicesTTL, cfg.Now),
		acLimiter: &bot.Limiter{PerMinute: autocompleteLimit(cfg.AutocompleteLimit), Now: cfg.Now},
		abort:     make(chan struct{}),
	}
}

// autocompleteLimit is Config.AutocompleteLimit with its default (zero
// means the default; bot.Limiter takes zero as no limit).
func autocompleteLimit(n int) int {
	switch {
	case n == 0:
		return defaultAutocompleteLimit
	case n < 0:
		return 0
	}
	return n
}

// conversations is cfg's Conversations, or a new one in memory.
func conversations(cfg Config) *bot.Conversations {
	if cfg.Conversations != nil {
		return cfg.Conversations
	}
	return &bot.Conversations{Now: cfg.Now}
}

// intents are the gateway intents the adapter needs: messages in servers
// (Discord sends their content only when they mention the bot) and direct
// messages; with messageContent, the privileged Message Content intent too.
func intents(messageContent bool) discordgo.Intent {
	i := discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if messageContent {
		i |= discordgo.IntentsMessageContent
	}
	return i
}

// Name implements server.Runner.
func (a *Adapter) Name() string { return "discord" }

func (a *Adapter) now() time.Time {
	if a.cfg.Now != nil {
		return a.cfg.Now()
	}
	return time.Now()
}

// Run connects to the gateway (when a token is set), keeps the slash
// commands in sync, and answers until ctx is done. It then disconnects,
// lets the answers in flight (including those started by the HTTP
// endpoint) finish within ShutdownTimeout, and returns nil. It returns an
// error when Discord refuses the token or the intents, or the gateway
// cannot be reached at start.
//
// Run must be called once.
func (a *Adapter) Run(ctx context.Context) error {
	if a.cfg.Token != "" {
		// Discord unreachable at start is retried with backoff (not ready
		// meanwhile); a refused token, intents or sharding is not.
		err := backoff.Retry(ctx, a.log, "discord connect", a.cfg.StartRetry, func(ctx context.Context) error {
			err := a.connect(ctx)
			if err != nil {
				a.ready.set(false, err.Error())
			}
			return err
		})
		if err != nil {
			if ctx.Err() != nil && !backoff.IsPermanent(err) {
				return nil // stopped while waiting for Discord
			}
			return err
		}
	} else {
		a.log.Info("no bot token: serving the HTTP interactions endpoint only; register the commands with a token once")
	}
	<-ctx.Done()
	// Stop receiving first, so that events already received are still
	// answered; then refuse new work and wait for what is in flight.
	if a.cfg.Token != "" {
		a.log.Info("disconnecting from the gateway")
		if err := a.sess.shutdown(); err != nil {
			a.log.Warn("close gateway", "err", err)
		}
	}
	a.mu.Lock()
	a.closing = true
	a.mu.Unlock()
	a.drain()
	return nil
}

// connect checks the token, opens the gateway and syncs the commands.
// Events are handled with contexts derived from ctx but not cancelled with
// it (see begin): answers in flight outlive the shutdown signal.
func (a *Adapter) connect(ctx context.Context) error {
	gw, err := a.sess.GatewayBot(discordgo.WithContext(ctx))
	if err != nil {
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == 401 {
			return backoff.Permanent(errors.New("discord: Discord rejected DISCORD_BOT_TOKEN (401 Unauthorized); reset the token in the Developer Portal (Bot → Reset Token)"))
		}
		return fmt.Errorf("discord: get gateway: %s", safeErr(err))
	}
	if gw.SessionStartLimit.Total > 0 && gw.SessionStartLimit.Remaining == 0 {
		return backoff.Permanent(fmt.Errorf("discord: no gateway sessions left today; the limit resets in %v", time.Duration(gw.SessionStartLimit.ResetAfter)*time.Millisecond))
	}
	if gw.Shards > a.cfg.ShardCount {
		a.log.Warn("Discord recommends more shards", "recommended", gw.Shards, "configured", a.cfg.ShardCount)
	}
	a.log.Info("gateway", "url", gw.URL, "shard", a.cfg.ShardID, "shards", a.cfg.ShardCount)

	// discordgo runs each handler in a goroutine of its own: a panic in
	// one would end the process, so every handler recovers (safe.Do logs
	// the panic with its stack and counts it). They are added once, not
	// again when Open is retried.
	if !a.handlersAdded {
		a.handlersAdded = true
		a.addHandlers(ctx)
	}
	if err := a.sess.Open(); err != nil {
		return openError(err)
	}
	if a.cfg.ShardID == 0 { // one shard keeps the commands, not all of them
		if err := a.syncCommands(ctx); err != nil {
			// Mentions and DMs still work; say clearly what is missing.
			a.log.Error("slash commands not registered", "err", safeErr(err))
		}
	}
	return nil
}

// addHandlers subscribes to the gateway's events.
func (a *Adapter) addHandlers(ctx context.Context) {
	a.sess.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		_ = safe.Do(ctx, a.log, "discord ready", func() {
			a.ready.set(true, "")
			if r.User != nil {
				a.log.Info("connected", "user", r.User.Username, "id", r.User.ID, "session", r.SessionID)
			}
		})
	})
	a.sess.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		a.ready.set(true, "")
		a.log.Info("gateway session resumed")
	})
	a.sess.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		a.ready.set(false, "gateway disconnected, reconnecting")
		a.log.Info("gateway disconnected")
	})
	a.sess.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) {
		_ = safe.Do(ctx, a.log, "discord message", func() { a.onMessage(ctx, m.Message) })
	})
	a.sess.AddHandler(func(_ *discordgo.Session, e *discordgo.Event) {
		_ = safe.Do(ctx, a.log, "discord interaction", func() { a.onGatewayEvent(ctx, e) })
	})
}

// openError explains the gateway's refusals that need the operator.
func openError(err error) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return backoff.Permanent(errors.New("discord: the gateway rejected DISCORD_BOT_TOKEN (4004 Authentication failed)"))
		case 4013, 4014:
			return backoff.Permanent(fmt.Errorf("discord: the gateway refused the intents (%d %s): enable Message Content Intent in the Developer Portal (Bot → Privileged Gateway Intents), or set DISCORD_MESSAGE_CONTENT=false", ce.Code, ce.Text))
		case 4010, 4011:
			return backoff.Permanent(fmt.Errorf("discord: the gateway refused the sharding (%d %s): check DISCORD_SHARD_ID and DISCORD_SHARD_COUNT", ce.Code, ce.Text))
		}
	}
	return fmt.Errorf("discord: open gateway: %s", safeErr(err))
}

// begin registers an answer in flight and returns the context it must use
// (cancelled when the shutdown timeout runs out) and the function to call
// when it is done; ok is false when the adapter is shutting down.
func (a *Adapter) begin(parent context.Context) (ctx context.Context, done func(), ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing {
		return nil, nil, false
	}
	a.inflight.Add(1)
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	stop := make(chan struct{})
	go func() {
		select {
		case <-a.abort:
			cancel()
		case <-stop:
		}
	}()
	return ctx, func() { close(stop); cancel(); a.inflight.Done() }, true
}

// drain waits for the answers in flight, cancelling them when
// ShutdownTimeout runs out.
func (a *Adapter) drain() {
	finished := make(chan struct{})
	go func() { a.inflight.Wait(); close(finished) }()
	t := time.NewTimer(a.cfg.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-finished:
		return
	case <-t.C:
		a.log.Warn("shutdown timeout: cancelling answers in flight")
	}
	close(a.abort)
	<-finished
}

// apology is what users see when answering them panicked (the panic is
// logged with its stack).
const apology = bot.ApologyMessage

// apologise tells the user through r that answering failed, after a
// recovered panic. It recovers from a panic of its own.
func (a *Adapter) apologise(ctx context.Context, r replier) {
	_ = safe.Do(ctx, a.log, "discord apology", func() {
		if _, err := deliver(ctx, r, renderText(apology)); err != nil {
			a.log.WarnContext(ctx, "send apology failed", "err", safeErr(err))
		}
	})
}

// userMessage is what users see for err; the cause goes to the log unless
// it is a question error the user can fix.
func (a *Adapter) userMessage(ctx context.Context, err error, what string) string {
	if !errors.Is(err, bot.ErrEmptyQuestion) && !errors.Is(err, bot.ErrQuestionTooLong) {
		a.log.ErrorContext(ctx, what+" failed", "err", safeErr(err))
	}
	return bot.UserMessage(err)
}

// stripMentions removes mentions of the bot from a question.
func stripMentions(text, botID string) string {
	if botID == "" {
		return strings.TrimSpace(text)
	}
	text = strings.ReplaceAll(text, "<@"+botID+">", " ")
	text = strings.ReplaceAll(text, "<@!"+botID+">", " ")
	return strings.TrimSpace(text)
}
