package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FeedsConfig holds the settings of the feeds area: RSS/Atom/JSON feeds
// polled in the background, and how politely pages are fetched. Its
// variables are listed by feedsVars (see Vars), so that each area's settings
// live in one file.
type FeedsConfig struct {
	// Feeds are the feeds of NEWSBOT_FEEDS; FileFeeds those of
	// NEWSBOT_FEEDS_FILE. Sources merges them.
	Feeds, FileFeeds []FeedSource
	// File is NEWSBOT_FEEDS_FILE.
	File string
	// Languages are NEWSBOT_FEED_LANGUAGES: the languages of the bundled
	// feeds polled when NEWSBOT_FEEDS is not set.
	Languages []string
	// Interval is how often each feed is polled, unless it says otherwise.
	Interval time.Duration
	// UserAgent is sent with every request; it names a contact URL.
	UserAgent string
	// Retention, when positive, deletes older articles; zero keeps all.
	Retention time.Duration
	// Robots makes article page fetches obey robots.txt.
	Robots bool
	// AllowLinkLocal lets feed and page fetches reach link-local and cloud
	// metadata addresses (refused by default; see docs/security.md).
	AllowLinkLocal bool
	// Timeout bounds one request; MaxBytes one response body.
	Timeout  time.Duration
	MaxBytes int64
	// PerHost and HostDelay bound the requests to one host.
	PerHost   int
	HostDelay time.Duration
	// MaxItems is how many of a feed's newest items are read per poll.
	MaxItems int
	// FirstWait is how long a first run with an empty store waits for the
	// feeds before answering.
	FirstWait time.Duration
}

// FeedSource is one feed and its optional interval override.
type FeedSource struct {
	URL      string
	Interval time.Duration // zero: FeedsConfig.Interval
}

// BundledFeed is one of the public news feeds newsbot ships with, and the
// language it is written in.
type BundledFeed struct {
	Lang, Name, URL string
}

// BundledFeeds are a few major public news feeds per language, so that a
// fresh install answers about today's news; NEWSBOT_FEED_LANGUAGES chooses
// the languages polled when NEWSBOT_FEEDS is not set (English by default).
// docs/feeds.md lists them.
var BundledFeeds = []BundledFeed{
	{"en", "BBC News World", "https://feeds.bbci.co.uk/news/world/rss.xml"},
	{"en", "NPR News", "https://feeds.npr.org/1001/rss.xml"},
	{"en", "The Guardian World", "https://www.theguardian.com/world/rss"},
	{"en", "Al Jazeera", "https://www.aljazeera.com/xml/rss/all.xml"},
	{"en", "DW English", "https://rss.dw.com/rdf/rss-en-all"},
	{"fr", "France 24", "https://www.france24.com/fr/rss"},
	{"fr", "RFI", "https://www.rfi.fr/fr/rss"},
	{"fr", "Le Monde", "https://www.lemonde.fr/rss/une.xml"},
	{"de", "tagesschau", "https://www.tagesschau.de/xml/rss2/"},
	{"de", "DW Deutsch", "https://rss.dw.com/rdf/rss-de-all"},
	{"es", "BBC News Mundo", "https://feeds.bbci.co.uk/mundo/rss.xml"},
	{"es", "France 24 Español", "https://www.france24.com/es/rss"},
	{"es", "El País", "https://feeds.elpais.com/mrss-s/pages/ep/site/elpais.com/portada"},
	{"pt", "BBC News Brasil", "https://feeds.bbci.co.uk/portuguese/rss.xml"},
	{"pt", "Agência Brasil", "https://agenciabrasil.ebc.com.br/rss/ultimasnoticias/feed.xml"},
	{"it", "ANSA", "https://www.ansa.it/sito/ansait_rss.xml"},
	{"it", "la Repubblica", "https://www.repubblica.it/rss/homepage/rss2.0.xml"},
	{"ru", "BBC News Русская служба", "https://feeds.bbci.co.uk/russian/rss.xml"},
	{"ru", "Meduza", "https://meduza.io/rss/all"},
	{"zh", "BBC News 中文", "https://feeds.bbci.co.uk/zhongwen/simp/rss.xml"},
	{"zh", "DW 中文", "https://rss.dw.com/rdf/rss-chi-all"},
	{"ja", "NHK ニュース", "https://www3.nhk.or.jp/rss/news/cat0.xml"},
	{"ja", "BBC News Japan", "https://feeds.bbci.co.uk/japanese/rss.xml"},
}

