package discordtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Channel types, as on the wire.
const (
	GuildText          = 0
	DM                 = 1
	GroupDM            = 3
	AnnouncementThread = 10
	PublicThread       = 11
	PrivateThread      = 12
)

// ForeignGuildID is the server of foreign channels: one that has not
// installed the bot.
const ForeignGuildID = "100000000000000009"

// AddChannel creates a channel of type kind (GuildText, DM, GroupDM or a
// thread type) the bot is in, and returns its id. A thread's parent is a
// new text channel.
func (s *Server) AddChannel(kind int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addChannel(kind, s.GuildID)
}

// AddForeignChannel creates a channel the bot is not in, where only a user
// who installed the app can use its commands: a channel or thread (kind
// GuildText or a thread type) of a server without the bot, or a group DM
// or a DM between two users (GroupDM, DM). Discord answers every REST call
// on it with 403 Missing Access; interactions there are answered through
// their webhooks alone.
func (s *Server) AddForeignChannel(kind int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.addChannel(kind, ForeignGuildID)
	s.foreign[id] = true
	if kind == DM || kind == GroupDM {
		s.channels[id]["recipients"] = []any{User("300000000000000007", "carol")}
	}
	return id
}

// addChannel creates a channel of guild; the caller holds s.mu.
func (s *Server) addChannel(kind int, guild string) string {
	id := s.id()
	ch := map[string]any{"id": id, "type": kind}
	switch kind {
	case DM:
	case GroupDM:
		ch["name"], ch["owner_id"] = nil, "300000000000000001"
	case AnnouncementThread, PublicThread, PrivateThread:
		parent := s.id()
		s.channels[parent] = map[string]any{"id": parent, "type": GuildText, "guild_id": guild, "name": "news"}
		ch["guild_id"], ch["parent_id"], ch["name"], ch["owner_id"] = guild, parent, "about the talks", "300000000000000001"
	default:
		ch["guild_id"], ch["name"] = guild, "news"
	}
	s.channels[id] = ch
	return id
}

// User is a Discord user as sent on the wire.
func User(id, name string) map[string]any {
	return map[string]any{"id": id, "username": name, "global_name": name, "discriminator": "0", "avatar": nil}
}

func (s *Server) botUser() map[string]any {
	u := User(s.BotID, "newsbot")
	u["bot"] = true
	return u
}

// Say is a message a user posts.
type Say struct {
	Channel string
	Author  map[string]any // User(...)
	Content string
	// ReplyTo is the id of the message replied to; PingReply mentions its
	// author (Discord's default for replies).
	ReplyTo   string
	PingReply bool
}

var mentionRe = regexp.MustCompile(`<@!?([0-9]+)>`)

// Post stores a user's message and dispatches it as MESSAGE_CREATE, the way
// Discord would: mentions parsed from the content, the replied-to message
// included, and the content left out when the bot lacks the Message Content
// intent and the message is neither a DM nor mentions it. It returns the
// message id.
func (s *Server) Post(m Say) string {
	id, wire := s.store(m)
	s.Dispatch("MESSAGE_CREATE", wire)
	return id
}

// Store stores a user's message without dispatching it (a message in a
// channel the bot is not in, or one from before it connected), e.g. for a
// MessageCommand, and returns its id.
func (s *Server) Store(m Say) string {
	id, _ := s.store(m)
	return id
}

