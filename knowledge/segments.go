package knowledge

// Segment is an immutable piece of the inverted index, written in the same
// transaction as the articles it covers. The index is the union of all
// segments minus tombstoned articles; Compact merges segments.
type Segment struct {
	Docs     int   // paragraphs indexed
	MinDoc   int64 // smallest doc number
	MaxDoc   int64 // largest doc number
	DocTable []byte
	// Postings holds each term's encoded postings, sorted by term. Title
	// terms carry the TitlePrefix; their postings point at the first doc of
	// each article.
	Postings []TermPostings
}

// TermPostings is one term's encoded postings.
type TermPostings struct {
	Term string
	Data []byte
}

// TitlePrefix marks title terms in the postings of a segment.
const TitlePrefix = "t:"
