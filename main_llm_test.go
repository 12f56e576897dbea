package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/fakeopenai"
)

const testAPIKey = "sk-main-test-KEY-9f8e7d6c5b4a"

func TestLLMEndToEnd(t *testing.T) {
	srv := fakeopenai.New(t)
	srv.Embed = func(s string) []float32 {
		v := []float32{0.1, 0, 0}
		if strings.Contains(strings.ToLower(s), "saudi") {
			v[1] = 1
		}
		if strings.Contains(strings.ToLower(s), "putin") {
			v[2] = 1
		}
		return v
	}
	env := map[string]string{
		"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_LOG_LEVEL": "debug",
		"OPENAI_API_KEY": testAPIKey, "OPENAI_BASE_URL": srv.BaseURL(), "NEWSBOT_LLM_MODEL": "test-model",
		"NEWSBOT_EMBEDDING_MODEL": "test-embed",
	}
	out, logs, err := newsbotEnv(t, env, "", "ingest", "knowledge/testdata")
	if testdataRejects(err) != nil || !strings.Contains(out, "10 added") || !strings.Contains(out, "embeddings (test-embed): ") {
		t.Fatalf("ingest: %v\n%s\n%s", err, out, logs)
	}
	embedded := len(srv.Requests())
	if embedded == 0 {
		t.Fatal("ingest sent no embedding request")
	}
	out, _, err = newsbotEnv(t, env, "", "ingest", "knowledge/testdata")
	if testdataRejects(err) != nil || !strings.Contains(out, "0 paragraphs embedded, 0 reused") || len(srv.Requests()) != embedded {
		t.Errorf("re-ingest embedded again: %v\n%s", err, out)
	}

	srv.Script(fakeopenai.Reply{Text: "The negotiations were held in Saudi Arabia [1]."})
	out, logs2, err := newsbotEnv(t, env, "", "ask", "where were negotiations held?")
	if err != nil || !strings.HasPrefix(out, "The negotiations were held in Saudi Arabia [1].\n\nThe newest I have on this is from ") ||
		!strings.Contains(out, "\n\nSources:\n  [1] ") { // the test articles are from 2025: older than 30 days
		t.Errorf("ask: %v\n%s", err, out)
	}
	last := srv.Chats()[len(srv.Chats())-1]
	if !last.Stream || !strings.Contains(last.Messages[1].Content, "Question: where were negotiations held?") {
		t.Errorf("ask sent %+v", last)
	}
	srv.Script(fakeopenai.Reply{Status: 503}, fakeopenai.Reply{Status: 503}, fakeopenai.Reply{Status: 503})
	out, _, err = newsbotEnv(t, env, "", "ask", "--json", "where were negotiations held?")
	var ans struct {
		Citations []struct{ Weak *bool }
	}
	json.Unmarshal([]byte(out), &ans)
	if err != nil || !strings.Contains(out, `"mode":"template"`) || !strings.Contains(out, `"fallback_reason":"server_error"`) ||
		len(ans.Citations) == 0 || ans.Citations[0].Weak == nil {
		t.Errorf("ask --json with a failing model: %v\n%s", err, out)
	}
	before := len(srv.Chats())
	out, _, err = newsbotEnv(t, env, "", "ask", "--mode", "template", "where were negotiations held?")
	if err != nil || !strings.Contains(out, "“") || len(srv.Chats()) != before {
		t.Errorf("ask --mode template: %v, %d model requests\n%s", err, len(srv.Chats())-before, out)
	}
	if _, _, err := newsbotEnv(t, env, "", "ask", "--mode", "poetry", "x"); err == nil {
		t.Error("--mode poetry: nil error")
	}
	// search ranks with the embeddings too.
	out, _, err = newsbotEnv(t, env, "", "search", "--json", "Putin")
	if err != nil || !strings.Contains(out, "Putin") {
		t.Errorf("search: %v\n%s", err, out)
	}
	for _, l := range []string{logs, logs2} {
		if strings.Contains(l, testAPIKey) || strings.Contains(l, "KEY-9f8e") {
			t.Errorf("the log shows the API key:\n%s", l)
		}
	}
	if !strings.Contains(logs2, "llm: answered") {
		t.Errorf("the debug log does not record the answer:\n%s", logs2)
	}
	for _, r := range srv.Requests() {
		if r.Authorization != "Bearer "+testAPIKey || strings.Contains(string(r.Body), testAPIKey) {
			t.Errorf("request to %s: Authorization %q, key in body %v", r.Path, r.Authorization, strings.Contains(string(r.Body), testAPIKey))
		}
	}
}

func TestLLMConfigErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	_, _, err := newsbotEnv(t, map[string]string{"NEWSBOT_DB": db, "NEWSBOT_LLM_MODEL": "gpt-4o-mini"}, "", "ask", "x")
	if err == nil || !strings.Contains(err.Error(), "NEWSBOT_LLM_MODEL") || !strings.Contains(err.Error(), "OPENAI_API_KEY") {
		t.Errorf("model without a key for OpenAI: %v", err)
	}
	_, _, err = newsbotEnv(t, map[string]string{"NEWSBOT_DB": db, "OPENAI_BASE_URL": "localhost:11434"}, "", "ask", "x")
	if err == nil || !strings.Contains(err.Error(), "OPENAI_BASE_URL") {
		t.Errorf("bad base URL: %v", err)
	}
	_, _, err = newsbotEnv(t, map[string]string{"NEWSBOT_DB": db, "NEWSBOT_LLM_TEMPERATURE": "3"}, "", "ask", "x")
	if err == nil || !strings.Contains(err.Error(), "NEWSBOT_LLM_TEMPERATURE") {
		t.Errorf("bad temperature: %v", err)
	}
	// A local server needs no key.
	out, _, err := newsbotEnv(t, map[string]string{"NEWSBOT_DB": db, "NEWSBOT_LLM_MODEL": "llama3.2", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1",
		"NEWSBOT_LLM_RETRIES": "0"}, "", "ask", "--json", "Who met Vladimir Putin last week?")
	if err != nil || !strings.Contains(out, `"fallback_reason":"model_error"`) {
		t.Errorf("unreachable local model: %v\n%s", err, out)
	}
}

// Articles a feed poll brings in get their vectors too, when embeddings are
// configured, so that hybrid retrieval sees them.
func TestFeedPollEmbeds(t *testing.T) {
	srv := fakeopenai.New(t)
	site := newsSite(t)
	env := map[string]string{
		"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_FEEDS": site.URL + "/rss.xml", "NEWSBOT_HOST_DELAY": "0s",
		"OPENAI_API_KEY": testAPIKey, "OPENAI_BASE_URL": srv.BaseURL(), "NEWSBOT_EMBEDDING_MODEL": "test-embed",
	}
	out, logs, err := newsbotEnv(t, env, "", "feeds", "--poll")
	if err != nil {
		t.Fatalf("feeds --poll: %v\n%s\n%s", err, out, logs)
	}
	embeds := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/embeddings") {
			embeds++
		}
	}
	if embeds == 0 {
		t.Errorf("the poll stored articles but asked for no embeddings:\n%s", out)
	}
}
