// Package story groups articles that report the same event into stories,
// incrementally, as articles arrive: an article joins the story of an
// article of the days around it (at most Window apart, and within Window of
// the story's dates) with which it shares several distinctive names and key
// terms, or whose text is nearly the same; else it starts a story of its
// own. A story's id is the id of the article that started it; an article
// keeps its story when it is re-ingested or updated.
//
// Names are the capitalised words of the lead paragraphs that do not start
// a sentence; key terms are the analysed words of the title and the first
// paragraph; both are weighted by their inverse document frequency among
// the articles of the days compared, so that what every article of the week
// says ("Ukraine" in March 2022, "said") counts for little. One shared word
// — a town and a province of one name, the same kind of event elsewhere —
// is never enough: a match needs MinShared distinctive names or terms, two
// of them names, and a weighted overlap of at least MinCosine.
package story

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// Tuning, measured on the RealTime QA corpus (docs/stories.md).
const (
	// Window is how far apart in time two articles of one story may be,
	// and how far outside a story's dates an article may join it.
	Window = 4 * 24 * time.Hour
	// MinShared is how many distinctive names and terms two articles must
	// share (at least MinNames of them names).
	MinShared = 4
	MinNames  = 2
	// MinCosine is the least IDF-weighted cosine of two articles' features.
	MinCosine = 0.28
	// nearDup is how many of the minhashes two texts must share to be
	// near-duplicates (of minhashes).
	minhashes = 8
	nearDup   = 6
	// leadParagraphs are read for names and the fingerprint.
	leadParagraphs = 3
)

// Features is what clustering keeps of an article.
type Features struct {
	Names []string `json:"n,omitempty"`
	Terms []string `json:"t,omitempty"`
	Hash  []uint32 `json:"h,omitempty"`
}

// Extract returns an article's features.
func Extract(a *knowledge.Article) Features {
	var f Features
	lead := a.Paragraphs[:min(len(a.Paragraphs), leadParagraphs)]
	names := map[string]bool{}
	for _, p := range lead {
		for n := range names0(p) {
			names[n] = true
		}
	}
	for n := range names {
		f.Names = append(f.Names, n)
	}
	sort.Strings(f.Names)
	text := a.Title
	if len(a.Paragraphs) > 0 {
		text += "\n" + a.Paragraphs[0]
	}
	seen := map[string]bool{}
	for _, t := range analysis.Terms(text, nil) {
		if !seen[t] && !isNumber(t) && len(t) > 2 {
			seen[t] = true
			f.Terms = append(f.Terms, t)
		}
	}
	sort.Strings(f.Terms)
	f.Hash = minhash(strings.Join(lead, " "))
	return f
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' && r != ',' {
			return false
		}
	}
	return true
}

// names0 returns the capitalised words of text that do not start a
// sentence and are not stop words, lower-cased.
func names0(text string) map[string]bool {
	out := map[string]bool{}
	start := true
	for _, w := range strings.Fields(text) {
		core := strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		core = strings.TrimSuffix(strings.TrimSuffix(core, "'s"), "’s")
		if core != "" {
			r, _ := utf8.DecodeRuneInString(core)
			lw := strings.ToLower(core)
			if unicode.IsUpper(r) && !start && utf8.RuneCountInString(core) > 1 && !analysis.IsStopWord(lw) && !allUpperShort(core) {
				out[lw] = true
			}
		}
		last, _ := utf8.DecodeLastRuneInString(w)
		start = last == '.' || last == '?' || last == '!' || last == '"' && strings.ContainsAny(w, ".?!") || last == '—' || last == ':'
	}
	return out
}

// allUpperShort is a datelined outlet or the like ("AP", "CNN"): kept
// only when longer than three letters.
func allUpperShort(w string) bool {
	return len(w) <= 3 && strings.ToUpper(w) == w && (w == "AP" || w == "CNN" || w == "USA" || w == "AFP")
}

// minhash fingerprints text by the smallest hashes of its word 3-shingles
// under minhashes hash functions.
func minhash(text string) []uint32 {
	words := strings.Fields(strings.ToLower(text))
	if len(words) < 8 {
		return nil
	}
	out := make([]uint32, minhashes)
	for i := range out {
		out[i] = math.MaxUint32
	}
	for i := 0; i+3 <= len(words); i++ {
		h := fnv.New32a()
		h.Write([]byte(words[i] + " " + words[i+1] + " " + words[i+2]))
		x := h.Sum32()
		for k := range out {
			y := (x ^ seeds[k]) * 0x9e3779b1
			y ^= y >> 15
			if y < out[k] {
				out[k] = y
			}
		}
	}
	return out
}

