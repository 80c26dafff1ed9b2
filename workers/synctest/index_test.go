package synctest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
)

// The demo workspace synced as the product syncs it (the three services side
// by side, pages of up to 500 items written 200 to a statement), then a plain
// VACUUM as autovacuum runs it: the BM25 index is at most 1.2x the text it
// indexes (issue 11). Sizes are no timing, so this asserts.
func TestDemoSyncKeepsTheIndexWithinItsSize(t *testing.T) {
	t.Parallel()
	ws, err := demoWorkspace()
	require.NoError(t, err)
	e := setup(t, options{workspace: map[string]emulator.Workspace{demoUser: ws}})
	ctx := context.Background()
	// A reused schema's tables keep the files its last test grew.
	_, err = e.db.Pool.Exec(ctx, `TRUNCATE search_terms, search_tail, search_docs`)
	require.NoError(t, err)
	u := e.connect(t, demoUser)
	e.syncAll(t, u)
	_, err = e.db.Pool.Exec(ctx, `VACUUM search_terms, search_tail, search_docs`)
	require.NoError(t, err)
	size, err := storetest.MeasureIndex(ctx, e.db)
	require.NoError(t, err)
	t.Logf("BM25 index of the synced demo workspace: %s", size)
	require.LessOrEqual(t, size.Ratio(), 1.2)
}
