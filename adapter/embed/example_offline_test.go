package embed_test

import (
	"context"
	"fmt"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
)

// The offline embedder needs no network; related texts score higher.
func ExampleNew_offline() {
	e, err := embed.New(embed.Config{}) // Provider defaults to "offline"
	if err != nil {
		panic(err)
	}
	v, err := e.Embed(context.Background(), []string{
		"quarterly budget review",
		"Q4 financial review",
		"team offsite planning",
	})
	if err != nil {
		panic(err)
	}
	dot := func(a, b []float32) (s float32) {
		for i := range a {
			s += a[i] * b[i]
		}
		return s
	}
	fmt.Println(e.Model(), len(v[0]))
	fmt.Println("related beats unrelated:", dot(v[0], v[1]) > dot(v[0], v[2]))
	// Output:
	// offline-glove-sif-hash-v3 256
	// related beats unrelated: true
}
