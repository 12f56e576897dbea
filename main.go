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
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/redact"
	"github.com/newsbot/newsbot/internal/safe"
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
		logOutput: log.SetOutput,
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
	// logOutput, when set, redirects the standard library's log (which
	// dependencies and slog.Default write to) to the redacted stderr.
	logOutput func(io.Writer)
}

// redacted returns a copy of sio whose output passes through r, so that
// no configured secret is printed, whoever prints it.
func (sio *stdio) redacted(r *redact.Redactor) *stdio {
	c := *sio
	c.out, c.err = r.Writer(sio.out), r.Writer(sio.err)
	if c.logOutput != nil {
		c.logOutput(c.err)
	}
	return &c
}

const usage = `newsbot answers questions about the news and cites its sources.

Usage:
  newsbot [repl]              ask questions in an interactive session (the default)
  newsbot ask "question"      answer one question (--json for machine-readable output, --batch FILE)
  newsbot search "query"      the best-matching paragraphs (--json, --batch FILE)
  newsbot eval --questions F  measure retrieval and answers on quiz questions (JSON Lines; --fit: fit the ranking to them)
  newsbot latest [topic]      the newest headlines
  newsbot ingest PATH|URL...  load articles: .txt .md .json .jsonl (optionally .gz), directories, - for stdin;
                              feeds (RSS, Atom, JSON Feed) and article pages, as URLs or saved files
  newsbot feeds               the state of the polled feeds (--poll: poll them all now)
  newsbot serve               run the chat adapters that are configured (Slack, Discord)
  newsbot config              show the effective settings (secrets hidden)

Run "newsbot COMMAND -h" for a command's flags. Settings: see .env.example.
`

// filterFlags are the retrieval filters shared by ask, search and repl.
type filterFlags struct {
	since, until, source, asOf *string
}

