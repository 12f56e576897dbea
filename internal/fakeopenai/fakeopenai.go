// Package fakeopenai is a local OpenAI-compatible API for tests: an
// httptest server speaking the real wire format of /chat/completions
// (JSON, and server-sent events ending in "data: [DONE]" when streaming)
// and /embeddings, answering from a script of replies and recording every
// request. Tests drive the real go-openai client against it.
package fakeopenai

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Reply is one scripted answer to a chat request.
type Reply struct {
	// Status is the HTTP status; zero means 200. A status of 400 or more
	// sends an OpenAI error object with Message and Code, unless Body is
	// set.
	Status  int
	Message string
	Code    string
	// Header holds extra response headers (e.g. Retry-After).
	Header map[string]string
	// Body, when set, is sent as it is instead of a well-formed response.
	Body string
	// Text is the answer. Streamed, it is sent in Chunks when set, else one
	// chunk per word.
	Text   string
	Chunks []string
	// NoChoices sends a well-formed response with an empty choice list.
	NoChoices bool
	// Delay waits before answering (or until the client gives up).
	Delay time.Duration
	// Hold, when set, is called before anything is answered, with the
	// request's context (done when the client gives up): a test blocks in
	// it to hold the answer until it releases it. The request is not
	// answered when the context is done by then.
	Hold func(ctx context.Context)
	// BeforeChunk, when set, is called before streamed chunk i is sent, so
	// a test can check the client saw chunk i-1 first.
	BeforeChunk func(i int)
	// DropAfter, when positive, ends a streamed answer after that many
	// chunks, without the final chunk and "data: [DONE]", as a server
	// that dies mid-answer: the response ends cleanly, or with the
	// connection broken when Abort is set.
	DropAfter int
	Abort     bool
	// StallAfter, when positive, stops a streamed answer after that many
	// chunks and holds the connection open, sending nothing more, until
	// the client gives up.
	StallAfter int
}

// Request is a recorded request.
type Request struct {
	Path          string
	Authorization string
	Body          []byte
	// Chat is the decoded chat request (nil for other paths).
	Chat *ChatRequest
}

// ChatRequest is the part of a chat completion request tests look at.
type ChatRequest struct {
	Model    string `json:"model"`
	Stream   bool   `json:"stream"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	MaxTokens           int      `json:"max_tokens"`
	MaxCompletionTokens int      `json:"max_completion_tokens"`
	Temperature         *float64 `json:"temperature"`
}

// Server is a fake OpenAI-compatible API. It is safe for concurrent use.
type Server struct {
	*httptest.Server
	// Default answers chat requests once the script is used up.
	Default Reply
	// Embed computes the vector of one input of /embeddings; nil answers
	// 404.
	Embed func(text string) []float32
	// EmbedFail, when set, is consulted for each /embeddings request; a
	// non-nil Reply is sent instead of vectors.
	EmbedFail func(inputs []string) *Reply

	mu       sync.Mutex
	script   []Reply
	requests []Request
}

// New starts a server closed at the end of the test.
func New(t testing.TB) *Server {
	s := &Server{Default: Reply{Text: "I have no scripted answer."}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// BaseURL returns the base URL to configure (ending in /v1).
func (s *Server) BaseURL() string { return s.Server.URL + "/v1" }

// Script queues replies for the next chat requests, in order.
func (s *Server) Script(rs ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, rs...)
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Chats returns the chat requests received so far.
func (s *Server) Chats() []ChatRequest {
	var out []ChatRequest
	for _, r := range s.Requests() {
		if r.Chat != nil {
			out = append(out, *r.Chat)
		}
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := Request{Path: r.URL.Path, Authorization: r.Header.Get("Authorization"), Body: body}
	switch r.URL.Path {
	case "/v1/chat/completions":
		var c ChatRequest
		if err := json.Unmarshal(body, &c); err != nil {
			http.Error(w, `{"error":{"message":"bad json","type":"invalid_request_error"}}`, http.StatusBadRequest)
			return
		}
		req.Chat = &c
		s.mu.Lock()
		s.requests = append(s.requests, req)
		reply := s.Default
		if len(s.script) > 0 {
			reply, s.script = s.script[0], s.script[1:]
		}
		s.mu.Unlock()
		s.chat(w, r, c, reply)
	case "/v1/embeddings":
		s.mu.Lock()
		s.requests = append(s.requests, req)
		s.mu.Unlock()
		s.embeddings(w, r, body)
	default:
		http.NotFound(w, r)
	}
}

func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	select {
	case <-time.After(d):
		return true
	case <-r.Context().Done():
		return false
	}
}

// failed writes reply's error or raw body and reports whether it did.
func failed(w http.ResponseWriter, reply Reply) bool {
	for k, v := range reply.Header {
		w.Header().Set(k, v)
	}
	if reply.Status >= 400 {
		if reply.Body == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(reply.Status)
		if reply.Body != "" {
			io.WriteString(w, reply.Body)
			return true
		}
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"message": reply.Message, "type": "error", "code": reply.Code,
		}})
		return true
	}
	if reply.Body != "" {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, reply.Body)
		return true
	}
	return false
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request, c ChatRequest, reply Reply) {
	if reply.Hold != nil {
		reply.Hold(r.Context())
		if r.Context().Err() != nil {
			return
		}
	}
	if !wait(r, reply.Delay) {
		return
	}
	if failed(w, reply) {
		return
	}
	if !c.Stream {
		choices := []any{}
		if !reply.NoChoices {
			choices = append(choices, map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": reply.Text}})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": "chatcmpl-test", "object": "chat.completion", "created": 1744800000,
			"model": c.Model, "choices": choices, "usage": map[string]int{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fl, _ := w.(http.Flusher)
	chunks := reply.Chunks
	if chunks == nil {
		chunks = strings.SplitAfter(reply.Text, " ")
	}
	event := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	for i, ch := range chunks {
		if reply.BeforeChunk != nil {
			reply.BeforeChunk(i)
		}
		if reply.StallAfter > 0 && i == reply.StallAfter {
			<-r.Context().Done()
			return
		}
		if reply.DropAfter > 0 && i == reply.DropAfter {
			if reply.Abort {
				panic(http.ErrAbortHandler) // net/http closes the connection mid-body
			}
			return
		}
		if r.Context().Err() != nil {
			return
		}
		delta := map[string]any{"content": ch}
		if i == 0 {
			delta["role"] = "assistant"
		}
		event(map[string]any{"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1744800000, "model": c.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": nil}}})
	}
	if !reply.NoChoices {
		event(map[string]any{"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1744800000, "model": c.Model,
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": "stop"}}})
	}
	io.WriteString(w, "data: [DONE]\n\n")
	if fl != nil {
		fl.Flush()
	}
}

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Input json.RawMessage `json:"input"`
		Model string          `json:"model"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	var inputs []string
	if err := json.Unmarshal(req.Input, &inputs); err != nil {
		var one string
		if err := json.Unmarshal(req.Input, &one); err != nil {
			http.Error(w, `{"error":{"message":"bad input"}}`, http.StatusBadRequest)
			return
		}
		inputs = []string{one}
	}
	if s.EmbedFail != nil {
		if reply := s.EmbedFail(inputs); reply != nil {
			if !wait(r, reply.Delay) {
				return
			}
			failed(w, *reply)
			return
		}
	}
	if s.Embed == nil {
		http.NotFound(w, r)
		return
	}
	data := []any{}
	for i, in := range inputs {
		data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": s.Embed(in)})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "model": req.Model, "data": data,
		"usage": map[string]int{"prompt_tokens": len(inputs), "total_tokens": len(inputs)}})
}
