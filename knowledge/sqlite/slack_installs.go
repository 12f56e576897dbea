package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The Slack installs table (migration 7): one sealed installation per
// workspace. The store moves the bytes only; adapters/slack seals and
// opens them (main wires the two together).

// SaveSlackInstall stores sealed as team's installation, replacing what
// was there (a reinstall keeps the first install's time).
func (s *Store) SaveSlackInstall(ctx context.Context, team string, sealed []byte) error {
	if team == "" {
		return errors.New("sqlite: save slack install: empty team id")
	}
	now := time.Now().Unix()
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if _, err := s.write.ExecContext(ctx, `INSERT INTO slack_installs (team_id, token, installed_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (team_id) DO UPDATE SET token = excluded.token, updated_at = excluded.updated_at`,
		team, sealed, now, now); err != nil {
		return fmt.Errorf("sqlite: save slack install %s: %w", team, err)
	}
	return nil
}

// SlackInstall returns team's sealed installation, and false when it has
// none.
func (s *Store) SlackInstall(ctx context.Context, team string) ([]byte, bool, error) {
	var sealed []byte
	err := s.read.QueryRowContext(ctx, `SELECT token FROM slack_installs WHERE team_id = ?`, team).Scan(&sealed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("sqlite: get slack install %s: %w", team, err)
	}
	return sealed, true, nil
}

// DeleteSlackInstall forgets team's installation; a team with none is no
// error.
func (s *Store) DeleteSlackInstall(ctx context.Context, team string) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if _, err := s.write.ExecContext(ctx, `DELETE FROM slack_installs WHERE team_id = ?`, team); err != nil {
		return fmt.Errorf("sqlite: delete slack install %s: %w", team, err)
	}
	return nil
}
