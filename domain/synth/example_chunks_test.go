package synth_test

import (
	"fmt"

	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

func ExampleChunks() {
	for _, c := range synth.Chunks("I found 2 matching emails:\n1. \"Budget v2\" [1]", 3) {
		fmt.Printf("%q\n", c)
	}
	// Output:
	// "I found 2 "
	// "matching emails:\n1. "
	// "\"Budget v2\" [1]"
}
