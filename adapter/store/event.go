package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/pgvector/pgvector-go"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

type eventRow struct {
	bun.BaseModel `bun:"table:gcal_cache"`

	ID             uuid.UUID        `bun:"id,pk,type:uuid"`
	UserID         uuid.UUID        `bun:"user_id,type:uuid"`
	EventID        string           `bun:"event_id"`
	CalendarID     string           `bun:"calendar_id"`
	Title          string           `bun:"title"`
	Description    string           `bun:"description"`
	Location       string           `bun:"location"`
	StartTime      time.Time        `bun:"start_time"`
	EndTime        time.Time        `bun:"end_time"`
	AllDay         bool             `bun:"all_day"`
	TimeZone       string           `bun:"time_zone"`
	Attendees      []attendeeJSON   `bun:"attendees,type:jsonb"`
	AttendeeAddrs  []string         `bun:"attendee_addrs,array"`
	AttendeeNames  string           `bun:"attendee_names"`
	Organizer      string           `bun:"organizer"`
	Status         string           `bun:"status"`
	HTMLLink       string           `bun:"html_link"`
	Embedding      *pgvector.Vector `bun:"embedding,type:vector(256)"`
	EmbeddingModel string           `bun:"embedding_model"`
	Passages       *passages        `bun:"passages"`
	PassageWords   []int32          `bun:"passage_words,array"`
	CreatedAt      time.Time        `bun:"created_at"`
	UpdatedAt      time.Time        `bun:"updated_at"`
}

// attendeeJSON is one element of gcal_cache.attendees.
type attendeeJSON struct {
	Email          string `json:"email"`
	Name           string `json:"name,omitempty"`
	ResponseStatus string `json:"responseStatus,omitempty"`
	Organizer      bool   `json:"organizer,omitempty"`
}

var eventUpsertColumns = []string{"calendar_id", "title", "description", "location", "start_time", "end_time",
	"all_day", "time_zone", "attendees", "attendee_addrs", "attendee_names", "organizer", "status", "html_link",
	"embedding", "embedding_model", "passages", "passage_words", "updated_at", "synced_at"}

func eventRowOf(userID uuid.UUID, e *domain.Event, now time.Time) (eventRow, error) {
	if e.EventID == "" {
		return eventRow{}, fmt.Errorf("%w: event without EventID", domain.ErrInvalidInput)
	}
	if e.Start.IsZero() || e.End.IsZero() {
		return eventRow{}, fmt.Errorf("%w: event %s: Start and End are required", domain.ErrInvalidInput, e.EventID)
	}
	vec, err := vectorValue(e.Embedding, "event "+e.EventID)
	if err != nil {
		return eventRow{}, err
	}
	attendees := make([]attendeeJSON, len(e.Attendees))
	addrs := make([]string, 0, len(e.Attendees))
	names := make([]string, 0, len(e.Attendees))
	for i, a := range e.Attendees {
		attendees[i] = attendeeJSON{Email: a.Email, Name: a.Name, ResponseStatus: a.ResponseStatus, Organizer: a.Organizer}
		if addr := strings.ToLower(strings.TrimSpace(a.Email)); addr != "" {
			addrs = append(addrs, addr)
		}
		if a.Name != "" {
			names = append(names, a.Name)
		}
	}
	return eventRow{
		ID:             uuid.Must(uuid.NewV7()),
		UserID:         userID,
		EventID:        e.EventID,
		CalendarID:     defaultString(e.CalendarID, "primary"),
		Title:          e.Title,
		Description:    e.Description,
		Location:       e.Location,
		StartTime:      e.Start.UTC().Truncate(time.Microsecond),
		EndTime:        e.End.UTC().Truncate(time.Microsecond),
		AllDay:         e.AllDay,
		TimeZone:       defaultString(e.TimeZone, "UTC"),
		Attendees:      attendees,
		AttendeeAddrs:  addrs,
		AttendeeNames:  strings.Join(names, " "),
		Organizer:      strings.ToLower(strings.TrimSpace(e.Organizer)),
		Status:         defaultString(e.Status, "confirmed"),
		HTMLLink:       e.HTMLLink,
		Embedding:      vec,
		EmbeddingModel: e.Embedding.Model,
		Passages:       passagesOf(e.Embedding.Passages),
		PassageWords:   passageWords(e.Embedding.Passages),
		CreatedAt:      now,
		UpdatedAt:      now,
	}, nil
}

func (r *eventRow) domain() domain.Event {
	e := domain.Event{
		ID:          r.ID,
		UserID:      r.UserID,
		EventID:     r.EventID,
		CalendarID:  r.CalendarID,
		Title:       r.Title,
		Description: r.Description,
		Location:    r.Location,
		Start:       r.StartTime.UTC(),
		End:         r.EndTime.UTC(),
		AllDay:      r.AllDay,
		TimeZone:    r.TimeZone,
		Organizer:   r.Organizer,
		Status:      r.Status,
		HTMLLink:    r.HTMLLink,
		Embedding:   domainVector(r.Embedding, r.EmbeddingModel, r.Passages),
		UpdatedAt:   r.UpdatedAt.UTC(),
	}
	for _, a := range r.Attendees {
		e.Attendees = append(e.Attendees, domain.Attendee{Email: a.Email, Name: a.Name, ResponseStatus: a.ResponseStatus, Organizer: a.Organizer})
	}
	return e
}

// Event returns one of the user's cached events by row id, with its embedding.
func (s *CalendarStore) Event(ctx context.Context, userID, id uuid.UUID) (domain.Event, error) {
	return owned(ctx, s.idb(ctx), userID, id, "event", (*eventRow).domain)
}

// Events lists the user's events by start time, earliest first. f.Query is
// not used here. Listed events carry no embedding values.
func (s *CalendarStore) Events(ctx context.Context, userID uuid.UUID, f domain.Filter, p domain.Page) ([]domain.Event, domain.PageInfo, error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("user_id = ?", userID)
		q = whereAnyPerson(q, f.Attendees, "attendee_addrs @> ARRAY[?]::text[]",
			"attendee_names ILIKE ? OR EXISTS (SELECT 1 FROM unnest(attendee_addrs) addr WHERE addr ILIKE ?)")
		if !f.After.IsZero() {
			q = q.Where("end_time > ?", f.After)
		}
		if !f.Before.IsZero() {
			q = q.Where("start_time < ?", f.Before)
		}
		return q
	}
	out, info, err := paginate(ctx, s.idb(ctx), keyset{column: "start_time"}, p, filter,
		func(r *eventRow) cursor { return cursor{at: r.StartTime, id: r.ID} }, (*eventRow).domain, "embedding", "passages", "passage_words")
	if err != nil {
		return nil, domain.PageInfo{}, fmt.Errorf("store: list events of user %s: %w", userID, err)
	}
	return out, info, nil
}

// UpsertEvents inserts or replaces events by (user, EventID).
func (s *CalendarStore) UpsertEvents(ctx context.Context, userID uuid.UUID, es []domain.Event) error {
	return upsert(ctx, s.core, userID, es, eventRowOf, func(r *eventRow) string { return r.EventID },
		"event_id", eventUpsertColumns)
}

// DeleteEvents removes events by Calendar id; unknown ids are ignored.
func (s *CalendarStore) DeleteEvents(ctx context.Context, userID uuid.UUID, eventIDs []string) error {
	return s.deleteByKeys(ctx, userID, (*eventRow)(nil), "event_id", eventIDs)
}

func defaultString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
