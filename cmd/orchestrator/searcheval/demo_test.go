package searcheval_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret"
	"github.com/workspace-orchestrator/orchestrator/demo"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// demoItems is the demo workspace, original dates, as the sync would cache it
// (until the sync pipeline can load it, this reads the emulator's types).
type demoItems struct {
	emails []domain.Email
	events []domain.Event
	files  []domain.File
}

func loadDemo(tb testing.TB) demoItems {
	tb.Helper()
	ws, err := demo.Workspace(demo.Options{})
	require.NoError(tb, err)
	var d demoItems
	for i, m := range ws.Messages {
		e, err := emailOf(m)
		require.NoError(tb, err, "message %d", i)
		d.emails = append(d.emails, e)
	}
	for i, ev := range ws.Events {
		x := domain.Event{EventID: ev.ID, CalendarID: "primary", Title: ev.Summary, Description: ev.Description, Location: ev.Location,
			Start: ev.Start, End: ev.End, AllDay: ev.AllDay, TimeZone: ev.TimeZone, Organizer: ev.Organizer, Status: ev.Status}
		if x.EventID == "" {
			x.EventID = "event" + strconv.Itoa(i)
		}
		for _, a := range ev.Attendees {
			x.Attendees = append(x.Attendees, domain.Attendee{Email: a.Email, Name: a.DisplayName, ResponseStatus: a.ResponseStatus, Organizer: a.Organizer})
		}
		d.events = append(d.events, x)
	}
	for i, f := range ws.Files {
		x := domain.File{FileID: f.ID, Name: f.Name, MimeType: f.MimeType, Content: string(f.Content), Owners: f.Owners,
			Properties: f.Properties, ModifiedAt: f.ModifiedTime}
		if x.FileID == "" {
			x.FileID = "file" + strconv.Itoa(i)
		}
		if len(f.Parents) > 0 {
			x.ParentFolder = f.Parents[0]
		}
		d.files = append(d.files, x)
	}
	return d
}

var wordDecoder = new(mime.WordDecoder)

// emailOf reads an RFC 822 message. Enron's From headers are bare addresses;
// the display name is in X-From, which the converter uses when From has none.
func emailOf(m emulator.Message) (domain.Email, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return domain.Email{}, err
	}
	h := msg.Header
	dec := func(s string) string {
		if d, err := wordDecoder.DecodeHeader(s); err == nil {
			return d
		}
		return s
	}
	list := func(key string) []domain.Address {
		as, err := h.AddressList(key)
		if err != nil { // "l..wells@enron.com" is no RFC 5322 address; keep it as written, as the Gmail converter does
			var out []domain.Address
			for _, part := range strings.Split(h.Get(key), ",") {
				if part = strings.Trim(strings.TrimSpace(part), `<>"' `); part != "" {
					out = append(out, domain.Address{Email: strings.ToLower(part)})
				}
			}
			return out
		}
		out := make([]domain.Address, len(as))
		for i, a := range as {
			out[i] = domain.Address{Name: a.Name, Email: a.Address}
		}
		return out
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return domain.Email{}, err
	}
	e := domain.Email{
		EmailID: m.ID, ThreadID: m.ThreadID, MessageIDs: m.MessageIDs, Subject: dec(h.Get("Subject")),
		To: list("To"), Cc: list("Cc"), Body: string(body), Labels: m.LabelIDs, ReceivedAt: m.InternalDate,
	}
	if from := list("From"); len(from) > 0 {
		e.From = from[0]
	}
	if e.From.Name == "" {
		name := dec(h.Get("X-From"))
		if i := strings.Index(name, "<"); i > 0 {
			name = name[:i]
		}
		// Lotus Notes appends "@ENRON" to outside names
		e.From.Name = strings.Trim(strings.TrimSuffix(strings.TrimSpace(name), "@ENRON"), `" `)
	}
	if e.ReceivedAt.IsZero() {
		e.ReceivedAt, _ = h.Date()
	}
	if e.EmailID == "" {
		e.EmailID = strings.Trim(m.MessageIDs[0], "<>")
	}
	return e, nil
}

// loadInto embeds the items with emb, as a sync would (ingest.Embed of the
// same texts), and writes them for a new user, merging its index as the end
// of a sync does.
func loadInto(tb testing.TB, ctx context.Context, st *store.Store, emb domain.Embedder, email string, d demoItems) domain.User {
	tb.Helper()
	u, err := st.UpsertUser(ctx, email)
	require.NoError(tb, err)
	const batch = 500
	embed := func(texts []string, set func(int, domain.Vector)) {
		for i := range texts {
			texts[i] = ingest.Truncate(texts[i], ingest.DefaultMaxTextBytes)
		}
		vs, err := ingest.Embed(ctx, emb, texts)
		require.NoError(tb, err)
		for i, v := range vs {
			set(i, v)
		}
	}
	for i := 0; i < len(d.emails); i += batch {
		part := append([]domain.Email(nil), d.emails[i:min(i+batch, len(d.emails))]...)
		texts := make([]string, len(part))
		for j, e := range part {
			texts[j] = ingest.EmailText(e)
		}
		embed(texts, func(j int, v domain.Vector) { part[j].Embedding = v })
		require.NoError(tb, st.UpsertEmails(ctx, u.ID, part))
	}
	for i := 0; i < len(d.events); i += batch {
		part := append([]domain.Event(nil), d.events[i:min(i+batch, len(d.events))]...)
		texts := make([]string, len(part))
		for j, e := range part {
			texts[j] = ingest.EventText(e)
		}
		embed(texts, func(j int, v domain.Vector) { part[j].Embedding = v })
		require.NoError(tb, st.UpsertEvents(ctx, u.ID, part))
	}
	for i := 0; i < len(d.files); i += batch {
		part := append([]domain.File(nil), d.files[i:min(i+batch, len(d.files))]...)
		texts := make([]string, len(part))
		for j, f := range part {
			texts[j] = ingest.FileText(f)
		}
		embed(texts, func(j int, v domain.Vector) { part[j].Embedding = v })
		require.NoError(tb, st.UpsertFiles(ctx, u.ID, part))
	}
	for _, s := range domain.Services {
		require.NoError(tb, st.MergeIndex(ctx, u.ID, s))
	}
	return u
}

func newStore(tb testing.TB, db *store.DB) *store.Store {
	tb.Helper()
	keys, err := secret.ParseKeyring("k1:" + strings.Repeat("A", 43) + "=")
	require.NoError(tb, err)
	return store.New(db, keys, domain.SystemClock{})
}

func newEngine(tb testing.TB, idx *store.Search, emb domain.Embedder, now time.Time) *search.Engine {
	tb.Helper()
	passages, _ := emb.(domain.Passager)
	e, err := search.New(search.Config{Profiles: map[string]search.Profile{embed.OfflineModel: search.OfflineProfile}}, search.Deps{
		Index: idx, Embedder: emb, Passages: passages, Parser: query.Parser{Contacts: idx},
		Clock: domain.FixedClock{T: now}, Logger: slog.New(slog.DiscardHandler),
	})
	require.NoError(tb, err)
	return e
}

func newUserEmail() string { return uuid.NewString() + "@example.com" }