// store stores a user's message and returns its id and its MESSAGE_CREATE
// payload.
func (s *Server) store(m Say) (string, map[string]any) {
	s.mu.Lock()
	id := s.id()
	ch := s.channels[m.Channel]
	guild, _ := ch["guild_id"].(string)
	mentions := []any{}
	mentionsBot := false
	for _, mm := range mentionRe.FindAllStringSubmatch(m.Content, -1) {
		if mm[1] == s.BotID {
			mentions = append(mentions, s.botUser())
			mentionsBot = true
		} else {
			mentions = append(mentions, User(mm[1], "user"+mm[1][len(mm[1])-3:]))
		}
	}
	msg := map[string]any{
		"id": id, "channel_id": m.Channel, "author": m.Author, "content": m.Content,
		"timestamp": epoch.Format("2006-01-02T15:04:05.000000+00:00"), "edited_timestamp": nil, "tts": false,
		"mention_everyone": false, "mention_roles": []any{}, "attachments": []any{}, "embeds": []any{},
		"pinned": false, "type": 0, "flags": 0, "components": []any{},
	}
	if guild != "" {
		msg["guild_id"] = guild
		msg["member"] = map[string]any{"roles": []any{}, "joined_at": epoch.Format("2006-01-02T15:04:05.000000+00:00")}
	}
	if m.ReplyTo != "" {
		ref := s.messages[m.ReplyTo]
		msg["type"] = 19
		msg["message_reference"] = map[string]any{"type": 0, "message_id": m.ReplyTo, "channel_id": m.Channel, "guild_id": guild}
		msg["referenced_message"] = ref
		if m.PingReply && ref != nil {
			author, _ := ref["author"].(map[string]any)
			mentions = append(mentions, author)
			mentionsBot = mentionsBot || author["id"] == s.BotID
		}
	}
	msg["mentions"] = mentions
	s.messages[id] = msg
	wire := msg
	if guild != "" && !mentionsBot && !s.gw.messageContent {
		wire = map[string]any{}
		for k, v := range msg {
			wire[k] = v
		}
		wire["content"] = ""
	}
	s.mu.Unlock()
	return id, wire
}

// Message returns a message as stored (after edits), or nil.
func (s *Server) Message(id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messages[id]
}

// BotMessages returns the bot's messages in a channel, oldest first.
func (s *Server) BotMessages(channel string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, m := range s.messages {
		if a, _ := m["author"].(map[string]any); m["channel_id"] == channel && a["id"] == s.BotID {
			out = append(out, m)
		}
	}
	sortByID(out)
	return out
}

func sortByID(ms []map[string]any) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && idLess(ms[j]["id"].(string), ms[j-1]["id"].(string)); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

func idLess(a, b string) bool {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return x < y
}

// newBotMessage stores a message from the bot; the caller holds s.mu.
func (s *Server) newBotMessage(channel string, o outgoing, body []byte) map[string]any {
	var payload map[string]any
	json.Unmarshal(body, &payload)
	content := ""
	if o.Content != nil {
		content = *o.Content
	}
	embeds := []map[string]any{}
	if o.Embeds != nil {
		embeds = *o.Embeds
	}
	flags := o.flags() & (suppressEmbeds | ephemeral)
	msg := map[string]any{
		"id": s.id(), "channel_id": channel, "author": s.botUser(), "content": content, "embeds": shownEmbeds(content, embeds, flags),
		"timestamp": epoch.Format("2006-01-02T15:04:05.000000+00:00"), "type": 0, "flags": flags,
		"mentions": []any{}, "mention_roles": []any{}, "attachments": []any{}, "tts": false, "pinned": false,
		"mention_everyone": false,
	}
	if ch, ok := s.channels[channel]; ok && ch["guild_id"] != nil {
		msg["guild_id"] = ch["guild_id"]
	}
	if ref, ok := payload["message_reference"].(map[string]any); ok {
		msg["type"] = 19
		msg["message_reference"] = ref
	}
	s.messages[msg["id"].(string)] = msg
	return msg
}

func (s *Server) createMessage(w http.ResponseWriter, channel string, body []byte, _ string) {
	o, ok := readOutgoing(w, body, true)
	if !ok {
		return
	}
	s.mu.Lock()
	_, ok = s.channels[channel]
	var m map[string]any
	if ok {
		m = s.newBotMessage(channel, o, body)
	}
	s.mu.Unlock()
	if !ok {
		apiError(w, 404, 10003, "Unknown Channel")
		return
	}
	writeJSON(w, m)
}

