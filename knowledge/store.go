package knowledge

import (
	"context"
	"errors"
	"time"
)

// Errors returned by stores and parsers. Callers branch on them with
// errors.Is.
var (
	// ErrNotFound means the requested article does not exist.
	ErrNotFound = errors.New("not found")
	// ErrEmpty means an input held no article (no title and no text).
	ErrEmpty = errors.New("no article: title and text are empty")
)

// Store is the contract every storage engine implements (knowledge/sqlite,
// knowledge/postgres). Engines store rows and blobs; all logic — what is new,
// what changed, how the index is built and merged — lives in this package
// (Apply, Compact, Index), so that every engine behaves the same.
//
// knowledge/storetest holds the test suite every engine must pass.
// Implementations must be safe for concurrent use.
type Store interface {
	Reader
	// Write runs fn in one read-write transaction: either everything fn did
	// is committed or, when fn or the commit fails, nothing is. Engines
	// serialise writers.
	Write(ctx context.Context, fn func(Writer) error) error
	// Close releases the store's resources.
	Close() error
}

// Reader is the read side of a Store.
type Reader interface {
	// Generation returns a number that changes whenever the index (its
	// segments or tombstones) changes. It is cheap: searches call it each
	// time to notice writes by other processes.
	Generation(ctx context.Context) (int64, error)
	// Snapshot returns the index's segment list with their doc tables, and
	// the tombstones, as of one consistent moment.
	Snapshot(ctx context.Context) (*Snapshot, error)
	// Postings returns, read in one transaction, the index generation and
	// the postings of each term in every segment that has them.
	Postings(ctx context.Context, terms []string) (int64, map[string][]SegmentPostings, error)
	// Passages returns the paragraphs with the given doc numbers, with their
	// articles' metadata, in no particular order. Missing docs are left out.
	Passages(ctx context.Context, docs []int64) ([]Passage, error)
	// Article returns one article with its paragraphs, or ErrNotFound.
	Article(ctx context.Context, id string) (*Article, error)
	// Latest returns up to limit articles (without paragraphs), newest
	// publication first, optionally only those published in [since, until).
	Latest(ctx context.Context, q LatestQuery) ([]*Article, error)
	// Stats counts what the store holds.
	Stats(ctx context.Context) (Stats, error)
}

// Writer is what an engine offers inside a Write transaction.
type Writer interface {
	// Versions returns, for those of ids that are stored, what is known of
	// the stored version.
	Versions(ctx context.Context, ids []string) (map[string]Version, error)
	// AllocateDocs reserves n consecutive doc numbers, never handed out
	// before, and returns the first.
	AllocateDocs(ctx context.Context, n int) (int64, error)
	// PutArticles inserts articles, or replaces stored articles with the same
	// id: the article row and all its paragraphs. Paragraph i (0-based) of
	// an article gets doc number FirstDoc+i.
	PutArticles(ctx context.Context, arts []StoredArticle) error
	// DeleteArticles removes articles and their paragraphs.
	DeleteArticles(ctx context.Context, ids []string) error
	// Tombstone records that the docs of the article whose paragraphs began
	// at firstDoc are no longer live.
	Tombstone(ctx context.Context, firstDocs []int64) error
	// PutSegment stores an index segment and returns its id.
	PutSegment(ctx context.Context, seg *Segment) (int64, error)
	// SegmentPostings calls fn with every term's postings in segment id.
	SegmentPostings(ctx context.Context, id int64, fn func(term string, data []byte) error) error
	// DeleteSegments removes segments and their postings, and the given
	// tombstones, which the segment replacing them has absorbed.
	DeleteSegments(ctx context.Context, ids []int64, tombstones []int64) error
	// Snapshot is Reader.Snapshot inside the transaction.
	Snapshot(ctx context.Context) (*Snapshot, error)
	// Expired returns the ids of articles published (or, when the date is
	// unknown, first seen) before t.
	Expired(ctx context.Context, before time.Time) ([]string, error)
}

// Version is what a store knows of a stored article's current version.
type Version struct {
	Hash       string
	FirstDoc   int64
	Paragraphs int
	FirstSeen  time.Time
}

// StoredArticle is an article with what the store keeps beside it.
type StoredArticle struct {
	*Article
	Hash     string
	FirstDoc int64
}

// SegmentInfo describes one index segment.
type SegmentInfo struct {
	ID       int64
	Docs     int   // paragraphs indexed
	MinDoc   int64 // smallest doc number
	MaxDoc   int64 // largest doc number
	DocTable []byte
}

// Snapshot is the state of the index at one moment.
type Snapshot struct {
	Generation int64
	Segments   []SegmentInfo
	Tombstones []int64 // first docs of dead articles
}

// SegmentPostings are one term's postings in one segment.
type SegmentPostings struct {
	Segment int64
	Data    []byte
}

// LatestQuery selects articles for Latest.
type LatestQuery struct {
	Limit        int
	Since, Until time.Time // zero means open
}

// Stats counts what a store holds.
type Stats struct {
	Articles   int
	Paragraphs int
	Segments   int
	Newest     time.Time // newest publication date
	Oldest     time.Time
}

// ErrCorrupt means stored index or vector data cannot be decoded.
var ErrCorrupt = errors.New("corrupt index data")
