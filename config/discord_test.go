package config

import (
	"strings"
	"testing"
)

func TestDiscordSettings(t *testing.T) {
	c, err := Load(Source{Getenv: env(map[string]string{
		"DISCORD_BOT_TOKEN":  "Bot abc.def-ghi",
		"DISCORD_APP_ID":     "123456789012345678",
		"DISCORD_GUILD_ID":   " 223456789012345678 ",
		"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32),
		"DISCORD_SHARD_ID":   "1", "DISCORD_SHARD_COUNT": "2",
		"DISCORD_API_URL": "http://127.0.0.1:9000/api/v9/",
	})})
	if err != nil {
		t.Fatal(err)
	}
	d := c.Discord
	if d.BotToken != "abc.def-ghi" || d.AppID != "123456789012345678" || d.GuildID != "223456789012345678" ||
		len(d.PublicKey) != 32 || d.ShardID != 1 || d.ShardCount != 2 || d.APIURL != "http://127.0.0.1:9000/api/v9" || d.MessageContent || !d.Enabled() {
		t.Errorf("Discord = %+v", d)
	}
	c, err = Load(Source{Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Discord.Enabled() || c.Discord.APIURL != DefaultDiscordAPIURL || c.Discord.ShardCount != 1 {
		t.Errorf("default Discord = %+v, want off, Discord's API, one shard", c.Discord)
	}
}

func TestDiscordInvalidValuesNameTheVariable(t *testing.T) {
	tests := []map[string]string{
		{"DISCORD_APP_ID": "my-app"},
		{"DISCORD_GUILD_ID": "12"},
		{"DISCORD_PUBLIC_KEY": "not-hex"},
		{"DISCORD_PUBLIC_KEY": "abcd"},
		{"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_ID": "2"},
		{"DISCORD_SHARD_COUNT": "0"},
		{"DISCORD_API_URL": "ftp://discord.example"},
		{"DISCORD_API_URL": "discord.com/api"},
		{"DISCORD_MESSAGE_CONTENT": "sometimes"},
		{"DISCORD_BOT_TOKEN": "two words"},
	}
	for _, vars := range tests {
		_, err := Load(Source{Getenv: env(vars)})
		name := ""
		for k := range vars {
			if name == "" || k == "DISCORD_SHARD_COUNT" {
				name = k
			}
		}
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%v: error %v, want one naming %s", vars, err, name)
		}
		if strings.Contains(vars["DISCORD_BOT_TOKEN"], " ") && strings.Contains(err.Error(), "two words") {
			t.Errorf("the error echoes the token: %v", err)
		}
	}
}
