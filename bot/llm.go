package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is one message of a chat with a language model.
type Message struct {
	Role    string // RoleSystem, RoleUser or RoleAssistant
	Content string
}

// Roles of chat messages.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Model is a chat language model (bot/openai wraps any OpenAI-compatible
// API; tests and other providers can stand in).
type Model interface {
	// Chat sends msgs and returns the model's reply. When onDelta is not
	// nil the reply is streamed: onDelta is called with each new piece of
	// text, in order, from Chat's goroutine and never after Chat returns.
	// Errors wrap context.DeadlineExceeded, ErrRateLimited, ErrModelServer,
	// ErrBadResponse, ErrEmptyResponse or ErrContextLength when they are
	// the cause, and never contain credentials. Implementations must be
	// safe for concurrent use.
	Chat(ctx context.Context, msgs []Message, onDelta func(string)) (string, error)
}

// Errors a Model wraps so that the bot can say why it fell back to a
// template answer.
var (
	ErrRateLimited   = errors.New("rate limited")
	ErrModelServer   = errors.New("model server error")
	ErrBadResponse   = errors.New("malformed model response")
	ErrEmptyResponse = errors.New("empty model response")
	ErrContextLength = errors.New("prompt longer than the model's context")
)

// Fallback reasons: Answer.FallbackReason when an LLM answer was wanted but
// the template answer was given. They are stable identifiers (JSON output);
// FallbackMessage words them for people.
const (
	FallbackNoModel       = "no_model"       // no language model is configured
	FallbackNoSources     = "no_sources"     // nothing relevant was found, so the model was not asked
	FallbackTimeout       = "timeout"        // the model did not finish within the LLM timeout
	FallbackCanceled      = "canceled"       // the caller gave up (Ctrl-C, shutdown) while the model wrote
	FallbackRateLimited   = "rate_limited"   // the API kept answering 429
	FallbackServerError   = "server_error"   // the API kept failing (5xx)
	FallbackBadResponse   = "bad_response"   // the response was not the API's JSON
	FallbackEmptyResponse = "empty_response" // the model returned no text
	FallbackContextLength = "context_length" // the prompt did not fit the model's context
	FallbackPromptError   = "prompt_error"   // the prompt templates failed to render
	FallbackModelError    = "model_error"    // any other failure (authentication, bad request, network)
)

// FallbackMessage returns a short sentence for users about a fallback
// reason, or "" for none.
func FallbackMessage(reason string) string {
	switch reason {
	case "":
		return ""
	case FallbackNoModel:
		return "No language model is configured, so this is the extractive answer."
	case FallbackNoSources:
		return "Nothing relevant was found, so the language model was not asked."
	case FallbackTimeout:
		return "The language model took too long, so this is the extractive answer."
	case FallbackCanceled:
		return "The language model's answer was interrupted, so this is the extractive answer."
	case FallbackRateLimited:
		return "The language model is busy (rate limited), so this is the extractive answer."
	case FallbackServerError, FallbackBadResponse, FallbackEmptyResponse, FallbackModelError:
		return "The language model failed, so this is the extractive answer."
	case FallbackContextLength:
		return "The sources did not fit the language model's context, so this is the extractive answer."
	}
	return "The language model could not answer, so this is the extractive answer."
}

// FallbackNote is the sentence adapters show under a template answer given
// instead of a wanted LLM answer (FallbackMessage); "" when there is none
// or when nothing was found (the answer says so itself).
func (a *Answer) FallbackNote() string {
	if a.FallbackReason == FallbackNoSources {
		return ""
	}
	return FallbackMessage(a.FallbackReason)
}

// LLM configures answers written by a language model from the retrieved
// passages. The zero value of each optional field works.
type LLM struct {
	Model Model
	// Timeout bounds the whole LLM part of one answer (the follow-up
	// rewrite, retries and streaming); zero means DefaultLLMTimeout.
	Timeout time.Duration
	// PromptTokens is the budget, in estimated tokens, for the sources and
	// history in one prompt; zero means DefaultPromptTokens.
	PromptTokens int
}

