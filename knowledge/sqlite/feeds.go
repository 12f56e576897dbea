package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/newsbot/newsbot/knowledge/feed"
)

var _ feed.StateStore = (*Store)(nil)

// FeedStates returns the state of every feed ever polled.
func (s *Store) FeedStates(ctx context.Context) ([]feed.FeedState, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT url, title, etag, last_modified, last_fetch, last_success, last_error,
		failures, next_fetch, items, articles FROM feeds ORDER BY url`)
	if err != nil {
		return nil, fmt.Errorf("feed states: %w", err)
	}
	defer rows.Close()
	var out []feed.FeedState
	for rows.Next() {
		var st feed.FeedState
		var fetch, success, next sql.NullInt64
		if err := rows.Scan(&st.URL, &st.Title, &st.ETag, &st.LastModified, &fetch, &success, &st.LastError,
			&st.Failures, &next, &st.Items, &st.Articles); err != nil {
			return nil, fmt.Errorf("feed states: %w", err)
		}
		st.LastFetch, st.LastSuccess, st.NextFetch = unixTime(fetch), unixTime(success), unixTime(next)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feed states: %w", err)
	}
	return out, nil
}

// PutFeedState creates or replaces the state of st.URL.
func (s *Store) PutFeedState(ctx context.Context, st feed.FeedState) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_, err := s.write.ExecContext(ctx, `INSERT INTO feeds (url, title, etag, last_modified, last_fetch, last_success, last_error,
		failures, next_fetch, items, articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET title = excluded.title, etag = excluded.etag, last_modified = excluded.last_modified,
		last_fetch = excluded.last_fetch, last_success = excluded.last_success, last_error = excluded.last_error,
		failures = excluded.failures, next_fetch = excluded.next_fetch, items = excluded.items, articles = excluded.articles`,
		st.URL, st.Title, st.ETag, st.LastModified, nullUnix(st.LastFetch), nullUnix(st.LastSuccess), st.LastError,
		st.Failures, nullUnix(st.NextFetch), st.Items, st.Articles)
	if err != nil {
		return fmt.Errorf("put feed state %s: %w", st.URL, err)
	}
	return nil
}

// FeedItems returns what is known of the items of one feed.
func (s *Store) FeedItems(ctx context.Context, feedURL string) ([]feed.ItemState, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT key, fingerprint, link, title, published, article_id, from_page, attempts,
		first_seen, last_seen FROM feed_items WHERE feed_url = ? ORDER BY key`, feedURL)
	if err != nil {
		return nil, fmt.Errorf("feed items %s: %w", feedURL, err)
	}
	defer rows.Close()
	var out []feed.ItemState
	for rows.Next() {
		var it feed.ItemState
		var pub sql.NullInt64
		var first, last int64
		if err := rows.Scan(&it.Key, &it.Fingerprint, &it.Link, &it.Title, &pub, &it.ArticleID, &it.FromPage, &it.Attempts,
			&first, &last); err != nil {
			return nil, fmt.Errorf("feed items %s: %w", feedURL, err)
		}
		it.Published = unixTime(pub)
		it.FirstSeen, it.LastSeen = time.Unix(first, 0).UTC(), time.Unix(last, 0).UTC()
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feed items %s: %w", feedURL, err)
	}
	return out, nil
}

// PutFeedItems creates or replaces items of one feed in one transaction.
func (s *Store) PutFeedItems(ctx context.Context, feedURL string, items []feed.ItemState) error {
	if len(items) == 0 {
		return nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put feed items %s: %w", feedURL, err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO feed_items (feed_url, key, fingerprint, link, title, published, article_id,
		from_page, attempts, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (feed_url, key) DO UPDATE SET fingerprint = excluded.fingerprint, link = excluded.link,
		title = excluded.title, published = excluded.published, article_id = excluded.article_id,
		from_page = excluded.from_page, attempts = excluded.attempts, first_seen = excluded.first_seen,
		last_seen = excluded.last_seen`)
	if err != nil {
		return fmt.Errorf("put feed items %s: %w", feedURL, err)
	}
	defer stmt.Close()
	for _, it := range items {
		if _, err := stmt.ExecContext(ctx, feedURL, it.Key, it.Fingerprint, it.Link, it.Title, nullUnix(it.Published),
			it.ArticleID, it.FromPage, it.Attempts, it.FirstSeen.Unix(), it.LastSeen.Unix()); err != nil {
			return fmt.Errorf("put feed items %s: %w", feedURL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("put feed items %s: %w", feedURL, err)
	}
	return nil
}

// PruneFeedItems forgets the items of one feed last seen before t.
func (s *Store) PruneFeedItems(ctx context.Context, feedURL string, before time.Time) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	r, err := s.write.ExecContext(ctx, `DELETE FROM feed_items WHERE feed_url = ? AND last_seen < ?`, feedURL, before.Unix())
	if err != nil {
		return 0, fmt.Errorf("prune feed items %s: %w", feedURL, err)
	}
	n, _ := r.RowsAffected()
	return int(n), nil
}
