package postgres_test

import (
	"testing"

	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/storetest"
)

func TestSlackInstalls(t *testing.T) {
	t.Parallel()
	storetest.RunSlackInstalls(t, func(t *testing.T) knowledge.Store { return openURL(t, pgtest.NewDatabase(t)) },
		func(t *testing.T) (knowledge.Store, knowledge.Store) {
			url := pgtest.NewDatabase(t)
			return openURL(t, url), openURL(t, url)
		})
}
