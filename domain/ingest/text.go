package ingest

import (
	"strings"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// EmailText is what an email's embedding is computed from: subject, sender, body.
func EmailText(e domain.Email) string {
	return join(e.Subject, e.From.Name+" "+e.From.Email, e.Body)
}

// EventText is what an event's embedding is computed from: title, attendees, description.
func EventText(e domain.Event) string {
	names := make([]string, 0, len(e.Attendees))
	for _, a := range e.Attendees {
		names = append(names, strings.TrimSpace(a.Name+" "+a.Email))
	}
	return join(e.Title, strings.Join(names, ", "), e.Description)
}

// FileText is what a file's embedding is computed from: name and content.
func FileText(f domain.File) string {
	return join(f.Name, f.Content)
}

func join(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(p)
	}
	return b.String()
}
