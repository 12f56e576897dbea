package config

// FeedsConfig holds the settings of one area. RSS/Atom/JSON feeds polled in the background (issue: feeds).
// Its variables are appended to Vars in init, so that each area's settings
// live in one file.
type FeedsConfig struct{}

func init() {
	Vars = append(Vars, []Var{}...)
}
