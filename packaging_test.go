package main

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"

	"github.com/newsbot/newsbot/config"
)

// documented is every configuration variable's name (config.Vars, which
// the README and .env.example list; config's tests check that).
func documented() map[string]bool {
	out := map[string]bool{}
	for _, v := range config.Vars() {
		out[v.Env] = true
	}
	return out
}

// compose.yaml parses, has PostgreSQL and two newsbot instances on it, and
// sets only documented variables.
func TestComposeFile(t *testing.T) {
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			ReadOnly    bool              `yaml:"read_only"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &c); err != nil { // also resolves the <<: *newsbot merge
		t.Fatalf("compose.yaml: %v", err)
	}
	vars := documented()
	instances := 0
	for name, s := range c.Services {
		if !strings.HasPrefix(name, "newsbot") {
			continue
		}
		instances++
		if len(s.Command) == 0 || s.Command[0] != "serve" || !s.ReadOnly {
			t.Errorf("%s: command %v, read_only %v; want serve, read-only", name, s.Command, s.ReadOnly)
		}
		if !strings.HasPrefix(s.Environment["NEWSBOT_DATABASE_URL"], "postgres://") {
			t.Errorf("%s: not on the PostgreSQL service: %q", name, s.Environment["NEWSBOT_DATABASE_URL"])
		}
		for k := range s.Environment {
			if !vars[k] {
				t.Errorf("%s sets %s, which is no configuration variable", name, k)
			}
		}
	}
	if instances != 2 || c.Services["postgres"].Image == "" {
		t.Errorf("%d newsbot instances and postgres %+v; want 2 and a PostgreSQL image", instances, c.Services["postgres"])
	}
}

// The Dockerfile and the systemd unit set only documented variables, run
// as no root, and check health with the binary itself.
func TestDockerfileAndUnit(t *testing.T) {
	vars := documented()
	envName := regexp.MustCompile(`\b(NEWSBOT_[A-Z_]+|SLACK_[A-Z_]+|DISCORD_[A-Z_]+)=`)
	for _, f := range []string{"Dockerfile", filepath.Join("deploy", "newsbot.service")} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range envName.FindAllStringSubmatch(string(data), -1) {
			if !vars[m[1]] {
				t.Errorf("%s sets %s, which is no configuration variable", f, m[1])
			}
		}
	}
	df, _ := os.ReadFile("Dockerfile")
	for _, want := range []string{"CGO_ENABLED=0 go build", "USER 65532", `HEALTHCHECK`, `newsbot", "healthcheck"`, "FROM gcr.io/distroless/static"} {
		if !bytes.Contains(df, []byte(want)) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	unit, _ := os.ReadFile(filepath.Join("deploy", "newsbot.service"))
	for _, want := range []string{"DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=newsbot", "NoNewPrivileges=yes", "ExecStart=/usr/local/bin/newsbot serve"} {
		if !bytes.Contains(unit, []byte(want)) {
			t.Errorf("newsbot.service lacks %q", want)
		}
	}
}

// The Dockerfile's build command works here and gives a static binary (no
// ELF interpreter, no dynamic section), which distroless/static needs.
func TestDockerfileBuildsStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	df, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`RUN (CGO_ENABLED=0 go build [^\\\n]*)`).FindSubmatch(df)
	if m == nil {
		t.Fatal("no CGO_ENABLED=0 go build line in the Dockerfile")
	}
	out := filepath.Join(t.TempDir(), "newsbot")
	args := strings.Fields(strings.Replace(strings.TrimSpace(string(m[1])), "/out/newsbot", out, 1))
	args = args[1:] // CGO_ENABLED=0 goes into the environment
	cmd := exec.Command("go", args[1:]...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %v: %v\n%s", args[1:], err, b)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is not static: it has a %v program header", p.Type)
		}
	}
}
