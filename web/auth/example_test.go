package auth_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

func ExampleKeyset() {
	// The first key signs; listing the previous key after it keeps its tokens valid.
	spec := "2026-11:" + strings.Repeat("n", 32) + ",2026-10:" + strings.Repeat("o", 32)
	ks, err := auth.ParseKeyset(spec, domain.SystemClock{})
	if err != nil {
		panic(err)
	}
	id := uuid.MustParse("5b0c9a52-2f0e-4d7c-9d43-5a3c2f1b7e01")
	token, _ := ks.Mint(id, "ada@example.com", time.Hour)
	claims, err := ks.Verify(token)
	fmt.Println(claims.UserID, claims.Email, err)
	// Output: 5b0c9a52-2f0e-4d7c-9d43-5a3c2f1b7e01 ada@example.com <nil>
}
