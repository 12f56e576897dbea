package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/storetest"
)

func TestSlackInstalls(t *testing.T) {
	storetest.RunSlackInstalls(t, open, func(t *testing.T) (knowledge.Store, knowledge.Store) {
		path := filepath.Join(t.TempDir(), "news.db")
		return openPath(t, path), openPath(t, path)
	})
}
