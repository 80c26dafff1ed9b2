// Package askeval runs judged natural-language ask cases against a running
// server and says which fail and why: the Go port of the reference checker
// ask_check.py (demo/data/eval/ASK-EVAL.md describes the case format), run
// by `orchestrator eval-ask`.
package askeval

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
)

// Categories are the case categories, printed in this order (others after).
var Categories = []string{"gmail", "calendar", "drive", "compound", "followup", "clarify", "unsupported", "write"}

// PollTimeout bounds how long one ask is polled for an end state.
const PollTimeout = 20 * time.Second

// Case is one judged case: a conversation of turns, each with expectations.
type Case struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Turns    []struct {
		Query  string `json:"query"`
		Expect expect `json:"expect"`
	} `json:"turns"`
}

// Options say what to run and where.
type Options struct {
	Cases    string   // JSONL file of cases (required)
	URL      string   // the server's base URL
	Email    string   // the user asked as
	JSONOut  string   // where to write every turn as JSON; "" for nowhere
	Only     []string // run only these case ids
	Validate bool     // check the cases against the workspace; ask nothing
}

// Deps is what a run needs from the process: a token for the user.
type Deps struct {
	Token func(ctx context.Context, email string) (string, error)
	// Now is the clock windows are computed from. Defaults to time.Now.
	Now func() time.Time
}

// ParseArgs reads the command line: --cases FILE (or the first argument),
// --url, --email, --json, --only (repeatable), --validate.
func ParseArgs(args []string, defaultURL, defaultEmail string) (Options, error) {
	o := Options{URL: defaultURL, Email: defaultEmail}
	fs := flag.NewFlagSet("eval-ask", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.Cases, "cases", "", "JSONL file of ask cases")
	fs.StringVar(&o.URL, "url", o.URL, "the running server")
	fs.StringVar(&o.Email, "email", o.Email, "the user to ask as")
	fs.StringVar(&o.JSONOut, "json", "", "write every turn to this JSON file")
	fs.Func("only", "run only this case id (repeatable)", func(s string) error { o.Only = append(o.Only, s); return nil })
	fs.BoolVar(&o.Validate, "validate", false, "check that the cases' matchers and oracles find items; ask nothing")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("eval-ask: %w", err)
	}
	if o.Cases == "" && fs.NArg() > 0 {
		o.Cases = fs.Arg(0)
	}
	if o.Cases == "" {
		return o, errors.New("eval-ask: --cases: required (a JSONL file of ask cases)")
	}
	return o, nil
}

// readCases reads a JSONL file; bad lines are reported to w and skipped.
func readCases(path string, w io.Writer) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--cases: %w", err)
	}
	defer f.Close()
	var cases []Case
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var c Case
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			fmt.Fprintf(w, "%s:%d: bad JSON: %v\n", path, n, err)
			continue
		}
		if c.ID == "" || len(c.Turns) == 0 {
			fmt.Fprintf(w, "%s:%d: a case needs id and turns\n", path, n)
			continue
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--cases %s: %w", path, err)
	}
	return cases, nil
}

// Result is the outcome of one case.
type Result struct {
	ID       string     `json:"id"`
	Category string     `json:"category"`
	Passed   bool       `json:"passed"`
	Reasons  []string   `json:"reasons"`
	Seconds  float64    `json:"seconds"`
	Turns    []turnJSON `json:"turns"`
}

type turnJSON struct {
	Query     string              `json:"query"`
	Status    string              `json:"status,omitempty"`
	Error     string              `json:"error,omitempty"`
	Response  string              `json:"response,omitempty"`
	Plan      []string            `json:"plan,omitempty"`
	Actions   []map[string]string `json:"actions,omitempty"`
	Citations []map[string]string `json:"citations,omitempty"`
	Intent    any                 `json:"intent,omitempty"`
	Reasons   []string            `json:"reasons,omitempty"`
}

