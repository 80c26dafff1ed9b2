package nlu

import (
	"math"
	"slices"
)

// feature is a hashed feature name.
type feature uint64

// feat hashes the parts of a feature name with FNV-1a (inline: no
// allocation, classification runs it thousands of times a request).
func feat(parts ...string) feature {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i, p := range parts {
		if i > 0 {
			h *= prime // the separator byte 0: h ^= 0, then multiply
		}
		for j := 0; j < len(p); j++ {
			h ^= uint64(p[j])
			h *= prime
		}
	}
	return feature(h)
}

// sentenceFeatures are the intent classifier's features of a request: its
// words, word pairs (with the start and end), its first words, and the
// character 3- and 4-grams of each word, which carry inflections and typos
// ("rescheduling", "sumarize") to the forms seen in training.
func sentenceFeatures(toks []Token) []feature {
	ws := make([]string, 0, len(toks)+2)
	ws = append(ws, "<s>")
	for _, t := range toks {
		ws = append(ws, norm(t.Text))
	}
	ws = append(ws, "</s>")
	fs := []feature{feat("bias")}
	for i, w := range ws {
		if i > 0 && i < len(ws)-1 {
			fs = append(fs, feat("w", w))
			cw := "<" + w + ">"
			r := []rune(cw)
			for n := 3; n <= 4; n++ {
				for j := 0; j+n <= len(r); j++ {
					fs = append(fs, feat("c", string(r[j:j+n])))
				}
			}
		}
		if i > 0 {
			fs = append(fs, feat("b", ws[i-1], w))
		}
	}
	if len(ws) > 2 {
		fs = append(fs, feat("f", ws[1]))
		if len(ws) > 3 {
			fs = append(fs, feat("f2", ws[1], ws[2]))
		}
	}
	return fs
}

// Linear is a multiclass linear model over hashed features: an averaged
// perceptron or a multinomial logistic regression, by how it was trained.
type Linear struct {
	Labels  []string
	Weights map[feature][]float32
}

// scores are the model's score of each label.
func (m *Linear) scores(fs []feature) []float64 {
	s := make([]float64, len(m.Labels))
	for _, f := range fs {
		if w, ok := m.Weights[f]; ok {
			for k, v := range w {
				s[k] += float64(v)
			}
		}
	}
	return s
}

// Predict returns the best label and its probability (a softmax of the scores).
func (m *Linear) Predict(fs []feature) (string, float64) {
	s := m.scores(fs)
	best := 0
	for k := range s {
		if s[k] > s[best] {
			best = k
		}
	}
	var z float64
	for _, v := range s {
		z += math.Exp(v - s[best])
	}
	return m.Labels[best], 1 / z
}

// example is one labelled feature vector.
type example struct {
	fs    []feature
	label int
}

// trainPerceptron fits an averaged perceptron: it updates on mistakes and
// keeps the average of the weights over all steps, which generalises
// like a regularised model.
func trainPerceptron(labels []string, data []example, epochs int, shuffle func([]example)) *Linear {
	k := len(labels)
	w := map[feature][]float64{}
	acc := map[feature][]float64{} // sum over time via the lazy trick: acc += c*update
	row := func(m map[feature][]float64, f feature) []float64 {
		r, ok := m[f]
		if !ok {
			r = make([]float64, k)
			m[f] = r
		}
		return r
	}
	c := 1.0
	for e := 0; e < epochs; e++ {
		shuffle(data)
		for _, ex := range data {
			s := make([]float64, k)
			for _, f := range ex.fs {
				if r, ok := w[f]; ok {
					for j, v := range r {
						s[j] += v
					}
				}
			}
			pred := 0
			for j := range s {
				if s[j] > s[pred] {
					pred = j
				}
			}
			if pred != ex.label {
				for _, f := range ex.fs {
					row(w, f)[ex.label]++
					row(w, f)[pred]--
					row(acc, f)[ex.label] += c
					row(acc, f)[pred] -= c
				}
			}
			c++
		}
	}
	out := &Linear{Labels: labels, Weights: map[feature][]float32{}}
	for f, r := range w {
		avg := make([]float32, k)
		keep := false
		for j := range r {
			avg[j] = float32(r[j] - acc[f][j]/c)
			keep = keep || math.Abs(float64(avg[j])) > 1e-3
		}
		if keep {
			out.Weights[f] = avg
		}
	}
	return out
}

// trainLogistic fits a multinomial logistic regression by stochastic
// gradient descent with L2 regularisation (lazy, per touched feature).
func trainLogistic(labels []string, data []example, epochs int, rate, l2 float64, shuffle func([]example)) *Linear {
	k := len(labels)
	w := map[feature][]float64{}
	for e := 0; e < epochs; e++ {
		shuffle(data)
		lr := rate / (1 + float64(e))
		for _, ex := range data {
			s := make([]float64, k)
			for _, f := range ex.fs {
				if r, ok := w[f]; ok {
					for j, v := range r {
						s[j] += v
					}
				}
			}
			mx := slices.Max(s)
			var z float64
			for j := range s {
				s[j] = math.Exp(s[j] - mx)
				z += s[j]
			}
			for _, f := range ex.fs {
				r, ok := w[f]
				if !ok {
					r = make([]float64, k)
					w[f] = r
				}
				for j := range r {
					g := s[j] / z
					if j == ex.label {
						g--
					}
					r[j] -= lr * (g + l2*r[j])
				}
			}
		}
	}
	out := &Linear{Labels: labels, Weights: map[feature][]float32{}}
	for f, r := range w {
		row := make([]float32, k)
		keep := false
		for j, v := range r {
			row[j] = float32(v)
			keep = keep || math.Abs(v) > 1e-3
		}
		if keep {
			out.Weights[f] = row
		}
	}
	return out
}
