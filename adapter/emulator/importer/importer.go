package importer

import (
	"fmt"
	"io/fs"
	"path/filepath"
)

// LoadError names one input (a file, or a line or item inside one) that a
// loader could not read and skipped; everything else was still loaded.
type LoadError struct {
	Path   string // file path, with "#<line or id>" when one item inside it failed
	Reason string
}

func (e LoadError) Error() string { return fmt.Sprintf("%s: %s", e.Path, e.Reason) }

// loadWalk walks dir in lexical order. An entry that cannot be read is
// reported in errs and skipped; only dir itself being unreadable is an error.
func loadWalk(dir string, errs *[]LoadError, fn func(path string, d fs.DirEntry) error) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil {
			return fn(path, d)
		}
		if path == dir {
			return err
		}
		*errs = append(*errs, LoadError{Path: path, Reason: err.Error()})
		if d != nil && d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
}
