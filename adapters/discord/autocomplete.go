package discord

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/bot"
)

// Autocompletion of /news latest topic: Discord sends an
// APPLICATION_COMMAND_AUTOCOMPLETE interaction as the user types, and the
// response (type 8) lists up to 25 choices: the titles of recent headlines
// that contain every word typed so far, then, when those are fewer, the
// headlines the bot finds about the words. Picking one fills the topic in;
// the user may also send what they typed.

const (
	// maxChoices and maxChoiceName are Discord's limits: 25 choices, names
	// (and string values) of 1 to 100 characters.
	maxChoices    = 25
	maxChoiceName = 100
	// recentCount is how many of the newest headlines are matched against
	// what the user types; recentTTL is how long they are kept (the
	// interaction comes at every keystroke).
	recentCount = 100
	recentTTL   = time.Minute
)

// recentHeadlines caches the newest headlines for autocompletion.
type recentHeadlines struct {
	mu  sync.Mutex
	at  time.Time
	hs  []bot.Headline
	set bool
}

// autocomplete answers an autocompletion: choices for /news latest topic,
// none for anything else.
func (a *Adapter) autocomplete(ctx context.Context, data discordgo.ApplicationCommandInteractionData) *discordgo.InteractionResponse {
	resp := &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
	}
	if data.Name != "news" || len(data.Options) == 0 || data.Options[0] == nil || data.Options[0].Name != "latest" {
		return resp
	}
	typed := ""
	for _, o := range data.Options[0].Options {
		if o != nil && o.Focused && o.Name == "topic" {
			typed, _ = o.Value.(string)
		}
	}
	resp.Data.Choices = a.topicChoices(ctx, typed)
	return resp
}

// topicChoices are the choices offered for a topic beginning with typed.
func (a *Adapter) topicChoices(ctx context.Context, typed string) []*discordgo.ApplicationCommandOptionChoice {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	seen := map[string]bool{}
	add := func(hs []bot.Headline, match func(string) bool) {
		for _, h := range hs {
			if len(choices) == maxChoices {
				return
			}
			name := choiceName(h.Title)
			if name == "" || seen[strings.ToLower(name)] || !match(name) {
				continue
			}
			seen[strings.ToLower(name)] = true
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: name})
		}
	}
	words := strings.Fields(strings.ToLower(typed))
	add(a.recent(ctx), func(title string) bool {
		t := strings.ToLower(title)
		for _, w := range words {
			if !strings.Contains(t, w) {
				return false
			}
		}
		return true
	})
	if len(choices) < maxChoices && len([]rune(strings.Join(words, " "))) >= 3 {
		hs, err := a.bot.Latest(ctx, strings.Join(words, " "), maxChoices)
		if err != nil {
			a.log.Debug("autocomplete search failed", "err", err)
		}
		add(hs, func(string) bool { return true })
	}
	return choices
}

// recent returns the newest headlines, read at most once per recentTTL.
// Errors leave the list empty (autocompletion is best effort) and are
// logged.
func (a *Adapter) recent(ctx context.Context) []bot.Headline {
	r := &a.recentHeads
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set && a.now().Sub(r.at) < recentTTL {
		return r.hs
	}
	hs, err := a.bot.Latest(ctx, "", recentCount)
	if err != nil {
		a.log.Warn("autocomplete: latest headlines failed", "err", safeErr(err))
		return nil
	}
	r.hs, r.at, r.set = hs, a.now(), true
	return hs
}

// choiceName is a headline title as a choice: one line without control or
// bidi characters, cut at a word to Discord's 100 characters; "" when
// nothing is left.
func choiceName(title string) string {
	title = strings.Join(strings.Fields(title), " ")
	if len(title) > 4*maxChoiceName {
		title = truncate(title, 2*maxChoiceName)
	}
	clean, err := bot.CleanQuestion(title)
	if err != nil {
		return ""
	}
	return truncate(clean, maxChoiceName)
}
