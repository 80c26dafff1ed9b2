package synth

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// CleanTitle is a title as people read it: white space collapsed, and a
// placeholder for none.
func CleanTitle(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	if t == "" {
		return "(no subject)"
	}
	return t
}

var (
	mdLinkRE    = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	htmlRE      = regexp.MustCompile(`<!--[\s\S]*?-->|</?[a-zA-Z][^>]*>`)
	headerRE    = regexp.MustCompile(`(?i)^\s*(?:from|sent|to|cc|bcc|subject|date)\s*:`)
	separatorRE = regexp.MustCompile(`^\s*(?:-{3,}|_{3,}|={3,}|\*{3,}).*$|(?i)^\s*-+\s*original message\s*-+`)
	tocRE       = regexp.MustCompile(`^\s*[-*]\s*\[[^\]]*\]\(#`)
	// taskRE is a checklist line ("- [x] KEP approvers have ..."): a form, not prose.
	taskRE     = regexp.MustCompile(`^\s*(?:[-*]\s*)?\[[ xX]?\]\s`)
	sentenceRE = regexp.MustCompile(`[^.!?]+(?:[.!?]+|$)`)
	wordRE     = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'-]*`)
)

// block is a paragraph of a text and the heading it sits under.
type block struct {
	heading string
	text    string
}

// blocks splits a mail or document into paragraphs of prose: quoted mail,
// header lines, tables, code, tables of contents and markup are left out.
func blocks(text string) []block {
	var (
		out     []block
		heading string
		cur     []string
		code    bool
		comment bool // inside an HTML comment running over lines
	)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, block{heading: heading, text: strings.Join(cur, " ")})
			cur = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		if comment {
			end := strings.Index(t, "-->")
			if end < 0 {
				continue
			}
			comment, t = false, strings.TrimSpace(t[end+3:])
		}
		if i := strings.LastIndex(t, "<!--"); i >= 0 && !strings.Contains(t[i:], "-->") {
			comment, t = true, strings.TrimSpace(t[:i])
			if t == "" {
				flush()
				continue
			}
		}
		if strings.HasPrefix(t, "```") {
			code = !code
			flush()
			continue
		}
		switch {
		case code:
			continue
		case t == "":
			flush()
		case strings.HasPrefix(t, "#"):
			flush()
			heading = strings.ToLower(strings.TrimSpace(strings.TrimLeft(t, "#")))
		case strings.HasPrefix(t, ">"), strings.HasPrefix(t, "|"), headerRE.MatchString(t), separatorRE.MatchString(t), tocRE.MatchString(t), taskRE.MatchString(t):
			flush()
		default:
			t = htmlRE.ReplaceAllString(mdLinkRE.ReplaceAllString(t, "$1"), "")
			t = strings.NewReplacer("**", "", "__", "", "`", "", "\\", "").Replace(t)
			t = strings.TrimLeft(t, "-*+ ")
			if t != "" {
				cur = append(cur, t)
			}
		}
	}
	flush()
	return out
}

// Readable is text as prose, markup and quoted mail left out, paragraphs
// kept.
func Readable(text string) string {
	bs := blocks(text)
	parts := make([]string, 0, len(bs))
	for _, b := range bs {
		parts = append(parts, b.text)
	}
	return strings.Join(parts, "\n")
}

// stopwords carry no topic.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or but if then of to in on at by for with from as is are was were be been being
		it its this that these those we you i he she they them our your their my me us will would can could should may might
		do does did done have has had not no so than too very also just about into over under more most such which who whom
		what when where why how all any each other some there here out up down only own same both few many much`) {
		stopwords[w] = true
	}
}

func words(s string) []string {
	var out []string
	for _, w := range wordRE.FindAllString(strings.ToLower(s), -1) {
		if len([]rune(w)) > 2 && !stopwords[w] && !unicode.IsDigit([]rune(w)[0]) {
			out = append(out, w)
		}
	}
	return out
}

// summaryHeadings are the sections that state what a document is about.
var summaryHeadings = []string{"summary", "abstract", "overview", "motivation", "introduction", "tl;dr"}

// Summary picks up to n sentences of text that carry its most frequent
// words, preferring a document's summary section and earlier sentences, and
// returns them in the text's order: an extractive summary, no model needed.
func Summary(text string, n int) []string {
	type sent struct {
		text  string
		pos   int
		score float64
	}
	var sents []sent
	freq := map[string]float64{}
	for _, b := range blocks(text) {
		bonus := 1.0
		for _, h := range summaryHeadings {
			if strings.Contains(b.heading, h) {
				bonus = 2.5
				break
			}
		}
		for _, s := range sentenceRE.FindAllString(b.text, -1) {
			s = strings.TrimSpace(s)
			ws := words(s)
			if len(ws) < 4 || len([]rune(s)) > 400 {
				continue
			}
			for _, w := range ws {
				freq[w]++
			}
			sents = append(sents, sent{text: s, pos: len(sents), score: bonus})
		}
	}
	for i := range sents {
		var sum float64
		ws := words(sents[i].text)
		for _, w := range ws {
			sum += math.Log1p(freq[w])
		}
		// Longer sentences carry more words but no more meaning each; early
		// ones tend to say what the text is about.
		sents[i].score *= sum / math.Sqrt(float64(len(ws))) / (1 + 0.2*float64(sents[i].pos))
	}
	sort.SliceStable(sents, func(i, j int) bool { return sents[i].score > sents[j].score })
	if len(sents) > n {
		sents = sents[:n]
	}
	sort.Slice(sents, func(i, j int) bool { return sents[i].pos < sents[j].pos })
	out := make([]string, len(sents))
	for i, s := range sents {
		out[i] = s.text
	}
	return out
}

// Passages are the paragraphs of text that hold the most of words, in the
// text's order, up to limit characters: what a document says about them.
// None hold any: nil.
func Passages(text string, about []string, limit int) []string {
	want := map[string]bool{}
	for _, w := range words(strings.Join(about, " ")) {
		want[w] = true
		want[strings.TrimSuffix(w, "s")] = true
	}
	bs := blocks(text)
	held := make([]int, len(bs))
	best := 0
	for i, b := range bs {
		seen := map[string]bool{}
		for _, w := range words(b.text) {
			if (want[w] || want[strings.TrimSuffix(w, "s")]) && !seen[strings.TrimSuffix(w, "s")] {
				seen[strings.TrimSuffix(w, "s")] = true
				held[i]++
			}
		}
		best = max(best, held[i])
	}
	if best == 0 {
		return nil
	}
	var out []string
	n := 0
	for i, b := range bs {
		if held[i] == best && n+len(b.text) <= limit {
			out = append(out, b.text)
			n += len(b.text)
		}
	}
	if len(out) == 0 { // one long paragraph: its start
		for i, b := range bs {
			if held[i] == best {
				return []string{excerpt(b.text, limit)}
			}
		}
	}
	return out
}
