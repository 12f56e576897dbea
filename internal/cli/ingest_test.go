package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/cli"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

func TestIngestSummary(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(`{"title": "Good", "text": "Fine text."}
{"title": "Bad"
`), 0o644)
	var out bytes.Buffer
	_, err := cli.Ingest(ctx, &ingest.Ingester{Store: s}, []string{dir, filepath.Join(dir, "missing.txt")}, &out, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"rejected: " + filepath.Join(dir, "a.jsonl") + ":2: malformed JSON", "missing.txt", "1 added, 0 updated, 0 unchanged, 2 rejected"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
}
