// Package glove reads and writes the compact word-vector file the offline
// embedder ships with: a frequency-ordered vocabulary of int8 vectors, each
// with its own float32 scale. glovepack writes it; embed reads it.
//
// Layout (all integers little-endian, the whole stream gzip-compressed):
//
//	magic "GLOVEQ1\n"
//	uvarint count, uvarint dim
//	count x (uvarint len, word bytes, uvarint rank)   rank: 1-based GloVe frequency rank
//	count x float32 scale
//	count*dim x int8
package glove

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

const magic = "GLOVEQ1\n"

// Vocab is a quantised vocabulary: vector i is Vectors[i*Dim:(i+1)*Dim]
// times Scales[i].
type Vocab struct {
	Dim     int
	Words   []string
	Ranks   []uint32 // 1-based frequency rank in the source corpus
	Scales  []float32
	Vectors []int8
}

// Quantize appends word with the float vector v, scaled so that its largest
// component maps to ±127.
func (v *Vocab) Quantize(word string, rank uint32, vec []float32) {
	var maxAbs float64
	for _, x := range vec {
		maxAbs = math.Max(maxAbs, math.Abs(float64(x)))
	}
	scale := maxAbs / 127
	if scale == 0 {
		scale = 1
	}
	v.Words = append(v.Words, word)
	v.Ranks = append(v.Ranks, rank)
	v.Scales = append(v.Scales, float32(scale))
	for _, x := range vec {
		v.Vectors = append(v.Vectors, int8(math.Round(float64(x)/scale)))
	}
}

// Write writes v gzip-compressed. The output is byte-for-byte deterministic.
func Write(w io.Writer, v *Vocab) error {
	if len(v.Words) != len(v.Ranks) || len(v.Words) != len(v.Scales) || len(v.Vectors) != len(v.Words)*v.Dim {
		return errors.New("glove: inconsistent vocab lengths")
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(magic)
	var tmp [binary.MaxVarintLen64]byte
	putUvarint := func(x uint64) { bw.Write(tmp[:binary.PutUvarint(tmp[:], x)]) }
	putUvarint(uint64(len(v.Words)))
	putUvarint(uint64(v.Dim))
	for i, word := range v.Words {
		putUvarint(uint64(len(word)))
		bw.WriteString(word)
		putUvarint(uint64(v.Ranks[i]))
	}
	for _, s := range v.Scales {
		binary.LittleEndian.PutUint32(tmp[:4], math.Float32bits(s))
		bw.Write(tmp[:4])
	}
	for _, q := range v.Vectors {
		bw.WriteByte(byte(q))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("glove: write: %w", err)
	}
	return zw.Close()
}

// Read parses a file written by Write.
func Read(r io.Reader) (*Vocab, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("glove: %w", err)
	}
	br := bufio.NewReader(zr)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, errors.New("glove: not a GLOVEQ1 file")
	}
	count, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("glove: count: %w", err)
	}
	dim, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("glove: dim: %w", err)
	}
	if count > 1<<22 || dim == 0 || dim > 4096 {
		return nil, fmt.Errorf("glove: implausible size %d x %d", count, dim)
	}
	v := &Vocab{
		Dim:    int(dim),
		Words:  make([]string, count),
		Ranks:  make([]uint32, count),
		Scales: make([]float32, count),
	}
	// All words share one backing string: one allocation, not 50k.
	var text []byte
	ends := make([]int, count)
	for i := range ends {
		n, err := binary.ReadUvarint(br)
		if err != nil || n > 256 {
			return nil, fmt.Errorf("glove: word %d: bad length", i)
		}
		text = append(text, make([]byte, n)...)
		if _, err := io.ReadFull(br, text[len(text)-int(n):]); err != nil {
			return nil, fmt.Errorf("glove: word %d: %w", i, err)
		}
		ends[i] = len(text)
		rank, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("glove: rank %d: %w", i, err)
		}
		v.Ranks[i] = uint32(rank)
	}
	all, start := string(text), 0
	for i, end := range ends {
		v.Words[i], start = all[start:end], end
	}
	raw := make([]byte, 4*count)
	if _, err := io.ReadFull(br, raw); err != nil {
		return nil, fmt.Errorf("glove: scales: %w", err)
	}
	for i := range v.Scales {
		v.Scales[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	raw = make([]byte, count*dim)
	if _, err := io.ReadFull(br, raw); err != nil {
		return nil, fmt.Errorf("glove: vectors: %w", err)
	}
	v.Vectors = make([]int8, len(raw))
	for i, b := range raw {
		v.Vectors[i] = int8(b)
	}
	return v, nil
}
