package index

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// noDate marks an unknown publication date in doc tables.
const noDate = math.MinInt32

// docTableArticle is one article's entry in a segment's doc table.
type docTableArticle struct {
	ID        string
	FirstDoc  int64
	Published int32 // days since 1970-01-01 UTC, or noDate
	Source    string
	TitleLen  uint16
	ParaLens  []uint16
}

// Prepared is an article analysed for indexing. Preparing is the expensive,
// parallel part of ingestion; Apply does the rest inside one transaction.
type Prepared struct {
	*knowledge.Article
	Hash       string
	titleTerms []string
	paraTerms  [][]string
}

// Prepare assigns an article its id (when it has none) and analyses it.
func Prepare(a *knowledge.Article) *Prepared {
	if a.ID == "" {
		a.ID = knowledge.ArticleID(a)
	}
	p := &Prepared{Article: a, Hash: knowledge.ContentHash(a)}
	if a.Lang == "" {
		a.Lang = articleLang(a)
	}
	p.titleTerms = analysis.Terms(a.Title, nil)
	p.paraTerms = make([][]string, len(a.Paragraphs))
	for i, text := range a.Paragraphs {
		if analysis.BoilerplateKind(text) != "" {
			continue // stored (and shown by :open), never found
		}
		p.paraTerms[i] = analysis.Terms(text, nil)
	}
	return p
}

func dayNumber(t time.Time) int32 {
	if t.IsZero() {
		return noDate
	}
	return int32(t.Unix() / 86400)
}

func clampLen(n int) uint16 {
	if n > math.MaxUint16 {
		return math.MaxUint16
	}
	return uint16(n)
}

// buildSegment indexes arts, whose paragraphs start at the doc numbers in
// firstDocs.
func buildSegment(arts []*Prepared, firstDocs []int64) *knowledge.Segment {
	seg := &knowledge.Segment{MinDoc: math.MaxInt64, MaxDoc: -1}
	body := map[string]*postingsBuilder{}
	title := map[string]*postingsBuilder{}
	var table []docTableArticle
	var scratch []string
	for i, a := range arts {
		first := firstDocs[i]
		entry := docTableArticle{
			ID: a.ID, FirstDoc: first, Published: dayNumber(a.Published), Source: a.Source,
			TitleLen: clampLen(len(a.titleTerms)), ParaLens: make([]uint16, len(a.paraTerms)),
		}
		scratch = addTerms(title, append(scratch[:0], a.titleTerms...), first)
		for j, terms := range a.paraTerms {
			entry.ParaLens[j] = clampLen(len(terms))
			scratch = addTerms(body, append(scratch[:0], terms...), first+int64(j))
		}
		if n := len(a.paraTerms); n > 0 {
			seg.Docs += n
			seg.MinDoc = min(seg.MinDoc, first)
			seg.MaxDoc = max(seg.MaxDoc, first+int64(n)-1)
		}
		table = append(table, entry)
	}
	if seg.Docs == 0 {
		seg.MinDoc, seg.MaxDoc = 0, -1
	}
	seg.DocTable = encodeDocTable(table, AnalyzerVersion)
	seg.Postings = make([]knowledge.TermPostings, 0, len(body)+len(title))
	for t, b := range body {
		seg.Postings = append(seg.Postings, knowledge.TermPostings{Term: t, Data: b.bytes()})
	}
	for t, b := range title {
		seg.Postings = append(seg.Postings, knowledge.TermPostings{Term: knowledge.TitlePrefix + t, Data: b.bytes()})
	}
	sort.Slice(seg.Postings, func(i, j int) bool { return seg.Postings[i].Term < seg.Postings[j].Term })
	return seg
}

// addTerms counts the terms of one doc (sorting terms in place) and appends
// a posting per distinct term. It returns terms for reuse.
func addTerms(m map[string]*postingsBuilder, terms []string, doc int64) []string {
	slices.Sort(terms)
	for i := 0; i < len(terms); {
		j := i + 1
		for j < len(terms) && terms[j] == terms[i] {
			j++
		}
		b := m[terms[i]]
		if b == nil {
			b = &postingsBuilder{last: -1}
			m[terms[i]] = b
		}
		b.add(doc, j-i)
		i = j
	}
	return terms
}

// postingsBuilder encodes postings: uvarint count, then per posting the
// uvarint gap to the previous doc (counting from -1, so the first gap is
// doc+1) and the uvarint term frequency.
type postingsBuilder struct {
	n    int
	last int64
	buf  []byte
}

func (b *postingsBuilder) add(doc int64, tf int) {
	b.buf = binary.AppendUvarint(b.buf, uint64(doc-b.last))
	b.buf = binary.AppendUvarint(b.buf, uint64(tf))
	b.last = doc
	b.n++
}

func (b *postingsBuilder) bytes() []byte {
	out := binary.AppendUvarint(make([]byte, 0, len(b.buf)+4), uint64(b.n))
	return append(out, b.buf...)
}

// postingsCount returns the number of postings in encoded data.
func postingsCount(data []byte) int {
	n, k := binary.Uvarint(data)
	if k <= 0 {
		return 0
	}
	return int(n)
}

// decodePostings calls fn for each posting in data, in doc order.
func decodePostings(data []byte, fn func(doc int64, tf int)) error {
	r, err := readPostings(data)
	if err != nil {
		return err
	}
	for r.next() {
		fn(r.doc, r.tf)
	}
	return r.err
}

// postingsReader reads encoded postings (see postingsBuilder) one at a
// time: the one decoder of the format, small enough to inline in the
// scoring loop.
type postingsReader struct {
	data []byte
	left uint64
	doc  int64
	tf   int
	err  error
}

