package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/golden"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// schema dumps the tables and indexes of the SQLite file at path, in name
// order, as SQLite keeps their CREATE statements.
func schema(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, table, stmt string
		if err := rows.Scan(&typ, &name, &table, &stmt); err != nil {
			t.Fatal(err)
		}
		b.WriteString("-- " + typ + " " + name + " on " + table + "\n" + stmt + ";\n\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// versions returns the schema versions recorded in the file at path, in
// order, and fails the test if one has no time of application.
func versions(t *testing.T, path string) []int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		var at int64
		if err := rows.Scan(&v, &at); err != nil {
			t.Fatal(err)
		}
		if at <= 0 {
			t.Errorf("version %d: applied_at = %d, want a time", v, at)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// exec runs statements on the SQLite file at path, outside any store.
func exec(t *testing.T, path, stmts string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmts); err != nil {
		t.Fatal(err)
	}
}

// copyFixture builds, in a temporary file, the store of testdata/store-v3.sql:
// the `sqlite3 .dump` of a store written by newsbot before migrations were
// embedded files (commit 1187f19, `newsbot ingest
// knowledge/testdata/articles.jsonl`: 4 articles, 5 paragraphs, schema
// versions 1-3 applied by init()-registered migrations).
func copyFixture(t *testing.T) string {
	t.Helper()
	dump, err := os.ReadFile(filepath.Join("testdata", "store-v3.sql"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	exec(t, path, string(dump))
	return path
}

var allVersions = []int{1, 2, 3, 5, 7, 8, 9, 10}

// A new store gets the schema the init()-registered migrations made
// (testdata/schema.golden was written by that code), every version
// recorded.
func TestNewStoreSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	openPath(t, path).Close()
	golden.Check(t, "schema.golden", []byte(schema(t, path)))
	if got := versions(t, path); !reflect.DeepEqual(got, allVersions) {
		t.Errorf("versions = %v, want %v", got, allVersions)
	}
}

// reopened opens the store at path, checks its articles are readable and
// searchable, then checks the schema and the recorded versions.
func reopened(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("open a store of the previous release: %v", err)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Articles != 4 || st.Paragraphs != 5 {
		t.Errorf("stats after upgrade = %+v, %v; want 4 articles, 5 paragraphs", st, err)
	}
	res, err := index.NewIndex(s, nil).Search(ctx, knowledge.Query{Text: "paragraph"})
	if err != nil || len(res.Passages) == 0 {
		t.Errorf("search after upgrade: %v, %v; want passages", res, err)
	}
	s.Close()
	golden.Check(t, "schema.golden", []byte(schema(t, path)))
	if got := versions(t, path); !reflect.DeepEqual(got, allVersions) {
		t.Errorf("versions = %v, want %v", got, allVersions)
	}
}

// A store written by the previous code opens as it is: nothing to apply,
// its data kept.
func TestUpgradeFromPreviousRelease(t *testing.T) {
	reopened(t, copyFixture(t))
}

// A store that lacks versions 2 and 3 (as one from before feeds and
// embeddings) gets them applied in order on open, and recorded.
func TestUpgradeFromVersion1(t *testing.T) {
	path := copyFixture(t)
	exec(t, path, `DROP TABLE feeds; DROP TABLE feed_items; DROP TABLE embeddings; DROP TABLE embedding_state;
		DELETE FROM schema_migrations WHERE version IN (2, 3)`)
	if got := versions(t, path); !reflect.DeepEqual(got, []int{1}) {
		t.Fatalf("fixture left with versions %v, want [1]", got)
	}
	reopened(t, path)
}

// A store migrated by a newer newsbot is refused, naming the version.
func TestUnknownSchemaVersion(t *testing.T) {
	path := copyFixture(t)
	exec(t, path, `INSERT INTO schema_migrations(version, applied_at) VALUES (999, 1)`)
	s, err := sqlite.Open(context.Background(), path)
	if err == nil {
		s.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "schema version 999") {
		t.Errorf("Open on a newer schema: %v, want an error naming version 999", err)
	}
}

// `newsbot migrate` reads the articles in doc order a batch at a time
// (ArticlesAfter): each batch is a search of the articles_first_doc index
// (version 10), not a scan of every article and a sort.
func TestArticlesAfterSearchesTheFirstDocIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.db")
	openPath(t, path).Close()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`EXPLAIN QUERY PLAN SELECT * FROM articles a WHERE a.first_doc > ? ORDER BY a.first_doc LIMIT ?`, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "USING INDEX articles_first_doc") || strings.Contains(got, "TEMP B-TREE") {
		t.Errorf("query plan of a batch: %s; want a search of articles_first_doc without a sort", got)
	}
}
