package slack

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/bot"
)

// channelMessage is a message.channels (channelType "channel") or
// message.groups ("group") event; threadTS empty means a top-level
// message.
func channelMessage(channelType, channel, user, ts, threadTS, text string) map[string]any {
	m := map[string]any{"type": "message", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts, "channel_type": channelType}
	if threadTS != "" {
		m["thread_ts"] = threadTS
	}
	return m
}

// dmMessage is a message.im event, in a thread of the DM when threadTS is
// set.
func dmMessage(channel, user, ts, threadTS, text string) map[string]any {
	return channelMessage("im", channel, user, ts, threadTS, text)
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func okAsker() *fakeAsker {
	return &fakeAsker{answer: &bot.Answer{Text: "Witkoff met Putin [1].", Found: true, Citations: []bot.Citation{apCitation}}}
}

func postEvent(t *testing.T, h *harness, id string, inner map[string]any) {
	t.Helper()
	res := post(t, h.app.URL+"/slack/events", "application/json", eventJSON(id, inner))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("event %s: status %d", id, res.StatusCode)
	}
}

func questions(fa *fakeAsker) []string {
	var out []string
	for _, q := range fa.got() {
		out = append(out, q.Text)
	}
	return out
}

// A reply in a thread newsbot answered in (message.channels, or
// message.groups in a private channel) is a follow-up without a new
// mention, with the thread's earlier questions as its history.
func TestThreadFollowupWithoutMention(t *testing.T) {
	for _, kind := range []string{"channel", "group"} {
		t.Run(kind, func(t *testing.T) {
			fa := okAsker()
			h := newHarness(t, fa, Options{})
			postEvent(t, h, "EvF1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin last week?"))
			h.slack.waitFor(1, isMethod("chat.postMessage"))
			postEvent(t, h, "EvF2", channelMessage(kind, "C1", "U2", "100.7", "100.1", "and where were earlier rounds held?"))
			posts := h.slack.waitFor(2, isMethod("chat.postMessage"))
			if posts[1].Thread != "100.1" || posts[1].Channel != "C1" {
				t.Errorf("follow-up answered in %s/%s, want the thread C1/100.1", posts[1].Channel, posts[1].Thread)
			}
			qs := fa.got()
			if len(qs) != 2 || qs[1].Text != "and where were earlier rounds held?" || !slices.Equal(qs[1].History, []string{"Who met Vladimir Putin last week?"}) {
				t.Errorf("questions = %+v, want the follow-up with the first question as history", qs)
			}
		})
	}
}

// Only people's new replies in threads newsbot answered in are
// follow-ups: not its own messages, other bots', edits, deletions,
// top-level messages, replies in other threads, nor a reply addressed to
// someone else. (The last event, a real follow-up, shows the others were
// passed over: events are handled in order up to the answer's start.)
func TestThreadFollowupIgnores(t *testing.T) {
	fa := okAsker()
	h := newHarness(t, fa, Options{})
	postEvent(t, h, "EvI0", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin last week?"))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	ignored := []map[string]any{
		channelMessage("channel", "C1", testBotUser, "100.2", "100.1", "newsbot's own reply"),
		with(channelMessage("channel", "C1", "", "100.3", "100.1", "another bot"), "bot_id", "B9", "subtype", "bot_message"),
		with(channelMessage("channel", "C1", "U2", "100.4", "100.1", "a bot with a user"), "bot_id", "B9"),
		{"type": "message", "subtype": "message_changed", "channel": "C1", "channel_type": "channel", "ts": "100.5", "event_ts": "100.5",
			"message": map[string]any{"type": "message", "user": "U2", "text": "edited question?", "ts": "100.45", "thread_ts": "100.1"}},
		with(channelMessage("channel", "C1", "U2", "100.55", "100.1", ""), "subtype", "message_deleted"),
		channelMessage("channel", "C1", "U2", "100.6", "", "a top-level message in the channel"),
		channelMessage("channel", "C1", "U2", "200.2", "200.1", "a reply in a thread newsbot never answered in"),
		channelMessage("channel", "C2", "U2", "100.7", "100.1", "same ts, another channel"),
		channelMessage("channel", "C1", "U2", "100.8", "100.1", "<@U3> what do you think?"),
		channelMessage("mpim", "G1", "U2", "100.9", "100.1", "a group DM"),
	}
	for i, ev := range ignored {
		postEvent(t, h, "EvI"+string(rune('a'+i)), ev)
	}
	postEvent(t, h, "EvIz", channelMessage("channel", "C1", "U2", "101.0", "100.1", "and where?"))
	h.slack.waitFor(2, isMethod("chat.postMessage"))
	h.stop(t)
	if got := questions(fa); !slices.Equal(got, []string{"Who met Vladimir Putin last week?", "and where?"}) {
		t.Errorf("asked %q, want only the mention and the last follow-up", got)
	}
}

