package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestRefreshStatsAnalyzesTheServiceTables(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	st := store.New(db, nil, domain.SystemClock{})
	ctx := context.Background()
	for _, s := range domain.Services {
		require.NoError(t, st.RefreshStats(ctx, s))
	}
	var analyzed int
	require.NoError(t, db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_user_tables
		WHERE schemaname = current_schema() AND last_analyze IS NOT NULL
		AND relname IN ('gmail_cache', 'gcal_cache', 'gdrive_cache', 'search_terms', 'search_docs')`).Scan(&analyzed))
	require.Equal(t, 5, analyzed)
	require.ErrorIs(t, st.RefreshStats(ctx, "fax"), domain.ErrInvalidInput)
}
