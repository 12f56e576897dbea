package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/slack"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/metrics"
	"github.com/newsbot/newsbot/internal/server"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/postgres"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// serve runs `newsbot serve`: every chat adapter whose credentials are
// configured, their HTTP routes on one server, and the feed poller, until
// ctx is done (SIGTERM).
func (a *app) serve(ctx context.Context, sio *stdio) error {
	if err := a.loadSample(ctx, sio.err); err != nil {
		return err
	}
	srv := &server.Server{Addr: a.cfg.HTTPAddr, Listener: a.listener, ShutdownTimeout: a.cfg.ShutdownTimeout, Logger: a.log, Listening: sio.listening}
	if a.listener != nil {
		// The socket opened while waiting for the database, told of then,
		// goes on being served (openPostgresWaiting).
		srv.Listening = nil
	}
	// Metrics wrap what the core is given: the retriever and the model
	// the bot calls, the asker each adapter calls, the poller's rounds.
	m := metrics.New(a.store.Stats)
	if sc, ok := a.store.(interface {
		StoryCount(context.Context) (int, error)
	}); ok {
		m.Stories(sc.StoryCount)
	}
	srv.Metrics = m.Handler()
	a.bot.Retriever = m.Retriever(a.bot.Retriever)
	if a.bot.LLM != nil && a.bot.LLM.Model != nil {
		a.bot.LLM.Model = m.Model(a.bot.LLM.Model)
	}
	mux := http.NewServeMux()
	srv.Checks = append(srv.Checks, storeCheck(a.store))
	routes := 0 // HTTP routes added by adapters
	// Each configured adapter adds itself here: a server.Runner, and its
	// HTTP routes on mux (counted in routes).
	if err := a.cfg.Slack.Validate(); err != nil {
		return err
	}
	if a.cfg.Slack.Enabled() {
		installs, err := slackInstalls(a.store, a.cfg.Slack)
		if err != nil {
			return err
		}
		sa, err := slack.New(m.Asker("slack", withRequestIDs("slack", a.bot, a.log)), slack.Options{
			BotToken: a.cfg.Slack.BotToken, AppToken: a.cfg.Slack.AppToken, SigningSecret: a.cfg.Slack.SigningSecret,
			Command: a.cfg.Slack.Command, InChannel: a.cfg.Slack.InChannel, APIURL: a.cfg.Slack.APIURL,
			Limiter: &bot.Limiter{PerMinute: a.cfg.RateLimit, OnLimited: func() { m.RateLimited("slack") }}, Logger: a.log, ShutdownTimeout: a.cfg.ShutdownTimeout,
			Dedupe: sharedDedupe(a.store), NoThreadFollowups: a.cfg.Slack.NoThreadFollowups,
			ClientID: a.cfg.Slack.ClientID, ClientSecret: a.cfg.Slack.ClientSecret, RedirectURL: a.cfg.Slack.RedirectURL,
			TokenKey: a.cfg.Slack.TokenKey, Installs: installs,
			Conversations: a.conversations(),
		})
		if err != nil {
			return err
		}
		srv.Runners = append(srv.Runners, sa)
		srv.Checks = append(srv.Checks, adapterCheck("slack", sa))
		routes += sa.Register(mux)
	}
	if a.cfg.Discord.Enabled() {
		dc := discordConfig(a.cfg, a.log)
		dc.OnRateLimited = func() { m.RateLimited("discord") }
		dc.Conversations = a.conversations()
		d, err := discord.New(m.Asker("discord", withRequestIDs("discord", a.bot, a.log)), dc)
		if err != nil {
			return err
		}
		srv.Runners = append(srv.Runners, d)
		srv.Checks = append(srv.Checks, adapterCheck("discord", d))
		if len(a.cfg.Discord.PublicKey) > 0 {
			mux.Handle("POST /discord/interactions", d.InteractionsHandler())
			routes++
		}
	}
	adapters := len(srv.Runners)
	p := a.newPoller(a.log)
	if l, ok := a.store.(feed.Leaser); ok {
		// PostgreSQL, which several instances may share: each due feed is
		// polled by the instance that takes its lease.
		p.Leases = l
	}
	if round := p.OnRound; round != nil {
		p.OnRound = func(ctx context.Context, r feed.Round) {
			m.FeedRound(ctx, r)
			round(ctx, r)
		}
	} else {
		p.OnRound = m.FeedRound
	}
	if len(p.Sources) > 0 {
		srv.Runners = append(srv.Runners, p) // polls the feeds in the background
	}
	if adapters == 0 && routes == 0 {
		// A feed-polling instance, or one behind a load balancer that only
		// serves /healthz, /readyz and /metrics: say so, as it answers no one.
		fmt.Fprintf(sio.err, "No chat adapter is configured: serving the feed poller and the HTTP endpoints on %s only (feeds: %d).\nSet SLACK_BOT_TOKEN and/or DISCORD_BOT_TOKEN to answer questions.\n", srv.Addr, len(p.Sources))
		a.log.Info("no chat adapter is configured: serving the feed poller and the HTTP endpoints only", "feeds", len(p.Sources), "http", srv.Addr)
	}
	srv.Handler = mux
	return srv.Run(ctx)
}

