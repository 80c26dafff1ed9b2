package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/web/server"
)

const searchQuery = `query($q: String!, $s: [Service!], $first: Int) {
	search(query: $q, services: $s, first: $first) {
		hits {
			score
			legs { leg rank score }
			item {
				__typename
				... on Email { id subject from { email } }
				... on Event { id title }
				... on File { id name }
			}
		}
		filters { services from to labels after before attendees mimeTypes hasAttachment unread sources { field words start end hint } }
		hints { from after sources { field words hint } }
		notes
		text
		timings { name ms }
		cached
	}
}`

type searchResp struct {
	Search struct {
		Hits []struct {
			Score float64
			Legs  []struct {
				Leg   string
				Rank  int
				Score float64
			}
			Item *struct {
				Typename string `json:"__typename"`
				ID       string
				Subject  string
				Title    string
				Name     string
				From     struct{ Email string }
			}
		}
		Filters struct {
			Services, From, To, Labels, Attendees, MimeTypes []string
			After, Before                                    *string
			HasAttachment, Unread                            bool
			Sources                                          []struct {
				Field, Words string
				Start, End   int
				Hint         bool
			}
		}
		Hints struct {
			From    []string
			After   *string
			Sources []struct {
				Field, Words string
				Hint         bool
			}
		}
		Notes   []string
		Text    string
		Cached  bool
		Timings []struct {
			Name string
			Ms   float64
		}
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var resp searchResp
	b.c.MustPost(searchQuery, &resp, b.asAlice, client.Var("q", "from:s1@example.com 3"))
	s := resp.Search
	// "3" is in Report 3, Meeting 3 and doc 3.pdf: one of each kind.
	require.Len(t, s.Hits, 3)
	require.Equal(t, "Email", s.Hits[0].Item.Typename)
	require.Equal(t, "Report 3", s.Hits[0].Item.Subject)
	require.Equal(t, nodeID("Email", b.mem.emails[3].ID), s.Hits[0].Item.ID)
	require.Equal(t, "Event", s.Hits[1].Item.Typename)
	require.Equal(t, "Meeting 3", s.Hits[1].Item.Title)
	require.Equal(t, "File", s.Hits[2].Item.Typename)
	require.Equal(t, "doc 3.pdf", s.Hits[2].Item.Name)
	require.Equal(t, "FULLTEXT", s.Hits[0].Legs[0].Leg)
	require.Equal(t, 1, s.Hits[0].Legs[0].Rank)
	require.Greater(t, s.Hits[0].Score, s.Hits[1].Score)
	require.Equal(t, []string{"s1@example.com"}, s.Filters.From)
	require.Nil(t, s.Filters.After)
	require.Empty(t, s.Filters.Services)
	require.NotNil(t, s.Filters.Labels, "lists are never null")
	require.False(t, s.Cached)
	require.Equal(t, "from:s1@example.com", s.Filters.Sources[0].Words)
	require.False(t, s.Filters.Sources[0].Hint)
	require.NotNil(t, s.Hints.From, "hints are never null either")
	require.Empty(t, s.Hints.Sources)
	require.NotNil(t, s.Notes)
	require.Equal(t, 0, s.Filters.Sources[0].Start)
	require.Equal(t, "3", s.Text)
	require.Equal(t, "fulltext", s.Timings[0].Name)
	require.InDelta(t, 1.5, s.Timings[0].Ms, 1e-9)

	// The request reaches the engine as asked, in the caller's time zone.
	b.c.MustPost(searchQuery, &resp, b.asAlice, client.Var("q", "Report"), client.Var("s", []string{"GMAIL", "DRIVE"}), client.Var("first", 2))
	req := b.searcher.lastRequest()
	require.Equal(t, []domain.Service{domain.ServiceGmail, domain.ServiceDrive}, req.Services)
	require.Equal(t, 2, req.First)
	require.Equal(t, b.alice.ID, req.UserID)
	require.Equal(t, "Europe/Istanbul", req.Location.String())
	require.Len(t, resp.Search.Hits, 2)
}

func TestSearchErrorsAndScoping(t *testing.T) {
	t.Parallel()
	b := setup(t)
	errs := b.errorsOf(t, `{ search(query: "x") { text } }`)
	require.Equal(t, "UNAUTHENTICATED", codeOf(errs[0]))
	for _, q := range []string{
		`{ search(query: "  ") { text } }`,
		`{ search(query: "x", first: 0) { text } }`,
		`{ search(query: "x", first: 51) { text } }`,
	} {
		require.Equal(t, "BAD_USER_INPUT", codeOf(b.errorsOf(t, q, b.asAlice)[0]), q)
	}
	errs = b.errorsOf(t, `{ search(query: "boom") { text } }`, b.asAlice)
	require.Equal(t, "INTERNAL", codeOf(errs[0]))
	require.NotContains(t, errs[0].Message, "connection refused")

	// An id of Bob's item never shows through Alice's search: its item is null.
	b.searcher.leak = b.mem.emails[len(b.mem.emails)-1].ID
	require.Equal(t, b.bob.ID, b.mem.emails[len(b.mem.emails)-1].UserID)
	var resp searchResp
	b.c.MustPost(searchQuery, &resp, b.asAlice, client.Var("q", "Report 4"))
	require.Len(t, resp.Search.Hits, 2)
	require.Nil(t, resp.Search.Hits[0].Item)
	require.Equal(t, "Report 4", resp.Search.Hits[1].Item.Subject)
}

func TestSearchLoadsItemsInBatches(t *testing.T) {
	t.Parallel()
	b := setup(t, func(_ *server.Config, d *server.Deps) { d.Resolver.BatchWait = 50 * time.Millisecond })
	var resp searchResp
	b.c.MustPost(searchQuery, &resp, b.asAlice, client.Var("q", "Report"), client.Var("s", []string{"GMAIL"}))
	require.Len(t, resp.Search.Hits, 5)
	require.EqualValues(t, 1, b.mem.batchEmails.Load(), "one batch for the five emails")

	// Without the batch port, each item is read on its own: same answer.
	plain := setup(t, func(_ *server.Config, d *server.Deps) { d.Resolver.Workspace = readerOnly{d.Resolver.Workspace} })
	var again searchResp
	plain.c.MustPost(searchQuery, &again, plain.asAlice, client.Var("q", "Report"), client.Var("s", []string{"GMAIL"}))
	require.Len(t, again.Search.Hits, 5)
	for i, h := range again.Search.Hits {
		require.Equal(t, fmt.Sprintf("Report %d", i), h.Item.Subject)
	}
	require.Zero(t, plain.mem.batchEmails.Load())
}

// readerOnly hides the batch methods of the store it wraps.
type readerOnly struct{ domain.WorkspaceReader }

func TestEmailsEventsFilesWithQueryUseSearch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const q = `query($f: EmailFilter, $after: String) {
		emails(filter: $f, first: 2, after: $after) {
			edges { cursor node { subject from { email } } }
			pageInfo { hasNextPage endCursor }
			totalCount
		}
	}`
	type page struct {
		Emails struct {
			Edges []struct {
				Cursor string
				Node   struct {
					Subject string
					From    struct{ Email string }
				}
			}
			PageInfo   pageInfo
			TotalCount int
		}
	}
	var subjects []string
	var after *string
	for range 5 {
		var resp page
		b.c.MustPost(q, &resp, b.asAlice, client.Var("f", map[string]any{"query": "Report"}), client.Var("after", after))
		require.Equal(t, 5, resp.Emails.TotalCount)
		for _, e := range resp.Emails.Edges {
			subjects = append(subjects, e.Node.Subject)
		}
		if !resp.Emails.PageInfo.HasNextPage {
			break
		}
		after = resp.Emails.PageInfo.EndCursor
	}
	require.Equal(t, []string{"Report 0", "Report 1", "Report 2", "Report 3", "Report 4"}, subjects)
	req := b.searcher.lastRequest()
	require.Equal(t, []domain.Service{domain.ServiceGmail}, req.Services)
	require.Equal(t, 50, req.First)

	// Every other field of the filter still holds, and reaches the engine.
	var resp page
	b.c.MustPost(q, &resp, b.asAlice, client.Var("f", map[string]any{"query": "Report", "from": []string{"S1@example.com"}, "unread": false}))
	require.Equal(t, 2, resp.Emails.TotalCount) // Report 1 and 3
	require.Equal(t, "Report 1", resp.Emails.Edges[0].Node.Subject)
	require.Equal(t, []string{"S1@example.com"}, b.searcher.lastRequest().Filters.From)

	require.Equal(t, "INVALID_CURSOR", codeOf(b.errorsOf(t, `{ emails(filter: {query: "Report"}, after: "x") { totalCount } }`, b.asAlice)[0]))

	var ev struct {
		Events struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct{ Title string }
			}
		}
	}
	b.c.MustPost(`{ events(filter: {query: "Meeting 2", attendees: ["ayse@example.com"]}) { totalCount edges { cursor node { title } } } }`, &ev, b.asAlice)
	require.Equal(t, 1, ev.Events.TotalCount)
	require.Equal(t, "Meeting 2", ev.Events.Edges[0].Node.Title)
	require.Equal(t, "1", ev.Events.Edges[0].Cursor)
	require.Equal(t, []domain.Service{domain.ServiceCalendar}, b.searcher.lastRequest().Services)

	var files struct {
		Files struct {
			TotalCount int
			Edges      []struct{ Node struct{ Name string } }
		}
	}
	b.c.MustPost(`{ files(filter: {query: "doc", mimeTypes: ["text/plain"]}) { totalCount edges { node { name } } } }`, &files, b.asAlice)
	require.Zero(t, files.Files.TotalCount)
	b.c.MustPost(`{ files(filter: {query: "doc", after: "`+testNow.Add(-90*time.Minute).Format(time.RFC3339)+`"}) { totalCount edges { node { name } } } }`, &files, b.asAlice)
	require.Equal(t, 2, files.Files.TotalCount) // modified now and an hour ago
	require.Equal(t, []domain.Service{domain.ServiceDrive}, b.searcher.lastRequest().Services)
}
