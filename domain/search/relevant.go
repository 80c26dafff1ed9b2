package search

import "cmp"

// Relevance cut-off for callers that show results to people (agents, the web
// app). Fused scores only order hits: the fusion always returns its depth,
// and a vector leg always has nearest neighbours, however far. Relevant keeps
// the hits that answer the request by the rule below, so that a caller with
// none left says "no good match" instead of listing noise.

// DefaultMinSimilarity is the cosine a hit found by meaning alone needs when
// a profile sets none: with the offline embedder related texts score about
// 0.5 and unrelated ones below 0.2 (measured on the demo mailbox).
const DefaultMinSimilarity = 0.45

// DefaultRelativeBM25 is the share of the best full-text score a word match
// needs when a profile sets none: an item holding the request's rare words
// scores near the best, one sharing only a common word far below it.
const DefaultRelativeBM25 = 0.35

// Relevant returns the hits good enough to show a person, best first. A hit
// is relevant when any of its legs vouches for it:
//   - full text: its BM25 score is at least Profile.RelativeBM25 of the best
//     full-text score of this search (the best match always is);
//   - a vector leg (alone or filtered): its cosine is at least
//     Profile.MinSimilarity;
//   - the filtered leg with no text to rank by (a listing such as "emails from
//     Sarah last week"): every item the filters admit is what was asked;
//   - the identifier leg: the item's title holds an id the query names.
//
// None relevant means no good match. Profile is the one the search ran with;
// a zero threshold takes its default.
func (r Result) Relevant() []Hit {
	minSim := cmp.Or(r.Profile.MinSimilarity, DefaultMinSimilarity)
	rel := cmp.Or(r.Profile.RelativeBM25, DefaultRelativeBM25)
	best := 0.0
	for _, h := range r.Hits {
		for _, l := range h.Legs {
			if l.Leg == LegFullText {
				best = max(best, l.Score)
			}
		}
	}
	listing := r.Parsed.Text == ""
	out := make([]Hit, 0, len(r.Hits))
	for _, h := range r.Hits {
		if h.relevant(best*rel, minSim, listing) {
			out = append(out, h)
		}
	}
	return out
}

func (h Hit) relevant(minBM25, minSim float64, listing bool) bool {
	for _, l := range h.Legs {
		switch {
		case l.Leg == LegFullText && l.Score >= minBM25:
			return true
		case l.Leg == LegFiltered && listing, l.Leg == LegIdent:
			return true
		case l.Leg != LegFullText && l.Score >= minSim:
			return true
		}
	}
	return false
}