// sharedDedupe is the store's dedupe table when it has one (PostgreSQL,
// which several instances may share), so that a Slack event or slash
// command delivered to two instances is answered once; nil otherwise (the
// adapter then remembers in memory).
func sharedDedupe(s store) slack.Deduper {
	var _ slack.Deduper = (*postgres.Store)(nil) // the PostgreSQL store is one
	if d, ok := s.(slack.Deduper); ok {
		return d
	}
	return nil
}

// conversations keeps the adapters' conversation turns in the store, so
// that a follow-up answered by another instance sharing the database (or
// after a restart) knows the earlier turns.
func (a *app) conversations() *bot.Conversations {
	c := &bot.Conversations{Logger: a.log}
	if cs, ok := a.store.(bot.ConversationStore); ok {
		c.Store = cs
	}
	return c
}

var (
	_ bot.ConversationStore = (*postgres.Store)(nil)
	_ bot.ConversationStore = (*sqlite.Store)(nil)
)

// slackInstalls is where OAuth installs keep their sealed bot tokens: the
// store's slack_installs table (shared by the instances of one PostgreSQL
// database), or nil when OAuth installs are off.
func slackInstalls(s store, c config.SlackConfig) (slack.TokenStore, error) {
	var (
		_ slack.InstallTable = (*sqlite.Store)(nil)
		_ slack.InstallTable = (*postgres.Store)(nil)
	)
	if !c.OAuth() {
		return nil, nil
	}
	t, ok := s.(slack.InstallTable)
	if !ok {
		return nil, fmt.Errorf("serve: the store (%T) cannot keep Slack installs", s)
	}
	return slack.TableTokenStore{Table: t}, nil
}

// discordConfig maps the settings to the Discord adapter's.
func discordConfig(cfg *config.Config, log *slog.Logger) discord.Config {
	d := cfg.Discord
	return discord.Config{
		Token: d.BotToken, AppID: d.AppID, GuildID: d.GuildID, PublicKey: d.PublicKey,
		ShardID: d.ShardID, ShardCount: d.ShardCount, APIURL: d.APIURL, MessageContent: d.MessageContent,
		RateLimit: cfg.RateLimit, ShutdownTimeout: cfg.ShutdownTimeout, Logger: log,
	}
}

// readyStore is a store that can tell whether it is reachable and fully
// migrated (both of ours).
type readyStore interface {
	Ready(ctx context.Context) error
}

var (
	_ readyStore = (*postgres.Store)(nil)
	_ readyStore = (*sqlite.Store)(nil)
)

// storeCheck is the readiness check "store": reachable, migrations applied.
func storeCheck(s store) server.Check {
	return server.Check{Name: "store", Ready: func(ctx context.Context) error {
		if r, ok := s.(readyStore); ok {
			return r.Ready(ctx)
		}
		return nil
	}}
}

// adapterCheck is the readiness check of a chat adapter: connected.
func adapterCheck(name string, a interface{ Ready() error }) server.Check {
	return server.Check{Name: name, Ready: func(context.Context) error { return a.Ready() }}
}
