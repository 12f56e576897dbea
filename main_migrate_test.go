package main

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/pgtest"
)

// newsbot migrate copies an SQLite store into PostgreSQL, which then
// answers like it, and back into a new SQLite file; the summary is JSON
// with --json, the password is never printed, and mistakes exit 2.
func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	if out, _, err := newsbot(t, db, "", "ingest", "knowledge/testdata"); testdataRejects(err) != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cr3t-pw") // the test server trusts any password
	out, errOut, err := newsbot(t, db, "", "migrate", "--to", u.String())
	if err != nil || !strings.Contains(out, "verified: the copy matches the source") || !strings.Contains(out, "articles: 10 read, 10 copied, 0 already there") {
		t.Fatalf("migrate --to postgres: %v\n%s\n%s", err, out, errOut)
	}
	if strings.Contains(out+errOut, "s3cr3t") {
		t.Errorf("migrate printed the password:\n%s\n%s", out, errOut)
	}
	ask := func(env map[string]string) string {
		t.Helper()
		out, _, err := newsbotEnv(t, env, "", "ask", "--json", "--source", "AP", "where were negotiations held?")
		if err != nil {
			t.Fatalf("ask: %v", err)
		}
		return out
	}
	want := ask(map[string]string{"NEWSBOT_DB": db})
	if got := ask(map[string]string{"NEWSBOT_DATABASE_URL": u.String(), "NEWSBOT_DB": filepath.Join(dir, "unused.db")}); got != want || !strings.Contains(got, "Saudi Arabia") {
		t.Errorf("PostgreSQL answers\n%s\nSQLite answered\n%s", got, want)
	}
	// Again: nothing is copied twice.
	out, _, err = newsbot(t, db, "", "migrate", "--to", u.String(), "--json")
	var sum struct {
		Articles struct{ Read, Copied, Unchanged int }
		Tables   []struct {
			Table          string
			Source, Target int64
		}
		Verified bool
	}
	if err != nil || json.Unmarshal([]byte(out), &sum) != nil || !sum.Verified || sum.Articles.Copied != 0 || sum.Articles.Unchanged != 10 || len(sum.Tables) != 7 {
		t.Errorf("migrate again --json: %v %+v\n%s", err, sum, out)
	}
	back := filepath.Join(dir, "back.db")
	out, _, err = newsbot(t, filepath.Join(dir, "unused.db"), "", "migrate", "--from", u.String(), "--to", back)
	if err != nil || !strings.Contains(out, "verified") {
		t.Fatalf("migrate back: %v\n%s", err, out)
	}
	if got := ask(map[string]string{"NEWSBOT_DB": back}); got != want {
		t.Errorf("the SQLite copy answers\n%s\nwant\n%s", got, want)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"migrate"}, exitUsage, "needs --to"},
		{[]string{"migrate", "--to", db}, exitUsage, "the same store"},
		{[]string{"migrate", "--from", filepath.Join(dir, "missing.db"), "--to", back}, 1, "no store at"},
		{[]string{"migrate", "--to", "postgres://nobody@127.0.0.1:1/x"}, 1, "open the target"},
	} {
		_, _, err := newsbot(t, db, "", tt.args...)
		var b strings.Builder
		if code := report(&b, err); code != tt.code || !strings.Contains(b.String(), tt.want) {
			t.Errorf("newsbot %q: exit %d %q; want %d and %q", tt.args, code, b.String(), tt.code, tt.want)
		}
	}
}
