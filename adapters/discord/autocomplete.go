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
//
// The interaction comes at every keystroke, from every user typing, and
// Discord waits at most three seconds for the response. So the choices for
// what was typed (normalised: lower case, single spaces) are kept for
// choicesTTL in a bounded cache shared by all users, and a user may cause
// at most AutocompleteLimit lookups a minute; over it they get the choices
// already known (the titles of the headlines in memory), never an error.

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
	// choicesTTL and maxCachedTopics bound the cache of choices per typed
	// topic; maxTopicLen is the longest typed text looked up (the option
	// takes 200 characters).
	choicesTTL      = 30 * time.Second
	maxCachedTopics = 1000
	maxTopicLen     = 200
	// defaultAutocompleteLimit is the lookups one user may cause a minute
	// when Config.AutocompleteLimit is zero.
	defaultAutocompleteLimit = 30
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
func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) *discordgo.InteractionResponse {
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
	resp.Data.Choices = a.cachedTopicChoices(ctx, userID(i), typed)
	return resp
}

// normalTopic is typed as the key of its choices: its words in lower case,
// separated by single spaces, cut to maxTopicLen characters.
func normalTopic(typed string) string {
	key := strings.Join(strings.Fields(strings.ToLower(typed)), " ")
	if r := []rune(key); len(r) > maxTopicLen {
		key = strings.TrimSpace(string(r[:maxTopicLen]))
	}
	return key
}

// cachedTopicChoices are the choices for typed: from the cache when they
// were looked up less than choicesTTL ago, else looked up when user is
// within the autocompletion limit, else the titles of the headlines in
// memory that match (none when there are none), without reading the store.
func (a *Adapter) cachedTopicChoices(ctx context.Context, user, typed string) []*discordgo.ApplicationCommandOptionChoice {
	key := normalTopic(typed)
	if c, ok := a.topics.get(key); ok {
		return c
	}
	if ok, _ := a.acLimiter.Allow(user); !ok {
		a.log.Debug("autocomplete: over the limit, no lookup", "user", user)
		choices, _ := topicChoices(key, a.recentInMemory(), nil)
		return choices
	}
	choices, complete := topicChoices(key, a.recent(ctx), func(q string) ([]bot.Headline, error) {
		return a.bot.Latest(ctx, q, maxChoices)
	})
	if complete {
		a.topics.put(key, choices)
	}
	return choices
}

// topicChoices are the choices offered for a topic beginning with key (a
// normalTopic): the titles of recent that contain every word of key, then,
// when those are fewer than Discord shows and key has three characters or
// more, the headlines search finds (search nil: none). complete is false
// when the search failed (the choices are then not worth keeping).
func topicChoices(key string, recent []bot.Headline, search func(string) ([]bot.Headline, error)) (choices []*discordgo.ApplicationCommandOptionChoice, complete bool) {
	choices = []*discordgo.ApplicationCommandOptionChoice{}
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
	words := strings.Fields(key)
	add(recent, func(title string) bool {
		t := strings.ToLower(title)
		for _, w := range words {
			if !strings.Contains(t, w) {
				return false
			}
		}
		return true
	})
	complete = true
	if search != nil && len(choices) < maxChoices && len([]rune(key)) >= 3 {
		hs, err := search(key)
		if err != nil {
			complete = false
		}
		add(hs, func(string) bool { return true })
	}
	return choices, complete
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

// recentInMemory returns the newest headlines last read, however old,
// without reading them again.
func (a *Adapter) recentInMemory() []bot.Headline {
	r := &a.recentHeads
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hs
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
