package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/bot"
)

func TestMessageQuestion(t *testing.T) {
	alice := &discordgo.User{ID: "300000000000000001", Username: "alice"}
	tests := []struct {
		name string
		m    *discordgo.Message
		want string
	}{
		{"nil", nil, ""},
		{"plain", &discordgo.Message{Content: "Did Witkoff meet Putin?"}, "Did Witkoff meet Putin?"},
		{"chat noise", &discordgo.Message{Content: "<@300000000000000001> <@!1> <@&2> in <#3>: **Witkoff** met ~~Lavrov~~ ||Putin|| `today` <:pepe:123> <a:wave:456> <t:1744800000:R> @everyone @here https://x.example/a <https://y.example/b>",
			Mentions: []*discordgo.User{alice}}, "in : Witkoff met Lavrov Putin today"},
		{"quote", &discordgo.Message{Content: "> Putin met Witkoff\n>> in Riyadh"}, "Putin met Witkoff in Riyadh"},
		{"only a link: its preview", &discordgo.Message{Content: "https://apnews.example/a", Embeds: []*discordgo.MessageEmbed{
			{Type: discordgo.EmbedTypeLink, Title: "Top Trump officials will hold talks", Description: "Rubio and Witkoff <@1> go to Paris."}}}, "Top Trump officials will hold talks Rubio and Witkoff go to Paris."},
		{"nothing", &discordgo.Message{Content: "<@1> https://x.example", Embeds: []*discordgo.MessageEmbed{{Type: discordgo.EmbedTypeImage}}}, ""},
	}
	for _, tt := range tests {
		if got := messageQuestion(tt.m); got != tt.want {
			t.Errorf("%s: messageQuestion = %q, want %q", tt.name, got, tt.want)
		}
	}
	long := &discordgo.Message{Content: strings.Repeat("négociations ", 200)}
	got := messageQuestion(long)
	if q, err := bot.CleanQuestion(got); err != nil || q != got || !strings.HasSuffix(got, "négociations") {
		t.Errorf("a long message gives %d runes (%v), want at most %d ending with a whole word", len([]rune(got)), err, bot.MaxQuestionRunes)
	}
}

func TestAboutHead(t *testing.T) {
	i := &discordgo.Interaction{GuildID: "1", ChannelID: "2"}
	m := &discordgo.Message{ID: "3", Content: "@everyone [click](https://evil.example) <@4> *says* " + strings.Repeat("so much ", 20),
		Mentions: []*discordgo.User{{ID: "4", Username: "here"}}}
	got := aboutHead(i, m)
	want := "About [this message](<https://discord.com/channels/1/2/3>): “@\u2009everyone \\[click\\]((link)) @\u2009here \\*says\\* " + strings.Repeat("so much ", 7) + "so…”"
	if got != want {
		t.Errorf("aboutHead = %q, want %q", got, want)
	}
	if notifies(got) {
		t.Errorf("%q can ping", got)
	}
	// Ids that are not snowflakes make no link.
	if got := aboutHead(&discordgo.Interaction{ChannelID: "2)[x](https://evil"}, &discordgo.Message{ID: "3", Content: "hi"}); got != "About this message: “hi”" {
		t.Errorf("aboutHead with a bad id = %q", got)
	}
}

func TestContentChunksWrapLinksBesideEmbeds(t *testing.T) {
	text := strings.Repeat("word ", 390) + "https://example.com/a https://example.com/b"
	// Without embeds: the links as they are (the message gets SUPPRESS_EMBEDS).
	if got := contentChunks(text, 3, false, ""); len(got) != 1 || strings.Contains(got[0], "<https") {
		t.Errorf("without embeds: %q", got)
	}
	// With embeds: wrapped; when that overflows the message, split again.
	text = strings.Repeat("w", 1990) + " https://example.com/a"
	got := contentChunks(text, 3, true, "")
	if len(got) != 2 || got[1] != "<https://example.com/a>" {
		t.Errorf("with embeds, overflowing: %q", got)
	}
	for _, c := range got {
		if textLen(c) > maxContent {
			t.Errorf("chunk of %d units", textLen(c))
		}
	}
	// A head goes first, within the limit.
	got = contentChunks(strings.Repeat("sentence. ", 300), 3, true, "About this message: “x”")
	if !strings.HasPrefix(got[0], "About this message: “x”\nsentence.") || textLen(got[0]) > maxContent {
		t.Errorf("with a head: %.60q (%d units)", got[0], textLen(got[0]))
	}
}

func TestChoiceName(t *testing.T) {
	for in, want := range map[string]string{
		"  Riverside\tbraces\n":     "Riverside braces",
		"\u202eevil\u202c title":    "evil title",
		" \u202e ":                  "",
		strings.Repeat("long ", 40): strings.Repeat("long ", 18) + "long…",
	} {
		if got := choiceName(in); got != want || textLen(got) > maxChoiceName {
			t.Errorf("choiceName(%q) = %q, want %q", in, got, want)
		}
	}
}
