package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/config"
)

// The command tree (spf13/cobra, as gh, kubectl and hugo use): global
// flags (the settings' --db, --env-file, --log-level, --tz, --prompts-dir)
// work before or after the command and its arguments; each command has
// only its own flags; `newsbot "question"` asks it.

// usageError is a command-line mistake: main prints it and a hint, and
// exits 2.
type usageError struct {
	err  error
	hint string // e.g. "see 'newsbot ask --help'"
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return repl.ErrUsage }

// opts are the command's own flags; each command registers those it has.
type opts struct {
	json, fit, example, poll bool
	k, failures              int
	batch, questions, mode   string
	since, until, source     string
	asOf                     string
	from, to                 string
	ready                    bool
}

func (o *opts) filterFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.since, "since", "", "only articles published on or after this date (YYYY-MM-DD)")
	fs.StringVar(&o.until, "until", "", "only articles published on or before this date (YYYY-MM-DD)")
	fs.StringVar(&o.source, "source", "", "only these outlets (comma-separated, e.g. AP,bbc.co.uk)")
	fs.StringVar(&o.asOf, "as-of", "", "answer as on this date (YYYY-MM-DD): relative dates count from it, later articles are unseen")
}

func (o *opts) modeFlag(fs *pflag.FlagSet) {
	fs.StringVar(&o.mode, "mode", "", "answer with the language model (llm) or from the articles' sentences (template); default llm when NEWSBOT_LLM_MODEL is set")
}

func (o *opts) jsonFlag(fs *pflag.FlagSet) {
	fs.BoolVar(&o.json, "json", false, "print JSON (fields: see the README)")
}

// question is the question the filters and mode describe.
func (o *opts) question(loc *time.Location) (bot.Question, error) {
	var q bot.Question
	var err error
	if q.Since, err = parseDay(o.since, loc); err != nil {
		return q, fmt.Errorf("--since: %w", err)
	}
	if q.Until, err = parseDay(o.until, loc); err != nil {
		return q, fmt.Errorf("--until: %w", err)
	}
	if !q.Until.IsZero() {
		q.Until = q.Until.AddDate(0, 0, 1) // the whole day
	}
	if q.AsOf, err = parseDay(o.asOf, loc); err != nil {
		return q, fmt.Errorf("--as-of: %w", err)
	}
	if !q.AsOf.IsZero() {
		q.AsOf = q.AsOf.Add(12 * time.Hour) // midday of that day
	}
	for _, s := range strings.Split(o.source, ",") {
		if s = strings.TrimSpace(s); s != "" {
			q.Sources = append(q.Sources, s)
		}
	}
	switch o.mode {
	case "", bot.ModeLLM, bot.ModeTemplate:
		q.Mode = o.mode
	default:
		return q, fmt.Errorf("%w: --mode %q: want llm or template", repl.ErrUsage, o.mode)
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

// version is the module version and VCS revision the binary was built
// from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " (" + rev + modified + ")"
	}
	return v + " " + bi.GoVersion
}

// action is what a command does once the settings are loaded and, unless
// it needs no store, the app is open.
type action func(a *app, ctx context.Context, c *invocation) error

// invocation is one run of a command.
type invocation struct {
	cmd  *cobra.Command
	args []string
	o    *opts
	cfg  *config.Config
	a    *app
	q    bot.Question
	sio  *stdio
}

// newRoot builds the command tree; runCmd does the work of each command.
func newRoot(ctx context.Context, sio *stdio) *cobra.Command {
	o := &opts{}
	root := &cobra.Command{
		Use:   "newsbot [question]",
		Short: "newsbot answers questions about the news and cites its sources",
		Long: `newsbot answers questions about the news and cites its sources.

With no command it starts an interactive session; with a question
(newsbot "who won the derby?") it answers it, like newsbot ask.
Settings come from flags, the environment, .env (see .env.example).`,
		Version:           version(),
		Args:              cobra.ArbitraryArgs,
		SilenceErrors:     true,
		SilenceUsage:      true,
		DisableAutoGenTag: true,
	}
	root.SetVersionTemplate("newsbot {{.Version}}\n")
	config.RegisterFlags(root.PersistentFlags())
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{err: err, hint: fmt.Sprintf("see '%s --help'", c.CommandPath())}
	})
	root.SetOut(sio.out)
	root.SetErr(sio.err)
	root.SetIn(sio.in)
	// newsbot "question": ask it; no argument: the interactive session.
	root.Flags().SortFlags = false
	o.jsonFlag(root.Flags())
	o.modeFlag(root.Flags())
	o.filterFlags(root.Flags())
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return runCmd(ctx, sio, cmd, args, o, true, (*app).replAction)
		}
		// A lone word close to a command's name is a typo, not a question.
		if len(args) == 1 && !strings.ContainsAny(args[0], " ?") {
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				return &usageError{err: fmt.Errorf("unknown command %q; did you mean %q?", args[0], s[0]), hint: "see 'newsbot --help'"}
			}
		}
		return runCmd(ctx, sio, cmd, args, o, true, (*app).askAction)
	}
	addCommands(ctx, sio, root)
	for _, c := range root.Commands() {
		c.SilenceErrors, c.SilenceUsage = true, true
	}
	return root
}

