package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
)

// Timelines: "timeline of X", "how did X unfold", "what has happened with X
// since …" are answered with the steps of X's story (knowledge/story) in
// date order, one dated, cited sentence per day: the lead sentence of that
// day's articles that says most that the steps before it did not.

// reTimeline reads a question asking for a story's course; the first
// non-empty group is its subject.
var reTimeline = regexp.MustCompile(`(?i)^\s*(?:(?:please\s+)?(?:give\s+me\s+|show\s+me\s+|what\s+is\s+|what's\s+)?(?:an?\s+|the\s+)?(?:timeline|chronology|sequence\s+of\s+events)\s+(?:of|for|on)\s+(.+?)` +
	`|how\s+(?:did|has|have)\s+(.+?)\s+(?:unfold(?:ed)?|develop(?:ed)?|evolved?|play(?:ed)?\s+out|progress(?:ed)?)(?:\s+so\s+far)?` +
	`|what\s+(?:has|have)\s+happened\s+(?:with|to|in|on)\s+(.+?))\s*[?.!]*\s*$`)

// reDateline is a lead's dateline: "FORESTHILL, Calif. (AP) — ",
// "ROTTERDAM (Reuters) - ", "ST. MARKS, Fla. – ".
var reDateline = regexp.MustCompile(`^\s*\p{Lu}[\p{Lu} .'-]{2,}(?:,\s*[\p{L}. ]{2,30})?\s*(?:\([\p{L} ]{2,20}\)\s*)?[—–-]+\s*`)

// reEditorsNote is a lead that is about the page, not the news: "Editor's
// note: This page is a summary of news about Helene for Friday".
var reEditorsNote = regexp.MustCompile(`(?i)^\W*(?:editor['’]?s\s+note|this\s+(?:page|story|article)\s+(?:is|was|has been)\b)`)

// timelineSteps bounds how many steps a timeline lists (the newest are
// kept).
const timelineSteps = 10

// timelineQuestion returns the subject of a question asking for a
// timeline, with its "since …" kept for the window; ok is false for other
// questions.
func timelineQuestion(text string) (subject string, ok bool) {
	m := reTimeline.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	for _, g := range m[1:] {
		if g = strings.TrimSpace(g); g != "" {
			subject = g
			break
		}
	}
	return subject, len(analysis.Terms(subject, nil)) > 0
}

// timelineData is what timeline.tmpl is rendered with.
type timelineData struct {
	Question    string
	Subject     string // the question's words for the story: "the Alder Creek fire"
	Title       string
	Outlets     []string
	First, Last time.Time
	Since       string // the window the question named ("since 4 Jun"), if any
	Steps       []timelineStep
}

type timelineStep struct {
	Day    time.Time
	Source string
	Text   string
	N      int
}

// timelineAnswer answers a timeline question from the story of the
// article that best matches its subject; nil when the question asks for
// no timeline, the store keeps no stories or nothing matches (the
// question is then answered as any other).
func (b *Bot) timelineAnswer(ctx context.Context, q Question) (*Answer, error) {
	subject, ok := timelineQuestion(q.Text)
	ss, stories := b.Library.(knowledge.StoryStore)
	if !ok || !stories {
		return nil, nil
	}
	now := q.AsOf
	if now.IsZero() {
		now = b.now()
	}
	now = now.In(b.location())
	var window Window
	if w, rest, ok := ParseWindow(subject, now); ok {
		window, subject = w, strings.Join(strings.Fields(rest), " ")
	}
	st, err := b.storyFor(ctx, ss, Question{Text: subject, Sources: q.Sources, AsOf: q.AsOf})
	if err != nil || st == nil {
		return nil, err
	}
	steps, cites, err := b.timelineSteps(ctx, st.Members, window, q.AsOf)
	if err != nil || len(steps) == 0 {
		return nil, err
	}
	data := timelineData{Question: q.Text, Subject: clip(subject, maxTitleRunes), Title: clip(st.Title, maxTitleRunes), Outlets: st.Sources, First: steps[0].Day, Last: steps[len(steps)-1].Day, Since: window.Label(), Steps: steps}
	text, err := b.prompts().Render("timeline.tmpl", data)
	if err != nil {
		return nil, err
	}
	return &Answer{Question: q.Text, Text: strings.TrimSpace(text), Found: true, Mode: ModeTemplate, Citations: cites}, nil
}

// storyFor returns the story, with its members, of the best-ranked
// passage relevant to q; nil when none is relevant or its article belongs
// to no story.
func (b *Bot) storyFor(ctx context.Context, ss knowledge.StoryStore, q Question) (*knowledge.Story, error) {
	kq := knowledge.Query{Text: q.Text, K: b.passages(), Sources: q.Sources}
	if !q.AsOf.IsZero() {
		kq.AsOf, kq.Until = q.AsOf, day(q.AsOf.In(b.location())).AddDate(0, 0, 1)
	}
	res, err := b.Retriever.Search(ctx, kq)
	if err != nil {
		return nil, fmt.Errorf("story for %q: %w", q.Text, err)
	}
	for _, p := range res.Passages {
		if !relevant(p, res.Terms) {
			continue
		}
		return storyOfArticle(ctx, ss, p.ArticleID)
	}
	return nil, nil
}

