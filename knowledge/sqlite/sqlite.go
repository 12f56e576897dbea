// Package sqlite is newsbot's embedded store: a knowledge.Store in one SQLite
// file (WAL mode) through modernc.org/sqlite, a pure-Go driver, so newsbot
// builds without cgo.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

var _ knowledge.Store = (*Store)(nil)

// Store is a knowledge.Store in a SQLite file. It is safe for concurrent use,
// also by several processes: writers are serialised by SQLite's lock (with a
// busy timeout) and, within a process, by a mutex.
type Store struct {
	path  string
	read  *sql.DB // deferred transactions, many connections
	write *sql.DB // BEGIN IMMEDIATE, one connection
	wmu   sync.Mutex
}

// Open opens (creating when needed) the store at path, creating missing
// parent directories, and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("open sqlite store: empty path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open sqlite store: %w", err)
		}
	}
	dsn := func(txlock string) string {
		q := url.Values{}
		// cache_size is per connection (9 of them), outside the Go heap:
		// 8 MB each; the OS caches the file and the index its postings.
		for _, p := range []string{"busy_timeout(15000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)", "cache_size(-8000)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", txlock)
		return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
	}
	s := &Store{path: path}
	var err error
	if s.write, err = sql.Open("sqlite", dsn("immediate")); err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	s.write.SetMaxOpenConns(1)
	if s.read, err = sql.Open("sqlite", dsn("deferred")); err != nil {
		s.write.Close()
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	s.read.SetMaxOpenConns(8)
	s.read.SetMaxIdleConns(8)
	if err := migrate(ctx, s.write); err != nil {
		s.Close()
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	return s, nil
}

// Path returns the file the store lives in.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}

// Write runs fn in one IMMEDIATE transaction.
func (s *Store) Write(ctx context.Context, fn func(knowledge.Writer) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	w := &writer{tx: tx}
	// A panic in fn must not leave the transaction (and the one write
	// connection) open: the caller may recover and write again.
	defer func() {
		if v := recover(); v != nil {
			tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(w); err != nil {
		tx.Rollback()
		return err
	}
	if w.changed {
		if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'generation'`); err != nil {
			tx.Rollback()
			return fmt.Errorf("bump generation: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Generation returns the index generation.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := s.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&g)
	if err != nil {
		return 0, fmt.Errorf("generation: %w", err)
	}
	return g, nil
}

// Snapshot returns the segments and tombstones in one read transaction.
func (s *Store) Snapshot(ctx context.Context) (*knowledge.Snapshot, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	defer tx.Rollback()
	return snapshot(ctx, tx)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func snapshot(ctx context.Context, q querier) (*knowledge.Snapshot, error) {
	snap := &knowledge.Snapshot{}
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&snap.Generation); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, docs, min_doc, max_doc, doc_table FROM segments ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	for rows.Next() {
		var si knowledge.SegmentInfo
		if err := rows.Scan(&si.ID, &si.Docs, &si.MinDoc, &si.MaxDoc, &si.DocTable); err != nil {
			rows.Close()
			return nil, fmt.Errorf("snapshot: %w", err)
		}
		snap.Segments = append(snap.Segments, si)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT first_doc FROM tombstones ORDER BY first_doc`)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("snapshot: %w", err)
		}
		snap.Tombstones = append(snap.Tombstones, d)
	}
	return snap, rows.Err()
}

// Postings returns the generation and the postings of terms, read in one
// transaction.
func (s *Store) Postings(ctx context.Context, terms []string) (int64, map[string][]knowledge.SegmentPostings, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, nil, fmt.Errorf("postings: %w", err)
	}
	defer tx.Rollback()
	var gen int64
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&gen); err != nil {
		return 0, nil, fmt.Errorf("postings: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `SELECT segment, data FROM postings WHERE term = ?`)
	if err != nil {
		return 0, nil, fmt.Errorf("postings: %w", err)
	}
	defer stmt.Close()
	out := make(map[string][]knowledge.SegmentPostings, len(terms))
	for _, term := range terms {
		rows, err := stmt.QueryContext(ctx, term)
		if err != nil {
			return 0, nil, fmt.Errorf("postings %q: %w", term, err)
		}
		for rows.Next() {
			var p knowledge.SegmentPostings
			if err := rows.Scan(&p.Segment, &p.Data); err != nil {
				rows.Close()
				return 0, nil, fmt.Errorf("postings %q: %w", term, err)
			}
			out[term] = append(out[term], p)
		}
		if err := rows.Close(); err != nil {
			return 0, nil, fmt.Errorf("postings %q: %w", term, err)
		}
	}
	return gen, out, nil
}

const articleColumns = `a.id, a.url, a.title, a.source, a.byline, a.published, a.updated, a.first_seen, a.lang`

func scanArticle(scan func(...any) error, extra ...any) (*knowledge.Article, error) {
	a := &knowledge.Article{}
	var pub, upd sql.NullInt64
	var seen int64
	dest := append([]any{&a.ID, &a.URL, &a.Title, &a.Source, &a.Byline, &pub, &upd, &seen, &a.Lang}, extra...)
	if err := scan(dest...); err != nil {
		return nil, err
	}
	a.Published = unixTime(pub)
	a.Updated = unixTime(upd)
	a.FirstSeen = time.Unix(seen, 0).UTC()
	return a, nil
}

func unixTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0).UTC()
}