// readPostings starts reading data.
func readPostings(data []byte) (postingsReader, error) {
	n, k := binary.Uvarint(data)
	if k <= 0 {
		return postingsReader{}, knowledge.ErrCorrupt
	}
	return postingsReader{data: data[k:], left: n, doc: -1}, nil
}

// next moves to the next posting (doc, tf); false at the end or on
// corrupt data (err).
func (r *postingsReader) next() bool {
	if r.left == 0 {
		return false
	}
	gap, k1 := binary.Uvarint(r.data)
	if k1 <= 0 {
		r.err, r.left = knowledge.ErrCorrupt, 0
		return false
	}
	tf, k2 := binary.Uvarint(r.data[k1:])
	if k2 <= 0 {
		r.err, r.left = knowledge.ErrCorrupt, 0
		return false
	}
	r.data = r.data[k1+k2:]
	r.doc += int64(gap)
	r.tf = int(tf)
	r.left--
	return true
}

// docTableVersion is the doc table's format: 1 had no analyser version
// (its segments are AnalyzerVersion 1); 2 records it.
const docTableVersion = 2

// AnalyzerVersion names how text is turned into index terms: the
// tokeniser, stemming and stop words (Terms) and what is indexed at all.
// Every segment records the version it was built with; bump it whenever
// any of that changes, and stores re-index their older segments on open
// (Reindex) instead of silently mixing two analyses.
//
//	1  the first release
//	2  boilerplate paragraphs (BoilerplateKind) are stored but not indexed
//	3  text that is not pure ASCII is analysed in its language (Language:
//	   French, Spanish, German, Russian stop words and stemmers) and CJK
//	   runs become overlapping character bigrams; English is unchanged
//	4  Portuguese and Italian stop words and stemmers; pure-ASCII text
//	   clearly in another Latin-script language is analysed in it; CJK
//	   runs break at hiragana and Chinese function characters
const AnalyzerVersion = 4

func encodeDocTable(arts []docTableArticle, analyzer int) []byte {
	var b []byte
	b = binary.AppendUvarint(b, docTableVersion)
	b = binary.AppendUvarint(b, uint64(analyzer))
	b = binary.AppendUvarint(b, uint64(len(arts)))
	for _, a := range arts {
		b = appendString(b, a.ID)
		b = binary.AppendUvarint(b, uint64(a.FirstDoc))
		b = binary.AppendVarint(b, int64(a.Published))
		b = appendString(b, a.Source)
		b = binary.AppendUvarint(b, uint64(a.TitleLen))
		b = binary.AppendUvarint(b, uint64(len(a.ParaLens)))
		for _, l := range a.ParaLens {
			b = binary.AppendUvarint(b, uint64(l))
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeDocTable decodes a segment's doc table.
func decodeDocTable(data []byte) ([]docTableArticle, error) {
	arts, _, err := decodeDocTableVersion(data)
	return arts, err
}

// segmentAnalyzer returns the AnalyzerVersion a segment was built with.
func segmentAnalyzer(seg knowledge.SegmentInfo) (int, error) {
	r := byteReader{b: seg.DocTable}
	return docTableHeader(&r)
}

// docTableHeader reads a doc table's format version and returns the
// analyser version of its segment (1 for the format that did not record it).
func docTableHeader(r *byteReader) (int, error) {
	switch v := r.uvarint(); {
	case r.err != nil:
		return 0, r.err
	case v == 1:
		return 1, nil
	case v == docTableVersion:
		a := r.uvarint()
		return int(a), r.err
	default:
		return 0, fmt.Errorf("doc table version %d: %w", v, knowledge.ErrCorrupt)
	}
}

// decodeDocTableVersion decodes a doc table and the analyser version of
// its segment.
func decodeDocTableVersion(data []byte) ([]docTableArticle, int, error) {
	r := byteReader{b: data}
	analyzer, err := docTableHeader(&r)
	if err != nil {
		return nil, 0, err
	}
	n := r.uvarint()
	if n > uint64(len(data)) {
		return nil, 0, knowledge.ErrCorrupt
	}
	arts := make([]docTableArticle, 0, n)
	for i := uint64(0); i < n && r.err == nil; i++ {
		a := docTableArticle{ID: r.string(), FirstDoc: int64(r.uvarint())}
		a.Published = int32(r.varint())
		a.Source = r.string()
		a.TitleLen = uint16(r.uvarint())
		np := r.uvarint()
		if np > uint64(len(data)) {
			return nil, 0, knowledge.ErrCorrupt
		}
		a.ParaLens = make([]uint16, np)
		for j := range a.ParaLens {
			a.ParaLens[j] = uint16(r.uvarint())
		}
		arts = append(arts, a)
	}
	if r.err != nil {
		return nil, 0, r.err
	}
	return arts, analyzer, nil
}

type byteReader struct {
	b   []byte
	err error
}

func (r *byteReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.err = knowledge.ErrCorrupt
		return 0
	}
	r.b = r.b[k:]
	return v
}

func (r *byteReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, k := binary.Varint(r.b)
	if k <= 0 {
		r.err = knowledge.ErrCorrupt
		return 0
	}
	r.b = r.b[k:]
	return v
}

func (r *byteReader) string() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = knowledge.ErrCorrupt
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// articleLang detects an article's language from its title and first
// paragraphs (a couple of thousand bytes are plenty); "" when unsure.
func articleLang(a *knowledge.Article) string {
	var b strings.Builder
	b.WriteString(a.Title)
	for _, p := range a.Paragraphs {
		if b.Len() > 2000 {
			break
		}
		b.WriteString("\n")
		b.WriteString(p)
	}
	if l, sure := analysis.Detect(b.String()); sure {
		return l
	}
	return ""
}
