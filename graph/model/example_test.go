package model_test

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/graph/model"
)

func ExampleUnmarshalDateTime() {
	t, err := model.UnmarshalDateTime("2026-11-28T12:30:00+03:00")
	fmt.Println(t.UTC(), err)

	_, err = model.UnmarshalDateTime("next tuesday")
	fmt.Println(errors.Is(err, domain.ErrInvalidInput))

	var b bytes.Buffer
	model.MarshalDateTime(time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)).MarshalGQL(&b)
	fmt.Println(b.String())
	// Output:
	// 2026-11-28 09:30:00 +0000 UTC <nil>
	// true
	// "2026-11-28T09:30:00Z"
}
