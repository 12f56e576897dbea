// Package config loads newsbot's configuration from, in order of
// precedence, command-line flags, the environment, a .env file, and
// defaults. Every setting is a Var listed by Vars: one place that names its
// environment variable, flag, default and meaning, from which the flags,
// the validation and the documentation (.env.example) all follow.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"
	"github.com/spf13/pflag"

	"github.com/newsbot/newsbot/internal/redact"
)

// Config is newsbot's whole configuration. Zero values of optional parts
// mean "off".
type Config struct {
	// DB is the SQLite file of the embedded store.
	DB string
	// DatabaseURL, when set, is a postgres:// URL: the store is that
	// PostgreSQL database instead of the SQLite file. It may hold a password.
	DatabaseURL string
	// PromptsDir, when set, overrides embedded templates by file name.
	PromptsDir string
	// LogLevel and LogFormat ("text" or "json") shape the log on stderr.
	LogLevel  slog.Level
	LogFormat string
	// Location is the time zone for dates in questions and answers.
	Location *time.Location
	// Sample loads the bundled sample article into an empty store.
	Sample bool
	// Passages is how many passages the bot retrieves per question.
	Passages int
	// StaleAfter is the age of the newest source past which an answer
	// about the present says how old its sources are.
	StaleAfter time.Duration
	// RankingFile, when set, is a JSON file of ranking parameters (as
	// `newsbot eval --fit` prints) over the built-in ones.
	RankingFile string
	// HistoryFile keeps REPL history; empty disables it.
	HistoryFile string

	// HTTPAddr is where `newsbot serve` listens for HTTP (Slack requests,
	// Discord interactions, health checks).
	HTTPAddr string
	// ShutdownTimeout bounds how long `serve` waits for answers in flight
	// after SIGTERM.
	ShutdownTimeout time.Duration
	// RateLimit is how many questions one chat user may ask per minute.
	RateLimit int

	// Per-area settings; each is filled by the variables listed in its
	// own file (see Vars).
	LLM     LLMConfig
	Feeds   FeedsConfig
	Slack   SlackConfig
	Discord DiscordConfig

	settings []Setting
	warnings []string         // see Warnings
	secrets  []string         // see Secrets
	redactor *redact.Redactor // built from secrets
}

// Var is one configuration variable.
type Var struct {
	Env     string // environment variable, e.g. NEWSBOT_DB
	Flag    string // command-line flag without dashes, or ""
	Default string // default value
	// DefaultDoc documents a default that depends on the machine (a path
	// under $HOME); empty means Default is shown as it is.
	DefaultDoc string
	Usage      string // one line for --help and .env.example
	Secret     bool   // never print the value
	set        func(c *Config, v string) error
}

// Vars lists every configuration variable, built afresh on each call, in a
// fixed order that is the order of --help, .env.example and Load: the
// general settings (generalVars), then the areas in alphabetical order of
// their files: Discord (discord.go), feeds (feeds.go), LLM (llm.go) and
// Slack (slack.go). Within an area, a variable may check one listed before
// it (NEWSBOT_LLM_MODEL reads OPENAI_API_KEY), so each area's function keeps
// its own order.
func Vars() []Var {
	var vs []Var
	for _, area := range [][]Var{generalVars(), discordVars(), feedsVars(), llmVars(), slackVars()} {
		vs = append(vs, area...)
	}
	return vs
}

