// Command askload is the load generator of `make bench-ask`: it sends asks to
// a running server over GraphQL (the ask mutation over HTTP) and follows each
// answer over one graphql-transport-ws websocket per worker, measuring the
// time to the first streamed token and to the whole answer, and the
// sustained rate.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/workspace-orchestrator/orchestrator/cmd/askload/askclient"
)

// queries is the mix each worker cycles through: every service, reads only
// (side effects would only be proposed anyway).
var queries = []string{
	"what's on my calendar next week",
	"emails from Rosalee Fleming about the board meeting",
	"find the KEP about sidecar containers",
	"emails about the California energy crisis",
	"meetings of SIG Storage last month",
	"documents about pod security standards",
	"what did Sherron Watkins write about accounting",
	"emails and files about the budget",
	"SIG Node meetings this week",
	"the KEP on in-place pod resize",
	"emails from Jeff Skilling",
	"when is the next steering committee meeting",
}

type options struct {
	url, token string
	workers    int
	duration   time.Duration
	warmup     int
	askTimeout time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:8080", "the server's base URL")
	flag.StringVar(&o.token, "token", os.Getenv("TOKEN"), "bearer token (default $TOKEN)")
	flag.IntVar(&o.workers, "workers", 8, "concurrent askers, each with its own websocket")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "how long to send asks")
	flag.IntVar(&o.warmup, "warmup", 2, "asks per worker before measuring")
	flag.DurationVar(&o.askTimeout, "ask-timeout", 10*time.Second, "longest wait for one answer")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "askload:", err)
		os.Exit(1)
	}
}

// sample is one measured ask.
type sample struct {
	firstToken, total time.Duration
}

func run(ctx context.Context, o options, out io.Writer) error {
	if o.token == "" {
		return errors.New("-token: required (orchestrator token --email demo@example.com)")
	}
	if o.workers < 1 {
		return fmt.Errorf("-workers: %d, want at least 1", o.workers)
	}
	var (
		mu      sync.Mutex
		samples []sample
		failed  atomic.Int64
		firstEr atomic.Value
		wg      sync.WaitGroup
	)
	start := make(chan struct{})
	var (
		measureFrom time.Time
		warm        sync.WaitGroup // measuring starts when every worker has warmed up
	)
	for w := range o.workers {
		wg.Add(1)
		warm.Add(1)
		go func() {
			defer wg.Done()
			c, err := askclient.Dial(ctx, o.url, o.token, &http.Client{Timeout: o.askTimeout})
			if err != nil {
				warm.Done()
				failed.Add(1)
				firstEr.CompareAndSwap(nil, err)
				return
			}
			defer c.Close()
			for i := range o.warmup {
				_, _ = ask(ctx, c, o.askTimeout, queries[(w+i)%len(queries)])
			}
			warm.Done()
			<-start
			deadline := measureFrom.Add(o.duration)
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				s, err := ask(ctx, c, o.askTimeout, queries[(w*7+i)%len(queries)])
				if err != nil {
					failed.Add(1)
					firstEr.CompareAndSwap(nil, err)
					continue
				}
				mu.Lock()
				samples = append(samples, s)
				mu.Unlock()
			}
		}()
	}
	warm.Wait()
	measureFrom = time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(measureFrom)
	if err, ok := firstEr.Load().(error); ok && len(samples) == 0 {
		return err
	}
	report(out, o, samples, failed.Load(), elapsed)
	if err, ok := firstEr.Load().(error); ok {
		fmt.Fprintf(out, "first error: %v\n", err)
	}
	return nil
}

func report(w io.Writer, o options, ss []sample, failed int64, elapsed time.Duration) {
	ft := make([]time.Duration, len(ss))
	tot := make([]time.Duration, len(ss))
	for i, s := range ss {
		ft[i], tot[i] = s.firstToken, s.total
	}
	slices.Sort(ft)
	slices.Sort(tot)
	fmt.Fprintf(w, "workers %d, %s: %d asks answered, %d failed, %.1f asks/s\n",
		o.workers, elapsed.Round(time.Millisecond), len(ss), failed, float64(len(ss))/elapsed.Seconds())
	fmt.Fprintf(w, "first token  p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms\n", pct(ft, 50), pct(ft, 90), pct(ft, 99))
	fmt.Fprintf(w, "whole answer p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms\n", pct(tot, 50), pct(tot, 90), pct(tot, 99))
}

func pct(ds []time.Duration, p int) float64 {
	if len(ds) == 0 {
		return 0
	}
	i := (len(ds)*p + 99) / 100
	return float64(ds[max(i-1, 0)].Microseconds()) / 1000
}

// ask sends one ask and follows its answer to the end, timing the first
// TOKEN and the DONE event from just before the mutation.
func ask(ctx context.Context, c *askclient.Client, timeout time.Duration, q string) (sample, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t0 := time.Now()
	id, err := c.Ask(ctx, q)
	if err != nil {
		return sample{}, err
	}
	var (
		s      sample
		failed bool
	)
	err = c.Follow(ctx, id, func(ev askclient.Event) {
		switch ev.Type {
		case "TOKEN":
			if s.firstToken == 0 {
				s.firstToken = time.Since(t0)
			}
		case "DONE":
			s.total = time.Since(t0)
			if s.firstToken == 0 {
				s.firstToken = s.total
			}
		case "ERROR":
			failed = true
		}
	})
	switch {
	case err != nil:
		return sample{}, err
	case failed:
		return sample{}, errors.New("answer: ERROR event")
	case s.total == 0:
		return sample{}, errors.New("answer: completed without DONE")
	}
	return s, nil
}
