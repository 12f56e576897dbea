// Package postgres is newsbot's shared store: a knowledge.Store in a
// PostgreSQL database, through github.com/jackc/pgx/v5. Several newsbot
// instances (on several machines) may use one database at once: writers
// take turns under an advisory lock, and every Index notices what the
// others wrote through the store's generation.
//
// Like every engine it only moves rows and blobs; what to store and how the
// index is built live in package knowledge.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsbot/newsbot/knowledge"
)

var _ knowledge.Store = (*Store)(nil)

// writeLock is the advisory lock key every write transaction takes first,
// so that writers — in this process or any other — take turns.
const writeLock int64 = 0x6e657773_626f7402 // "newsbot" 2

// Store is a knowledge.Store in a PostgreSQL database. It is safe for
// concurrent use, also by several processes sharing the database.
type Store struct {
	pool *pgxpool.Pool
	name string     // host, port and database, without credentials
	wmu  sync.Mutex // one writer per process: the others wait here, not on a pooled connection
}

// Open connects to the database at url (postgres://user:password@host:port/db,
// or a libpq key=value string; pgx's parameters such as pool_max_conns
// apply) and brings its schema up to date. Errors name the host and
// database, never the password.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx redacts the password from parse errors.
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = max(cfg.MaxConns, 8)
	}
	s := &Store{name: describe(cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)}
	if s.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, fmt.Errorf("open %s: %w", s.name, err)
	}
	if err := s.pool.Ping(ctx); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("open %s: %w", s.name, err)
	}
	if err := migrate(ctx, s.pool); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("open %s: %w", s.name, err)
	}
	return s, nil
}

func describe(host string, port uint16, db string) string {
	return fmt.Sprintf("PostgreSQL database %q on %s:%d", db, host, port)
}

// String names the database and its server, without user or password:
// safe to log and show.
func (s *Store) String() string { return s.name }

