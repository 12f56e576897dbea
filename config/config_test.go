package config

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

var update = flag.Bool("update", false, "rewrite .env.example")

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	dotenv := filepath.Join(dir, ".env")
	os.WriteFile(dotenv, []byte("NEWSBOT_DB=/from/dotenv.db\nNEWSBOT_PASSAGES=3\nNEWSBOT_TIMEZONE=Europe/Paris\n"), 0o644)
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	RegisterFlags(fs)
	if err := fs.Parse([]string{"--db", "/from/flag.db"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Source{Flags: ChangedFlags(fs), EnvFile: dotenv, Getenv: env(map[string]string{"NEWSBOT_DB": "/from/env.db", "NEWSBOT_PASSAGES": "5"})})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "/from/flag.db" {
		t.Errorf("DB = %q, want the flag's value", c.DB)
	}
	if c.Passages != 5 {
		t.Errorf("Passages = %d, want 5 from the environment over .env", c.Passages)
	}
	if c.Location.String() != "Europe/Paris" {
		t.Errorf("Location = %v, want Europe/Paris from .env", c.Location)
	}
	if !c.Sample {
		t.Errorf("Sample = false, want the default true")
	}
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	tests := map[string]string{
		"NEWSBOT_PASSAGES":  "lots",
		"NEWSBOT_LOG_LEVEL": "loud",
		"NEWSBOT_TIMEZONE":  "Mars/Olympus",
		"NEWSBOT_SAMPLE":    "maybe",
		"NEWSBOT_DB":        "",
	}
	for name, val := range tests {
		_, err := Load(Source{Getenv: env(map[string]string{name: val})})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: error %v, want one naming %s", name, val, err, name)
		}
	}
}

func TestExplicitEnvFileMustExist(t *testing.T) {
	_, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_ENV_FILE": filepath.Join(t.TempDir(), "nope.env")})})
	if err == nil {
		t.Error("missing explicit env file: got nil error")
	}
	if _, err := Load(Source{EnvFile: filepath.Join(t.TempDir(), ".env"), Getenv: env(nil)}); err != nil {
		t.Errorf("missing default .env: %v, want no error", err)
	}
}

func TestSecretsNotShown(t *testing.T) {
	vars := append(Vars(), Var{Env: "NEWSBOT_TEST_SECRET", Secret: true, set: func(c *Config, v string) error {
		if v == "bad-secret-value" {
			return os.ErrInvalid
		}
		return nil
	}})
	c, err := load(Source{Getenv: env(map[string]string{"NEWSBOT_TEST_SECRET": "hunter2"})}, vars)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Settings() {
		if strings.Contains(s.Value, "hunter2") {
			t.Errorf("Settings shows the secret: %+v", s)
		}
	}
	_, err = load(Source{Getenv: env(map[string]string{"NEWSBOT_TEST_SECRET": "bad-secret-value"})}, vars)
	if err == nil || strings.Contains(err.Error(), "bad-secret-value") {
		t.Errorf("error for a bad secret = %v; want an error that does not echo it", err)
	}
}

func TestEnvExample(t *testing.T) {
	path := filepath.Join("..", ".env.example")
	want := Example()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf(".env.example is out of date with config.Vars; run go test ./config -update")
	}
	for _, v := range Vars() {
		if !strings.Contains(string(got), v.Env+"=") {
			t.Errorf(".env.example does not document %s", v.Env)
		}
	}
}

func TestDefaultsLoad(t *testing.T) {
	c, err := Load(Source{Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB == "" || c.Location == nil || c.Passages != 8 {
		t.Errorf("defaults: %+v", c)
	}
}

func TestReadmeDocumentsEveryVar(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Vars() {
		if !strings.Contains(string(readme), "`"+v.Env+"`") {
			t.Errorf("README.md does not document %s", v.Env)
		}
	}
}

// TestVarsOrder pins the order Vars documents: the general settings, then
// Discord, feeds, LLM and Slack, the same on every call, each variable once,
// and within the LLM area the key and URL before the models that check them.
func TestVarsOrder(t *testing.T) {
	first := map[string]string{ // area -> its first variable
		"general": "NEWSBOT_DB", "discord": "DISCORD_BOT_TOKEN", "feeds": "NEWSBOT_FEEDS",
		"llm": "OPENAI_API_KEY", "slack": "SLACK_BOT_TOKEN",
	}
	areas := []struct {
		name string
		vars []Var
	}{{"general", generalVars()}, {"discord", discordVars()}, {"feeds", feedsVars()}, {"llm", llmVars()}, {"slack", slackVars()}}
	var want []string
	for _, a := range areas {
		if len(a.vars) == 0 || a.vars[0].Env != first[a.name] {
			t.Errorf("%s area starts with %v, want %s", a.name, a.vars, first[a.name])
		}
		for _, v := range a.vars {
			want = append(want, v.Env)
		}
	}
	for round := 0; round < 2; round++ {
		var got []string
		for _, v := range Vars() {
			got = append(got, v.Env)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("call %d: Vars() = %v, want %v", round+1, got, want)
		}
	}
	pos := map[string]int{}
	for i, env := range want {
		if _, dup := pos[env]; dup {
			t.Errorf("%s is listed twice", env)
		}
		pos[env] = i
	}
	for _, later := range []string{"NEWSBOT_LLM_MODEL", "NEWSBOT_EMBEDDING_MODEL"} {
		for _, earlier := range []string{"OPENAI_API_KEY", "OPENAI_BASE_URL"} {
			if pos[earlier] > pos[later] {
				t.Errorf("%s comes after %s, which checks it", earlier, later)
			}
		}
	}
}

// A typo'd variable in .env or the environment is reported with the
// closest known name; known ones and other programs' variables are not.
func TestUnknownVariablesWarned(t *testing.T) {
	dir := t.TempDir()
	dotenv := filepath.Join(dir, ".env")
	os.WriteFile(dotenv, []byte("NEWSBOT_PASSAGE=12\nNEWSBOT_DB=/x.db\n"), 0o644)
	environ := []string{"SLACK_BOT_TOKNE=xoxb-1", "HOME=/root", "NEWSBOT_LOG_LEVEL=info"}
	c, err := Load(Source{EnvFile: dotenv, Getenv: env(nil), Environ: func() []string { return environ }})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"unknown variable NEWSBOT_PASSAGE (in " + dotenv + ") is ignored; did you mean NEWSBOT_PASSAGES?",
		"unknown variable SLACK_BOT_TOKNE (in the environment) is ignored; did you mean SLACK_BOT_TOKEN?",
	}
	if got := c.Warnings(); !slices.Equal(got, want) {
		t.Errorf("warnings = %q\nwant %q", got, want)
	}
}

// --db (NEWSBOT_DB) takes a postgres:// URL as NEWSBOT_DATABASE_URL does,
// and its password is a secret.
func TestDBTakesPostgresURL(t *testing.T) {
	c, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_DB": "postgres://news:hunter2@db.example:5432/news"})})
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://news:hunter2@db.example:5432/news" {
		t.Errorf("DatabaseURL = %q", c.DatabaseURL)
	}
	if got := c.Redactor().String("password hunter2"); strings.Contains(got, "hunter2") {
		t.Errorf("the URL's password is not redacted: %q", got)
	}
}
