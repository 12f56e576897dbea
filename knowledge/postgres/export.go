package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/newsbot/newsbot/knowledge"
)

// What `newsbot migrate` (internal/migrate) reads to copy a store: the
// articles in doc order, the embedding models, and the rows of each table.

// ArticlesAfter returns up to limit stored articles whose first paragraph's
// doc number is above after, in doc order, with their paragraphs, hash and
// first doc number.
func (s *Store) ArticlesAfter(ctx context.Context, after int64, limit int) ([]knowledge.StoredArticle, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+articleColumns+`, a.hash, a.first_doc FROM articles a WHERE a.first_doc > $1 ORDER BY a.first_doc LIMIT $2`, after, limit)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (knowledge.StoredArticle, error) {
		var sa knowledge.StoredArticle
		a, err := scanArticle(r.Scan, &sa.Hash, &sa.FirstDoc)
		sa.Article = a
		return sa, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: articles after doc %d: %w", after, s.unreachable(err))
	}
	if len(out) == 0 {
		return nil, nil
	}
	ids := make([]string, len(out))
	byID := make(map[string]*knowledge.Article, len(out))
	for i, sa := range out {
		ids[i] = sa.ID
		byID[sa.ID] = sa.Article
	}
	rows, _ = s.pool.Query(ctx, `SELECT p.article_id, p.text FROM paragraphs p JOIN articles a ON a.id = p.article_id
		AND p.doc >= a.first_doc AND p.doc < a.first_doc + a.paragraphs WHERE a.id = ANY($1) ORDER BY p.doc`, ids)
	var id, text string
	if _, err := pgx.ForEachRow(rows, []any{&id, &text}, func() error {
		a := byID[id]
		a.Paragraphs = append(a.Paragraphs, text)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: paragraphs after doc %d: %w", after, s.unreachable(err))
	}
	return out, nil
}

// EmbeddingModels returns each model key that has vectors or a watermark,
// with its watermark (every doc at or below it has been considered).
func (s *Store) EmbeddingModels(ctx context.Context) (map[string]int64, error) {
	rows, _ := s.pool.Query(ctx, `SELECT model, max(through) FROM (
		SELECT model, through FROM embedding_state UNION ALL SELECT DISTINCT model, 0 FROM embeddings) m GROUP BY model`)
	out := map[string]int64{}
	var m string
	var t int64
	if _, err := pgx.ForEachRow(rows, []any{&m, &t}, func() error { out[m] = t; return nil }); err != nil {
		return nil, fmt.Errorf("postgres: embedding models: %w", s.unreachable(err))
	}
	return out, nil
}

// CountedTables are the tables Counts counts, in the order reports list
// them: those both engines have.
var CountedTables = []string{"articles", "paragraphs", "stories", "story_articles", "feeds", "feed_items", "embeddings"}

// Counts returns the number of rows of each of CountedTables.
func (s *Store) Counts(ctx context.Context) (map[string]int64, error) {
	out := make(map[string]int64, len(CountedTables))
	for _, t := range CountedTables {
		var n int64
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("postgres: count %s: %w", t, s.unreachable(err))
		}
		out[t] = n
	}
	return out, nil
}

// StoryCount returns the number of stories (the /metrics gauge).
func (s *Store) StoryCount(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM stories`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count stories: %w", s.unreachable(err))
	}
	return n, nil
}
