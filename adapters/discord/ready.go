package discord

import (
	"errors"
	syncatomic "sync/atomic"
)

// readiness is what Ready reports: the gateway connection's state.
type readiness struct {
	connected syncatomic.Bool
	why       syncatomic.Pointer[string]
}

func (r *readiness) set(ok bool, why string) {
	r.why.Store(&why)
	r.connected.Store(ok)
}

// Ready reports whether the adapter can take questions (for /readyz): with
// a bot token while the gateway session is up (READY or RESUMED seen, no
// disconnect since); without one (the HTTP interactions endpoint alone)
// always. nil means ready.
func (a *Adapter) Ready() error {
	if a.cfg.Token == "" || a.ready.connected.Load() {
		return nil
	}
	if w := a.ready.why.Load(); w != nil && *w != "" {
		return errors.New(*w)
	}
	return errors.New("gateway not connected yet")
}