// addCommands adds the commands to root, each with its own flags.
func addCommands(ctx context.Context, sio *stdio, root *cobra.Command) {
	add := func(c *cobra.Command, own func(*opts, *pflag.FlagSet), store bool, act action) {
		if check := c.Args; check != nil {
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := check(cmd, args); err != nil {
					return &usageError{err: err, hint: fmt.Sprintf("see '%s --help'", cmd.CommandPath())}
				}
				return nil
			}
		}
		co := &opts{}
		if own != nil {
			own(co, c.Flags())
		}
		c.Flags().SortFlags = false
		c.RunE = func(cmd *cobra.Command, args []string) error {
			return runCmd(ctx, sio, cmd, args, co, store, act)
		}
		root.AddCommand(c)
	}
	add(&cobra.Command{Use: "repl", Short: "ask questions in an interactive session (the default)", Args: cobra.NoArgs},
		func(o *opts, fs *pflag.FlagSet) { o.modeFlag(fs); o.filterFlags(fs) }, true, (*app).replAction)
	add(&cobra.Command{Use: "ask [question]", Short: "answer one question, or each line of --batch", Args: cobra.ArbitraryArgs},
		func(o *opts, fs *pflag.FlagSet) {
			o.jsonFlag(fs)
			fs.StringVar(&o.batch, "batch", "", "read JSON Lines questions {id, question, date?} from FILE (- for stdin), print one JSON line each")
			fs.IntVar(&o.k, "k", 0, "passages considered")
			o.modeFlag(fs)
			o.filterFlags(fs)
		}, true, (*app).askAction)
	add(&cobra.Command{Use: "search [query]", Short: "the best-matching paragraphs", Args: cobra.ArbitraryArgs},
		func(o *opts, fs *pflag.FlagSet) {
			o.jsonFlag(fs)
			fs.StringVar(&o.batch, "batch", "", "read JSON Lines queries {id, question, date?} from FILE (- for stdin), print one JSON line each")
			fs.IntVar(&o.k, "k", 10, "number of results")
			o.filterFlags(fs)
		}, true, (*app).searchAction)
	add(&cobra.Command{Use: "latest [topic]", Short: "the newest headlines, on a topic if given", Args: cobra.ArbitraryArgs},
		func(o *opts, fs *pflag.FlagSet) {
			o.jsonFlag(fs)
			fs.IntVar(&o.k, "k", 10, "number of headlines")
			o.filterFlags(fs)
		}, true, (*app).latestAction)
	add(&cobra.Command{Use: "ingest PATH|URL...", Short: "load articles: files, directories, - for stdin, feeds and pages", Args: cobra.MinimumNArgs(1)},
		nil, true, (*app).ingestAction)
	add(&cobra.Command{Use: "feeds", Short: "the state of the polled feeds", Args: cobra.NoArgs},
		func(o *opts, fs *pflag.FlagSet) {
			o.jsonFlag(fs)
			fs.BoolVar(&o.poll, "poll", false, "poll every feed now, then show their state")
		}, true, (*app).feedsAction)
	add(&cobra.Command{Use: "eval", Short: "measure retrieval and answers on quiz questions", Args: cobra.NoArgs},
		func(o *opts, fs *pflag.FlagSet) {
			fs.StringVar(&o.questions, "questions", "", "JSON Lines questions {id, question, answer, date?} (- for stdin); required")
			fs.IntVar(&o.k, "k", 10, "results scored per question")
			o.jsonFlag(fs)
			fs.IntVar(&o.failures, "failures", 0, "list this many missed questions")
			fs.BoolVar(&o.fit, "fit", false, "fit the re-ranking weights to the questions and print them, with cross-validated recall")
		}, true, (*app).evalAction)
	add(&cobra.Command{Use: "serve", Short: "run the chat adapters that are configured (Slack, Discord)", Args: cobra.NoArgs},
		nil, true, (*app).serveAction)
	add(&cobra.Command{Use: "config", Short: "show the effective settings (secrets hidden)", Args: cobra.NoArgs},
		func(o *opts, fs *pflag.FlagSet) {
			o.jsonFlag(fs)
			fs.BoolVar(&o.example, "example", false, "print .env.example")
		}, false, nil)
	add(&cobra.Command{Use: "migrate --to FILE|postgres://…", Short: "copy the store into another (SQLite into PostgreSQL, or back), then verify the copy", Args: cobra.NoArgs,
		Long: `Copy the store into another: SQLite into PostgreSQL, or back.

The source is the configured store (--db, NEWSBOT_DATABASE_URL) unless
--from names one. Articles with their paragraphs, stories, the feeds'
state and every embedding model's vectors are copied; then each table's
rows are counted on both sides and sample searches run on both. An
interrupted copy (Ctrl-C, a lost connection) continues when run again and
copies nothing twice. Exit status 1 when the copy fails or differs.`},
		func(o *opts, fs *pflag.FlagSet) {
			fs.StringVar(&o.from, "from", "", "the store to copy: an SQLite file or a postgres:// URL (default: the configured store)")
			fs.StringVar(&o.to, "to", "", "the store to copy into: an SQLite file (created when missing) or a postgres:// URL; required")
			o.jsonFlag(fs)
		}, false, func(_ *app, ctx context.Context, c *invocation) error { return migrateAction(ctx, c) })
	add(&cobra.Command{Use: "healthcheck", Short: "exit 0 when the serve on NEWSBOT_HTTP_ADDR answers /healthz (--ready: /readyz) with 200", Args: cobra.NoArgs},
		func(o *opts, fs *pflag.FlagSet) {
			fs.BoolVar(&o.ready, "ready", false, "ask /readyz (store reachable, adapters connected) instead of /healthz")
		}, false, func(_ *app, ctx context.Context, c *invocation) error { return healthcheckAction(ctx, c) })
}