// With follow-ups off (SLACK_THREAD_FOLLOWUPS=off), a reply without a
// mention is ignored, a mention in the thread still answered, and the help
// says to mention again.
func TestThreadFollowupsOff(t *testing.T) {
	fa := okAsker()
	h := newHarness(t, fa, Options{NoThreadFollowups: true})
	postEvent(t, h, "EvO1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin last week?"))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	postEvent(t, h, "EvO2", channelMessage("channel", "C1", "U2", "100.7", "100.1", "and where?"))
	postEvent(t, h, "EvO3", mention("C1", "U2", "100.8", "100.1", "<@UBOT> and when?"))
	h.slack.waitFor(2, isMethod("chat.postMessage"))
	h.stop(t)
	if got := questions(fa); !slices.Equal(got, []string{"Who met Vladimir Putin last week?", "and when?"}) {
		t.Errorf("asked %q", got)
	}
	if s := strings.Join(texts(blocksOf(t, mustJSON(t, renderHelp("/news", false).Blocks)), "section"), ""); !strings.Contains(s, "mention me again") {
		t.Errorf("help without follow-ups = %q", s)
	}
}

// A reply in the thread that also mentions newsbot comes twice
// (app_mention and message.channels): it is answered once.
func TestThreadFollowupWithMentionAnsweredOnce(t *testing.T) {
	fa := okAsker()
	h := newHarness(t, fa, Options{})
	postEvent(t, h, "EvM1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin last week?"))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	postEvent(t, h, "EvM2", channelMessage("channel", "C1", "U2", "100.7", "100.1", "<@UBOT> and where?"))
	postEvent(t, h, "EvM3", mention("C1", "U2", "100.7", "100.1", "<@UBOT> and where?"))
	postEvent(t, h, "EvM4", channelMessage("channel", "C1", "U2", "100.9", "100.1", "and when?"))
	h.slack.waitFor(3, isMethod("chat.postMessage"))
	h.stop(t)
	if got := questions(fa); !slices.Equal(got, []string{"Who met Vladimir Putin last week?", "and where?", "and when?"}) {
		t.Errorf("asked %q", got)
	}
}

// A DM with a file (subtype file_share) is answered from its text; one
// with a file and no text is not answered. A thread_broadcast reply ("also
// send to #channel") in a thread newsbot answered in is a follow-up, and
// one in a DM is answered.
func TestFileShareAndThreadBroadcast(t *testing.T) {
	fa := okAsker()
	h := newHarness(t, fa, Options{})
	files := []map[string]any{{"id": "F1", "name": "clip.png", "mimetype": "image/png"}}
	postEvent(t, h, "EvD0", with(dmMessage("D1", "U1", "50.0", "", ""), "subtype", "file_share", "files", files))
	postEvent(t, h, "EvD1", with(dmMessage("D1", "U1", "50.1", "", "What did Rubio say in Paris?"), "subtype", "file_share", "files", files))
	h.slack.waitFor(1, isMethod("chat.postMessage"))
	postEvent(t, h, "EvB0", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin last week?"))
	h.slack.waitFor(2, isMethod("chat.postMessage"))
	root := map[string]any{"type": "message", "user": "U1", "text": "<@UBOT> Who met Vladimir Putin last week?", "ts": "100.1", "thread_ts": "100.1"}
	postEvent(t, h, "EvB1", with(channelMessage("channel", "C1", "U2", "100.7", "100.1", "and where were the rounds held?"), "subtype", "thread_broadcast", "root", root))
	postEvent(t, h, "EvB2", with(dmMessage("D1", "U1", "50.3", "50.1", "and who else went?"), "subtype", "thread_broadcast"))
	posts := h.slack.waitFor(4, isMethod("chat.postMessage"))
	h.stop(t)
	// The last two are answered concurrently: compare without order.
	want := []string{"What did Rubio say in Paris?", "Who met Vladimir Putin last week?", "and where were the rounds held?", "and who else went?"}
	got := questions(fa)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("asked %q, want %q", got, want)
	}
	inThread := 0
	for _, p := range posts {
		if p.Channel == "C1" && p.Thread == "100.1" {
			inThread++
		}
	}
	if posts[0].Channel != "D1" || inThread != 2 {
		t.Errorf("answers went to %+v; want the DM first and two in the thread 100.1", posts)
	}
}

