package orchestrator

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// degraded says, for the answer's end, which of the services the request
// read could not be kept in sync, so the person knows the results are as of
// the last successful sync: "Drive is unreachable right now; results are
// from the last sync at 10:42." "" when every one is in step (or there are
// no sync statuses to read).
func (o *Orchestrator) degraded(ctx context.Context, userID uuid.UUID, in intent.Intent, loc *time.Location) string {
	if o.d.SyncStatuses == nil {
		return ""
	}
	var services []domain.Service
	for _, s := range in.Steps {
		if !slices.Contains(services, s.Service) {
			services = append(services, s.Service)
		}
	}
	if len(services) == 0 {
		return ""
	}
	sts, err := o.d.SyncStatuses.SyncStatuses(ctx, userID)
	if err != nil {
		o.log.WarnContext(ctx, "sync statuses for the answer", "err", err)
		return ""
	}
	var notes []string
	for _, st := range sts {
		if !slices.Contains(services, st.Service) {
			continue
		}
		var why string
		switch st.State {
		case domain.SyncFailed:
			why = "is unreachable right now"
		case domain.SyncRateLimited:
			why = "is asking us to slow down"
		case domain.SyncReauth:
			why = "needs your Google account connected again"
		default:
			continue
		}
		since := "it has not been synced yet"
		if !st.LastSyncAt.IsZero() {
			since = "results are from the last sync at " + syncTime(st.LastSyncAt.In(loc), o.clock.Now().In(loc))
		}
		notes = append(notes, fmt.Sprintf("%s %s; %s.", serviceNames[st.Service], why, since))
	}
	return strings.Join(notes, " ")
}

// serviceNames are the services as people name them.
var serviceNames = map[domain.Service]string{domain.ServiceGmail: "Gmail", domain.ServiceCalendar: "Calendar", domain.ServiceDrive: "Drive"}

// syncTime is a clock time today, with the date before.
func syncTime(t, now time.Time) string {
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}
