package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

// An answer about the present from old sources says how old they are;
// one asked on the day, or about a past window, does not.
func TestStaleAnswers(t *testing.T) {
	b, _ := seedBot(t)
	published := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		q     bot.Question
		stale bool
	}{
		{"fresh", bot.Question{Text: "Who is travelling to Paris?"}, false},
		{"a year later", bot.Question{Text: "Who is travelling to Paris?", AsOf: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}, true},
		{"29 days later", bot.Question{Text: "Who is travelling to Paris?", AsOf: published.AddDate(0, 0, 29)}, false},
		{"31 days later", bot.Question{Text: "Who is travelling to Paris?", AsOf: published.AddDate(0, 0, 31)}, true},
		{"a past window", bot.Question{Text: "Who was travelling to Paris in April 2025?", AsOf: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}, false},
		{"a window reaching today", bot.Question{Text: "Who is travelling to Paris this week?", AsOf: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}, true},
		{"explicit dates", bot.Question{Text: "Who is travelling to Paris?", Since: published, Until: published.AddDate(0, 0, 1),
			AsOf: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := b.Ask(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Found || !a.NewestSource.Equal(published) {
				t.Fatalf("found %v, newest source %v; want the sample's %v", a.Found, a.NewestSource, published)
			}
			said := strings.Contains(a.Text, "The newest I have on this is from 16 Apr 2025.")
			if a.Stale != tt.stale || said != tt.stale {
				t.Errorf("stale = %v, says so = %v; want %v (answer %q)", a.Stale, said, tt.stale, a.Text)
			}
		})
	}
	b.StaleAfter = 400 * 24 * time.Hour
	if a, err := b.Ask(context.Background(), tests[1].q); err != nil || a.Stale {
		t.Errorf("with StaleAfter 400 days, a year-old source is stale = %v (%v)", a.Stale, err)
	}
}
