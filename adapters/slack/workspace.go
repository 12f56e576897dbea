package slack

import (
	"context"
	"errors"
	"sync"
	"time"
)

// workspace is how newsbot talks to one Slack workspace: the Web API
// client with that workspace's bot token, and the bot's user there.
type workspace struct {
	team    string
	api     webAPI
	botUser string
}

// workspaces caches the clients of installed workspaces for a few
// minutes, so that an install removed by another instance is noticed
// soon, and the store is not read at every event.
type workspaces struct {
	mu sync.Mutex
	m  map[string]cachedWorkspace
}

type cachedWorkspace struct {
	ws *workspace
	at time.Time
}

const (
	workspaceTTL = 5 * time.Minute
	workspaceMax = 10000
)

func (w *workspaces) get(team string) (*workspace, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.m[team]
	if !ok || time.Since(c.at) > workspaceTTL {
		return nil, false
	}
	return c.ws, true
}

func (w *workspaces) put(team string, ws *workspace) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil {
		w.m = map[string]cachedWorkspace{}
	}
	if len(w.m) >= workspaceMax {
		clear(w.m)
	}
	w.m[team] = cachedWorkspace{ws: ws, at: time.Now()}
}

func (w *workspaces) forget(team string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.m, team)
}

// errNoWorkspace: an event from a workspace newsbot has no token for.
var errNoWorkspace = errors.New("slack: no bot token for this workspace (not installed)")

// workspace returns the client for team: its installation's, when OAuth
// installs are on and team has one, else the one of BotToken (the
// single-workspace setup: for every team when installs are off, for
// BotToken's own when they are on), else errNoWorkspace.
func (a *Adapter) workspace(ctx context.Context, team string) (*workspace, error) {
	if a.oauth != nil && team != "" {
		if ws, ok := a.spaces.get(team); ok {
			return ws, nil
		}
		in, err := a.oauth.load(ctx, team)
		switch {
		case err == nil:
			ws := &workspace{team: team, api: a.clientFor(in.BotToken), botUser: in.BotUserID}
			a.spaces.put(team, ws)
			return ws, nil
		case !errors.Is(err, ErrNotInstalled):
			a.log.Error("read the workspace's installation", "team", team, "err", err)
		}
	}
	if a.opt.BotToken == "" {
		return nil, errNoWorkspace
	}
	if a.oauth != nil {
		// With installs, BotToken answers its own workspace only.
		a.idMu.RLock()
		own := a.botTeam
		a.idMu.RUnlock()
		if own != "" && team != "" && team != own {
			return nil, errNoWorkspace
		}
	}
	return &workspace{team: team, api: a.api, botUser: a.botUserID()}, nil
}

// recentSet remembers keys for a day, at most 20,000 of them (the oldest
// go first). It is safe for concurrent use.
type recentSet struct {
	mu sync.Mutex
	m  map[string]time.Time // key -> when added
}

const (
	recentTTL = 24 * time.Hour
	recentMax = 20000
)

func (s *recentSet) add(key string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]time.Time{}
	}
	if _, ok := s.m[key]; !ok && len(s.m) >= recentMax {
		var oldest string
		var at time.Time
		for k, t := range s.m {
			if now.Sub(t) > recentTTL {
				delete(s.m, k)
				continue
			}
			if oldest == "" || t.Before(at) {
				oldest, at = k, t
			}
		}
		if len(s.m) >= recentMax {
			delete(s.m, oldest)
		}
	}
	s.m[key] = now
}

func (s *recentSet) has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.m[key]
	if ok && time.Since(t) > recentTTL {
		delete(s.m, key)
		return false
	}
	return ok
}
