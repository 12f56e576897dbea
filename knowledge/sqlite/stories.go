package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
)

var _ knowledge.StoryStore = (*Store)(nil)

const memberColumns = `article_id, story_id, title, source, url, published, features`

func scanMembers(rows *sql.Rows) ([]knowledge.StoryMember, error) {
	defer rows.Close()
	var out []knowledge.StoryMember
	for rows.Next() {
		var m knowledge.StoryMember
		var pub int64
		if err := rows.Scan(&m.ArticleID, &m.StoryID, &m.Title, &m.Source, &m.URL, &pub, &m.Features); err != nil {
			return nil, err
		}
		m.Published = time.Unix(pub, 0).UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// StoryMembersBetween returns the story members dated in [since, until].
func (s *Store) StoryMembersBetween(ctx context.Context, since, until time.Time) ([]knowledge.StoryMember, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+memberColumns+` FROM story_articles WHERE published >= ? AND published <= ? ORDER BY published, article_id`,
		since.Unix(), until.Unix())
	if err != nil {
		return nil, fmt.Errorf("story members: %w", err)
	}
	out, err := scanMembers(rows)
	if err != nil {
		return nil, fmt.Errorf("story members: %w", err)
	}
	return out, nil
}

// StoryMembersOf returns the members of the given stories.
func (s *Store) StoryMembersOf(ctx context.Context, storyIDs []string) ([]knowledge.StoryMember, error) {
	var out []knowledge.StoryMember
	for start := 0; start < len(storyIDs); start += 500 {
		part := storyIDs[start:min(start+500, len(storyIDs))]
		rows, err := s.read.QueryContext(ctx, `SELECT `+memberColumns+` FROM story_articles WHERE story_id IN (`+placeholders(len(part))+`) ORDER BY published DESC, article_id`, anys(part)...)
		if err != nil {
			return nil, fmt.Errorf("story members: %w", err)
		}
		ms, err := scanMembers(rows)
		if err != nil {
			return nil, fmt.Errorf("story members: %w", err)
		}
		out = append(out, ms...)
	}
	return out, nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// StoriesOf returns the story of each of the articles that have one.
func (s *Store) StoriesOf(ctx context.Context, articleIDs []string) (map[string]string, error) {
	out := map[string]string{}
	for start := 0; start < len(articleIDs); start += 500 {
		part := articleIDs[start:min(start+500, len(articleIDs))]
		rows, err := s.read.QueryContext(ctx, `SELECT article_id, story_id FROM story_articles WHERE article_id IN (`+placeholders(len(part))+`)`, anys(part)...)
		if err != nil {
			return nil, fmt.Errorf("stories of: %w", err)
		}
		for rows.Next() {
			var a, st string
			if err := rows.Scan(&a, &st); err != nil {
				rows.Close()
				return nil, fmt.Errorf("stories of: %w", err)
			}
			out[a] = st
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("stories of: %w", err)
		}
	}
	return out, nil
}

// PutStories creates or replaces stories and members in one transaction.
func (s *Store) PutStories(ctx context.Context, stories []knowledge.Story, members []knowledge.StoryMember) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put stories: %w", err)
	}
	defer tx.Rollback()
	for _, st := range stories {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stories (id, title, sources, first, last, articles) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET title = excluded.title, sources = excluded.sources, first = excluded.first,
			last = excluded.last, articles = excluded.articles`,
			st.ID, st.Title, strings.Join(st.Sources, "\n"), st.First.Unix(), st.Last.Unix(), st.Articles); err != nil {
			return fmt.Errorf("put stories: %w", err)
		}
	}
	for _, m := range members {
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_articles (`+memberColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, title = excluded.title, source = excluded.source,
			url = excluded.url, published = excluded.published, features = excluded.features`,
			m.ArticleID, m.StoryID, m.Title, m.Source, m.URL, m.Published.Unix(), m.Features); err != nil {
			return fmt.Errorf("put stories: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("put stories: %w", err)
	}
	return nil
}

// Stories returns the newest stories with their members.
func (s *Store) Stories(ctx context.Context, q knowledge.LatestQuery) ([]knowledge.Story, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	where, args := []string{"1=1"}, []any{}
	if !q.Since.IsZero() {
		where, args = append(where, "last >= ?"), append(args, q.Since.Unix())
	}
	if !q.Until.IsZero() {
		where, args = append(where, "last < ?"), append(args, q.Until.Unix())
	}
	args = append(args, limit)
	rows, err := s.read.QueryContext(ctx, `SELECT id, title, sources, first, last, articles FROM stories WHERE `+strings.Join(where, " AND ")+
		` ORDER BY last DESC, id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	var out []knowledge.Story
	for rows.Next() {
		var st knowledge.Story
		var srcs string
		var first, last int64
		if err := rows.Scan(&st.ID, &st.Title, &srcs, &first, &last, &st.Articles); err != nil {
			rows.Close()
			return nil, fmt.Errorf("stories: %w", err)
		}
		if srcs != "" {
			st.Sources = strings.Split(srcs, "\n")
		}
		st.First, st.Last = time.Unix(first, 0).UTC(), time.Unix(last, 0).UTC()
		out = append(out, st)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	ids := make([]string, len(out))
	for i, st := range out {
		ids[i] = st.ID
	}
	ms, err := s.StoryMembersOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	at := map[string]int{}
	for i, st := range out {
		at[st.ID] = i
	}
	for _, m := range ms {
		m.Features = ""
		out[at[m.StoryID]].Members = append(out[at[m.StoryID]].Members, m)
	}
	return out, nil
}
