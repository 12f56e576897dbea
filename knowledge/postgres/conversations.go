package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ConversationTurns returns the questions asked in conversation key at or
// after since, oldest first: the newest limit of them. Every instance
// sharing the database sees the same turns.
func (s *Store) ConversationTurns(ctx context.Context, key string, since time.Time, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT question FROM (
	SELECT id, question FROM conversation_turns WHERE conv_key = $1 AND asked_at >= $2 ORDER BY id DESC LIMIT $3
) t ORDER BY id`, key, since, limit)
	if err != nil {
		return nil, fmt.Errorf("conversation turns: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("conversation turns: %w", err)
	}
	return out, nil
}

// AddConversationTurn records question as asked in conversation key at
// at, keeps the newest keep turns of key, and forgets every turn of any
// conversation asked before expire.
func (s *Store) AddConversationTurn(ctx context.Context, key, question string, at time.Time, keep int, expire time.Time) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("add conversation turn: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO conversation_turns (conv_key, question, asked_at) VALUES ($1, $2, $3)`, key, question, at); err != nil {
		return fmt.Errorf("add conversation turn: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM conversation_turns WHERE conv_key = $1 AND id < (
	SELECT min(id) FROM (SELECT id FROM conversation_turns WHERE conv_key = $1 ORDER BY id DESC LIMIT $2) k)`, key, keep); err != nil {
		return fmt.Errorf("add conversation turn: trim: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM conversation_turns WHERE asked_at < $1`, expire); err != nil {
		return fmt.Errorf("add conversation turn: expire: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("add conversation turn: %w", err)
	}
	return nil
}
