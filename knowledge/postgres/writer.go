package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/newsbot/newsbot/knowledge"
)

// writer implements knowledge.Writer inside one transaction. Bulk rows
// (paragraphs, postings) go in with COPY; the rest in one statement per call
// over arrays, so a batch costs a handful of round trips.
type writer struct {
	tx      pgx.Tx
	changed bool // the index changed: bump the generation on commit
}

func (w *writer) Versions(ctx context.Context, ids []string) (map[string]knowledge.Version, error) {
	out := make(map[string]knowledge.Version, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, _ := w.tx.Query(ctx, `SELECT id, hash, first_doc, paragraphs, first_seen FROM articles WHERE id = ANY($1)`, ids)
	var id string
	var v knowledge.Version
	_, err := pgx.ForEachRow(rows, []any{&id, &v.Hash, &v.FirstDoc, &v.Paragraphs, &v.FirstSeen}, func() error {
		v.FirstSeen = v.FirstSeen.UTC()
		out[id] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (w *writer) AllocateDocs(ctx context.Context, n int) (int64, error) {
	var first int64
	err := w.tx.QueryRow(ctx, `UPDATE meta SET value = value + $1 WHERE key = 'next_doc' RETURNING value - $1`, int64(n)).Scan(&first)
	return first, err
}

func (w *writer) PutArticles(ctx context.Context, arts []knowledge.StoredArticle) error {
	// The last version of an id wins, as if the articles were put one by
	// one (one INSERT ... ON CONFLICT may not touch a row twice).
	last := make(map[string]int, len(arts))
	for i, a := range arts {
		last[a.ID] = i
	}
	n := len(last)
	var (
		langs                                       = make([]string, 0, n)
		ids, urls, titles, sources, bylines, hashes = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		published, updated, seen                    = make([]pgtype.Timestamptz, 0, n), make([]pgtype.Timestamptz, 0, n), make([]pgtype.Timestamptz, 0, n)
		firstDocs                                   = make([]int64, 0, n)
		counts                                      = make([]int32, 0, n)
		paras                                       [][]any
	)
	now := time.Now()
	for i, a := range arts {
		if last[a.ID] != i {
			continue
		}
		fs := a.FirstSeen
		if fs.IsZero() {
			fs = now
		}
		ids, urls, titles, sources, bylines, hashes = append(ids, a.ID), append(urls, a.URL), append(titles, a.Title), append(sources, a.Source), append(bylines, a.Byline), append(hashes, a.Hash)
		published, updated, seen = append(published, timestamptz(a.Published)), append(updated, timestamptz(a.Updated)), append(seen, timestamptz(fs))
		firstDocs, counts = append(firstDocs, a.FirstDoc), append(counts, int32(len(a.Paragraphs)))
		langs = append(langs, a.Lang)
		for j, p := range a.Paragraphs {
			paras = append(paras, []any{a.FirstDoc + int64(j), a.ID, int32(j + 1), p})
		}
	}
	// The paragraphs of the versions being replaced.
	if _, err := w.tx.Exec(ctx, `DELETE FROM paragraphs p USING articles a
		WHERE a.id = ANY($1) AND p.doc >= a.first_doc AND p.doc < a.first_doc + a.paragraphs`, ids); err != nil {
		return err
	}
	if _, err := w.tx.Exec(ctx, `INSERT INTO articles(id, url, title, source, byline, published, updated, first_seen, hash, first_doc, paragraphs, lang)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::bigint[], $11::integer[], $12::text[])
		ON CONFLICT (id) DO UPDATE SET url = excluded.url, title = excluded.title, source = excluded.source, byline = excluded.byline,
			published = excluded.published, updated = excluded.updated, hash = excluded.hash,
			first_doc = excluded.first_doc, paragraphs = excluded.paragraphs, lang = excluded.lang`,
		ids, urls, titles, sources, bylines, published, updated, seen, hashes, firstDocs, counts, langs); err != nil {
		return err
	}
	_, err := w.tx.CopyFrom(ctx, pgx.Identifier{"paragraphs"}, []string{"doc", "article_id", "n", "text"}, pgx.CopyFromRows(paras))
	return err
}

func (w *writer) DeleteArticles(ctx context.Context, ids []string) error {
	_, err := w.tx.Exec(ctx, `WITH gone AS (DELETE FROM articles WHERE id = ANY($1) RETURNING first_doc, paragraphs)
		DELETE FROM paragraphs p USING gone g WHERE p.doc >= g.first_doc AND p.doc < g.first_doc + g.paragraphs`, ids)
	if err != nil {
		return err
	}
	return w.leaveStories(ctx, ids)
}

// leaveStories takes deleted articles out of their stories, and drops the
// stories they were the last ones in (index.Delete then refreshes the
// others' titles, outlets and dates through knowledge/story).
func (w *writer) leaveStories(ctx context.Context, ids []string) error {
	rows, err := w.tx.Query(ctx, `WITH gone AS (DELETE FROM story_articles WHERE article_id = ANY($1) RETURNING story_id),
		n AS (SELECT story_id, count(*) AS c FROM gone GROUP BY story_id)
		UPDATE stories s SET articles = s.articles - n.c FROM n WHERE s.id = n.story_id RETURNING s.id, s.articles`, ids)
	if err != nil {
		return fmt.Errorf("leave stories: %w", err)
	}
	var empty []string
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return fmt.Errorf("leave stories: %w", err)
		}
		if n <= 0 {
			empty = append(empty, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("leave stories: %w", err)
	}
	if len(empty) == 0 {
		return nil
	}
	if _, err := w.tx.Exec(ctx, `DELETE FROM stories WHERE id = ANY($1)`, empty); err != nil {
		return fmt.Errorf("leave stories: %w", err)
	}
	return nil
}

func (w *writer) Tombstone(ctx context.Context, firstDocs []int64) error {
	if len(firstDocs) == 0 {
		return nil
	}
	if _, err := w.tx.Exec(ctx, `INSERT INTO tombstones(first_doc) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING`, firstDocs); err != nil {
		return err
	}
	w.changed = true
	return nil
}

func (w *writer) PutSegment(ctx context.Context, seg *knowledge.Segment) (int64, error) {
	var id int64
	err := w.tx.QueryRow(ctx, `INSERT INTO segments(docs, min_doc, max_doc, doc_table) VALUES ($1, $2, $3, $4) RETURNING id`,
		seg.Docs, seg.MinDoc, seg.MaxDoc, seg.DocTable).Scan(&id)
	if err != nil {
		return 0, err
	}
	i := 0
	_, err = w.tx.CopyFrom(ctx, pgx.Identifier{"postings"}, []string{"term", "segment", "data"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == len(seg.Postings) {
				return nil, nil
			}
			p := seg.Postings[i]
			i++
			return []any{p.Term, id, p.Data}, nil
		}))
	if err != nil {
		return 0, err
	}
	w.changed = true
	return id, nil
}

func (w *writer) SegmentPostings(ctx context.Context, id int64, fn func(term string, data []byte) error) error {
	rows, _ := w.tx.Query(ctx, `SELECT term, data FROM postings WHERE segment = $1 ORDER BY term`, id)
	var term string
	var data []byte
	_, err := pgx.ForEachRow(rows, []any{&term, &data}, func() error {
		return fn(term, data) // pgx scans bytea into a new slice each row
	})
	return err
}

func (w *writer) DeleteSegments(ctx context.Context, ids []int64, tombstones []int64) error {
	if _, err := w.tx.Exec(ctx, `DELETE FROM postings WHERE segment = ANY($1)`, ids); err != nil {
		return err
	}
	if _, err := w.tx.Exec(ctx, `DELETE FROM segments WHERE id = ANY($1)`, ids); err != nil {
		return err
	}
	if _, err := w.tx.Exec(ctx, `DELETE FROM tombstones WHERE first_doc = ANY($1)`, tombstones); err != nil {
		return err
	}
	w.changed = true
	return nil
}

func (w *writer) Snapshot(ctx context.Context) (*knowledge.Snapshot, error) {
	return snapshot(ctx, w.tx)
}

func (w *writer) Expired(ctx context.Context, before time.Time) ([]string, error) {
	rows, _ := w.tx.Query(ctx, `SELECT id FROM articles WHERE coalesce(published, first_seen) < $1`, second(before))
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
