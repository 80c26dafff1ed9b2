package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/cache"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

func setup(t *testing.T, cfg cache.Config) (*cache.Cache, *redis.Client) {
	t.Helper()
	rdb, prefix := redistest.New(t)
	cfg.Prefix = prefix
	c, err := cache.New(rdb, cfg)
	require.NoError(t, err)
	return c, rdb
}

func TestContextRoundTripAndMiss(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, cache.Config{})
	ctx := context.Background()
	user, conv := uuid.New(), uuid.New()
	_, ok, err := c.Context(ctx, user, conv)
	require.NoError(t, err)
	require.False(t, ok)

	cc := intent.ConversationContext{Turns: []intent.Turn{{MessageID: uuid.New(), Query: "emails from Sarah",
		Intent: intent.Intent{Services: []domain.Service{domain.ServiceGmail}, Confidence: 0.9}}}}
	require.NoError(t, c.SaveContext(ctx, user, conv, cc))
	got, ok, err := c.Context(ctx, user, conv)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, cc.Turns[0].Query, got.Turns[0].Query)
	require.Equal(t, cc.Turns[0].MessageID, got.Turns[0].MessageID)

	// Another user's conversation id does not see it.
	_, ok, err = c.Context(ctx, uuid.New(), conv)
	require.NoError(t, err)
	require.False(t, ok)
}

func TestIntentExpires(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, cache.Config{IntentTTL: time.Second})
	ctx := context.Background()
	require.NoError(t, c.SaveIntent(ctx, "k", intent.Intent{Confidence: 0.5}))
	in, ok, err := c.Intent(ctx, "k")
	require.NoError(t, err)
	require.True(t, ok)
	require.InDelta(t, 0.5, in.Confidence, 1e-9)
	require.Eventually(t, func() bool {
		_, ok, err := c.Intent(ctx, "k")
		return err == nil && !ok
	}, 3*time.Second, 50*time.Millisecond)
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	_, err := cache.New(nil, cache.Config{IntentTTL: time.Millisecond})
	require.ErrorContains(t, err, "Config.IntentTTL")
}
