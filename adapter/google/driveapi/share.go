package driveapi

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"google.golang.org/api/drive/v3"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/gclient"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Permissions lists who a file is shared with.
func (d *Drive) Permissions(ctx context.Context, userID uuid.UUID, fileID string) ([]domain.Permission, error) {
	s, err := d.service(ctx, userID)
	if err != nil {
		return nil, err
	}
	return permissions(ctx, s, fileID)
}

// Share grants email the role on a file, unless that grant exists already
// (a retry), in which case the existing one is returned. Nothing cached
// changes: the cache keeps no permissions.
func (d *Drive) Share(ctx context.Context, userID uuid.UUID, fileID, email, role string) (domain.Permission, error) {
	switch role {
	case "reader", "commenter", "writer":
	default:
		return domain.Permission{}, fmt.Errorf("share %s: role %q: want reader, commenter or writer: %w", fileID, role, domain.ErrInvalidInput)
	}
	s, err := d.service(ctx, userID)
	if err != nil {
		return domain.Permission{}, err
	}
	existing, err := permissions(ctx, s, fileID)
	if err != nil {
		return domain.Permission{}, err
	}
	for _, p := range existing {
		if strings.EqualFold(p.Email, email) && p.Role == role {
			return p, nil
		}
	}
	p, err := s.Permissions.Create(fileID, &drive.Permission{Type: "user", Role: role, EmailAddress: email}).
		SendNotificationEmail(d.cfg.Notify).Fields("id,emailAddress,role").Context(ctx).Do()
	if err != nil {
		return domain.Permission{}, gclient.Err(err, "drive permissions.create on "+fileID)
	}
	return toPermission(p), nil
}

func permissions(ctx context.Context, s *drive.Service, fileID string) ([]domain.Permission, error) {
	var out []domain.Permission
	err := s.Permissions.List(fileID).Fields("nextPageToken,permissions(id,emailAddress,role)").Context(ctx).
		Pages(ctx, func(r *drive.PermissionList) error {
			for _, p := range r.Permissions {
				out = append(out, toPermission(p))
			}
			return nil
		})
	if err != nil {
		return nil, gclient.Err(err, "drive permissions.list on "+fileID)
	}
	return out, nil
}

func toPermission(p *drive.Permission) domain.Permission {
	return domain.Permission{ID: p.Id, Email: strings.ToLower(p.EmailAddress), Role: p.Role}
}
