package discord_test

import (
	"strconv"
	"testing"

	"github.com/newsbot/newsbot/adapters/discord/discordtest"
)

// BenchmarkAskAcknowledged measures how long a slash command waits for its
// deferred acknowledgement (Discord allows three seconds): from the
// INTERACTION_CREATE dispatch by the fake to the callback it receives.
func BenchmarkAskAcknowledged(b *testing.B) {
	h := start(b, newsBot(b), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	// Answers finish in the background; only the acknowledgement is timed.
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		token := h.fake.Interact(ch, h.alice, "ask", discordtest.Option{Name: "question", Value: "Who met Vladimir Putin last week?"})
		h.fake.WaitRequests(1, "POST", `/interactions/\d+/`+token+"/callback")
	}
	b.StopTimer()
}

// BenchmarkMentionAnswered measures a mention's round trip: from the
// MESSAGE_CREATE dispatch to the answer posted (typing indicator, channel
// lookup, retrieval over SQLite, rendering, REST), with the real bot.
func BenchmarkMentionAnswered(b *testing.B) {
	h := start(b, newsBot(b), nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		user := discordtest.User(strconv.Itoa(400000000000000000+i), "reader")
		h.fake.Post(discordtest.Say{Channel: ch, Author: user, Content: h.mention("Who met Vladimir Putin last week?")})
		h.posted(i+1, ch)
	}
	b.StopTimer()
}
