package config_test

import (
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
)

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := config.Load(map[string]string{})
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:8080", c.HTTPAddr)
	require.Equal(t, "offline", c.LLMProvider)
	require.Equal(t, 5*time.Minute, c.SyncInterval)
	require.Equal(t, []string{"JWT_KEYS", "TOKEN_KEYS", "WEBHOOK_TOKEN"}, c.DevSecrets(), "development warns about them")
	require.False(t, c.Production())
}

// ownSecrets are production-grade values for the three secrets.
var ownSecrets = map[string]string{
	"JWT_KEYS":      "k2:an-operator-chosen-secret-of-32-bytes-or-more",
	"TOKEN_KEYS":    "k2:b3duLXRva2VuLWtleS0zMi1ieXRlcy1sb25nLS0tLS0=",
	"WEBHOOK_TOKEN": "an-operator-chosen-webhook-token",
	"PUBLIC_URL":    "https://orchestrator.example.com",
}

func TestProductionRefusesEachDevelopmentSecret(t *testing.T) {
	t.Parallel()
	env := func(over map[string]string) map[string]string {
		m := map[string]string{"ENV": "production"}
		for k, v := range ownSecrets {
			m[k] = v
		}
		for k, v := range over {
			m[k] = v
		}
		return m
	}
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	require.True(t, c.Production())
	require.Empty(t, c.DevSecrets())

	for variable, dev := range map[string]string{
		"JWT_KEYS":      config.DevJWTKeys,
		"TOKEN_KEYS":    config.DevTokenKeys,
		"WEBHOOK_TOKEN": config.DevWebhookToken,
	} {
		_, err := config.Load(env(map[string]string{variable: dev}))
		require.ErrorContains(t, err, variable+": the public development secret", variable)
		for other := range ownSecrets {
			if other != variable && other != "PUBLIC_URL" {
				require.NotContains(t, err.Error(), other+":", "only the development one is named")
			}
		}
	}
	// A development key kept second (still verifying) is refused too, under any key id.
	_, err = config.Load(env(map[string]string{"JWT_KEYS": ownSecrets["JWT_KEYS"] + ",old:dev-only-jwt-secret-change-me-32b+"}))
	require.ErrorContains(t, err, "JWT_KEYS")
	// Production serves sign-in over HTTPS only.
	_, err = config.Load(env(map[string]string{"PUBLIC_URL": "http://orchestrator.example.com"}))
	require.ErrorContains(t, err, "PUBLIC_URL")
	_, err = config.Load(env(map[string]string{"PUBLIC_URL": ""}))
	require.ErrorContains(t, err, "PUBLIC_URL")
	// All three unset: all three named at once.
	_, err = config.Load(map[string]string{"ENV": "production"})
	for _, v := range []string{"JWT_KEYS", "TOKEN_KEYS", "WEBHOOK_TOKEN"} {
		require.ErrorContains(t, err, v)
	}
}

func TestLoadNamesTheBadVariable(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"db scheme":      {map[string]string{"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL: scheme"},
		"redis url":      {map[string]string{"REDIS_URL": "nonsense"}, "REDIS_URL"},
		"cors origin":    {map[string]string{"CORS_ORIGINS": "https://app.example.com,app.example.com"}, `CORS_ORIGINS: "app.example.com"`},
		"provider":       {map[string]string{"LLM_PROVIDER": "gpt"}, "LLM_PROVIDER"},
		"key required":   {map[string]string{"LLM_PROVIDER": "openai"}, "LLM_API_KEY: required"},
		"duration":       {map[string]string{"JWT_TTL": "soon"}, "JWT_TTL"},
		"ttl too long":   {map[string]string{"JWT_TTL": "8760h"}, "JWT_TTL"},
		"env":            {map[string]string{"ENV": "prod"}, "ENV"},
		"embedder":       {map[string]string{"EMBEDDER": "bert"}, "EMBEDDER"},
		"log level":      {map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		"sync too short": {map[string]string{"SYNC_INTERVAL": "1ms"}, "SYNC_INTERVAL"},
		"public url":     {map[string]string{"PUBLIC_URL": "orchestrator.example.com"}, "PUBLIC_URL"},
		"public scheme":  {map[string]string{"PUBLIC_URL": "ftp://orchestrator.example.com"}, "PUBLIC_URL: scheme"},
		"topic":          {map[string]string{"GMAIL_PUSH_TOPIC": "gmail-push"}, "GMAIL_PUSH_TOPIC"},
		"rate limits":    {map[string]string{"RATE_LIMITS": "no"}, "RATE_LIMITS"},
		"limits off":     {map[string]string{"ENV": "production", "RATE_LIMITS": "off"}, "RATE_LIMITS: off"},
		"topic parts":    {map[string]string{"GMAIL_PUSH_TOPIC": "projects/p/topics/t/extra"}, "GMAIL_PUSH_TOPIC"},
	} {
		_, err := config.Load(tc.env)
		require.ErrorContains(t, err, tc.want, name)
	}
}

func TestPushSettings(t *testing.T) {
	t.Parallel()
	c, err := config.Load(map[string]string{})
	require.NoError(t, err)
	require.Empty(t, c.PublicURL, "no push watches by default")
	require.Empty(t, c.GmailPushTopic)
	c, err = config.Load(map[string]string{"PUBLIC_URL": "https://orchestrator.example.com", "GMAIL_PUSH_TOPIC": "projects/acme-1/topics/gmail-push"})
	require.NoError(t, err)
	require.Equal(t, "https://orchestrator.example.com", c.PublicURL)
	require.Equal(t, "projects/acme-1/topics/gmail-push", c.GmailPushTopic)
}

func TestDemoUserNoneDisablesTheDemo(t *testing.T) {
	t.Parallel()
	c, err := config.Load(map[string]string{"DEMO_USER": "none"})
	require.NoError(t, err)
	require.Empty(t, c.DemoUser)
}

// TestEveryVariableIsDocumented keeps .env.example and README.md's table in
// step with Config: each variable appears in both.
func TestEveryVariableIsDocumented(t *testing.T) {
	t.Parallel()
	example, err := os.ReadFile("../../../.env.example")
	require.NoError(t, err)
	readme, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	typ := reflect.TypeOf(config.Config{})
	for i := range typ.NumField() {
		name := typ.Field(i).Tag.Get("env")
		require.Contains(t, string(example), "\n"+name+"=", ".env.example lacks %s", name)
		require.Contains(t, string(readme), "`"+name+"`", "README.md lacks %s", name)
	}
}