// Run runs (or validates) the cases and prints a line per failing case, the
// pass rate per category and, last, "ask golden: P/N passed (pct%)". Like the
// reference checker it reports problems with the server in its output; it
// returns an error only for bad options or a cancelled context.
func Run(ctx context.Context, o Options, d Deps, w io.Writer) error {
	cases, err := readCases(o.Cases, w)
	if err != nil {
		return err
	}
	if len(o.Only) > 0 {
		cases = slices.DeleteFunc(cases, func(c Case) bool { return !slices.Contains(o.Only, c.ID) })
	}
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	total := len(cases)
	token, err := d.Token(ctx, o.Email)
	if err != nil {
		return fmt.Errorf("eval-ask: token for %s: %w", o.Email, err)
	}
	c := &client{url: strings.TrimSuffix(o.URL, "/") + "/graphql", token: token, http: &http.Client{Timeout: time.Minute}}
	e, err := newEnv(ctx, c, now())
	if err != nil {
		fmt.Fprintf(w, "error: %v\nask golden: 0/%d passed (0%%)\n", err, total)
		return ctx.Err()
	}
	if o.Validate {
		bad := 0
		for _, c := range cases {
			if probs := e.validateCase(ctx, c, w); len(probs) > 0 {
				bad++
				fmt.Fprintf(w, "INVALID %s: %s\n", c.ID, strings.Join(probs, " | "))
			}
		}
		fmt.Fprintf(w, "validate: %d/%d cases ground in the workspace\n", total-bad, total)
		return ctx.Err()
	}
	var results []Result
	perCat := map[string][2]int{}
	for _, c := range cases {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t0 := time.Now()
		reasons, turns := e.runCase(ctx, c)
		cat := cmp.Or(c.Category, "other")
		pc := perCat[cat]
		pc[1]++
		if len(reasons) == 0 {
			pc[0]++
		} else {
			fmt.Fprintf(w, "FAIL %s [%s] %s\n", c.ID, cat, strings.Join(reasons, " | "))
		}
		perCat[cat] = pc
		results = append(results, Result{ID: c.ID, Category: cat, Passed: len(reasons) == 0, Reasons: reasons,
			Seconds: float64(time.Since(t0).Milliseconds()) / 1000, Turns: turns})
	}
	passed := 0
	for _, r := range results {
		if r.Passed {
			passed++
		}
	}
	fmt.Fprintln(w)
	cats := slices.Clone(Categories)
	var others []string
	for cat := range perCat {
		if !slices.Contains(Categories, cat) {
			others = append(others, cat)
		}
	}
	sort.Strings(others)
	for _, cat := range append(cats, others...) {
		if pc, ok := perCat[cat]; ok {
			fmt.Fprintf(w, "  %-12s %3d/%-3d %4.0f%%\n", cat, pc[0], pc[1], 100*float64(pc[0])/float64(pc[1]))
		}
	}
	pct := 0.0
	if total > 0 {
		pct = 100 * float64(passed) / float64(total)
	}
	if o.JSONOut != "" {
		out := map[string]any{"cases": o.Cases, "url": o.URL, "now": e.now.Format(time.RFC3339), "timeZone": e.tzname,
			"passed": passed, "total": total, "per_category": perCat, "results": results}
		b, err := json.MarshalIndent(out, "", " ")
		if err == nil {
			err = os.WriteFile(o.JSONOut, b, 0o644)
		}
		if err != nil {
			return fmt.Errorf("--json: %w", err)
		}
	}
	fmt.Fprintf(w, "ask golden: %d/%d passed (%.0f%%)\n", passed, total, pct)
	return ctx.Err()
}

var weekdayNames = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// render fills the query's templates.
func (e *env) render(ctx context.Context, query string) (string, error) {
	var err error
	out := templateRe.ReplaceAllStringFunc(query, func(s string) string {
		m := templateRe.FindStringSubmatch(s)
		kind, arg := m[1], m[2]
		name := arg
		if kind == "month" {
			name = "month:" + arg
		}
		start, _, werr := e.window(ctx, name)
		if werr == nil && start.IsZero() {
			werr = errf("template %q has no start", s)
		}
		if werr != nil {
			err = werr
			return s
		}
		if kind == "day" {
			return fmt.Sprintf("%s, %s %d", weekdayNames[weekdayIndex(start)], months[start.Month()-1], start.Day())
		}
		return fmt.Sprintf("%s %d", months[start.Month()-1], start.Year())
	})
	return out, err
}

var messageQuery = `query($id: ID!) { node(id: $id) { ... on Message {
  id status response error intent
  plan { id service operation params dependsOn sideEffect }
  actions { id stepId kind service summary targets status }
  stepResults { stepId service operation status error reason items { service kind itemId nodeId title snippet people at end } }
  citations { service itemId title url }
} } }`

const askMutation = `mutation($input: AskInput!) { ask(input: $input) {
  message { id status } conversation { id } } }`

