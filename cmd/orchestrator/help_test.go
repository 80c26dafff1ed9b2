package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Each subcommand's --help lists its flags and the variables it reads.
func TestHelpListsFlagsAndEnvironment(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"serve", "worker", "all", "migrate", "emulator", "import", "ask", "token", "sync"} {
		var out lockedBuffer
		require.NoError(t, run(context.Background(), []string{cmd, "--help"}, map[string]string{}, &out, &lockedBuffer{}), cmd)
		help := out.String()
		require.Contains(t, help, "Flags:", cmd)
		for _, v := range []string{"DATABASE_URL", "REDIS_URL", "CORS_ORIGINS", "PUBLIC_URL"} {
			require.Contains(t, help, v, "%s --help", cmd)
		}
	}
	var out lockedBuffer
	require.NoError(t, run(context.Background(), []string{"token", "--help"}, map[string]string{}, &out, &lockedBuffer{}))
	require.Contains(t, out.String(), "--email")
}

// A database or Redis that cannot be reached is named by its variable.
func TestUnreachableServicesNameTheirVariable(t *testing.T) {
	t.Parallel()
	e := setupCmd(t)
	bad := func(k, v string) error {
		vars := map[string]string{}
		for key, val := range e.vars {
			vars[key] = val
		}
		vars[k] = v
		return run(context.Background(), []string{"token", "--email", "a@example.com"}, vars, &lockedBuffer{}, &lockedBuffer{})
	}
	err := bad("DATABASE_URL", "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "DATABASE_URL: "), err.Error())
	err = bad("REDIS_URL", "redis://127.0.0.1:1/0")
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "REDIS_URL: "), err.Error())
}
