package repl_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/repl"
	"github.com/newsbot/newsbot/bot"
)

// `latest` prints one line per story with its other outlets, and --json
// the stories with their articles.
func TestHeadlinesByStory(t *testing.T) {
	day := time.Date(2025, 6, 5, 9, 0, 0, 0, time.UTC)
	hs := []bot.Headline{
		{StoryID: "s1", ArticleID: "a3", Title: "Spain mourns Valencia flood victims", Source: "BBC", URL: "https://bbc.example/flood-3", Published: day,
			Also: []string{"Reuters", "AP"}, Articles: []bot.HeadlineArticle{
				{ID: "a3", Title: "Spain mourns Valencia flood victims", Source: "BBC", URL: "https://bbc.example/flood-3", Published: day},
				{ID: "a2", Title: "Valencia flood toll rises to 15", Source: "Reuters", URL: "https://reuters.example/flood-2", Published: day.AddDate(0, 0, -1)},
				{ID: "s1", Title: "Floods in Valencia kill 12", Source: "AP", URL: "https://ap.example/flood-1", Published: day.AddDate(0, 0, -2)},
			}},
		{ArticleID: "c1", Title: "Valencia beat Sevilla", Source: "AP", Published: day.AddDate(0, 0, -1)},
	}
	var text, js strings.Builder
	if err := repl.WriteHeadlines(&text, hs); err != nil {
		t.Fatal(err)
	}
	if err := repl.WriteHeadlinesJSON(&js, hs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Spain mourns Valencia flood victims — BBC, 5 Jun 2025 (also: Reuters, AP)") {
		t.Errorf("headlines:\n%s", text.String())
	}
	golden(t, "headlines_stories.txt", text.String()+"\n--json:\n"+js.String())
}
