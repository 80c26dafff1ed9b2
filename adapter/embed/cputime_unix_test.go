//go:build unix

package embed_test

import (
	"syscall"
	"testing"
	"time"
)

// cpuTimer reports CPU time (user+system) per op and items per CPU-second
// beside the wall-clock numbers: on a shared, loaded machine those wall
// numbers mostly measure the neighbours.
func cpuTimer(b *testing.B, itemsPerOp int) func() {
	start := cpuNow()
	return func() {
		cpu := cpuNow() - start
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(itemsPerOp*b.N)/cpu.Seconds(), "items/cpu-s")
	}
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
