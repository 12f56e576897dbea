package discord

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// invitePermissions are the permissions the adapter needs in a server,
// each for what it does there; nothing else is asked for.
var invitePermissions = []struct {
	perm int64
	why  string
}{
	{discordgo.PermissionViewChannel, "see the channel it is asked in (and look up whether it is a thread)"},
	{discordgo.PermissionSendMessages, "answer (POST /channels/{id}/messages) and show typing"},
	{discordgo.PermissionEmbedLinks, "the Sources embed"},
	{discordgo.PermissionReadMessageHistory, "reply to the question's message (message_reference)"},
	{discordgo.PermissionSendMessagesInThreads, "answer in threads"},
}

// The README's Discord setup asks for what the adapter uses: the invite
// links' scopes, install types and permissions, and the install types and
// contexts of the commands it registers.
func TestREADMEDiscordSetup(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, readme, ok := strings.Cut(string(b), "\n## Discord\n")
	if !ok {
		t.Fatal("README.md has no Discord section")
	}
	readme, _, _ = strings.Cut(readme, "\n## ")
	var perms int64
	for _, p := range invitePermissions {
		perms |= p.perm
	}
	links := regexp.MustCompile(`https://discord\.com/oauth2/authorize\?[^\s`+"`"+`)]+`).FindAllString(readme, -1)
	if len(links) != 2 {
		t.Fatalf("install links %q, want two (server and user install)", links)
	}
	type install struct{ scopes, permissions string }
	want := map[string]install{
		"0": {"applications.commands bot", strconv.FormatInt(perms, 10)}, // server: the bot user and the commands
		"1": {"applications.commands", ""},                               // user: the commands alone
	}
	for _, l := range links {
		u, _ := url.Parse(l)
		q := u.Query()
		scopes := strings.Fields(q.Get("scope"))
		slices.Sort(scopes)
		got := install{strings.Join(scopes, " "), q.Get("permissions")}
		if q.Get("client_id") != "APP_ID" || got != want[q.Get("integration_type")] {
			t.Errorf("link %s: integration_type %q, scopes and permissions %+v, want %+v", l, q.Get("integration_type"), got, want[q.Get("integration_type")])
		}
		delete(want, q.Get("integration_type"))
	}
	if !strings.Contains(readme, "permissions `"+strconv.FormatInt(perms, 10)+"`") {
		t.Errorf("the Installation step does not give the permissions %d", perms)
	}
	if doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "discord.md")); err != nil || !strings.Contains(string(doc), "`"+strconv.FormatInt(perms, 10)+"`") {
		t.Errorf("docs/discord.md does not explain the permissions %d (%v)", perms, err)
	}
	for _, c := range commands(true) {
		if c.IntegrationTypes == nil || !slices.Equal(*c.IntegrationTypes, []discordgo.ApplicationIntegrationType{0, 1}) ||
			c.Contexts == nil || !slices.Equal(*c.Contexts, []discordgo.InteractionContextType{0, 1, 2}) {
			t.Errorf("command %q: integration types %v, contexts %v, want 0 and 1, and 0, 1 and 2 (as the README's user install says)", c.Name, c.IntegrationTypes, c.Contexts)
		}
		if c.Type == discordgo.MessageApplicationCommand && !strings.Contains(readme, "*Apps → "+c.Name+"*") {
			t.Errorf("the README does not show the message command %q", c.Name)
		}
	}
	// No privileged intent is needed: the README says to leave them off.
	if in := intents(false); in&(discordgo.IntentsGuildMembers|discordgo.IntentsGuildPresences|discordgo.IntentsMessageContent) != 0 {
		t.Errorf("intents %d include a privileged one", in)
	}
}