// runCmd loads the settings from the command's flags, then runs act on
// the opened app (store false: config, which needs none). Once the
// settings are loaded, every configured secret is replaced in what it
// prints and in the error it returns, and a panic is logged with its stack
// and returned as an error.
func runCmd(ctx context.Context, sio *stdio, cmd *cobra.Command, args []string, o *opts, store bool, act action) (err error) {
	cfg, err := config.Load(config.Source{Flags: config.ChangedFlags(cmd.Flags()), Getenv: sio.getenv, Environ: sio.environ, EnvFile: ".env"})
	if err != nil {
		return err
	}
	if cmd.Name() == "serve" && !sio.progress && logFormatDefault(cfg) {
		cfg.LogFormat = "json" // a service's log is read by machines: JSON unless asked otherwise
	}
	sio = sio.redacted(cfg.Redactor())
	defer func() {
		if v := recover(); v != nil {
			err = recovered(ctx, cfg, sio, cmd.Name(), v)
		}
		err = cfg.Redactor().Error(err)
	}()
	for _, w := range cfg.Warnings() {
		fmt.Fprintln(sio.err, "newsbot: warning:", w)
	}
	inv := &invocation{cmd: cmd, args: args, o: o, cfg: cfg, sio: sio}
	if !store && act != nil {
		return act(nil, ctx, inv) // migrate opens its stores itself
	}
	if !store {
		return showConfig(cfg, o.example, o.json, sio.out)
	}
	if inv.q, err = o.question(cfg.Location); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, sio, cmd.Name() == "serve")
	if err != nil {
		return err
	}
	defer a.Close()
	if o.k > 0 && (cmd.Name() == "ask" || cmd.Name() == "newsbot") {
		a.bot.Passages = o.k
	}
	inv.a = a
	return act(a, ctx, inv)
}

// run executes one newsbot command line.
func run(ctx context.Context, args []string, sio *stdio) error {
	root := newRoot(ctx, sio)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var ue *usageError
	if err != nil && !errors.As(err, &ue) && isCobraUsage(err) {
		return &usageError{err: err, hint: "see 'newsbot --help'"}
	}
	return err
}

// isCobraUsage reports whether err is one of cobra's own command-line
// errors (an unknown command, a wrong number of arguments).
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "unknown flag", "unknown shorthand", "flag needs an argument", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// logFormatDefault reports whether NEWSBOT_LOG_FORMAT was left unset.
func logFormatDefault(cfg *config.Config) bool {
	for _, s := range cfg.Settings() {
		if s.Env == "NEWSBOT_LOG_FORMAT" {
			return s.From == "default"
		}
	}
	return false
}
