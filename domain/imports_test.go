package domain_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDomainImportsNoIOLibrary keeps the core free of I/O: domain packages may
// not depend, even indirectly, on a database, Redis, River, an LLM or Google
// client, gqlgen or net/http.
func TestDomainImportsNoIOLibrary(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "./...").CombinedOutput()
	require.NoError(t, err, string(out))
	// database/sql/driver is allowed: uuid implements its Valuer.
	exact := []string{"net/http", "database/sql"}
	prefixes := []string{
		"github.com/uptrace/bun", "github.com/jackc/pgx", "github.com/pgvector/pgvector-go",
		"github.com/redis/go-redis", "github.com/riverqueue/river", "github.com/tmc/langchaingo",
		"google.golang.org/api", "golang.org/x/oauth2", "github.com/99designs/gqlgen",
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range exact {
			require.NotEqual(t, f, dep, "domain depends on %s", dep)
		}
		for _, f := range prefixes {
			require.False(t, dep == f || strings.HasPrefix(dep, f+"/"), "domain depends on %s", dep)
		}
	}
}
