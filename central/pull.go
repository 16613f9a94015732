package central

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// Pull returns the changes for the calling device after cursor, in server
// sequence order, at most limit (DefaultPullLimit when 0).
func (s *Service) Pull(ctx context.Context, p Principal, cursor string, limit int) (*api.PullResponse, error) {
	if p.Device == nil {
		return nil, forbidden()
	}
	var after int64
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n < 0 {
			return nil, Errorf(EINVALID, "the cursor is not one this server gave")
		}
		after = n
	}
	if limit <= 0 || limit > DefaultPullLimit {
		limit = DefaultPullLimit
	}
	var list []Change
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		list, err = tx.Changes(ctx, p.Device.ID, p.Device.Team, after, limit+1)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pull: %w", err)
	}
	resp := &api.PullResponse{Changes: make([]api.Change, 0, len(list)), Cursor: cursor}
	if len(list) > limit {
		list, resp.More = list[:limit], true
	}
	for _, c := range list {
		b := c.Body
		b.Seq = c.Seq
		resp.Changes = append(resp.Changes, b)
		resp.Cursor = strconv.FormatInt(c.Seq, 10)
	}
	if len(list) == 0 {
		return resp, nil // nothing read: no record for an idle device's poll
	}
	return resp, s.auditRead(ctx, p, "pull", map[string]any{"changes": len(list), "cursor": resp.Cursor})
}

func changeChecklist(ref forms.Ref, at time.Time) api.Change {
	return api.Change{Kind: api.KindChecklist, Text: ref.String(), At: at}
}
