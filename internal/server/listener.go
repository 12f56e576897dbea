package server

import (
	"fmt"
	"net"
	"sync"
)

// Listener is one listening socket that several Servers serve in turn (see
// Server.Listener): `serve` answers /healthz and /readyz while it waits for
// the database, then serves everything, without closing the port in
// between. A connection that arrives while no server is serving waits (in
// the socket's backlog, or accepted and held) for the next one instead of
// being refused.
type Listener struct {
	ln    net.Listener
	conns chan net.Conn // accepted, for the serving view
	done  chan struct{} // closed by Close
	once  sync.Once
	mu    sync.Mutex
	err   error // the error that ended accepting
}

// Listen opens addr (":0" picks a free port; see Addr).
func Listen(addr string) (*Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("serve: listen %s: %w", addr, err)
	}
	l := &Listener{ln: ln, conns: make(chan net.Conn), done: make(chan struct{})}
	go l.accept()
	return l, nil
}

// accept takes the socket's connections and hands each to the view that
// serves, holding it while none does.
func (l *Listener) accept() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			l.mu.Lock()
			l.err = err
			l.mu.Unlock()
			l.Close()
			return
		}
		select {
		case l.conns <- c:
		case <-l.done:
			c.Close()
			return
		}
	}
}

// Addr is the address listened on.
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }

// Close closes the socket; the servers still serving it stop accepting.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() {
		close(l.done)
		err = l.ln.Close()
	})
	return err
}

// view returns a net.Listener for one server: its Close (which
// http.Server.Shutdown calls) ends that server's accepting, not the
// socket.
func (l *Listener) view() net.Listener {
	return &view{l: l, closed: make(chan struct{})}
}

type view struct {
	l      *Listener
	closed chan struct{}
	once   sync.Once
}

func (v *view) Accept() (net.Conn, error) {
	// A view closed, or the socket, accepts nothing more, even with a
	// connection ready.
	select {
	case <-v.closed:
		return nil, net.ErrClosed
	case <-v.l.done:
		return nil, v.l.closedErr()
	default:
	}
	select {
	case c := <-v.l.conns:
		return c, nil
	case <-v.closed:
		return nil, net.ErrClosed
	case <-v.l.done:
		return nil, v.l.closedErr()
	}
}

func (v *view) Close() error {
	v.once.Do(func() { close(v.closed) })
	return nil
}

func (v *view) Addr() net.Addr { return v.l.Addr() }

// closedErr is why the socket accepts no more: net.ErrClosed after Close,
// or the error that ended accepting.
func (l *Listener) closedErr() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	return net.ErrClosed
}
