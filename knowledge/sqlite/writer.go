package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/newsbot/newsbot/knowledge"
)

// writer implements knowledge.Writer inside one transaction.
type writer struct {
	tx      *sql.Tx
	changed bool // the index changed: bump the generation on commit
}

func (w *writer) Versions(ctx context.Context, ids []string) (map[string]knowledge.Version, error) {
	out := make(map[string]knowledge.Version, len(ids))
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := w.tx.QueryContext(ctx, `SELECT id, hash, first_doc, paragraphs, first_seen FROM articles WHERE id IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var v knowledge.Version
			var seen int64
			if err := rows.Scan(&id, &v.Hash, &v.FirstDoc, &v.Paragraphs, &seen); err != nil {
				rows.Close()
				return nil, err
			}
			v.FirstSeen = time.Unix(seen, 0).UTC()
			out[id] = v
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (w *writer) AllocateDocs(ctx context.Context, n int) (int64, error) {
	var next int64
	err := w.tx.QueryRowContext(ctx, `UPDATE meta SET value = value + ? WHERE key = 'next_doc' RETURNING value - ?`, n, n).Scan(&next)
	return next, err
}

func (w *writer) PutArticles(ctx context.Context, arts []knowledge.StoredArticle) error {
	old, err := w.tx.PrepareContext(ctx, `SELECT first_doc, paragraphs FROM articles WHERE id = ?`)
	if err != nil {
		return err
	}
	defer old.Close()
	delParas, err := w.tx.PrepareContext(ctx, `DELETE FROM paragraphs WHERE doc >= ? AND doc < ?`)
	if err != nil {
		return err
	}
	defer delParas.Close()
	upsert, err := w.tx.PrepareContext(ctx, `INSERT INTO articles(id, url, title, source, byline, published, updated, first_seen, hash, first_doc, paragraphs, lang)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET url = excluded.url, title = excluded.title, source = excluded.source, byline = excluded.byline,
			published = excluded.published, updated = excluded.updated, hash = excluded.hash,
			first_doc = excluded.first_doc, paragraphs = excluded.paragraphs, lang = excluded.lang`)
	if err != nil {
		return err
	}
	defer upsert.Close()
	ins, err := w.tx.PrepareContext(ctx, `INSERT INTO paragraphs(doc, article_id, n, text) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, a := range arts {
		var first int64
		var n int
		switch err := old.QueryRowContext(ctx, a.ID).Scan(&first, &n); err {
		case nil:
			if _, err := delParas.ExecContext(ctx, first, first+int64(n)); err != nil {
				return err
			}
		case sql.ErrNoRows:
		default:
			return err
		}
		seen := a.FirstSeen
		if seen.IsZero() {
			seen = time.Now()
		}
		if _, err := upsert.ExecContext(ctx, a.ID, a.URL, a.Title, a.Source, a.Byline, nullUnix(a.Published), nullUnix(a.Updated),
			seen.Unix(), a.Hash, a.FirstDoc, len(a.Paragraphs), a.Lang); err != nil {
			return err
		}
		for i, p := range a.Paragraphs {
			if _, err := ins.ExecContext(ctx, a.FirstDoc+int64(i), a.ID, i+1, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *writer) DeleteArticles(ctx context.Context, ids []string) error {
	for _, id := range ids {
		var first int64
		var n int
		err := w.tx.QueryRowContext(ctx, `DELETE FROM articles WHERE id = ? RETURNING first_doc, paragraphs`, id).Scan(&first, &n)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM paragraphs WHERE doc >= ? AND doc < ?`, first, first+int64(n)); err != nil {
			return err
		}
		if err := w.leaveStory(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// leaveStory takes a deleted article out of its story, and drops the
// story when it was the last one in it (index.Delete then refreshes the
// story's title, outlets and dates through knowledge/story).
func (w *writer) leaveStory(ctx context.Context, id string) error {
	var story string
	err := w.tx.QueryRowContext(ctx, `DELETE FROM story_articles WHERE article_id = ? RETURNING story_id`, id).Scan(&story)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("leave story: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE stories SET articles = articles - 1 WHERE id = ?`, story); err != nil {
		return fmt.Errorf("leave story: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, `DELETE FROM stories WHERE id = ? AND articles <= 0`, story); err != nil {
		return fmt.Errorf("leave story: %w", err)
	}
	return nil
}

func (w *writer) Tombstone(ctx context.Context, firstDocs []int64) error {
	for _, d := range firstDocs {
		if _, err := w.tx.ExecContext(ctx, `INSERT OR IGNORE INTO tombstones(first_doc) VALUES (?)`, d); err != nil {
			return err
		}
	}
	w.changed = w.changed || len(firstDocs) > 0
	return nil
}

func (w *writer) PutSegment(ctx context.Context, seg *knowledge.Segment) (int64, error) {
	var id int64
	err := w.tx.QueryRowContext(ctx, `INSERT INTO segments(created, docs, min_doc, max_doc, doc_table) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		time.Now().Unix(), seg.Docs, seg.MinDoc, seg.MaxDoc, seg.DocTable).Scan(&id)
	if err != nil {
		return 0, err
	}
	ins, err := w.tx.PrepareContext(ctx, `INSERT INTO postings(term, segment, data) VALUES (?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	for _, p := range seg.Postings {
		if _, err := ins.ExecContext(ctx, p.Term, id, p.Data); err != nil {
			return 0, err
		}
	}
	w.changed = true
	return id, nil
}

func (w *writer) SegmentPostings(ctx context.Context, id int64, fn func(term string, data []byte) error) error {
	rows, err := w.tx.QueryContext(ctx, `SELECT term, data FROM postings WHERE segment = ? ORDER BY term`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var term string
		var data []byte
		if err := rows.Scan(&term, &data); err != nil {
			return err
		}
		if err := fn(term, data); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (w *writer) DeleteSegments(ctx context.Context, ids []int64, tombstones []int64) error {
	for _, id := range ids {
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM postings WHERE segment = ?`, id); err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM segments WHERE id = ?`, id); err != nil {
			return err
		}
	}
	for _, d := range tombstones {
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM tombstones WHERE first_doc = ?`, d); err != nil {
			return err
		}
	}
	w.changed = true
	return nil
}

func (w *writer) Snapshot(ctx context.Context) (*knowledge.Snapshot, error) {
	return snapshot(ctx, w.tx)
}

func (w *writer) Expired(ctx context.Context, before time.Time) ([]string, error) {
	rows, err := w.tx.QueryContext(ctx, `SELECT id FROM articles WHERE coalesce(published, first_seen) < ?`, before.Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