// DefaultFeeds are the URLs of the English bundled feeds, the feeds polled
// when neither NEWSBOT_FEEDS nor NEWSBOT_FEED_LANGUAGES is set.
var DefaultFeeds = bundledURLs([]string{"en"})

// FeedLanguages are the languages of BundledFeeds, in their order.
func FeedLanguages() []string {
	var out []string
	for _, f := range BundledFeeds {
		if !slices.Contains(out, f.Lang) {
			out = append(out, f.Lang)
		}
	}
	return out
}

// bundledURLs returns the URLs of the bundled feeds in langs.
func bundledURLs(langs []string) []string {
	var out []string
	for _, f := range BundledFeeds {
		if slices.Contains(langs, f.Lang) {
			out = append(out, f.URL)
		}
	}
	return out
}

// parseFeedLanguages reads NEWSBOT_FEED_LANGUAGES: comma-separated codes of
// FeedLanguages, or "all"; empty or "off" is none.
func parseFeedLanguages(v string) ([]string, error) {
	if off(v) {
		return nil, nil
	}
	known := FeedLanguages()
	var out []string
	for _, f := range strings.Split(v, ",") {
		code := strings.ToLower(strings.TrimSpace(f))
		switch {
		case code == "":
		case code == "all":
			return known, nil
		case !slices.Contains(known, code):
			return nil, fmt.Errorf("%q is not a language of the bundled feeds (%s, or all)", strings.TrimSpace(f), strings.Join(known, ", "))
		case !slices.Contains(out, code):
			out = append(out, code)
		}
	}
	return out, nil
}

// useBundledFeeds makes the bundled feeds of NEWSBOT_FEED_LANGUAGES the
// feed list when NEWSBOT_FEEDS is not set, and shows them as its value.
func (c *Config) useBundledFeeds() {
	if !c.FeedsFromDefault() {
		return
	}
	urls := bundledURLs(c.Feeds.Languages)
	c.Feeds.Feeds = nil
	for _, u := range urls {
		c.Feeds.Feeds = append(c.Feeds.Feeds, FeedSource{URL: u})
	}
	for i, s := range c.settings {
		if s.Env == "NEWSBOT_FEEDS" {
			c.settings[i].Value = strings.Join(urls, ",")
		}
	}
}

// DefaultUserAgent names newsbot and its contact URL.
const DefaultUserAgent = "newsbot/0.1 (+https://github.com/newsbot/newsbot)"