var seeds = [minhashes]uint32{0x1234567, 0x89abcdef, 0x2545f491, 0x6c8e9cf5, 0x1b873593, 0xcc9e2d51, 0x85ebca6b, 0xc2b2ae35}

func (f Features) encode() string {
	b, _ := json.Marshal(f)
	return string(b)
}

func decode(s string) Features {
	var f Features
	json.Unmarshal([]byte(s), &f) // a bad row is an article without features
	return f
}

// member is a story member being compared.
type member struct {
	knowledge.StoryMember
	f     Features
	date  time.Time
	fresh bool // added or changed in this call
}

type cluster struct {
	id          string
	members     []*member
	first, last time.Time
}

func (c *cluster) add(m *member) {
	c.members = append(c.members, m)
	if c.first.IsZero() || m.date.Before(c.first) {
		c.first = m.date
	}
	if m.date.After(c.last) {
		c.last = m.date
	}
}

// state is the stories of the days around a batch, with the document
// frequencies of their features.
type state struct {
	clusters map[string]*cluster
	byKey    map[string][]*member // feature key -> members holding it
	df       map[string]int
	n        int
}

func keys(f Features) []string {
	out := make([]string, 0, len(f.Names)+len(f.Terms))
	for _, n := range f.Names {
		out = append(out, "n:"+n)
	}
	for _, t := range f.Terms {
		out = append(out, "t:"+t)
	}
	return out
}

func (s *state) count(f Features) {
	s.n++
	for _, k := range keys(f) {
		s.df[k]++
	}
}

func (s *state) index(m *member) {
	for _, k := range keys(m.f) {
		s.byKey[k] = append(s.byKey[k], m)
	}
}

func (s *state) idf(k string) float64 {
	return math.Log(1 + float64(s.n)/float64(max(s.df[k], 1)))
}

// distinctive reports whether feature k is rare enough to tell stories
// apart: held by at most 5% of the articles compared (or 3 of them).
func (s *state) distinctive(k string) bool {
	return s.df[k] <= max(3, s.n/20)
}

// similar reports whether a and b report the same event, and how close
// they are.
func (s *state) similar(a, b Features) (bool, float64) {
	if len(a.Hash) == minhashes && len(b.Hash) == minhashes {
		same := 0
		for i := range a.Hash {
			if a.Hash[i] == b.Hash[i] {
				same++
			}
		}
		if same >= nearDup {
			return true, 1
		}
	}
	wa, wb, dot := 0.0, 0.0, 0.0
	shared, names := 0, 0
	inB := map[string]bool{}
	for _, k := range keys(b) {
		w := s.weight(k)
		wb += w * w
		inB[k] = true
	}
	for _, k := range keys(a) {
		w := s.weight(k)
		wa += w * w
		if inB[k] {
			dot += w * w
			if s.distinctive(k) {
				shared++
				if k[0] == 'n' {
					names++
				}
			}
		}
	}
	if wa == 0 || wb == 0 {
		return false, 0
	}
	cos := dot / math.Sqrt(wa*wb)
	return shared >= MinShared && names >= MinNames && cos >= MinCosine, cos
}

func (s *state) weight(k string) float64 {
	w := s.idf(k)
	if k[0] == 'n' {
		w *= 1.5
	}
	return w
}

func dateOf(a *knowledge.Article, now time.Time) time.Time {
	switch {
	case !a.Published.IsZero():
		return a.Published.UTC()
	case !a.FirstSeen.IsZero():
		return a.FirstSeen.UTC()
	}
	return now.UTC()
}

// Assign puts each of arts into a story — the one it already belongs to,
// else the best-matching story of the days around it, else a new one — and
// updates those stories' titles, outlets and dates. A store that keeps no
// stories (no knowledge.StoryStore) is left alone.
func Assign(ctx context.Context, st knowledge.Store, arts []*knowledge.Article, now time.Time) error {
	ss, ok := st.(knowledge.StoryStore)
	if !ok || len(arts) == 0 {
		return nil
	}
	fresh, err := newMembers(ctx, ss, lastVersions(arts), now)
	if err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	s, err := loadAround(ctx, ss, fresh)
	if err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	touched := s.place(fresh)
	// Stories whose members were not all in the window are read whole.
	all, err := ss.StoryMembersOf(ctx, touched)
	if err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	stories := s.summariseWhole(touched, all, fresh)
	members := make([]knowledge.StoryMember, 0, len(fresh))
	for _, m := range fresh {
		members = append(members, m.StoryMember)
	}
	if err := ss.PutStories(ctx, stories, members); err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	return nil
}

