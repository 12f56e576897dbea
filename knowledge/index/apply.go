package index

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/story"
)

// ApplyResult counts what Apply did with a batch.
type ApplyResult struct {
	Added, Updated, Unchanged int
	// AddedIDs and UpdatedIDs name the articles added and updated.
	AddedIDs, UpdatedIDs []string
	// FirstDocs is the doc number of each article's first paragraph as
	// stored once the batch is in (added, updated or unchanged).
	FirstDocs map[string]int64
}

// Apply stores a batch of prepared articles in one transaction: new articles
// are added, changed ones (same id, different content) replace their stored
// version, identical ones are left alone. The index segment for the batch is
// written in the same transaction, so a crash at any point leaves the store
// either with the whole batch, searchable, or without it.
//
// now is the arrival time recorded for new and updated articles. Apply
// returns the store's error wrapped with the operation.
func Apply(ctx context.Context, s knowledge.Store, batch []*Prepared, now time.Time) (ApplyResult, error) {
	return apply(ctx, s, batch, now, false)
}

// Restore is Apply for articles copied from another store (`newsbot
// migrate`): each keeps its own first-seen and updated times instead of
// taking the time of the copy. Running it again on the same articles
// changes nothing.
func Restore(ctx context.Context, s knowledge.Store, batch []*Prepared) (ApplyResult, error) {
	return apply(ctx, s, batch, time.Time{}, true)
}

func apply(ctx context.Context, s knowledge.Store, batch []*Prepared, now time.Time, keepTimes bool) (ApplyResult, error) {
	var res ApplyResult
	// The last version of an article in a batch wins; earlier copies count
	// as unchanged (the same text) or updated (a different one).
	byID := make(map[string]int, len(batch))
	uniq := batch[:0:0]
	dupSame, dupChanged := 0, 0
	for _, p := range batch {
		if i, ok := byID[p.ID]; ok {
			if uniq[i].Hash == p.Hash {
				dupSame++
			} else {
				dupChanged++
			}
			uniq[i] = p
			continue
		}
		byID[p.ID] = len(uniq)
		uniq = append(uniq, p)
	}
	ids := make([]string, len(uniq))
	for i, p := range uniq {
		ids[i] = p.ID
	}
	err := s.Write(ctx, func(w knowledge.Writer) error {
		res = ApplyResult{Unchanged: dupSame, Updated: dupChanged, FirstDocs: make(map[string]int64, len(uniq))}
		versions, err := w.Versions(ctx, ids)
		if err != nil {
			return fmt.Errorf("read versions: %w", err)
		}
		for id, v := range versions {
			res.FirstDocs[id] = v.FirstDoc
		}
		var changed []*Prepared
		var dead []int64
		total := 0
		for _, p := range uniq {
			v, ok := versions[p.ID]
			switch {
			case ok && v.Hash == p.Hash:
				res.Unchanged++
				continue
			case ok:
				res.Updated++
				res.UpdatedIDs = append(res.UpdatedIDs, p.ID)
				dead = append(dead, v.FirstDoc)
				if !keepTimes {
					p.FirstSeen = v.FirstSeen
					p.Updated = now
				}
			default:
				res.Added++
				res.AddedIDs = append(res.AddedIDs, p.ID)
				if !keepTimes {
					p.FirstSeen = now
					p.Updated = time.Time{}
				}
			}
			changed = append(changed, p)
			total += len(p.Paragraphs)
		}
		if len(changed) == 0 {
			return nil
		}
		first, err := w.AllocateDocs(ctx, max(total, 1))
		if err != nil {
			return fmt.Errorf("allocate docs: %w", err)
		}
		stored := make([]knowledge.StoredArticle, len(changed))
		firstDocs := make([]int64, len(changed))
		next := first
		for i, p := range changed {
			stored[i] = knowledge.StoredArticle{Article: p.Article, Hash: p.Hash, FirstDoc: next}
			firstDocs[i] = next
			res.FirstDocs[p.ID] = next
			next += int64(len(p.Paragraphs))
		}
		if err := w.PutArticles(ctx, stored); err != nil {
			return fmt.Errorf("put articles: %w", err)
		}
		if len(dead) > 0 {
			if err := w.Tombstone(ctx, dead); err != nil {
				return fmt.Errorf("tombstone old versions: %w", err)
			}
		}
		if _, err := w.PutSegment(ctx, buildSegment(changed, firstDocs)); err != nil {
			return fmt.Errorf("put index segment: %w", err)
		}
		return nil
	})
	if err != nil {
		return ApplyResult{}, fmt.Errorf("apply batch: %w", err)
	}
	return res, nil
}

