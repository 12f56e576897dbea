package testkit

import (
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// LangsDay is the day after the newest of the invented articles in nine
// languages (bot/testdata/langs/articles.jsonl): 13 May 2026, noon UTC.
func LangsDay() time.Time { return time.Date(2026, 5, 13, 12, 0, 0, 0, time.UTC) }

// LangsStore is Store holding the invented articles in nine languages
// (27, one of them undated), then, an hour later, updates.jsonl: a new
// version of the French festival article (so its citations say when it
// was updated) and a French wire copy of its first paragraph (so they
// name another outlet carrying it).
func LangsStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s := Store(tb)
	if sum := ingestAt(tb, s, LangsDay, fixture("langs", "articles.jsonl")); sum.Added != 27 {
		tb.Fatalf("ingest the articles: %+v", sum)
	}
	later := func() time.Time { return LangsDay().Add(time.Hour) }
	if sum := ingestAt(tb, s, later, fixture("langs", "updates.jsonl")); sum.Added != 1 || sum.Updated != 1 {
		tb.Fatalf("ingest the updates: %+v", sum)
	}
	return s
}

// LangsBot is a bot over LangsStore answering in UTC on LangsDay.
func LangsBot(tb testing.TB) *bot.Bot {
	tb.Helper()
	return botOn(LangsStore(tb), LangsDay)
}
