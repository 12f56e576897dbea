package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/cli"
	"github.com/newsbot/newsbot/internal/eval"
	"github.com/newsbot/newsbot/internal/jsonout"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// The commands of run, one function each (serve is in serve.go, feeds in
// feeds.go).

// showConfig prints the effective settings (`newsbot config`), secrets
// hidden, or .env.example with --example; with --json one array of
// {"env", "value", "from"}.
func showConfig(cfg *config.Config, example, asJSON bool, w io.Writer) error {
	if example {
		fmt.Fprint(w, config.Example())
		return nil
	}
	if asJSON {
		type setting struct {
			Env   string `json:"env"`
			Value string `json:"value"`
			From  string `json:"from"`
		}
		out := []setting{}
		for _, s := range cfg.Settings() {
			out = append(out, setting{s.Env, s.Value, s.From})
		}
		return jsonout.WriteIndented(w, out)
	}
	for _, s := range cfg.Settings() {
		fmt.Fprintf(w, "%s=%s\t# %s\n", s.Env, s.Value, s.From)
	}
	return nil
}

// ingestCommand loads articles (`newsbot ingest`): URLs and feed or page
// files through the feed reader, other files through the ingester; then
// embeds them when embeddings are configured.
func (a *app) ingestAction(ctx context.Context, c *invocation) error {
	args, sio := c.args, c.sio
	var progress io.Writer
	if sio.progress {
		progress = sio.err
	}
	webTargets, files := splitIngestTargets(args)
	var webErr, fileErr error
	if len(webTargets) > 0 {
		webErr = a.ingestWeb(ctx, webTargets, sio.out)
	}
	rejected := 0
	if len(files) > 0 {
		var sum ingest.Summary
		sum, fileErr = cli.Ingest(ctx, a.ingest, files, sio.out, progress)
		rejected = sum.Rejected
	}
	if err := errors.Join(webErr, fileErr); err != nil {
		return err
	}
	if a.embedder != nil {
		if err := cli.Embed(ctx, a.store, a.embedder, a.embedKey, sio.out, progress); err != nil {
			return err
		}
	}
	if rejected > 0 {
		// After the summary: a script must see that input was lost.
		return fmt.Errorf("ingest: %d input%s rejected (see above)", rejected, plural(rejected))
	}
	return nil
}

// latestAction prints the newest headlines, one per story (`newsbot
// latest [topic]`), within the filters: --json prints [{"id", "title",
// "updated", "articles": [{"id", "title", "source", "published", "url"}]}].
func (a *app) latestAction(ctx context.Context, c *invocation) error {
	topic := strings.Join(c.args, " ")
	hs, err := a.bot.Latest(ctx, topic, max(c.o.k, 1))
	if err != nil {
		return err
	}
	hs = withinFilters(hs, c.q)
	if c.o.json {
		return repl.WriteHeadlinesJSON(c.sio.out, hs)
	}
	if len(hs) == 0 {
		st, err := a.store.Stats(ctx)
		if err != nil {
			return err
		}
		if st.Articles > 0 {
			fmt.Fprintf(c.sio.out, "No articles match %s (of %d stored).\n", describeFilters(topic, c.o), st.Articles)
			return nil
		}
	}
	return repl.WriteHeadlines(c.sio.out, hs)
}

// withinFilters keeps the headlines that --since, --until, --source and
// --as-of allow.
func withinFilters(hs []bot.Headline, q bot.Question) []bot.Headline {
	out := hs[:0]
	for _, h := range hs {
		p := h.Published
		switch {
		case !q.Since.IsZero() && (p.IsZero() || p.Before(q.Since)):
		case !q.Until.IsZero() && (p.IsZero() || !p.Before(q.Until)):
		case !q.AsOf.IsZero() && p.After(q.AsOf):
		case len(q.Sources) > 0 && !knowledge.SourceMatches(h.Source, q.Sources):
		default:
			out = append(out, h)
		}
	}
	return out
}