// Delete removes articles and their paragraphs from the store and the
// index; the stories they leave get their titles, outlets and dates from
// the articles left in them (knowledge/story).
func Delete(ctx context.Context, s knowledge.Store, ids []string) (int, error) {
	var left []string
	if ss, ok := s.(knowledge.StoryStore); ok && len(ids) > 0 {
		of, err := ss.StoriesOf(ctx, ids)
		if err != nil {
			return 0, fmt.Errorf("delete articles: %w", err)
		}
		for _, st := range of {
			left = append(left, st)
		}
	}
	n := 0
	err := s.Write(ctx, func(w knowledge.Writer) error {
		n = 0
		versions, err := w.Versions(ctx, ids)
		if err != nil {
			return err
		}
		var dead []int64
		var gone []string
		for id, v := range versions {
			dead = append(dead, v.FirstDoc)
			gone = append(gone, id)
		}
		if len(gone) == 0 {
			return nil
		}
		if err := w.DeleteArticles(ctx, gone); err != nil {
			return err
		}
		n = len(gone)
		return w.Tombstone(ctx, dead)
	})
	if err != nil {
		return 0, fmt.Errorf("delete articles: %w", err)
	}
	if err := story.Refresh(ctx, s, left); err != nil {
		return n, fmt.Errorf("delete articles: %w", err)
	}
	return n, nil
}

