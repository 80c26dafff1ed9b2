package query_test

import (
	"context"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
)

// FuzzParse: any text a person (or an attacker) types parses without
// panicking, every filter's source lies inside the query, and the only
// error is a bad-input one. Corpus: testdata/fuzz/FuzzParse; `make fuzz`.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"emails from Sarah about the budget last week",
		`from:bob@example.com -draft "quarterly report" has:attachment is:unread label:work`,
		"after:2026-01-01 before:2025-12-31 files type:pdf",
		"meetings next tuesday between 3pm and 5pm with alice",
		"-", `"unterminated`, "from:", "label:", "::::", "\x00", "\xff\xfe",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	loc, err := time.LoadLocation("Europe/Istanbul")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := query.Parser{}.Parse(context.Background(), uuid.Nil, text, now, loc)
		if err != nil {
			if !errors.Is(err, domain.ErrInvalidInput) {
				t.Fatalf("Parse(%q): error %v is not bad input", text, err)
			}
			return
		}
		for _, s := range p.Sources {
			if s.Start < 0 || s.Start > s.End || s.End > len(text) {
				t.Fatalf("Parse(%q): source %+v outside the query", text, s)
			}
		}
		if utf8.ValidString(text) && !utf8.ValidString(p.Text) {
			t.Fatalf("Parse(%q): free text %q is not UTF-8", text, p.Text)
		}
	})
}
