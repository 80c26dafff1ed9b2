package emulator_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
)

// post sends v as JSON to the admin path and decodes the answer into out.
func post(t *testing.T, b bundle, method, path string, v, out any) int {
	t.Helper()
	body, err := json.Marshal(v)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(b.ctx, method, b.hs.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(res.Body).Decode(out))
	}
	return res.StatusCode
}

func TestAdminEndpoints(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, emulator.Workspace{})
	ws := emulator.Workspace{
		Messages: []emulator.Message{emulatortest.Mail("bob@example.com", alice, "via admin", "hello", base, "INBOX")},
		Events:   []emulator.Event{emulatortest.Event("admin event", base, time.Hour)},
		Files:    []emulator.File{emulatortest.Doc("admin doc", "text", base)},
	}
	require.Equal(t, 200, post(t, b, "POST", "/emulator/users/"+alice+"/workspace", ws, nil))

	var snap emulator.Workspace
	require.Equal(t, 200, post(t, b, "GET", "/emulator/users/"+alice+"/workspace", nil, &snap))
	require.Len(t, snap.Messages, 1)
	require.Len(t, snap.Messages[0].MessageIDs, 1)
	require.True(t, strings.HasSuffix(snap.Messages[0].MessageIDs[0], "@emulatortest>"))
	require.Len(t, snap.Events, 1)
	require.Len(t, snap.Files, 1)

	require.Equal(t, 200, post(t, b, "POST", "/emulator/users/"+alice+"/ops", emulator.Op{Op: "trashMessage", ID: snap.Messages[0].ID}, nil))
	require.Equal(t, 200, post(t, b, "POST", "/emulator/users/"+alice+"/ops", emulator.Op{Op: "deleteEvent", ID: snap.Events[0].ID}, nil))
	require.Equal(t, 200, post(t, b, "POST", "/emulator/users/"+alice+"/ops", emulator.Op{Op: "renameFile", ID: snap.Files[0].ID, Name: "renamed"}, nil))
	require.Equal(t, 404, post(t, b, "POST", "/emulator/users/"+alice+"/ops", emulator.Op{Op: "deleteEvent", ID: snap.Events[0].ID}, nil))
	require.Equal(t, 400, post(t, b, "POST", "/emulator/users/"+alice+"/ops", emulator.Op{Op: "explode"}, nil))
	require.Equal(t, 404, post(t, b, "POST", "/emulator/users/nobody@example.com/ops", emulator.Op{Op: "resetHistory"}, nil))

	require.NoError(t, b.srv.AddWorkspace(alice, emulator.Workspace{}))
	after, err := b.srv.Snapshot(alice)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"TRASH"}, after.Messages[0].LabelIDs)
	require.Empty(t, after.Events)
	require.Equal(t, "renamed", after.Files[0].Name)

	var tok map[string]string
	require.Equal(t, 200, post(t, b, "POST", "/emulator/users/zed@example.com/token", nil, &tok))
	require.NotEmpty(t, tok["access_token"])
	var users []string
	require.Equal(t, 200, post(t, b, "GET", "/emulator/users", nil, &users))
	require.Equal(t, []string{alice, "zed@example.com"}, users)

	require.Equal(t, 200, post(t, b, "POST", "/emulator/faults", emulator.FaultSpec{PathPrefix: "/gmail/", Status: 503, Count: 1}, nil))
	_, err = b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	apiErr(t, err, 503)
	require.Equal(t, 200, post(t, b, "POST", "/emulator/faults", emulator.FaultSpec{Status: 500}, nil))
	require.Equal(t, 200, post(t, b, "DELETE", "/emulator/faults", nil, nil))
	_, err = b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	require.NoError(t, err)
}
