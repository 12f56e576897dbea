package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
	"github.com/newsbot/newsbot/knowledge/parse"
)

// digestSize is how many articles a digest quotes.
const digestSize = 5

// generalNews are the stems of words that ask for the news in general
// ("what happened yesterday?", "any news today?") rather than about a
// subject.
var generalNews = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"happen", "happened", "happening", "news", "latest", "new", "going", "go", "update",
		"updates", "story", "stories", "headline", "headlines", "top", "big", "biggest", "main", "important",
		"anything", "something", "tell", "know", "hear", "heard", "say", "today's"} {
		for _, t := range analysis.Terms(w, nil) {
			m[t] = true
		}
	}
	return m
}()

// asksForNews reports whether text (a question without its time
// expression) asks for the news in general: it has words, and all of them
// are about news in general ("what happened?", "any news?"), none about a
// subject.
func asksForNews(text string) bool {
	terms := analysis.Terms(text, nil)
	for _, t := range terms {
		if !generalNews[t] {
			return false
		}
	}
	return len(terms) > 0
}

// reHeadlines names the news itself: in a conversation, "what's new?" or
// "any news?" still asks for the headlines, while "what happened?" may be
// about the subject so far.
var reHeadlines = regexp.MustCompile(`(?i)\b(?:new|news|latest|headlines?)\b`)

// asksForHeadlines reports whether text, asked in a conversation, is for
// the news in general rather than a follow-up.
func asksForHeadlines(text string) bool {
	return reHeadlines.MatchString(text) && !followUpCue.MatchString(text)
}

// digest answers a question for the news in general with the headlines of
// the newest articles (of the window, when the question named one), one
// line per story: articles of one story (knowledge/story, when the store
// keeps stories) or with the same headline (wire copies, updates) are one
// line naming the other outlets. Each line cites its article's
// first paragraph.
func (b *Bot) digest(ctx context.Context, q Question, r *retrieval, until time.Time) error {
	lq := knowledge.LatestQuery{Limit: 4 * digestSize, Since: r.window.Since, Until: r.window.Until}
	if !until.IsZero() && (lq.Until.IsZero() || until.Before(lq.Until)) {
		lq.Until = until
	}
	arts, err := b.Library.Latest(ctx, lq)
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	r.res = &knowledge.Result{}
	var storyOf map[string]string
	if ss, ok := b.Library.(knowledge.StoryStore); ok && len(arts) > 0 {
		ids := make([]string, len(arts))
		for i, a := range arts {
			ids[i] = a.ID
		}
		if storyOf, err = ss.StoriesOf(ctx, ids); err != nil {
			return fmt.Errorf("digest: %w", err)
		}
	}
	byTitle := map[string]int{} // headline or story key -> index in r.sel
	for _, a := range arts {
		if len(q.Sources) > 0 && !knowledge.SourceMatches(a.Source, q.Sources) {
			continue
		}
		key := headlineKey(a.Title)
		if st := storyOf[a.ID]; st != "" {
			key = "story " + st
			if i, ok := byTitle[headlineKey(a.Title)]; ok && headlineKey(a.Title) != "" {
				byTitle[key] = i // a copy of a headline already listed
			}
		}
		if i, ok := byTitle[key]; ok && key != "" {
			r.sel[i].also = appendOutlet(r.sel[i].also, r.sel[i].passage.Source, a.Source)
			continue
		}
		if len(r.sel) == digestSize {
			continue // still folding copies into the lines kept
		}
		full, err := b.Library.Article(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("digest: %w", err)
		}
		if len(full.Paragraphs) == 0 {
			continue
		}
		p := knowledge.Passage{ArticleID: full.ID, URL: full.URL, Title: full.Title, Source: full.Source, Byline: full.Byline,
			Published: full.Published, Updated: full.Updated, FirstSeen: full.FirstSeen, Lang: full.Lang, Paragraph: 1, Text: full.Paragraphs[0]}
		headline := strings.Join(strings.Fields(full.Title), " ")
		if headline == "" {
			sents := analysis.Sentences(parse.StripDateline(p.Text))
			if len(sents) == 0 {
				continue
			}
			headline = sents[0]
		}
		if key != "" {
			byTitle[key] = len(r.sel)
			if k := headlineKey(a.Title); k != "" {
				byTitle[k] = len(r.sel)
			}
		}
		r.res.Passages = append(r.res.Passages, p)
		r.sel = append(r.sel, picked{text: clip(headline, maxTitleRunes), passage: p})
	}
	r.digest = true
	return nil
}

// headlineKey is what two copies of one story's headline share: its words,
// lower case; "" for no headline.
func headlineKey(title string) string {
	return strings.Join(analysis.Terms(title, nil), " ")
}

// appendOutlet adds src to also unless it is own or already there.
func appendOutlet(also []string, own, src string) []string {
	if src == "" || strings.EqualFold(src, own) {
		return also
	}
	for _, a := range also {
		if strings.EqualFold(a, src) {
			return also
		}
	}
	return append(also, src)
}
