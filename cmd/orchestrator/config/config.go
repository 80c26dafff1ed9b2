// Package config reads the process configuration from environment variables
// and validates it at start, naming the variable that is wrong.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// Development keys: good enough for `make run` on a laptop, logged as a
// warning when in use; ENV=production refuses to start with any of them.
const (
	DevJWTKeys      = "dev:dev-only-jwt-secret-change-me-32b+"
	DevTokenKeys    = "dev:ZGV2LW9ubHktdG9rZW4ta2V5LTMyLWJ5dGVzLSEhISE="
	DevWebhookToken = "dev-webhook-token"
)

// The modes ENV selects.
const (
	// EnvDevelopment warns about development secrets and serves introspection.
	EnvDevelopment = "development"
	// EnvProduction refuses development secrets and turns introspection and
	// field suggestions off.
	EnvProduction = "production"
)

// Config is every setting of the orchestrator binary. The env tags name the
// variables; the defaults match what `make run` sets up.
type Config struct {
	// Env is "development" (the default) or "production": production refuses
	// to start with a development secret and serves no introspection.
	Env string `env:"ENV" envDefault:"development"`
	// HTTPAddr is where the GraphQL server listens. Defaults to 127.0.0.1:8080.
	HTTPAddr string `env:"HTTP_ADDR" envDefault:"127.0.0.1:8080"`
	// DatabaseURL is the PostgreSQL (with pgvector) connection URL.
	DatabaseURL string `env:"DATABASE_URL" envDefault:"postgres://postgres@127.0.0.1:5432/orchestrator?sslmode=disable"`
	// DatabaseMaxConns caps the connection pool. Defaults to 20.
	DatabaseMaxConns int `env:"DATABASE_MAX_CONNS" envDefault:"20"`
	// RedisURL is the Redis connection URL.
	RedisURL string `env:"REDIS_URL" envDefault:"redis://127.0.0.1:6379/0"`
	// JWTKeys signs and verifies API tokens: "kid:secret,..."; the first signs.
	JWTKeys string `env:"JWT_KEYS" envDefault:"dev:dev-only-jwt-secret-change-me-32b+"`
	// JWTTTL is the lifetime of minted tokens. Defaults to 24h; at most
	// auth.MaxTokenLifetime (30 days), which verification also enforces.
	JWTTTL time.Duration `env:"JWT_TTL" envDefault:"24h"`
	// TokenKeys encrypts Google tokens at rest: "kid:base64(32 bytes),..."; the first seals.
	TokenKeys string `env:"TOKEN_KEYS" envDefault:"dev:ZGV2LW9ubHktdG9rZW4ta2V5LTMyLWJ5dGVzLSEhISE="`
	// GoogleURL is the base URL of the Google APIs and OAuth endpoints. Empty
	// (the default) starts the built-in Workspace emulator on EmulatorAddr with
	// the demo workspace and points every client at it.
	GoogleURL string `env:"GOOGLE_URL"`
	// GoogleClientID and GoogleClientSecret identify the OAuth client.
	GoogleClientID     string `env:"GOOGLE_CLIENT_ID" envDefault:"orchestrator-local"`
	GoogleClientSecret string `env:"GOOGLE_CLIENT_SECRET" envDefault:"orchestrator-local-secret"`
	// EmulatorAddr is where the built-in emulator listens. Defaults to 127.0.0.1:8085.
	EmulatorAddr string `env:"EMULATOR_ADDR" envDefault:"127.0.0.1:8085"`
	// DemoUser is created and synced at start when the emulator is built in.
	// "none" disables the demo. Defaults to demo@example.com.
	DemoUser string `env:"DEMO_USER" envDefault:"demo@example.com"`
	// WebhookToken authenticates Google push notifications (channel token).
	WebhookToken string `env:"WEBHOOK_TOKEN" envDefault:"dev-webhook-token"`
	// PublicURL is the base URL at which Google reaches this server (e.g.
	// https://orchestrator.example.com): Calendar and Drive channels notify
	// PublicURL/webhooks/calendar and /drive. Empty (the default) opens no
	// Calendar or Drive watches; polling alone keeps them fresh.
	PublicURL string `env:"PUBLIC_URL"`
	// CORSOrigins are the origins (scheme://host[:port], comma-separated) of
	// front ends served elsewhere that may call the API with credentials, over
	// HTTP and websockets, and where sign-in may return. Defaults to none.
	CORSOrigins []string `env:"CORS_ORIGINS" envSeparator:","`
	// GmailPushTopic is the Cloud Pub/Sub topic Gmail watches publish to
	// (projects/P/topics/T). Empty (the default) leaves Gmail to polling.
	GmailPushTopic string `env:"GMAIL_PUSH_TOPIC"`
	// LLMProvider picks the intent classifier and answer writer: "offline"
	// (rule-based, the default), "openai", "anthropic" or "ollama".
	LLMProvider string `env:"LLM_PROVIDER" envDefault:"offline"`
	// LLMBaseURL overrides the provider's API base URL (OpenAI-compatible servers).
	LLMBaseURL string `env:"LLM_BASE_URL"`
	// LLMAPIKey is the provider's API key; required for openai and anthropic.
	LLMAPIKey string `env:"LLM_API_KEY"`
	// LLMModel is the chat model. Defaults per provider.
	LLMModel string `env:"LLM_MODEL"`
	// LLMTimeout bounds one LLM call. Defaults to 5s.
	LLMTimeout time.Duration `env:"LLM_TIMEOUT" envDefault:"5s"`
	// LLMFallbackProvider is a second provider ("openai", "anthropic" or
	// "ollama") asked when the first fails, before the offline ones. Empty
	// (the default) goes straight to the offline ones.
	LLMFallbackProvider string `env:"LLM_FALLBACK_PROVIDER"`
	// LLMFallbackBaseURL, LLMFallbackAPIKey and LLMFallbackModel configure it.
	LLMFallbackBaseURL string `env:"LLM_FALLBACK_BASE_URL"`
	LLMFallbackAPIKey  string `env:"LLM_FALLBACK_API_KEY"`
	LLMFallbackModel   string `env:"LLM_FALLBACK_MODEL"`
	// Embedder picks the embedding provider: "offline" (default), "openai" or "ollama".
	Embedder string `env:"EMBEDDER" envDefault:"offline"`
	// EmbedderBaseURL, EmbedderAPIKey and EmbedderModel configure a remote embedder.
	EmbedderBaseURL string `env:"EMBEDDER_BASE_URL"`
	EmbedderAPIKey  string `env:"EMBEDDER_API_KEY"`
	EmbedderModel   string `env:"EMBEDDER_MODEL"`
	// AskRatePerHour limits asks per user per hour. Defaults to 1000.
	AskRatePerHour int `env:"ASK_RATE_PER_HOUR" envDefault:"1000"`
	// RateLimits charges every operation to its caller's hourly budget (per
	// user by plan, per address without a token, and globally): "on", or
	// "off" for load tests and trusted single-user setups. Defaults to on.
	RateLimits string `env:"RATE_LIMITS" envDefault:"on"`
	// SyncInterval is how often active users are synced. Defaults to 5m.
	SyncInterval time.Duration `env:"SYNC_INTERVAL" envDefault:"5m"`
	// JobRescueAfter is how long a job may run before it is taken for a
	// killed worker's and retried; every job runs in slices of two thirds of
	// it. Defaults to 60s: River looks for such jobs every 30s, so a killed
	// worker's sync runs again within about 1.5 minutes.
	JobRescueAfter time.Duration `env:"JOB_RESCUE_AFTER" envDefault:"60s"`
	// AskAbandonAfter is how long an unfinished ask may go without a
	// heartbeat of its server (every fifth of it) before it is taken for one
	// whose server died and ended with ERROR. Defaults to 1m.
	AskAbandonAfter time.Duration `env:"ASK_ABANDON_AFTER" envDefault:"1m"`
	// LogLevel is debug, info, warn or error. Defaults to info.
	LogLevel string `env:"LOG_LEVEL" envDefault:"info"`
	// DebugAddr, when set, serves Go's profiler (/debug/pprof/) on a listener
	// of its own, apart from the API. Empty (the default) serves nothing.
	DebugAddr string `env:"DEBUG_ADDR"`
}