func addFilterFlags(fs *flag.FlagSet) filterFlags {
	return filterFlags{
		since:  fs.String("since", "", "only articles published on or after this date (YYYY-MM-DD)"),
		until:  fs.String("until", "", "only articles published on or before this date (YYYY-MM-DD)"),
		source: fs.String("source", "", "only these outlets (comma-separated, e.g. AP,bbc.co.uk)"),
		asOf:   fs.String("as-of", "", "answer as on this date (YYYY-MM-DD): relative dates count from it, later articles are unseen"),
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
	if q.AsOf, err = parseDay(*f.asOf, loc); err != nil {
		return q, fmt.Errorf("--as-of: %w", err)
	}
	if !q.AsOf.IsZero() {
		q.AsOf = q.AsOf.Add(12 * time.Hour) // midday of that day
	}
	for _, s := range strings.Split(*f.source, ",") {
		if s = strings.TrimSpace(s); s != "" {
			q.Sources = append(q.Sources, s)
		}
	}
	return q, nil
}

// recovered logs a panic that reached run, with its stack, through the
// redacting logger, and returns it as an error.
func recovered(ctx context.Context, cfg *config.Config, sio *stdio, cmd string, v any) error {
	pe := &safe.PanicError{Where: "newsbot " + cmd, Value: v, Stack: debug.Stack()}
	config.NewLogger(cfg, sio.err).ErrorContext(ctx, "recovered from a panic", "where", pe.Where, "panic", fmt.Sprint(v), "stack", string(pe.Stack))
	return pe
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

// cmdFlags are the command-line flags: the settings' (config.RegisterFlags)
// and the commands' own.
type cmdFlags struct {
	fs        *flag.FlagSet
	jsonOut   *bool
	k         *int
	filters   filterFlags
	batch     *string
	questions *string
	failures  *int
	fit       *bool
	mode      *string
	// configExample is config's --example, pollNow feeds' --poll; nil for
	// the other commands.
	configExample, pollNow *bool
}

func newCmdFlags(cmd string, stderr io.Writer) *cmdFlags {
	fs := flag.NewFlagSet("newsbot "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	config.RegisterFlags(fs)
	f := &cmdFlags{
		fs:        fs,
		jsonOut:   fs.Bool("json", false, "print JSON"),
		k:         fs.Int("k", 0, "number of results (search: default 10; ask: passages considered)"),
		filters:   addFilterFlags(fs),
		batch:     fs.String("batch", "", "search, ask: read JSON Lines questions from FILE (- for stdin), print one JSON line each"),
		questions: fs.String("questions", "", "eval: JSON Lines questions {id, question, answer, date?} (- for stdin)"),
		failures:  fs.Int("failures", 0, "eval: list this many missed questions"),
		fit:       fs.Bool("fit", false, "eval: fit the re-ranking weights to the questions and print them, with cross-validated recall"),
		mode:      fs.String("mode", "", "ask, repl: answer with the language model (llm) or from the articles' sentences (template); default llm when NEWSBOT_LLM_MODEL is set"),
	}
	if cmd == "config" {
		f.configExample = fs.Bool("example", false, "print .env.example")
	}
	if cmd == "feeds" {
		f.pollNow = fs.Bool("poll", false, "poll every feed now, then show their state")
	}
	return f
}

// rest is the command's arguments after the flags, as one string.
func (f *cmdFlags) rest() string { return strings.Join(f.fs.Args(), " ") }

// question is the question the flags describe: filters and answer mode.
func (f *cmdFlags) question(loc *time.Location) (bot.Question, error) {
	q, err := f.filters.question(loc)
	if err != nil {
		return q, err
	}
	switch *f.mode {
	case "", bot.ModeLLM, bot.ModeTemplate:
		q.Mode = *f.mode
	default:
		return q, fmt.Errorf("%w: --mode %q: want llm or template", repl.ErrUsage, *f.mode)
	}
	return q, nil
}

// commands are the commands run knows, besides help.
var commands = []string{"repl", "ask", "search", "eval", "latest", "ingest", "config", "serve", "feeds"}

// run executes one newsbot command. Once the settings are loaded, every
// configured secret is replaced in what it prints and in the error it
// returns, and a panic is logged with its stack and returned as an error.
func run(ctx context.Context, args []string, sio *stdio) (err error) {
	cmd := "repl"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch {
	case cmd == "help" || cmd == "-h" || cmd == "--help":
		fmt.Fprint(sio.out, usage)
		return nil
	case !slices.Contains(commands, cmd):
		fmt.Fprint(sio.err, usage)
		return fmt.Errorf("%w: unknown command %q", repl.ErrUsage, cmd)
	}
	f := newCmdFlags(cmd, sio.err)
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(config.Source{Flags: f.fs, Getenv: sio.getenv, EnvFile: ".env"})
	if err != nil {
		return err
	}
	sio = sio.redacted(cfg.Redactor())
	defer func() {
		if v := recover(); v != nil {
			err = recovered(ctx, cfg, sio, cmd, v)
		}
		err = cfg.Redactor().Error(err)
	}()
	if cmd == "config" {
		return showConfig(cfg, *f.configExample, sio.out)
	}
	q, err := f.question(cfg.Location)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, sio)
	if err != nil {
		return err
	}
	defer a.Close()
	if *f.k > 0 {
		a.bot.Passages = *f.k
	}
	return a.command(ctx, cmd, f, q, sio)
}

// command runs cmd on the opened app; q holds the flags' filters and mode.
func (a *app) command(ctx context.Context, cmd string, f *cmdFlags, q bot.Question, sio *stdio) error {
	switch cmd {
	case "ingest":
		return a.ingestCommand(ctx, f.fs.Args(), sio)
	case "feeds":
		return a.feedsCommand(ctx, sio, *f.pollNow)
	case "latest":
		return a.latestCommand(ctx, f.rest(), *f.k, sio)
	case "search":
		return a.searchCommand(ctx, f, q, sio)
	case "eval":
		return a.evalCommand(ctx, f, sio)
	case "ask":
		return a.askCommand(ctx, f, q, sio)
	case "serve":
		return a.serve(ctx, sio)
	}
	return a.replCommand(ctx, q, sio)
}
