package sqlite

import (
	"context"
	"fmt"
	"time"
)

// ConversationTurns returns the questions asked in conversation key at or
// after since, oldest first: the newest limit of them.
func (s *Store) ConversationTurns(ctx context.Context, key string, since time.Time, limit int) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT question FROM (
	SELECT id, question FROM conversation_turns WHERE conv_key = ? AND asked_at >= ? ORDER BY id DESC LIMIT ?
) ORDER BY id`, key, since.UnixNano(), limit)
	if err != nil {
		return nil, fmt.Errorf("conversation turns: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return nil, fmt.Errorf("conversation turns: %w", err)
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversation turns: %w", err)
	}
	return out, nil
}

// AddConversationTurn records question as asked in conversation key at
// at, keeps the newest keep turns of key, and forgets every turn of any
// conversation asked before expire.
func (s *Store) AddConversationTurn(ctx context.Context, key, question string, at time.Time, keep int, expire time.Time) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add conversation turn: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO conversation_turns (conv_key, question, asked_at) VALUES (?, ?, ?)`, key, question, at.UnixNano()); err != nil {
		return fmt.Errorf("add conversation turn: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM conversation_turns WHERE conv_key = ? AND id NOT IN (
	SELECT id FROM conversation_turns WHERE conv_key = ? ORDER BY id DESC LIMIT ?)`, key, key, keep); err != nil {
		return fmt.Errorf("add conversation turn: trim: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM conversation_turns WHERE asked_at < ?`, expire.UnixNano()); err != nil {
		return fmt.Errorf("add conversation turn: expire: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add conversation turn: %w", err)
	}
	return nil
}
