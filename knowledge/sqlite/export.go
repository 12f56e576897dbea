package sqlite

import (
	"context"
	"fmt"

	"github.com/newsbot/newsbot/knowledge"
)

// What `newsbot migrate` (internal/migrate) reads to copy a store: the
// articles in doc order, the embedding models, and the rows of each table.

// ArticlesAfter returns up to limit stored articles whose first paragraph's
// doc number is above after, in doc order, with their paragraphs, hash and
// first doc number.
func (s *Store) ArticlesAfter(ctx context.Context, after int64, limit int) ([]knowledge.StoredArticle, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+articleColumns+`, a.hash, a.first_doc, a.paragraphs FROM articles a WHERE a.first_doc > ? ORDER BY a.first_doc LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles after doc %d: %w", after, err)
	}
	var out []knowledge.StoredArticle
	var counts []int
	for rows.Next() {
		var sa knowledge.StoredArticle
		var n int
		a, err := scanArticle(rows.Scan, &sa.Hash, &sa.FirstDoc, &n)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: articles after doc %d: %w", after, err)
		}
		sa.Article = a
		out = append(out, sa)
		counts = append(counts, n)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("sqlite: articles after doc %d: %w", after, err)
	}
	for i := range out {
		a := out[i]
		prows, err := s.read.QueryContext(ctx, `SELECT text FROM paragraphs WHERE doc >= ? AND doc < ? ORDER BY doc`, a.FirstDoc, a.FirstDoc+int64(counts[i]))
		if err != nil {
			return nil, fmt.Errorf("sqlite: paragraphs of %s: %w", a.ID, err)
		}
		for prows.Next() {
			var t string
			if err := prows.Scan(&t); err != nil {
				prows.Close()
				return nil, fmt.Errorf("sqlite: paragraphs of %s: %w", a.ID, err)
			}
			a.Paragraphs = append(a.Paragraphs, t)
		}
		if err := prows.Close(); err != nil {
			return nil, fmt.Errorf("sqlite: paragraphs of %s: %w", a.ID, err)
		}
	}
	return out, nil
}

// EmbeddingModels returns each model key that has vectors or a watermark,
// with its watermark (every doc at or below it has been considered).
func (s *Store) EmbeddingModels(ctx context.Context) (map[string]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT model, max(through) FROM (
		SELECT model, through FROM embedding_state UNION ALL SELECT DISTINCT model, 0 FROM embeddings) GROUP BY model`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: embedding models: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var m string
		var t int64
		if err := rows.Scan(&m, &t); err != nil {
			return nil, fmt.Errorf("sqlite: embedding models: %w", err)
		}
		out[m] = t
	}
	return out, rows.Err()
}

// CountedTables are the tables Counts counts, in the order reports list
// them.
var CountedTables = []string{"articles", "paragraphs", "stories", "story_articles", "feeds", "feed_items", "embeddings"}

// Counts returns the number of rows of each of CountedTables.
func (s *Store) Counts(ctx context.Context) (map[string]int64, error) {
	out := make(map[string]int64, len(CountedTables))
	for _, t := range CountedTables {
		var n int64
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: count %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}

// StoryCount returns the number of stories (the /metrics gauge).
func (s *Store) StoryCount(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM stories`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count stories: %w", err)
	}
	return n, nil
}
