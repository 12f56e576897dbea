package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/logctx"
	"github.com/newsbot/newsbot/internal/safe"
)

// latestCount is how many headlines /news latest shows.
const latestCount = 10

const helpText = `**newsbot** answers questions about the news and cites its sources.
• ` + "`/ask question:<your question>`" + ` — add ` + "`private:True`" + ` to see the answer alone
• ` + "`/news latest [topic]`" + ` — the newest headlines, optionally about a topic
• On a message: *Apps → Ask newsbot* — what the news says about its claim or question
• Mention me with a question, or send me a direct message.
• To follow up, reply to my answer (or ask in the same thread): "and when?" is understood in context.`

// messageCommand is the name of the message command (right-click or long
// press on a message → Apps).
const messageCommand = "Ask newsbot"

// commands are the commands the adapter registers: /ask, /news and the
// message command. Global commands can be installed to a server and to a
// user (integration types 0 and 1) and work in servers, in DMs with the bot
// and, installed to a user, in their group DMs and DMs with others
// (contexts 0, 1 and 2); contexts and integration types apply to global
// commands only, so guild commands leave them out.
func commands(global bool) []*discordgo.ApplicationCommand {
	var contexts *[]discordgo.InteractionContextType
	var installs *[]discordgo.ApplicationIntegrationType
	if global {
		contexts = &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM, discordgo.InteractionContextPrivateChannel}
		installs = &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall, discordgo.ApplicationIntegrationUserInstall}
	}
	one := 1
	return []*discordgo.ApplicationCommand{
		{
			Name: "ask", Type: discordgo.ChatApplicationCommand, Contexts: contexts, IntegrationTypes: installs,
			Description: "Ask a question about the news; the answer cites its sources",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "question", Required: true, MinLength: &one, MaxLength: bot.MaxQuestionRunes,
					Description: "Your question, e.g. who met Vladimir Putin last week?"},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private",
					Description: "Show the answer to you alone"},
			},
		},
		{
			Name: "news", Type: discordgo.ChatApplicationCommand, Contexts: contexts, IntegrationTypes: installs,
			Description: "The latest headlines, and how to use newsbot",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "latest", Description: "The newest headlines, optionally about a topic",
					Options: []*discordgo.ApplicationCommandOption{
						{Type: discordgo.ApplicationCommandOptionString, Name: "topic", MaxLength: 200, Autocomplete: true,
							Description: "Only headlines about this, e.g. Ukraine"},
					}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "help", Description: "How to ask newsbot"},
			},
		},
		// Message commands have no description and no options: the
		// message arrives with the interaction.
		{Name: messageCommand, Type: discordgo.MessageApplicationCommand, Contexts: contexts, IntegrationTypes: installs},
	}
}

// syncCommands makes the registered commands (globally, or in GuildID) the
// adapter's: it reads what is registered and overwrites it only when it
// differs, so restarts do not spend Discord's command rate limit.
func (a *Adapter) syncCommands(ctx context.Context) error {
	appID := a.cfg.AppID
	if appID == "" {
		_, appID = a.sess.identity()
	}
	if appID == "" {
		return errors.New("sync commands: no application id (set DISCORD_APP_ID)")
	}
	where := "globally"
	if a.cfg.GuildID != "" {
		where = "in guild " + a.cfg.GuildID
	}
	want := commands(a.cfg.GuildID == "")
	have, err := a.sess.ApplicationCommands(appID, a.cfg.GuildID, discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("sync commands: list %s: %s", where, safeErr(err))
	}
	if sameCommands(have, want) {
		a.log.Info("slash commands up to date", "where", where)
		return nil
	}
	if _, err := a.sess.ApplicationCommandBulkOverwrite(appID, a.cfg.GuildID, want, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("sync commands: register %s: %s", where, safeErr(err))
	}
	a.log.Info("slash commands registered", "where", where, "commands", len(want))
	return nil
}

// sameCommands reports whether two command lists define the same commands,
// ignoring what Discord adds (ids, versions) and the order.
func sameCommands(a, b []*discordgo.ApplicationCommand) bool {
	return reflect.DeepEqual(canonicalCommands(a), canonicalCommands(b))
}

// canonicalCommand and canonicalOption hold what the adapter sets on a
// command, for comparing registered commands with its own.
type canonicalOption struct {
	Type              discordgo.ApplicationCommandOptionType
	Name, Description string
	Required          bool
	MinLength         *int
	MaxLength         int
	Autocomplete      bool
	Options           []canonicalOption
}

type canonicalCommand struct {
	Type              discordgo.ApplicationCommandType
	Name, Description string
	Contexts          string
	Integrations      string
	Options           []canonicalOption
}

