package discord

import (
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

// storyHeadlines are two stories, one reported by three outlets.
func storyHeadlines() []bot.Headline {
	day := time.Date(2025, 6, 5, 9, 0, 0, 0, time.UTC)
	return []bot.Headline{
		{StoryID: "a1", ArticleID: "a3", Title: "Valencia flood toll rises to 15", Source: "BBC", URL: "https://bbc.example/flood-3", Published: day,
			Also: []string{"Reuters", "AP **bold**"}},
		{StoryID: "c1", ArticleID: "c1", Title: "Valencia beat Sevilla to reach the cup final", Source: "AP", URL: "https://ap.example/cup", Published: day.AddDate(0, 0, -1)},
	}
}

// A story's line names its other outlets after its own, escaped.
func TestHeadlinesByStory(t *testing.T) {
	msgs := renderHeadlines("", storyHeadlines())
	b := payloadsJSON(t, msgs)
	if !strings.Contains(string(b), `— BBC, 5 Jun 2025 (also: Reuters, AP \\*\\*bold\\*\\*)`) || strings.Count(string(b), "also:") != 1 {
		t.Errorf("headlines by story:\n%s", b)
	}
	golden(t, "latest_stories.json", string(b)+"\n")
}
