package embed

import (
	"github.com/kljensen/snowball/english"
	"math"
	"slices"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

var _ domain.Passager = (*Offline)(nil)

const (
	// PassageWords is how many words of a text one passage holds, besides
	// the title words every passage after the first repeats. Measured on the
	// demo mailbox (natural set, the leg alone, MRR@10): whole mails 0.78,
	// passages of 64 words 0.75, 32 words with the title 0.84, 24 words
	// with the title 0.83, 48 with the title 0.80.
	PassageWords = 32
	// MaxPassages bounds the passages of one text (64 passages hold 2,048
	// words, more than the 8 KB a sync embeds).
	MaxPassages = 64
)

// Passages splits each text into passages of PassageWords words, the first
// line's words (the title: callers put it first) repeated in each passage
// after the first, and gives each passage the unit vector of its words'
// weights, 1+ln(count), hashed into domain.PassageDim slots. The words'
// rarity is left to the query side, where it is the user's own and current.
func (o *Offline) Passages(texts []string) [][]domain.Sparse {
	out := make([][]domain.Sparse, len(texts))
	var p passager
	for i, t := range texts {
		out[i] = p.passages(t)
	}
	return out
}

// QueryWords returns text's hashed words weighted 1+ln(count), not
// normalised: search multiplies each by its rarity first.
func (o *Offline) QueryWords(text string) domain.Sparse {
	var p passager
	p.counts = map[int32]float32{}
	eachWord(nil, text, 0, func(w []byte, _ bool) { p.counts[wordSlot(w)]++ })
	return p.vector(false)
}

// passager is the working memory of Passages.
type passager struct {
	counts map[int32]float32
	title  []int32 // the first line's word slots
	words  []int32
	buf    []byte
	slots  map[string]int32 // the words seen, stemmed once each
}

func (p *passager) slot(w []byte) int32 {
	if s, ok := p.slots[string(w)]; ok {
		return s
	}
	if p.slots == nil {
		p.slots = make(map[string]int32)
	}
	s := wordSlot(w)
	p.slots[string(w)] = s
	return s
}

func (p *passager) passages(text string) []domain.Sparse {
	p.counts = make(map[int32]float32, 2*PassageWords)
	p.title, p.words = p.title[:0], p.words[:0]
	line := len(text)
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			line = i
			break
		}
	}
	p.buf = eachWord(p.buf, text[:line], 0, func(w []byte, _ bool) { p.title = append(p.title, p.slot(w)) })
	p.buf = eachWord(p.buf, text, PassageWords*MaxPassages, func(w []byte, _ bool) { p.words = append(p.words, p.slot(w)) })
	if len(p.words) == 0 {
		return nil
	}
	var out []domain.Sparse
	for start := 0; start < len(p.words); start += PassageWords {
		clear(p.counts)
		if start > 0 {
			for _, s := range p.title {
				p.counts[s]++
			}
		}
		for _, s := range p.words[start:min(start+PassageWords, len(p.words))] {
			p.counts[s]++
		}
		out = append(out, p.vector(true))
	}
	return out
}

// vector turns the counts into weights 1+ln(count), unit length when norm.
func (p *passager) vector(norm bool) domain.Sparse {
	v := domain.Sparse{Indices: make([]int32, 0, len(p.counts))}
	for s := range p.counts {
		v.Indices = append(v.Indices, s)
	}
	slices.Sort(v.Indices)
	v.Values = make([]float32, len(v.Indices))
	var sum float64
	for i, s := range v.Indices {
		w := 1 + math.Log(float64(p.counts[s]))
		v.Values[i] = float32(w)
		sum += w * w
	}
	if norm && sum > 0 {
		n := math.Sqrt(sum)
		for i := range v.Values {
			v.Values[i] = float32(float64(v.Values[i]) / n)
		}
	}
	return v
}

// wordSlot hashes a word's English stem into domain.PassageDim slots (the
// top bits of the same hash the dense vector's word features use). Stems are
// Snowball English, as full text's (PostgreSQL's english configuration):
// "thanked" in a question finds "thanks" in a mail. Measured on the natural
// sets, the leg alone (MRR@10): unstemmed 0.827 and 0.699 (natural2), stemmed
// 0.813 and 0.732; stems and words both hashed 0.816 and 0.669.
func wordSlot(w []byte) int32 {
	if len(w) > 3 { // shorter words are their own stems, bar plurals of two letters
		w = []byte(english.Stem(string(w), false))
	}
	return int32(hashBytes(seedWord, w) >> (64 - passageBits))
}

// passageBits is log2(domain.PassageDim); the arrays below fail to compile
// unless they agree.
const passageBits = 20

var (
	_ [domain.PassageDim - 1<<passageBits]struct{}
	_ [1<<passageBits - domain.PassageDim]struct{}
)
