package nlu

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/gob"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Model is the trained understanding: what a request wants done (Intent),
// what kind of answer it wants (Question) and its slots (Tagger).
type Model struct {
	Intent   *Linear
	Question *Linear
	Tagger   *Tagger
}

// Slot is a run of tokens the tagger marked.
type Slot struct {
	Name       string // topic, person, title, body
	Text       string
	Start, End int // byte span in the request
}

// Result is the model's reading of one request.
type Result struct {
	Intent     string
	IntentProb float64
	Question   string
	Tokens     []Token
	Tags       []string
	Slots      []Slot
}

// Parse reads text; dated marks the bytes of text a date parser claimed
// (nil: none), which are never a slot.
func (m *Model) Parse(text string, dated func(start int) bool) Result {
	toks := Tokenize(text)
	d := make([]bool, len(toks))
	if dated != nil {
		for i, t := range toks {
			d[i] = dated(t.Start)
		}
	}
	fs := sentenceFeatures(toks)
	r := Result{Tokens: toks}
	r.Intent, r.IntentProb = m.Intent.Predict(fs)
	r.Question, _ = m.Question.Predict(fs)
	r.Tags = m.Tagger.Tag(toks, d)
	for i, tag := range r.Tags {
		if d[i] {
			r.Tags[i], tag = "O", "O"
		}
		switch {
		case strings.HasPrefix(tag, "B-") || strings.HasPrefix(tag, "I-") && (len(r.Slots) == 0 || r.Slots[len(r.Slots)-1].Name != tag[2:] || i == 0 || r.Tags[i-1] == "O"):
			r.Slots = append(r.Slots, Slot{Name: tag[2:], Start: toks[i].Start, End: toks[i].End})
		case strings.HasPrefix(tag, "I-"):
			r.Slots[len(r.Slots)-1].End = toks[i].End
		}
	}
	for i := range r.Slots {
		r.Slots[i].Text = text[r.Slots[i].Start:r.Slots[i].End]
	}
	return r
}

//go:embed model.gob.gz
var shipped []byte

var (
	loadOnce sync.Once
	loaded   *Model
	loadErr  error
)

// Shipped returns the model trained from corpus.txt that ships with the
// binary, decoded once.
func Shipped() (*Model, error) {
	loadOnce.Do(func() { loaded, loadErr = Decode(bytes.NewReader(shipped)) })
	return loaded, loadErr
}

// ShippedVersion names the shipped model by its bytes, so intents cached
// under an older model are not served by a retrained one. Hashed once: every
// ask keys its cached intent by it, and hashing the 700 KB model per ask was
// a quarter of the server's CPU under make bench-ask.
var ShippedVersion = sync.OnceValue(func() string {
	h := uint64(14695981039346656037)
	for _, b := range shipped {
		h ^= uint64(b)
		h *= 1099511628211
	}
	return fmt.Sprintf("%016x", h)
})

// Encode writes m gzipped.
func (m *Model) Encode(w io.Writer) error {
	zw := gzip.NewWriter(w)
	if err := gob.NewEncoder(zw).Encode(m); err != nil {
		return fmt.Errorf("encode nlu model: %w", err)
	}
	return zw.Close()
}

// Decode reads a model Encode wrote.
func Decode(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("nlu model: %w", err)
	}
	var m Model
	if err := gob.NewDecoder(zr).Decode(&m); err != nil {
		return nil, fmt.Errorf("nlu model: %w", err)
	}
	return &m, nil
}

// TrainConfig tunes training.
type TrainConfig struct {
	// PerTemplate is how many sentences each template yields. Defaults to 60.
	PerTemplate int
	// Epochs of each learner. Defaults to 15.
	Epochs int
	// Family of the intent and question classifiers: "perceptron" (averaged)
	// or "logistic". Defaults to "perceptron".
	Family string
	// Seed makes training repeatable. Defaults to 1.
	Seed uint64
}

// Report is what training measured: accuracy on sentences of held-out
// templates (every fifth template of each group trains nothing).
type Report struct {
	Sentences, HeldOut     int
	IntentAcc, QuestionAcc float64
	TagAcc, SlotF1         float64
	IntentConfusions       map[string]int
}

func (r Report) String() string {
	var conf []string
	for k, v := range r.IntentConfusions {
		conf = append(conf, fmt.Sprintf("%s:%d", k, v))
	}
	sort.Strings(conf)
	return fmt.Sprintf("sentences %d, held out %d: intent %.1f%%, question %.1f%%, tag %.1f%%, slot F1 %.1f%%\nconfusions (gold>pred:n): %s",
		r.Sentences, r.HeldOut, 100*r.IntentAcc, 100*r.QuestionAcc, 100*r.TagAcc, 100*r.SlotF1, strings.Join(conf, " "))
}

