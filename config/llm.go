package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// LLMConfig holds the settings of optional LLM answers and embeddings over
// an OpenAI-compatible API (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's
// server, LM Studio). LLM answers are on when Model is set; hybrid
// retrieval is on when EmbeddingModel is set. Its variables are listed
// by llmVars (see Vars), so that each area's settings live in one file.
type LLMConfig struct {
	// APIKey authenticates to the API; empty is fine for local servers.
	// Secret: never log or print it.
	APIKey string
	// BaseURL is the API's base URL, e.g. https://api.openai.com/v1 or
	// http://localhost:11434/v1 (Ollama).
	BaseURL string
	// Model is the chat model; empty means template answers only.
	Model string
	// Timeout bounds the whole LLM part of one answer, retries included;
	// after it the template answer is given.
	Timeout time.Duration
	// MaxTokens bounds the length of a model's answer.
	MaxTokens int
	// Temperature is the sampling temperature (0 to 2).
	Temperature float64
	// Retries is how many times a rate-limited or failed request is retried.
	Retries int
	// PromptTokens is the budget, in estimated tokens, for the sources and
	// conversation history in one prompt.
	PromptTokens int
	// EmbeddingModel turns on hybrid retrieval: paragraphs are embedded at
	// ingest and questions at search time. Empty means lexical only.
	EmbeddingModel string
	// EmbeddingDimensions asks the API for vectors of this size (models
	// that support it, e.g. text-embedding-3-*); zero means the model's own.
	EmbeddingDimensions int
}

// DefaultOpenAIBaseURL is OpenAI's API.
const DefaultOpenAIBaseURL = "https://api.openai.com/v1"

// needsKey reports whether the configured API requires a key: OpenAI's own
// does; local servers do not.
func (l *LLMConfig) needsKey() bool {
	u, err := url.Parse(l.BaseURL)
	return err == nil && strings.EqualFold(u.Hostname(), "api.openai.com") && l.APIKey == ""
}

// llmVars lists the variables of LLMConfig, in the order they are loaded:
// NEWSBOT_LLM_MODEL and NEWSBOT_EMBEDDING_MODEL check the key and URL set
// before them.
func llmVars() []Var {
	return []Var{
		{Env: "OPENAI_API_KEY", Secret: true, Usage: "API key of the OpenAI-compatible API (not needed for local servers such as Ollama)",
			set: func(c *Config, v string) error { c.LLM.APIKey = strings.TrimSpace(v); return nil }},
		{Env: "OPENAI_BASE_URL", Default: DefaultOpenAIBaseURL, Usage: "base URL of the OpenAI-compatible API (e.g. http://localhost:11434/v1 for Ollama)",
			set: func(c *Config, v string) error {
				u, err := url.Parse(strings.TrimSpace(v))
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return fmt.Errorf("%q is not an http(s) URL (e.g. https://api.openai.com/v1)", v)
				}
				if u.User != nil {
					return errors.New("must not contain credentials; use OPENAI_API_KEY")
				}
				c.LLM.BaseURL = strings.TrimRight(u.String(), "/")
				return nil
			}},
		{Env: "NEWSBOT_LLM_MODEL", Usage: "chat model for LLM answers (e.g. gpt-4o-mini, llama3.2); empty means template answers only",
			set: func(c *Config, v string) error {
				c.LLM.Model = strings.TrimSpace(v)
				if c.LLM.Model != "" && c.LLM.needsKey() {
					return errors.New("is set, but OPENAI_API_KEY is empty (api.openai.com needs a key; local servers set OPENAI_BASE_URL)")
				}
				return nil
			}},
		{Env: "NEWSBOT_LLM_TIMEOUT", Default: "30s", Usage: "time an LLM answer may take, retries included, before the template answer is given",
			set: func(c *Config, v string) (err error) {
				c.LLM.Timeout, err = parseDuration(v, time.Second, 10*time.Minute)
				return err
			}},
		{Env: "NEWSBOT_LLM_MAX_TOKENS", Default: "500", Usage: "longest LLM answer, in tokens (16-16384)",
			set: func(c *Config, v string) (err error) { c.LLM.MaxTokens, err = parseInt(v, 16, 16384); return err }},
		{Env: "NEWSBOT_LLM_TEMPERATURE", Default: "0.2", Usage: "LLM sampling temperature (0-2; lower is more literal)",
			set: func(c *Config, v string) error {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 2 {
					return fmt.Errorf("%q is not a number from 0 to 2", v)
				}
				c.LLM.Temperature = f
				return nil
			}},
		{Env: "NEWSBOT_LLM_RETRIES", Default: "2", Usage: "retries of a rate-limited (429) or failed (5xx) LLM request, within NEWSBOT_LLM_TIMEOUT (0-5)",
			set: func(c *Config, v string) (err error) { c.LLM.Retries, err = parseInt(v, 0, 5); return err }},
		{Env: "NEWSBOT_LLM_PROMPT_TOKENS", Default: "3000", Usage: "budget for sources and history in one prompt, in estimated tokens; the lowest-ranked sources are dropped first (500-100000)",
			set: func(c *Config, v string) (err error) { c.LLM.PromptTokens, err = parseInt(v, 500, 100000); return err }},
		{Env: "NEWSBOT_EMBEDDING_MODEL", Usage: "embedding model for hybrid retrieval (e.g. text-embedding-3-small, nomic-embed-text); empty means lexical retrieval only",
			set: func(c *Config, v string) error {
				c.LLM.EmbeddingModel = strings.TrimSpace(v)
				if c.LLM.EmbeddingModel != "" && c.LLM.needsKey() {
					return errors.New("is set, but OPENAI_API_KEY is empty (api.openai.com needs a key; local servers set OPENAI_BASE_URL)")
				}
				return nil
			}},
		{Env: "NEWSBOT_EMBEDDING_DIMENSIONS", Default: "0", Usage: "size of embedding vectors to ask for (models that support it); 0 means the model's own",
			set: func(c *Config, v string) (err error) {
				c.LLM.EmbeddingDimensions, err = parseInt(v, 0, 8192)
				return err
			}},
	}
}
