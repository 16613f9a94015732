package central

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// trainingResultsPage is how many entries one store read lists.
const trainingResultsPage = 500

// TrainingResults lists the practice checks of the trainer's classes (the
// trainer's teams), oldest first, with their current documents. Only
// training entries are read; the read is audited.
func (s *Service) TrainingResults(ctx context.Context, p Principal) (*api.TrainingResults, error) {
	u, err := reviewer(p, Training)
	if err != nil {
		return nil, err
	}
	out := &api.TrainingResults{Entries: []api.TrainingEntry{}}
	err = s.store.Update(ctx, func(tx Tx) error {
		names := map[string]string{}
		f := EntryFilter{Training: true, Teams: u.Teams, Limit: trainingResultsPage}
		if f.Teams == nil {
			f.Teams = []string{}
		}
		for {
			list, err := tx.ListEntries(ctx, f)
			if err != nil {
				return err
			}
			for _, ent := range list {
				if !ent.Training {
					continue // never, but a live entry must not leak here
				}
				rev, err := tx.Revision(ctx, ent.ID, ent.Revision)
				if err != nil {
					return err
				}
				e, err := forms.DecodeEntry(rev.Body)
				if err != nil {
					return fmt.Errorf("entry %s: %w", ent.ID, err)
				}
				name, ok := names[ent.Officer]
				if !ok {
					if usr, err := tx.UserByID(ctx, ent.Officer); err == nil {
						name = usr.Name
					}
					names[ent.Officer] = name
				}
				out.Entries = append(out.Entries, api.TrainingEntry{EntryID: ent.ID, Officer: ent.Officer, OfficerName: name,
					Team: ent.Team, Status: ent.Status, Grade: ent.Grade.String(), Revision: ent.Revision, Receipt: ent.Receipt,
					Started: e.Started, Submitted: ent.FirstReceived, Entry: json.RawMessage(rev.Body)})
			}
			if len(list) < f.Limit {
				break
			}
			last := list[len(list)-1]
			f.AfterReceived, f.AfterID = last.FirstReceived, last.ID
		}
		return s.audit(ctx, tx, p, "training.results", "", 0, map[string]any{"entries": len(out.Entries)})
	})
	if err != nil {
		return nil, fmt.Errorf("training results: %w", err)
	}
	return out, nil
}
