package nlu_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain/nlu"
)

func TestTokenize(t *testing.T) {
	var got []string
	for _, tk := range nlu.Tokenize("Share KEP-2400 with bob@example.com, as viewer? I'll see.") {
		got = append(got, tk.Text)
	}
	require.Equal(t, []string{"Share", "KEP-2400", "with", "bob@example.com", ",", "as", "viewer", "?", "I'll", "see"}, got)
}