// generalVars lists the variables of Config's own fields: the store,
// logging, time zone, retrieval and serving.
func generalVars() []Var {
	return []Var{
		{Env: "NEWSBOT_DB", Flag: "db", Default: DefaultDBPath(), DefaultDoc: "$XDG_DATA_HOME/newsbot/newsbot.db, else ~/.local/share/newsbot/newsbot.db", Usage: "the article store: an SQLite file (created when missing) or a postgres:// URL",
			set: func(c *Config, v string) error {
				if strings.TrimSpace(v) == "" {
					return errors.New("must not be empty")
				}
				c.DB = v
				return nil
			}},
		{Env: "NEWSBOT_DATABASE_URL", Secret: true, Usage: "PostgreSQL store, postgres://user:password@host:5432/db; when set, used instead of NEWSBOT_DB (several instances may share one database)",
			set: func(c *Config, v string) error {
				if v == "" {
					return nil
				}
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" && u.Query().Get("host") == "" {
					return errors.New("not a postgres://user:password@host:5432/db URL")
				}
				c.DatabaseURL = v
				return nil
			}},
		{Env: "NEWSBOT_PROMPTS_DIR", Flag: "prompts-dir", Usage: "directory whose *.tmpl files override the built-in answer templates and prompts",
			set: func(c *Config, v string) error {
				if v != "" {
					if fi, err := os.Stat(v); err != nil || !fi.IsDir() {
						return fmt.Errorf("%q is not a directory", v)
					}
				}
				c.PromptsDir = v
				return nil
			}},
		{Env: "NEWSBOT_LOG_LEVEL", Flag: "log-level", Default: "warn", Usage: "log level: debug, info, warn or error",
			set: func(c *Config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) }},
		{Env: "NEWSBOT_LOG_FORMAT", Default: "text", Usage: "log format: text or json",
			set: func(c *Config, v string) error {
				if v != "text" && v != "json" {
					return fmt.Errorf("%q is neither text nor json", v)
				}
				c.LogFormat = v
				return nil
			}},
		{Env: "NEWSBOT_TIMEZONE", Flag: "tz", Default: "Local", Usage: "time zone for dates in questions and answers (IANA name, e.g. Europe/Paris)",
			set: func(c *Config, v string) error {
				loc, err := time.LoadLocation(v)
				if err != nil {
					return fmt.Errorf("unknown time zone %q", v)
				}
				c.Location = loc
				return nil
			}},
		{Env: "NEWSBOT_SAMPLE", Default: "true", Usage: "load the bundled sample article when the store is empty (true/false)",
			set: func(c *Config, v string) (err error) { c.Sample, err = parseBool(v); return err }},
		{Env: "NEWSBOT_PASSAGES", Default: "8", Usage: "passages retrieved per question (1-50)",
			set: func(c *Config, v string) (err error) { c.Passages, err = parseInt(v, 1, 50); return err }},
		{Env: "NEWSBOT_STALE_AFTER", Default: "720h", Usage: "an answer about the present says how old its sources are when the newest is older than this (a Go duration: 720h is 30 days)",
			set: func(c *Config, v string) (err error) {
				c.StaleAfter, err = parseDuration(v, time.Hour, 100*365*24*time.Hour)
				return err
			}},
		{Env: "NEWSBOT_RANKING_FILE", Usage: "JSON file of ranking weights over the built-in ones (as `newsbot eval --fit` prints)",
			set: func(c *Config, v string) error {
				if v != "" {
					if fi, err := os.Stat(v); err != nil || fi.IsDir() {
						return fmt.Errorf("%q is not a file", v)
					}
				}
				c.RankingFile = v
				return nil
			}},
		{Env: "NEWSBOT_HTTP_ADDR", Default: ":8080", Usage: "address `newsbot serve` listens on for HTTP (Slack requests, Discord interactions, /healthz)",
			set: func(c *Config, v string) error {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("%q is not host:port (e.g. :8080)", v)
				}
				c.HTTPAddr = v
				return nil
			}},
		{Env: "NEWSBOT_SHUTDOWN_TIMEOUT", Default: "20s", Usage: "how long `newsbot serve` waits for answers in flight after SIGTERM",
			set: func(c *Config, v string) (err error) {
				c.ShutdownTimeout, err = parseDuration(v, time.Second, time.Hour)
				return err
			}},
		{Env: "NEWSBOT_RATE_LIMIT", Default: "6", Usage: "questions one chat user may ask per minute (Slack, Discord); 0 disables the limit",
			set: func(c *Config, v string) (err error) { c.RateLimit, err = parseInt(v, 0, 10000); return err }},
		{Env: "NEWSBOT_HISTORY_FILE", Default: defaultHistoryFile(), DefaultDoc: "history next to the default database", Usage: "REPL history file; empty disables history",
			set: func(c *Config, v string) error { c.HistoryFile = v; return nil }},
	}
}

func parseBool(v string) (bool, error) {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", v)
	}
	return b, nil
}

func parseDuration(v string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < lo || d > hi {
		return 0, fmt.Errorf("%q is not a duration from %v to %v (e.g. 30s, 5m)", v, lo, hi)
	}
	return d, nil
}

