package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// unreachable returns err marked with the database's name when it says the
// server cannot be reached or went away (a restart, a failover, a network
// cut): "generation: write failed: broken pipe" alone does not tell the
// operator which database is down. Other errors are returned as they are.
// The pool needs no help to recover: a broken connection is dropped when
// released, and the next query dials a new one.
func (s *Store) unreachable(err error) error {
	if err == nil || !isUnreachable(err) {
		return err
	}
	return fmt.Errorf("%s is unreachable: %w", s.name, err)
}

func isUnreachable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false // the caller's deadline, whatever the server's state
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED):
		return true
	case errors.As(err, &pe):
		// Class 57P: admin_shutdown, crash_shutdown, cannot_connect_now.
		return strings.HasPrefix(pe.Code, "57P")
	}
	return false
}

// Retryable reports whether a failure to open the store may go away by
// itself, so that `serve` should try again: the server cannot be reached
// (down, still starting, a network cut, a name not yet resolvable) or has
// no connection slot free. A malformed URL, refused credentials, a missing
// database or a failed migration are not: retrying would fail the same
// way.
func Retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 57P03 cannot_connect_now (starting up or shutting down), 53300
		// too_many_connections; 28xxx (authentication) and 3D000 (no such
		// database) are not retried.
		return strings.HasPrefix(pe.Code, "57P") || pe.Code == "53300"
	}
	return isUnreachable(err)
}
