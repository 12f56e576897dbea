package testkit

import (
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// StoriesDay is the day after the newest of the invented story articles
// (bot/testdata/stories/articles.jsonl): 7 June 2025, noon UTC.
func StoriesDay() time.Time { return time.Date(2025, 6, 7, 12, 0, 0, 0, time.UTC) }

// StoriesFile is the path of the invented story articles: the Alder Creek
// fire (5 articles, AP, Reuters, BBC, 2–6 June 2025, the outlets giving
// different counts of the homes destroyed on 5 June), the Rotterdam port
// strike (3 articles), Northwind Airlines fined for an outage (AP and
// Reuters, 4 June 2025, differing on the fine, the day the outage began and
// who was blamed), a look-alike name (Alder Grove), an unrelated fire in
// Denver and a single-article story.
func StoriesFile() string {
	return fixture("stories", "articles.jsonl")
}

// StoriesStore is Store holding the invented story articles, grouped into
// stories as ingest groups them.
func StoriesStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s := Store(tb)
	// Arrival is fixed (the day after the newest article), so first_seen
	// in rendered output does not change with the day the tests run.
	if sum := ingestAt(tb, s, StoriesDay, StoriesFile()); sum.Added != 13 {
		tb.Fatalf("ingest the story articles: %+v", sum)
	}
	return s
}

// StoriesBot is a bot over StoriesStore answering in UTC on StoriesDay.
func StoriesBot(tb testing.TB) *bot.Bot {
	tb.Helper()
	return botOn(StoriesStore(tb), StoriesDay)
}
