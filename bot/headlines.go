package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
)

// Headline is one story in a list of the latest news: its title, and its
// newest article's outlet, link and date. A store that keeps no stories
// gives one headline per article.
type Headline struct {
	// StoryID is the story's id; "" when the store keeps no stories.
	StoryID   string
	ArticleID string // the newest article's
	Title     string
	Source    string // the newest article's outlet
	URL       string
	Published time.Time // the newest article's date; zero when unknown
	// FirstSeen is when the newest article was first stored; Date is its
	// publication date in the language of the topic asked about (English
	// without one), or for an undated article the undated form ("date
	// unknown, first seen 2 Dec 2026"). Adapters show Date.
	FirstSeen time.Time
	Date      string
	// Also names the story's other outlets ("also: Reuters, BBC").
	Also []string
	// Articles are the story's articles, newest first (the headline's own
	// article alone when there is no story).
	Articles []HeadlineArticle
}

// HeadlineArticle is one article of a headline's story.
type HeadlineArticle struct {
	ID, Title, Source, URL string
	Published              time.Time
}

// Latest returns up to n of the newest stories; with a topic, the newest
// stories of the articles that match it well.
func (b *Bot) Latest(ctx context.Context, topic string, n int) ([]Headline, error) {
	if n <= 0 {
		n = 10
	}
	topic = strings.TrimSpace(topic)
	ss, stories := b.Library.(knowledge.StoryStore)
	if topic == "" {
		if b.Library == nil {
			return nil, nil
		}
		if stories {
			sts, err := ss.Stories(ctx, knowledge.LatestQuery{Limit: n})
			if err != nil {
				return nil, fmt.Errorf("latest: %w", err)
			}
			if len(sts) > 0 {
				out := make([]Headline, 0, len(sts))
				for _, st := range sts {
					out = append(out, storyHeadline(st.ID, st.Title, st.Members))
				}
				return b.dateHeadlines(ctx, topic, out), nil
			}
		}
		arts, err := b.Library.Latest(ctx, knowledge.LatestQuery{Limit: n})
		if err != nil {
			return nil, fmt.Errorf("latest: %w", err)
		}
		out := make([]Headline, len(arts))
		for i, a := range arts {
			out[i] = articleHeadline(a.ID, a.Title, a.Source, a.URL, a.Published)
			out[i].FirstSeen = a.FirstSeen
		}
		return b.dateHeadlines(ctx, topic, out), nil
	}
	res, err := b.Retriever.Search(ctx, knowledge.Query{Text: topic, K: 10 * n})
	if err != nil {
		return nil, fmt.Errorf("latest %q: %w", topic, err)
	}
	seen := map[string]bool{}
	var out []Headline
	for _, p := range res.Passages {
		if seen[p.ArticleID] || !relevant(p, res.Terms) {
			continue
		}
		seen[p.ArticleID] = true
		h := articleHeadline(p.ArticleID, p.Title, p.Source, p.URL, p.Published)
		h.FirstSeen = p.FirstSeen
		out = append(out, h)
	}
	if stories && len(out) > 0 {
		if out, err = byStory(ctx, ss, out); err != nil {
			return nil, fmt.Errorf("latest %q: %w", topic, err)
		}
	}
	sortHeadlines(out)
	if len(out) > n {
		out = out[:n]
	}
	return b.dateHeadlines(ctx, topic, out), nil
}

// dateHeadlines sets each headline's Date in the topic's language. A
// story's members carry the day it was grouped by (the first-seen day of
// an undated article), so the newest article of a story headline is read
// to tell whether it has a publication date.
func (b *Bot) dateHeadlines(ctx context.Context, topic string, hs []Headline) []Headline {
	set := b.prompts().Lang(questionLang(topic))
	for i := range hs {
		h := &hs[i]
		if h.StoryID != "" && h.FirstSeen.IsZero() && b.Library != nil {
			if a, err := b.Library.Article(ctx, h.ArticleID); err == nil && a != nil {
				h.Published, h.FirstSeen = a.Published, a.FirstSeen
			}
		}
		h.Date = citationDate(set, Citation{Published: h.Published, FirstSeen: h.FirstSeen}, b.location())
	}
	return hs
}

func articleHeadline(id, title, source, url string, published time.Time) Headline {
	url = knowledge.DisplayURL(url)
	return Headline{ArticleID: id, Title: title, Source: source, URL: url, Published: published,
		Articles: []HeadlineArticle{{ID: id, Title: title, Source: source, URL: url, Published: published}}}
}

// storyHeadline is the headline of a story of the given members, newest
// first.
func storyHeadline(id, title string, ms []knowledge.StoryMember) Headline {
	h := Headline{StoryID: id, Title: title}
	for _, m := range ms {
		h.Articles = append(h.Articles, HeadlineArticle{ID: m.ArticleID, Title: m.Title, Source: m.Source, URL: knowledge.DisplayURL(m.URL), Published: m.Published})
	}
	sort.SliceStable(h.Articles, func(i, j int) bool { return h.Articles[i].Published.After(h.Articles[j].Published) })
	if len(h.Articles) > 0 {
		a := h.Articles[0]
		// The line is one article's: its headline, outlet, date and link
		// (the stored story title may be an older member's).
		h.ArticleID, h.Source, h.URL, h.Published = a.ID, a.Source, a.URL, a.Published
		if a.Title != "" {
			h.Title = a.Title
		}
	}
	for _, a := range h.Articles[min(1, len(h.Articles)):] {
		h.Also = appendOutlet(h.Also, h.Source, a.Source)
	}
	return h
}

// byStory folds headlines of one story into one, with all its articles, in the order of each story's first headline.
func byStory(ctx context.Context, ss knowledge.StoryStore, hs []Headline) ([]Headline, error) {
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.ArticleID
	}
	of, err := ss.StoriesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	var storyIDs []string
	seen := map[string]bool{}
	for _, id := range ids {
		if st := of[id]; st != "" && !seen[st] {
			seen[st] = true
			storyIDs = append(storyIDs, st)
		}
	}
	ms, err := ss.StoryMembersOf(ctx, storyIDs)
	if err != nil {
		return nil, err
	}
	members := map[string][]knowledge.StoryMember{}
	for _, m := range ms {
		members[m.StoryID] = append(members[m.StoryID], m)
	}
	var out []Headline
	done := map[string]bool{}
	for _, h := range hs {
		st := of[h.ArticleID]
		switch {
		case st == "" || len(members[st]) == 0:
			out = append(out, h)
		case !done[st]:
			done[st] = true
			out = append(out, storyHeadline(st, "", members[st])) // titled by its newest article
		}
	}
	return out, nil
}
