// Package nlu is the offline language understanding the intent classifier is
// built on, after Snips NLU and Rasa: a linear intent classifier over word and
// character n-gram features and a sequence tagger (a structured averaged
// perceptron with Viterbi decoding) that marks the slots of a request: what
// to search for, who, a new event's title, the message to write. Both are
// trained by Train on a corpus generated from the templates in corpus.txt
// (Generate) and shipped as model.gob.gz; `make nlu` retrains them.
package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of a request, with its byte span.
type Token struct {
	Text       string
	Start, End int
}

// Lower is the token's lower-case text.
func (t Token) Lower() string { return strings.ToLower(t.Text) }

// Tokenize splits s into words, numbers, addresses and punctuation marks
// that matter ("?", ","); apostrophes and inner dots, dashes and @ stay in
// the word ("KEP-2400", "bob@example.com", "I'll").
func Tokenize(s string) []Token {
	var out []Token
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					j += n2
					continue
				}
				if strings.ContainsRune("'’.-@_+/:&", r2) && j+n2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+n2:])
					if unicode.IsLetter(r3) || unicode.IsDigit(r3) {
						j += n2
						continue
					}
				}
				break
			}
			out = append(out, Token{Text: s[i:j], Start: i, End: j})
			i = j
		case strings.ContainsRune("?,;'\"", r):
			out = append(out, Token{Text: s[i : i+n], Start: i, End: i + n})
			i += n
		default:
			i += n
		}
	}
	return out
}

// norm maps a word to its feature form: lower case, digits as '0', so
// "KEP-2400" and "KEP-753" share a feature.
func norm(w string) string {
	w = strings.ToLower(w)
	if !strings.ContainsFunc(w, unicode.IsDigit) {
		return w
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '0'
		}
		return r
	}, w)
}

// shape is a word's outline: "Xx", "x", "X", "0", "x@x", mixed "Xx0".
func shape(w string) string {
	if strings.Contains(w, "@") {
		return "@"
	}
	var b strings.Builder
	var last rune
	for _, r := range w {
		c := 'p'
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLower(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = '0'
		}
		if c != last {
			b.WriteRune(c)
			last = c
		}
	}
	return b.String()
}