func canonicalCommands(cmds []*discordgo.ApplicationCommand) []canonicalCommand {
	out := []canonicalCommand{}
	for _, c := range cmds {
		if c == nil {
			continue
		}
		t := c.Type
		if t == 0 {
			t = discordgo.ChatApplicationCommand
		}
		cc := canonicalCommand{Type: t, Name: c.Name, Description: c.Description, Options: canonicalOptions(c.Options)}
		if c.Contexts != nil {
			b, _ := json.Marshal(*c.Contexts)
			cc.Contexts = string(b)
		}
		if c.IntegrationTypes != nil {
			b, _ := json.Marshal(*c.IntegrationTypes)
			cc.Integrations = string(b)
		}
		out = append(out, cc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func canonicalOptions(opts []*discordgo.ApplicationCommandOption) []canonicalOption {
	out := []canonicalOption{}
	for _, o := range opts {
		if o == nil {
			continue
		}
		out = append(out, canonicalOption{Type: o.Type, Name: o.Name, Description: o.Description, Required: o.Required,
			MinLength: o.MinLength, MaxLength: o.MaxLength, Autocomplete: o.Autocomplete, Options: canonicalOptions(o.Options)})
	}
	return out
}

// interaction decides the immediate response to an interaction received in
// channel (the partial channel object the interaction carries; nil when it
// has none) and returns the work that completes it, if any (nil when the
// response is the whole answer). It returns a nil response for interactions
// the adapter does not handle. Commands that take time are deferred at once
// ("newsbot is thinking…"), within Discord's three seconds; autocompletion
// is answered in the response, within ctx.
func (a *Adapter) interaction(ctx context.Context, i *discordgo.Interaction, channel *discordgo.Channel) (*discordgo.InteractionResponse, func(ctx context.Context)) {
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, nil
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
	default:
		return nil, nil
	}
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return nil, nil
	}
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return a.autocomplete(ctx, i, data), nil
	}
	user := userID(i)
	limited := func() *discordgo.InteractionResponse {
		if ok, wait := a.limiter.Allow(user); !ok {
			a.log.InfoContext(ctx, "rate limited", "user", user)
			return renderText(bot.RateLimitMessage(wait))[0].response(discordgo.MessageFlagsEphemeral)
		}
		return nil
	}
	if data.CommandType == discordgo.MessageApplicationCommand {
		if data.Name != messageCommand {
			return renderText("I don't know that command; try `/news help`.")[0].response(discordgo.MessageFlagsEphemeral), nil
		}
		target := targetMessage(data)
		question := messageQuestion(target)
		if question == "" {
			return renderText("That message has no text I can look up; try `/ask` with your question.")[0].response(discordgo.MessageFlagsEphemeral), nil
		}
		if r := limited(); r != nil {
			return r, nil
		}
		head := aboutHead(i, target)
		return deferred(0), func(ctx context.Context) {
			// A conversation of its own: the message's claim is not a
			// follow-up of what was asked before; a reply to the answer
			// continues it.
			a.answer(ctx, &interactionReply{a: a, i: i}, "interaction:"+i.ID, question, answerOpts{head: head})
		}
	}
	switch data.Name {
	case "ask":
		question, _ := optionString(data.Options, "question")
		flags := discordgo.MessageFlags(0)
		if optionBool(data.Options, "private") {
			flags = discordgo.MessageFlagsEphemeral
		}
		if r := limited(); r != nil {
			return r, nil
		}
		return deferred(flags), func(ctx context.Context) {
			key := a.interactionConversation(ctx, i, channel)
			a.answer(ctx, &interactionReply{a: a, i: i, flags: flags}, key, question, answerOpts{})
		}
	case "news":
		sub := ""
		var opts []*discordgo.ApplicationCommandInteractionDataOption
		if len(data.Options) > 0 && data.Options[0] != nil {
			sub, opts = data.Options[0].Name, data.Options[0].Options
		}
		switch sub {
		case "help":
			return renderText(helpText)[0].response(discordgo.MessageFlagsEphemeral), nil
		case "latest":
			topic, _ := optionString(opts, "topic")
			if r := limited(); r != nil {
				return r, nil
			}
			return deferred(0), func(ctx context.Context) { a.latest(ctx, i, topic) }
		}
	}
	return renderText("I don't know that command; try `/news help`.")[0].response(discordgo.MessageFlagsEphemeral), nil
}

// wireResponse is the body of an interaction response: resp itself, but an
// autocomplete result always with its choices (discordgo leaves out an
// empty list, which Discord requires).
func wireResponse(resp *discordgo.InteractionResponse) any {
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		return resp
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if resp.Data != nil && resp.Data.Choices != nil {
		choices = resp.Data.Choices
	}
	type data struct {
		Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	}
	return struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data data                              `json:"data"`
	}{resp.Type, data{choices}}
}

// decodeInteraction decodes an interaction as Discord sends it, with the
// partial channel object (type included) that discordgo's Interaction
// leaves out; the channel is nil when the payload has none.
func decodeInteraction(raw []byte) (*discordgo.Interaction, *discordgo.Channel, error) {
	var i discordgo.Interaction
	if err := json.Unmarshal(raw, &i); err != nil {
		return nil, nil, err
	}
	var extra struct {
		Channel *discordgo.Channel `json:"channel"`
	}
	if err := json.Unmarshal(raw, &extra); err != nil {
		extra.Channel = nil // a malformed channel object is no channel
	}
	return &i, extra.Channel, nil
}

