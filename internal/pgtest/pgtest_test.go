package pgtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestDatabasesAreSeparateAndDropped(t *testing.T) {
	ctx := context.Background()
	var name string
	t.Run("use", func(t *testing.T) {
		a, b := NewDatabase(t), NewDatabase(t)
		if a == b {
			t.Fatalf("two databases share the URL %s", a)
		}
		ca, cb := Connect(t, a), Connect(t, b)
		if _, err := ca.Exec(ctx, `CREATE TABLE only_in_a (x int)`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := cb.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("a table made in one database is seen in the other (%d, %v)", n, err)
		}
		if err := ca.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil || !strings.HasPrefix(name, "newsbot_test_") {
			t.Errorf("database %q, %v", name, err)
		}
		// PostgreSQL refuses to run as root: a server this package started
		// runs as another user even when the tests run as root.
		if srv.cluster != nil {
			var pid int
			if err := ca.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
				t.Fatal(err)
			}
			status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(string(status), "\n") {
				if f := strings.Fields(line); len(f) > 1 && f[0] == "Uid:" && f[1] == "0" {
					t.Errorf("the server runs as root")
				}
			}
		}
	})
	if name == "" {
		t.Skip("no database was made")
	}
	admin := Connect(t, srv.url)
	var n int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil || n != 0 {
		t.Errorf("database %s still exists after its test (%d, %v)", name, n, err)
	}
}

func TestWithDatabase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://postgres@/postgres?host=%2Ftmp%2Fx&port=5432", "postgres://postgres@/db1?host=%2Ftmp%2Fx&port=5432"},
		{"postgresql://u:p@localhost:5433/maint?sslmode=disable", "postgresql://u:p@localhost:5433/db1?sslmode=disable"},
		{"host=localhost user=u dbname=maint", "host=localhost user=u dbname=maint dbname=db1"},
	}
	for _, tt := range tests {
		if got := withDatabase(tt.in, "db1"); got != tt.want {
			t.Errorf("withDatabase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
