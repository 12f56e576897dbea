package postgres_test

import (
	"testing"

	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/storetest"
)

func TestStoryStore(t *testing.T) {
	t.Parallel()
	storetest.RunStories(t, func(t *testing.T) knowledge.Store { return openURL(t, pgtest.NewDatabase(t)) })
}
