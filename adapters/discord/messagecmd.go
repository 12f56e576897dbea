package discord

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/bot"
)

// The message command ("Ask newsbot" in a message's Apps menu) answers
// about the claim or question in someone's message. The message's content
// arrives with the interaction (data.resolved.messages[data.target_id]),
// whatever the bot's intents, and the answer goes through the interaction's
// webhook: it works where the bot is not in the server, once a user has
// installed it.

// targetMessage is the message a message command was used on, or nil.
func targetMessage(data discordgo.ApplicationCommandInteractionData) *discordgo.Message {
	if data.Resolved == nil || data.TargetID == "" {
		return nil
	}
	return data.Resolved.Messages[data.TargetID]
}

// chatNoise matches what a chat message holds that is not part of its claim
// or question and only confuses a search of the news: mentions of users,
// roles and channels, @everyone and @here, custom emoji, timestamps, links
// (bare or in <...>), and markdown's markers.
var chatNoise = regexp.MustCompile(`(?m)<@[!&]?[0-9]+>|<#[0-9]+>|<a?:[A-Za-z0-9_~]+:[0-9]+>|<t:-?[0-9]+(?::[A-Za-z])?>|@(?:everyone|here)\b|<?https?://[^\s<>]+>?|\*\*|__|~~|\|\||` + "`+" + `|^>+ `)

// messageQuestion is what to ask the bot about m: the claim or question in
// its text, without mentions, links, custom emoji or markdown (a message
// that is only a link, or only an embed, gives its first embed's title and
// description: the article a shared link previews), whitespace collapsed,
// cut at a word to bot.MaxQuestionRunes. It is "" when m has no text.
func messageQuestion(m *discordgo.Message) string {
	if m == nil {
		return ""
	}
	text := words(chatNoise.ReplaceAllString(m.Content, " "))
	if text == "" {
		for _, e := range m.Embeds {
			if e != nil && words(e.Title+" "+e.Description) != "" {
				text = words(chatNoise.ReplaceAllString(e.Title+"\n"+e.Description, " "))
				break
			}
		}
	}
	if utf8.RuneCountInString(text) <= bot.MaxQuestionRunes {
		return text
	}
	cut, n := text, 0
	for i := range text {
		if n == bot.MaxQuestionRunes {
			cut = text[:i]
			break
		}
		n++
	}
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut
}

// words is s with its whitespace collapsed to single spaces.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// messageExcerpt is the text of m to quote above the answer: its content
// with user mentions as @names, else its first embed's title.
func messageExcerpt(m *discordgo.Message) string {
	if text := words(m.ContentWithMentionsReplaced()); text != "" {
		return text
	}
	for _, e := range m.Embeds {
		if e != nil && words(e.Title) != "" {
			return words(e.Title)
		}
	}
	return words(messageQuestion(m))
}

// excerptURL matches the links left out of an excerpt.
var excerptURL = regexp.MustCompile(`<?https?://[^\s<>()]+>?`)

// maxExcerpt bounds the excerpt of the message quoted above the answer.
const maxExcerpt = 100

// aboutHead is the line above a message command's answer: a link to the
// message and the beginning of its text, e.g.
//
//	About [this message](<https://discord.com/channels/1/2/3>): “Putin met…”
//
// The excerpt is the text of a stranger: mentions neutralised, markdown
// escaped, links left out. The link is wrapped in <...> so that it never
// shows a preview, whatever the message's flags.
func aboutHead(i *discordgo.Interaction, m *discordgo.Message) string {
	excerpt := excerptURL.ReplaceAllString(messageExcerpt(m), "(link)")
	excerpt = escapeMarkdown(neutralise(truncate(excerpt, maxExcerpt)))
	about := "this message"
	if u := jumpURL(i, m); u != "" {
		about = "[this message](<" + u + ">)"
	}
	return "About " + about + ": “" + excerpt + "”"
}

// jumpURL is the link to m, or "" when its ids are not snowflakes.
func jumpURL(i *discordgo.Interaction, m *discordgo.Message) string {
	guild, channel := i.GuildID, m.ChannelID
	if channel == "" {
		channel = i.ChannelID
	}
	if guild == "" {
		guild = "@me"
	} else if !snowflake(guild) {
		return ""
	}
	if !snowflake(channel) || !snowflake(m.ID) {
		return ""
	}
	return "https://discord.com/channels/" + guild + "/" + channel + "/" + m.ID
}

func snowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
