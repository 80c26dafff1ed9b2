package resolvers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
	"github.com/workspace-orchestrator/orchestrator/graph/model"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// searchFor runs one search of the caller's items in the caller's time zone.
func (r *Resolver) searchFor(ctx context.Context, userID uuid.UUID, q string, services []domain.Service, first int, f domain.Filter) (search.Result, error) {
	q, err := domain.CheckQuery(q)
	if err != nil {
		return search.Result{}, err
	}
	loc, _ := r.Zones.Location(ctx, userID) // the default (UTC) when unknown
	res, err := r.Searcher.Search(ctx, search.Request{
		UserID: userID, Query: q, Services: services, First: first, Location: loc, Filters: f,
	})
	if err != nil {
		return search.Result{}, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

func fromSearchResult(res search.Result) *model.SearchPayload {
	hits := make([]model.SearchHit, len(res.Hits))
	for i, h := range res.Hits {
		legs := make([]model.LegHit, len(h.Legs))
		for j, l := range h.Legs {
			legs[j] = model.LegHit{Leg: model.SearchLeg(strings.ToUpper(string(l.Leg))), Rank: l.Rank, Score: l.Score}
		}
		hits[i] = model.SearchHit{Score: h.Score, Legs: legs, Service: h.Service, ItemID: h.ID}
	}
	timings := make([]model.SearchTiming, 0, len(res.Timings))
	if !res.Cached {
		for name, d := range res.Timings {
			timings = append(timings, model.SearchTiming{Name: name, Ms: float64(d.Microseconds()) / 1000})
		}
		slices.SortFunc(timings, func(a, b model.SearchTiming) int { return strings.Compare(a.Name, b.Name) })
	}
	return &model.SearchPayload{
		Hits: hits, Filters: fromFilter(res.Parsed.Filters, res.Parsed.Sources, false),
		Hints: fromFilter(res.Parsed.Hints, res.Parsed.Sources, true), Notes: nonNil(res.Notes),
		Text: res.Parsed.Text, Timings: timings, Cached: res.Cached,
	}
}

// fromFilter shows the trusted filters or the hints with their sources.
func fromFilter(f domain.Filter, all []query.Source, hints bool) *model.SearchFilters {
	sources := []model.FilterSource{}
	for _, s := range all {
		if s.Hint == hints {
			sources = append(sources, model.FilterSource{Field: s.Field, Words: s.Words, Start: s.Start, End: s.End, Hint: s.Hint})
		}
	}
	return &model.SearchFilters{
		Services: fromServices(f.Services), From: nonNil(f.From), To: nonNil(f.To), Labels: nonNil(f.Labels),
		After: optionalTime(f.After), Before: optionalTime(f.Before), Attendees: nonNil(f.Attendees),
		MimeTypes: nonNil(f.MimeTypes), HasAttachment: deref(f.HasAttachment), Unread: deref(f.Unread), Sources: sources,
	}
}

// primeItems reads the hits' items in one batch per service and primes the
// dataloaders with them, so the item field resolvers find them at once
// instead of waiting out a batch window for keys that are all known here.
func (r *Resolver) primeItems(ctx context.Context, userID uuid.UUID, hits []search.Hit) error {
	l, err := loadersFrom(ctx)
	if err != nil {
		return err
	}
	found, err := search.Load(ctx, r.WorkspaceBatch, userID, hits, domain.Filter{})
	if err != nil {
		return err
	}
	for _, fd := range found {
		switch {
		case fd.Email != nil:
			l.email.Prime(fd.ID, *fd.Email)
		case fd.Event != nil:
			l.event.Prime(fd.ID, *fd.Event)
		default:
			l.file.Prime(fd.ID, *fd.File)
		}
	}
	return nil
}

// searchItem loads a hit's item; a deleted one is nil.
func searchItem(ctx context.Context, h *model.SearchHit) (model.SearchItem, error) {
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil, err
	}
	var item model.SearchItem
	switch h.Service {
	case domain.ServiceGmail:
		var e domain.Email
		if e, err = l.email.Load(ctx, h.ItemID); err == nil {
			item = fromEmail(e)
		}
	case domain.ServiceCalendar:
		var e domain.Event
		if e, err = l.event.Load(ctx, h.ItemID); err == nil {
			item = fromEvent(e)
		}
	case domain.ServiceDrive:
		var f domain.File
		if f, err = l.file.Load(ctx, h.ItemID); err == nil {
			item = fromFile(f)
		}
	default:
		return nil, fmt.Errorf("search hit %s of unknown service %q", h.ItemID, h.Service)
	}
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	return item, err
}

// itemPage answers one item connection (emails, events, files): ranked by
// the search engine when the filter has words, else listed newest first.
func itemPage[D, N, E any](ctx context.Context, r *Resolver, what string, service domain.Service, f domain.Filter, args pageArgs,
	item func(search.Found) *D,
	list func(ctx context.Context, userID uuid.UUID, f domain.Filter, p domain.Page) ([]D, domain.PageInfo, error),
	conv func(D) *N, edge func(*N, string) E,
) (connection[E], error) {
	if f.Query != "" && r.Searcher != nil {
		return rankedPage(ctx, r, what, service, f, item, args, conv, edge)
	}
	return listPage(ctx, what, args, func(ctx context.Context, userID uuid.UUID, p domain.Page) ([]D, domain.PageInfo, error) {
		return list(ctx, userID, f, p)
	}, conv, edge)
}

// rankedPage answers a list whose filter has a query from the search engine:
// the service's hits, best first, that match the rest of the filter (the
// engine only boosts by it). Cursors are positions in that ranked list ("3"
// resumes after the third item). item picks the service's item of a loaded hit.
func rankedPage[D, N, E any](ctx context.Context, r *Resolver, what string, service domain.Service, f domain.Filter,
	item func(search.Found) *D, args pageArgs, conv func(D) *N, edge func(*N, string) E,
) (connection[E], error) {
	userID, err := auth.RequireUserID(ctx)
	if err != nil {
		return connection[E]{}, err
	}
	p, err := toPage(args)
	if err != nil {
		return connection[E]{}, err
	}
	// An item's cursor is its 1-based rank: after c starts at rank c+1,
	// before c ends at rank c-1.
	var after, before int
	for _, c := range []struct {
		cursor string
		into   *int
	}{{p.After, &after}, {p.Before, &before}} {
		if c.cursor == "" {
			continue
		}
		if *c.into, err = strconv.Atoi(c.cursor); err != nil || *c.into < 0 {
			return connection[E]{}, fmt.Errorf("%s: cursor %q is not a position in the ranked list: %w", what, c.cursor, domain.ErrInvalidCursor)
		}
	}
	f.Services = []domain.Service{service}
	res, err := r.searchFor(ctx, userID, f.Query, f.Services, r.SearchDepth, f)
	if err != nil {
		return connection[E]{}, fmt.Errorf("%s: %w", what, err)
	}
	found, err := search.Load(ctx, r.WorkspaceBatch, userID, res.Hits, f)
	if err != nil {
		return connection[E]{}, fmt.Errorf("%s: %w", what, err)
	}
	var kept []D
	for _, fd := range found {
		if it := item(fd); it != nil {
			kept = append(kept, *it)
		}
	}
	start, end := min(after, len(kept)), len(kept)
	if p.Before != "" {
		end = max(start, min(before-1, len(kept)))
	}
	if p.Last > 0 {
		start = max(start, end-p.Last)
	} else {
		end = min(end, start+p.First)
	}
	pi := domain.PageInfo{HasNextPage: end < len(kept), HasPreviousPage: start > 0, TotalCount: len(kept)}
	out := make([]E, 0, end-start)
	for i := start; i < end; i++ {
		out = append(out, edge(conv(kept[i]), strconv.Itoa(i+1)))
	}
	if end > start {
		pi.StartCursor, pi.EndCursor = strconv.Itoa(start+1), strconv.Itoa(end)
	}
	return connection[E]{edges: out, info: toPageInfo(pi), total: len(kept)}, nil
}
