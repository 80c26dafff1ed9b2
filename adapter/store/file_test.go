package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func testFile(id string, modified time.Time) domain.File {
	return domain.File{
		FileID:      id,
		Name:        "Plan " + id,
		MimeType:    "application/vnd.google-apps.document",
		Content:     "The plan.",
		Preview:     "The plan.",
		Owners:      []string{"ada@example.com"},
		Properties:  map[string]string{"kep": "KEP-12"},
		WebViewLink: "https://docs.example/" + id,
		ModifiedAt:  modified,
	}
}

func TestFiles(t *testing.T) {
	t.Parallel()
	f := setup(t)
	day := func(d int) time.Time { return time.Date(2026, 1, d, 8, 0, 0, 0, time.UTC) }
	sheet := testFile("sheet", day(3))
	sheet.MimeType = "application/vnd.google-apps.spreadsheet"
	sheet.Owners = []string{"Grace@navy.example"}
	sheet.ParentFolder = "SIG-Apps"
	pdf := testFile("pdf", day(5))
	pdf.MimeType, pdf.Properties = "application/pdf", nil
	require.NoError(t, f.store.UpsertFiles(f.ctx, f.user.ID, []domain.File{testFile("doc", day(1)), sheet, pdf}))

	list, info, err := f.store.Files(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Equal(t, 3, info.TotalCount)
	require.Equal(t, []string{"pdf", "sheet", "doc"}, fileKeys(list), "most recently modified first")

	got, err := f.store.File(f.ctx, f.user.ID, list[2].ID)
	require.NoError(t, err)
	want := testFile("doc", day(1))
	require.Equal(t, want.Properties, got.Properties)
	require.Equal(t, want.Owners, got.Owners)
	require.Equal(t, want.WebViewLink, got.WebViewLink)
	require.Equal(t, want.Content, got.Content)
	require.Equal(t, want.Preview, got.Preview)
	_, err = f.store.File(f.ctx, f.other.ID, got.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)

	for _, c := range []struct {
		name   string
		filter domain.Filter
		want   []string
	}{
		{"mime types", domain.Filter{MimeTypes: []string{"application/pdf", "application/vnd.google-apps.spreadsheet"}}, []string{"pdf", "sheet"}},
		{"owner", domain.Filter{Owners: []string{"grace@navy.example"}}, []string{"sheet"}},
		{"folder in any case", domain.Filter{Folders: []string{"sig-apps"}}, []string{"sheet"}},
		{"modified after", domain.Filter{After: day(3)}, []string{"pdf", "sheet"}},
		{"modified before", domain.Filter{Before: day(3)}, []string{"doc"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, info, err := f.store.Files(f.ctx, f.user.ID, c.filter, domain.Page{})
			require.NoError(t, err)
			require.Equal(t, c.want, fileKeys(list))
			require.Equal(t, len(c.want), info.TotalCount)
		})
	}

	folders, owners, err := store.NewSearch(f.db).Directory(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"SIG-Apps"}, folders)
	require.Equal(t, []string{"ada@example.com", "grace@navy.example"}, owners, "each once, in lower case")

	require.NoError(t, f.store.DeleteFiles(f.ctx, f.user.ID, []string{"pdf"}))
	list, _, err = f.store.Files(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Equal(t, []string{"sheet", "doc"}, fileKeys(list))
}

func fileKeys(fs []domain.File) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.FileID)
	}
	return out
}