func (s *Server) editMessage(w http.ResponseWriter, id string, body []byte) {
	o, ok := readOutgoing(w, body, false)
	if !ok {
		return
	}
	s.mu.Lock()
	m, ok := s.messages[id]
	if ok {
		if a, _ := m["author"].(map[string]any); a["id"] != s.BotID {
			ok = false
		}
	}
	if ok {
		if o.Content != nil {
			m["content"] = *o.Content
		}
		flags, _ := m["flags"].(int)
		if o.Flags != nil { // only SUPPRESS_EMBEDS can be set or lifted
			flags = flags&^suppressEmbeds | *o.Flags&suppressEmbeds
		}
		var rich []map[string]any
		if o.Embeds != nil {
			rich = *o.Embeds
		} else {
			rich = richEmbeds(m["embeds"])
		}
		m["flags"] = flags
		m["embeds"] = shownEmbeds(m["content"].(string), rich, flags)
		m["edited_timestamp"] = epoch.Format("2006-01-02T15:04:05.000000+00:00")
	}
	s.mu.Unlock()
	if !ok {
		apiError(w, 404, 10008, "Unknown Message")
		return
	}
	writeJSON(w, m)
}

// Message flags the fake models.
const (
	suppressEmbeds = 1 << 2
	ephemeral      = 1 << 6
)

// previewedURL matches links; Discord shows a preview card for the bare
// ones in the content (one in <...> shows none, unless the < is escaped).
var previewedURL = regexp.MustCompile(`https?://[^\s<>()]+`)

// shownEmbeds are a message's embeds as Discord shows and returns them: the
// rich embeds sent, then a link preview (type "link") for each bare link in
// the content; none at all with SUPPRESS_EMBEDS, which removes the rich
// embeds too.
func shownEmbeds(content string, rich []map[string]any, flags int) []map[string]any {
	out := []map[string]any{}
	if flags&suppressEmbeds != 0 {
		return out
	}
	out = append(out, rich...)
	for _, loc := range previewedURL.FindAllStringIndex(content, -1) {
		start := loc[0]
		if start >= 1 && content[start-1] == '<' && (start < 2 || content[start-2] != '\\') {
			continue
		}
		out = append(out, map[string]any{"type": "link", "url": strings.TrimRight(content[start:loc[1]], ".,;:!?'\"")})
	}
	return out
}

// richEmbeds are the embeds a message was sent with (its link previews
// left out).
func richEmbeds(v any) []map[string]any {
	var out []map[string]any
	es, _ := v.([]map[string]any)
	for _, e := range es {
		if e["type"] != "link" {
			out = append(out, e)
		}
	}
	return out
}

// LinkPreviews returns the links the bot's messages in channel show a
// preview card for (none, when it suppresses them).
func (s *Server) LinkPreviews(channel string) []string {
	var out []string
	for _, m := range s.BotMessages(channel) {
		es, _ := m["embeds"].([]map[string]any)
		for _, e := range es {
			if e["type"] == "link" {
				out = append(out, e["url"].(string))
			}
		}
	}
	return out
}

func (s *Server) serveCommands(w http.ResponseWriter, method, app, guild string, body []byte) {
	if app != s.AppID {
		apiError(w, 403, 50001, "Missing Access")
		return
	}
	if guild != "" && guild != s.GuildID {
		apiError(w, 403, 50001, "Missing Access")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch method {
	case "GET":
		cmds, ok := s.commands[guild]
		if !ok {
			cmds = json.RawMessage("[]")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(cmds)
	case "PUT":
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			apiError(w, 400, 50035, "Invalid Form Body")
			return
		}
		for _, c := range cmds {
			c["id"], c["application_id"], c["version"] = s.id(), s.AppID, s.id()
			if guild != "" {
				c["guild_id"] = guild
			}
		}
		out, _ := json.Marshal(cmds)
		s.commands[guild] = out
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
	default:
		apiError(w, 405, 0, "405: Method Not Allowed")
	}
}

// SetCommands replaces the commands registered globally (guild "") or in
// a guild, as if registered earlier.
func (s *Server) SetCommands(guild string, cmds json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[guild] = cmds
}

// CommandsLocked is Commands for use inside WaitFor conditions (the fake
// is locked there).
func (s *Server) CommandsLocked(guild string) json.RawMessage { return s.commands[guild] }

// Commands returns the commands registered globally (guild "") or in a
// guild, as JSON.
func (s *Server) Commands(guild string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[guild]
}