// lastVersions returns the articles of a batch with an id, once each, in
// the order they first appear, each in its last version.
func lastVersions(arts []*knowledge.Article) []*knowledge.Article {
	byID := map[string]*knowledge.Article{}
	var order []*knowledge.Article
	for _, a := range arts {
		if a == nil || a.ID == "" {
			continue
		}
		if _, dup := byID[a.ID]; !dup {
			order = append(order, a)
		}
		byID[a.ID] = a
	}
	for i, a := range order {
		order[i] = byID[a.ID]
	}
	return order
}

// newMembers makes the members of arts, with the stories they already
// belong to (none for an article new to the store).
func newMembers(ctx context.Context, ss knowledge.StoryStore, arts []*knowledge.Article, now time.Time) ([]*member, error) {
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	existing, err := ss.StoriesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	fresh := make([]*member, len(arts))
	for i, a := range arts {
		m := &member{f: Extract(a), date: dateOf(a, now), fresh: true}
		m.StoryMember = knowledge.StoryMember{ArticleID: a.ID, StoryID: existing[a.ID], Title: strings.Join(strings.Fields(a.Title), " "),
			Source: a.Source, URL: a.URL, Published: m.date}
		m.Features = m.f.encode()
		fresh[i] = m
	}
	return fresh, nil
}

// newState is an empty state.
func newState() *state {
	return &state{clusters: map[string]*cluster{}, byKey: map[string][]*member{}, df: map[string]int{}}
}

// membersAround reads the stored members dated within Window of the
// earliest and the latest of xs.
func membersAround[T any](ctx context.Context, ss knowledge.StoryStore, xs []T, date func(T) time.Time) ([]knowledge.StoryMember, error) {
	var lo, hi time.Time
	for _, x := range xs {
		d := date(x)
		if lo.IsZero() || d.Before(lo) {
			lo = d
		}
		if d.After(hi) {
			hi = d
		}
	}
	return ss.StoryMembersBetween(ctx, lo.Add(-Window), hi.Add(Window))
}

// loadAround reads the stored members dated within Window of the fresh
// ones into a state (the stored versions of fresh members left out), and
// counts the fresh members' features too.
func loadAround(ctx context.Context, ss knowledge.StoryStore, fresh []*member) (*state, error) {
	stored, err := membersAround(ctx, ss, fresh, func(m *member) time.Time { return m.date })
	if err != nil {
		return nil, err
	}
	s := newState()
	inBatch := idSet(fresh)
	for _, sm := range stored {
		if inBatch[sm.ArticleID] {
			continue // replaced by its new version
		}
		m := &member{StoryMember: sm, f: decode(sm.Features), date: sm.Published}
		s.count(m.f)
		s.cluster(m.StoryID).add(m)
		s.index(m)
	}
	for _, m := range fresh {
		s.count(m.f)
	}
	return s, nil
}

func idSet(ms []*member) map[string]bool {
	out := make(map[string]bool, len(ms))
	for _, m := range ms {
		out[m.ArticleID] = true
	}
	return out
}

