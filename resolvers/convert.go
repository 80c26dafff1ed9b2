package resolvers

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/graph/model"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// Page sizes: clients ask with first; the store sees exactly what they asked.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// pageArgs are a connection field's Relay arguments.
type pageArgs struct {
	first  *int
	after  *string
	last   *int
	before *string
}

// toPage checks a connection's arguments: first and last are 1 to
// maxPageSize and not both given; neither means the first defaultPageSize.
func toPage(a pageArgs) (domain.Page, error) {
	for name, n := range map[string]*int{"first": a.first, "last": a.last} {
		if n != nil && (*n < 1 || *n > maxPageSize) {
			return domain.Page{}, fmt.Errorf("%s must be between 1 and %d, got %d: %w", name, maxPageSize, *n, domain.ErrInvalidInput)
		}
	}
	if a.first != nil && a.last != nil {
		return domain.Page{}, fmt.Errorf("give first (with after) or last (with before), not both: %w", domain.ErrInvalidInput)
	}
	p := domain.Page{After: deref(a.after), Before: deref(a.before), Last: deref(a.last)}
	if p.Last == 0 {
		p.First = cmp.Or(deref(a.first), defaultPageSize)
	}
	return p, nil
}

func toPageInfo(pi domain.PageInfo) *model.PageInfo {
	out := &model.PageInfo{HasNextPage: pi.HasNextPage, HasPreviousPage: pi.HasPreviousPage}
	if pi.StartCursor != "" {
		out.StartCursor = &pi.StartCursor
	}
	if pi.EndCursor != "" {
		out.EndCursor = &pi.EndCursor
	}
	return out
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func toMailFilter(f *model.EmailFilter) (domain.Filter, error) {
	if f == nil {
		return domain.Filter{}, nil
	}
	return domain.Filter{
		Query:         strings.TrimSpace(deref(f.Query)),
		From:          f.From,
		To:            f.To,
		Labels:        f.Labels,
		MessageIDs:    f.MessageIds,
		After:         deref(f.After),
		Before:        deref(f.Before),
		HasAttachment: f.HasAttachment,
		Unread:        f.Unread,
	}, checkRange(deref(f.After), deref(f.Before))
}

func toEventFilter(f *model.EventFilter) (domain.Filter, error) {
	if f == nil {
		return domain.Filter{}, nil
	}
	return domain.Filter{
		Query:     strings.TrimSpace(deref(f.Query)),
		Attendees: f.Attendees,
		After:     deref(f.After),
		Before:    deref(f.Before),
	}, checkRange(deref(f.After), deref(f.Before))
}

func toFileFilter(f *model.FileFilter) (domain.Filter, error) {
	if f == nil {
		return domain.Filter{}, nil
	}
	return domain.Filter{
		Query:     strings.TrimSpace(deref(f.Query)),
		MimeTypes: f.MimeTypes,
		Owners:    f.Owners,
		After:     deref(f.After),
		Before:    deref(f.Before),
	}, checkRange(deref(f.After), deref(f.Before))
}

// checkRange refuses an empty date range, which is always a client mistake.
func checkRange(after, before time.Time) error {
	if !after.IsZero() && !before.IsZero() && !after.Before(before) {
		return fmt.Errorf("after (%s) must be before before (%s): %w",
			after.Format(time.RFC3339), before.Format(time.RFC3339), domain.ErrInvalidInput)
	}
	return nil
}

func fromUser(u domain.User) *model.User {
	return &model.User{
		ID:              globalID(typeUser, u.ID),
		Email:           u.Email,
		DisplayName:     u.DisplayName,
		TimeZone:        u.TimeZone,
		NeedsReauth:     u.NeedsReauth,
		GoogleConnected: u.GoogleConnected && !u.NeedsReauth,
		Scopes:          nonNil(u.Scopes),
		CreatedAt:       u.CreatedAt,
	}
}

func fromAddress(a domain.Address) model.Address {
	return model.Address{Name: a.Name, Email: a.Email}
}

func fromAddresses(as []domain.Address) []model.Address {
	out := make([]model.Address, len(as))
	for i, a := range as {
		out[i] = fromAddress(a)
	}
	return out
}

// nonNil keeps non-null list fields from answering null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func fromEmail(e domain.Email) *model.Email {
	from := fromAddress(e.From)
	return &model.Email{
		ID:            globalID(typeEmail, e.ID),
		GmailID:       e.EmailID,
		ThreadID:      e.ThreadID,
		MessageIds:    nonNil(e.MessageIDs),
		Subject:       e.Subject,
		From:          &from,
		To:            fromAddresses(e.To),
		Cc:            fromAddresses(e.Cc),
		Snippet:       e.Snippet,
		Body:          e.Body,
		Labels:        nonNil(e.Labels),
		HasAttachment: e.HasAttachment,
		Unread:        e.Unread,
		ReceivedAt:    e.ReceivedAt,
	}
}

