package feed

import (
	"context"
	"time"
)

// StateStore keeps what the poller knows of each feed between polls and
// across restarts. knowledge/sqlite (and knowledge/postgres) implement it;
// knowledge/feed/statetest is the suite every implementation passes.
// Implementations must be safe for concurrent use.
type StateStore interface {
	// FeedStates returns the state of every feed ever polled.
	FeedStates(ctx context.Context) ([]FeedState, error)
	// PutFeedState creates or replaces the state of st.URL.
	PutFeedState(ctx context.Context, st FeedState) error
	// FeedItems returns what is known of the items of one feed.
	FeedItems(ctx context.Context, feedURL string) ([]ItemState, error)
	// PutFeedItems creates or replaces items of one feed (by Key), in one
	// transaction.
	PutFeedItems(ctx context.Context, feedURL string, items []ItemState) error
	// PruneFeedItems forgets the items of one feed last seen before t, and
	// returns how many it forgot.
	PruneFeedItems(ctx context.Context, feedURL string, before time.Time) (int, error)
}

// FeedState is what the poller knows of one feed.
type FeedState struct {
	URL   string
	Title string
	// ETag and LastModified are the validators of the last document
	// processed completely; they make the next fetch conditional.
	ETag, LastModified string
	// LastFetch is the last attempt; LastSuccess the last that worked.
	LastFetch, LastSuccess time.Time
	// LastError says why the last attempt failed; "" after a success.
	LastError string
	// Failures counts consecutive failed attempts; it sets the backoff.
	Failures int
	// NextFetch is when the feed is due again.
	NextFetch time.Time
	// Items is the number of items in the last document fetched.
	Items int
	// Articles counts the articles this feed added to the store, in total.
	Articles int
}

// ItemState is what the poller knows of one item of a feed, so that an
// unchanged item is not fetched again and a page that could not be read is
// retried on later polls.
type ItemState struct {
	Key         string
	Fingerprint string
	Link        string
	Title       string
	// Published is the item's date, or the time it was first seen when it
	// has none.
	Published time.Time
	// ArticleID is the stored article made from the item; "" when none
	// could be made yet.
	ArticleID string
	// FromPage is set when the article holds the full page; otherwise it
	// holds the feed's summary and the page is retried.
	FromPage bool
	// Attempts counts failed attempts to read the page.
	Attempts            int
	FirstSeen, LastSeen time.Time
}
