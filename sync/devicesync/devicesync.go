// Package devicesync connects the sync engine (sync/client) to the device
// store (devicestore). The two packages are siblings that do not import
// each other; this adapter translates between their types, and main wires
// it.
package devicesync

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/sync/client"
)

// Adapter makes a *devicestore.Store the engine's Outbox, Uploads and
// Inbox.
type Adapter struct {
	Store *devicestore.Store
}

var (
	_ client.Outbox  = Adapter{}
	_ client.Uploads = Adapter{}
	_ client.Inbox   = Adapter{}
)

// NextBatch implements client.Outbox.
func (a Adapter) NextBatch(now time.Time, maxItems int, maxBytes int64) ([]client.Item, error) {
	return clientItems(a.Store.NextBatch(now, maxItems, maxBytes))
}

// clientItems is the store's batch as the engine's items (ErrLocked as
// client.ErrNotNow).
func clientItems(items []devicestore.OutboxItem, err error) ([]client.Item, error) {
	if errors.Is(err, devicestore.ErrLocked) {
		return nil, client.ErrNotNow
	}
	if err != nil {
		return nil, err
	}
	out := make([]client.Item, len(items))
	for i, it := range items {
		out[i] = client.Item{EntryID: it.EntryID, Revision: it.Revision, Hash: it.Hash, Payload: it.Payload,
			Grade: it.Grade.String(), Immediate: it.Immediate}
	}
	return out, nil
}

// Acknowledge implements client.Outbox.
func (a Adapter) Acknowledge(results []client.Result) error {
	acks, err := storeAcks(results)
	if err != nil {
		return err
	}
	return a.Store.Acknowledge(acks)
}

// AcknowledgeAndNext implements client.AckingOutbox: the answers and the
// next batch's lease in one store transaction.
func (a Adapter) AcknowledgeAndNext(results []client.Result, now time.Time, maxItems int, maxBytes int64) ([]client.Item, error) {
	acks, err := storeAcks(results)
	if err != nil {
		return nil, err
	}
	items, err := a.Store.AcknowledgeAndNext(acks, now, maxItems, maxBytes)
	return clientItems(items, err)
}

func storeAcks(results []client.Result) ([]devicestore.Ack, error) {
	acks := make([]devicestore.Ack, len(results))
	for i, r := range results {
		o, err := outcome(r.Outcome)
		if err != nil {
			return nil, fmt.Errorf("acknowledge %s revision %d: %w", r.EntryID, r.Revision, err)
		}
		acks[i] = devicestore.Ack{EntryID: r.EntryID, Revision: r.Revision, Outcome: o,
			Receipt: r.Receipt, Reason: r.Reason, Permanent: r.Permanent}
	}
	return acks, nil
}

// outcome maps the engine's outcome to the store's.
func outcome(o client.Outcome) (devicestore.Outcome, error) {
	switch o {
	case client.Accepted:
		return devicestore.OutcomeAccepted, nil
	case client.Duplicate:
		return devicestore.OutcomeDuplicate, nil
	case client.Conflict:
		return devicestore.OutcomeConflict, nil
	case client.Rejected:
		return devicestore.OutcomeRejected, nil
	}
	return "", fmt.Errorf("%w: unknown outcome %q", devicestore.ErrInvalid, o)
}

// decision maps a wire decision to the store's (false for one this app
// does not know).
func decision(d api.Decision) (devicestore.Decision, bool) {
	switch d {
	case api.DecisionApproved:
		return devicestore.DecisionApproved, true
	case api.DecisionReturned:
		return devicestore.DecisionReturned, true
	}
	return "", false
}

// Defer implements client.Outbox.
func (a Adapter) Defer(entryID string, revision int, problem string, next time.Time) error {
	return a.Store.Defer(entryID, revision, problem, next)
}

// PendingUploads implements client.Uploads.
func (a Adapter) PendingUploads(now time.Time, max int) ([]client.Upload, error) {
	ups, err := a.Store.PendingUploads(now, max)
	if errors.Is(err, devicestore.ErrLocked) {
		return nil, client.ErrNotNow
	}
	if err != nil {
		return nil, err
	}
	out := make([]client.Upload, len(ups))
	for i, u := range ups {
		out[i] = client.Upload{SHA256: u.SHA256, Size: u.Size, MediaType: u.MediaType, Offset: u.Offset, EntryIDs: u.EntryIDs}
	}
	return out, nil
}

// OpenUpload implements client.Uploads.
func (a Adapter) OpenUpload(sha string) (io.ReadSeekCloser, error) { return a.Store.OpenUpload(sha) }

// SetUploadOffset implements client.Uploads.
func (a Adapter) SetUploadOffset(sha string, offset int64) error {
	return a.Store.SetUploadOffset(sha, offset)
}

// MarkUploaded implements client.Uploads.
func (a Adapter) MarkUploaded(sha string) error { return a.Store.MarkUploaded(sha) }

// DeferUpload implements client.Uploads.
func (a Adapter) DeferUpload(sha, problem string, next time.Time) error {
	return a.Store.DeferUpload(sha, problem, next)
}

// RejectUpload implements client.Uploads.
func (a Adapter) RejectUpload(sha, reason string) error { return a.Store.RejectUpload(sha, reason) }

// Cursor implements client.Inbox.
func (a Adapter) Cursor() (string, error) { return a.Store.Cursor() }

// ApplyChanges implements client.Inbox: wire changes become the store's.
func (a Adapter) ApplyChanges(cursor string, changes []api.Change) error {
	// Until the first officer is set up the store has no keys to seal the
	// server's texts with: leave the changes on the server for now.
	if officers, err := a.Store.Officers(); err == nil && len(officers) == 0 && len(changes) > 0 {
		return client.ErrNotNow
	}
	out := make([]devicestore.Change, 0, len(changes))
	for _, c := range changes {
		grade, _ := forms.ParseLevel(c.Grade)
		dc := devicestore.Change{EntryID: c.EntryID, Revision: c.Revision, Receipt: c.Receipt, Grade: grade, At: c.At}
		switch c.Kind {
		case api.KindDecision:
			d, ok := decision(c.Decision)
			if !ok {
				continue // a decision this app does not know: skipped like an unknown kind
			}
			dc.Kind = devicestore.ChangeDecision
			dc.Decision = d
			dc.Reason = c.Text
			for _, cm := range c.Comments {
				dc.Comments = append(dc.Comments, devicestore.Comment{Path: cm.Question, Text: cm.Text})
			}
		case api.KindAlert:
			dc.Kind = devicestore.ChangeAlert
			dc.AlertID = "seq-" + strconv.FormatInt(c.Seq, 10)
			dc.Level = grade
			dc.Text = c.Text
		case api.KindChecklist:
			dc.Kind = devicestore.ChangeAlert
			dc.AlertID = "seq-" + strconv.FormatInt(c.Seq, 10)
			dc.Text = fmt.Sprintf("A new checklist version is on the server: %s. Update the app to use it.", c.Text)
		case api.KindRevocation:
			dc.Kind = devicestore.ChangeRevocation
			dc.Officer = c.Text
		default:
			continue // a kind this app does not know: the cursor still moves on
		}
		out = append(out, dc)
	}
	return a.Store.ApplyChanges(cursor, out)
}

// Revoked implements client.Inbox: the whole device was revoked, so the
// vault is wiped.
func (a Adapter) Revoked(reason string) error {
	return a.Store.Wipe(reason)
}
