package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/jsonout"
	"github.com/newsbot/newsbot/internal/migrate"
	"github.com/newsbot/newsbot/knowledge/postgres"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// migrateAction copies a store into another (`newsbot migrate --to
// FILE|postgres://…`, from the configured store or --from), then verifies
// the copy; --json prints the summary as one object.
func migrateAction(ctx context.Context, c *invocation) error {
	from, to := c.o.from, c.o.to
	if from == "" {
		from = c.cfg.DB
		if c.cfg.DatabaseURL != "" {
			from = c.cfg.DatabaseURL
		}
	}
	if to == "" {
		return &usageError{err: errors.New("newsbot migrate needs --to FILE or --to postgres://…"), hint: "see 'newsbot migrate --help'"}
	}
	if from == to {
		return &usageError{err: errors.New("newsbot migrate: --from and --to are the same store"), hint: "see 'newsbot migrate --help'"}
	}
	log := config.NewLogger(c.cfg, c.sio.err)
	src, fromName, err := openMigrateStore(ctx, from, false)
	if err != nil {
		return fmt.Errorf("migrate: open the source: %w", err)
	}
	defer src.Close()
	dst, toName, err := openMigrateStore(ctx, to, true)
	if err != nil {
		return fmt.Errorf("migrate: open the target: %w", err)
	}
	defer dst.Close()
	opts := migrate.Options{Logger: log}
	if c.sio.progress {
		opts.Progress = func(done, total int) { fmt.Fprintf(c.sio.err, "\r\033[Kmigrate: %d/%d articles", done, total) }
	}
	sum, err := migrate.Copy(ctx, src, dst, opts)
	if c.sio.progress {
		fmt.Fprint(c.sio.err, "\r\033[K")
	}
	if err != nil && !errors.Is(err, migrate.ErrMismatch) {
		if ctx.Err() != nil {
			return fmt.Errorf("migrate: interrupted after %d of the articles; run the same command again to continue: %w", sum.Articles.Read, err)
		}
		return fmt.Errorf("%w (run the same command again to continue)", err)
	}
	if c.o.json {
		if werr := jsonout.Write(c.sio.out, sum); werr != nil {
			return werr
		}
	} else {
		writeMigrateSummary(c.sio.out, sum, fromName, toName)
	}
	if err != nil {
		return fmt.Errorf("migrate: the copy %s differs from the source %s (see above)", toName, fromName)
	}
	return nil
}

// openMigrateStore opens an SQLite file (the source's must exist) or a
// postgres:// URL, and names it without credentials.
func openMigrateStore(ctx context.Context, where string, target bool) (migrate.Store, string, error) {
	if strings.HasPrefix(where, "postgres://") || strings.HasPrefix(where, "postgresql://") {
		s, err := postgres.Open(ctx, where)
		if err != nil {
			return nil, "", err
		}
		return s, s.String(), nil
	}
	if _, err := os.Stat(where); err != nil && !target {
		return nil, "", fmt.Errorf("no store at %s: %w", where, err)
	}
	s, err := sqlite.Open(ctx, where)
	if err != nil {
		return nil, "", err
	}
	return s, where, nil
}

// writeMigrateSummary prints what a copy did and how it was verified.
func writeMigrateSummary(w io.Writer, sum migrate.Summary, from, to string) {
	fmt.Fprintf(w, "migrate: %s -> %s\n", from, to)
	fmt.Fprintf(w, "articles: %d read, %d copied, %d already there; %d stories, %d feeds", sum.Articles.Read, sum.Articles.Copied, sum.Articles.Unchanged, sum.Stories, sum.Feeds)
	for m, n := range sum.Vectors {
		fmt.Fprintf(w, ", %d vectors of %s", n, m)
	}
	fmt.Fprintf(w, " in %.1fs\n", sum.Seconds)
	for _, t := range sum.Tables {
		mark := "ok"
		if t.Source != t.Target {
			mark = "DIFFERENT"
		}
		fmt.Fprintf(w, "  %-15s %8d %8d  %s\n", t.Table, t.Source, t.Target, mark)
	}
	same := 0
	for _, s := range sum.Searches {
		if s.Same {
			same++
		}
	}
	fmt.Fprintf(w, "searches: %d of %d sample searches find the same best paragraph\n", same, len(sum.Searches))
	for _, m := range sum.Mismatch {
		fmt.Fprintf(w, "  differs: %s\n", m)
	}
	if sum.Verified {
		fmt.Fprintln(w, "verified: the copy matches the source")
	}
}
