package storetest_test

import (
	"context"
	"fmt"
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

func TestNewStartsEmpty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Sequential subtests: the second may well reuse the first one's schema.
	for i := range 3 {
		t.Run("", func(t *testing.T) {
			db := storetest.New(t)
			var users, jobs int
			require.NoError(t, db.Pool.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&users))
			require.NoError(t, db.Pool.QueryRow(ctx, "SELECT count(*) FROM river_job").Scan(&jobs))
			require.Zero(t, users, "run %d", i)
			require.Zero(t, jobs, "run %d", i)
			_, err := db.Pool.Exec(ctx, `WITH u AS (INSERT INTO users (email) VALUES ('a@example.com') RETURNING id)
				INSERT INTO conversations (user_id) SELECT id FROM u`)
			require.NoError(t, err)
			_, err = db.Pool.Exec(ctx, `INSERT INTO river_job (args, kind, max_attempts, queue, state)
				VALUES ('{}', 'test', 1, 'default', 'available')`)
			require.NoError(t, err)
		})
	}
}

// recorder is a testing.TB whose cleanups run on demand and whose errors
// are kept instead of failing the test.
type recorder struct {
	testing.TB
	cleanups []func()
	errs     []string
}

func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) runCleanups() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestLeakedConnectionFailsInsteadOfHanging(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	db := storetest.New(rec)
	conn, err := db.Pool.Acquire(context.Background())
	require.NoError(t, err)
	rec.runCleanups()
	require.Len(t, rec.errs, 1)
	require.Contains(t, rec.errs[0], "still in use")
	conn.Release()
}
