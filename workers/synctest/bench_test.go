package synctest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
	"github.com/workspace-orchestrator/orchestrator/demo"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

const demoUser = "demo@example.com"

var demoWorkspace = sync.OnceValues(func() (emulator.Workspace, error) {
	return demo.Workspace(demo.Options{Shift: true})
})

// syncAll syncs the three services side by side, as three River jobs would,
// and returns how long each took.
func (e *env) syncAll(b testing.TB, u domain.User) map[domain.Service]time.Duration {
	var wg sync.WaitGroup
	errs := make([]error, len(domain.Services))
	took := make([]time.Duration, len(domain.Services))
	for i, s := range domain.Services {
		wg.Go(func() {
			t0 := time.Now()
			errs[i] = e.syncer.Sync(context.Background(), u.ID, s)
			took[i] = time.Since(t0)
		})
	}
	wg.Wait()
	out := map[domain.Service]time.Duration{}
	for i, err := range errs {
		require.NoError(b, err, domain.Services[i])
		out[domain.Services[i]] = took[i]
	}
	return out
}

// reportServices reports the mean time each service's sync took.
func reportServices(b *testing.B, total map[domain.Service]time.Duration, n int) {
	for s, d := range total {
		b.ReportMetric(d.Seconds()/float64(n), string(s)+"-s/op")
	}
}

func (e *env) count(b testing.TB, u domain.User) (mails, events, files int) {
	ctx, one := context.Background(), domain.Page{First: 1}
	_, mi, err := e.store.Emails(ctx, u.ID, domain.Filter{}, one)
	require.NoError(b, err)
	_, ei, err := e.store.Events(ctx, u.ID, domain.Filter{}, one)
	require.NoError(b, err)
	_, fi, err := e.store.Files(ctx, u.ID, domain.Filter{}, one)
	require.NoError(b, err)
	return mi.TotalCount, ei.TotalCount, fi.TotalCount
}

// BenchmarkFullSyncDemo: a first sync of the whole demo workspace through
// the Google clients and the emulator into PostgreSQL, embeddings included.
// Each iteration starts from an empty schema and a fresh emulator.
func BenchmarkFullSyncDemo(b *testing.B) {
	ws, err := demoWorkspace()
	require.NoError(b, err)
	var mails, events, files, n int
	total := map[domain.Service]time.Duration{}
	for b.Loop() {
		b.StopTimer()
		e := setup(b, options{workspace: map[string]emulator.Workspace{demoUser: ws}})
		u := e.connect(b, demoUser)
		b.StartTimer()
		for s, d := range e.syncAll(b, u) {
			total[s] += d
		}
		n++
		b.StopTimer()
		mails, events, files = e.count(b, u)
		b.StartTimer()
	}
	reportServices(b, total, n)
	b.ReportMetric(float64(mails), "emails")
	b.ReportMetric(float64(events), "events")
	b.ReportMetric(float64(files), "files")
	require.Equal(b, len(ws.Files), files)
}

// BenchmarkIncrementalSync100: after a full sync, 100 changes (40 new mails,
// 30 relabelled, 10 new events, 10 cancelled, 10 renamed files) are synced.
func BenchmarkIncrementalSync100(b *testing.B) {
	ws, err := demoWorkspace()
	require.NoError(b, err)
	e := setup(b, options{workspace: map[string]emulator.Workspace{demoUser: ws}})
	u := e.connect(b, demoUser)
	e.syncAll(b, u)
	snap, err := e.emu.Snapshot(demoUser)
	require.NoError(b, err)
	round := 0
	total := map[domain.Service]time.Duration{}
	for b.Loop() {
		b.StopTimer()
		round++
		var add emulator.Workspace
		for i := range 40 {
			add.Messages = append(add.Messages, emulatortest.Mail("news@example.com", demoUser,
				fmt.Sprintf("Update %d-%d", round, i), "Quarterly numbers and the plan for next week.", demo.Now(), "INBOX", "UNREAD"))
		}
		for i := range 10 {
			add.Events = append(add.Events, emulatortest.Event(fmt.Sprintf("Sync %d-%d", round, i),
				demo.Now().Add(time.Duration(i)*time.Hour), 30*time.Minute, "bob@example.com"))
		}
		require.NoError(b, e.emu.AddWorkspace(demoUser, add))
		for i := range 30 {
			m := snap.Messages[(round*30+i)%len(snap.Messages)]
			require.NoError(b, e.emu.ModifyLabels(demoUser, m.ID, []string{"STARRED"}, nil))
		}
		for i := range 10 {
			ev := snap.Events[round*10+i]
			require.NoError(b, e.emu.DeleteEvent(demoUser, ev.ID))
			f := snap.Files[(round*10+i)%len(snap.Files)]
			require.NoError(b, e.emu.RenameFile(demoUser, f.ID, fmt.Sprintf("%s (rev %d)", f.Name, round)))
		}
		b.StartTimer()
		for s, d := range e.syncAll(b, u) {
			total[s] += d
		}
	}
	reportServices(b, total, round)
}