// feedsVars lists the variables of FeedsConfig.
func feedsVars() []Var {
	return []Var{
		{Env: "NEWSBOT_FEEDS", Default: strings.Join(DefaultFeeds, ","),
			Usage: "feeds to poll: comma-separated URLs, each optionally followed by a space and its own interval (\"https://x/rss.xml 15m\"); empty or \"off\" polls none; when unset, the bundled feeds of NEWSBOT_FEED_LANGUAGES",
			set: func(c *Config, v string) (err error) {
				if off(v) {
					c.Feeds.Feeds = nil
					return nil
				}
				c.Feeds.Feeds, err = parseFeedList(strings.Split(v, ","))
				return err
			}},
		{Env: "NEWSBOT_FEED_LANGUAGES", Default: "en",
			Usage: "languages of the bundled feeds polled when NEWSBOT_FEEDS is not set: comma-separated codes (" + strings.Join(FeedLanguages(), ", ") + ") or all; the list is in docs/feeds.md",
			set:   func(c *Config, v string) (err error) { c.Feeds.Languages, err = parseFeedLanguages(v); return err }},
		{Env: "NEWSBOT_FEEDS_FILE", Usage: "file listing more feeds, one per line as \"URL [interval]\"; # starts a comment",
			set: func(c *Config, v string) error {
				c.Feeds.File, c.Feeds.FileFeeds = v, nil
				if v == "" {
					return nil
				}
				data, err := os.ReadFile(v)
				if err != nil {
					return fmt.Errorf("cannot read %q: %v", v, errors.Unwrap(err))
				}
				var lines []string
				sc := bufio.NewScanner(bytes.NewReader(data))
				for n := 1; sc.Scan(); n++ {
					line, _, _ := strings.Cut(sc.Text(), "#")
					if strings.TrimSpace(line) != "" {
						lines = append(lines, line)
					}
				}
				c.Feeds.FileFeeds, err = parseFeedList(lines)
				if err != nil {
					return fmt.Errorf("%s: %w", v, err)
				}
				return nil
			}},
		{Env: "NEWSBOT_FEED_INTERVAL", Default: "30m", Usage: "how often each feed is polled (1m to 7d)",
			set: func(c *Config, v string) (err error) {
				c.Feeds.Interval, err = parseLongDuration(v, time.Minute, 7*24*time.Hour)
				return err
			}},
		{Env: "NEWSBOT_FEED_MAX_ITEMS", Default: "30", Usage: "how many of a feed's newest items are read per poll (1-500)",
			set: func(c *Config, v string) (err error) { c.Feeds.MaxItems, err = parseInt(v, 1, 500); return err }},
		{Env: "NEWSBOT_FIRST_FETCH_WAIT", Default: "60s", Usage: "on a first run with an empty store, how long the REPL waits for the feeds before answering (the rest arrives in the background); 0 does not wait",
			set: func(c *Config, v string) (err error) {
				if strings.TrimSpace(v) == "0" {
					c.Feeds.FirstWait = 0
					return nil
				}
				c.Feeds.FirstWait, err = parseDuration(v, 0, 10*time.Minute)
				return err
			}},
		{Env: "NEWSBOT_USER_AGENT", Default: DefaultUserAgent, Usage: "User-Agent sent when fetching feeds and pages; must name a contact URL or e-mail address",
			set: func(c *Config, v string) error {
				v = strings.TrimSpace(v)
				if !strings.Contains(v, "http://") && !strings.Contains(v, "https://") && !strings.Contains(v, "@") {
					return fmt.Errorf("%q names no contact URL or e-mail address (e.g. %q)", v, DefaultUserAgent)
				}
				c.Feeds.UserAgent = v
				return nil
			}},
		{Env: "NEWSBOT_RETENTION", Usage: "delete articles older than this (e.g. 90d, 2w, 720h); empty or 0 keeps everything",
			set: func(c *Config, v string) (err error) {
				if v = strings.TrimSpace(v); v == "" || v == "0" {
					c.Feeds.Retention = 0
					return nil
				}
				c.Feeds.Retention, err = parseLongDuration(v, time.Hour, 100*365*24*time.Hour)
				return err
			}},
		{Env: "NEWSBOT_ROBOTS", Default: "true", Usage: "obey robots.txt when fetching article pages (true/false)",
			set: func(c *Config, v string) (err error) { c.Feeds.Robots, err = parseBool(v); return err }},
		{Env: "NEWSBOT_FETCH_LINK_LOCAL", Default: "false", Usage: "let feed and page fetches reach link-local and cloud-metadata addresses such as 169.254.169.254 (true/false; see docs/security.md)",
			set: func(c *Config, v string) (err error) { c.Feeds.AllowLinkLocal, err = parseBool(v); return err }},
		{Env: "NEWSBOT_FETCH_TIMEOUT", Default: "30s", Usage: "time limit of one feed or page request",
			set: func(c *Config, v string) (err error) {
				c.Feeds.Timeout, err = parseDuration(v, time.Second, 5*time.Minute)
				return err
			}},
		{Env: "NEWSBOT_FETCH_MAX_MB", Default: "10", Usage: "largest feed or page newsbot downloads, in MiB (1-1024)",
			set: func(c *Config, v string) error {
				n, err := parseInt(v, 1, 1024)
				c.Feeds.MaxBytes = int64(n) << 20
				return err
			}},
		{Env: "NEWSBOT_HOST_CONCURRENCY", Default: "2", Usage: "requests newsbot makes to one host at a time (1-2)",
			set: func(c *Config, v string) (err error) { c.Feeds.PerHost, err = parseInt(v, 1, 2); return err }},
		{Env: "NEWSBOT_HOST_DELAY", Default: "1s", Usage: "least time between two requests to one host (0s-60s; a larger robots.txt Crawl-delay wins)",
			set: func(c *Config, v string) (err error) {
				c.Feeds.HostDelay, err = parseDuration(v, 0, time.Minute)
				return err
			}},
	}
}

