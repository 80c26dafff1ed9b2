// Package eval scores ranked search results against judged queries: P@5,
// hit@5, MRR@k and nDCG@k per query, averaged overall and per query type.
package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Judgment is one judged query: the ids of the items relevant to it (RFC 822
// Message-IDs for mail, event or file ids otherwise).
type Judgment struct {
	QID      string   `json:"qid"`
	Type     string   `json:"type"`
	Query    string   `json:"query"`
	Relevant []string `json:"relevant"`
}

// ReadJudgments reads JSON lines {qid, type, query, relevant}; other fields
// are ignored and blank lines skipped. Errors name the source and line.
func ReadJudgments(r io.Reader, name string) ([]Judgment, error) {
	var out []Judgment
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var j Judgment
		if err := json.Unmarshal([]byte(line), &j); err != nil {
			return nil, fmt.Errorf("%s:%d: not a judgment object: %v: %w", name, n, err, domain.ErrInvalidInput)
		}
		switch {
		case j.QID == "":
			return nil, fmt.Errorf("%s:%d: missing qid: %w", name, n, domain.ErrInvalidInput)
		case strings.TrimSpace(j.Query) == "":
			return nil, fmt.Errorf("%s:%d: query %s has no query text: %w", name, n, j.QID, domain.ErrInvalidInput)
		case len(j.Relevant) == 0:
			return nil, fmt.Errorf("%s:%d: query %s judges nothing relevant: %w", name, n, j.QID, domain.ErrInvalidInput)
		case seen[j.QID] > 0:
			return nil, fmt.Errorf("%s:%d: qid %s already on line %d: %w", name, n, j.QID, seen[j.QID], domain.ErrInvalidInput)
		}
		seen[j.QID] = n
		if j.Type == "" {
			j.Type = "untyped"
		}
		out = append(out, j)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no queries: %w", name, domain.ErrInvalidInput)
	}
	return out, nil
}

// Duplicates maps a Message-ID to its canonical one; absent ids are canonical.
type Duplicates map[string]string

// ReadDuplicates reads a JSON object {Message-ID: canonical Message-ID}.
func ReadDuplicates(r io.Reader, name string) (Duplicates, error) {
	var d Duplicates
	if err := json.NewDecoder(r).Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object of Message-ID to Message-ID: %v: %w", name, err, domain.ErrInvalidInput)
	}
	return d, nil
}

func (d Duplicates) canon(id string) string {
	if c, ok := d[id]; ok {
		return c
	}
	return id
}

// Scores are the metrics of one query or their mean over several.
type Scores struct {
	P5   float64 `json:"p@5"`
	Hit5 float64 `json:"hit@5"`
	MRR  float64 `json:"mrr@10"`
	NDCG float64 `json:"ndcg@10"`
}

// Score judges one ranked list. Each result is the ids one item carries (a
// merged mail has every copy's Message-ID); it is relevant when any of them,
// mapped through dups, is judged relevant, and a relevant id counts once.
// P@5 divides by min(5, judged relevant) so a query with three answers can
// score 1; MRR and nDCG cut at k with binary gains. No results score zero.
func Score(j Judgment, results [][]string, dups Duplicates, k int) Scores {
	relevant := map[string]bool{}
	for _, id := range j.Relevant {
		relevant[dups.canon(id)] = true
	}
	credited := map[string]bool{}
	var s Scores
	var dcg float64
	found5 := 0
	for i, ids := range results {
		if i >= k {
			break
		}
		hit := ""
		for _, id := range ids {
			if c := dups.canon(id); relevant[c] && !credited[c] {
				hit = c
				break
			}
		}
		if hit == "" {
			continue
		}
		credited[hit] = true
		if i < 5 {
			found5++
		}
		if s.MRR == 0 {
			s.MRR = 1 / float64(i+1)
		}
		dcg += 1 / math.Log2(float64(i+2))
	}
	var idcg float64
	for i := 0; i < min(k, len(relevant)); i++ {
		idcg += 1 / math.Log2(float64(i+2))
	}
	s.P5 = float64(found5) / float64(min(5, len(relevant)))
	if found5 > 0 {
		s.Hit5 = 1
	}
	if idcg > 0 {
		s.NDCG = dcg / idcg
	}
	return s
}

// QueryResult is one method's answer to one query and its scores.
type QueryResult struct {
	QID     string   `json:"qid"`
	Type    string   `json:"type"`
	Method  string   `json:"method"`
	Results []string `json:"results"` // each result's first id
	Scores
}

// Summary is a method's mean scores, overall and per query type.
type Summary struct {
	Scores
	ByType      map[string]Scores `json:"by_type"`
	Queries     int               `json:"-"`
	TypeQueries map[string]int    `json:"-"`
}

// Summarize averages rs per method. Every query counts, empty answers as zero.
func Summarize(rs []QueryResult) map[string]Summary {
	type acc struct {
		sum Scores
		n   int
	}
	add := func(a *acc, s Scores) {
		a.sum.P5 += s.P5
		a.sum.Hit5 += s.Hit5
		a.sum.MRR += s.MRR
		a.sum.NDCG += s.NDCG
		a.n++
	}
	mean := func(a acc) Scores {
		n := float64(a.n)
		return Scores{P5: a.sum.P5 / n, Hit5: a.sum.Hit5 / n, MRR: a.sum.MRR / n, NDCG: a.sum.NDCG / n}
	}
	all := map[string]*acc{}
	byType := map[string]map[string]*acc{}
	for _, r := range rs {
		if all[r.Method] == nil {
			all[r.Method], byType[r.Method] = &acc{}, map[string]*acc{}
		}
		add(all[r.Method], r.Scores)
		if byType[r.Method][r.Type] == nil {
			byType[r.Method][r.Type] = &acc{}
		}
		add(byType[r.Method][r.Type], r.Scores)
	}
	out := map[string]Summary{}
	for m, a := range all {
		s := Summary{Scores: mean(*a), Queries: a.n, ByType: map[string]Scores{}, TypeQueries: map[string]int{}}
		for t, ta := range byType[m] {
			s.ByType[t], s.TypeQueries[t] = mean(*ta), ta.n
		}
		out[m] = s
	}
	return out
}

// Types returns the query types of s in order.
func (s Summary) Types() []string {
	ts := make([]string, 0, len(s.ByType))
	for t := range s.ByType {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return slices.Clip(ts)
}
