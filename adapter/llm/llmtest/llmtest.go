// Package llmtest is a loopback chat server for tests that speaks the wire
// protocols of the three providers adapter/llm supports: OpenAI's chat
// completions, Anthropic's Messages API and Ollama's chat API. The real
// langchaingo client code of each provider runs against it. Requests are
// checked as the real API checks them (one it would reject fails the test and
// gets the API's error answer), recorded, and answered as the test's handler
// says, as one JSON document or streamed in the provider's format.
package llmtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is what the server saw of one chat call, whatever its protocol.
type Request struct {
	Provider     string // the protocol it came in: "openai", "anthropic" or "ollama"
	Model        string
	System, User string
	// Stream: the answer is streamed. Ollama streams unless told "stream":false.
	Stream bool
	// ResponseFormat is the output format asked for: "json_object" (OpenAI),
	// "json" (Ollama), empty when none (Anthropic has no such field).
	ResponseFormat string
}

// Reply is what the handler wants answered.
type Reply struct {
	Content string        // the completion; streamed word by word when requested
	Status  int           // non-zero: answer this HTTP status with the provider's error body
	Delay   time.Duration // wait before answering (timeouts)
}

// Server records requests and answers them with the test's handler.
type Server struct {
	url string

	mu       sync.Mutex
	requests []Request
}

// BaseURL is what to give llm.Config.BaseURL for provider: langchaingo's
// openai and anthropic clients append /chat/completions and /messages to a
// base ending in /v1, its ollama client /api/chat to the server's root.
func (s *Server) BaseURL(provider string) string {
	switch provider {
	case "openai", "anthropic":
		return s.url + "/v1"
	case "ollama":
		return s.url
	}
	panic("llmtest: unknown provider " + provider)
}

// Requests returns the requests seen so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// New starts a server answering every provider's chat endpoint with handle.
func New(t testing.TB, handle func(Request) Reply) *Server {
	t.Helper()
	s := &Server{}
	mux := http.NewServeMux()
	mux.Handle("POST /v1/chat/completions", s.serve(t, openAI{}, handle))
	mux.Handle("POST /v1/messages", s.serve(t, anthropic{}, handle))
	mux.Handle("POST /api/chat", s.serve(t, ollama{}, handle))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// protocol is one provider's side of a chat call.
type protocol interface {
	// decode reads and checks a request; a non-nil rejection is the error the
	// real API answers instead.
	decode(r *http.Request) (Request, *rejection)
	// fail writes an error response in the provider's error format.
	fail(w http.ResponseWriter, status int, message string)
	// answer writes the whole completion as one response.
	answer(w http.ResponseWriter, req Request, content string)
	// stream writes the completion in chunks, each sent with send.
	stream(w http.ResponseWriter, send func(string), req Request, chunks []string)
}

type rejection struct {
	status  int
	message string
}

func reject(status int, format string, args ...any) *rejection {
	return &rejection{status: status, message: fmt.Sprintf(format, args...)}
}

func (s *Server) serve(t testing.TB, p protocol, handle func(Request) Reply) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req, rej := p.decode(r)
		if rej != nil {
			t.Errorf("llmtest: the real API rejects this %s request: %d %s", r.URL.Path, rej.status, rej.message)
			p.fail(w, rej.status, rej.message)
			return
		}
		s.mu.Lock()
		s.requests = append(s.requests, req)
		s.mu.Unlock()
		rep := handle(req)
		if rep.Delay > 0 {
			select {
			case <-time.After(rep.Delay):
			case <-r.Context().Done():
				return
			}
		}
		switch {
		case rep.Status != 0:
			p.fail(w, rep.Status, http.StatusText(rep.Status))
		case !req.Stream:
			p.answer(w, req, rep.Content)
		default:
			flusher, _ := w.(http.Flusher)
			p.stream(w, func(s string) {
				_, _ = io.WriteString(w, s)
				if flusher != nil {
					flusher.Flush()
				}
			}, req, strings.SplitAfter(rep.Content, " "))
		}
	}
}

// decodeJSON reads a JSON request body into v; strict rejects fields v lacks,
// as Anthropic does.
func decodeJSON(r *http.Request, v any, strict bool) error {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("Content-Type is %q, want application/json", ct)
	}
	dec := json.NewDecoder(r.Body)
	if strict {
		dec.DisallowUnknownFields()
	}
	return dec.Decode(v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// contentText reads a message content that is either a string or text parts.
func contentText(raw json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", errors.New("content is neither a string nor a list of parts")
	}
	var b strings.Builder
	for _, p := range parts {
		if p.Type != "text" {
			return "", fmt.Errorf("content part of type %q, want text", p.Type)
		}
		b.WriteString(p.Text)
	}
	return b.String(), nil
}

