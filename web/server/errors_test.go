package server

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestClassifyMapsSentinels(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		code string
	}{
		{fmt.Errorf("ask x: %w", domain.ErrCancelled), codeCancelled},
		{fmt.Errorf("bad: %w", domain.ErrInvalidInput), codeBadUserInput},
		{fmt.Errorf("gone: %w", domain.ErrNotFound), codeNotFound},
		{errors.New("relation x does not exist"), codeInternal},
	} {
		code, _ := classify(c.err)
		require.Equal(t, c.code, code, "%v", c.err)
	}
	_, msg := classify(fmt.Errorf("ask x: %w", domain.ErrCancelled))
	require.Equal(t, "the request was cancelled before it finished", msg)
}