// Defaults of LLM.
const (
	DefaultLLMTimeout   = 30 * time.Second
	DefaultPromptTokens = 3000
)

func (l *LLM) timeout() time.Duration {
	if l.Timeout > 0 {
		return l.Timeout
	}
	return DefaultLLMTimeout
}

func (l *LLM) promptTokens() int {
	if l.PromptTokens > 0 {
		return l.PromptTokens
	}
	return DefaultPromptTokens
}

// wantLLM reports whether q should be answered by the language model: as
// asked, else when one is configured.
func (b *Bot) wantLLM(q Question) bool {
	switch q.Mode {
	case ModeTemplate:
		return false
	case ModeLLM:
		return true
	}
	return b.LLM != nil && b.LLM.Model != nil
}

func (b *Bot) hasModel() bool { return b.LLM != nil && b.LLM.Model != nil }

// standalone prepares a question for retrieval in LLM mode: a follow-up
// ("and where?") is rewritten by the model into a question that stands
// alone, and the rewrite replaces the history-based search. It returns q
// unchanged when not in LLM mode, when q is not a follow-up, or when the
// rewrite fails (the usual follow-up search then applies).
func (b *Bot) standalone(ctx context.Context, q Question) Question {
	if !b.wantLLM(q) || !b.hasModel() || len(q.History) == 0 || !isFollowUp(q.Text) {
		return q
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, b.LLM.timeout()/4)
	defer cancel()
	msgs, err := b.rewritePrompt(q)
	if err != nil {
		b.logger().ErrorContext(ctx, "llm: rewrite prompt", "err", err)
		return q
	}
	out, err := b.LLM.Model.Chat(ctx, msgs, nil)
	if err == nil {
		var rewritten string
		if rewritten, err = cleanRewrite(out); err == nil {
			b.logger().InfoContext(ctx, "llm: follow-up rewritten", "question", q.Text, "rewritten", rewritten, "took", time.Since(start).Round(time.Millisecond))
			q.Text, q.History = rewritten, nil
			return q
		}
	}
	b.logger().WarnContext(ctx, "llm: follow-up rewrite failed; searching with the history", "reason", fallbackReason(ctx, err), "err", err)
	return q
}

// cleanRewrite checks a rewritten question: one line of plausible length,
// with quotes and a leading label removed.
func cleanRewrite(s string) (string, error) {
	s = SanitizeModelText(s)
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if l, rest, ok := strings.Cut(s, ":"); ok && len(l) < 30 && strings.Contains(strings.ToLower(l), "question") {
		s = strings.TrimSpace(rest)
	}
	s = strings.Trim(s, "\"'“”‘’`")
	text, err := CleanQuestion(s)
	if err != nil {
		return "", fmt.Errorf("rewrite: %w", ErrBadResponse)
	}
	return text, nil
}