// Load reads the configuration from getenv-style lookups (os.Environ as a map
// in production, a literal map in tests) and validates it.
func Load(environ map[string]string) (Config, error) {
	var c Config
	if err := env.ParseWithOptions(&c, env.Options{Environment: environ}); err != nil {
		return Config{}, fmt.Errorf("config: %w", nameVariables(err))
	}
	for i, o := range c.CORSOrigins { // an origin has no path: "https://app.example.com/" is that origin
		c.CORSOrigins[i] = strings.TrimSuffix(strings.TrimSpace(o), "/")
	}
	if c.DemoUser == "none" { // an empty variable reads as unset, so the demo is turned off by name
		c.DemoUser = ""
	}
	return c, c.validate()
}

// nameVariables rewrites the parser's errors, which name struct fields, to
// name the environment variable instead.
func nameVariables(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return err
	}
	vars := map[string]string{}
	t := reflect.TypeOf(Config{})
	for i := range t.NumField() {
		vars[t.Field(i).Name] = t.Field(i).Tag.Get("env")
	}
	var errs []error
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			errs = append(errs, fmt.Errorf("%s: %w", vars[pe.Name], pe.Err))
			continue
		}
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

// pubsubTopic is the full name of a Cloud Pub/Sub topic.
var pubsubTopic = regexp.MustCompile(`^projects/[^/\s]+/topics/[^/\s]+$`)

