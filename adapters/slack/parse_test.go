package slack

import (
	"net/http"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/bot"
)

// parseRequest matches its keywords on the original text (EqualFold), so
// characters whose case forms differ in byte length (Ⱥ lower-cases from 2
// bytes to 3, İ to 3 from 2, ẞ to 2 from 3) cut nothing wrong.
func TestParseRequestWithCaseFormsOfOtherLengths(t *testing.T) {
	for _, c := range []struct {
		in, kind, text string
	}{
		{"Ⱥ yesterday", "ask", "Ⱥ yesterday"},
		{"ȺȺȺ latest", "ask", "ȺȺȺ latest"},
		{"LATEST Ⱥ yesterday", "latest", "Ⱥ yesterday"},
		{"Latest İstanbul", "latest", "İstanbul"},
		{"latest\u00a0ẞtraße", "latest", "ẞtraße"}, // any Unicode space ends the keyword
		{"latest\tnews", "latest", "news"},
		{"İ latest", "ask", "İ latest"},
		{"HELP", "help", ""},
		{"  ?  ", "help", ""},
		{"", "help", ""},
		{"help me with Ⱥ", "ask", "help me with Ⱥ"},
		{"headlines 👩‍👩‍👧‍👦", "latest", "👩‍👩‍👧‍👦"},
		{"latest\u200b", "ask", "latest\u200b"},                 // a zero-width space is not a space
		{"\u202elatest\u202c x", "ask", "\u202elatest\u202c x"}, // nor are bidi controls part of the keyword
		{"ｌａｔｅｓｔ x", "ask", "ｌａｔｅｓｔ x"},                         // full-width letters are not the keyword
		{"latest \xff\xfe", "latest", "\xff\xfe"},
		{"\xffhelp", "ask", "\xffhelp"},
		{"ǅ latest", "ask", "ǅ latest"},
	} {
		got := parseRequest(c.in)
		if got.kind != c.kind || got.text != c.text {
			t.Errorf("parseRequest(%q) = %q %q, want %q %q", c.in, got.kind, got.text, c.kind, c.text)
		}
	}
}

// The question of the issue, "/news Ⱥ yesterday", end to end with the real
// bot: the user gets a real reply (not the apology a panic would give),
// and the next question is answered.
func TestSlashCommandWithCaseFormsOfOtherLengths(t *testing.T) {
	h := newHarness(t, realBot(t), Options{})
	for i, q := range []string{"Ⱥ yesterday", "İİİ yesterday", "ẞ last week", "👩‍👩‍👧‍👦 yesterday", "\u202eyesterday\u202c \u200b", "\xff\xfe yesterday"} {
		id := "c" + string(rune('a'+i))
		if res := post(t, h.app.URL+"/slack/commands", form, commandForm(q, h.slack.responseURL(id))); res.StatusCode != http.StatusOK {
			t.Fatalf("%q: %d", q, res.StatusCode)
		}
		got := h.slack.waitFor(1, isResponse("/"+id))[0]
		if got.Text == "" || strings.Contains(got.Text, "something went wrong") {
			t.Errorf("%q: reply %q, want an answer", q, got.Text)
		}
		checkSafe(t, q, got.Raw)
	}
	post(t, h.app.URL+"/slack/commands", form, commandForm("Who met Vladimir Putin last week?", h.slack.responseURL("after")))
	if got := h.slack.waitFor(1, isResponse("/after"))[0]; !strings.Contains(got.Text, "Vladimir Putin") {
		t.Errorf("the next question got %q", got.Text)
	}
}

func TestEscapeNeutralisesBroadcastsInAnyDisguise(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"@channel @here @everyone", "@\u2060channel @\u2060here @\u2060everyone"},
		{"@Everyone @HERE", "@\u2060Everyone @\u2060HERE"},
		{"@@everyone", "@@\u2060everyone"},
		{"@*everyone*", "@\u2060*everyone*"}, // bold marks vanish when shown
		{"@_*here*_", "@\u2060_*here*_"},
		{"@@@here!", "@@@\u2060here!"},
		{"@\u200beveryone", "@\u2060everyone"},
		{"@\u200d\u200dhere", "@\u2060here"},
		{"@e\u200bvery\u00adone", "@\u2060everyone"},
		{"@\u2060\u2060here", "@\u2060here"},
		{"\uff20everyone", "@\u2060everyone"},
		{"\ufe6bhere", "@\u2060here"},
		{"@\uff45\uff56\uff45\uff52\uff59\uff4f\uff4e\uff45", "@\u2060\uff45\uff56\uff45\uff52\uff59\uff4f\uff4e\uff45"},
		{"@𝐡𝐞𝐫𝐞", "@\u2060𝐡𝐞𝐫𝐞"},
		{"@here's @here. (@here)", "@\u2060here's @\u2060here. (@\u2060here)"},
		{"@here\u200bfoo", "@\u2060here\u200bfoo"},
		{"@heres @here_ @here1 @hereford", "@heres @here_ @here1 @hereford"},
		{"@ here", "@ here"},
		{"<!channel> <@U123> <!subteam^S1|@team>", "&lt;!channel&gt; &lt;@U123&gt; &lt;!subteam^S1|@team&gt;"},
		{"&lt;!here&gt;", "&amp;lt;!here&amp;gt;"},
		{"\xff@everyone", "\ufffd@\u2060everyone"},
		{"Ⱥ İ ẞ 👩‍👩‍👧‍👦", "Ⱥ İ ẞ 👩‍👩‍👧‍👦"},
	} {
		got := escape(c.in)
		if got != c.want {
			t.Errorf("escape(%q) = %q, want %q", c.in, got, c.want)
		}
		if notifies(got) || notifies(unescapeEntities(got)) {
			t.Errorf("escape(%q) = %q notifies", c.in, got)
		}
		if again := escape(unescapeEntities(got)); again != got {
			t.Errorf("escape is not a fixed point through Slack's decoding on %q: %q then %q", c.in, got, again)
		}
	}
}

// A 200 KB quote without a sentence end is one message within Block Kit's
// limits, cut with "…".
func TestHugeAnswerIsOneBoundedMessage(t *testing.T) {
	quote := strings.Repeat("harbour closure words without an end ", 200_000/37)
	var cs []bot.Citation
	for i := range 300 {
		c := apCitation
		c.N = i + 1
		cs = append(cs, c)
	}
	for _, v := range []answerView{{}, {Question: strings.Repeat("q", 5000), ShareID: "abc"}, {Partial: true}} {
		m := renderAnswer(&bot.Answer{Text: quote + " @everyone", Citations: cs, FallbackReason: strings.Repeat("r", 5000)}, v)
		bs := blocksOf(t, mustJSON(t, m.Blocks))
		checkLimits(t, bs)
		if len(bs) != maxBlocks {
			t.Errorf("%d blocks, want the answer to fill all %d", len(bs), maxBlocks)
		}
		sections := texts(bs, "section")
		if last := sections[len(sections)-1]; !strings.HasSuffix(last, "…") {
			t.Errorf("the last section does not end with …: %q", last[max(0, len(last)-40):])
		}
		if n := slackLen(m.Text); n > 40000 {
			t.Errorf("message text of %d characters", n)
		}
		checkSafe(t, "huge answer", string(mustJSON(t, m)))
	}
}