// llmAnswer asks the model to answer q from passages (best first) and
// returns its answer, or tmpl (the template answer) marked with the reason
// when anything fails. asked is the question as the user asked it.
func (b *Bot) llmAnswer(ctx context.Context, asked Question, r *retrieval, tmpl *Answer) *Answer {
	if !b.hasModel() {
		tmpl.FallbackReason = FallbackNoModel
		return tmpl
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, b.LLM.timeout())
	defer cancel()
	window := ""
	if !r.outside {
		window = r.window.Label()
	}
	p, err := b.answerPrompt(asked, r.res.Passages, window)
	if err != nil {
		b.logger().ErrorContext(ctx, "llm: answer prompt", "err", err)
		tmpl.FallbackReason = FallbackPromptError
		return tmpl
	}
	var onDelta func(string)
	var streamed strings.Builder // what a stream has brought, up to maxModelAnswerBytes
	tooLong := false
	if asked.OnPartial != nil {
		last, shownAt := "", 0
		onDelta = func(d string) {
			if tooLong {
				return
			}
			streamed.WriteString(d)
			if streamed.Len() > maxModelAnswerBytes {
				// A model (or a server) ignoring its token limit: keep what
				// came and stop reading.
				tooLong = true
				cancel()
				return
			}
			// The preview ends at the last space (see partialText): a
			// piece without one cannot change it. It is re-derived from the
			// whole text, so past previewEvery bytes it is refreshed only
			// when the text has grown by a tenth: linear work in all.
			if !strings.ContainsAny(d, " \t\n") {
				return
			}
			if n := streamed.Len(); n > previewEvery && n < shownAt+shownAt/10 {
				return
			}
			shownAt = streamed.Len()
			text := partialText(streamed.String(), len(p.sources))
			if text != last && strings.HasPrefix(text, last) {
				last = text
				asked.OnPartial(text)
			}
		}
	}
	raw, err := b.LLM.Model.Chat(ctx, p.messages, onDelta)
	if tooLong {
		raw, err = streamed.String(), nil
	}
	raw = truncateAnswer(raw)
	if err == nil && strings.TrimSpace(SanitizeModelText(raw)) == "" {
		err = ErrEmptyResponse
	}
	if err != nil {
		reason := fallbackReason(ctx, err)
		b.logger().WarnContext(ctx, "llm: falling back to the template answer", "reason", reason, "err", err,
			"took", time.Since(start).Round(time.Millisecond))
		tmpl.FallbackReason = reason
		return tmpl
	}
	text, cites := resolveCitations(raw, p.sources)
	if len(cites) == 0 {
		// Nothing was cited: show what the model was given to read, in the
		// template answer's numbering.
		text += "\n\n" + consultedNote(tmpl.Citations)
		cites = tmpl.Citations
	}
	weak := 0
	for _, c := range cites {
		if c.Weak {
			weak++
		}
	}
	b.logger().InfoContext(ctx, "llm: answered", "sources", len(p.sources), "dropped", p.dropped, "citations", len(cites), "weak", weak,
		"prompt_tokens_est", p.tokens, "took", time.Since(start).Round(time.Millisecond))
	return &Answer{Question: tmpl.Question, Text: text, Found: true, Mode: ModeLLM, Citations: cites}
}

// Bounds on a model's answer, whatever the server sends.
const (
	// maxModelAnswerBytes is the most of a model's answer newsbot reads;
	// the rest is cut at a word with an ellipsis.
	maxModelAnswerBytes = 16 << 10
	// previewEvery is the length up to which a streamed answer's preview
	// is refreshed at every word.
	previewEvery = 2 << 10
)

// truncateAnswer cuts raw to maxModelAnswerBytes at a word.
func truncateAnswer(raw string) string {
	if len(raw) <= maxModelAnswerBytes {
		return raw
	}
	head := strings.ToValidUTF8(raw[:maxModelAnswerBytes], "")
	return clip(raw, utf8.RuneCountInString(head))
}

// consultedNote is appended to an LLM answer that cites nothing.
func consultedNote(cites []Citation) string {
	marks := make([]string, len(cites))
	for i, c := range cites {
		marks[i] = fmt.Sprintf("[%d]", c.N)
	}
	return "(No source was cited for this answer; the sources consulted were " + strings.Join(marks, " ") + ".)"
}

// fallbackReason names why a model call failed.
func fallbackReason(ctx context.Context, err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return FallbackTimeout
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		return FallbackCanceled
	case errors.Is(err, ErrContextLength):
		return FallbackContextLength
	case errors.Is(err, ErrRateLimited):
		return FallbackRateLimited
	case errors.Is(err, ErrModelServer):
		return FallbackServerError
	case errors.Is(err, ErrBadResponse):
		return FallbackBadResponse
	case errors.Is(err, ErrEmptyResponse):
		return FallbackEmptyResponse
	}
	return FallbackModelError
}