// openAI speaks POST /v1/chat/completions: a JSON completion, or SSE
// "data: <chunk>" lines ending with "data: [DONE]".
type openAI struct{}

func (openAI) decode(r *http.Request) (Request, *rejection) {
	req := Request{Provider: "openai"}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		return req, reject(http.StatusUnauthorized, "You didn't provide an API key.")
	}
	var body struct {
		Model    string `json:"model"`
		Stream   bool   `json:"stream"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		ResponseFormat *struct {
			Type string `json:"type"`
		} `json:"response_format"`
	}
	if err := decodeJSON(r, &body, false); err != nil {
		return req, reject(http.StatusBadRequest, "%v", err)
	}
	if body.Model == "" {
		return req, reject(http.StatusBadRequest, "you must provide a model parameter")
	}
	if len(body.Messages) == 0 {
		return req, reject(http.StatusBadRequest, "[] is too short - 'messages'")
	}
	req.Model, req.Stream = body.Model, body.Stream
	if body.ResponseFormat != nil {
		req.ResponseFormat = body.ResponseFormat.Type
	}
	for _, m := range body.Messages {
		text, err := contentText(m.Content)
		if err != nil {
			return req, reject(http.StatusBadRequest, "messages: %v", err)
		}
		switch m.Role {
		case "system":
			req.System += text
		case "user":
			req.User += text
		}
	}
	return req, nil
}

func (openAI) fail(w http.ResponseWriter, status int, message string) {
	typ, code := "invalid_request_error", any(nil)
	switch {
	case status == http.StatusTooManyRequests:
		typ, code = "requests", "rate_limit_exceeded"
	case status >= 500:
		typ = "server_error"
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": message, "type": typ, "param": nil, "code": code}})
}

func (openAI) answer(w http.ResponseWriter, req Request, content string) {
	writeJSON(w, http.StatusOK, map[string]any{
		"id": "chatcmpl-test", "object": "chat.completion", "created": 1, "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content}}},
		"usage": map[string]any{"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
	})
}

func (openAI) stream(w http.ResponseWriter, send func(string), req Request, chunks []string) {
	w.Header().Set("Content-Type", "text/event-stream")
	chunk := func(delta map[string]any, finish any) {
		send("data: " + mustJSON(map[string]any{"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1,
			"model": req.Model, "choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}}) + "\n\n")
	}
	for _, c := range chunks {
		chunk(map[string]any{"role": "assistant", "content": c}, nil)
	}
	chunk(map[string]any{}, "stop")
	send("data: [DONE]\n\n")
}

// anthropic speaks POST /v1/messages (API version 2023-06-01): a message
// JSON, or SSE events message_start, content_block_start, ping,
// content_block_delta (text_delta) per chunk, content_block_stop,
// message_delta and message_stop.
type anthropic struct{}

func (anthropic) decode(r *http.Request) (Request, *rejection) {
	req := Request{Provider: "anthropic"}
	if r.Header.Get("x-api-key") == "" {
		return req, reject(http.StatusUnauthorized, "x-api-key header is required")
	}
	if r.Header.Get("anthropic-version") == "" {
		return req, reject(http.StatusBadRequest, "anthropic-version: header is required")
	}
	// The Messages API rejects fields it does not know ("Extra inputs are not
	// permitted", e.g. OpenAI's response_format), so body has only fields it
	// accepts: those langchaingo's client can send.
	var body struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		System        json.RawMessage `json:"system"`
		MaxTokens     int             `json:"max_tokens"`
		Stream        bool            `json:"stream"`
		Temperature   *float64        `json:"temperature"`
		TopP          *float64        `json:"top_p"`
		StopSequences []string        `json:"stop_sequences"`
		Tools         json.RawMessage `json:"tools"`
		Thinking      json.RawMessage `json:"thinking"`
	}
	if err := decodeJSON(r, &body, true); err != nil {
		return req, reject(http.StatusBadRequest, "%v", err)
	}
	switch {
	case body.Model == "":
		return req, reject(http.StatusBadRequest, "model: Field required")
	case body.MaxTokens <= 0:
		return req, reject(http.StatusBadRequest, "max_tokens: Field required")
	case len(body.Messages) == 0:
		return req, reject(http.StatusBadRequest, "messages: at least one message is required")
	case body.Temperature != nil && (*body.Temperature < 0 || *body.Temperature > 1):
		return req, reject(http.StatusBadRequest, "temperature: Input should be between 0 and 1")
	}
	req.Model, req.Stream = body.Model, body.Stream
	if len(body.System) > 0 {
		system, err := contentText(body.System)
		if err != nil {
			return req, reject(http.StatusBadRequest, "system: %v", err)
		}
		req.System = system
	}
	for i, m := range body.Messages {
		if m.Role != "user" && m.Role != "assistant" {
			return req, reject(http.StatusBadRequest, "messages.%d.role: unexpected role %q; the Messages API takes the system prompt as the top-level system field", i, m.Role)
		}
		text, err := contentText(m.Content)
		if err != nil {
			return req, reject(http.StatusBadRequest, "messages.%d.content: %v", i, err)
		}
		if m.Role == "user" {
			req.User += text
		}
	}
	return req, nil
}

func (anthropic) fail(w http.ResponseWriter, status int, message string) {
	typ := map[int]string{400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
		404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error", 529: "overloaded_error"}[status]
	if typ == "" {
		typ = "api_error"
	}
	writeJSON(w, status, map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": message}})
}

func (anthropic) answer(w http.ResponseWriter, req Request, content string) {
	writeJSON(w, http.StatusOK, map[string]any{
		"id": "msg_test", "type": "message", "role": "assistant", "model": req.Model,
		"content":     []any{map[string]any{"type": "text", "text": content}},
		"stop_reason": "end_turn", "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": 1, "output_tokens": 1},
	})
}

func (anthropic) stream(w http.ResponseWriter, send func(string), req Request, chunks []string) {
	w.Header().Set("Content-Type", "text/event-stream")
	event := func(typ string, data map[string]any) {
		data["type"] = typ
		send("event: " + typ + "\ndata: " + mustJSON(data) + "\n\n")
	}
	event("message_start", map[string]any{"message": map[string]any{
		"id": "msg_test", "type": "message", "role": "assistant", "model": req.Model, "content": []any{},
		"stop_reason": nil, "stop_sequence": nil, "usage": map[string]any{"input_tokens": 1, "output_tokens": 1}}})
	event("content_block_start", map[string]any{"index": 0, "content_block": map[string]any{"type": "text", "text": ""}})
	event("ping", map[string]any{})
	for _, c := range chunks {
		event("content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "text_delta", "text": c}})
	}
	event("content_block_stop", map[string]any{"index": 0})
	event("message_delta", map[string]any{"delta": map[string]any{"stop_reason": "end_turn", "stop_sequence": nil},
		"usage": map[string]any{"output_tokens": len(chunks)}})
	event("message_stop", map[string]any{})
}

// ollama speaks POST /api/chat: NDJSON lines {"message":{...},"done":false}
// ending with one "done":true, or (with "stream":false) one JSON object.
type ollama struct{}

func (ollama) decode(r *http.Request) (Request, *rejection) {
	req := Request{Provider: "ollama"}
	var body struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
		Stream *bool           `json:"stream"`
		Format json.RawMessage `json:"format"`
	}
	if err := decodeJSON(r, &body, false); err != nil {
		return req, reject(http.StatusBadRequest, "%v", err)
	}
	if body.Model == "" {
		return req, reject(http.StatusBadRequest, "model is required")
	}
	req.Model = body.Model
	req.Stream = body.Stream == nil || *body.Stream
	// As Ollama's server reads format: "" and null mean none.
	switch f := string(body.Format); {
	case f == "", f == "null", f == `""`:
	case f == `"json"`:
		req.ResponseFormat = "json"
	case strings.HasPrefix(f, "{"):
		req.ResponseFormat = "json_schema"
	default:
		return req, reject(http.StatusBadRequest, "invalid format: %q; expected \"json\" or a valid JSON Schema object", f)
	}
	for _, m := range body.Messages {
		switch m.Role {
		case "system":
			req.System += m.Content
		case "user":
			req.User += m.Content
		case "assistant", "tool":
		default:
			return req, reject(http.StatusBadRequest, "invalid role: %q", m.Role)
		}
	}
	return req, nil
}

func (ollama) fail(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]any{"error": message})
}

// ollamaLine is one chat response: a chunk, or the last with done set.
func ollamaLine(req Request, content string, done bool) map[string]any {
	line := map[string]any{"model": req.Model, "created_at": time.Now().UTC().Format(time.RFC3339Nano),
		"message": map[string]any{"role": "assistant", "content": content}, "done": done}
	if done {
		line["done_reason"] = "stop"
		line["total_duration"], line["prompt_eval_count"], line["eval_count"] = 1000, 1, 1
	}
	return line
}

func (ollama) answer(w http.ResponseWriter, req Request, content string) {
	writeJSON(w, http.StatusOK, ollamaLine(req, content, true))
}

func (ollama) stream(w http.ResponseWriter, send func(string), req Request, chunks []string) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	for _, c := range chunks {
		send(mustJSON(ollamaLine(req, c, false)) + "\n")
	}
	send(mustJSON(ollamaLine(req, "", true)) + "\n")
}