// Prune deletes articles published (or, undated, first seen) before t.
func Prune(ctx context.Context, s knowledge.Store, before time.Time) (int, error) {
	var ids []string
	err := s.Write(ctx, func(w knowledge.Writer) error {
		var err error
		ids, err = w.Expired(ctx, before)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return Delete(ctx, s, ids)
}

// CompactPolicy decides which segments Compact merges.
type CompactPolicy struct {
	// PerLevel is how many segments of about the same size (within a factor
	// of 4) may exist before they are merged; zero means 4.
	PerLevel int
	// DeadRatio is the share of dead docs above which a segment is rewritten;
	// zero means 0.25.
	DeadRatio float64
	// All merges every segment into one.
	All bool
}

// Compact merges index segments according to policy, dropping the postings
// of dead articles, in one transaction. It returns the number of segments
// merged (0 when nothing needed doing).
func Compact(ctx context.Context, s knowledge.Store, policy CompactPolicy) (int, error) {
	if policy.PerLevel <= 0 {
		policy.PerLevel = 4
	}
	if policy.DeadRatio <= 0 {
		policy.DeadRatio = 0.25
	}
	merged := 0
	err := s.Write(ctx, func(w knowledge.Writer) error {
		merged = 0
		snap, err := w.Snapshot(ctx)
		if err != nil {
			return err
		}
		tables := make(map[int64][]docTableArticle, len(snap.Segments))
		for _, seg := range snap.Segments {
			t, err := decodeDocTable(seg.DocTable)
			if err != nil {
				return fmt.Errorf("segment %d: %w", seg.ID, err)
			}
			tables[seg.ID] = t
		}
		dead := make(map[int64]bool, len(snap.Tombstones))
		for _, d := range snap.Tombstones {
			dead[d] = true
		}
		pick := pickSegments(snap.Segments, tables, dead, policy)
		if len(pick) == 0 {
			return nil
		}
		seg, absorbed, err := mergeSegments(ctx, w, pick, tables, dead)
		if err != nil {
			return err
		}
		ids := make([]int64, len(pick))
		for i, p := range pick {
			ids[i] = p.ID
		}
		if err := w.DeleteSegments(ctx, ids, absorbed); err != nil {
			return err
		}
		if seg.Docs > 0 || len(seg.Postings) > 0 {
			if _, err := w.PutSegment(ctx, seg); err != nil {
				return err
			}
		}
		merged = len(pick)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("compact index: %w", err)
	}
	return merged, nil
}

// pickSegments chooses the segments to merge: all of them when asked; else
// every segment with many dead docs, plus the segments of the smallest size
// level (sizes within a factor of 4) that holds more than PerLevel segments,
// with all smaller ones.
func pickSegments(segs []knowledge.SegmentInfo, tables map[int64][]docTableArticle, dead map[int64]bool, p CompactPolicy) []knowledge.SegmentInfo {
	if len(segs) <= 1 && !hasDead(segs, tables, dead) {
		return nil
	}
	if p.All {
		return segs
	}
	level := func(s knowledge.SegmentInfo) int { return bits.Len(uint(max(s.Docs, 1))) / 2 }
	counts := map[int]int{}
	for _, s := range segs {
		counts[level(s)]++
	}
	limit := -1
	for l, c := range counts {
		if c > p.PerLevel && (limit < 0 || l < limit) {
			limit = l
		}
	}
	var pick []knowledge.SegmentInfo
	for _, s := range segs {
		deadDocs := 0
		for _, a := range tables[s.ID] {
			if dead[a.FirstDoc] {
				deadDocs += len(a.ParaLens)
			}
		}
		manyDead := s.Docs > 0 && float64(deadDocs) > p.DeadRatio*float64(s.Docs)
		if manyDead || (limit >= 0 && level(s) <= limit) {
			pick = append(pick, s)
		}
	}
	if len(pick) == 1 && !hasDead(pick, tables, dead) {
		return nil
	}
	return pick
}

func hasDead(segs []knowledge.SegmentInfo, tables map[int64][]docTableArticle, dead map[int64]bool) bool {
	for _, s := range segs {
		for _, a := range tables[s.ID] {
			if dead[a.FirstDoc] {
				return true
			}
		}
	}
	return false
}

// mergeSegments builds one segment from pick without dead articles, and
// returns the tombstones it absorbed.
func mergeSegments(ctx context.Context, w knowledge.Writer, pick []knowledge.SegmentInfo, tables map[int64][]docTableArticle, dead map[int64]bool) (*knowledge.Segment, []int64, error) {
	seg := &knowledge.Segment{MinDoc: 1<<63 - 1, MaxDoc: -1}
	var table []docTableArticle
	var absorbed []int64
	// liveDoc[doc] for docs of the picked segments: dead articles' docs are
	// dropped. Ranges are per article; look them up by binary search.
	type span struct {
		first int64
		n     int
		live  bool
	}
	var spans []span
	for _, s := range pick {
		for _, a := range tables[s.ID] {
			isDead := dead[a.FirstDoc]
			spans = append(spans, span{a.FirstDoc, len(a.ParaLens), !isDead})
			if isDead {
				absorbed = append(absorbed, a.FirstDoc)
				continue
			}
			table = append(table, a)
			if n := len(a.ParaLens); n > 0 {
				seg.Docs += n
				seg.MinDoc = min(seg.MinDoc, a.FirstDoc)
				seg.MaxDoc = max(seg.MaxDoc, a.FirstDoc+int64(n)-1)
			}
		}
	}
	if seg.Docs == 0 {
		seg.MinDoc, seg.MaxDoc = 0, -1
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].first < spans[j].first })
	sort.Slice(table, func(i, j int) bool { return table[i].FirstDoc < table[j].FirstDoc })
	live := func(doc int64, isTitle bool) bool {
		i := sort.Search(len(spans), func(i int) bool { return spans[i].first > doc }) - 1
		if i < 0 {
			return false
		}
		sp := spans[i]
		if isTitle {
			return sp.first == doc && sp.live
		}
		return sp.live && doc < sp.first+int64(sp.n)
	}
	// Gather the encoded postings per term first (compact), then decode,
	// filter and re-encode one term at a time, so memory stays near the size
	// of the encoded index rather than of the decoded postings.
	raw := map[string][][]byte{}
	for _, s := range pick {
		err := w.SegmentPostings(ctx, s.ID, func(term string, data []byte) error {
			raw[term] = append(raw[term], data)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read segment %d: %w", s.ID, err)
		}
	}
	type posting struct {
		doc int64
		tf  int
	}
	var list []posting
	// A merged segment is as old as its oldest part (Reindex renews it).
	analyzer := AnalyzerVersion
	for _, s := range pick {
		a, err := segmentAnalyzer(s)
		if err != nil {
			return nil, nil, fmt.Errorf("segment %d: %w", s.ID, err)
		}
		analyzer = min(analyzer, a)
	}
	seg.DocTable = encodeDocTable(table, analyzer)
	seg.Postings = make([]knowledge.TermPostings, 0, len(raw))
	for term, blobs := range raw {
		isTitle := strings.HasPrefix(term, knowledge.TitlePrefix)
		list = list[:0]
		for _, data := range blobs {
			err := decodePostings(data, func(doc int64, tf int) {
				if live(doc, isTitle) {
					list = append(list, posting{doc, tf})
				}
			})
			if err != nil {
				return nil, nil, fmt.Errorf("term %q: %w", term, err)
			}
		}
		if len(list) == 0 {
			continue
		}
		slices.SortFunc(list, func(a, b posting) int { return cmp.Compare(a.doc, b.doc) })
		b := postingsBuilder{last: -1, buf: make([]byte, 0, 3*len(list))}
		for _, p := range list {
			b.add(p.doc, p.tf)
		}
		seg.Postings = append(seg.Postings, knowledge.TermPostings{Term: term, Data: b.bytes()})
	}
	sort.Slice(seg.Postings, func(i, j int) bool { return seg.Postings[i].Term < seg.Postings[j].Term })
	return seg, absorbed, nil
}

// OldSegments counts the segments built with an older AnalyzerVersion,
// which Reindex rebuilds.
func OldSegments(ctx context.Context, s knowledge.Reader) (int, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return 0, fmt.Errorf("index segments: %w", err)
	}
	n := 0
	for _, seg := range snap.Segments {
		a, err := segmentAnalyzer(seg)
		if err != nil {
			return 0, fmt.Errorf("index segment %d: %w", seg.ID, err)
		}
		if a < AnalyzerVersion {
			n++
		}
	}
	return n, nil
}

// Reindex rebuilds the index segments built with an older AnalyzerVersion
// from the stored articles, one segment at a time, keeping every doc
// number: the articles are analysed anew, nothing is re-ingested. It
// returns how many segments it rebuilt (0 when all are current).
func Reindex(ctx context.Context, s knowledge.Store) (int, error) {
	done := 0
	for {
		snap, err := s.Snapshot(ctx)
		if err != nil {
			return done, fmt.Errorf("reindex: %w", err)
		}
		var old *knowledge.SegmentInfo
		for i, seg := range snap.Segments {
			a, err := segmentAnalyzer(seg)
			if err != nil {
				return done, fmt.Errorf("reindex segment %d: %w", seg.ID, err)
			}
			if a < AnalyzerVersion {
				old = &snap.Segments[i]
				break
			}
		}
		if old == nil {
			return done, nil
		}
		if err := reindexSegment(ctx, s, snap, *old, Prepare, AnalyzerVersion); err != nil {
			return done, fmt.Errorf("reindex segment %d: %w", old.ID, err)
		}
		done++
	}
}

// reindexSegment replaces seg by a segment built anew from its live
// articles, unless the index changed since snap (then the caller looks
// again).
func reindexSegment(ctx context.Context, s knowledge.Store, snap *knowledge.Snapshot, seg knowledge.SegmentInfo, prepare func(*knowledge.Article) *Prepared, analyzer int) error {
	table, err := decodeDocTable(seg.DocTable)
	if err != nil {
		return err
	}
	dead := make(map[int64]bool, len(snap.Tombstones))
	for _, d := range snap.Tombstones {
		dead[d] = true
	}
	var arts []*Prepared
	var firsts, absorbed []int64
	for _, e := range table {
		if dead[e.FirstDoc] {
			absorbed = append(absorbed, e.FirstDoc)
			continue
		}
		a, err := s.Article(ctx, e.ID)
		if err != nil {
			return fmt.Errorf("article %s: %w", e.ID, err)
		}
		if len(a.Paragraphs) != len(e.ParaLens) {
			return fmt.Errorf("article %s has %d paragraphs, its index entry %d: %w", e.ID, len(a.Paragraphs), len(e.ParaLens), knowledge.ErrCorrupt)
		}
		arts, firsts = append(arts, prepare(a)), append(firsts, e.FirstDoc)
	}
	fresh := buildSegment(arts, firsts)
	if analyzer != AnalyzerVersion {
		fresh = rebuiltAs(arts, firsts, analyzer)
	}
	return s.Write(ctx, func(w knowledge.Writer) error {
		now, err := w.Snapshot(ctx)
		if err != nil {
			return err
		}
		if now.Generation != snap.Generation {
			return nil // written meanwhile: look again
		}
		if err := w.DeleteSegments(ctx, []int64{seg.ID}, absorbed); err != nil {
			return err
		}
		if fresh.Docs > 0 || len(fresh.Postings) > 0 {
			if _, err := w.PutSegment(ctx, fresh); err != nil {
				return err
			}
		}
		return nil
	})
}

// rebuiltAs builds a segment recording another analyser version (tests
// make stores as older releases left them).
func rebuiltAs(arts []*Prepared, firsts []int64, analyzer int) *knowledge.Segment {
	seg := buildSegment(arts, firsts)
	table, _ := decodeDocTable(seg.DocTable)
	seg.DocTable = encodeDocTable(table, analyzer)
	return seg
}