// storyOfArticle returns the story of an article with its members; nil
// when it has none.
func storyOfArticle(ctx context.Context, ss knowledge.StoryStore, articleID string) (*knowledge.Story, error) {
	of, err := ss.StoriesOf(ctx, []string{articleID})
	if err != nil || of[articleID] == "" {
		return nil, err
	}
	id := of[articleID]
	ms, err := ss.StoryMembersOf(ctx, []string{id})
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	// Titled by its oldest article: what the story started as.
	oldest := ms[0]
	for _, m := range ms {
		if m.Published.Before(oldest.Published) {
			oldest = m
		}
	}
	st := &knowledge.Story{ID: id, Title: oldest.Title, Members: ms, Articles: len(ms)}
	if oldest.Source != "" {
		st.Sources = []string{oldest.Source}
	}
	for _, m := range ms {
		st.Sources = appendOutlet(st.Sources, oldest.Source, m.Source)
	}
	return st, nil
}

// timelineSteps turns a story's members into one step per day, oldest
// first: of the lead sentences of that day's articles, the one sharing
// least with the steps before it (what was new that day), the earliest
// article's among equals. Members outside w (when set) or published after
// asOf's day are left out.
func (b *Bot) timelineSteps(ctx context.Context, ms []knowledge.StoryMember, w Window, asOf time.Time) ([]timelineStep, []Citation, error) {
	loc := b.location()
	ms = append([]knowledge.StoryMember(nil), ms...)
	sort.SliceStable(ms, func(i, j int) bool {
		if !ms[i].Published.Equal(ms[j].Published) {
			return ms[i].Published.Before(ms[j].Published)
		}
		return ms[i].ArticleID < ms[j].ArticleID
	})
	type cand struct {
		art  *knowledge.Article
		para int // 1-based
		text string
	}
	var days []time.Time
	byDay := map[time.Time][]cand{}
	for _, m := range ms {
		if m.Published.IsZero() {
			continue
		}
		d := day(m.Published.In(loc))
		if !w.IsZero() && (d.Before(w.Since) || !w.Until.IsZero() && !d.Before(w.Until)) {
			continue
		}
		if !asOf.IsZero() && d.After(day(asOf.In(loc))) {
			continue
		}
		a, err := b.Library.Article(ctx, m.ArticleID)
		if errors.Is(err, knowledge.ErrNotFound) || err == nil && a == nil {
			continue // deleted since it joined the story
		}
		if err != nil {
			return nil, nil, fmt.Errorf("timeline: %w", err)
		}
		if _, ok := byDay[d]; !ok {
			days = append(days, d)
		}
		// Its lead: the first sentence of its first paragraph long enough,
		// without the dateline.
		for i, p := range a.Paragraphs[:min(3, len(a.Paragraphs))] {
			lead := ""
			for _, s := range analysis.Sentences(reDateline.ReplaceAllString(p, "")) {
				if reEditorsNote.MatchString(s) {
					break // a note about the page: the next paragraph
				}
				if len(strings.Fields(s)) >= 6 {
					lead = strings.TrimSpace(s)
					break
				}
			}
			if lead != "" {
				byDay[d] = append(byDay[d], cand{a, i + 1, lead})
				break
			}
		}
	}
	if len(days) > timelineSteps {
		days = days[len(days)-timelineSteps:]
	}
	var steps []timelineStep
	var cites []Citation
	said := map[string]bool{} // the terms of the steps so far
	for _, d := range days {
		cs := byDay[d]
		if len(cs) == 0 {
			continue
		}
		best, bestScore := -1, 0.0
		for i, c := range cs {
			ts := termSet(c.text)
			if len(ts) == 0 {
				continue
			}
			old := 0
			for t := range ts {
				if said[t] {
					old++
				}
			}
			// The share of its words not said before.
			score := float64(len(ts)-old) / float64(len(ts))
			if best < 0 || score > bestScore {
				best, bestScore = i, score
			}
		}
		if best < 0 {
			continue
		}
		c := cs[best]
		for t := range termSet(c.text) {
			said[t] = true
		}
		n := len(cites) + 1
		p := knowledge.Passage{ArticleID: c.art.ID, URL: c.art.URL, Title: c.art.Title, Source: c.art.Source, Byline: c.art.Byline,
			Published: c.art.Published, Updated: c.art.Updated, FirstSeen: c.art.FirstSeen, Lang: c.art.Lang, Paragraph: c.para, Text: c.art.Paragraphs[c.para-1]}
		cites = append(cites, citationFor(n, p, c.text))
		steps = append(steps, timelineStep{Day: d, Source: c.art.Source, Text: c.text, N: n})
	}
	return steps, cites, nil
}
