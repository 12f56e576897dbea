package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFeedSettings(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "feeds.txt")
	os.WriteFile(list, []byte("# my feeds\nhttps://b.example/atom 2h\n\nhttps://a.example/rss # again: ignored\n"), 0o644)
	c, err := Load(Source{Getenv: env(map[string]string{
		"NEWSBOT_FEEDS":         "https://a.example/rss 15m, https://c.example/feed.json",
		"NEWSBOT_FEEDS_FILE":    list,
		"NEWSBOT_FEED_INTERVAL": "45m",
		"NEWSBOT_RETENTION":     "90d",
		"NEWSBOT_HOST_DELAY":    "0s",
	})})
	if err != nil {
		t.Fatal(err)
	}
	want := []FeedSource{
		{URL: "https://a.example/rss", Interval: 15 * time.Minute},
		{URL: "https://c.example/feed.json"},
		{URL: "https://b.example/atom", Interval: 2 * time.Hour},
	}
	if got := c.Feeds.Sources(); !reflect.DeepEqual(got, want) {
		t.Errorf("Sources = %+v, want %+v", got, want)
	}
	f := c.Feeds
	if f.Interval != 45*time.Minute || f.Retention != 90*24*time.Hour || f.HostDelay != 0 || !f.Robots || f.PerHost != 2 ||
		f.MaxBytes != 10<<20 || f.UserAgent != DefaultUserAgent || c.FeedsFromDefault() {
		t.Errorf("feeds config: %+v", f)
	}
}

func TestDefaultFeedsAndOff(t *testing.T) {
	c, err := Load(Source{Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Feeds.Sources()) != len(DefaultFeeds) || !c.FeedsFromDefault() || c.Feeds.Retention != 0 {
		t.Errorf("defaults: %+v (from default %v)", c.Feeds, c.FeedsFromDefault())
	}
	for _, v := range []string{"", "off"} {
		c, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_FEEDS": v})})
		if err != nil || len(c.Feeds.Sources()) != 0 || c.FeedsFromDefault() {
			t.Errorf("NEWSBOT_FEEDS=%q: %+v, %v; want no feeds", v, c.Feeds.Sources(), err)
		}
	}
}

func TestFeedLanguagesChooseTheBundledFeeds(t *testing.T) {
	urls := func(c *Config) []string {
		var out []string
		for _, s := range c.Feeds.Sources() {
			out = append(out, s.URL)
		}
		return out
	}
	for _, tc := range []struct {
		langs string
		want  []string
	}{
		{"fr", []string{"https://www.france24.com/fr/rss", "https://www.rfi.fr/fr/rss", "https://www.lemonde.fr/rss/une.xml"}},
		{" JA , de,ja", []string{"https://www.tagesschau.de/xml/rss2/", "https://rss.dw.com/rdf/rss-de-all",
			"https://www3.nhk.or.jp/rss/news/cat0.xml", "https://feeds.bbci.co.uk/japanese/rss.xml"}},
		{"off", nil},
	} {
		c, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_FEED_LANGUAGES": tc.langs})})
		if err != nil {
			t.Fatal(err)
		}
		if got := urls(c); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("NEWSBOT_FEED_LANGUAGES=%q: feeds %q, want %q", tc.langs, got, tc.want)
		}
		if !c.FeedsFromDefault() {
			t.Errorf("NEWSBOT_FEED_LANGUAGES=%q: bundled feeds not marked as the default (tests must never poll them)", tc.langs)
		}
		for _, s := range c.Settings() {
			if s.Env == "NEWSBOT_FEEDS" && s.Value != strings.Join(tc.want, ",") {
				t.Errorf("NEWSBOT_FEED_LANGUAGES=%q: NEWSBOT_FEEDS shown as %q", tc.langs, s.Value)
			}
		}
	}
	c, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_FEED_LANGUAGES": "all"})})
	if err != nil || len(c.Feeds.Sources()) != len(BundledFeeds) {
		t.Errorf("all: %d feeds, %v; want the %d bundled", len(c.Feeds.Sources()), err, len(BundledFeeds))
	}
	// Feeds named explicitly win over the languages.
	c, err = Load(Source{Getenv: env(map[string]string{"NEWSBOT_FEED_LANGUAGES": "all", "NEWSBOT_FEEDS": "https://a.example/rss"})})
	if got := urls(c); err != nil || !reflect.DeepEqual(got, []string{"https://a.example/rss"}) {
		t.Errorf("NEWSBOT_FEEDS and NEWSBOT_FEED_LANGUAGES: %q, %v; want NEWSBOT_FEEDS alone", got, err)
	}
	// Every bundled feed is listed, with its language, in docs/feeds.md.
	doc, err := os.ReadFile(filepath.Join("..", "docs", "feeds.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range BundledFeeds {
		if !strings.Contains(string(doc), "| "+f.Lang+" | "+f.Name+" | "+f.URL+" |") {
			t.Errorf("docs/feeds.md does not list %s %s (%s) as | %s | %s | %s |", f.Lang, f.Name, f.URL, f.Lang, f.Name, f.URL)
		}
	}
}

func TestInvalidFeedSettingsNameTheVariable(t *testing.T) {
	tests := map[string]string{
		"NEWSBOT_FEEDS":            "ftp://x.example/rss",
		"NEWSBOT_FEEDS_FILE":       filepath.Join(t.TempDir(), "missing.txt"),
		"NEWSBOT_FEED_INTERVAL":    "5s",
		"NEWSBOT_USER_AGENT":       "newsbot",
		"NEWSBOT_RETENTION":        "soon",
		"NEWSBOT_ROBOTS":           "sometimes",
		"NEWSBOT_FETCH_TIMEOUT":    "0",
		"NEWSBOT_FETCH_MAX_MB":     "0",
		"NEWSBOT_HOST_CONCURRENCY": "8",
		"NEWSBOT_HOST_DELAY":       "2h",
		"NEWSBOT_FEED_MAX_ITEMS":   "none",
		"NEWSBOT_FIRST_FETCH_WAIT": "forever",
		"NEWSBOT_FEED_LANGUAGES":   "en,klingon",
	}
	for name, val := range tests {
		_, err := Load(Source{Getenv: env(map[string]string{name: val})})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: error %v, want one naming %s", name, val, err, name)
		}
	}
	_, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_FEEDS": "https://a.example/rss 1m 2m"})})
	if err == nil {
		t.Error("three words in a feed entry: nil error")
	}
}
