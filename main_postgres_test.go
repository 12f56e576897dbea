package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/pgtest"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "serve" {
		childServe() // a child process of TestServeTwoProcessesOneKilledMidPoll
	}
	pgtest.Main(m)
}

// NEWSBOT_DATABASE_URL selects PostgreSQL: what one run ingests the next
// run (another instance) answers from, and the URL's password is never
// printed, even in debug logs.
func TestPostgresStore(t *testing.T) {
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cr3t-pw") // the test server trusts any password
	env := map[string]string{
		"NEWSBOT_DATABASE_URL": u.String(), "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_LOG_LEVEL": "debug",
		"NEWSBOT_DB": t.TempDir() + "/unused.db",
	}
	run := func(stdin string, args ...string) (string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		err := run(context.Background(), args, &stdio{
			in: strings.NewReader(stdin), out: &out, err: &errb,
			getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		})
		if err := testdataRejects(err); err != nil {
			t.Fatalf("newsbot %v: %v\n%s", args, err, errb.String())
		}
		if strings.Contains(out.String()+errb.String(), "s3cr3t") {
			t.Errorf("newsbot %v printed the database password:\n%s\n%s", args, out.String(), errb.String())
		}
		return out.String(), errb.String()
	}
	out, _ := run("Who is travelling to Paris and when?\n")
	if !strings.Contains(out, "in PostgreSQL database") || !strings.Contains(out, "Marco Rubio") {
		t.Errorf("fresh PostgreSQL store, REPL output:\n%s", out)
	}
	out, logs := run("", "ingest", "knowledge/testdata")
	if !strings.Contains(out, "9 added, 0 updated, 4 unchanged") {
		t.Errorf("ingest summary (the sample article was already stored):\n%s", out)
	}
	if !strings.Contains(logs, "engine=postgres") {
		t.Errorf("logs do not say which store was opened:\n%s", logs)
	}
	out, _ = run("", "ask", "--json", "--source", "AP", "where were negotiations held?")
	if !strings.Contains(out, `"found":true`) || !strings.Contains(out, "Saudi Arabia") {
		t.Errorf("ask --json:\n%s", out)
	}
	out, _ = run("", "config")
	if !strings.Contains(out, "NEWSBOT_DATABASE_URL=(set)") {
		t.Errorf("config output:\n%s", out)
	}
}
