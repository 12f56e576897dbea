package bot

import (
	"context"
	"fmt"

	"github.com/newsbot/newsbot/knowledge"
)

// StoryNote names the story an answer draws several articles of: "3
// outlets report this".
type StoryNote struct {
	ID      string
	Title   string
	Outlets []string // the story's outlets, the first cited one's first
	// Articles is how many articles the story has; Cited how many of them
	// the answer cites.
	Articles, Cited int
}

// storyNoteData is what storynote.tmpl is rendered with.
type storyNoteData struct {
	Title           string
	Outlets         []string
	Articles, Cited int
}

// noteStory sets ans.Story, and says so at the end of its text, when at
// least two of the articles it cites belong to one story (the story most
// cited, the first cited among equals).
func (b *Bot) noteStory(ctx context.Context, ans *Answer) error {
	ss, ok := b.Library.(knowledge.StoryStore)
	if !ok || len(ans.Citations) < 2 {
		return nil
	}
	var ids []string
	seen := map[string]bool{}
	for _, c := range ans.Citations {
		if !seen[c.ArticleID] {
			seen[c.ArticleID] = true
			ids = append(ids, c.ArticleID)
		}
	}
	if len(ids) < 2 {
		return nil
	}
	of, err := ss.StoriesOf(ctx, ids)
	if err != nil {
		return fmt.Errorf("story note: %w", err)
	}
	cited := map[string]int{}
	best := ""
	for _, id := range ids {
		if st := of[id]; st != "" {
			cited[st]++
			if best == "" || cited[st] > cited[best] {
				best = st
			}
		}
	}
	if best == "" || cited[best] < 2 {
		return nil
	}
	ms, err := ss.StoryMembersOf(ctx, []string{best})
	if err != nil {
		return fmt.Errorf("story note: %w", err)
	}
	if len(ms) < 2 {
		return nil
	}
	h := storyHeadline(best, "", ms)
	note := &StoryNote{ID: best, Title: clip(h.Title, maxTitleRunes), Articles: len(ms), Cited: cited[best]}
	first := ""
	for _, c := range ans.Citations {
		if of[c.ArticleID] == best {
			first = c.Source
			break
		}
	}
	if first != "" {
		note.Outlets = []string{first}
	}
	for _, m := range ms {
		note.Outlets = appendOutlet(note.Outlets, first, m.Source)
	}
	text, err := b.prompts().Render("storynote.tmpl", storyNoteData{note.Title, note.Outlets, note.Articles, note.Cited})
	if err != nil {
		return err
	}
	ans.Story = note
	ans.addNote(text)
	return nil
}
