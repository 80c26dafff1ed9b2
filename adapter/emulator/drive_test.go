package emulator_test

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	drive "google.golang.org/api/drive/v3"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
)

func docs() emulator.Workspace {
	return emulator.Workspace{Files: []emulator.File{
		emulatortest.Doc("KEP-1234 Sidecars", "Sidecar containers start before the main container.", base, "KEPs"),
		emulatortest.Doc("KEP-2000 Gateway", "The gateway API replaces ingress.", base.Add(time.Hour), "KEPs"),
		emulatortest.TextFile("notes.txt", "remember the milk", base.Add(2*time.Hour)),
		emulatortest.Doc("Roadmap", "Sidecars ship in 1.29.", base.Add(3*time.Hour)),
	}}
}

func listFiles(t *testing.T, b bundle, q string) []*drive.File {
	t.Helper()
	var out []*drive.File
	require.NoError(t, b.dr.Files.List().Q(q).PageSize(2).OrderBy("name").
		Fields("nextPageToken, files(id, name, mimeType, modifiedTime, parents, trashed)").
		Pages(b.ctx, func(r *drive.FileList) error {
			out = append(out, r.Files...)
			return nil
		}))
	return out
}

func names(files []*drive.File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Name
	}
	return out
}

func TestDriveFilesListQueries(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, docs())
	folders := listFiles(t, b, "mimeType = 'application/vnd.google-apps.folder'")
	require.Equal(t, []string{"KEPs"}, names(folders))
	cases := map[string][]string{
		"":                                   {"KEP-1234 Sidecars", "KEP-2000 Gateway", "KEPs", "notes.txt", "Roadmap"},
		"name contains 'kep-'":               {"KEP-1234 Sidecars", "KEP-2000 Gateway"},
		"fullText contains 'sidecar'":        {"KEP-1234 Sidecars", "Roadmap"},
		"'" + folders[0].Id + "' in parents": {"KEP-1234 Sidecars", "KEP-2000 Gateway"},
		"'root' in parents and mimeType != 'application/vnd.google-apps.folder'":                                                       {"notes.txt", "Roadmap"},
		"mimeType = 'application/vnd.google-apps.document' and modifiedTime > '" + base.Add(30*time.Minute).Format(time.RFC3339) + "'": {"KEP-2000 Gateway", "Roadmap"},
		"trashed = false and name = 'notes.txt'":                                                                                       {"notes.txt"},
	}
	for q, want := range cases {
		require.Equal(t, want, names(listFiles(t, b, q)), q)
	}
	_, err := b.dr.Files.List().Q("starred = true or name = 'x'").Context(b.ctx).Do()
	apiErr(t, err, 400)
}

func TestDriveGetMediaAndExport(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, docs())
	notes := listFiles(t, b, "name = 'notes.txt'")[0]
	res, err := b.dr.Files.Get(notes.Id).Download()
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, "remember the milk", string(body))

	meta, err := b.dr.Files.Get(notes.Id).Fields("*").Context(b.ctx).Do()
	require.NoError(t, err)
	require.EqualValues(t, len("remember the milk"), meta.Size)
	require.Equal(t, alice, meta.Owners[0].EmailAddress)

	doc := listFiles(t, b, "name = 'Roadmap'")[0]
	res, err = b.dr.Files.Export(doc.Id, "text/plain").Download()
	require.NoError(t, err)
	body, err = io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, "Sidecars ship in 1.29.", string(body))

	_, err = b.dr.Files.Get(doc.Id).Download()
	apiErr(t, err, 403)
	_, err = b.dr.Files.Export(notes.Id, "text/plain").Download()
	apiErr(t, err, 403)
	_, err = b.dr.Files.Get("missing").Context(b.ctx).Do()
	apiErr(t, err, 404)
}

func changesSince(t *testing.T, b bundle, token string) ([]*drive.Change, string) {
	t.Helper()
	var out []*drive.Change
	for {
		r, err := b.dr.Changes.List(token).PageSize(1).
			Fields("nextPageToken,newStartPageToken,changes(fileId,removed,file(id,name,trashed,modifiedTime))").Context(b.ctx).Do()
		require.NoError(t, err)
		out = append(out, r.Changes...)
		if r.NewStartPageToken != "" {
			require.Empty(t, r.NextPageToken)
			return out, r.NewStartPageToken
		}
		token = r.NextPageToken
	}
}

