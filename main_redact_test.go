package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/fakeopenai"
	"github.com/newsbot/newsbot/internal/redact"
)

// echoBack is an upstream that fails every request with status, echoing
// what it was sent (headers and body), as misconfigured proxies and some
// APIs' error pages do.
func echoBack(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"message": fmt.Sprintf("%d: upstream failure", status), "code": 0,
			"echo": map[string]any{"method": r.Method, "path": r.URL.String(), "authorization": r.Header.Get("Authorization"), "body": string(body)}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// serveOnce runs `newsbot serve` with env until it returns, and returns
// its stdout, stderr and error.
func serveOnce(t *testing.T, env map[string]string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	err := run(ctx, []string{"serve"}, &stdio{in: strings.NewReader(""), out: &out, err: &errb,
		getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	return out.String(), errb.String(), err
}

// assertHidden fails when any secret, in any of its escaped forms,
// appears in what newsbot printed or returned.
func assertHidden(t *testing.T, printed []string, secrets ...string) {
	t.Helper()
	all := strings.Join(printed, "\n")
	for _, s := range secrets {
		for _, form := range redact.Forms(s) {
			if strings.Contains(all, form) {
				t.Errorf("the secret %q is printed (as %q):\n%s", s, form, all)
			}
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Discord's REST API answering 500 with the request echoed, token
// included: serve logs what failed and retries, and the log does not show
// the token, in either log format.
func TestDiscordFailureHidesToken(t *testing.T) {
	const token = "MTAxNDk0NzI.discord-main-test.TOKEN_value-42"
	fake := echoBack(t, http.StatusInternalServerError)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			env := map[string]string{
				"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_HTTP_ADDR": "127.0.0.1:0",
				"NEWSBOT_FEEDS": "", "NEWSBOT_LOG_LEVEL": "debug", "NEWSBOT_LOG_FORMAT": format,
				"DISCORD_BOT_TOKEN": "Bot " + token, "DISCORD_API_URL": fake.URL + "/api/v9",
			}
			// A 500 is retried (start-up waits for Discord): stop serve
			// once the first failure is logged, as SIGTERM does.
			s := startServe(t, env)
			deadline := time.Now().Add(60 * time.Second)
			for !strings.Contains(s.stderr.String(), "discord connect: failed, retrying") {
				if time.Now().After(deadline) {
					t.Fatalf("no retry logged within 60s\n%s", s.stderr.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			err := s.stop(t)
			logs := s.stderr.String()
			if err != nil {
				t.Errorf("serve stopped while retrying: %v", err)
			}
			if !strings.Contains(logs, "500") {
				t.Errorf("the log does not report the 500:\n%s", logs)
			}
			if !strings.Contains(logs, redact.Mark) {
				t.Errorf("the echoed Authorization header should be shown redacted:\n%s", logs)
			}
			assertHidden(t, []string{logs, errText(err), fmt.Sprintf("%+v", err)}, token)
		})
	}
}

// Slack answering auth.test with an error that quotes the token: the
// bot token, the app token and the signing secret stay hidden.
func TestSlackFailureHidesTokens(t *testing.T) {
	const (
		botToken = "xoxb-1111-2222-mainTestBotToken"
		appToken = "xapp-1-A111-3333-mainTestAppToken"
		signing  = "0123456789abcdef-main-test-signing"
	)
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": false,
			"error": fmt.Sprintf("invalid_auth: %s %s token=%s is revoked", r.URL.Path, r.Header.Get("Authorization"), r.Form.Get("token"))})
	}))
	defer slack.Close()
	for _, mode := range []string{"http", "socket"} {
		t.Run(mode, func(t *testing.T) {
			env := map[string]string{
				"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_HISTORY_FILE": "", "NEWSBOT_HTTP_ADDR": "127.0.0.1:0",
				"NEWSBOT_FEEDS": "", "NEWSBOT_LOG_LEVEL": "debug",
				"SLACK_BOT_TOKEN": botToken, "SLACK_SIGNING_SECRET": signing, "SLACK_API_URL": slack.URL + "/api/",
			}
			if mode == "socket" {
				env["SLACK_APP_TOKEN"] = appToken
			}
			out, logs, err := serveOnce(t, env)
			if err == nil || !strings.Contains(err.Error(), "invalid_auth") {
				t.Fatalf("serve against a refusing Slack: err = %v\n%s", err, logs)
			}
			if !strings.Contains(err.Error(), redact.Mark) {
				t.Errorf("the echoed token should be shown redacted: %v", err)
			}
			assertHidden(t, []string{out, logs, errText(err)}, botToken, appToken, signing)
		})
	}
}

// The model's API answering 401 with the key quoted, for answers and for
// embeddings: the answer falls back to the template and nothing printed
// holds the key.
func TestOpenAIFailureHidesKey(t *testing.T) {
	const key = "sk-proj-mainTestSecretKey-0000-abcd"
	srv := fakeopenai.New(t)
	srv.Default = fakeopenai.Reply{Status: 401, Message: "Incorrect API key provided: " + key + ". You can find your API key at https://platform.openai.com/account/api-keys."}
	srv.EmbedFail = func([]string) *fakeopenai.Reply {
		return &fakeopenai.Reply{Status: 401, Body: `{"error":{"message":"bad key ` + key + `","echo":"Bearer ` + key + `"}}`}
	}
	env := map[string]string{
		"NEWSBOT_DB": filepath.Join(t.TempDir(), "news.db"), "NEWSBOT_LOG_LEVEL": "debug",
		"OPENAI_API_KEY": key, "OPENAI_BASE_URL": srv.BaseURL(), "NEWSBOT_LLM_MODEL": "test-model",
	}
	out, logs, err := newsbotEnv(t, env, "", "ask", "where were negotiations held?")
	if err != nil || !strings.Contains(out, "Saudi Arabia") {
		t.Errorf("ask with a refused key: %v, want the template answer\n%s\n%s", err, out, logs)
	}
	printed := []string{out, logs, errText(err)}
	env["NEWSBOT_EMBEDDING_MODEL"] = "test-embed"
	out, logs, err = newsbotEnv(t, env, "", "ingest", "knowledge/testdata")
	printed = append(printed, out, logs, errText(err))
	if len(srv.Requests()) < 2 {
		t.Fatalf("the fake saw %d requests; want chat and embeddings", len(srv.Requests()))
	}
	assertHidden(t, printed, key)
}

// fakePostgres is a PostgreSQL server that asks for a password and
// refuses it quoting it back, as a badly configured proxy might. It
// returns the server's address.
func fakePostgres(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				be := pgproto3.NewBackend(conn, conn)
				msg, err := be.ReceiveStartupMessage()
				if _, ok := msg.(*pgproto3.SSLRequest); ok && err == nil {
					conn.Write([]byte("N"))
					msg, err = be.ReceiveStartupMessage()
				}
				if err != nil {
					return
				}
				be.Send(&pgproto3.AuthenticationCleartextPassword{})
				be.Flush()
				be.SetAuthType(pgproto3.AuthTypeCleartextPassword)
				got, err := be.Receive()
				pw, ok := got.(*pgproto3.PasswordMessage)
				if err != nil || !ok {
					return
				}
				be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28P01",
					Message: "password authentication failed for user newsbot: got " + pw.Password})
				be.Flush()
			}()
		}
	}()
	return ln.Addr().String()
}

