package secret_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret"
)

func key(b byte) string {
	return base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(b), 32)))
}

func TestSealOpenAndRotate(t *testing.T) {
	t.Parallel()
	old, err := secret.ParseKeyring("k1:" + key('a'))
	require.NoError(t, err)
	ct, id, err := old.Seal([]byte("refresh-token"))
	require.NoError(t, err)
	require.Equal(t, "k1", id)
	require.NotContains(t, string(ct), "refresh-token")

	rotated, err := secret.ParseKeyring("k2:" + key('b') + ",k1:" + key('a'))
	require.NoError(t, err)
	plain, err := rotated.Open(ct, id)
	require.NoError(t, err)
	require.Equal(t, "refresh-token", string(plain))
	_, id2, err := rotated.Seal([]byte("x"))
	require.NoError(t, err)
	require.Equal(t, "k2", id2)

	_, err = old.Open(ct, "k9")
	require.ErrorIs(t, err, secret.ErrUnknownKey)
	ct[len(ct)-1] ^= 1
	_, err = rotated.Open(ct, "k1")
	require.Error(t, err)
}

func TestParseKeyringErrors(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]string{
		"nokey":                              "want id:base64key",
		"k1:!!":                              "not base64",
		"k1:" + key('a')[:8]:                 "want 32",
		"k1:" + key('a') + ",k1:" + key('b'): "given twice",
	} {
		_, err := secret.ParseKeyring(spec)
		require.ErrorContains(t, err, want, spec)
	}
}
