package config

import (
	"strings"
	"testing"
)

func TestDatabaseURL(t *testing.T) {
	for _, bad := range []string{"mysql://u:s3cr3t@host/db", "postgres://u:s3cr3t@/db", "s3cr3t"} {
		_, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_DATABASE_URL": bad})})
		if err == nil || !strings.Contains(err.Error(), "NEWSBOT_DATABASE_URL") || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("NEWSBOT_DATABASE_URL=%q: error %v, want one naming the variable and not showing the value", bad, err)
		}
	}
	url := "postgres://newsbot:s3cr3t@db.example:5432/news?sslmode=require"
	c, err := Load(Source{Getenv: env(map[string]string{"NEWSBOT_DATABASE_URL": url})})
	if err != nil || c.DatabaseURL != url {
		t.Fatalf("valid URL: %v, DatabaseURL %q", err, c.DatabaseURL)
	}
	for _, s := range c.Settings() {
		if strings.Contains(s.Value, "s3cr3t") {
			t.Errorf("setting %s shows the password: %q", s.Env, s.Value)
		}
	}
	if c, _ := Load(Source{Getenv: env(nil)}); c.DatabaseURL != "" {
		t.Errorf("default DatabaseURL = %q, want empty (SQLite)", c.DatabaseURL)
	}
}