func deferred(flags discordgo.MessageFlags) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: flags},
	}
}

// interactionConversation names the conversation of a slash command: its
// DM with the bot or thread; in a group DM or a DM between others (a user
// install), the user's own there; else a new one.
func (a *Adapter) interactionConversation(ctx context.Context, i *discordgo.Interaction, channel *discordgo.Channel) string {
	switch {
	case i.Context == discordgo.InteractionContextPrivateChannel && i.ChannelID != "":
		return "private:" + i.ChannelID + ":" + userID(i)
	case i.GuildID == "" && i.ChannelID != "":
		return "dm:" + i.ChannelID
	case i.ChannelID != "" && a.interactionInThread(ctx, i, channel):
		return "thread:" + i.ChannelID
	}
	return "interaction:" + i.ID
}

// interactionInThread reports whether an interaction comes from a thread,
// from the channel type it carries (so it needs no REST call, works with
// the HTTP endpoint alone and where the bot is not in the server). Without
// a channel object (older payloads), Discord is asked, when the bot was
// installed to the server.
func (a *Adapter) interactionInThread(ctx context.Context, i *discordgo.Interaction, channel *discordgo.Channel) bool {
	if channel != nil {
		v := "channel"
		if channel.IsThread() {
			v = "thread"
		}
		a.threads.put(i.ChannelID, v) // mentions there need no lookup either
		return v == "thread"
	}
	if _, guild := i.AuthorizingIntegrationOwners[discordgo.ApplicationIntegrationGuildInstall]; !guild && len(i.AuthorizingIntegrationOwners) > 0 {
		return false // a user install: the bot cannot read the channel
	}
	return a.isThread(ctx, i.ChannelID)
}

// latest completes /news latest.
func (a *Adapter) latest(ctx context.Context, i *discordgo.Interaction, topic string) {
	hs, err := a.bot.Latest(ctx, topic, latestCount)
	msgs := renderHeadlines(topic, hs)
	if err != nil {
		msgs = renderText(a.userMessage(ctx, err, "latest"))
	}
	if _, err := deliver(ctx, &interactionReply{a: a, i: i}, msgs); err != nil {
		a.log.ErrorContext(ctx, "deliver headlines failed", "err", safeErr(err))
	}
}

// onGatewayEvent picks the INTERACTION_CREATE events out of the gateway's
// events: their raw payload carries the channel type, which discordgo's
// Interaction leaves out.
func (a *Adapter) onGatewayEvent(ctx context.Context, e *discordgo.Event) {
	if e.Type != "INTERACTION_CREATE" {
		return
	}
	i, channel, err := decodeInteraction(e.RawData)
	if err != nil {
		a.log.Warn("undecodable interaction", "err", err)
		return
	}
	a.onGatewayInteraction(ctx, i, channel)
}

// onGatewayInteraction answers an INTERACTION_CREATE from the gateway. A
// panic is recovered and logged; the user gets an apology (as the response,
// or in place of "thinking…" when the response was sent).
func (a *Adapter) onGatewayInteraction(parent context.Context, i *discordgo.Interaction, channel *discordgo.Channel) {
	parent, _ = logctx.WithRequestID(parent) // one id for every line about it, the bot's too
	ctx, done, ok := a.begin(parent)
	if !ok {
		return // shutting down; Discord tells the user the bot did not respond
	}
	defer done()
	responded := false
	err := safe.Do(ctx, a.log, "discord interaction", func() {
		rctx, cancel := context.WithTimeout(ctx, responseTimeout)
		resp, finish := a.interaction(rctx, i, channel)
		cancel()
		if resp == nil {
			responded = true // nothing to answer
			return
		}
		if err := a.sess.respond(i, wireResponse(resp), discordgo.WithContext(ctx)); err != nil {
			a.log.ErrorContext(ctx, "respond to interaction failed", "err", safeErr(err))
			responded = true
			return
		}
		responded = true
		if finish != nil {
			finish(ctx)
		}
	})
	if err == nil {
		return
	}
	if !responded {
		_ = safe.Do(ctx, a.log, "discord apology", func() {
			if err := a.sess.respond(i, wireResponse(apologyFor(i)), discordgo.WithContext(ctx)); err != nil {
				a.log.WarnContext(ctx, "send apology failed", "err", safeErr(err))
			}
		})
		return
	}
	a.apologise(ctx, &interactionReply{a: a, i: i})
}

// responseTimeout bounds the work done before an interaction's response
// (autocompletion); Discord waits three seconds for it.
const responseTimeout = 2 * time.Second

// apologyFor is the response to i after a panic: an apology, or no
// choices for an autocompletion (which can get nothing else).
func apologyFor(i *discordgo.Interaction) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult}
	}
	return apologyResponse()
}

// apologyResponse is the interaction response of an apology, seen by the
// user alone.
func apologyResponse() *discordgo.InteractionResponse {
	return renderText(apology)[0].response(discordgo.MessageFlagsEphemeral)
}
