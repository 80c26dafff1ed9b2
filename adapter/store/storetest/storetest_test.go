package storetest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
)

func TestNewIsolatesSchemas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := storetest.New(t), storetest.New(t)
	var sa, sb string
	require.NoError(t, a.Pool.QueryRow(ctx, "SELECT current_schema()").Scan(&sa))
	require.NoError(t, b.Pool.QueryRow(ctx, "SELECT current_schema()").Scan(&sb))
	require.NotEqual(t, sa, sb)
	_, err := a.Pool.Exec(ctx, "INSERT INTO users (email) VALUES ('a@example.com')")
	require.NoError(t, err)
	var n int
	require.NoError(t, b.Pool.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n))
	require.Zero(t, n)
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		storetest.New(b)
	}
}