func TestDriveChangesList(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, docs())
	start, err := b.dr.Changes.GetStartPageToken().Context(b.ctx).Do()
	require.NoError(t, err)
	none, same := changesSince(t, b, start.StartPageToken)
	require.Empty(t, none)
	require.Equal(t, start.StartPageToken, same)

	roadmap := listFiles(t, b, "name = 'Roadmap'")[0]
	notes := listFiles(t, b, "name = 'notes.txt'")[0]
	gateway := listFiles(t, b, "name contains 'Gateway'")[0]
	require.NoError(t, b.srv.RenameFile(alice, roadmap.Id, "Roadmap 2026"))
	require.NoError(t, b.srv.TrashFile(alice, notes.Id))
	require.NoError(t, b.srv.DeleteFile(alice, gateway.Id))
	require.NoError(t, b.srv.AddWorkspace(alice, emulator.Workspace{Files: []emulator.File{
		emulatortest.Doc("New doc", "fresh", base.Add(4*time.Hour))}}))

	changes, next := changesSince(t, b, start.StartPageToken)
	require.Len(t, changes, 4)
	require.Equal(t, "Roadmap 2026", changes[0].File.Name)
	require.True(t, changes[1].File.Trashed)
	require.True(t, changes[2].Removed)
	require.Nil(t, changes[2].File)
	require.Equal(t, gateway.Id, changes[2].FileId)
	require.Equal(t, "New doc", changes[3].File.Name)

	later, _ := changesSince(t, b, next)
	require.Empty(t, later)
	require.NotContains(t, names(listFiles(t, b, "")), "KEP-2000 Gateway")
	require.Equal(t, []string{"KEP-1234 Sidecars", "KEPs", "New doc", "Roadmap 2026"}, names(listFiles(t, b, "trashed = false")))

	_, err = b.dr.Changes.List("not-a-token").Context(b.ctx).Do()
	apiErr(t, err, 400)
}

func TestDriveAnswersRequestedFieldsOnly(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, docs())
	list, err := b.dr.Files.List().Q("name = 'Roadmap'").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Len(t, list.Files, 1)
	f := list.Files[0]
	require.NotEmpty(t, f.Id)
	require.Equal(t, emulator.MimeGoogleDoc, f.MimeType)
	require.Empty(t, f.ModifiedTime, "Drive's default field set has no modifiedTime")
	require.Empty(t, f.Parents)

	got, err := b.dr.Files.Get(f.Id).Fields("id, modifiedTime, owners/emailAddress").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Empty(t, got.Name)
	require.Equal(t, base.Add(3*time.Hour).Format("2006-01-02T15:04:05.000Z"), got.ModifiedTime)
	require.Equal(t, alice, got.Owners[0].EmailAddress)
	require.False(t, got.Owners[0].Me)

	paths, err := b.dr.Files.List().Q("name = 'Roadmap'").Fields("files/name").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "Roadmap", paths.Files[0].Name)
	require.Empty(t, paths.Files[0].Id)

	_, err = b.dr.Files.Get(f.Id).Fields("id,(").Context(b.ctx).Do()
	apiErr(t, err, 400)
}

func TestDrivePermissions(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, docs())
	doc := listFiles(t, b, "name = 'Roadmap'")[0]
	p, err := b.dr.Permissions.Create(doc.Id, &drive.Permission{Type: "user", Role: "writer", EmailAddress: "bob@example.com"}).
		SendNotificationEmail(false).Context(b.ctx).Do()
	require.NoError(t, err)
	require.NotEmpty(t, p.Id)
	list, err := b.dr.Permissions.List(doc.Id).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Len(t, list.Permissions, 2)
	require.Equal(t, "owner", list.Permissions[0].Role)
	require.Equal(t, "bob@example.com", list.Permissions[1].EmailAddress)
	_, err = b.dr.Permissions.Create(doc.Id, &drive.Permission{Type: "user", Role: "boss", EmailAddress: "x@example.com"}).Context(b.ctx).Do()
	apiErr(t, err, 400)
}
