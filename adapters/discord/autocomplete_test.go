package discord_test

import (
	"context"
	"crypto/ed25519"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/adapters/discord"
	"github.com/newsbot/newsbot/adapters/discord/discordtest"
	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// countingBot is the real bot over the sample SQLite store, counting the
// headline lookups (each one a search of the store).
type countingBot struct {
	*bot.Bot
	mu     sync.Mutex
	topics []string
}

func (c *countingBot) Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error) {
	c.mu.Lock()
	c.topics = append(c.topics, topic)
	c.mu.Unlock()
	return c.Bot.Latest(ctx, topic, n)
}

// lookups returns how many lookups were made of topic.
func (c *countingBot) lookups(topic string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.topics {
		if t == topic {
			n++
		}
	}
	return n
}

func (c *countingBot) searches() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.topics {
		if t != "" {
			n++
		}
	}
	return n
}

// clock is a time that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// autocompleteOverGateway sends an APPLICATION_COMMAND_AUTOCOMPLETE
// interaction (type 4) typed by user over the gateway and returns the
// choices of the response, which must be type 8 and accepted by the fake.
func autocompleteOverGateway(t *testing.T, h *harness, ch string, user map[string]any, typed string) []discordtest.Choice {
	t.Helper()
	i := h.fake.Autocomplete(ch, user, "news", topicOption(typed))
	if i["type"] != 4 {
		t.Fatalf("the fake's autocompletion has type %v", i["type"])
	}
	h.fake.Dispatch("INTERACTION_CREATE", i)
	token := i["token"].(string)
	cb := h.fake.WaitRequests(1, "POST", `/interactions/\d+/`+token+"/callback")[0]
	if r := decodeResponse(t, cb.Body); cb.Status != 204 || r.Type != 8 {
		t.Fatalf("%q: response %d %s, want an accepted type 8", typed, cb.Status, cb.Body)
	}
	c, ok := h.fake.Choices(token)
	if !ok {
		t.Fatalf("%q: no choices recorded", typed)
	}
	return c
}

func names(cs []discordtest.Choice) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return strings.Join(out, " | ")
}

// Repeated keystrokes, by one user or several, in other cases or spacing,
// look the topic up once while its choices are fresh (30 seconds).
func TestAutocompleteCached(t *testing.T) {
	t.Parallel()
	cb := &countingBot{Bot: newsBot(t)}
	clk := &clock{t: time.Now()}
	h := start(t, cb, func(c *discord.Config) { c.Now = clk.Now })
	ch := h.fake.AddChannel(discordtest.GuildText)
	const riverside = "Riverside braces for the flood crest"
	for _, k := range []struct {
		user  map[string]any
		typed string
	}{
		{h.alice, "shelters"}, {h.alice, "shelters"}, {h.alice, "Shelters "},
		{h.bob, "  SHELTERS"}, {h.bob, "shelters"},
	} {
		if got := autocompleteOverGateway(t, h, ch, k.user, k.typed); names(got) != riverside {
			t.Errorf("%q: choices %q, want %q", k.typed, names(got), riverside)
		}
	}
	if n, r := cb.lookups("shelters"), cb.lookups(""); n != 1 || r != 1 {
		t.Errorf("%d searches for shelters and %d reads of the newest, want one each", n, r)
	}
	// Typing on: each new prefix is looked up once.
	for _, typed := range []string{"shelters h", "shelters hi", "shelters h"} {
		autocompleteOverGateway(t, h, ch, h.alice, typed)
	}
	if n, m := cb.lookups("shelters h"), cb.lookups("shelters hi"); n != 1 || m != 1 {
		t.Errorf("searches: %q, want one of each prefix", cb.topics)
	}
	// After 30 seconds the choices are looked up again; the newest
	// headlines are kept a minute.
	clk.Add(31 * time.Second)
	autocompleteOverGateway(t, h, ch, h.bob, "shelters")
	if n, r := cb.lookups("shelters"), cb.lookups(""); n != 2 || r != 1 {
		t.Errorf("after 31 s: %d searches for shelters and %d reads of the newest, want 2 and 1", n, r)
	}
}