func fromEvent(e domain.Event) *model.Event {
	attendees := make([]model.Attendee, len(e.Attendees))
	for i, a := range e.Attendees {
		attendees[i] = model.Attendee{Email: a.Email, Name: a.Name, ResponseStatus: a.ResponseStatus, Organizer: a.Organizer}
	}
	return &model.Event{
		ID:              globalID(typeEvent, e.ID),
		CalendarEventID: e.EventID,
		CalendarID:      e.CalendarID,
		Title:           e.Title,
		Description:     e.Description,
		Location:        e.Location,
		Start:           e.Start,
		End:             e.End,
		AllDay:          e.AllDay,
		TimeZone:        e.TimeZone,
		Attendees:       attendees,
		Organizer:       e.Organizer,
		Status:          e.Status,
		HTMLLink:        e.HTMLLink,
	}
}

func fromFile(f domain.File) *model.File {
	props := make([]model.Property, 0, len(f.Properties))
	for k, v := range f.Properties {
		props = append(props, model.Property{Key: k, Value: v})
	}
	slices.SortFunc(props, func(a, b model.Property) int { return strings.Compare(a.Key, b.Key) })
	return &model.File{
		ID:           globalID(typeFile, f.ID),
		DriveFileID:  f.FileID,
		Name:         f.Name,
		MimeType:     f.MimeType,
		Preview:      f.Preview,
		ParentFolder: f.ParentFolder,
		Owners:       nonNil(f.Owners),
		Properties:   props,
		WebViewLink:  f.WebViewLink,
		Trashed:      f.Trashed,
		ModifiedAt:   f.ModifiedAt,
	}
}

func fromConversation(c domain.Conversation) *model.Conversation {
	return &model.Conversation{
		ID:        globalID(typeConversation, c.ID),
		UUID:      c.ID,
		Title:     c.Title,
		CreatedAt: c.CreatedAt,
		UpdatedAt: c.UpdatedAt,
	}
}

func fromMessageStatus(s domain.MessageStatus) model.MessageStatus {
	return model.MessageStatus(strings.ToUpper(string(s)))
}

func fromMessage(m domain.Message) *model.Message {
	return &model.Message{
		ID:               globalID(typeMessage, m.ID),
		ConversationUUID: m.ConversationID,
		Query:            m.Query,
		Status:           fromMessageStatus(m.Status),
		Response:         m.Response,
		Error:            m.Error,
		ClientRequestID:  m.ClientRequestID,
		CreatedAt:        m.CreatedAt,
		UpdatedAt:        m.UpdatedAt,
		Stored:           m,
	}
}

// connection is one page of a list: its edges, page info and total.
type connection[E any] struct {
	edges []E
	info  *model.PageInfo
	total int
}

// listPage runs one keyset-paginated list for the caller: it authenticates,
// checks the page arguments, calls fetch and pairs each converted item with
// its cursor.
func listPage[D, N, E any](ctx context.Context, what string, args pageArgs,
	fetch func(ctx context.Context, userID uuid.UUID, p domain.Page) ([]D, domain.PageInfo, error),
	conv func(D) *N, edge func(*N, string) E,
) (connection[E], error) {
	userID, err := auth.RequireUserID(ctx)
	if err != nil {
		return connection[E]{}, err
	}
	p, err := toPage(args)
	if err != nil {
		return connection[E]{}, err
	}
	p.NoTotal = !slices.Contains(graphql.CollectAllFields(ctx), "totalCount")
	items, pi, err := fetch(ctx, userID, p)
	if err != nil {
		return connection[E]{}, fmt.Errorf("%s: %w", what, err)
	}
	if len(pi.Cursors) != len(items) {
		return connection[E]{}, fmt.Errorf("%s: page has %d items but %d cursors", what, len(items), len(pi.Cursors))
	}
	out := make([]E, len(items))
	for i, it := range items {
		out[i] = edge(conv(it), pi.Cursors[i])
	}
	return connection[E]{edges: out, info: toPageInfo(pi), total: pi.TotalCount}, nil
}

// node converts what a port returned into a Node, passing its error through.
func node[D any, N model.Node](v D, err error, conv func(D) N) (model.Node, error) {
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	return conv(v), nil
}
