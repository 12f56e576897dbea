package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Which failures to open the store `serve` retries at start.
func TestRetryable(t *testing.T) {
	_, parseErr := pgxpool.ParseConfig("postgres://u@h:99999999/db")
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", fmt.Errorf("open: %w", refused), true},
		{"starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"malformed URL", parseErr, false},
		{"wrong password", &pgconn.PgError{Code: "28P01"}, false},
		{"no such database", &pgconn.PgError{Code: "3D000"}, false},
		{"a migration failed", &pgconn.PgError{Code: "42601"}, false},
		{"the caller gave up", context.Canceled, false},
	} {
		if parseErr == nil {
			t.Fatal("the malformed URL parsed")
		}
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("%s: Retryable(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
