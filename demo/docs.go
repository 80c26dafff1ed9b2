package demo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
)

// doc is one line of the demo's Drive archive (data/k8s-keps/keps.jsonl.gz):
// an emulator.File with its text as a string, so gzip sees the words.
type doc struct {
	Name         string            `json:"name"`
	MimeType     string            `json:"mimeType"`
	Parents      []string          `json:"parents,omitempty"`
	Owners       []string          `json:"owners,omitempty"`
	Description  string            `json:"description,omitempty"`
	Properties   map[string]string `json:"properties,omitempty"`
	ModifiedTime time.Time         `json:"modifiedTime"`
	Content      string            `json:"content"`
}

// WriteDocs writes files as JSON lines, the format of the demo's Drive
// archive; ReadDocs reads them back.
func WriteDocs(w io.Writer, files []emulator.File) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, f := range files {
		if err := enc.Encode(doc{
			Name: f.Name, MimeType: f.MimeType, Parents: f.Parents, Owners: f.Owners,
			Description: f.Description, Properties: f.Properties, ModifiedTime: f.ModifiedTime,
			Content: string(f.Content),
		}); err != nil {
			return fmt.Errorf("write docs: %w", err)
		}
	}
	return nil
}

// ReadDocs reads what WriteDocs wrote.
func ReadDocs(r io.Reader) ([]emulator.File, error) {
	var files []emulator.File
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 64<<20)
	for n := 1; sc.Scan(); n++ {
		var d doc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("read docs line %d: %w", n, err)
		}
		files = append(files, emulator.File{
			Name: d.Name, MimeType: d.MimeType, Parents: d.Parents, Owners: d.Owners,
			Description: d.Description, Properties: d.Properties, ModifiedTime: d.ModifiedTime,
			Content: []byte(d.Content),
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read docs: %w", err)
	}
	return files, nil
}