func off(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	return v == "" || v == "off" || v == "none" || v == "false"
}

// parseFeedList reads entries "URL [interval]".
func parseFeedList(entries []string) ([]FeedSource, error) {
	var out []FeedSource
	for _, e := range entries {
		f := strings.Fields(e)
		if len(f) == 0 {
			continue
		}
		if len(f) > 2 {
			return nil, fmt.Errorf("%q: want a URL and at most an interval", strings.TrimSpace(e))
		}
		u, err := url.Parse(f[0])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%q is not an http(s) URL", f[0])
		}
		// The scheme in lower case ("HTTP://x" is http://x), so that one
		// feed is one URL; url.Parse has checked it is ASCII.
		src := FeedSource{URL: u.Scheme + f[0][len(u.Scheme):]}
		if len(f) == 2 {
			if src.Interval, err = parseLongDuration(f[1], time.Minute, 7*24*time.Hour); err != nil {
				return nil, fmt.Errorf("%s: %w", f[0], err)
			}
		}
		out = append(out, src)
	}
	return out, nil
}

// parseLongDuration reads a Go duration or a number of days ("90d") or
// weeks ("2w").
func parseLongDuration(given string, lo, hi time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(given)
	var d time.Duration
	var err error
	if n := len(v); n > 1 && (v[n-1] == 'd' || v[n-1] == 'w') {
		var k int
		k, err = strconv.Atoi(v[:n-1])
		unit := 24 * time.Hour
		if v[n-1] == 'w' {
			unit *= 7
		}
		d = time.Duration(k) * unit
	} else {
		d, err = time.ParseDuration(v)
	}
	if err != nil || d < lo || d > hi {
		return 0, fmt.Errorf("%q is not a duration from %v to %v (e.g. 30m, 12h, 90d)", given, lo, hi)
	}
	return d, nil
}

// Sources returns the feeds of NEWSBOT_FEEDS and NEWSBOT_FEEDS_FILE, each
// URL once (the first interval given wins).
func (f FeedsConfig) Sources() []FeedSource {
	seen := map[string]bool{}
	var out []FeedSource
	for _, s := range append(append([]FeedSource(nil), f.Feeds...), f.FileFeeds...) {
		if !seen[s.URL] {
			seen[s.URL] = true
			out = append(out, s)
		}
	}
	return out
}

// FeedsFromDefault reports whether the feed list is the built-in default
// (NEWSBOT_FEEDS not set anywhere), which tests must never fetch.
func (c *Config) FeedsFromDefault() bool {
	for _, s := range c.settings {
		if s.Env == "NEWSBOT_FEEDS" {
			return s.From == "default"
		}
	}
	return false
}
