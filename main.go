// Command newsbot answers questions about the news, citing its sources, in
// a terminal, Discord or Slack. See README.md.
//
// main only wires: flags and settings -> config -> store -> bot -> adapter.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/server"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/postgres"
	"github.com/newsbot/newsbot/knowledge/sample"
	"github.com/newsbot/newsbot/knowledge/sqlite"
	"github.com/newsbot/newsbot/prompts"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stdinTTY := term.IsTerminal(int(os.Stdin.Fd()))
	stdoutTTY := term.IsTerminal(int(os.Stdout.Fd()))
	stderrTTY := term.IsTerminal(int(os.Stderr.Fd()))
	err := run(ctx, os.Args[1:], &stdio{
		in: os.Stdin, out: os.Stdout, err: os.Stderr,
		interactive: stdinTTY && stdoutTTY, progress: stderrTTY,
	})
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, repl.ErrUsage):
		fmt.Fprintln(os.Stderr, "newsbot:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "newsbot:", err)
		os.Exit(1)
	}
}

// stdio is the process's terminal, replaceable in tests.
type stdio struct {
	in          io.Reader
	out, err    io.Writer
	interactive bool // stdin and stdout are a terminal
	progress    bool // stderr is a terminal
	getenv      func(string) (string, bool)
	// listening, when set, is told the address `serve` listens on.
	listening func(addr string)
}

const usage = `newsbot answers questions about the news and cites its sources.

Usage:
  newsbot [repl]              ask questions in an interactive session (the default)
  newsbot ask "question"      answer one question (--json for machine-readable output)
  newsbot search "query"      the best-matching paragraphs (--json, --batch FILE)
  newsbot latest [topic]      the newest headlines
  newsbot ingest PATH...      load articles: .txt .md .json .jsonl (optionally .gz), directories, - for stdin
  newsbot serve               run the chat adapters that are configured (Slack, Discord)
  newsbot config              show the effective settings (secrets hidden)

Run "newsbot COMMAND -h" for a command's flags. Settings: see .env.example.
`

// app is everything a command may need, opened from the config.
type app struct {
	cfg    *config.Config
	log    *slog.Logger
	store  knowledge.Store
	where  string // where the store is, for messages: "at FILE" or "in PostgreSQL database ..."
	index  *knowledge.Index
	bot    *bot.Bot
	ingest *knowledge.Ingester
}

func (a *app) Close() error { return a.store.Close() }

func openApp(ctx context.Context, cfg *config.Config, sio *stdio) (*app, error) {
	log := config.NewLogger(cfg, sio.err)
	pr, err := prompts.Load(cfg.PromptsDir)
	if err != nil {
		return nil, err
	}
	store, where, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	index := knowledge.NewIndex(store, knowledge.Ranking{})
	return &app{
		cfg: cfg, log: log, store: store, where: where, index: index,
		bot:    &bot.Bot{Retriever: index, Library: store, Prompts: pr, Logger: log, Passages: cfg.Passages},
		ingest: &knowledge.Ingester{Store: store, Logger: log, Stdin: sio.in},
	}, nil
}

// openStore opens the PostgreSQL database when NEWSBOT_DATABASE_URL is
// set, else the SQLite file. The URL (it may hold a password) is never
// logged: only the host and database are.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (knowledge.Store, string, error) {
	if cfg.DatabaseURL != "" {
		s, err := postgres.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, "", err
		}
		log.Info("store opened", "engine", "postgres", "database", s.String())
		return s, "in " + s.String(), nil
	}
	s, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return nil, "", err
	}
	log.Info("store opened", "engine", "sqlite", "path", cfg.DB)
	return s, "at " + cfg.DB, nil
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

// filterFlags are the retrieval filters shared by ask, search and repl.
type filterFlags struct {
	since, until, source *string
}

func addFilterFlags(fs *flag.FlagSet) filterFlags {
	return filterFlags{
		since:  fs.String("since", "", "only articles published on or after this date (YYYY-MM-DD)"),
		until:  fs.String("until", "", "only articles published on or before this date (YYYY-MM-DD)"),
		source: fs.String("source", "", "only these outlets (comma-separated, e.g. AP,bbc.co.uk)"),
	}
}

func (f filterFlags) question(loc *time.Location) (bot.Question, error) {
	var q bot.Question
	var err error
	if q.Since, err = parseDay(*f.since, loc); err != nil {
		return q, fmt.Errorf("--since: %w", err)
	}
	if q.Until, err = parseDay(*f.until, loc); err != nil {
		return q, fmt.Errorf("--until: %w", err)
	}
	if !q.Until.IsZero() {
		q.Until = q.Until.AddDate(0, 0, 1) // the whole day
	}
	for _, s := range strings.Split(*f.source, ",") {
		if s = strings.TrimSpace(s); s != "" {
			q.Sources = append(q.Sources, s)
		}
	}
	return q, nil
}

