package pubsub_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/pubsub"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
)

func TestCancelRequestsReachEveryInstance(t *testing.T) {
	t.Parallel()
	first, prefix := redistest.New(t)
	second := redis.NewClient(first.Options())
	t.Cleanup(func() { _ = second.Close() })
	channel := prefix + "cancel"
	ctx, stop := context.WithCancel(context.Background())
	defer stop()

	got := make(chan uuid.UUID, 4)
	listening := make(chan error, 2)
	for _, rdb := range []*redis.Client{first, second} {
		go func() {
			listening <- pubsub.NewCancels(rdb, channel).ListenCancels(ctx, func(id uuid.UUID) { got <- id })
		}()
	}
	id := uuid.New()
	require.Eventually(t, func() bool {
		n, err := first.PubSubNumSub(ctx, channel).Result()
		return err == nil && n[channel] == 2
	}, 5*time.Second, 5*time.Millisecond)
	require.NoError(t, pubsub.NewCancels(first, channel).RequestCancel(ctx, id))
	require.NoError(t, first.Publish(ctx, channel, "not an id").Err(), "garbage is ignored")
	for range 2 {
		select {
		case g := <-got:
			require.Equal(t, id, g)
		case <-time.After(5 * time.Second):
			t.Fatal("a listener did not hear the request")
		}
	}
	stop()
	for range 2 {
		require.ErrorIs(t, <-listening, context.Canceled)
	}
	require.Empty(t, got)
}
