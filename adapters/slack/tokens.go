package slack

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// TokenStore keeps one sealed installation per Slack workspace (team ID),
// for installs in many workspaces through OAuth. The adapter seals what it
// stores (AES-256-GCM with Options.TokenKey, bound to the team ID), so a
// store only ever holds ciphertext: a table of (team_id PRIMARY KEY,
// sealed bytes) is enough. Implementations must be safe for concurrent
// use.
type TokenStore interface {
	// Put stores sealed for team, replacing what was there.
	Put(ctx context.Context, team string, sealed []byte) error
	// Get returns what Put stored for team, or ErrNotInstalled.
	Get(ctx context.Context, team string) ([]byte, error)
	// Delete forgets team; deleting a team that is not there is no error.
	Delete(ctx context.Context, team string) error
}

// ErrNotInstalled is TokenStore.Get's error for a team with no
// installation.
var ErrNotInstalled = errors.New("slack: app not installed in this workspace")

// Installation is what newsbot keeps of one workspace's OAuth install.
type Installation struct {
	TeamID      string    `json:"team_id"`
	TeamName    string    `json:"team_name,omitempty"`
	BotToken    string    `json:"bot_token"`
	BotUserID   string    `json:"bot_user_id"`
	AppID       string    `json:"app_id,omitempty"`
	Scope       string    `json:"scope,omitempty"`
	InstalledBy string    `json:"installed_by,omitempty"`
	InstalledAt time.Time `json:"installed_at"`
}

// sealer encrypts installations with AES-256-GCM. The team ID is the
// additional data, so a sealed row moved to another team does not open.
type sealer struct{ aead cipher.AEAD }

const sealVersion = 1

func newSealer(key []byte) (*sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("slack: the token key has %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("slack: token key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("slack: token key: %w", err)
	}
	return &sealer{aead: aead}, nil
}

func additionalData(team string) []byte { return []byte("newsbot slack installation v1\x00" + team) }

// seal returns version byte, nonce and ciphertext of in's JSON.
func (s *sealer) seal(in Installation) ([]byte, error) {
	plain, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return s.aead.Seal(out, out[1:], plain, additionalData(in.TeamID)), nil
}

// open decrypts what seal returned for team.
func (s *sealer) open(team string, sealed []byte) (Installation, error) {
	var in Installation
	n := s.aead.NonceSize()
	if len(sealed) < 1+n || sealed[0] != sealVersion {
		return in, errors.New("slack: sealed installation of unknown format")
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], additionalData(team))
	if err != nil {
		return in, errors.New("slack: sealed installation does not open with this token key (wrong key, or another team's row)")
	}
	if err := json.Unmarshal(plain, &in); err != nil {
		return in, fmt.Errorf("slack: sealed installation: %w", err)
	}
	if in.TeamID != team {
		return in, errors.New("slack: sealed installation of another team")
	}
	return in, nil
}

// MemoryTokenStore is a TokenStore in memory, for tests and for trying
// OAuth installs out (they are gone at restart).
type MemoryTokenStore struct {
	mu sync.Mutex
	m  map[string][]byte
}

var _ TokenStore = (*MemoryTokenStore)(nil)

func (s *MemoryTokenStore) Put(ctx context.Context, team string, sealed []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string][]byte{}
	}
	s.m[team] = append([]byte(nil), sealed...)
	return nil
}

func (s *MemoryTokenStore) Get(ctx context.Context, team string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[team]
	if !ok {
		return nil, ErrNotInstalled
	}
	return append([]byte(nil), b...), nil
}

func (s *MemoryTokenStore) Delete(ctx context.Context, team string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, team)
	return nil
}

// InstallTable is a database table of sealed installations by team ID:
// the stores of knowledge/sqlite and knowledge/postgres have one (table
// slack_installs), and main passes the store in. It only ever sees what
// the adapter sealed.
type InstallTable interface {
	SaveSlackInstall(ctx context.Context, team string, sealed []byte) error
	// SlackInstall returns team's sealed installation, and false when it
	// has none.
	SlackInstall(ctx context.Context, team string) ([]byte, bool, error)
	// DeleteSlackInstall forgets team; a team with none is no error.
	DeleteSlackInstall(ctx context.Context, team string) error
}

// TableTokenStore is a TokenStore on a database table. Instances sharing
// the database (PostgreSQL) share the installs: one installed or removed
// through any of them is seen by the others within workspaceTTL.
type TableTokenStore struct{ Table InstallTable }

var _ TokenStore = TableTokenStore{}

func (s TableTokenStore) Put(ctx context.Context, team string, sealed []byte) error {
	if err := s.Table.SaveSlackInstall(ctx, team, sealed); err != nil {
		return fmt.Errorf("slack: save install: %w", err)
	}
	return nil
}

func (s TableTokenStore) Get(ctx context.Context, team string) ([]byte, error) {
	sealed, ok, err := s.Table.SlackInstall(ctx, team)
	switch {
	case err != nil:
		return nil, fmt.Errorf("slack: read install: %w", err)
	case !ok:
		return nil, ErrNotInstalled
	}
	return sealed, nil
}

func (s TableTokenStore) Delete(ctx context.Context, team string) error {
	if err := s.Table.DeleteSlackInstall(ctx, team); err != nil {
		return fmt.Errorf("slack: delete install: %w", err)
	}
	return nil
}
