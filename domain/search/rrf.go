package search

import (
	"cmp"
	"math"
	"slices"
)

// Fuse merges ranked lists. An item scores the sum of what the lists that
// found it lend it, each at most about the list's weight:
//   - a list with a Power (a leg whose scores measure the match: BM25,
//     cosine) lends weight × (score / the list's best score)^Power, so a leg
//     sure of its first items and unsure of the rest lends little beyond them;
//   - a list without one lends weight × k / (k + rank), ranks from 1:
//     reciprocal rank fusion, scaled so that its first item gets about its
//     weight (a leg whose order is not its signal: filters, identifiers).
//
// Items are deduplicated by (service, id); each hit keeps where every list
// ranked it. Ties go to the item found by more lists, then to the better best
// rank, then to the newer item, so the order is stable.
func Fuse(k float64, lists []Ranked, limit int) []Hit {
	type key struct {
		s  string
		id [16]byte
	}
	byKey := map[key]*Hit{}
	var order []*Hit
	for _, l := range lists {
		best := 0.0
		for _, c := range l.Items {
			best = max(best, c.Score)
		}
		for i, c := range l.Items {
			kk := key{string(c.Service), c.ID}
			h := byKey[kk]
			if h == nil {
				h = &Hit{Item: c.Item}
				byKey[kk] = h
				order = append(order, h)
			}
			if slices.ContainsFunc(h.Legs, func(lh LegHit) bool { return lh.Leg == l.Leg }) {
				continue // a list naming an item twice counts it once, at its best rank
			}
			rank := i + 1
			h.Legs = append(h.Legs, LegHit{Leg: l.Leg, Rank: rank, Score: c.Score, Held: c.Held})
			if l.Power > 0 {
				if best > 0 {
					h.Score += l.Weight * math.Pow(max(c.Score, 0)/best, l.Power)
				}
			} else {
				h.Score += l.Weight * k / (k + float64(rank))
			}
		}
	}
	slices.SortStableFunc(order, func(a, b *Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b.Legs), len(a.Legs)); c != 0 {
			return c
		}
		if c := cmp.Compare(bestRank(a), bestRank(b)); c != 0 {
			return c
		}
		return b.At.Compare(a.At)
	})
	if limit > 0 && len(order) > limit {
		order = order[:limit]
	}
	hits := make([]Hit, len(order))
	for i, h := range order {
		hits[i] = *h
	}
	return hits
}

func bestRank(h *Hit) int {
	best := 0
	for _, l := range h.Legs {
		if best == 0 || l.Rank < best {
			best = l.Rank
		}
	}
	return best
}
