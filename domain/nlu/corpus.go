package nlu

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
)

// Sentence is one labelled request of the training corpus.
type Sentence struct {
	Text     string
	Intent   string
	Question string
	Toks     []Token
	Dated    []bool   // tokens a date filled
	Tags     []string // BIO slot tags
}

// Corpus is the parsed template file: slot value lists and, per intent and
// question, the templates that say it.
type Corpus struct {
	lists  map[string][]string
	groups []group
}

type group struct {
	intent, question string
	templates        []string
	line             int
}

// slotTags is the tag each kind of slot value gets; "date" values are tagged
// O and marked as dates, as domain/dates finds them at run time.
var slotTags = map[string]string{
	"topic": "topic", "event": "topic", "file": "topic", "org": "topic", "label": "topic", "place": "topic",
	"person": "person", "addr": "person",
	"title": "title", "body": "body",
	"date": "", "time": "", "duration": "", "kepnum": "topic",
}

// ParseCorpus reads the template file. Lines:
//
//	# comment
//	@list = value | value | ...          slot values (continued on lines starting with "|")
//	== intent question                   the intent and question of the templates below
//	template                             words, {list} slots, [optional words], (one|of|these)
func ParseCorpus(text string) (*Corpus, error) {
	c := &Corpus{lists: map[string][]string{}}
	sc := bufio.NewScanner(strings.NewReader(text))
	n, lastList := 0, ""
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "@"):
			name, vals, ok := strings.Cut(line[1:], "=")
			if !ok {
				return nil, fmt.Errorf("corpus line %d: a list needs '@name = a | b'", n)
			}
			lastList = strings.TrimSpace(name)
			c.lists[lastList] = append(c.lists[lastList], splitAlts(vals)...)
		case strings.HasPrefix(line, "|") && lastList != "":
			c.lists[lastList] = append(c.lists[lastList], splitAlts(line[1:])...)
		case strings.HasPrefix(line, "=="):
			f := strings.Fields(line[2:])
			if len(f) != 2 {
				return nil, fmt.Errorf("corpus line %d: want '== intent question'", n)
			}
			c.groups = append(c.groups, group{intent: f[0], question: f[1], line: n})
			lastList = ""
		default:
			if len(c.groups) == 0 {
				return nil, fmt.Errorf("corpus line %d: a template before any '== intent question'", n)
			}
			g := &c.groups[len(c.groups)-1]
			g.templates = append(g.templates, line)
			lastList = ""
		}
	}
	for _, g := range c.groups {
		for _, t := range g.templates {
			for _, s := range slotsOf(t) {
				if _, ok := c.lists[s]; !ok {
					return nil, fmt.Errorf("corpus line %d: template %q uses unknown list {%s}", g.line, t, s)
				}
				if _, ok := slotTags[s]; !ok {
					return nil, fmt.Errorf("corpus line %d: list {%s} has no slot tag", g.line, s)
				}
			}
		}
	}
	return c, nil
}

func splitAlts(s string) []string {
	var out []string
	for _, v := range strings.Split(s, "|") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func slotsOf(t string) []string {
	var out []string
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, t[i+1:i+j])
		t = t[i+j+1:]
	}
}

// Generate expands every template perTemplate times with random slot values,
// optional words and alternatives, and random casing.
func (c *Corpus) Generate(perTemplate int, rng *rand.Rand) []Sentence {
	var out []Sentence
	for _, g := range c.groups {
		for _, t := range g.templates {
			seen := map[string]bool{}
			for range perTemplate {
				s := c.expand(t, rng)
				if seen[s.Text] {
					continue
				}
				seen[s.Text] = true
				s.Intent, s.Question = g.intent, g.question
				out = append(out, s)
			}
		}
	}
	return out
}

// piece is a run of text with the slot it fills ("" for template words).
type piece struct {
	text, slot string
	group      int // the slot value it belongs to; 0 for template words
}

func (c *Corpus) expand(t string, rng *rand.Rand) Sentence {
	var pieces []piece
	c.walk(t, rng, &pieces)
	// Casing: as written, all lower case, or a capital first letter.
	mode := rng.IntN(4)
	var b strings.Builder
	type span struct {
		start, end int
		slot       string
		group      int
	}
	var spans []span
	for _, p := range pieces {
		txt := p.text
		if mode == 0 {
			txt = strings.ToLower(txt)
		}
		if txt == "" {
			continue
		}
		if b.Len() > 0 && !strings.HasPrefix(txt, "?") && !strings.HasPrefix(txt, ",") && !strings.HasPrefix(txt, "'") {
			b.WriteByte(' ')
		}
		start := b.Len()
		b.WriteString(txt)
		if n := len(spans); n > 0 && p.group != 0 && spans[n-1].group == p.group {
			spans[n-1].end = b.Len()
			continue
		}
		spans = append(spans, span{start, b.Len(), p.slot, p.group})
	}
	text := b.String()
	if mode == 1 && text != "" {
		r := []rune(text)
		r[0] = unicode.ToUpper(r[0])
		text = string(r)
	}
	switch rng.IntN(6) {
	case 0:
		text += "?"
	case 1:
		text += "."
	}
	s := Sentence{Text: text, Toks: Tokenize(text)}
	s.Dated = make([]bool, len(s.Toks))
	s.Tags = make([]string, len(s.Toks))
	for i, tok := range s.Toks {
		s.Tags[i] = "O"
		for _, sp := range spans {
			if tok.Start < sp.start || tok.Start >= sp.end || sp.slot == "" {
				continue
			}
			tag := slotTags[sp.slot]
			if tag == "" {
				s.Dated[i] = true
				break
			}
			if i > 0 && s.Toks[i-1].Start >= sp.start {
				s.Tags[i] = "I-" + tag
			} else {
				s.Tags[i] = "B-" + tag
			}
			break
		}
	}
	return s
}

// walk expands t into pieces: {slot}, [optional], (a|b) and plain words.
func (c *Corpus) walk(t string, rng *rand.Rand, out *[]piece) {
	for len(t) > 0 {
		switch t[0] {
		case '{':
			j := strings.IndexByte(t, '}')
			name := t[1:j]
			vals := c.lists[name]
			v := vals[rng.IntN(len(vals))]
			// A value may hold alternatives and optional words of its own.
			var sub []piece
			c.walk(v, rng, &sub)
			group := len(*out) + 1
			for _, p := range sub {
				*out = append(*out, piece{p.text, name, group})
			}
			t = t[j+1:]
		case '[':
			j := matching(t, '[', ']')
			if rng.IntN(2) == 0 {
				c.walk(t[1:j], rng, out)
			}
			t = t[j+1:]
		case '(':
			j := matching(t, '(', ')')
			alts := splitTop(t[1:j])
			c.walk(alts[rng.IntN(len(alts))], rng, out)
			t = t[j+1:]
		case ' ':
			t = t[1:]
		default:
			j := strings.IndexAny(t, " {[(")
			if j < 0 {
				j = len(t)
			}
			*out = append(*out, piece{t[:j], "", 0})
			t = t[j:]
		}
	}
}

func matching(t string, open, close byte) int {
	depth := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(t) - 1
}

// splitTop splits on '|' outside brackets.
func splitTop(s string) []string {
	var out []string
	depth, last := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, s[last:i])
				last = i + 1
			}
		}
	}
	return append(out, s[last:])
}
