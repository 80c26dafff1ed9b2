package emulator

import "fmt"

// LoadError names one input (a file, or a line or item inside one) that a
// loader could not read and skipped; everything else was still loaded.
type LoadError struct {
	Path   string // file path, with "#<line or id>" when one item inside it failed
	Reason string
}

func (e LoadError) Error() string { return fmt.Sprintf("%s: %s", e.Path, e.Reason) }