// A database that refuses the password quoting it: the command fails and
// the password, as written in the URL and decoded, is not printed.
func TestPostgresFailureHidesPassword(t *testing.T) {
	const password = "pg-Main/Test:pass@word"
	addr := fakePostgres(t)
	u := url.URL{Scheme: "postgres", User: url.UserPassword("newsbot", password), Host: addr, Path: "/news",
		RawQuery: "sslmode=disable&connect_timeout=10"}
	env := map[string]string{"NEWSBOT_DATABASE_URL": u.String(), "NEWSBOT_DB": filepath.Join(t.TempDir(), "unused.db"), "NEWSBOT_LOG_LEVEL": "debug"}
	out, logs, err := newsbotEnv(t, env, "", "ask", "anything")
	if err == nil || !strings.Contains(err.Error(), "28P01") {
		t.Fatalf("ask against a refusing database: err = %v, want the refusal\n%s", err, logs)
	}
	if !strings.Contains(err.Error(), "got "+redact.Mark) {
		t.Errorf("the echoed password should be shown redacted: %v", err)
	}
	assertHidden(t, []string{out, logs, errText(err)}, password, url.UserPassword("x", password).String()[2:])
}

// A panic that reaches run is logged with its stack, and both the log and
// the returned error hide the secrets its value holds.
func TestPanicHidesSecrets(t *testing.T) {
	const token = "xoxb-9999-panic-test-token"
	cfg, err := config.Load(config.Source{Getenv: func(k string) (string, bool) {
		v, ok := map[string]string{"SLACK_BOT_TOKEN": token, "NEWSBOT_FEEDS": ""}[k]
		return v, ok
	}})
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	sio := (&stdio{out: io.Discard, err: &errb}).redacted(cfg.Redactor())
	got := cfg.Redactor().Error(recovered(context.Background(), cfg, sio, "ask", errors.New("request with token "+token+" failed")))
	if !strings.Contains(errb.String(), "recovered from a panic") || !strings.Contains(errb.String(), "main_redact_test.go") {
		t.Errorf("the panic is not logged with its stack:\n%s", errb.String())
	}
	if !strings.Contains(got.Error(), "newsbot ask: panic: request with token [redacted] failed") {
		t.Errorf("returned error: %v", got)
	}
	assertHidden(t, []string{errb.String(), got.Error()}, token)
}