func parseInt(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%q is not a whole number from %d to %d", v, lo, hi)
	}
	return n, nil
}

// dataDir is where newsbot keeps its files by default:
// $XDG_DATA_HOME/newsbot, else ~/.local/share/newsbot, else ./.newsbot.
func dataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "newsbot")
	}
	if h, err := os.UserHomeDir(); err == nil && h != "" {
		return filepath.Join(h, ".local", "share", "newsbot")
	}
	return ".newsbot"
}

// DefaultDBPath is the store used when NEWSBOT_DB is not set.
func DefaultDBPath() string { return filepath.Join(dataDir(), "newsbot.db") }

func defaultHistoryFile() string { return filepath.Join(dataDir(), "history") }

// RegisterFlags adds a flag for every Var that has one to fs, plus
// --env-file. Flag values are read back by Load (ChangedFlags).
func RegisterFlags(fs *pflag.FlagSet) {
	for _, v := range Vars() {
		if v.Flag != "" {
			fs.String(v.Flag, "", v.Usage+" ("+v.Env+")")
		}
	}
	fs.String("env-file", "", "read settings from this file instead of ./.env (NEWSBOT_ENV_FILE)")
}

// ChangedFlags returns the flags set on the command line, by name, for
// Source.Flags.
func ChangedFlags(fs *pflag.FlagSet) map[string]string {
	m := map[string]string{}
	fs.Visit(func(f *pflag.Flag) { m[f.Name] = f.Value.String() })
	return m
}

// Source gives Load its inputs; the zero value reads nothing.
type Source struct {
	// Flags are the settings' flags given on the command line, by name
	// (ChangedFlags); may be nil.
	Flags map[string]string
	// Environ lists the environment as KEY=value, for the warnings about
	// unknown variables; nil means os.Environ (with Getenv nil) or none.
	Environ func() []string
	// Getenv looks up the environment; nil means os.LookupEnv.
	Getenv func(string) (string, bool)
	// EnvFile is the .env file to read when neither --env-file nor
	// NEWSBOT_ENV_FILE names one; a missing default file is fine.
	EnvFile string
}

// Load builds the Config: for each Var, a flag set on the command line
// wins, then the environment, then the .env file, then the default. An
// invalid value is an error naming the variable; a missing .env file given
// explicitly is an error too.
func Load(src Source) (*Config, error) {
	return load(src, Vars())
}

// load is Load over the variables vars.
func load(src Source, vars []Var) (*Config, error) {
	getenv := src.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	flags := src.Flags
	if flags == nil {
		flags = map[string]string{}
	}
	envFile, explicit := src.EnvFile, false
	if v, ok := getenv("NEWSBOT_ENV_FILE"); ok && v != "" {
		envFile, explicit = v, true
	}
	if v, ok := flags["env-file"]; ok {
		envFile, explicit = v, true
	}
	dotenv := map[string]string{}
	if envFile != "" {
		m, err := godotenv.Read(envFile)
		switch {
		case err == nil:
			dotenv = m
		case errors.Is(err, os.ErrNotExist) && !explicit:
		default:
			return nil, fmt.Errorf("config: env file %s: %w", envFile, err)
		}
	}
	c := &Config{LogFormat: "text", Location: time.Local}
	var errs []error
	for _, v := range vars {
		val, from := v.Default, "default"
		if d, ok := dotenv[v.Env]; ok {
			val, from = d, envFile
		}
		if e, ok := getenv(v.Env); ok {
			val, from = e, "environment"
		}
		if v.Flag != "" {
			if f, ok := flags[v.Flag]; ok {
				val, from = f, "--"+v.Flag
			}
		}
		shown := val
		if v.Secret {
			shown = "(unset)"
			if val != "" {
				shown = "(set)"
			}
		}
		c.settings = append(c.settings, Setting{Env: v.Env, Value: shown, From: from})
		c.secrets = append(c.secrets, secretValues(v, val)...)
		if err := v.set(c, val); err != nil {
			shown := err.Error()
			if v.Secret {
				shown = "invalid value"
			}
			errs = append(errs, fmt.Errorf("%s (from %s): %s", v.Env, from, shown))
		}
	}
	c.useBundledFeeds()
	// NEWSBOT_DB (and --db) may name a PostgreSQL database too.
	if c.DatabaseURL == "" && isPostgresURL(c.DB) {
		c.DatabaseURL = c.DB
	}
	c.warnings = unknownVars(src, getenv, dotenv, envFile, vars)
	if pw, ok := getenv("PGPASSWORD"); ok { // read by the PostgreSQL driver
		c.secrets = append(c.secrets, pw)
	}
	c.redactor = redact.New(c.secrets...)
	if len(errs) > 0 {
		// A value may quote a credential (a feed URL with a password).
		return nil, c.redactor.Error(fmt.Errorf("config: %w", errors.Join(errs...)))
	}
	return c, nil
}