// A user typing faster than the limit (here 5 lookups a minute) gets the
// titles the adapter already has, as a type 8 response every time, and
// the store is not searched for them; another user is not limited by it,
// and over the HTTP endpoint the response is the same.
func TestAutocompleteFloodLimited(t *testing.T) {
	t.Parallel()
	cb := &countingBot{Bot: newsBot(t)}
	clk := &clock{t: time.Now()}
	key := ed25519.NewKeyFromSeed([]byte(strings.Repeat("f", ed25519.SeedSize)))
	h := start(t, cb, func(c *discord.Config) {
		c.Now, c.AutocompleteLimit, c.PublicKey = clk.Now, 5, key.Public().(ed25519.PublicKey)
	})
	ch := h.fake.AddChannel(discordtest.GuildText)
	mallory := discordtest.User("300000000000000009", "mallory")
	const riverside = "Riverside braces for the flood crest"
	title := strings.ToLower(riverside)
	typed := 0
	for n := 3; n <= len(title); n++ {
		prefix := title[:n]
		if strings.HasSuffix(prefix, " ") {
			continue // the same key as without the space
		}
		typed++
		if got := autocompleteOverGateway(t, h, ch, mallory, prefix); names(got) != riverside {
			t.Errorf("%q: choices %q, want %q", prefix, names(got), riverside)
		}
	}
	if n := cb.searches(); n != 5 {
		t.Errorf("%d keystrokes made %d searches, want 5 (the limit): %q", typed, n, cb.topics)
	}
	if got := autocompleteOverGateway(t, h, ch, mallory, "mongolia"); len(got) != 0 {
		t.Errorf("over the limit, %q gets %q, want no choices", "mongolia", names(got))
	}
	// Over HTTP too: a 200 with an autocomplete result, not an error.
	srv := httptest.NewServer(h.a.InteractionsHandler())
	defer srv.Close()
	i := h.fake.Autocomplete(ch, mallory, "news", topicOption("shelt"))
	if code, body := h.fake.Deliver(srv.URL, key, clk.Now(), i); code != 200 || strings.TrimSpace(string(body)) != `{"type":8,"data":{"choices":[]}}` {
		t.Errorf("over HTTP, over the limit: %d %s", code, body)
	}
	if n := cb.searches(); n != 5 {
		t.Errorf("%d searches after the limit, want 5", n)
	}
	// Bob is not limited by Mallory's flood.
	if got := autocompleteOverGateway(t, h, ch, h.bob, "shelters"); names(got) != riverside {
		t.Errorf("bob's choices %q, want %q", names(got), riverside)
	}
	if n := cb.lookups("shelters"); n != 1 {
		t.Errorf("bob's keystroke made %d searches, want 1", n)
	}
	// A minute later Mallory may look up again.
	clk.Add(time.Minute)
	autocompleteOverGateway(t, h, ch, mallory, "shelt")
	if n := cb.lookups("shelt"); n != 1 {
		t.Errorf("a minute later, %d searches for shelt, want 1", n)
	}
}

// slowSearch knows headlines but never finishes a search: it waits until
// the caller gives up.
type slowSearch struct {
	headlinesAsker
}

func (s *slowSearch) Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error) {
	if topic == "" {
		return s.headlinesAsker.Latest(ctx, topic, n)
	}
	s.mu.Lock()
	s.topics = append(s.topics, topic)
	s.mu.Unlock()
	<-ctx.Done()
	return nil, ctx.Err()
}

// A search that does not finish in time is given up before Discord's
// three seconds: the response is still an autocomplete result, with the
// titles that matched, and is not kept (the next keystroke tries again).
func TestAutocompleteSlowSearchGivenUp(t *testing.T) {
	t.Parallel()
	asker := &slowSearch{headlinesAsker{hs: []bot.Headline{{Title: "Flood crest expected on Friday"}, {Title: "Talks in Paris"}}}}
	h := start(t, asker, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	for range 2 {
		if got := autocompleteOverGateway(t, h, ch, h.alice, "flood"); names(got) != "Flood crest expected on Friday" {
			t.Errorf("choices %q, want the title that matched", names(got))
		}
	}
	asker.mu.Lock()
	defer asker.mu.Unlock()
	if strings.Join(asker.topics, "|") != "|flood|flood" {
		t.Errorf("searches %q, want the newest once and two searches (one given up is not cached)", asker.topics)
	}
}

// Where the store has stories, the choices are the stories' titles: a
// story three outlets reported is offered once, not once per article.
func TestAutocompleteStoryTitles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testkit.Store(t)
	in := &ingest.Ingester{Store: s, Now: func() time.Time { return time.Date(2025, 6, 10, 8, 0, 0, 0, time.UTC) }}
	sum, err := in.Ingest(ctx, []string{filepath.Join("..", "..", "bot", "testdata", "stories.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	b := testkit.Bot(s, nil)
	stories, err := b.Latest(ctx, "", 100)
	if err != nil || len(stories) == 0 || len(stories) >= sum.Added {
		t.Fatalf("%d stories of %d articles (%v): the fixture should make fewer stories than articles", len(stories), sum.Added, err)
	}
	t.Logf("%d articles in %d stories", sum.Added, len(stories))
	var want []string
	for _, st := range stories {
		want = append(want, st.Title)
	}
	h := start(t, b, nil)
	ch := h.fake.AddChannel(discordtest.GuildText)
	if got := autocompleteOverGateway(t, h, ch, h.alice, ""); names(got) != strings.Join(want, " | ") {
		t.Errorf("choices %q, want the stories' titles %q", names(got), want)
	}
	// The story whose title has the words first, then what the search
	// finds (stories of articles about them), each once.
	flood := ""
	for _, st := range stories {
		for _, a := range st.Articles {
			if a.Title == "Valencia flood toll rises to 15, Mayor Lloret says" {
				flood = st.Title // the story's newest headline
			}
		}
	}
	got := autocompleteOverGateway(t, h, ch, h.alice, "valencia flood")
	if len(got) < 2 || flood == "" || got[0].Name != flood {
		t.Errorf("choices for \"valencia flood\" %q, want the flood story's title first, then what the search found", names(got))
	}
	seen := map[string]bool{}
	for _, c := range got {
		if seen[c.Name] {
			t.Errorf("%q offered twice", c.Name)
		}
		seen[c.Name] = true
	}
}
