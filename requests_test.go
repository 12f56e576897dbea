package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/sample"
	"github.com/newsbot/newsbot/knowledge/sqlite"
	"github.com/newsbot/newsbot/prompts"
)

// meetingModel fails each call once both questions are in flight, so that
// their log lines interleave.
type meetingModel struct{ both *sync.WaitGroup }

func (m meetingModel) Chat(ctx context.Context, _ []bot.Message, _ func(string)) (string, error) {
	m.both.Done()
	m.both.Wait()
	return "", fmt.Errorf("chat: %w", bot.ErrModelServer)
}

// Two questions answered at once: each gets its own request id, on every
// line logged about it (the bot's fallback warning and the answered line),
// in JSON.
func TestRequestIDsOnConcurrentQuestions(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.Load(config.Source{Getenv: func(k string) (string, bool) {
		v, ok := map[string]string{"NEWSBOT_LOG_FORMAT": "json", "NEWSBOT_LOG_LEVEL": "info", "NEWSBOT_DB": "unused.db"}[k]
		return v, ok
	}, Environ: func() []string { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	log := config.NewLogger(cfg, logs)
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := sample.LoadIfEmpty(ctx, s, &ingest.Ingester{Store: s}); err != nil {
		t.Fatal(err)
	}
	pr, err := prompts.Load("")
	if err != nil {
		t.Fatal(err)
	}
	var both sync.WaitGroup
	both.Add(2)
	b := &bot.Bot{Retriever: index.NewIndex(s, &index.DefaultRanking), Library: s, Prompts: pr, Logger: log, LLM: &bot.LLM{Model: meetingModel{&both}}}
	asker := withRequestIDs("discord", b, log)
	var wg sync.WaitGroup
	for _, q := range []string{"Where were earlier rounds of negotiations held?", "Who is travelling to Paris?"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := asker.Ask(ctx, bot.Question{Text: q}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	byID := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
		id, _ := line["request_id"].(string)
		if id == "" {
			t.Errorf("a line about a question has no request_id: %s", sc.Text())
			continue
		}
		byID[id] = append(byID[id], line["msg"].(string))
	}
	if len(byID) != 2 {
		t.Fatalf("request ids %v, want 2:\n%s", byID, logs.String())
	}
	for id, msgs := range byID {
		if len(msgs) != 2 || !strings.HasPrefix(msgs[0], "llm: falling back") || msgs[1] != "question answered" {
			t.Errorf("request %s logged %q; want the fallback and the answer", id, msgs)
		}
	}
}
