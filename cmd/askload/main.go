// Command askload is the load generator of `make bench-ask`: it sends asks to
// a running server over GraphQL (the ask mutation over HTTP) and follows each
// answer over one graphql-transport-ws websocket per worker, measuring the
// time to the first streamed token and to the whole answer, and the
// sustained rate.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
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
	url, token  string
	workers     int
	duration    time.Duration
	warmup      int
	askTimeout  time.Duration
	printFormat string
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:8080", "the server's base URL")
	flag.StringVar(&o.token, "token", os.Getenv("TOKEN"), "bearer token (default $TOKEN)")
	flag.IntVar(&o.workers, "workers", 16, "concurrent askers, each with its own websocket")
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
	var measureFrom time.Time
	for w := range o.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dial(ctx, o)
			if err != nil {
				failed.Add(1)
				firstEr.CompareAndSwap(nil, err)
				return
			}
			defer c.close()
			for i := range o.warmup {
				_, _ = c.ask(ctx, queries[(w+i)%len(queries)])
			}
			<-start
			deadline := measureFrom.Add(o.duration)
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				s, err := c.ask(ctx, queries[(w*7+i)%len(queries)])
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
	time.Sleep(time.Duration(o.warmup) * 200 * time.Millisecond) // let the warm-up asks finish
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

// client is one worker's HTTP client and websocket.
type client struct {
	o    options
	http *http.Client
	ws   *websocket.Conn
	next int
}

func dial(ctx context.Context, o options) (*client, error) {
	wsURL := "ws" + strings.TrimPrefix(o.url, "http") + "/graphql"
	ws, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, fmt.Errorf("websocket %s: %w", wsURL, err)
	}
	ws.SetReadLimit(1 << 20)
	if err := wsjson.Write(ctx, ws, map[string]any{"type": "connection_init", "payload": map[string]string{"authorization": "Bearer " + o.token}}); err != nil {
		return nil, err
	}
	var ack struct{ Type string }
	if err := wsjson.Read(ctx, ws, &ack); err != nil || ack.Type != "connection_ack" {
		return nil, fmt.Errorf("websocket init: got %q, %v", ack.Type, err)
	}
	return &client{o: o, http: &http.Client{Timeout: o.askTimeout}, ws: ws}, nil
}

func (c *client) close() { _ = c.ws.Close(websocket.StatusNormalClosure, "done") }

// ask sends one ask and follows its answer to DONE or ERROR.
func (c *client) ask(ctx context.Context, q string) (sample, error) {
	ctx, cancel := context.WithTimeout(ctx, c.o.askTimeout)
	defer cancel()
	t0 := time.Now()
	body, _ := json.Marshal(map[string]any{
		"query":     "mutation($q: String!) { ask(input: {query: $q}) { message { id } } }",
		"variables": map[string]string{"q": q},
	})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.o.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.o.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return sample{}, err
	}
	var r struct {
		Data struct {
			Ask struct{ Message struct{ ID string } }
		}
		Errors []struct{ Message string }
	}
	err = json.NewDecoder(resp.Body).Decode(&r)
	_ = resp.Body.Close()
	switch {
	case err != nil:
		return sample{}, fmt.Errorf("ask: %w", err)
	case len(r.Errors) > 0:
		return sample{}, fmt.Errorf("ask: %s", r.Errors[0].Message)
	}
	c.next++
	id := fmt.Sprint(c.next)
	if err := wsjson.Write(ctx, c.ws, map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{
		"query":     "subscription($id: ID!) { answer(messageId: $id) { type } }",
		"variables": map[string]string{"id": r.Data.Ask.Message.ID},
	}}); err != nil {
		return sample{}, err
	}
	var s sample
	for {
		var m struct {
			ID      string
			Type    string
			Payload struct {
				Data struct{ Answer struct{ Type string } }
			}
		}
		if err := wsjson.Read(ctx, c.ws, &m); err != nil {
			return sample{}, fmt.Errorf("answer: %w", err)
		}
		switch {
		case m.Type == "ping":
			_ = wsjson.Write(ctx, c.ws, map[string]string{"type": "pong"})
			continue
		case m.ID != id:
			continue
		case m.Type == "error":
			return sample{}, fmt.Errorf("answer: subscription error")
		case m.Type == "complete":
			if s.total == 0 {
				return sample{}, errors.New("answer: completed without DONE")
			}
			return s, nil
		}
		switch m.Payload.Data.Answer.Type {
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
			return sample{}, errors.New("answer: ERROR event")
		}
	}
}
