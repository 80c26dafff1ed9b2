package intent

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSplitRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q    string
		want []part
	}{
		{"share the runbook with ops@example.net and add a 'Runbook walkthrough' to my calendar on Monday at 2pm",
			[]part{{text: "share the runbook with ops@example.net"}, {text: "add a 'Runbook walkthrough' to my calendar on Monday at 2pm"}}},
		{"look up the hiring plan and mail it to ann@example.org",
			[]part{{text: "look up the hiring plan"}, {text: "mail it to ann@example.org", chained: true}}},
		{"list unread mail from Ken and my meetings on Thursday",
			[]part{{text: "list unread mail from Ken"}, {text: "list my meetings on Thursday"}}},
		// One request: a list of services, a list of people, one message.
		{"search my drive and calendar for notes on pod density", []part{{text: "search my drive and calendar for notes on pod density"}}},
		{"mail from Ken about the merger and my calls with him", []part{{text: "mail from Ken about the merger and my calls with him"}}},
		{"when is the next SIG Apps call and what time", []part{{text: "when is the next SIG Apps call and what time"}}},
		{"emails from Ken and Sarah about the merger", []part{{text: "emails from Ken and Sarah about the merger"}}},
		{"email Bob saying the demo moved and ask him to tell the team", []part{{text: "email Bob saying the demo moved and ask him to tell the team"}}},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, splitRequests(tt.q), tt.q)
	}
}
