package slack

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"
)

// manifest is the part of Slack's app manifest schema the README uses;
// every key the README's manifest has must be one of these (strict
// decoding), so a misspelt key fails here rather than in Slack.
type manifest struct {
	DisplayInformation struct {
		Name        string `yaml:"name"`
		Description string `yaml:"description"`
	} `yaml:"display_information"`
	Features struct {
		AppHome struct {
			MessagesTabEnabled         bool `yaml:"messages_tab_enabled"`
			MessagesTabReadOnlyEnabled bool `yaml:"messages_tab_read_only_enabled"`
		} `yaml:"app_home"`
		AssistantView *struct {
			AssistantDescription string `yaml:"assistant_description"`
		} `yaml:"assistant_view"`
		BotUser struct {
			DisplayName  string `yaml:"display_name"`
			AlwaysOnline bool   `yaml:"always_online"`
		} `yaml:"bot_user"`
		SlashCommands []struct {
			Command      string `yaml:"command"`
			URL          string `yaml:"url"`
			Description  string `yaml:"description"`
			UsageHint    string `yaml:"usage_hint"`
			ShouldEscape bool   `yaml:"should_escape"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuthConfig struct {
		RedirectURLs []string `yaml:"redirect_urls"`
		Scopes       struct {
			Bot  []string `yaml:"bot"`
			User []string `yaml:"user"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		EventSubscriptions struct {
			RequestURL string   `yaml:"request_url"`
			BotEvents  []string `yaml:"bot_events"`
			UserEvents []string `yaml:"user_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			IsEnabled  bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url"`
		} `yaml:"interactivity"`
		OrgDeployEnabled     bool `yaml:"org_deploy_enabled"`
		SocketModeEnabled    bool `yaml:"socket_mode_enabled"`
		TokenRotationEnabled bool `yaml:"token_rotation_enabled"`
	} `yaml:"settings"`
}

// readmeManifest is the manifest in README.md's Slack setup.
func readmeManifest(t *testing.T) manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	_, after, ok := strings.Cut(readme, "The manifest for HTTP")
	if !ok {
		t.Fatal(`README.md has no "The manifest for HTTP"`)
	}
	_, block, ok := strings.Cut(after, "```yaml\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("README.md: no ```yaml block after \"The manifest for HTTP\"")
	}
	var m manifest
	if err := yaml.UnmarshalStrict([]byte(block), &m); err != nil {
		t.Fatalf("README.md's Slack manifest: %v", err)
	}
	return m
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// The README's manifest asks for what the adapter uses and nothing more:
// the scopes newsbot requests at an OAuth install, the events it
// handles, its slash command, and URLs it serves.
func TestREADMEManifest(t *testing.T) {
	m := readmeManifest(t)
	if got, want := sorted(m.OAuthConfig.Scopes.Bot), sorted(DefaultScopes); !slices.Equal(got, want) {
		t.Errorf("manifest bot scopes %q, want DefaultScopes %q", got, want)
	}
	if len(m.OAuthConfig.Scopes.User) != 0 || len(m.Settings.EventSubscriptions.UserEvents) != 0 {
		t.Errorf("user scopes %q, user events %q: newsbot needs none", m.OAuthConfig.Scopes.User, m.Settings.EventSubscriptions.UserEvents)
	}
	if got, want := m.Settings.EventSubscriptions.BotEvents, sorted(BotEvents); !slices.Equal(got, want) {
		t.Errorf("manifest bot_events %q, want BotEvents %q (sorted)", got, want)
	}
	if m.Features.AssistantView == nil || m.Features.AssistantView.AssistantDescription == "" {
		t.Error("no assistant_view with an assistant_description (assistant threads need it)")
	}
	if !m.Features.AppHome.MessagesTabEnabled || m.Features.AppHome.MessagesTabReadOnlyEnabled {
		t.Error("the Messages tab must be on and writable: direct messages are questions")
	}
	if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != "/news" {
		t.Errorf("slash commands %+v, want the one /news (Options.Command's default)", m.Features.SlashCommands)
	}
	if !m.Settings.Interactivity.IsEnabled {
		t.Error("interactivity off: the Share in channel button needs it")
	}
	if m.Settings.SocketModeEnabled || m.Settings.TokenRotationEnabled {
		t.Error("the HTTP manifest turns on Socket Mode or token rotation (newsbot does not refresh tokens)")
	}

	// Every URL is one the adapter serves, with the method Slack uses.
	a, err := New(okAsker(), Options{BotToken: testBotToken, SigningSecret: testSecret, ClientID: testClientID, ClientSecret: testClientSecret,
		RedirectURL: testRedirect, Installs: &MemoryTokenStore{}, TokenKey: testTokenKey})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Register(mux)
	urls := map[string]string{
		m.Settings.EventSubscriptions.RequestURL: http.MethodPost,
		m.Settings.Interactivity.RequestURL:      http.MethodPost,
	}
	for _, c := range m.Features.SlashCommands {
		urls[c.URL] = http.MethodPost
	}
	for _, u := range m.OAuthConfig.RedirectURLs {
		urls[u] = http.MethodGet
	}
	if len(urls) != 4 {
		t.Errorf("URLs %v, want four distinct ones (commands, events, interactivity, OAuth redirect)", urls)
	}
	for raw, method := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Host != "newsbot.example.com" {
			t.Errorf("URL %q: want https://newsbot.example.com/… (%v)", raw, err)
			continue
		}
		if _, pattern := mux.Handler(&http.Request{Method: method, Host: u.Host, URL: &url.URL{Path: u.Path}}); pattern == "" {
			t.Errorf("%s %s: the adapter serves no such route", method, u.Path)
		}
	}
}

// Each event in BotEvents (the manifest's bot_events) does something,
// sent over HTTP to the adapter in Slack's wire format.
func TestBotEventsHandled(t *testing.T) {
	checks := map[string]func(t *testing.T){
		"app_mention": func(t *testing.T) {
			h := newHarness(t, okAsker(), Options{})
			postEvent(t, h, "Ev1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin?"))
			h.slack.waitFor(1, isMethod("chat.postMessage"))
		},
		"message.im": func(t *testing.T) {
			h := newHarness(t, okAsker(), Options{})
			postEvent(t, h, "Ev1", dmMessage("D1", "U1", "50.1", "", "Who met Vladimir Putin?"))
			h.slack.waitFor(1, isMethod("chat.postMessage"))
		},
		"message.channels": func(t *testing.T) {
			h := newHarness(t, okAsker(), Options{})
			postEvent(t, h, "Ev1", mention("C1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin?"))
			h.slack.waitFor(1, isMethod("chat.postMessage"))
			postEvent(t, h, "Ev2", channelMessage("channel", "C1", "U2", "100.2", "100.1", "and where?"))
			h.slack.waitFor(2, isMethod("chat.postMessage"))
		},
		"message.groups": func(t *testing.T) {
			h := newHarness(t, okAsker(), Options{})
			postEvent(t, h, "Ev1", mention("G1", "U1", "100.1", "", "<@UBOT> Who met Vladimir Putin?"))
			h.slack.waitFor(1, isMethod("chat.postMessage"))
			postEvent(t, h, "Ev2", channelMessage("group", "G1", "U2", "100.2", "100.1", "and where?"))
			h.slack.waitFor(2, isMethod("chat.postMessage"))
		},
		"assistant_thread_started": func(t *testing.T) {
			h := newHarness(t, assistantAsker(), Options{})
			postEvent(t, h, "Ev1", threadStarted("U1", "D1", "500.1"))
			h.slack.waitFor(1, isMethod("assistant.threads.setSuggestedPrompts"))
		},
		"assistant_thread_context_changed": func(t *testing.T) {
			// Seen without the thread's start (a restart), it makes the
			// thread an assistant thread: the next question gets a status.
			h := newHarness(t, okAsker(), Options{})
			postEvent(t, h, "Ev1", map[string]any{"type": "assistant_thread_context_changed", "event_ts": "500.5",
				"assistant_thread": map[string]any{"user_id": "U1", "channel_id": "D1", "thread_ts": "500.1", "context": map[string]any{"channel_id": "C7", "team_id": "T1"}}})
			postEvent(t, h, "Ev2", dmMessage("D1", "U1", "500.6", "500.1", "Who met Vladimir Putin?"))
			h.slack.waitFor(1, isMethod("assistant.threads.setStatus"))
		},
		"app_uninstalled": func(t *testing.T) {
			checkForgets(t, map[string]any{"type": "app_uninstalled"})
		},
		"tokens_revoked": func(t *testing.T) {
			checkForgets(t, map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{"UBOT2"}}})
		},
	}
	for _, ev := range BotEvents {
		check, ok := checks[ev]
		if !ok {
			t.Errorf("%s is in BotEvents but not checked here", ev)
			continue
		}
		t.Run(ev, check)
	}
	for ev := range checks {
		if !slices.Contains(BotEvents, ev) {
			t.Errorf("%s is checked but not in BotEvents", ev)
		}
	}
}

// checkForgets posts event from workspace T2, installed through OAuth,
// and checks that its installation is forgotten.
func checkForgets(t *testing.T, event map[string]any) {
	t.Helper()
	store := &MemoryTokenStore{}
	if err := store.Put(context.Background(), "T2", []byte("sealed")); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, okAsker(), oauthOptions(store))
	postEventJSON(t, h, teamEventJSON("EvU", "T2", event))
	if _, err := store.Get(context.Background(), "T2"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("after %s, Get = %v, want ErrNotInstalled", event["type"], err)
	}
}
