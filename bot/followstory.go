package bot

import (
	"context"

	"github.com/newsbot/newsbot/knowledge"
)

// Follow-ups stay in the story: after a question about a story, a
// follow-up ("and who is to blame?") is answered from that story's
// articles first, and from the whole store only when they do not answer
// it.

// storyDepth marks a retrieval made to find the story of an earlier turn,
// which looks for no story of its own.
type storyDepth struct{}

// storySearchFactor is how many more passages a follow-up searches for,
// to find its story's among them.
const storySearchFactor = 5

// previousStory returns the ids of the articles of the story the turn
// before q was answered from, for a follow-up; nil for other questions,
// or when the store keeps no stories or that answer's article has none.
func (b *Bot) previousStory(ctx context.Context, q Question, k int) (map[string]bool, error) {
	ss, ok := b.Library.(knowledge.StoryStore)
	if !ok || len(q.History) == 0 || !isFollowUp(q.Text) || ctx.Value(storyDepth{}) != nil {
		return nil, nil
	}
	prev := Question{Text: q.History[len(q.History)-1], History: q.History[:len(q.History)-1],
		Sources: q.Sources, Since: q.Since, Until: q.Until, AsOf: q.AsOf}
	var article string
	if subject, ok := timelineQuestion(prev.Text); ok {
		prev.Text = subject
	}
	r, err := b.retrieve(context.WithValue(ctx, storyDepth{}, true), prev, k)
	if err != nil {
		return nil, err
	}
	if len(r.sel) == 0 || r.digest {
		return nil, nil
	}
	article = r.sel[0].passage.ArticleID
	st, err := storyOfArticle(ctx, ss, article)
	if err != nil || st == nil || len(st.Members) < 2 {
		return nil, err
	}
	ids := map[string]bool{}
	for _, m := range st.Members {
		ids[m.ArticleID] = true
	}
	return ids, nil
}

// searchStory searches kq among the articles of inStory: a wider
// search, kept to them, of at most kq.K passages; nil when none is
// found.
func (b *Bot) searchStory(ctx context.Context, kq knowledge.Query, inStory map[string]bool) (*knowledge.Result, error) {
	k := kq.K
	kq.K *= storySearchFactor
	res, err := b.Retriever.Search(ctx, kq)
	if err != nil {
		return nil, err
	}
	kept := *res
	kept.Passages = nil
	for _, p := range res.Passages {
		if inStory[p.ArticleID] && len(kept.Passages) < k {
			kept.Passages = append(kept.Passages, p)
		}
	}
	if len(kept.Passages) == 0 {
		return nil, nil
	}
	return &kept, nil
}