// place puts each fresh member into its story — the one it has, else the
// best match, else one of its own — oldest first, so that a story grows
// forward in time as it did; it returns the ids of the stories placed
// into, sorted.
func (s *state) place(fresh []*member) []string {
	sorted := append([]*member(nil), fresh...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].date.Before(sorted[j].date) })
	touched := map[string]bool{}
	for _, m := range sorted {
		if m.StoryID == "" {
			m.StoryID = s.best(m)
		}
		if m.StoryID == "" {
			m.StoryID = m.ArticleID
		}
		s.cluster(m.StoryID).add(m)
		s.index(m)
		touched[m.StoryID] = true
	}
	out := make([]string, 0, len(touched))
	for id := range touched {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// summariseWhole makes the story rows of storyIDs from all their members,
// not only those of the window: the stored ones (all), with fresh members
// in place of their stored versions. A story without members is skipped.
func (s *state) summariseWhole(storyIDs []string, all []knowledge.StoryMember, fresh []*member) []knowledge.Story {
	whole := map[string]map[string]*member{}
	for _, id := range storyIDs {
		whole[id] = map[string]*member{}
	}
	inBatch := idSet(fresh)
	for _, sm := range all {
		if inBatch[sm.ArticleID] || whole[sm.StoryID] == nil {
			continue
		}
		whole[sm.StoryID][sm.ArticleID] = &member{StoryMember: sm, f: decode(sm.Features), date: sm.Published}
	}
	for _, m := range fresh {
		whole[m.StoryID][m.ArticleID] = m
	}
	var stories []knowledge.Story
	for _, id := range storyIDs {
		if len(whole[id]) == 0 {
			continue
		}
		ms := make([]*member, 0, len(whole[id]))
		for _, m := range whole[id] {
			ms = append(ms, m)
		}
		stories = append(stories, s.summarise(id, ms))
	}
	return stories
}

// Refresh recomputes the titles, outlets and dates of the given stories
// from the members they have left (after a deletion: knowledge/index
// calls it); a story left without members is not written (the engine
// dropped it with its last article).
func Refresh(ctx context.Context, st knowledge.Store, storyIDs []string) error {
	ss, ok := st.(knowledge.StoryStore)
	if !ok || len(storyIDs) == 0 {
		return nil
	}
	storyIDs = append([]string(nil), storyIDs...)
	sort.Strings(storyIDs)
	storyIDs = slices.Compact(storyIDs)
	left, err := ss.StoryMembersOf(ctx, storyIDs)
	if err != nil {
		return fmt.Errorf("refresh stories: %w", err)
	}
	if len(left) == 0 {
		return nil
	}
	// The document frequencies are those of the days around the stories,
	// as when Assign chose their titles.
	around, err := membersAround(ctx, ss, left, func(m knowledge.StoryMember) time.Time { return m.Published })
	if err != nil {
		return fmt.Errorf("refresh stories: %w", err)
	}
	s := newState()
	for _, sm := range around {
		s.count(decode(sm.Features))
	}
	if err := ss.PutStories(ctx, s.summariseWhole(storyIDs, left, nil), nil); err != nil {
		return fmt.Errorf("refresh stories: %w", err)
	}
	return nil
}

func (s *state) cluster(id string) *cluster {
	c := s.clusters[id]
	if c == nil {
		c = &cluster{id: id}
		s.clusters[id] = c
	}
	return c
}

// best returns the story m belongs with, or "".
func (s *state) best(m *member) string {
	cands := map[*member]bool{}
	for _, k := range keys(m.f) {
		if !s.distinctive(k) {
			continue
		}
		for _, o := range s.byKey[k] {
			cands[o] = true
		}
	}
	bestID, bestScore := "", 0.0
	for o := range cands {
		if d := m.date.Sub(o.date); d > Window || d < -Window {
			continue
		}
		c := s.clusters[o.StoryID]
		if c == nil || m.date.Before(c.first.Add(-Window)) || m.date.After(c.last.Add(Window)) {
			continue
		}
		ok, score := s.similar(m.f, o.f)
		if ok && (score > bestScore || score == bestScore && o.StoryID < bestID) {
			bestID, bestScore = o.StoryID, score
		}
	}
	return bestID
}

// summarise makes the story row of id from its members: the title of the
// member closest to the others (the earliest among equals), outlets by how
// many articles they wrote, the dates.
func (s *state) summarise(id string, ms []*member) knowledge.Story {
	sort.Slice(ms, func(i, j int) bool {
		if !ms[i].date.Equal(ms[j].date) {
			return ms[i].date.Before(ms[j].date)
		}
		return ms[i].ArticleID < ms[j].ArticleID
	})
	st := knowledge.Story{ID: id, Articles: len(ms)}
	lead, leadScore := 0, -1.0
	consider := ms
	if len(consider) > 60 {
		consider = consider[len(consider)-60:] // the newest: enough to choose from
	}
	for i, a := range consider {
		if a.Title == "" {
			continue
		}
		score := 0.0
		for j, b := range consider {
			if i != j {
				_, c := s.similar(a.f, b.f)
				score += c
			}
		}
		if score > leadScore {
			lead, leadScore = i, score
		}
	}
	if len(consider) > 0 {
		st.Title = consider[lead].Title
	}
	count := map[string]int{}
	for _, m := range ms {
		if m.Source != "" {
			count[m.Source]++
		}
		if st.First.IsZero() || m.date.Before(st.First) {
			st.First = m.date
		}
		if m.date.After(st.Last) {
			st.Last = m.date
		}
	}
	leadSrc := ""
	if len(consider) > 0 {
		leadSrc = consider[lead].Source
	}
	for src := range count {
		st.Sources = append(st.Sources, src)
	}
	sort.Slice(st.Sources, func(i, j int) bool {
		a, b := st.Sources[i], st.Sources[j]
		if (a == leadSrc) != (b == leadSrc) {
			return a == leadSrc
		}
		if count[a] != count[b] {
			return count[a] > count[b]
		}
		return a < b
	})
	return st
}
