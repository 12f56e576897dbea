package slack

import (
	"errors"
	"sync/atomic"

	"github.com/slack-go/slack/socketmode"
)

// readiness is what Ready reports: the adapter's connection state.
type readiness struct {
	connected atomic.Bool
	// why is the reason the adapter is not connected ("" when it is, or
	// before Run).
	why atomic.Pointer[string]
}

func (r *readiness) set(ok bool, why string) {
	r.why.Store(&why)
	r.connected.Store(ok)
}

// Ready reports whether the adapter can take questions (for /readyz): in
// HTTP mode once the bot token is checked (auth.test), in Socket Mode while
// the websocket is connected. nil means ready.
func (a *Adapter) Ready() error {
	if a.ready.connected.Load() {
		return nil
	}
	if w := a.ready.why.Load(); w != nil && *w != "" {
		return errors.New(*w)
	}
	return errors.New("not connected yet")
}

// noteSocketState follows the Socket Mode connection for Ready.
func (a *Adapter) noteSocketState(t socketmode.EventType) {
	switch t {
	case socketmode.EventTypeConnected, socketmode.EventTypeHello:
		a.ready.set(true, "")
	case socketmode.EventTypeConnecting:
		a.ready.set(false, "socket mode: connecting")
	case socketmode.EventTypeDisconnect:
		a.ready.set(false, "socket mode: disconnected, reconnecting")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth, socketmode.EventTypeIncomingError:
		a.ready.set(false, "socket mode: "+string(t))
	}
}