// describeFilters names what a listing was restricted to.
func describeFilters(topic string, o *opts) string {
	var parts []string
	if topic != "" {
		parts = append(parts, fmt.Sprintf("%q", topic))
	}
	for _, f := range []struct{ name, v string }{{"--since", o.since}, {"--until", o.until}, {"--source", o.source}, {"--as-of", o.asOf}} {
		if f.v != "" {
			parts = append(parts, f.name+" "+f.v)
		}
	}
	if len(parts) == 0 {
		return "that"
	}
	return strings.Join(parts, ", ")
}

// searchCommand prints the best-matching paragraphs (`newsbot search`), of
// one query or of each line of --batch.
func (a *app) searchAction(ctx context.Context, c *invocation) error {
	q, sio := c.q, c.sio
	n := c.o.k
	if n <= 0 {
		n = 10
	}
	if c.o.batch != "" {
		in, closeIn, err := openInput(c.o.batch, sio.in)
		if err != nil {
			return err
		}
		defer closeIn()
		return repl.SearchBatch(ctx, a.bot, q, n, a.cfg.Location, in, sio.out)
	}
	rest := strings.Join(c.args, " ")
	if rest == "" {
		return &usageError{err: errors.New(`newsbot search "query" (or --batch FILE)`), hint: "see 'newsbot search --help'"}
	}
	q.Text = rest
	return repl.Search(ctx, a.bot, q, n, c.o.json, sio.out)
}

// evalCommand measures retrieval and answers on quiz questions (`newsbot
// eval`), or fits the re-ranking to them with --fit.
func (a *app) evalAction(ctx context.Context, c *invocation) error {
	sio := c.sio
	if c.o.questions == "" {
		return &usageError{err: errors.New("newsbot eval needs --questions FILE"), hint: "see 'newsbot eval --help'"}
	}
	in, closeIn, err := openInput(c.o.questions, sio.in)
	if err != nil {
		return err
	}
	defer closeIn()
	a.bot.Passages = 0 // answers use the bot's setting; --k is for scoring
	if a.cfg.Passages > 0 {
		a.bot.Passages = a.cfg.Passages
	}
	opts := eval.EvalOptions{K: c.o.k, Failures: c.o.failures, Location: a.cfg.Location}
	if sio.progress {
		opts.Progress = func(done, total int) { fmt.Fprintf(sio.err, "\r\033[Keval: %d/%d", done, total) }
	}
	if c.o.fit {
		return a.fitRanking(ctx, in, opts, sio, c.o.json)
	}
	rep, err := eval.Eval(ctx, a.bot, in, opts)
	if sio.progress {
		fmt.Fprint(sio.err, "\r\033[K")
	}
	if err != nil {
		return err
	}
	return eval.WriteEvalReport(sio.out, rep, c.o.json)
}

// askCommand answers one question (`newsbot ask`), or each line of --batch.
func (a *app) askAction(ctx context.Context, c *invocation) error {
	q, sio := c.q, c.sio
	if err := a.loadSample(ctx, sio.err); err != nil {
		return err
	}
	if c.o.batch != "" {
		in, closeIn, err := openInput(c.o.batch, sio.in)
		if err != nil {
			return err
		}
		defer closeIn()
		return repl.AskBatch(ctx, a.bot, q, a.cfg.Location, in, sio.out)
	}
	q.Text = strings.Join(c.args, " ")
	err := repl.Ask(ctx, a.bot, q, c.o.json, sio.out)
	if errors.Is(err, bot.ErrEmptyQuestion) || errors.Is(err, bot.ErrQuestionTooLong) {
		return fmt.Errorf("%w: %v", repl.ErrUsage, err)
	}
	return err
}

// replCommand runs the interactive session (`newsbot [repl]`), with the
// feeds polled in the background.
func (a *app) replAction(ctx context.Context, c *invocation) error {
	q, sio := c.q, c.sio
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

// feedsAction shows the polled feeds' state (`newsbot feeds`).
func (a *app) feedsAction(ctx context.Context, c *invocation) error {
	return a.feedsCommand(ctx, c.sio, c.o.poll, c.o.json)
}

// serveAction runs the chat adapters (`newsbot serve`).
func (a *app) serveAction(ctx context.Context, c *invocation) error {
	return a.serve(ctx, c.sio)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
