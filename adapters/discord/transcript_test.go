package discord_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
)

// TestTranscript runs a whole session against the fake Discord — start-up,
// a mention, a follow-up reply, a DM, /ask, /news latest, the message
// command "Ask newsbot", an autocompletion of /news latest topic:, a dropped
// connection and its RESUME, then the HTTP interactions endpoint — and
// keeps what went over the wire in testdata/transcript.golden (heartbeats
// left out).
func TestTranscript(t *testing.T) {
	t.Parallel()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	h := start(t, newsBot(t), func(c *discord.Config) {
		c.PublicKey = key.Public().(ed25519.PublicKey)
		c.TypingDelay = time.Hour // the answers are fast; no typing indicator, whatever the machine's load
	})
	f := h.fake
	ch := f.AddChannel(discordtest.GuildText)
	f.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Who met Vladimir Putin last week?")})
	h.posted(1, ch)
	answer := f.BotMessages(ch)[0]["id"].(string)
	f.Post(discordtest.Say{Channel: ch, Author: h.alice, ReplyTo: answer, PingReply: true, Content: "Where were earlier rounds held?"})
	h.posted(2, ch)

	dm := f.AddChannel(discordtest.DM)
	f.Post(discordtest.Say{Channel: dm, Author: h.bob, Content: "@everyone what did Mayor Ortiz urge residents to do?"})
	h.posted(1, dm)

	token := f.Interact(ch, h.bob, "ask", discordtest.Option{Name: "question", Value: "Where have shelters opened?"})
	f.WaitRequests(1, "PATCH", "/webhooks/"+f.AppID+"/"+token+"/messages/@original")
	token = f.Interact(ch, h.bob, "news", discordtest.Option{Name: "latest"})
	f.WaitRequests(1, "PATCH", "/webhooks/"+f.AppID+"/"+token+"/messages/@original")

	// "Ask newsbot" on a message of alice's (its text comes with the
	// interaction), then a keystroke of /news latest topic:.
	said := f.Store(discordtest.Say{Channel: ch, Author: h.alice, Content: "Mayor Ortiz told everyone to stay put in the lower wards, right?"})
	cmd := f.MessageCommand(ch, h.bob, "Ask newsbot", said)
	f.Dispatch("INTERACTION_CREATE", cmd)
	f.WaitRequests(1, "PATCH", "/webhooks/"+f.AppID+"/"+cmd["token"].(string)+"/messages/@original")
	ac := f.Autocomplete(ch, h.bob, "news", topicOption("flood"))
	f.Dispatch("INTERACTION_CREATE", ac)
	f.WaitRequests(1, "POST", `/interactions/\d+/`+ac["token"].(string)+"/callback")

	f.DropConnection()
	f.Post(discordtest.Say{Channel: ch, Author: h.alice, Content: h.mention("Is there a capital of Mongolia in the news?")})
	f.WaitReady(1, 1)
	h.posted(3, ch)

	srv := httptest.NewServer(h.a.InteractionsHandler())
	defer srv.Close()
	_, forged, _ := ed25519.GenerateKey(rand.Reader)
	f.Deliver(srv.URL, forged, time.Now(), discordtest.Ping())
	f.Deliver(srv.URL, key, time.Now(), discordtest.Ping())
	ask := f.Command(dm, h.bob, "ask", discordtest.Option{Name: "question", Value: "Who met Vladimir Putin last week?"}, discordtest.Option{Name: "private", Value: true})
	f.Deliver(srv.URL, key, time.Now(), ask)
	f.WaitRequests(1, "PATCH", "/webhooks/"+f.AppID+"/"+ask["token"].(string)+"/messages/@original")
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	golden(t, "transcript.golden", f.Transcript())
}
