package sqlite_test

import (
	"testing"

	"github.com/newsbot/newsbot/knowledge/storetest"
)

func TestStoryStore(t *testing.T) {
	storetest.RunStories(t, open)
}
