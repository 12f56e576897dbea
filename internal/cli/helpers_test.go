package cli_test

import (
	"testing"

	"github.com/newsbot/newsbot/bot"
	goldenfile "github.com/newsbot/newsbot/internal/golden"
	"github.com/newsbot/newsbot/internal/testkit"
)

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, []byte(got))
}

// seed is a bot over the sample article, answering on the afternoon the
// article was published.
func seed(t *testing.T) *bot.Bot {
	t.Helper()
	return testkit.Bot(testkit.SampleStore(t), nil)
}
