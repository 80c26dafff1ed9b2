package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxQueryLen bounds what a person types, an ask or a search, in characters.
const MaxQueryLen = 2000

// CheckQuery returns q trimmed, or ErrInvalidInput saying why it cannot be
// run: it is empty, or longer than MaxQueryLen.
func CheckQuery(q string) (string, error) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return "", fmt.Errorf("query is empty: %w", ErrInvalidInput)
	case utf8.RuneCountInString(q) > MaxQueryLen:
		return "", fmt.Errorf("query longer than %d characters: %w", MaxQueryLen, ErrInvalidInput)
	}
	return q, nil
}