func (e *env) ask(ctx context.Context, query, conversation string) (message, string, error) {
	inp := map[string]any{"query": query}
	if conversation != "" {
		inp["conversationId"] = conversation
	}
	var out struct {
		Ask struct {
			Message struct {
				ID string `json:"id"`
			} `json:"message"`
			Conversation struct {
				ID string `json:"id"`
			} `json:"conversation"`
		} `json:"ask"`
	}
	if err := e.c.gql(ctx, askMutation, map[string]any{"input": inp}, &out); err != nil {
		return message{}, "", err
	}
	deadline := time.Now().Add(PollTimeout)
	delay := 150 * time.Millisecond
	for {
		var n struct {
			Node *message `json:"node"`
		}
		if err := e.c.gql(ctx, messageQuery, map[string]any{"id": out.Ask.Message.ID}, &n); err != nil {
			return message{}, "", err
		}
		if n.Node == nil {
			return message{}, "", errf("message %s not found", out.Ask.Message.ID)
		}
		switch n.Node.Status {
		case "DONE", "FAILED", "CANCELLED":
			return *n.Node, out.Ask.Conversation.ID, nil
		}
		if time.Now().After(deadline) {
			return *n.Node, out.Ask.Conversation.ID, nil
		}
		select {
		case <-ctx.Done():
			return message{}, "", ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*3/2, time.Second)
	}
}

func (e *env) runCase(ctx context.Context, c Case) ([]string, []turnJSON) {
	var reasons []string
	var turns []turnJSON
	conv := ""
	var prev *turn
	for i, t := range c.Turns {
		tag := ""
		if len(c.Turns) > 1 {
			tag = fmt.Sprintf("t%d: ", i+1)
		}
		q, err := e.render(ctx, t.Query)
		var msg message
		var cid string
		if err == nil {
			msg, cid, err = e.ask(ctx, q, conv)
		}
		if err != nil {
			reasons = append(reasons, tag+err.Error())
			turns = append(turns, turnJSON{Query: t.Query, Error: err.Error()})
			break
		}
		conv = cmp.Or(conv, cid)
		tr := newTurn(e, msg)
		var r []string
		if msg.Status == "PENDING" || msg.Status == "RUNNING" {
			r = append(r, fmt.Sprintf("not done after %ds (status %s)", int(PollTimeout.Seconds()), msg.Status))
		} else if err := e.checkTurn(ctx, tr, t.Expect, prev, &r); err != nil {
			r = append(r, "check error: "+err.Error())
		}
		for _, x := range r {
			reasons = append(reasons, tag+x)
		}
		tj := turnJSON{Query: q, Status: msg.Status, Response: msg.Response, Intent: msg.Intent, Reasons: r}
		for _, s := range msg.Plan {
			tj.Plan = append(tj.Plan, strings.ToLower(s.Service)+"."+s.Operation)
		}
		for _, a := range msg.Actions {
			tj.Actions = append(tj.Actions, map[string]string{"op": opOf(a.Kind), "status": a.Status, "summary": a.Summary})
		}
		for _, x := range msg.Citations {
			tj.Citations = append(tj.Citations, map[string]string{"service": x.Service, "title": x.Title})
		}
		turns = append(turns, tj)
		prev = tr
	}
	return reasons, turns
}

// validateCase checks the case against the workspace: matchers find items,
// oracles and templates resolve. Oracle sizes are printed to w.
func (e *env) validateCase(ctx context.Context, c Case, w io.Writer) []string {
	var problems []string
	for i, t := range c.Turns {
		add := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("t%d ", i+1)+fmt.Sprintf(format, args...))
		}
		if _, err := e.render(ctx, t.Query); err != nil {
			add("%v", err)
			continue
		}
		for _, key := range []string{"cites_any", "cites_all", "cites_only", "proposes_target", "answer_mentions_date_of"} {
			for _, mv := range asList(t.Expect[key]) {
				m := toMap(mv)
				if !truthy(m["type"]) {
					add("%s matcher without type", key)
					continue
				}
				found, err := e.candidates(ctx, m)
				switch {
				case err != nil:
					add("%v", err)
				case len(found) == 0:
					add("%s matches nothing: %s", key, jsonText(m))
				case len(found) > 1 && (key == "proposes_target" || key == "answer_mentions_date_of"):
					add("%s matches %d items: %s", key, len(found), jsonText(m))
				}
			}
		}
		for _, ov := range asList(t.Expect["oracle"]) {
			o := toMap(ov)
			if slices.Contains(strs(o["expect"]), "free_busy") {
				continue
			}
			items, err := e.oracleItems(ctx, o)
			if err != nil {
				add("%v", err)
				continue
			}
			var shown []string
			for _, x := range items[:min(4, len(items))] {
				shown = append(shown, fmt.Sprintf("%s %s", short(x.Title, 40), x.At.In(e.tz).Format("01-02 15:04")))
			}
			list := ""
			if len(shown) > 0 {
				list = ": " + strings.Join(shown, "; ")
			}
			fmt.Fprintf(w, "  %s t%d oracle %s %s -> %d item(s)%s\n", c.ID, i+1, str(o["window"]), str(o["title_contains"]), len(items), list)
		}
	}
	return problems
}
