package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// Latest lists one headline per story, newest first, with the story's
// other outlets and all its articles: three reports of the Valencia
// flood are one line; the flood in Valencia, Venezuela and a football
// match in Valencia are lines of their own (testdata/stories.jsonl,
// invented).
func TestLatestByStory(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	if sum, err := (&ingest.Ingester{Store: s}).Ingest(ctx, []string{filepath.Join("testdata", "stories.jsonl")}); err != nil || sum.Added != 5 {
		t.Fatalf("ingest: %+v, %v", sum, err)
	}
	b := testkit.Bot(s, nil)
	hs, err := b.Latest(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, h := range hs {
		lines = append(lines, h.Title+" | "+h.Source+" | "+strings.Join(h.Also, ",")+" | "+h.Published.Format("2 Jan")+" | "+string(rune('0'+len(h.Articles))))
	}
	got := strings.Join(lines, "\n")
	if len(hs) != 3 || hs[0].Source != "BBC" || strings.Join(hs[0].Also, ",") != "Reuters,AP" || len(hs[0].Articles) != 3 || hs[0].StoryID == "" {
		t.Errorf("Latest =\n%s\nwant 3 stories, the flood first (BBC, also Reuters and AP, 3 articles)", got)
	}
	topic, err := b.Latest(ctx, "Valencia flood", 10)
	if err != nil {
		t.Fatal(err)
	}
	flood := 0
	for _, h := range topic {
		if h.StoryID == hs[0].StoryID {
			flood++
			if len(h.Articles) != 3 {
				t.Errorf("the flood story about a topic has %d articles, want 3", len(h.Articles))
			}
		}
	}
	if flood != 1 {
		t.Errorf("Latest about a topic lists the flood story %d times, want once: %+v", flood, topic)
	}
	ans, err := b.Ask(ctx, bot.Question{Text: "What's new?", AsOf: time.Date(2025, 6, 6, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(ans.Text, "Valencia flood") + strings.Count(ans.Text, "Floods in Valencia kill"); n != 1 ||
		!strings.Contains(ans.Text, "Venezuela") || !strings.Contains(ans.Text, "Sevilla") {
		t.Errorf("What's new? lists the flood story %d times, want once beside the other two stories:\n%s", n, ans.Text)
	}
}
