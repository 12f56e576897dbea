package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/cli"
	"github.com/newsbot/newsbot/knowledge/feed"
	"github.com/newsbot/newsbot/knowledge/hybrid"
	"github.com/newsbot/newsbot/knowledge/web"
)

// The feed wiring: config -> web client -> poller, and where the poller
// runs (the REPL's background, serve's runners, `newsbot feeds`).

// defaultFeedsAllowed is false in this package's tests (see main_test.go),
// so that no test ever fetches the built-in public feeds.
var defaultFeedsAllowed = true

// newPoller builds the feed poller from the config. Its Sources are empty
// when no feeds are configured, or when the list is the built-in default and
// defaultFeedsAllowed is off.
func (a *app) newPoller(log *slog.Logger) *feed.Poller {
	f := a.cfg.Feeds
	var srcs []feed.Source
	if defaultFeedsAllowed || !a.cfg.FeedsFromDefault() {
		for _, s := range f.Sources() {
			srcs = append(srcs, feed.Source{URL: s.URL, Interval: s.Interval})
		}
	}
	hostDelay := f.HostDelay
	if hostDelay == 0 {
		hostDelay = -1 // configured as none
	}
	client := &web.Client{
		UserAgent: f.UserAgent, Timeout: f.Timeout, MaxBytes: f.MaxBytes,
		PerHost: f.PerHost, HostDelay: hostDelay, Robots: f.Robots, Logger: log,
		AllowLinkLocal: f.AllowLinkLocal,
	}
	p := &feed.Poller{
		Sources: srcs, Client: client, Store: a.store, State: a.store,
		Interval: f.Interval, MaxItems: f.MaxItems, Retention: f.Retention, Logger: log,
	}
	if a.embedder != nil {
		// New articles get their vectors after each round, so that hybrid
		// retrieval sees them. The round ends with ctx (shutdown): vectors
		// are stored batch by batch, so what is left is embedded next time.
		p.OnRound = func(ctx context.Context, _ feed.Round) {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
			defer cancel()
			_, err := hybrid.EmbedPending(ctx, a.store, a.embedder, a.embedKey, hybrid.EmbedOptions{})
			switch {
			case err == nil:
			case errors.Is(err, context.Canceled):
				log.Info("embedding new articles stopped by shutdown; the rest are embedded next time", "err", err)
			default:
				log.Warn("embedding new articles failed; they are found by words only until the next round", "err", err)
			}
		}
	}
	return p
}

// quietLogger is the poller's logger in the REPL: feed trouble would
// otherwise interleave with answers, so only errors show unless the user
// asked for info or debug logs (`:feeds` shows each feed's state).
func (a *app) quietLogger(w io.Writer) *slog.Logger {
	if a.cfg.LogLevel < slog.LevelWarn {
		return a.log
	}
	c := *a.cfg
	c.LogLevel = slog.LevelError
	return config.NewLogger(&c, w)
}

// splitIngestTargets sends URLs, and files that hold a feed or an HTML page,
// to the feed reader; everything else (articles in text, Markdown, JSON,
// directories, stdin) to the file ingester.
func splitIngestTargets(args []string) (webTargets, files []string) {
	for _, arg := range args {
		if feed.IsURL(arg) {
			webTargets = append(webTargets, arg)
			continue
		}
		if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
			webTargets = append(webTargets, savedPages(arg)...)
			files = append(files, arg) // the rest, by the ingester
			continue
		}
		if arg != "-" {
			if k, err := feed.SniffFile(arg); err == nil && k != feed.KindUnknown {
				webTargets = append(webTargets, arg)
				continue
			}
		}
		files = append(files, arg)
	}
	return webTargets, files
}

// savedPageExt are the extensions of saved web pages and feeds.
var savedPageExt = map[string]bool{".html": true, ".htm": true, ".xhtml": true, ".xml": true, ".rss": true, ".atom": true}

// isSavedPage reports whether path is a saved web page or feed, which the
// feed reader takes rather than the file ingester.
func isSavedPage(path string) bool {
	if !savedPageExt[strings.ToLower(filepath.Ext(path))] {
		return false
	}
	k, err := feed.SniffFile(path)
	return err == nil && k != feed.KindUnknown
}

// savedPages lists the saved pages and feeds in dir and its folders
// (hidden ones left out, as the ingester does).
func savedPages(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && isSavedPage(path) {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// feedsCommand prints the state of every configured feed, after polling
// them all when poll is set.
func (a *app) feedsCommand(ctx context.Context, sio *stdio, poll, asJSON bool) error {
	p := a.newPoller(a.log)
	if poll && len(p.Sources) > 0 {
		progress := &cli.FetchProgress{W: sio.err, Live: sio.progress}
		p.Progress = progress.Event
		round, err := p.Poll(ctx, true)
		progress.Stop()
		if err != nil {
			return err
		}
		if p.OnRound != nil {
			p.OnRound(ctx, round) // embeddings, when configured
		}
	}
	sts, err := p.Status(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return cli.WriteFeedsJSON(sio.out, sts)
	}
	return cli.WriteFeeds(sio.out, sts, time.Now())
}

// replFeeds starts the background poller for the REPL. On a first run
// (empty store) it first fetches every feed, showing progress, for at most
// NEWSBOT_FIRST_FETCH_WAIT. It returns the REPL's hooks and a stop function
// that ends polling and waits until what was fetched is stored.
func (a *app) replFeeds(ctx context.Context, sio *stdio) (feeds func(context.Context, io.Writer) error, notice func() string, stop func()) {
	p := a.newPoller(a.quietLogger(sio.err))
	if len(p.Sources) == 0 {
		return nil, nil, func() {}
	}
	notices := &cli.Notices{}
	ctx, cancel := context.WithCancel(ctx)
	if st, err := a.store.Stats(ctx); err == nil && st.Articles == 0 && a.cfg.Feeds.FirstWait > 0 {
		w := sio.err
		if sio.interactive {
			w = sio.out
		}
		progress := &cli.FetchProgress{W: w, Live: sio.interactive}
		p.Progress = progress.Event
		if cli.FirstFetch(ctx, p, progress, len(p.Sources), a.cfg.Feeds.FirstWait) {
			notices.Said()
		}
	}
	embed := p.OnRound
	p.OnRound = func(ctx context.Context, r feed.Round) {
		notices.Round(r)
		if embed != nil {
			embed(ctx, r)
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := p.Run(ctx); err != nil {
			a.log.Error("feed polling stopped", "err", err)
		}
	}()
	feeds = func(ctx context.Context, w io.Writer) error {
		sts, err := p.Status(ctx)
		if err != nil {
			return err
		}
		return cli.WriteFeeds(w, sts, time.Now())
	}
	stop = func() {
		cancel()
		wg.Wait()
	}
	return feeds, notices.Take, stop
}

// ingestWeb reads feeds and pages given to `newsbot ingest`.
func (a *app) ingestWeb(ctx context.Context, targets []string, w io.Writer) error {
	p := a.newPoller(a.log)
	p.State = nil // a one-off ingest keeps no feed state
	if err := cli.IngestWeb(ctx, p, targets, w); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	return nil
}
