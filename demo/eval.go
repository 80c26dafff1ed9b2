package demo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
)

// EvalDir holds copies of the judged queries over the Lay mailbox
// (../shared/eval/dev); see data/eval/README.md for what they can and
// cannot show.
const EvalDir = "data/eval"

// EvalQuery is one judged query. Relevant names the canonical Message-ID of
// each relevant message; Duplicates maps every Message-ID to its canonical.
type EvalQuery struct {
	QID      string            `json:"qid"`
	Type     string            `json:"type"` // filter:sender+month, thread:normalized-subject, label:user-folder
	Query    string            `json:"query"`
	Filters  map[string]string `json:"filters,omitempty"` // from, month (YYYY-MM) for sender+month
	Relevant []string          `json:"relevant"`
	Notes    string            `json:"notes"`
}

// EvalQueries returns every judged query of the shared sets in EvalDir, in file
// name order.
func EvalQueries() ([]EvalQuery, error) {
	names, err := fs.Glob(data, path.Join(EvalDir, "enron-lay-*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("eval queries: %w", err)
	}
	var out []EvalQuery
	for _, name := range names {
		f, err := data.Open(name)
		if err != nil {
			return nil, fmt.Errorf("eval queries: %w", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 16<<20)
		for n := 1; sc.Scan(); n++ {
			var q EvalQuery
			if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
				f.Close()
				return nil, fmt.Errorf("eval queries %s line %d: %w", name, n, err)
			}
			out = append(out, q)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("eval queries %s: %w", name, err)
		}
	}
	return out, nil
}

// DuplicatesPath is the map from every Message-ID of the Lay mailbox to the
// canonical one the judgments name.
const DuplicatesPath = EvalDir + "/enron-lay-duplicates.json"

// Duplicates returns the map in DuplicatesPath.
func Duplicates() (map[string]string, error) {
	b, err := data.ReadFile(DuplicatesPath)
	if err != nil {
		return nil, fmt.Errorf("eval duplicates: %w", err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("eval duplicates: %w", err)
	}
	return m, nil
}
