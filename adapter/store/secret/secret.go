// Package secret encrypts small secrets (OAuth tokens) at rest with AES-256-GCM.
// Every ciphertext is stored beside the id of the key that sealed it, so keys
// can rotate: new data is sealed with the primary key, old data still opens.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownKey means a ciphertext names a key id the keyring does not hold.
var ErrUnknownKey = errors.New("secret: unknown key id")

// Keyring holds AES-256 keys by id; Primary seals, all of them open.
type Keyring struct {
	primary string
	aeads   map[string]cipher.AEAD
}

// ParseKeyring reads "id1:base64key1,id2:base64key2"; the first entry is the
// primary key. Each key must decode to 32 bytes.
func ParseKeyring(spec string) (*Keyring, error) {
	k := &Keyring{aeads: map[string]cipher.AEAD{}}
	for i, part := range strings.Split(spec, ",") {
		id, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || id == "" {
			return nil, fmt.Errorf("secret: entry %d: want id:base64key", i+1)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("secret: key %q: not base64: %w", id, err)
		}
		if len(key) != 32 {
			return nil, fmt.Errorf("secret: key %q: %d bytes, want 32 (AES-256)", id, len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("secret: key %q: %w", id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secret: key %q: %w", id, err)
		}
		if _, dup := k.aeads[id]; dup {
			return nil, fmt.Errorf("secret: key id %q given twice", id)
		}
		k.aeads[id] = aead
		if i == 0 {
			k.primary = id
		}
	}
	return k, nil
}

// Seal encrypts plain with the primary key; the nonce is prepended.
func (k *Keyring) Seal(plain []byte) (ciphertext []byte, keyID string, err error) {
	aead := k.aeads[k.primary]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", fmt.Errorf("secret: nonce: %w", err)
	}
	return aead.Seal(nonce, nonce, plain, []byte(k.primary)), k.primary, nil
}

// Open decrypts a ciphertext sealed under keyID.
func (k *Keyring) Open(ciphertext []byte, keyID string) ([]byte, error) {
	aead, ok := k.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownKey, keyID)
	}
	n := aead.NonceSize()
	if len(ciphertext) < n {
		return nil, errors.New("secret: ciphertext too short")
	}
	plain, err := aead.Open(nil, ciphertext[:n], ciphertext[n:], []byte(keyID))
	if err != nil {
		return nil, fmt.Errorf("secret: open with key %q: %w", keyID, err)
	}
	return plain, nil
}
