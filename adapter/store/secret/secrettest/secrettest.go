// Package secrettest makes keyrings for tests.
package secrettest

import (
	"crypto/rand"
	"encoding/base64"
	"testing"

	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret"
)

// Keyring returns a keyring with one fresh random AES-256 key, id "k1".
func Keyring(t testing.TB) *secret.Keyring {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	k, err := secret.ParseKeyring("k1:" + base64.StdEncoding.EncodeToString(key))
	if err != nil {
		t.Fatalf("secrettest: %v", err)
	}
	return k
}
