package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joho/godotenv"
)

// fuzzable lists, from Vars, every variable a fuzz target may set:
// all but NEWSBOT_FEEDS_FILE, which reads the file it names (a fuzzer
// could name /dev/zero or a FIFO; the operator chooses that path).
func fuzzable() []Var {
	var out []Var
	for _, v := range Vars() {
		if v.Env != "NEWSBOT_FEEDS_FILE" {
			out = append(out, v)
		}
	}
	return out
}

// FuzzVar sets one variable to any value. Properties: Load does not
// panic; an error names the variable and never quotes a secret's value; a
// value that loads is shown by Settings as given (a secret only as
// "(set)"), coming from the environment.
func FuzzVar(f *testing.F) {
	vars := fuzzable()
	for i, v := range vars {
		f.Add(uint8(i), v.Default)
		f.Add(uint8(i), " "+v.Default+"\t")
	}
	for _, s := range []string{"", "0", "-1", "1e9", "9223372036854775807", "30s", "7d", "2w", "-5m", "true", "maybe",
		"xoxb-a b", "Bot x", "postgres://u:pw@h/db", "postgres://u:%zz@h/db", "http://[::1", "Ⱥ", "\x00", "\xff\xfe"} {
		f.Add(uint8(0), s)
		f.Add(uint8(3), s)
	}
	f.Fuzz(func(t *testing.T, idx uint8, value string) {
		v := vars[int(idx)%len(vars)]
		c, err := Load(Source{Getenv: env(map[string]string{v.Env: value, "NEWSBOT_FEEDS": ""})})
		if err != nil {
			msg := err.Error()
			if !strings.Contains(msg, v.Env) {
				t.Fatalf("%s=%q: error names no variable of its own: %v", v.Env, value, err)
			}
			if v.Secret && len(value) >= 6 && strings.Contains(msg, value) && !strings.Contains(v.Env+" (from environment): invalid value", value) {
				t.Fatalf("%s=%q: the error quotes the secret: %v", v.Env, value, err)
			}
			return
		}
		var s *Setting
		for i := range c.Settings() {
			if c.Settings()[i].Env == v.Env {
				s = &c.Settings()[i]
			}
		}
		switch {
		case s == nil:
			t.Fatalf("%s: not in Settings", v.Env)
		case s.From != "environment":
			t.Fatalf("%s=%q: from %q, want environment", v.Env, value, s.From)
		case v.Secret && s.Value != "(set)" && s.Value != "(unset)":
			t.Fatalf("%s: Settings shows the secret %q", v.Env, s.Value)
		case !v.Secret && s.Value != value:
			t.Fatalf("%s: Settings shows %q, want %q", v.Env, s.Value, value)
		}
	})
}

// FuzzValueParsers drives the parsers every numeric, duration and boolean
// variable goes through. Properties: a value either parses within the
// bounds or gives an error quoting it; what parses prints in the canonical
// form (Duration.String, Itoa, FormatBool), and that form parses back to
// the same value.
func FuzzValueParsers(f *testing.F) {
	for _, s := range []string{"30s", " 5m ", "0", "0s", "10m0s", "1h", "90d", "2w", "1d", "7d", "-1d", "9223372036854775807d",
		"1.5h", "1e3s", "8", "50", "51", "-0", "+3", "true", "FALSE", "t", "1", "yes", "", "d", "w", "Ⱥ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		quoted := strconv.Quote(s)
		check := func(name string, err error) {
			t.Helper()
			if err != nil && !strings.Contains(err.Error(), quoted) {
				t.Fatalf("%s(%q): error does not quote the value: %v", name, s, err)
			}
		}
		lo, hi := time.Duration(0), 10*time.Minute
		if d, err := parseDuration(s, lo, hi); err == nil {
			if d < lo || d > hi {
				t.Fatalf("parseDuration(%q) = %v, outside [%v, %v]", s, d, lo, hi)
			}
			if back, err := parseDuration(d.String(), lo, hi); err != nil || back != d {
				t.Fatalf("parseDuration(%q) = %v, but its String %q parses to %v, %v", s, d, d.String(), back, err)
			}
		} else {
			check("parseDuration", err)
		}
		llo, lhi := time.Minute, 100*365*24*time.Hour
		if d, err := parseLongDuration(s, llo, lhi); err == nil {
			if d < llo || d > lhi {
				t.Fatalf("parseLongDuration(%q) = %v, outside [%v, %v]", s, d, llo, lhi)
			}
			if back, err := parseLongDuration(d.String(), llo, lhi); err != nil || back != d {
				t.Fatalf("parseLongDuration(%q) = %v, but its String %q parses to %v, %v", s, d, d.String(), back, err)
			}
		} else {
			check("parseLongDuration", err)
		}
		if n, err := parseInt(s, 1, 50); err == nil {
			if n < 1 || n > 50 {
				t.Fatalf("parseInt(%q) = %d, outside [1, 50]", s, n)
			}
			if back, err := parseInt(strconv.Itoa(n), 1, 50); err != nil || back != n {
				t.Fatalf("parseInt(%q) = %d, but %d parses to %d, %v", s, n, n, back, err)
			}
		} else {
			check("parseInt", err)
		}
		if b, err := parseBool(s); err == nil {
			if back, err := parseBool(strconv.FormatBool(b)); err != nil || back != b {
				t.Fatalf("parseBool(%q) = %v, but %v parses to %v, %v", s, b, b, back, err)
			}
		} else {
			check("parseBool", err)
		}
	})
}

