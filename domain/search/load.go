package search

import (
	"context"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// ItemReader loads a user's items by row id, one query per service; ids that
// are not the user's are absent from the maps. Summaries adapts a reader of
// items without bodies and contents, for callers that only show them.
type ItemReader interface {
	EmailsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Email, error)
	EventsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Event, error)
	FilesByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.File, error)
}

// Summaries reads r's items without bodies and contents as an ItemReader.
func Summaries(r domain.WorkspaceSummaryReader) ItemReader { return summaries{r} }

type summaries struct{ domain.WorkspaceSummaryReader }

func (s summaries) EmailsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Email, error) {
	return s.EmailSummariesByID(ctx, userID, ids)
}

func (s summaries) FilesByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.File, error) {
	return s.FileSummariesByID(ctx, userID, ids)
}

// Found is a hit with the item behind it: exactly one of Email, Event and
// File is set, as Service says.
type Found struct {
	Hit
	Email *domain.Email
	Event *domain.Event
	File  *domain.File
}

// Load reads the items behind hits, one query per service run concurrently,
// and returns them in hit order. A hit whose item is gone (deleted since it
// was indexed) or fails f (domain.Filter.MatchesEmail and its kin) is left
// out. It is the one loader of hits: resolvers, agents and eval use it.
func Load(ctx context.Context, r ItemReader, userID uuid.UUID, hits []Hit, f domain.Filter) ([]Found, error) {
	ids := map[domain.Service][]uuid.UUID{}
	for _, h := range hits {
		ids[h.Service] = append(ids[h.Service], h.ID)
	}
	var (
		emails map[uuid.UUID]domain.Email
		events map[uuid.UUID]domain.Event
		files  map[uuid.UUID]domain.File
	)
	g, gctx := errgroup.WithContext(ctx)
	if len(ids[domain.ServiceGmail]) > 0 {
		g.Go(func() (err error) { emails, err = r.EmailsByID(gctx, userID, ids[domain.ServiceGmail]); return err })
	}
	if len(ids[domain.ServiceCalendar]) > 0 {
		g.Go(func() (err error) { events, err = r.EventsByID(gctx, userID, ids[domain.ServiceCalendar]); return err })
	}
	if len(ids[domain.ServiceDrive]) > 0 {
		g.Go(func() (err error) { files, err = r.FilesByID(gctx, userID, ids[domain.ServiceDrive]); return err })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]Found, 0, len(hits))
	for _, h := range hits {
		fd := Found{Hit: h}
		switch h.Service {
		case domain.ServiceGmail:
			if e, ok := emails[h.ID]; ok && f.MatchesEmail(e) {
				fd.Email = &e
			}
		case domain.ServiceCalendar:
			if e, ok := events[h.ID]; ok && f.MatchesEvent(e) {
				fd.Event = &e
			}
		case domain.ServiceDrive:
			if x, ok := files[h.ID]; ok && f.MatchesFile(x) {
				fd.File = &x
			}
		}
		if fd.Email != nil || fd.Event != nil || fd.File != nil {
			out = append(out, fd)
		}
	}
	return out, nil
}
