package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// The Slack installs table (migration 7): one sealed installation per
// workspace, shared by the instances using the database. The store moves
// the bytes only; adapters/slack seals and opens them (main wires the two
// together).

// SaveSlackInstall stores sealed as team's installation, replacing what
// was there (a reinstall keeps the first install's time).
func (s *Store) SaveSlackInstall(ctx context.Context, team string, sealed []byte) error {
	if team == "" {
		return errors.New("postgres: save slack install: empty team id")
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO slack_installs (team_id, token) VALUES ($1, $2)
ON CONFLICT (team_id) DO UPDATE SET token = EXCLUDED.token, updated_at = now()`, team, sealed); err != nil {
		return fmt.Errorf("postgres: save slack install %s: %w", team, s.unreachable(err))
	}
	return nil
}

// SlackInstall returns team's sealed installation, and false when it has
// none.
func (s *Store) SlackInstall(ctx context.Context, team string) ([]byte, bool, error) {
	var sealed []byte
	err := s.pool.QueryRow(ctx, `SELECT token FROM slack_installs WHERE team_id = $1`, team).Scan(&sealed)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("postgres: get slack install %s: %w", team, s.unreachable(err))
	}
	return sealed, true, nil
}

// DeleteSlackInstall forgets team's installation; a team with none is no
// error.
func (s *Store) DeleteSlackInstall(ctx context.Context, team string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM slack_installs WHERE team_id = $1`, team); err != nil {
		return fmt.Errorf("postgres: delete slack install %s: %w", team, s.unreachable(err))
	}
	return nil
}
