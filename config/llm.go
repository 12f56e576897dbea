package config

// LLMConfig holds the settings of one area. Optional LLM answers over an OpenAI-compatible API (issue: LLM answers).
// Its variables are appended to Vars in init, so that each area's settings
// live in one file.
type LLMConfig struct{}

func init() {
	Vars = append(Vars, []Var{}...)
}