func parseDay(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q is not a date like 2025-04-16", repl.ErrUsage, s)
	}
	return t, nil
}

// run executes one newsbot command.
func run(ctx context.Context, args []string, sio *stdio) error {
	cmd := "repl"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("newsbot "+cmd, flag.ContinueOnError)
	fs.SetOutput(sio.err)
	config.RegisterFlags(fs)
	jsonOut := fs.Bool("json", false, "print JSON")
	k := fs.Int("k", 0, "number of results (search: default 10; ask: passages considered)")
	filters := addFilterFlags(fs)
	batch := fs.String("batch", "", "search: read JSON Lines questions from FILE (- for stdin), print one JSON line each")
	var configExample *bool
	if cmd == "config" {
		configExample = fs.Bool("example", false, "print .env.example")
	}
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(sio.out, usage)
		return nil
	case "repl", "ask", "search", "latest", "ingest", "config", "serve":
	default:
		fmt.Fprint(sio.err, usage)
		return fmt.Errorf("%w: unknown command %q", repl.ErrUsage, cmd)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(config.Source{Flags: fs, Getenv: sio.getenv, EnvFile: ".env"})
	if err != nil {
		return err
	}
	if cmd == "config" {
		if *configExample {
			fmt.Fprint(sio.out, config.Example())
			return nil
		}
		for _, s := range cfg.Settings() {
			fmt.Fprintf(sio.out, "%s=%s\t# %s\n", s.Env, s.Value, s.From)
		}
		return nil
	}
	q, err := filters.question(cfg.Location)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, sio)
	if err != nil {
		return err
	}
	defer a.Close()
	if *k > 0 {
		a.bot.Passages = *k
	}
	rest := strings.Join(fs.Args(), " ")

	switch cmd {
	case "ingest":
		if fs.NArg() == 0 {
			return fmt.Errorf("%w: newsbot ingest PATH... (files, directories, - for stdin)", repl.ErrUsage)
		}
		var progress io.Writer
		if sio.progress {
			progress = sio.err
		}
		return repl.Ingest(ctx, a.ingest, fs.Args(), sio.out, progress)
	case "latest":
		hs, err := a.bot.Latest(ctx, rest, max(*k, 10))
		if err != nil {
			return err
		}
		return repl.WriteHeadlines(sio.out, hs)
	case "search":
		kq := knowledge.Query{Text: rest, K: *k, Since: q.Since, Until: q.Until, Sources: q.Sources}
		if kq.K <= 0 {
			kq.K = 10
		}
		if *batch != "" {
			in, closeIn, err := openInput(*batch, sio.in)
			if err != nil {
				return err
			}
			defer closeIn()
			return repl.SearchBatch(ctx, a.index, kq, in, sio.out)
		}
		if rest == "" {
			return fmt.Errorf("%w: newsbot search \"query\" (or --batch FILE)", repl.ErrUsage)
		}
		return repl.Search(ctx, a.index, kq, *jsonOut, sio.out)
	case "ask":
		if err := a.loadSample(ctx, sio.err); err != nil {
			return err
		}
		q.Text = rest
		err := repl.Ask(ctx, a.bot, q, *jsonOut, sio.out)
		if errors.Is(err, bot.ErrEmptyQuestion) || errors.Is(err, bot.ErrQuestionTooLong) {
			return fmt.Errorf("%w: %v", repl.ErrUsage, err)
		}
		return err
	case "serve":
		if err := a.loadSample(ctx, sio.err); err != nil {
			return err
		}
		srv := &server.Server{Addr: cfg.HTTPAddr, ShutdownTimeout: cfg.ShutdownTimeout, Logger: a.log, Listening: sio.listening}
		mux := http.NewServeMux()
		routes := 0 // HTTP routes added by adapters
		// Each configured adapter adds itself here: a server.Runner, and its
		// HTTP routes on mux (counted in routes).
		if len(srv.Runners) == 0 && routes == 0 {
			return fmt.Errorf("%w: no chat adapter is configured; set SLACK_BOT_TOKEN and/or DISCORD_BOT_TOKEN (see README)", repl.ErrUsage)
		}
		srv.Handler = mux
		return srv.Run(ctx)
	default: // repl
		if err := a.loadSample(ctx, sio.out); err != nil {
			return err
		}
		greeting := ""
		if sio.interactive {
			st, err := a.store.Stats(ctx)
			if err != nil {
				return err
			}
			greeting = fmt.Sprintf("newsbot — ask about the news (%d articles", st.Articles)
			if !st.Newest.IsZero() {
				greeting += ", newest " + st.Newest.Format("2 Jan 2006")
			}
			greeting += "). Type :help for commands, Ctrl-D to leave."
		}
		r := &repl.REPL{Bot: a.bot, In: sio.in, Out: sio.out, Interactive: sio.interactive, HistoryFile: cfg.HistoryFile,
			Greeting: greeting, Logger: a.log, Question: q}
		return r.Run(ctx)
	}
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
