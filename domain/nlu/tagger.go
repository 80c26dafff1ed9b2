package nlu

import (
	"math"
	"strings"
	"unicode"
)

// Tagger marks each token with a slot tag in the BIO scheme ("B-topic",
// "I-topic", "O"): a first-order structured perceptron, decoded by Viterbi.
type Tagger struct {
	Tags []string
	// Emit are the weights of each token feature for each tag.
	Emit map[feature][]float32
	// Trans[i*len(Tags)+j] is the weight of tag j after tag i; the last
	// row is the start.
	Trans []float32
}

// tokenFeatures are the features of token i: the word and its neighbours,
// its shape, affixes, and whether a date parser claimed it (dates are slots
// of their own, found by domain/dates).
func tokenFeatures(toks []Token, i int, dated []bool) []feature {
	w := func(j int) string {
		switch {
		case j < 0:
			return "<s>"
		case j >= len(toks):
			return "</s>"
		}
		if dated != nil && dated[j] {
			return "<date>"
		}
		return norm(toks[j].Text)
	}
	cur := w(i)
	raw := toks[i].Text
	fs := []feature{
		feat("bias"), feat("w", cur), feat("p", w(i-1)), feat("n", w(i+1)), feat("pp", w(i-2)), feat("nn", w(i+2)),
		feat("pw", w(i-1), cur), feat("wn", cur, w(i+1)), feat("ppw", w(i-2), w(i-1)), feat("wnn", w(i+1), w(i+2)),
		feat("shape", shape(raw)),
	}
	if r := []rune(cur); len(r) > 3 {
		fs = append(fs, feat("suf", string(r[len(r)-3:])), feat("pre", string(r[:3])))
	}
	if unicode.IsUpper([]rune(raw)[0]) {
		fs = append(fs, feat("cap"), feat("capfirst", boolStr(i == 0)))
		if i > 0 && unicode.IsUpper([]rune(toks[i-1].Text)[0]) {
			fs = append(fs, feat("capprev"))
		}
	}
	if i == 0 {
		fs = append(fs, feat("first"))
	}
	if strings.Contains(raw, "@") {
		fs = append(fs, feat("addr"))
	}
	return fs
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Tag returns the tag of each token.
func (t *Tagger) Tag(toks []Token, dated []bool) []string {
	if len(toks) == 0 {
		return nil
	}
	emit := make([][]float64, len(toks))
	for i := range toks {
		emit[i] = make([]float64, len(t.Tags))
		for _, f := range tokenFeatures(toks, i, dated) {
			if r, ok := t.Emit[f]; ok {
				for j, v := range r {
					emit[i][j] += float64(v)
				}
			}
		}
	}
	path := viterbi(emit, len(t.Tags), func(prev, cur int) float64 { return float64(t.Trans[prev*len(t.Tags)+cur]) }, t.allowed)
	out := make([]string, len(path))
	for i, p := range path {
		out[i] = t.Tags[p]
	}
	return out
}

// allowed forbids I-x after anything but B-x or I-x (prev -1 is the start).
func (t *Tagger) allowed(prev, cur int) bool {
	c := t.Tags[cur]
	if !strings.HasPrefix(c, "I-") {
		return true
	}
	if prev < 0 {
		return false
	}
	return t.Tags[prev] != "O" && t.Tags[prev][2:] == c[2:]
}

// viterbi finds the best tag sequence; trans(prev, cur) with prev = k is the start.
func viterbi(emit [][]float64, k int, trans func(prev, cur int) float64, allowed func(prev, cur int) bool) []int {
	n := len(emit)
	score := make([][]float64, n)
	back := make([][]int, n)
	for i := range score {
		score[i] = make([]float64, k)
		back[i] = make([]int, k)
	}
	for j := 0; j < k; j++ {
		score[0][j] = math.Inf(-1)
		if allowed(-1, j) {
			score[0][j] = emit[0][j] + trans(k, j)
		}
	}
	for i := 1; i < n; i++ {
		for j := 0; j < k; j++ {
			best, arg := math.Inf(-1), 0
			for p := 0; p < k; p++ {
				if !allowed(p, j) {
					continue
				}
				if s := score[i-1][p] + trans(p, j); s > best {
					best, arg = s, p
				}
			}
			score[i][j], back[i][j] = best+emit[i][j], arg
		}
	}
	last := 0
	for j := range score[n-1] {
		if score[n-1][j] > score[n-1][last] {
			last = j
		}
	}
	path := make([]int, n)
	for i := n - 1; i >= 0; i-- {
		path[i] = last
		last = back[i][last]
	}
	return path
}

// tagged is one training sentence for the tagger.
type tagged struct {
	toks  []Token
	dated []bool
	tags  []int
}

// trainTagger fits the tagger with the averaged structured perceptron.
func trainTagger(tags []string, data []tagged, epochs int, shuffle func(int, func(i, j int))) *Tagger {
	k := len(tags)
	t := &Tagger{Tags: tags}
	w := map[feature][]float64{}
	acc := map[feature][]float64{}
	trans := make([]float64, (k+1)*k)
	transAcc := make([]float64, (k+1)*k)
	row := func(m map[feature][]float64, f feature) []float64 {
		r, ok := m[f]
		if !ok {
			r = make([]float64, k)
			m[f] = r
		}
		return r
	}
	c := 1.0
	feats := make([][][]feature, len(data))
	for n, d := range data {
		feats[n] = make([][]feature, len(d.toks))
		for i := range d.toks {
			feats[n][i] = tokenFeatures(d.toks, i, d.dated)
		}
	}
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	for e := 0; e < epochs; e++ {
		shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, n := range order {
			d := data[n]
			emit := make([][]float64, len(d.toks))
			for i := range d.toks {
				emit[i] = make([]float64, k)
				for _, f := range feats[n][i] {
					if r, ok := w[f]; ok {
						for j, v := range r {
							emit[i][j] += v
						}
					}
				}
			}
			pred := viterbi(emit, k, func(p, cur int) float64 { return trans[p*k+cur] }, t.allowed)
			for i := range pred {
				gold, got := d.tags[i], pred[i]
				gp, pp := k, k
				if i > 0 {
					gp, pp = d.tags[i-1], pred[i-1]
				}
				if gold == got && gp == pp {
					continue
				}
				for _, f := range feats[n][i] {
					row(w, f)[gold]++
					row(w, f)[got]--
					row(acc, f)[gold] += c
					row(acc, f)[got] -= c
				}
				trans[gp*k+gold]++
				trans[pp*k+got]--
				transAcc[gp*k+gold] += c
				transAcc[pp*k+got] -= c
			}
			c++
		}
	}
	t.Emit = map[feature][]float32{}
	for f, r := range w {
		avg := make([]float32, k)
		keep := false
		for j := range r {
			avg[j] = float32(r[j] - acc[f][j]/c)
			keep = keep || math.Abs(float64(avg[j])) > 1e-3
		}
		if keep {
			t.Emit[f] = avg
		}
	}
	t.Trans = make([]float32, len(trans))
	for i := range trans {
		t.Trans[i] = float32(trans[i] - transAcc[i]/c)
	}
	return t
}
