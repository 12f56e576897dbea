package eval_test

import (
	"testing"

	"github.com/newsbot/newsbot/bot"
	goldenfile "github.com/newsbot/newsbot/internal/golden"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge/index"
)

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, []byte(got))
}

// seed is a bot over the sample article, answering on the afternoon the
// article was published.
func seed(t *testing.T) *bot.Bot {
	t.Helper()
	return seedRanked(t, nil)
}

// seedRanked is seed, ranking with r.
func seedRanked(t *testing.T, r *index.Ranking) *bot.Bot {
	t.Helper()
	return testkit.Bot(testkit.SampleStore(t), r)
}
