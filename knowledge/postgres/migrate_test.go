package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/golden"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
)

// schema dumps the columns and indexes of the database at url's public
// schema, in name order.
func schema(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn := pgtest.Connect(t, url)
	var b strings.Builder
	rows, err := conn.Query(ctx, `SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, ''),
		coalesce(collation_name, ''), is_identity, coalesce(identity_generation, '')
		FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var f [8]string
		if err := rows.Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("column %s.%s %s nullable=%s default=%q collation=%q identity=%s %s", f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7])
		b.WriteString(strings.TrimSpace(line) + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows, err = conn.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "index %s: %s\n", name, def)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// versions returns the schema versions recorded in the database at url.
func versions(t *testing.T, url string) []int {
	t.Helper()
	conn := pgtest.Connect(t, url)
	rows, err := conn.Query(context.Background(), `SELECT version FROM schema_migrations WHERE applied_at IS NOT NULL ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var allVersions = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}

// A new database gets the schema the init()-registered migrations made
// (testdata/schema.golden was written by that code), every version
// recorded.
func TestNewDatabaseSchema(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	openURL(t, url).Close()
	golden.Check(t, "schema.golden", []byte(schema(t, url)))
	if got := versions(t, url); !reflect.DeepEqual(got, allVersions) {
		t.Errorf("versions = %v, want %v", got, allVersions)
	}
}

// A database that lacks versions 2 to 10 (as one from before feeds,
// embeddings, dedupe, stories, feed leases, Slack installs, conversation
// turns, article languages and the first-doc index) gets them applied in order on open, and
// recorded; its articles are kept.
func TestUpgradeFromVersion1(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	s := openURL(t, url)
	a := &knowledge.Article{URL: "https://example.com/a", Title: "Kept", Paragraphs: []string{"Persisted paragraph."}}
	if _, err := index.Apply(ctx, s, []*index.Prepared{index.Prepare(a)}, a.Published); err != nil {
		t.Fatal(err)
	}
	s.Close()
	conn := pgtest.Connect(t, url)
	if _, err := conn.Exec(ctx, `DROP TABLE feeds, feed_items, embeddings, embedding_state, dedupe_keys, stories, story_articles, feed_leases, slack_installs, conversation_turns;
		ALTER TABLE articles DROP COLUMN lang; DROP INDEX articles_first_doc;
		DELETE FROM schema_migrations WHERE version IN (2, 3, 4, 5, 6, 7, 8, 9, 10)`); err != nil {
		t.Fatal(err)
	}
	if got := versions(t, url); !reflect.DeepEqual(got, []int{1}) {
		t.Fatalf("left with versions %v, want [1]", got)
	}
	s = openURL(t, url)
	if st, err := s.Stats(ctx); err != nil || st.Articles != 1 {
		t.Errorf("after upgrade: %+v, %v; want the article kept", st, err)
	}
	if states, err := s.FeedStates(ctx); err != nil || len(states) != 0 {
		t.Errorf("feed states after upgrade: %v, %v; want none, no error", states, err)
	}
	golden.Check(t, "schema.golden", []byte(schema(t, url)))
	if got := versions(t, url); !reflect.DeepEqual(got, allVersions) {
		t.Errorf("versions = %v, want %v", got, allVersions)
	}
}
