package slack

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// BenchmarkSlashCommandAck measures how long Slack waits for the
// acknowledgement of a signed slash command (it allows 3 s), with the real
// bot answering in the background.
func BenchmarkSlashCommandAck(b *testing.B) {
	h := newHarness(b, realBot(b), Options{})
	body := commandForm("Who met Vladimir Putin last week?", h.slack.responseURL("bench"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, _ := http.NewRequest(http.MethodPost, h.app.URL+"/slack/commands", strings.NewReader(body))
		r.Header.Set("Content-Type", form)
		sign(r, testSecret, time.Now(), body)
		res, err := http.DefaultClient.Do(r)
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("ack: %v %v", err, res)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	b.StopTimer()
	h.slack.waitFor(b.N, isResponse("/bench"))
}

// BenchmarkMentionToThreadedReply measures a mention from the signed
// request to the threaded answer posted with chat.postMessage (real bot,
// real SQLite store, fake Slack on loopback).
func BenchmarkMentionToThreadedReply(b *testing.B) {
	h := newHarness(b, realBot(b), Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev := eventJSON(fmt.Sprint("EvB", i), mention("C1", "U1", fmt.Sprintf("%d.1", i), "", "<@UBOT> Who met Vladimir Putin last week?"))
		post(b, h.app.URL+"/slack/events", "application/json", ev)
		h.slack.waitFor(i+1, isMethod("chat.postMessage"))
	}
}
