package config

// DiscordConfig holds the settings of one area. The Discord adapter (issue: Discord).
// Its variables are appended to Vars in init, so that each area's settings
// live in one file.
type DiscordConfig struct{}

func init() {
	Vars = append(Vars, []Var{}...)
}
