package intent

import (
	"fmt"
	"time"
)

// Params are a step's arguments. Values come either from Go code ([]string,
// time.Time, int) or from JSON ([]any, string, float64); the getters accept both.
type Params map[string]any

// String returns the string at key, or "".
func (p Params) String(key string) string {
	s, _ := p[key].(string)
	return s
}

// Strings returns the list of strings at key; a single string is a list of one.
func (p Params) Strings(key string) []string {
	switch v := p[key].(type) {
	case []string:
		return v
	case string:
		if v != "" {
			return []string{v}
		}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Time returns the instant at key (time.Time or RFC 3339); false when absent.
// A malformed value is an error, so a bad date never silently widens a search.
func (p Params) Time(key string) (time.Time, bool, error) {
	switch v := p[key].(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return v, !v.IsZero(), nil
	case string:
		if v == "" {
			return time.Time{}, false, nil
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("param %s: %q is not an RFC 3339 time", key, v)
		}
		return t, true, nil
	}
	return time.Time{}, false, fmt.Errorf("param %s: %T is not a time", key, p[key])
}

// Int returns the integer at key; false when absent or not a number.
func (p Params) Int(key string) (int, bool) {
	switch v := p[key].(type) {
	case int:
		return v, true
	case float64:
		return int(v), true
	}
	return 0, false
}

// Bool returns the boolean at key, or nil when absent.
func (p Params) Bool(key string) *bool {
	if v, ok := p[key].(bool); ok {
		return &v
	}
	return nil
}
