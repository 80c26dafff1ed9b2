package intent

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLetterWritesThePurposeToTheReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q, subject, body string
	}{
		{"write to Ann asking her to send the slides by Monday", "Send the slides by Monday", "Could you send the slides by Monday?"},
		{"mail the team inviting them to the retro on Friday", "Invitation to the retro on Friday", "I'd like to invite you to the retro on Friday."},
		{"a note to ops@example.net apologising for the delay", "Apologies for the delay", "I'm sorry for the delay."},
		{"send Ann a message thanking her for her help with the audit", "Thank you for your help with the audit", "Thank you for your help with the audit."},
		{"message Ann to follow up on the vendor contract", "Following up on the vendor contract", "I'm following up on the vendor contract."},
		{"remind Ann that the forms are due", "Reminder: the forms are due", "A quick reminder that the forms are due."},
	}
	for _, tt := range tests {
		subj, body, ok := letter(tt.q, []string{"Ann"})
		require.True(t, ok, tt.q)
		require.Equal(t, tt.subject, subj, tt.q)
		require.Equal(t, tt.body, body, tt.q)
	}
	for _, q := range []string{"email Ann about the offer letter", "draft a note to Ann about the confirmation numbers", "email Ann"} {
		_, _, ok := letter(q, []string{"Ann"})
		require.False(t, ok, "no purpose in %q", q)
	}
}
