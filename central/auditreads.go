package central

import (
	"context"
	"fmt"
)

// auditRead records a read of child data or of who can see it (the pull
// feed, the review queue, alerts, the administrators' lists) in its own
// short transaction after the read.
func (s *Service) auditRead(ctx context.Context, p Principal, action string, detail map[string]any) error {
	if err := s.store.Update(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, p, action, "", 0, detail)
	}); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return nil
}