func nullUnix(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.Unix(), Valid: true}
}

// Passages returns the paragraphs with the given doc numbers.
func (s *Store) Passages(ctx context.Context, docs []int64) ([]knowledge.Passage, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	args := make([]any, len(docs))
	for i, d := range docs {
		args[i] = d
	}
	q := `SELECT ` + articleColumns + `, p.doc, p.n, p.text FROM paragraphs p JOIN articles a ON a.id = p.article_id WHERE p.doc IN (` + placeholders(len(docs)) + `)`
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("passages: %w", err)
	}
	defer rows.Close()
	var out []knowledge.Passage
	for rows.Next() {
		var p knowledge.Passage
		a, err := scanArticle(rows.Scan, &p.Doc, &p.Paragraph, &p.Text)
		if err != nil {
			return nil, fmt.Errorf("passages: %w", err)
		}
		p.ArticleID, p.URL, p.Title, p.Source, p.Byline = a.ID, a.URL, a.Title, a.Source, a.Byline
		p.Published, p.Updated, p.FirstSeen, p.Lang = a.Published, a.Updated, a.FirstSeen, a.Lang
		out = append(out, p)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// Article returns one article with its paragraphs.
func (s *Store) Article(ctx context.Context, id string) (*knowledge.Article, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+articleColumns+`, a.first_doc, a.paragraphs FROM articles a WHERE a.id = ?`, id)
	var first int64
	var n int
	a, err := scanArticle(row.Scan, &first, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("article %s: %w", id, knowledge.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", id, err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT text FROM paragraphs WHERE doc >= ? AND doc < ? ORDER BY doc`, first, first+int64(n))
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("article %s: %w", id, err)
		}
		a.Paragraphs = append(a.Paragraphs, t)
	}
	return a, rows.Err()
}

// Latest returns the newest articles, without paragraphs.
func (s *Store) Latest(ctx context.Context, q knowledge.LatestQuery) ([]*knowledge.Article, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	where, args := []string{"1=1"}, []any{}
	if !q.Since.IsZero() {
		where = append(where, "coalesce(a.published, a.first_seen) >= ?")
		args = append(args, q.Since.Unix())
	}
	if !q.Until.IsZero() {
		where = append(where, "coalesce(a.published, a.first_seen) < ?")
		args = append(args, q.Until.Unix())
	}
	args = append(args, limit)
	rows, err := s.read.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles a WHERE `+strings.Join(where, " AND ")+
		` ORDER BY coalesce(a.published, a.first_seen) DESC, a.first_seen DESC, a.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("latest: %w", err)
	}
	defer rows.Close()
	var out []*knowledge.Article
	for rows.Next() {
		a, err := scanArticle(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("latest: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Stats counts what the store holds.
func (s *Store) Stats(ctx context.Context) (knowledge.Stats, error) {
	var st knowledge.Stats
	var lo, hi sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(paragraphs), 0), min(published), max(published), (SELECT count(*) FROM segments) FROM articles`).
		Scan(&st.Articles, &st.Paragraphs, &lo, &hi, &st.Segments)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	st.Oldest, st.Newest = unixTime(lo), unixTime(hi)
	return st, nil
}
