package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/cli"
	"github.com/newsbot/newsbot/internal/eval"
)

// The commands of run, one function each (serve is in serve.go, feeds in
// feeds.go).

// showConfig prints the effective settings (`newsbot config`), secrets
// hidden, or .env.example with --example.
func showConfig(cfg *config.Config, example bool, w io.Writer) error {
	if example {
		fmt.Fprint(w, config.Example())
		return nil
	}
	for _, s := range cfg.Settings() {
		fmt.Fprintf(w, "%s=%s\t# %s\n", s.Env, s.Value, s.From)
	}
	return nil
}

// ingestCommand loads articles (`newsbot ingest`): URLs and feed or page
// files through the feed reader, other files through the ingester; then
// embeds them when embeddings are configured.
func (a *app) ingestCommand(ctx context.Context, args []string, sio *stdio) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: newsbot ingest PATH... (files, directories, - for stdin)", repl.ErrUsage)
	}
	var progress io.Writer
	if sio.progress {
		progress = sio.err
	}
	webTargets, files := splitIngestTargets(args)
	var webErr, fileErr error
	if len(webTargets) > 0 {
		webErr = a.ingestWeb(ctx, webTargets, sio.out)
	}
	if len(files) > 0 {
		fileErr = cli.Ingest(ctx, a.ingest, files, sio.out, progress)
	}
	if err := errors.Join(webErr, fileErr); err != nil || a.embedder == nil {
		return err
	}
	return cli.Embed(ctx, a.store, a.embedder, a.embedKey, sio.out, progress)
}

// latestCommand prints the newest headlines (`newsbot latest [topic]`), at
// least 10.
func (a *app) latestCommand(ctx context.Context, topic string, k int, sio *stdio) error {
	hs, err := a.bot.Latest(ctx, topic, max(k, 10))
	if err != nil {
		return err
	}
	return repl.WriteHeadlines(sio.out, hs)
}

// searchCommand prints the best-matching paragraphs (`newsbot search`), of
// one query or of each line of --batch.
func (a *app) searchCommand(ctx context.Context, f *cmdFlags, q bot.Question, sio *stdio) error {
	n := *f.k
	if n <= 0 {
		n = 10
	}
	if *f.batch != "" {
		in, closeIn, err := openInput(*f.batch, sio.in)
		if err != nil {
			return err
		}
		defer closeIn()
		return repl.SearchBatch(ctx, a.bot, q, n, a.cfg.Location, in, sio.out)
	}
	rest := f.rest()
	if rest == "" {
		return fmt.Errorf("%w: newsbot search \"query\" (or --batch FILE)", repl.ErrUsage)
	}
	q.Text = rest
	return repl.Search(ctx, a.bot, q, n, *f.jsonOut, sio.out)
}

// evalCommand measures retrieval and answers on quiz questions (`newsbot
// eval`), or fits the re-ranking to them with --fit.
func (a *app) evalCommand(ctx context.Context, f *cmdFlags, sio *stdio) error {
	if *f.questions == "" {
		return fmt.Errorf("%w: newsbot eval --questions FILE [--k 10] [--json] [--failures N] [--fit]", repl.ErrUsage)
	}
	in, closeIn, err := openInput(*f.questions, sio.in)
	if err != nil {
		return err
	}
	defer closeIn()
	a.bot.Passages = 0 // answers use the bot's setting; --k is for scoring
	if a.cfg.Passages > 0 {
		a.bot.Passages = a.cfg.Passages
	}
	opts := eval.EvalOptions{K: *f.k, Failures: *f.failures, Location: a.cfg.Location}
	if sio.progress {
		opts.Progress = func(done, total int) { fmt.Fprintf(sio.err, "\r\033[Keval: %d/%d", done, total) }
	}
	if *f.fit {
		return a.fitRanking(ctx, in, opts, sio, *f.jsonOut)
	}
	rep, err := eval.Eval(ctx, a.bot, in, opts)
	if sio.progress {
		fmt.Fprint(sio.err, "\r\033[K")
	}
	if err != nil {
		return err
	}
	return eval.WriteEvalReport(sio.out, rep, *f.jsonOut)
}

// askCommand answers one question (`newsbot ask`), or each line of --batch.
func (a *app) askCommand(ctx context.Context, f *cmdFlags, q bot.Question, sio *stdio) error {
	if err := a.loadSample(ctx, sio.err); err != nil {
		return err
	}
	if *f.batch != "" {
		in, closeIn, err := openInput(*f.batch, sio.in)
		if err != nil {
			return err
		}
		defer closeIn()
		return repl.AskBatch(ctx, a.bot, q, a.cfg.Location, in, sio.out)
	}
	q.Text = f.rest()
	err := repl.Ask(ctx, a.bot, q, *f.jsonOut, sio.out)
	if errors.Is(err, bot.ErrEmptyQuestion) || errors.Is(err, bot.ErrQuestionTooLong) {
		return fmt.Errorf("%w: %v", repl.ErrUsage, err)
	}
	return err
}

// replCommand runs the interactive session (`newsbot [repl]`), with the
// feeds polled in the background.
func (a *app) replCommand(ctx context.Context, q bot.Question, sio *stdio) error {
	feeds, notice, stopFeeds := a.replFeeds(ctx, sio)
	defer stopFeeds()
	if err := a.loadSample(ctx, sio.out); err != nil {
		return err
	}
	greeting := ""
	if sio.interactive {
		var err error
		if greeting, err = a.greeting(ctx, q); err != nil {
			return err
		}
	}
	r := &repl.REPL{Bot: a.bot, In: sio.in, Out: sio.out, Interactive: sio.interactive, HistoryFile: a.cfg.HistoryFile,
		Greeting: greeting, Logger: a.log, Question: q, Feeds: feeds, Notice: notice, LLM: a.bot.LLM != nil}
	return r.Run(ctx)
}

// greeting is what an interactive session starts with: how many articles
// the store holds, the newest's date, and who writes the answers.
func (a *app) greeting(ctx context.Context, q bot.Question) (string, error) {
	st, err := a.store.Stats(ctx)
	if err != nil {
		return "", err
	}
	plural := "s"
	if st.Articles == 1 {
		plural = ""
	}
	greeting := fmt.Sprintf("newsbot — ask about the news (%d article%s", st.Articles, plural)
	if !st.Newest.IsZero() {
		greeting += ", newest " + st.Newest.Format("2 Jan 2006")
	}
	greeting += "). Type :help for commands, Ctrl-D to leave."
	if a.bot.LLM != nil && q.Mode != bot.ModeTemplate {
		greeting += "\nAnswers are written by " + a.cfg.LLM.Model + " from the articles (:mode template for quotes only)."
	}
	return greeting, nil
}
