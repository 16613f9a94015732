package central

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// CodeOfficerNotSignedIn starts the reason of a pushed item refused
// because its officer has not signed in on the pushing device.
const CodeOfficerNotSignedIn = "officer_not_signed_in"

// officerBinder is a transaction that records which officers signed in on
// which device (package sqlstore's Tx is one).
type officerBinder interface {
	BindOfficer(ctx context.Context, deviceID, officerID string, at time.Time) error
	DeviceOfficers(ctx context.Context, deviceID string) ([]string, error)
}

// bindOfficer records a device sign-in: from now on the device may file
// entries for this officer.
func (s *Service) bindOfficer(ctx context.Context, tx Tx, deviceID, officerID string) error {
	b, ok := tx.(officerBinder)
	if !ok {
		return fmt.Errorf("bind officer: this store cannot record device sign-ins")
	}
	return b.BindOfficer(ctx, deviceID, officerID, s.now())
}

// checkBinding marks every item whose officer has not signed in on the
// device as refused (retryable: it goes through once the officer signs in
// there). A revision already stored is still acknowledged as a duplicate.
func (s *Service) checkBinding(ctx context.Context, p Principal, items []prepared) error {
	if !s.cfg.OfficerBinding {
		return nil
	}
	var bound []string
	err := s.store.View(ctx, func(tx Tx) error {
		b, ok := tx.(officerBinder)
		if !ok {
			return fmt.Errorf("this store cannot record device sign-ins")
		}
		var err error
		bound, err = b.DeviceOfficers(ctx, p.Device.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("device officers: %w", err)
	}
	for i := range items {
		it := &items[i]
		if it.entry == nil || it.outcome != nil || slices.Contains(bound, it.entry.Officer) {
			continue
		}
		if it.refusal == nil {
			it.refusal = reject(it.item, false, CodeOfficerNotSignedIn+": this entry's officer has not signed in on this device; "+
				"entries are accepted only for an officer signed in on the device that sends them (sign in, then send again)")
		}
	}
	return nil
}
