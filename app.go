package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/bot/openai"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/eval"
	"github.com/newsbot/newsbot/internal/server"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/hybrid"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/postgres"
	"github.com/newsbot/newsbot/knowledge/sample"
	"github.com/newsbot/newsbot/knowledge/sqlite"
	"github.com/newsbot/newsbot/prompts"
)

// app is everything a command may need, opened from the config.
type app struct {
	cfg   *config.Config
	log   *slog.Logger
	store store
	where string // where the store is, for messages: "at FILE" or "in PostgreSQL database ..."
	index *index.Index
	// ranking is the index's ranking (built in, or NEWSBOT_RANKING_FILE).
	ranking index.Ranking
	bot     *bot.Bot
	ingest  *ingest.Ingester
	// embedder and embedKey are set when embeddings are configured.
	embedder knowledge.Embedder
	embedKey string
	// listener is the HTTP socket `serve` opened while it waited for
	// PostgreSQL, for its own server to go on serving (nil otherwise).
	listener *server.Listener
}

func (a *app) Close() error {
	if a.listener != nil {
		a.listener.Close()
	}
	return a.store.Close()
}

// store is what newsbot needs of a storage engine (knowledge/sqlite,
// knowledge/postgres): articles and their index, paragraph vectors, and the
// feed poller's state.
type store interface {
	knowledge.Store
	knowledge.VectorStore
	feed.StateStore
}

// openApp opens what the commands need; with waitForStore (serve) an
// unreachable PostgreSQL is waited for (openPostgresWaiting).
func openApp(ctx context.Context, cfg *config.Config, sio *stdio, waitForStore bool) (*app, error) {
	log := config.NewLogger(cfg, sio.err)
	pr, err := prompts.Load(cfg.PromptsDir)
	if err != nil {
		return nil, err
	}
	if err := bot.CheckPrompts(pr); err != nil { // a broken override fails now, not on a question
		return nil, err
	}
	store, where, ln, err := openStore(ctx, cfg, log, sio, waitForStore)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*app, error) {
		if ln != nil {
			ln.Close()
		}
		store.Close()
		return nil, err
	}
	if err := reindex(ctx, store, log); err != nil {
		return fail(err)
	}
	ranking, err := loadRanking(cfg.RankingFile)
	if err != nil {
		return fail(err)
	}
	ix := index.NewIndex(store, &ranking)
	a := &app{
		cfg: cfg, log: log, store: store, where: where, index: ix, ranking: ranking, listener: ln,
		bot:    &bot.Bot{Retriever: ix, Terms: ix, Library: store, Prompts: pr, Logger: log, Passages: cfg.Passages, Location: cfg.Location, StaleAfter: cfg.StaleAfter},
		ingest: &ingest.Ingester{Store: store, Logger: log, Stdin: sio.in, Elsewhere: isSavedPage},
	}
	if l := cfg.LLM; l.Model != "" || l.EmbeddingModel != "" {
		client := openai.New(openai.Options{BaseURL: l.BaseURL, APIKey: l.APIKey, Model: l.Model,
			EmbeddingModel: l.EmbeddingModel, Dimensions: l.EmbeddingDimensions, MaxTokens: l.MaxTokens,
			Temperature: l.Temperature, Retries: l.Retries, Logger: log})
		if l.Model != "" {
			a.bot.LLM = &bot.LLM{Model: client, Timeout: l.Timeout, PromptTokens: l.PromptTokens}
		}
		if l.EmbeddingModel != "" {
			a.embedder, a.embedKey = client, knowledge.EmbeddingKey(l.EmbeddingModel, l.EmbeddingDimensions)
			hy := &hybrid.Hybrid{Index: ix, Vectors: store, Embedder: client, Model: a.embedKey, Logger: log}
			a.bot.Retriever = hy
		}
	}
	return a, nil
}

// reindex rebuilds, once, the segments an older text analyser indexed
// (knowledge.AnalyzerVersion), from the stored articles.
func reindex(ctx context.Context, s knowledge.Store, log *slog.Logger) error {
	n, err := index.OldSegments(ctx, s)
	if err != nil || n == 0 {
		return err
	}
	log.Warn("re-indexing the store for this version's text analysis (once; about a minute per 400,000 paragraphs)", "segments", n, "analyzer", index.AnalyzerVersion)
	if _, err := index.Reindex(ctx, s); err != nil {
		return err
	}
	log.Warn("re-indexed", "segments", n)
	return nil
}

// fitRanking fits the re-ranking weights to the questions in `in` (`newsbot
// eval --fit`): the bot searches an index that stops at the first stage.
func (a *app) fitRanking(ctx context.Context, in io.Reader, opts eval.EvalOptions, sio *stdio, asJSON bool) error {
	first := a.ranking
	first.RerankDepth = 0
	b := &bot.Bot{Retriever: index.NewIndex(a.store, &first), Library: a.store, Location: a.cfg.Location}
	rep, err := eval.FitRerank(ctx, b, in, a.ranking, opts)
	if opts.Progress != nil {
		fmt.Fprint(sio.err, "\r\033[K")
	}
	if err != nil {
		return err
	}
	return eval.WriteFitReport(sio.out, rep, asJSON)
}

// loadRanking reads the ranking file, if any, over the built-in ranking.
func loadRanking(path string) (index.Ranking, error) {
	if path == "" {
		return index.DefaultRanking, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return index.Ranking{}, fmt.Errorf("ranking file: %w", err)
	}
	defer f.Close()
	r, err := index.ReadRanking(f)
	if err != nil {
		return index.Ranking{}, fmt.Errorf("ranking file %s: %w", path, err)
	}
	return r, nil
}

// openStore opens the PostgreSQL database when NEWSBOT_DATABASE_URL is
// set, else the SQLite file. The URL (it may hold a password) is never
// logged: only the host and database are. With wait, an unreachable
// PostgreSQL is waited for while the HTTP address answers the health
// checks; ln is then that socket, still open, for serve's own server.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger, sio *stdio, wait bool) (st store, where string, ln *server.Listener, err error) {
	if cfg.DatabaseURL != "" {
		var s *postgres.Store
		if wait {
			s, ln, err = openPostgresWaiting(ctx, cfg, log, sio)
		} else {
			s, err = postgres.Open(ctx, cfg.DatabaseURL)
		}
		if err != nil {
			return nil, "", nil, err
		}
		log.Info("store opened", "engine", "postgres", "database", s.String())
		return s, "in " + s.String(), ln, nil
	}
	s, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return nil, "", nil, err
	}
	log.Info("store opened", "engine", "sqlite", "path", cfg.DB)
	return s, "at " + cfg.DB, nil, nil
}

// loadSample fills an empty store with the bundled sample, saying so.
func (a *app) loadSample(ctx context.Context, w io.Writer) error {
	if !a.cfg.Sample {
		return nil
	}
	n, err := sample.LoadIfEmpty(ctx, a.store, a.ingest)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(w, "The store %s was empty, so I loaded the bundled sample article (AP, 16 April 2025) to answer from.\n"+
			"Add news with: newsbot ingest PATH\n\n", a.where)
	}
	return nil
}

// openInput opens a file, or returns stdin for "-".
func openInput(path string, stdin io.Reader) (io.Reader, func(), error) {
	if path == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}
