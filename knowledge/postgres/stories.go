package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsbot/newsbot/knowledge"
)

var _ knowledge.StoryStore = (*Store)(nil)

const memberColumns = `article_id, story_id, title, source, url, published, features`

func scanMember(r pgx.CollectableRow) (knowledge.StoryMember, error) {
	var m knowledge.StoryMember
	err := r.Scan(&m.ArticleID, &m.StoryID, &m.Title, &m.Source, &m.URL, &m.Published, &m.Features)
	m.Published = m.Published.UTC()
	return m, err
}

// StoryMembersBetween returns the story members dated in [since, until].
func (s *Store) StoryMembersBetween(ctx context.Context, since, until time.Time) ([]knowledge.StoryMember, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+memberColumns+` FROM story_articles WHERE published >= $1 AND published <= $2 ORDER BY published, article_id`,
		second(since), second(until))
	out, err := pgx.CollectRows(rows, scanMember)
	if err != nil {
		return nil, fmt.Errorf("story members: %w", s.unreachable(err))
	}
	return out, nil
}

// StoryMembersOf returns the members of the given stories.
func (s *Store) StoryMembersOf(ctx context.Context, storyIDs []string) ([]knowledge.StoryMember, error) {
	if len(storyIDs) == 0 {
		return nil, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+memberColumns+` FROM story_articles WHERE story_id = ANY($1) ORDER BY published DESC, article_id`, storyIDs)
	out, err := pgx.CollectRows(rows, scanMember)
	if err != nil {
		return nil, fmt.Errorf("story members: %w", s.unreachable(err))
	}
	return out, nil
}

// StoriesOf returns the story of each of the articles that have one.
func (s *Store) StoriesOf(ctx context.Context, articleIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(articleIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT article_id, story_id FROM story_articles WHERE article_id = ANY($1)`, articleIDs)
	var a, st string
	_, err := pgx.ForEachRow(rows, []any{&a, &st}, func() error { out[a] = st; return nil })
	if err != nil {
		return nil, fmt.Errorf("stories of: %w", s.unreachable(err))
	}
	return out, nil
}

// PutStories creates or replaces stories and members in one transaction,
// under the writers' lock.
func (s *Store) PutStories(ctx context.Context, stories []knowledge.Story, members []knowledge.StoryMember) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("put stories: %w", s.unreachable(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		return fmt.Errorf("put stories: %w", s.unreachable(err))
	}
	var b pgx.Batch
	for _, st := range stories {
		srcs := st.Sources
		if srcs == nil {
			srcs = []string{}
		}
		b.Queue(`INSERT INTO stories (id, title, sources, first, last, articles) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET title = excluded.title, sources = excluded.sources, first = excluded.first,
			last = excluded.last, articles = excluded.articles`, st.ID, st.Title, srcs, second(st.First), second(st.Last), st.Articles)
	}
	for _, m := range members {
		b.Queue(`INSERT INTO story_articles (`+memberColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, title = excluded.title, source = excluded.source,
			url = excluded.url, published = excluded.published, features = excluded.features`,
			m.ArticleID, m.StoryID, m.Title, m.Source, m.URL, second(m.Published), m.Features)
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("put stories: %w", s.unreachable(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("put stories: %w", s.unreachable(err))
	}
	return nil
}

// Stories returns the newest stories with their members.
func (s *Store) Stories(ctx context.Context, q knowledge.LatestQuery) ([]knowledge.Story, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	var since, until any
	if !q.Since.IsZero() {
		since = second(q.Since)
	}
	if !q.Until.IsZero() {
		until = second(q.Until)
	}
	rows, _ := s.pool.Query(ctx, `SELECT id, title, sources, first, last, articles FROM stories
		WHERE ($1::timestamptz IS NULL OR last >= $1) AND ($2::timestamptz IS NULL OR last < $2)
		ORDER BY last DESC, id LIMIT $3`, since, until, limit)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (knowledge.Story, error) {
		var st knowledge.Story
		err := r.Scan(&st.ID, &st.Title, &st.Sources, &st.First, &st.Last, &st.Articles)
		st.First, st.Last = st.First.UTC(), st.Last.UTC()
		if len(st.Sources) == 0 {
			st.Sources = nil
		}
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("stories: %w", s.unreachable(err))
	}
	ids := make([]string, len(out))
	at := map[string]int{}
	for i, st := range out {
		ids[i] = st.ID
		at[st.ID] = i
	}
	ms, err := s.StoryMembersOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		m.Features = ""
		out[at[m.StoryID]].Members = append(out[at[m.StoryID]].Members, m)
	}
	return out, nil
}
