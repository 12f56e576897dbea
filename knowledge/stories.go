package knowledge

import (
	"context"
	"time"
)

// Story is a group of articles that report the same event (knowledge/story
// forms them as articles arrive). Its ID is the id of the article that
// started it, and never changes.
type Story struct {
	ID    string
	Title string // the most representative headline
	// Sources are the outlets of its articles, the lead article's first.
	Sources     []string
	First, Last time.Time // the dates of its oldest and newest articles
	Articles    int
	// Members are its articles, newest first, when the call says so.
	Members []StoryMember
}

// StoryMember is one article of a story, with what clustering kept of it.
type StoryMember struct {
	ArticleID string
	StoryID   string
	Title     string
	Source    string
	URL       string
	Published time.Time // publication date, else when first seen
	// Features is knowledge/story's encoding of the article's names, key
	// terms and text fingerprint.
	Features string
}

// StoryStore is the optional part of a Store that keeps stories
// (knowledge/sqlite and knowledge/postgres implement it). Engines only move
// rows; how articles are grouped lives in knowledge/story.
// Implementations must be safe for concurrent use.
type StoryStore interface {
	// StoryMembersBetween returns the members dated in [since, until].
	StoryMembersBetween(ctx context.Context, since, until time.Time) ([]StoryMember, error)
	// StoryMembersOf returns the members of the given stories.
	StoryMembersOf(ctx context.Context, storyIDs []string) ([]StoryMember, error)
	// StoriesOf returns, for those of the articles that belong to a story,
	// its id.
	StoriesOf(ctx context.Context, articleIDs []string) (map[string]string, error)
	// PutStories creates or replaces stories and members in one
	// transaction.
	PutStories(ctx context.Context, stories []Story, members []StoryMember) error
	// Stories returns up to q.Limit stories whose newest article is in
	// [q.Since, q.Until), newest first, with their members.
	Stories(ctx context.Context, q LatestQuery) ([]Story, error)
}