// FuzzFeedList is NEWSBOT_FEEDS, the comma-separated "URL [interval]"
// list. Properties: no panic; an error names NEWSBOT_FEEDS; each feed that
// loads is an http(s) URL with a host and an interval that is zero or
// within 1m-7d; the list written back as "URL interval, ..." loads to the
// same feeds.
func FuzzFeedList(f *testing.F) {
	f.Add(strings.Join(DefaultFeeds, ","))
	for _, s := range []string{"", "off", "https://a.example/rss 15m, https://c.example/feed.json", "http://x/rss 1d,http://y/atom 1w",
		"https://a/rss 30s", "https://a/rss 15m extra", "ftp://a/rss", "https:///rss", ",,,", "http://a/ 7d", "http://a/ 8d",
		"http://[::1]:8080/feed 2h", "https://a.example/rss\t1h", "http://%zz/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		c, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_FEEDS": list})})
		if err != nil {
			if !strings.Contains(err.Error(), "NEWSBOT_FEEDS") {
				t.Fatalf("NEWSBOT_FEEDS=%q: error does not name the variable: %v", list, err)
			}
			return
		}
		var back []string
		for _, fs := range c.Feeds.Feeds {
			if !strings.HasPrefix(fs.URL, "http://") && !strings.HasPrefix(fs.URL, "https://") {
				t.Fatalf("NEWSBOT_FEEDS=%q: feed %q is not http(s)", list, fs.URL)
			}
			if fs.Interval != 0 && (fs.Interval < time.Minute || fs.Interval > 7*24*time.Hour) {
				t.Fatalf("NEWSBOT_FEEDS=%q: interval %v outside 1m-7d", list, fs.Interval)
			}
			e := fs.URL
			if fs.Interval != 0 {
				e += " " + fs.Interval.String()
			}
			back = append(back, e)
		}
		if len(back) == 0 {
			return // "off", or only separators: nothing to write back
		}
		again, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_FEEDS": strings.Join(back, ", ")})})
		if err != nil {
			t.Fatalf("NEWSBOT_FEEDS=%q loads, but written back as %q it does not: %v", list, strings.Join(back, ", "), err)
		}
		if !reflect.DeepEqual(again.Feeds.Feeds, c.Feeds.Feeds) {
			t.Fatalf("NEWSBOT_FEEDS=%q: %+v, written back %+v", list, c.Feeds.Feeds, again.Feeds.Feeds)
		}
	})
}

// FuzzEnvFile is the .env file as Load reads it. Properties: no panic; an
// error names the file or a variable; each variable the file sets that
// loads comes from the file; a secret set in the file is never quoted in
// an error.
func FuzzEnvFile(f *testing.F) {
	f.Add([]byte("NEWSBOT_DB=/from/dotenv.db\nNEWSBOT_PASSAGES=3\nNEWSBOT_TIMEZONE=Europe/Paris\n"))
	f.Add([]byte(Example()))
	f.Add([]byte("# comment\nexport NEWSBOT_LOG_LEVEL=debug\nNEWSBOT_FEEDS='https://a/rss 15m'\n"))
	f.Add([]byte("SLACK_BOT_TOKEN=\"xoxb-1-2 \\\" x\"\nOPENAI_API_KEY=sk-secret-value\nNEWSBOT_LLM_MODEL=m\n"))
	f.Add([]byte("NEWSBOT_PASSAGES=${NEWSBOT_X}\nNEWSBOT_X=9\n"))
	f.Add([]byte("=\n==\n'\n\"unterminated\nNEWSBOT_DB\n"))
	f.Add([]byte("NEWSBOT_DATABASE_URL=postgres://u:hunter22@/db?host=/tmp\n"))
	f.Add([]byte("\xef\xbb\xbfNEWSBOT_SAMPLE=false\r\n"))
	// One file per fuzzing process, rewritten for each input (a directory
	// per input made the target ten times slower).
	path := filepath.Join(f.TempDir(), ".env")
	var mu sync.Mutex
	f.Fuzz(func(t *testing.T, data []byte) {
		mu.Lock()
		defer mu.Unlock()
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		// The environment wins over .env: keep the file from naming a
		// feeds file to read (see fuzzable) or public feeds.
		getenv := env(map[string]string{"NEWSBOT_FEEDS_FILE": "", "NEWSBOT_FEEDS": ""})
		c, err := Load(Source{Getenv: getenv, EnvFile: path})
		parsed, perr := godotenv.Read(path)
		if err != nil {
			msg := err.Error()
			named := strings.Contains(msg, path)
			for _, v := range Vars() {
				named = named || strings.Contains(msg, v.Env)
				if val := parsed[v.Env]; v.Secret && len(val) >= 6 && strings.Contains(msg, val) && !strings.Contains(v.Env+" (from "+path+"): invalid value", val) {
					t.Fatalf("the error quotes the secret %s: %v", v.Env, err)
				}
			}
			if !named {
				t.Fatalf("error names neither the file nor a variable: %v", err)
			}
			return
		}
		if perr != nil {
			t.Fatalf("Load succeeded but the file does not parse: %v", perr)
		}
		for _, s := range c.Settings() {
			_, inFile := parsed[s.Env]
			overridden := s.Env == "NEWSBOT_FEEDS_FILE" || s.Env == "NEWSBOT_FEEDS"
			if inFile && !overridden && s.From != path {
				t.Fatalf("%s is set in the file but comes from %q", s.Env, s.From)
			}
			if !inFile && s.From == path {
				t.Fatalf("%s is not in the file but comes from it", s.Env)
			}
		}
	})
}
