package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
)

// LoadDocs reads a folder of documents into Google Docs:
//   - a directory holding kep.yaml (a Kubernetes Enhancement Proposal,
//     <sig>/<number-name>/{README.md,kep.yaml}) becomes one doc named
//     "KEP-<number>: <title>" with README.md as its text, in the folder of its
//     owning SIG, owned by its authors (GitHub handles as
//     <handle>@users.noreply.github.com), with kep.yaml's authors, owning-sig,
//     status, stage, milestones, kep-number, creation-date and last-updated as
//     Properties, modified at last-updated (else creation-date; zero when
//     neither is a date);
//   - any other .md, .markdown or .txt file becomes a doc named after the file
//     (without extension) in the folder it sits in, modified at its mtime. A
//     sidecar "<file>.json" may set name, description, owners, properties and
//     modifiedTime (RFC 3339).
//
// Unreadable or malformed files are reported and skipped.
func LoadDocs(dir string) (emulator.Workspace, []LoadError, error) {
	var (
		ws   emulator.Workspace
		errs []LoadError
	)
	err := loadWalk(dir, &errs, func(path string, d fs.DirEntry) error {
		if d.IsDir() {
			if _, err := os.Stat(filepath.Join(path, "kep.yaml")); err != nil {
				return nil
			}
			f, err := loadKEP(path)
			if err != nil {
				errs = append(errs, LoadError{Path: path, Reason: err.Error()})
			} else {
				ws.Files = append(ws.Files, f)
			}
			return fs.SkipDir
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".md", ".markdown", ".txt":
		default:
			return nil
		}
		f, err := loadTextDoc(dir, path)
		if err != nil {
			errs = append(errs, LoadError{Path: path, Reason: err.Error()})
			return nil
		}
		ws.Files = append(ws.Files, f)
		return nil
	})
	if err != nil {
		return emulator.Workspace{}, errs, fmt.Errorf("load docs from %s: %w", dir, err)
	}
	return ws, errs, nil
}

type loadKEPMeta struct {
	Title        string            `yaml:"title"`
	Number       string            `yaml:"kep-number"`
	Authors      []string          `yaml:"authors"`
	OwningSIG    string            `yaml:"owning-sig"`
	Status       string            `yaml:"status"`
	Stage        string            `yaml:"stage"`
	Milestone    map[string]string `yaml:"milestone"`
	CreationDate string            `yaml:"creation-date"`
	LastUpdated  string            `yaml:"last-updated"`
}

var errNoReadme = errors.New("kep.yaml without README.md")

func loadKEP(dir string) (emulator.File, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "kep.yaml"))
	if err != nil {
		return emulator.File{}, err
	}
	var meta loadKEPMeta
	if err := yaml.Unmarshal(raw, &meta); err != nil {
		return emulator.File{}, fmt.Errorf("kep.yaml: %w", err)
	}
	if meta.Title == "" || meta.Number == "" {
		return emulator.File{}, errors.New("kep.yaml: no title or kep-number")
	}
	text, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if errors.Is(err, fs.ErrNotExist) {
		return emulator.File{}, errNoReadme
	}
	if err != nil {
		return emulator.File{}, err
	}
	sig := meta.OwningSIG
	if sig == "" {
		sig = filepath.Base(filepath.Dir(dir))
	}
	handles := make([]string, 0, len(meta.Authors))
	owners := make([]string, 0, len(meta.Authors))
	for _, a := range meta.Authors {
		h := strings.TrimPrefix(strings.TrimSpace(a), "@")
		if h == "" {
			continue
		}
		handles = append(handles, "@"+h)
		owners = append(owners, strings.ToLower(h)+"@users.noreply.github.com")
	}
	props := map[string]string{
		"kep-number": meta.Number, "authors": strings.Join(handles, ", "), "owning-sig": sig,
		"status": meta.Status, "stage": meta.Stage,
		"creation-date": meta.CreationDate, "last-updated": meta.LastUpdated,
		"milestones": loadMilestones(meta.Milestone),
	}
	for k, v := range props {
		if v == "" {
			delete(props, k)
		}
	}
	modified, ok := loadDate(meta.LastUpdated)
	if !ok {
		modified, _ = loadDate(meta.CreationDate)
	}
	return emulator.File{
		Name:         fmt.Sprintf("KEP-%s: %s", meta.Number, meta.Title),
		MimeType:     emulator.MimeGoogleDoc,
		Content:      text,
		Parents:      []string{sig},
		Owners:       owners,
		Description:  fmt.Sprintf("Kubernetes Enhancement Proposal %s (%s), owned by %s.", meta.Number, meta.Status, sig),
		Properties:   props,
		ModifiedTime: modified,
	}, nil
}

// loadMilestones renders kep.yaml's milestone map in release order:
// "alpha v1.25, beta v1.35, stable v1.36".
func loadMilestones(m map[string]string) string {
	order := []string{"alpha", "beta", "stable", "deprecated", "removed"}
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v != "" {
			keys = append(keys, k)
		}
	}
	rank := func(k string) int {
		if i := slices.Index(order, k); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + m[k]
	}
	return strings.Join(parts, ", ")
}

// loadDate parses the dates found in kep.yaml ("2019-10-20", "2025-10-9").
func loadDate(s string) (time.Time, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"'`)
	f := strings.Split(s, "-")
	if len(f) != 3 {
		return time.Time{}, false
	}
	var n [3]int
	for i, p := range f {
		v, err := strconv.Atoi(p)
		if err != nil {
			return time.Time{}, false
		}
		n[i] = v
	}
	if n[1] > 12 && n[2] <= 12 { // "2025-30-01": year-day-month
		n[1], n[2] = n[2], n[1]
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, time.UTC)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] {
		return time.Time{}, false
	}
	return t, true
}

type loadSidecar struct {
	Name         string            `json:"name"`
	Description  string            `json:"description"`
	Owners       []string          `json:"owners"`
	Properties   map[string]string `json:"properties"`
	ModifiedTime time.Time         `json:"modifiedTime"`
}

func loadTextDoc(root, path string) (emulator.File, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return emulator.File{}, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return emulator.File{}, err
	}
	f := emulator.File{
		Name:         strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)),
		MimeType:     emulator.MimeGoogleDoc,
		Content:      text,
		ModifiedTime: info.ModTime().UTC(),
	}
	if rel, err := filepath.Rel(root, filepath.Dir(path)); err == nil && rel != "." {
		f.Parents = []string{filepath.ToSlash(rel)}
	}
	side, err := os.ReadFile(path + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return emulator.File{}, err
	}
	var sc loadSidecar
	if err := json.Unmarshal(side, &sc); err != nil {
		return emulator.File{}, fmt.Errorf("sidecar %s.json: %w", filepath.Base(path), err)
	}
	if sc.Name != "" {
		f.Name = sc.Name
	}
	if !sc.ModifiedTime.IsZero() {
		f.ModifiedTime = sc.ModifiedTime
	}
	f.Description, f.Owners, f.Properties = sc.Description, sc.Owners, sc.Properties
	return f, nil
}