// Train fits a model on the corpus. With holdOut it first measures on
// templates held out of training, then trains on everything.
func Train(c *Corpus, cfg TrainConfig, holdOut bool) (*Model, Report, error) {
	if cfg.PerTemplate == 0 {
		cfg.PerTemplate = 60
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = 15
	}
	if cfg.Family == "" {
		cfg.Family = "perceptron"
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	var rep Report
	if holdOut {
		train, test := c.split(5)
		m, err := train.fit(cfg)
		if err != nil {
			return nil, rep, err
		}
		rep = m.measure(test.Generate(cfg.PerTemplate/4+1, rand.New(rand.NewPCG(cfg.Seed+7, 3))))
	}
	m, err := c.fit(cfg)
	rep.Sentences = len(c.Generate(cfg.PerTemplate, rand.New(rand.NewPCG(cfg.Seed, 1))))
	return m, rep, err
}

// split holds every n-th template of each group out.
func (c *Corpus) split(n int) (train, test *Corpus) {
	train, test = &Corpus{lists: c.lists}, &Corpus{lists: c.lists}
	for _, g := range c.groups {
		tr, te := g, g
		tr.templates, te.templates = nil, nil
		for i, t := range g.templates {
			if i%n == n-1 {
				te.templates = append(te.templates, t)
			} else {
				tr.templates = append(tr.templates, t)
			}
		}
		train.groups = append(train.groups, tr)
		test.groups = append(test.groups, te)
	}
	return train, test
}

func (c *Corpus) fit(cfg TrainConfig) (*Model, error) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
	sents := c.Generate(cfg.PerTemplate, rng)
	if len(sents) == 0 {
		return nil, fmt.Errorf("nlu: the corpus has no templates")
	}
	labels := func(get func(Sentence) string) ([]string, map[string]int) {
		var ls []string
		for _, s := range sents {
			if !slices.Contains(ls, get(s)) {
				ls = append(ls, get(s))
			}
		}
		sort.Strings(ls)
		idx := map[string]int{}
		for i, l := range ls {
			idx[l] = i
		}
		return ls, idx
	}
	shuffle := func(d []example) { rng.Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] }) }
	fit := func(get func(Sentence) string) *Linear {
		ls, idx := labels(get)
		data := make([]example, len(sents))
		for i, s := range sents {
			data[i] = example{fs: sentenceFeatures(s.Toks), label: idx[get(s)]}
		}
		if cfg.Family == "logistic" {
			return trainLogistic(ls, data, cfg.Epochs, 0.2, 1e-6, shuffle)
		}
		return trainPerceptron(ls, data, cfg.Epochs, shuffle)
	}
	m := &Model{
		Intent:   fit(func(s Sentence) string { return s.Intent }),
		Question: fit(func(s Sentence) string { return s.Question }),
	}
	tagSet := map[string]bool{"O": true}
	for _, s := range sents {
		for _, t := range s.Tags {
			tagSet[t] = true
		}
	}
	var tags []string
	for t := range tagSet {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	tidx := map[string]int{}
	for i, t := range tags {
		tidx[t] = i
	}
	data := make([]tagged, len(sents))
	for i, s := range sents {
		ti := make([]int, len(s.Tags))
		for j, t := range s.Tags {
			ti[j] = tidx[t]
		}
		data[i] = tagged{toks: s.Toks, dated: s.Dated, tags: ti}
	}
	m.Tagger = trainTagger(tags, data, max(cfg.Epochs/2, 4), rng.Shuffle)
	return m, nil
}

// measure scores m on labelled sentences.
func (m *Model) measure(sents []Sentence) Report {
	rep := Report{HeldOut: len(sents), IntentConfusions: map[string]int{}}
	var okI, okQ, okT, nT, tp, fp, fn int
	for _, s := range sents {
		dated := s.Dated
		r := m.Parse(s.Text, func(start int) bool {
			for i, t := range s.Toks {
				if t.Start == start {
					return dated[i]
				}
			}
			return false
		})
		if r.Intent == s.Intent {
			okI++
		} else {
			rep.IntentConfusions[s.Intent+">"+r.Intent]++
		}
		if r.Question == s.Question {
			okQ++
		}
		gold := spans(s.Tags)
		got := spans(r.Tags)
		for i := range s.Tags {
			nT++
			if s.Tags[i] == r.Tags[i] {
				okT++
			}
		}
		for k := range got {
			if gold[k] {
				tp++
			} else {
				fp++
			}
		}
		for k := range gold {
			if !got[k] {
				fn++
			}
		}
	}
	n := float64(max(len(sents), 1))
	rep.IntentAcc, rep.QuestionAcc = float64(okI)/n, float64(okQ)/n
	rep.TagAcc = float64(okT) / float64(max(nT, 1))
	rep.SlotF1 = 2 * float64(tp) / float64(max(2*tp+fp+fn, 1))
	return rep
}

func spans(tags []string) map[string]bool {
	out := map[string]bool{}
	start := -1
	for i := 0; i <= len(tags); i++ {
		t := "O"
		if i < len(tags) {
			t = tags[i]
		}
		if start >= 0 && !strings.HasPrefix(t, "I-") {
			out[fmt.Sprintf("%d-%d-%s", start, i, tags[start][2:])] = true
			start = -1
		}
		if strings.HasPrefix(t, "B-") {
			start = i
		}
	}
	return out
}
