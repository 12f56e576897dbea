// Package openai connects newsbot to any OpenAI-compatible API (OpenAI,
// Azure OpenAI, Ollama, vLLM, llama.cpp's server, LM Studio) through
// github.com/sashabaranov/go-openai: a Client is a bot.Model (chat answers,
// streamed) and a knowledge.Embedder (paragraph and question vectors).
//
// It retries rate-limited (429, honouring Retry-After) and failed (5xx)
// requests a bounded number of times with backoff, within the caller's
// deadline, and classifies failures with the bot package's errors. Its
// errors never contain the API key.
package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	sdk "github.com/sashabaranov/go-openai"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/knowledge"
)

var (
	_ bot.Model          = (*Client)(nil)
	_ knowledge.Embedder = (*Client)(nil)
)

// Options configure a Client. Only Model (for Chat) or EmbeddingModel (for
// Embed) is required; the zero values of the others work.
type Options struct {
	// BaseURL is the API's base URL; empty means https://api.openai.com/v1.
	BaseURL string
	// APIKey is sent as a bearer token; empty sends none (local servers).
	APIKey string
	// Model is the chat model.
	Model string
	// EmbeddingModel is the embedding model; Dimensions, when not zero,
	// asks for vectors of that size.
	EmbeddingModel string
	Dimensions     int
	// MaxTokens bounds an answer; zero means 500.
	MaxTokens int
	// Temperature is the sampling temperature; zero sends 0. Reasoning
	// models (o1, o3, o4, gpt-5) are sent none, as they require.
	Temperature float64
	// Retries is how many times a 429 or 5xx response (or a connection
	// failure before any answer arrived) is retried.
	Retries int
	// Backoff is the first wait between retries, doubled each time; zero
	// means 500ms. A Retry-After header overrides it.
	Backoff time.Duration
	// MaxWait bounds one wait, Retry-After included; zero means 20s. A wait
	// that would pass the context's deadline is not made: the request
	// fails at once.
	MaxWait time.Duration
	// HTTPClient makes the requests; nil means a client with no timeout of
	// its own (the context bounds each call).
	HTTPClient *http.Client
	// Logger receives retries; nil discards them. The key is never logged.
	Logger *slog.Logger
	// Sleep waits between retries; nil means a timer that stops when ctx
	// is done. Tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client talks to one OpenAI-compatible API. It is safe for concurrent use.
type Client struct {
	o   Options
	api *sdk.Client
	// completionTokens sends max_completion_tokens instead of max_tokens
	// (OpenAI's own API and its reasoning models).
	completionTokens bool
	reasoning        bool
}

// New returns a Client for o.
func New(o Options) *Client {
	if o.BaseURL == "" {
		o.BaseURL = "https://api.openai.com/v1"
	}
	if o.MaxTokens <= 0 {
		o.MaxTokens = 500
	}
	if o.Backoff <= 0 {
		o.Backoff = 500 * time.Millisecond
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 20 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	cfg := sdk.DefaultConfig(o.APIKey)
	cfg.BaseURL = strings.TrimRight(o.BaseURL, "/")
	cfg.HTTPClient = retryAfterDoer{hc}
	cfg.EmptyMessagesLimit = 50
	c := &Client{o: o, api: sdk.NewClientWithConfig(cfg)}
	c.reasoning = isReasoningModel(o.Model)
	if u, err := url.Parse(o.BaseURL); err == nil && strings.EqualFold(u.Hostname(), "api.openai.com") || c.reasoning {
		c.completionTokens = true
	}
	return c
}

func isReasoningModel(m string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Chat sends msgs to the chat model and returns its reply; with onDelta it
// streams (see bot.Model). Errors wrap the bot package's model errors or
// the context's, and never contain the API key.
func (c *Client) Chat(ctx context.Context, msgs []bot.Message, onDelta func(string)) (string, error) {
	if c.o.Model == "" {
		return "", errors.New("openai: chat: no model configured")
	}
	req := sdk.ChatCompletionRequest{Model: c.o.Model}
	for _, m := range msgs {
		req.Messages = append(req.Messages, sdk.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	if c.completionTokens {
		req.MaxCompletionTokens = c.o.MaxTokens
	} else {
		req.MaxTokens = c.o.MaxTokens
	}
	if !c.reasoning {
		// go-openai omits a zero temperature; the smallest positive float
		// is 0 for every sampler and is sent.
		req.Temperature = max(float32(c.o.Temperature), 1e-9)
	}
	var out string
	err := c.retry(ctx, "chat", func(ctx context.Context) (bool, error) {
		var err error
		if onDelta == nil {
			out, err = c.complete(ctx, req)
			return true, err
		}
		var started bool
		out, started, err = c.stream(ctx, req, onDelta)
		return !started, err
	})
	return out, err
}

// complete makes one non-streaming request.
func (c *Client) complete(ctx context.Context, req sdk.ChatCompletionRequest) (string, error) {
	resp, err := c.api.CreateChatCompletion(ctx, req)
	if err != nil {
		return "", err
	}
	if len(resp.Choices) == 0 {
		return "", fmt.Errorf("no choices: %w", bot.ErrEmptyResponse)
	}
	text := resp.Choices[0].Message.Content
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("finish reason %q: %w", resp.Choices[0].FinishReason, bot.ErrEmptyResponse)
	}
	return text, nil
}

// stream makes one streaming request, passing text on as it arrives.
// started reports whether any text reached onDelta (after which the
// request must not be retried).
//
// A stream is complete when it says so: a choice's finish reason, or the
// closing "data: [DONE]". One whose body ends without either (a server or
// proxy that died mid-answer, its connection closed cleanly) fails with
// bot.ErrBadResponse rather than passing half an answer off as whole; one
// whose connection breaks fails with the transport's error.
func (c *Client) stream(ctx context.Context, req sdk.ChatCompletionRequest, onDelta func(string)) (text string, started bool, err error) {
	done := false
	s, err := c.api.CreateChatCompletionStream(context.WithValue(ctx, streamDoneKey{}, &done), req)
	if err != nil {
		return "", false, err
	}
	defer s.Close()
	var b strings.Builder
	finished := false
	for {
		resp, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return b.String(), b.Len() > 0, err
		}
		for _, ch := range resp.Choices {
			if ch.Index != 0 {
				continue
			}
			if ch.FinishReason != "" {
				finished = true
			}
			if ch.Delta.Content == "" {
				continue
			}
			b.WriteString(ch.Delta.Content)
			onDelta(ch.Delta.Content)
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", false, fmt.Errorf("stream without text: %w", bot.ErrEmptyResponse)
	}
	if !finished && !done {
		return b.String(), true, fmt.Errorf("stream ended after %d bytes without a finish reason or [DONE]: %w", b.Len(), bot.ErrBadResponse)
	}
	return b.String(), true, nil
}

// Embed returns one vector per text, in order (knowledge.Embedder).
// Errors wrap the bot package's model errors or the context's, and never
// contain the API key.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.o.EmbeddingModel == "" {
		return nil, errors.New("openai: embed: no embedding model configured")
	}
	if len(texts) == 0 {
		return nil, nil
	}
	req := sdk.EmbeddingRequestStrings{Input: texts, Model: sdk.EmbeddingModel(c.o.EmbeddingModel), Dimensions: c.o.Dimensions}
	var out [][]float32
	err := c.retry(ctx, "embed", func(ctx context.Context) (bool, error) {
		resp, err := c.api.CreateEmbeddings(ctx, req)
		if err != nil {
			return true, err
		}
		if len(resp.Data) != len(texts) {
			return false, fmt.Errorf("%d vectors for %d texts: %w", len(resp.Data), len(texts), bot.ErrBadResponse)
		}
		out = make([][]float32, len(texts))
		dim := -1
		for _, d := range resp.Data {
			if d.Index < 0 || d.Index >= len(texts) || out[d.Index] != nil {
				return false, fmt.Errorf("vector index %d out of place: %w", d.Index, bot.ErrBadResponse)
			}
			if len(d.Embedding) == 0 || dim >= 0 && len(d.Embedding) != dim {
				return false, fmt.Errorf("vectors of different sizes: %w", bot.ErrBadResponse)
			}
			dim = len(d.Embedding)
			out[d.Index] = d.Embedding
		}
		return true, nil
	})
	return out, err
}