// isPostgresURL reports whether s names a PostgreSQL database.
func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Warnings are what Load found suspicious but not wrong: variables of
// newsbot's prefixes that it does not know (a typo in .env is otherwise
// silently ignored), each with the closest known name.
func (c *Config) Warnings() []string { return c.warnings }

// knownPrefixes are the prefixes of newsbot's variables.
var knownPrefixes = []string{"NEWSBOT_", "SLACK_", "DISCORD_"}

// unknownVars lists the variables with a known prefix, in the environment
// or the .env file, that no Var reads.
func unknownVars(src Source, getenv func(string) (string, bool), dotenv map[string]string, envFile string, vars []Var) []string {
	known := map[string]bool{"NEWSBOT_ENV_FILE": true}
	for _, v := range vars {
		known[v.Env] = true
	}
	// Test and tool settings of the project itself.
	for _, k := range []string{"NEWSBOT_TEST_POSTGRES", "NEWSBOT_TEST_POSTGRES_REQUIRED", "NEWSBOT_REALTIMEQA", "NEWSBOT_FIT_DB", "NEWSBOT_FIT_OUT", "NEWSBOT_FIT_QUESTIONS"} {
		known[k] = true
	}
	type found struct{ name, from string }
	var seen []found
	for k := range dotenv {
		seen = append(seen, found{k, envFile})
	}
	environ := src.Environ
	if environ == nil && src.Getenv == nil {
		environ = os.Environ
	}
	if environ != nil {
		for _, kv := range environ() {
			k, _, _ := strings.Cut(kv, "=")
			seen = append(seen, found{k, "the environment"})
		}
	}
	var out []string
	done := map[string]bool{}
	for _, f := range seen {
		if known[f.name] || done[f.name] || !hasKnownPrefix(f.name) {
			continue
		}
		done[f.name] = true
		msg := fmt.Sprintf("unknown variable %s (in %s) is ignored", f.name, f.from)
		if best := closest(f.name, known); best != "" {
			msg += "; did you mean " + best + "?"
		}
		out = append(out, msg)
	}
	slices.Sort(out)
	return out
}

func hasKnownPrefix(name string) bool {
	for _, p := range knownPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// closest returns the known name nearest to name by edit distance, if it
// is near enough to be a typo.
func closest(name string, known map[string]bool) string {
	best, bestD := "", len(name)/3+1
	for k := range known {
		if d := editDistance(name, k); d < bestD || d == bestD && best != "" && k < best {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Setting is one variable's effective value and where it came from.
type Setting struct {
	Env, Value, From string
}

// Settings lists every variable's effective value and origin, for display;
// secrets appear only as "(set)" or "(unset)".
func (c *Config) Settings() []Setting {
	return c.settings
}

// Example renders the documentation of every variable in .env file form:
// the content of the repository's .env.example.
func Example() string {
	var b strings.Builder
	b.WriteString("# newsbot configuration. Copy to .env and uncomment what you change.\n")
	b.WriteString("# Precedence: command-line flags > environment > .env > defaults.\n")
	b.WriteString("# Generated from config.Vars by `go test ./config -update`; do not edit by hand.\n")
	for _, v := range Vars() {
		b.WriteString("\n# " + v.Usage + "\n")
		if v.Flag != "" {
			b.WriteString("# flag: --" + v.Flag + "\n")
		}
		if v.Secret {
			b.WriteString("# secret: never logged or printed\n")
		}
		if v.DefaultDoc != "" {
			b.WriteString("# default: " + v.DefaultDoc + "\n")
			b.WriteString("# " + v.Env + "=\n")
			continue
		}
		b.WriteString("# " + v.Env + "=" + v.Default + "\n")
	}
	return b.String()
}
