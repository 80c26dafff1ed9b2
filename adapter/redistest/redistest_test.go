package redistest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
)

func TestPrefixesAreUniqueAndCleanedUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var prefix string
	t.Run("inner", func(t *testing.T) {
		rdb, p := redistest.New(t)
		_, other := redistest.New(t)
		require.NotEqual(t, p, other)
		prefix = p
		require.NoError(t, rdb.Set(ctx, p+"a", "1", 0).Err())
		require.NoError(t, rdb.Set(ctx, p+"b", "2", 0).Err())
	})
	rdb, _ := redistest.New(t)
	n, err := rdb.Exists(ctx, prefix+"a", prefix+"b").Result()
	require.NoError(t, err)
	require.Zero(t, n, "the inner test's keys are gone")
}
