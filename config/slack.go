package config

// SlackConfig holds the settings of one area. The Slack adapter (issue: Slack).
// Its variables are appended to Vars in init, so that each area's settings
// live in one file.
type SlackConfig struct{}

func init() {
	Vars = append(Vars, []Var{}...)
}