func (c Config) validate() error {
	var errs []error
	bad := func(variable, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", variable, fmt.Sprintf(format, args...)))
	}
	checkURL := func(variable, value string, schemes ...string) {
		u, err := url.Parse(value)
		if err != nil || u.Host == "" {
			bad(variable, "%q is not a URL with a host", value)
			return
		}
		for _, s := range schemes {
			if u.Scheme == s {
				return
			}
		}
		bad(variable, "scheme %q, want one of %s", u.Scheme, strings.Join(schemes, ", "))
	}
	checkURL("DATABASE_URL", c.DatabaseURL, "postgres", "postgresql")
	checkURL("REDIS_URL", c.RedisURL, "redis", "rediss")
	if c.GoogleURL != "" {
		checkURL("GOOGLE_URL", c.GoogleURL, "http", "https")
	}
	if c.PublicURL != "" {
		checkURL("PUBLIC_URL", c.PublicURL, "http", "https")
	}
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.TrimSuffix(u.Path, "/") != "" {
			bad("CORS_ORIGINS", "%q is not an origin (scheme://host[:port])", o)
		}
	}
	if c.GmailPushTopic != "" && !pubsubTopic.MatchString(c.GmailPushTopic) {
		bad("GMAIL_PUSH_TOPIC", "%q, want projects/PROJECT/topics/TOPIC", c.GmailPushTopic)
	}
	if c.LLMBaseURL != "" {
		checkURL("LLM_BASE_URL", c.LLMBaseURL, "http", "https")
	}
	if c.EmbedderBaseURL != "" {
		checkURL("EMBEDDER_BASE_URL", c.EmbedderBaseURL, "http", "https")
	}
	if c.DatabaseMaxConns < 2 {
		bad("DATABASE_MAX_CONNS", "%d, want at least 2", c.DatabaseMaxConns)
	}
	if c.JWTTTL <= 0 || c.JWTTTL > auth.MaxTokenLifetime {
		bad("JWT_TTL", "%s, want a positive duration of at most %s", c.JWTTTL, auth.MaxTokenLifetime)
	}
	switch c.Env {
	case EnvDevelopment:
	case EnvProduction:
		for _, v := range c.DevSecrets() {
			bad(v, "the public development secret; ENV=production needs your own")
		}
		// Sign-in cookies are Secure and Google redirects back to PUBLIC_URL.
		if !strings.HasPrefix(c.PublicURL, "https://") {
			bad("PUBLIC_URL", "%q, ENV=production needs the https:// URL people and Google reach this server at", c.PublicURL)
		}
		if c.RateLimits == "off" {
			bad("RATE_LIMITS", "off, ENV=production keeps every caller within a budget")
		}
	default:
		bad("ENV", "%q, want %s or %s", c.Env, EnvDevelopment, EnvProduction)
	}
	if c.LLMTimeout <= 0 {
		bad("LLM_TIMEOUT", "%s, want a positive duration", c.LLMTimeout)
	}
	if c.SyncInterval < time.Second {
		bad("SYNC_INTERVAL", "%s, want at least 1s", c.SyncInterval)
	}
	if c.AskAbandonAfter < 5*time.Second {
		bad("ASK_ABANDON_AFTER", "%s, want at least 5s", c.AskAbandonAfter)
	}
	if c.JobRescueAfter < 3*time.Second {
		bad("JOB_RESCUE_AFTER", "%s, want at least 3s", c.JobRescueAfter)
	}
	if c.RateLimits != "on" && c.RateLimits != "off" {
		bad("RATE_LIMITS", "%q, want on or off", c.RateLimits)
	}
	if c.AskRatePerHour < 1 {
		bad("ASK_RATE_PER_HOUR", "%d, want at least 1", c.AskRatePerHour)
	}
	switch c.LLMProvider {
	case "offline", "ollama":
	case "openai", "anthropic":
		if c.LLMAPIKey == "" && c.LLMBaseURL == "" {
			bad("LLM_API_KEY", "required when LLM_PROVIDER=%s", c.LLMProvider)
		}
	default:
		bad("LLM_PROVIDER", "%q, want offline, openai, anthropic or ollama", c.LLMProvider)
	}
	switch c.LLMFallbackProvider {
	case "", "ollama":
	case "openai", "anthropic":
		if c.LLMFallbackAPIKey == "" && c.LLMFallbackBaseURL == "" {
			bad("LLM_FALLBACK_API_KEY", "required when LLM_FALLBACK_PROVIDER=%s", c.LLMFallbackProvider)
		}
	default:
		bad("LLM_FALLBACK_PROVIDER", "%q, want empty, openai, anthropic or ollama", c.LLMFallbackProvider)
	}
	if c.LLMFallbackBaseURL != "" {
		checkURL("LLM_FALLBACK_BASE_URL", c.LLMFallbackBaseURL, "http", "https")
	}
	switch c.Embedder {
	case "offline", "ollama":
	case "openai":
		if c.EmbedderAPIKey == "" && c.EmbedderBaseURL == "" {
			bad("EMBEDDER_API_KEY", "required when EMBEDDER=openai")
		}
	default:
		bad("EMBEDDER", "%q, want offline, openai or ollama", c.Embedder)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("LOG_LEVEL", "%q, want debug, info, warn or error", c.LogLevel)
	}
	return errors.Join(errs...)
}