// A slash command of another name routed to the same URL (/hello-world)
// gets a short ephemeral pointer to /news, and is not asked.
func TestOtherSlashCommandGetsPointer(t *testing.T) {
	fa := okAsker()
	h := newHarness(t, fa, Options{})
	form, _ := url.ParseQuery(commandForm("Who met Vladimir Putin?", h.slack.responseURL("x")))
	form.Set("command", "/hello-world")
	res := post(t, h.app.URL+"/slack/commands", "application/x-www-form-urlencoded", form.Encode())
	var ack ackBody
	decodeJSON(t, res, &ack)
	if ack.ResponseType != "ephemeral" || !strings.Contains(ack.Text, "/news") || !strings.Contains(ack.Text, "/hello-world") {
		t.Errorf("ack = %+v, want an ephemeral pointer to /news", ack)
	}
	golden(t, "notice_other_command.json", []byte(ack.Text+"\n"+string(ack.Blocks)+"\n"))
	// The configured name is answered, in any case.
	form.Set("command", "/NEWS")
	form.Set("trigger_id", newTriggerID())
	post(t, h.app.URL+"/slack/commands", "application/x-www-form-urlencoded", form.Encode())
	h.slack.waitFor(1, isMethod("response"))
	h.stop(t)
	if got := questions(fa); !slices.Equal(got, []string{"Who met Vladimir Putin?"}) {
		t.Errorf("asked %q", got)
	}
}

// sharedTurns is a bot.ConversationStore in memory, standing for the
// database two instances share (the real ones are tested in
// knowledge/storetest and end to end in package main).
type sharedTurns struct {
	mu    sync.Mutex
	turns map[string][]string
	fail  bool
}

func (s *sharedTurns) ConversationTurns(_ context.Context, key string, _ time.Time, limit int) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return nil, errors.New("database unreachable")
	}
	h := s.turns[key]
	if len(h) > limit {
		h = h[len(h)-limit:]
	}
	return slices.Clone(h), nil
}

func (s *sharedTurns) AddConversationTurn(_ context.Context, key, q string, _ time.Time, _ int, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return errors.New("database unreachable")
	}
	if s.turns == nil {
		s.turns = map[string][]string{}
	}
	s.turns[key] = append(s.turns[key], q)
	return nil
}

// With conversations in a shared store, a reply in a thread another
// instance answered in is a follow-up here too, with that instance's
// turns as its history; when the store fails, the reply is passed over
// (not known to be newsbot's thread) and nothing breaks.
func TestThreadFollowupAcrossInstances(t *testing.T) {
	store := &sharedTurns{}
	fa1, fa2 := okAsker(), okAsker()
	one := newHarness(t, fa1, Options{Conversations: &bot.Conversations{Store: store}})
	two := newHarness(t, fa2, Options{Conversations: &bot.Conversations{Store: store}})
	postEvent(t, one, "EvX1", mention("C1", "U1", "300.1", "", "<@UBOT> Who met Vladimir Putin last week?"))
	one.slack.waitFor(1, isMethod("chat.postMessage"))
	postEvent(t, two, "EvX2", channelMessage("channel", "C1", "U2", "300.5", "300.1", "and where?"))
	posts := two.slack.waitFor(1, isMethod("chat.postMessage"))
	if posts[0].Thread != "300.1" {
		t.Errorf("follow-up answered in thread %q, want 300.1", posts[0].Thread)
	}
	if qs := fa2.got(); len(qs) != 1 || !slices.Equal(qs[0].History, []string{"Who met Vladimir Putin last week?"}) {
		t.Errorf("the other instance asked %+v, want the first instance's question as history", qs)
	}
	// A thread nobody answered in stays ignored.
	store.mu.Lock()
	store.fail = true
	store.mu.Unlock()
	postEvent(t, two, "EvX3", channelMessage("channel", "C1", "U2", "301.5", "301.1", "unrelated chat"))
	postEvent(t, two, "EvX4", mention("C1", "U1", "302.1", "", "<@UBOT> Who met Vladimir Putin?"))
	posts = two.slack.waitFor(2, isMethod("chat.postMessage"))
	if posts[1].Thread != "302.1" {
		t.Errorf("after a store failure: answer in %q, want the mention's thread 302.1 (the unrelated reply passed over)", posts[1].Thread)
	}
	if qs := fa2.got(); len(qs) != 2 || qs[1].History != nil {
		t.Errorf("with the store failing: %+v, want the mention answered without history", qs)
	}
}
