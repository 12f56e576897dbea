package postgres

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/newsbot/newsbot/knowledge/feed"
)

var _ feed.StateStore = (*Store)(nil)

// text makes s storable in a PostgreSQL text column, which refuses NUL
// bytes and invalid UTF-8 (SQLite takes both): feed documents are not
// cleaned like articles are.
func text(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// FeedStates returns the state of every feed ever polled, by URL.
func (s *Store) FeedStates(ctx context.Context) ([]feed.FeedState, error) {
	rows, _ := s.pool.Query(ctx, `SELECT url, title, etag, last_modified, last_fetch, last_success, last_error,
		failures, next_fetch, items, articles FROM feeds ORDER BY url`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (feed.FeedState, error) {
		var st feed.FeedState
		var fetch, success, next pgtype.Timestamptz
		err := r.Scan(&st.URL, &st.Title, &st.ETag, &st.LastModified, &fetch, &success, &st.LastError,
			&st.Failures, &next, &st.Items, &st.Articles)
		st.LastFetch, st.LastSuccess, st.NextFetch = fromTimestamptz(fetch), fromTimestamptz(success), fromTimestamptz(next)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("feed states: %w", err)
	}
	return out, nil
}

// PutFeedState creates or replaces the state of st.URL.
func (s *Store) PutFeedState(ctx context.Context, st feed.FeedState) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO feeds (url, title, etag, last_modified, last_fetch, last_success, last_error,
		failures, next_fetch, items, articles) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (url) DO UPDATE SET title = excluded.title, etag = excluded.etag, last_modified = excluded.last_modified,
		last_fetch = excluded.last_fetch, last_success = excluded.last_success, last_error = excluded.last_error,
		failures = excluded.failures, next_fetch = excluded.next_fetch, items = excluded.items, articles = excluded.articles`,
		text(st.URL), text(st.Title), text(st.ETag), text(st.LastModified), timestamptz(st.LastFetch), timestamptz(st.LastSuccess),
		text(st.LastError), st.Failures, timestamptz(st.NextFetch), st.Items, st.Articles)
	if err != nil {
		return fmt.Errorf("put feed state %s: %w", st.URL, err)
	}
	return nil
}

// FeedItems returns what is known of the items of one feed, by key.
func (s *Store) FeedItems(ctx context.Context, feedURL string) ([]feed.ItemState, error) {
	rows, _ := s.pool.Query(ctx, `SELECT key, fingerprint, link, title, published, article_id, from_page, attempts,
		first_seen, last_seen FROM feed_items WHERE feed_url = $1 ORDER BY key`, text(feedURL))
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (feed.ItemState, error) {
		var it feed.ItemState
		var pub pgtype.Timestamptz
		err := r.Scan(&it.Key, &it.Fingerprint, &it.Link, &it.Title, &pub, &it.ArticleID, &it.FromPage, &it.Attempts,
			&it.FirstSeen, &it.LastSeen)
		it.Published = fromTimestamptz(pub)
		it.FirstSeen, it.LastSeen = it.FirstSeen.UTC(), it.LastSeen.UTC()
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("feed items %s: %w", feedURL, err)
	}
	return out, nil
}

// PutFeedItems creates or replaces items of one feed in one statement (the
// last of several items with one key wins). Rows are written in key order,
// so instances polling the same feed at once cannot deadlock.
func (s *Store) PutFeedItems(ctx context.Context, feedURL string, items []feed.ItemState) error {
	if len(items) == 0 {
		return nil
	}
	byKey := make(map[string]feed.ItemState, len(items))
	for _, it := range items {
		byKey[text(it.Key)] = it
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	n := len(keys)
	fps, links, titles, ids := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	pubs, firsts, lasts := make([]pgtype.Timestamptz, n), make([]pgtype.Timestamptz, n), make([]pgtype.Timestamptz, n)
	fromPage, attempts := make([]bool, n), make([]int32, n)
	for i, k := range keys {
		it := byKey[k]
		fps[i], links[i], titles[i], ids[i] = text(it.Fingerprint), text(it.Link), text(it.Title), text(it.ArticleID)
		pubs[i] = timestamptz(it.Published)
		firsts[i] = pgtype.Timestamptz{Time: second(it.FirstSeen), Valid: true}
		lasts[i] = pgtype.Timestamptz{Time: second(it.LastSeen), Valid: true}
		fromPage[i], attempts[i] = it.FromPage, int32(it.Attempts)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO feed_items (feed_url, key, fingerprint, link, title, published, article_id,
		from_page, attempts, first_seen, last_seen)
		SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[],
			$8::boolean[], $9::integer[], $10::timestamptz[], $11::timestamptz[])
		ON CONFLICT (feed_url, key) DO UPDATE SET fingerprint = excluded.fingerprint, link = excluded.link,
		title = excluded.title, published = excluded.published, article_id = excluded.article_id,
		from_page = excluded.from_page, attempts = excluded.attempts, first_seen = excluded.first_seen,
		last_seen = excluded.last_seen`,
		text(feedURL), keys, fps, links, titles, pubs, ids, fromPage, attempts, firsts, lasts)
	if err != nil {
		return fmt.Errorf("put feed items %s: %w", feedURL, err)
	}
	return nil
}

// PruneFeedItems forgets the items of one feed last seen before t, and
// returns how many it forgot.
func (s *Store) PruneFeedItems(ctx context.Context, feedURL string, before time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM feed_items WHERE feed_url = $1 AND last_seen < $2`, text(feedURL), second(before))
	if err != nil {
		return 0, fmt.Errorf("prune feed items %s: %w", feedURL, err)
	}
	return int(tag.RowsAffected()), nil
}