// Close closes every connection, waiting for those in use to be released.
// It returns nil.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Write runs fn in one READ COMMITTED transaction that first takes the
// writers' advisory lock, so that writers are serialised across processes
// and each sees everything committed before it. When fn changed the index,
// the generation is bumped in the same transaction. It returns fn's error
// as is, and other errors wrapped with their step.
func (s *Store) Write(ctx context.Context, fn func(knowledge.Writer) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) // a no-op after Commit
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		return fmt.Errorf("lock writers: %w", err)
	}
	w := &writer{tx: tx}
	if err := fn(w); err != nil {
		return err
	}
	if w.changed {
		if _, err := tx.Exec(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'generation'`); err != nil {
			return fmt.Errorf("bump generation: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Generation returns the index generation.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var g int64
	if err := s.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&g); err != nil {
		return 0, fmt.Errorf("generation: %w", s.unreachable(err))
	}
	return g, nil
}

// Snapshot returns the segments and tombstones in one REPEATABLE READ,
// read-only transaction.
func (s *Store) Snapshot(ctx context.Context) (*knowledge.Snapshot, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", s.unreachable(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	return snapshot(ctx, tx)
}

func snapshot(ctx context.Context, tx pgx.Tx) (*knowledge.Snapshot, error) {
	snap := &knowledge.Snapshot{}
	if err := tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&snap.Generation); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	rows, _ := tx.Query(ctx, `SELECT id, docs, min_doc, max_doc, doc_table FROM segments ORDER BY id`)
	segs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (knowledge.SegmentInfo, error) {
		var si knowledge.SegmentInfo
		err := r.Scan(&si.ID, &si.Docs, &si.MinDoc, &si.MaxDoc, &si.DocTable)
		return si, err
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	snap.Segments = segs
	rows, _ = tx.Query(ctx, `SELECT first_doc FROM tombstones ORDER BY first_doc`)
	if snap.Tombstones, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return snap, nil
}

// Postings returns the generation and the postings of terms, read in one
// REPEATABLE READ transaction.
func (s *Store) Postings(ctx context.Context, terms []string) (int64, map[string][]knowledge.SegmentPostings, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, nil, fmt.Errorf("postings: %w", s.unreachable(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var gen int64
	if err := tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&gen); err != nil {
		return 0, nil, fmt.Errorf("postings: %w", s.unreachable(err))
	}
	rows, _ := tx.Query(ctx, `SELECT term, segment, data FROM postings WHERE term = ANY($1)`, terms)
	out := make(map[string][]knowledge.SegmentPostings, len(terms))
	var term string
	var p knowledge.SegmentPostings
	_, err = pgx.ForEachRow(rows, []any{&term, &p.Segment, &p.Data}, func() error {
		out[term] = append(out[term], knowledge.SegmentPostings{Segment: p.Segment, Data: append([]byte(nil), p.Data...)})
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("postings: %w", s.unreachable(err))
	}
	return gen, out, nil
}

const articleColumns = `a.id, a.url, a.title, a.source, a.byline, a.published, a.updated, a.first_seen, a.lang`

func scanArticle(scan func(...any) error, extra ...any) (*knowledge.Article, error) {
	a := &knowledge.Article{}
	var pub, upd pgtype.Timestamptz
	var seen time.Time
	dest := append([]any{&a.ID, &a.URL, &a.Title, &a.Source, &a.Byline, &pub, &upd, &seen, &a.Lang}, extra...)
	if err := scan(dest...); err != nil {
		return nil, err
	}
	a.Published = fromTimestamptz(pub)
	a.Updated = fromTimestamptz(upd)
	a.FirstSeen = seen.UTC()
	return a, nil
}

// second truncates t to a whole second in UTC, as SQLite's unix seconds
// do, so that both engines store and compare the same instants.
func second(t time.Time) time.Time { return time.Unix(t.Unix(), 0).UTC() }

func timestamptz(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: second(t), Valid: true}
}

func fromTimestamptz(v pgtype.Timestamptz) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return v.Time.UTC()
}

// Passages returns the paragraphs with the given doc numbers.
func (s *Store) Passages(ctx context.Context, docs []int64) ([]knowledge.Passage, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+articleColumns+`, p.doc, p.n, p.text FROM paragraphs p JOIN articles a ON a.id = p.article_id WHERE p.doc = ANY($1)`, docs)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (knowledge.Passage, error) {
		var p knowledge.Passage
		a, err := scanArticle(r.Scan, &p.Doc, &p.Paragraph, &p.Text)
		if err != nil {
			return p, err
		}
		p.ArticleID, p.URL, p.Title, p.Source, p.Byline = a.ID, a.URL, a.Title, a.Source, a.Byline
		p.Published, p.Updated, p.FirstSeen, p.Lang = a.Published, a.Updated, a.FirstSeen, a.Lang
		return p, nil
	})
	if err != nil {
		return nil, fmt.Errorf("passages: %w", s.unreachable(err))
	}
	return out, nil
}

// Article returns one article with its paragraphs, or an error wrapping
// knowledge.ErrNotFound.
func (s *Store) Article(ctx context.Context, id string) (*knowledge.Article, error) {
	row := s.pool.QueryRow(ctx, `SELECT `+articleColumns+`, a.first_doc, a.paragraphs FROM articles a WHERE a.id = $1`, id)
	var first int64
	var n int
	a, err := scanArticle(row.Scan, &first, &n)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("article %s: %w", id, knowledge.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", id, err)
	}
	rows, _ := s.pool.Query(ctx, `SELECT text FROM paragraphs WHERE doc >= $1 AND doc < $2 ORDER BY doc`, first, first+int64(n))
	if a.Paragraphs, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, fmt.Errorf("article %s: %w", id, err)
	}
	return a, nil
}

// Latest returns the newest articles, without paragraphs: by publication
// date, or first-seen date when that is unknown.
func (s *Store) Latest(ctx context.Context, q knowledge.LatestQuery) ([]*knowledge.Article, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	where, args := []string{"true"}, []any{}
	if !q.Since.IsZero() {
		args = append(args, second(q.Since))
		where = append(where, fmt.Sprintf("coalesce(a.published, a.first_seen) >= $%d", len(args)))
	}
	if !q.Until.IsZero() {
		args = append(args, second(q.Until))
		where = append(where, fmt.Sprintf("coalesce(a.published, a.first_seen) < $%d", len(args)))
	}
	args = append(args, limit)
	rows, _ := s.pool.Query(ctx, `SELECT `+articleColumns+` FROM articles a WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY coalesce(a.published, a.first_seen) DESC, a.first_seen DESC, a.id LIMIT $%d`, len(args)), args...)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*knowledge.Article, error) { return scanArticle(r.Scan) })
	if err != nil {
		return nil, fmt.Errorf("latest: %w", s.unreachable(err))
	}
	return out, nil
}

// Stats counts what the store holds.
func (s *Store) Stats(ctx context.Context) (knowledge.Stats, error) {
	var st knowledge.Stats
	var lo, hi pgtype.Timestamptz
	err := s.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(paragraphs), 0), min(published), max(published), (SELECT count(*) FROM segments) FROM articles`).
		Scan(&st.Articles, &st.Paragraphs, &lo, &hi, &st.Segments)
	if err != nil {
		return st, fmt.Errorf("stats: %w", s.unreachable(err))
	}
	st.Oldest, st.Newest = fromTimestamptz(lo), fromTimestamptz(hi)
	return st, nil
}