// Production reports whether ENV=production.
func (c Config) Production() bool { return c.Env == EnvProduction }

// DevSecrets names the variables that hold a public development secret: a
// key list that contains a development key counts (every key verifies or
// decrypts, not only the first).
func (c Config) DevSecrets() []string {
	var vars []string
	if containsKey(c.JWTKeys, DevJWTKeys) {
		vars = append(vars, "JWT_KEYS")
	}
	if containsKey(c.TokenKeys, DevTokenKeys) {
		vars = append(vars, "TOKEN_KEYS")
	}
	if c.WebhookToken == DevWebhookToken {
		vars = append(vars, "WEBHOOK_TOKEN")
	}
	return vars
}

// containsKey reports whether the "kid:secret,..." list holds dev's secret,
// under any key id.
func containsKey(list, dev string) bool {
	_, devSecret, _ := strings.Cut(dev, ":")
	for _, entry := range strings.Split(list, ",") {
		if _, secret, _ := strings.Cut(strings.TrimSpace(entry), ":"); secret == devSecret {
			return true
		}
	}
	return false
}

// Variable is one environment variable the configuration reads.
type Variable struct {
	Name    string
	Default string // "" when there is none
}

// Variables lists every variable Config reads, in declaration order.
func Variables() []Variable {
	var out []Variable
	t := reflect.TypeOf(Config{})
	for i := range t.NumField() {
		if name := t.Field(i).Tag.Get("env"); name != "" {
			out = append(out, Variable{Name: name, Default: t.Field(i).Tag.Get("envDefault")})
		}
	}
	return out
}
