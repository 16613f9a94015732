package central

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/referral"
)

// The deliverer's principal in the audit trail.
var deliverer = System("deliverer")

// maxDeliveryError bounds the stored reason of a failed attempt.
const maxDeliveryError = 500

// notifyQueued wakes a waiting deliverer (never blocks).
func (s *Service) notifyQueued() {
	select {
	case s.queued <- struct{}{}:
	default:
	}
}

// Queued receives a value when a referral was put in the outbox (an
// approval or a replay), so a deliverer need not wait for its next poll.
func (s *Service) Queued() <-chan struct{} { return s.queued }

// Now returns the service clock's time (Config.Now), in UTC.
func (s *Service) Now() time.Time { return s.now() }

// referralMeta gathers what the central system knows about an approval for
// the referral document. history is the entry's decisions before it.
func (s *Service) referralMeta(ctx context.Context, tx Tx, ent Entry, rev Revision, approver *User, at time.Time, history []Decision) (referral.Meta, error) {
	m := referral.Meta{Receipt: rev.Receipt, Force: s.cfg.Force, Team: ent.Team, OfficerID: ent.Officer,
		SupervisorName: approver.Name, SupervisorID: approver.ID, Submitted: rev.Received, Approved: at, Partner: s.cfg.Partner}
	if tm, err := tx.Team(ctx, ent.Team); err == nil {
		m.Team = tm.Name
	} else if ErrorCode(err) != ENOTFOUND {
		return m, err
	}
	names := map[string]string{approver.ID: approver.Name}
	name := func(id string) (string, error) {
		if n, ok := names[id]; ok {
			return n, nil
		}
		u, err := tx.UserByID(ctx, id)
		switch {
		case err == nil:
			names[id] = u.Name
			return u.Name, nil
		case ErrorCode(err) == ENOTFOUND:
			names[id] = id
			return id, nil
		}
		return "", err
	}
	var err error
	if m.OfficerName, err = name(ent.Officer); err != nil {
		return m, err
	}
	if ent.ReviewGrade != forms.LevelNone {
		m.SupervisorGrade = ent.Grade
	}
	for _, d := range history {
		by, err := name(d.By)
		if err != nil {
			return m, err
		}
		di := api.DecisionInfo{Kind: d.Kind, Revision: d.Revision, By: by, At: d.At, Reason: d.Reason}
		if d.Grade != forms.LevelNone {
			di.Grade = d.Grade.String()
		}
		m.History = append(m.History, di)
	}
	return m, nil
}

// buildReferral makes the referral document of an approved revision with
// the same checklist engine the devices use.
func (s *Service) buildReferral(ctx context.Context, tx Tx, ent Entry, rev Revision, approver *User, at time.Time, history []Decision) (*referral.Document, error) {
	c, ok := s.registry.Get(ent.Checklist)
	if !ok {
		return nil, Errorf(EUNAVAILABLE, "checklist %s is not loaded on this server, so the referral cannot be made; load it and try again", ent.Checklist)
	}
	e, err := forms.DecodeEntry(rev.Body)
	if err != nil {
		return nil, fmt.Errorf("stored revision %d of %s: %w", rev.Revision, ent.ID, err)
	}
	// The reasons and actions in the checklist's language when it has the
	// partner's; referral.Build falls back to English the same way.
	lang := s.cfg.PartnerLanguage
	if lang == "" || !slices.Contains(c.Languages, lang) {
		lang = forms.DefaultLanguage
	}
	res, err := forms.Evaluate(c, e, forms.Options{Language: lang})
	if err != nil {
		return nil, fmt.Errorf("evaluate revision %d of %s: %w", rev.Revision, ent.ID, err)
	}
	meta, err := s.referralMeta(ctx, tx, ent, rev, approver, at, history)
	if err != nil {
		return nil, err
	}
	meta.Language = s.cfg.PartnerLanguage
	doc, err := referral.Build(c, e, res, meta)
	if err != nil {
		return nil, fmt.Errorf("referral of %s: %w", ent.ID, err)
	}
	return doc, nil
}

// enqueueReferral builds the referral of a just-approved live revision and
// puts it in the outbox, due at once.
func (s *Service) enqueueReferral(ctx context.Context, tx Tx, p Principal, ent Entry, rev Revision, approver *User, at time.Time, history []Decision) error {
	doc, err := s.buildReferral(ctx, tx, ent, rev, approver, at, history)
	if err != nil {
		return err
	}
	if doc.Training || ent.Training {
		return fmt.Errorf("referral of %s: a training document never enters the outbox", ent.ID)
	}
	js, err := doc.JSON()
	if err != nil {
		return err
	}
	d := Delivery{ID: uuid.NewString(), EntryID: ent.ID, Revision: rev.Revision, Receipt: rev.Receipt, Team: ent.Team, Document: js,
		State: DeliveryPending, NextAttempt: at, Created: at, Updated: at}
	if err := tx.CreateDelivery(ctx, d); err != nil {
		return err
	}
	return s.audit(ctx, tx, p, "referral.enqueue", ent.ID, rev.Revision, map[string]any{"delivery": d.ID, "receipt": rev.Receipt})
}

// WireDelivery is a delivery as the API shows it.
func WireDelivery(d Delivery) *api.Delivery {
	w := &api.Delivery{ID: d.ID, EntryID: d.EntryID, Revision: d.Revision, Receipt: d.Receipt, Team: d.Team, State: d.State,
		Attempts: d.Attempts, LastError: d.LastError, LastStatus: d.LastStatus, Created: d.Created, Updated: d.Updated, Delivered: d.Delivered}
	if d.State == DeliveryPending {
		next := d.NextAttempt
		w.NextAttempt = &next
	}
	return w
}

// Referral formats.
const (
	ReferralJSON = "json"
	ReferralPDF  = "pdf"
)

// Referral writes the referral document of an entry's latest approved
// revision to w, as JSON or PDF. For a live entry it is the document put in
// the outbox at approval (the PDF is rendered from its stored JSON, so it
// is byte for byte the PDF the partner would render); for a training entry
// it is built now, marked as training, and never delivered. It returns the
// approved revision's receipt. Every read is audited before a byte is
// written.
func (s *Service) Referral(ctx context.Context, p Principal, ns Namespace, id, format string, w func(receipt string) io.Writer) error {
	u, err := reviewer(p, ns)
	if err != nil {
		return err
	}
	if format != ReferralJSON && format != ReferralPDF {
		return Errorf(EINVALID, "a referral is json or pdf")
	}
	var js []byte
	var receipt string
	err = s.store.Update(ctx, func(tx Tx) error {
		ent, err := visible(ctx, tx, u, ns, id)
		if err != nil {
			return err
		}
		if ent.Approved == 0 {
			return Errorf(ENOTFOUND, "the entry has no approved revision, so no referral")
		}
		var detail map[string]any
		if ns == Live {
			d, err := tx.LatestDelivery(ctx, id)
			if err != nil {
				return notFound(err, "no referral was made for this entry")
			}
			js, receipt = d.Document, d.Receipt
			detail = map[string]any{"format": format, "delivery": d.ID, "receipt": d.Receipt}
		} else {
			doc, rcpt, err := s.trainingReferral(ctx, tx, ent)
			if err != nil {
				return err
			}
			if js, err = doc.JSON(); err != nil {
				return err
			}
			receipt = rcpt
			detail = map[string]any{"format": format, "receipt": rcpt}
		}
		return s.audit(ctx, tx, p, "referral.read", id, ent.Approved, detail)
	})
	if err != nil {
		return fmt.Errorf("referral: %w", err)
	}
	if format == ReferralJSON {
		_, err := w(receipt).Write(js)
		return err
	}
	var doc referral.Document
	if err := json.Unmarshal(js, &doc); err != nil {
		return fmt.Errorf("referral of %s: stored document: %w", id, err)
	}
	var buf bytes.Buffer
	if err := doc.PDF(&buf); err != nil {
		return fmt.Errorf("referral of %s: %w", id, err)
	}
	_, err = buf.WriteTo(w(receipt))
	return err
}

// trainingReferral builds the referral of a training entry's approved
// revision as it was at approval.
func (s *Service) trainingReferral(ctx context.Context, tx Tx, ent Entry) (*referral.Document, string, error) {
	rev, err := tx.Revision(ctx, ent.ID, ent.Approved)
	if err != nil {
		return nil, "", err
	}
	decs, err := tx.Decisions(ctx, ent.ID)
	if err != nil {
		return nil, "", err
	}
	for i, d := range decs {
		if d.Kind != DecisionApproved || d.Revision != ent.Approved {
			continue
		}
		approver, err := tx.UserByID(ctx, d.By)
		if err != nil {
			return nil, "", err
		}
		doc, err := s.buildReferral(ctx, tx, ent, rev, &approver, d.At, decs[:i])
		return doc, rev.Receipt, err
	}
	return nil, "", Errorf(ENOTFOUND, "no approval of revision %d", ent.Approved)
}

// ---- the deliverer's side

// DeliveryOutcome is the result of one delivery attempt.
type DeliveryOutcome struct {
	// Delivered: the partner acknowledged it (2xx).
	Delivered bool
	// Dead: give up (the partner refused it for good, or too many
	// attempts); Error says why.
	Dead bool
	// Status is the partner's HTTP status (0: no answer).
	Status int
	// Error says why the attempt failed (never child data).
	Error string
	// Retry is when to try again (neither delivered nor dead).
	Retry time.Time
}

// ClaimDelivery takes the next due pending delivery for one attempt: its
// attempt count goes up and it is not due again until lease has passed,
// so a deliverer that dies mid-attempt is retried, and two deliverers
// never hold one delivery at once. The send is audited before the partner
// sees a byte. It returns nil when nothing is due.
func (s *Service) ClaimDelivery(ctx context.Context, lease time.Duration) (*Delivery, error) {
	var out *Delivery
	err := s.store.Update(ctx, func(tx Tx) error {
		now := s.now()
		due, err := tx.DueDeliveries(ctx, now, 1)
		if err != nil || len(due) == 0 {
			return err
		}
		d := due[0]
		d.Attempts++
		d.NextAttempt, d.Updated = now.Add(lease), now
		if err := tx.UpdateDelivery(ctx, d); err != nil {
			return err
		}
		out = &d
		return s.audit(ctx, tx, deliverer, "referral.send", d.EntryID, d.Revision, map[string]any{"delivery": d.ID, "attempt": d.Attempts})
	})
	if err != nil {
		return nil, fmt.Errorf("claim delivery: %w", err)
	}
	return out, nil
}

// RecordDelivery stores the outcome of attempt number attempt of a
// delivery. A success always stands (the partner has it). A failure only
// counts while the attempt is still the delivery's latest and it is still
// pending: a replay or a later attempt since then wins.
func (s *Service) RecordDelivery(ctx context.Context, id string, attempt int, o DeliveryOutcome) (*Delivery, error) {
	if len(o.Error) > maxDeliveryError {
		o.Error = o.Error[:maxDeliveryError] + "…"
	}
	var out *Delivery
	err := s.store.Update(ctx, func(tx Tx) error {
		d, err := tx.Delivery(ctx, id)
		if err != nil {
			return err
		}
		now := s.now()
		action, detail := "", map[string]any{"delivery": d.ID, "attempt": attempt}
		if o.Status != 0 {
			detail["status"] = o.Status
		}
		switch {
		case o.Delivered:
			if d.State == DeliveryDelivered {
				out = &d
				return nil
			}
			d.State, d.Delivered, d.LastStatus, d.LastError = DeliveryDelivered, &now, o.Status, ""
			action = "referral.delivered"
		case d.State != DeliveryPending || d.Attempts != attempt:
			out = &d // stale: a replay or a later attempt owns the delivery now
			return nil
		case o.Dead:
			d.State, d.LastStatus, d.LastError = DeliveryDead, o.Status, o.Error
			action, detail["reason"] = "referral.dead", o.Error
		default:
			d.NextAttempt, d.LastStatus, d.LastError = o.Retry, o.Status, o.Error
			action, detail["error"], detail["retry"] = "referral.retry", o.Error, o.Retry.Format(time.RFC3339)
		}
		d.Updated = now
		if err := tx.UpdateDelivery(ctx, d); err != nil {
			return err
		}
		out = &d
		return s.audit(ctx, tx, deliverer, action, d.EntryID, d.Revision, detail)
	})
	if err != nil {
		return nil, fmt.Errorf("record delivery: %w", err)
	}
	return out, nil
}

// DeliveryStats counts the outbox (for metrics).
func (s *Service) DeliveryStats(ctx context.Context) (DeliveryStats, error) {
	var st DeliveryStats
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		st, err = tx.DeliveryStats(ctx)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("delivery stats: %w", err)
	}
	return st, nil
}

// ---- administration

// DefaultDeliveryListLimit is the page size of the delivery list.
const DefaultDeliveryListLimit = 200

// ListDeliveries lists referral deliveries (administrators), most
// recently changed first, optionally of one state.
func (s *Service) ListDeliveries(ctx context.Context, p Principal, state string, limit int) (*api.DeliveryList, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	switch state {
	case "", DeliveryPending, DeliveryDelivered, DeliveryDead:
	default:
		return nil, Errorf(EINVALID, "state must be pending, delivered or dead")
	}
	if limit <= 0 || limit > DefaultDeliveryListLimit {
		limit = DefaultDeliveryListLimit
	}
	out := &api.DeliveryList{Deliveries: []api.Delivery{}}
	err := s.store.View(ctx, func(tx Tx) error {
		list, err := tx.ListDeliveries(ctx, DeliveryFilter{State: state, Limit: limit})
		for _, d := range list {
			out.Deliveries = append(out.Deliveries, *WireDelivery(d))
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return out, s.auditRead(ctx, p, "admin.deliveries.list", map[string]any{"state": state, "count": len(out.Deliveries)})
}

// maxReplay bounds the deliveries one replay names.
const maxReplay = 1000

// ReplayDeliveries puts dead deliveries back in the outbox (administrators):
// pending, due now, attempts counted afresh, the same idempotency key and
// document. ids empty means every dead delivery. Naming a delivery that is
// not dead is a conflict; an unknown one is not found.
func (s *Service) ReplayDeliveries(ctx context.Context, p Principal, ids []string) (*api.ReplayResponse, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	if len(ids) > maxReplay {
		return nil, Errorf(EINVALID, "name at most %d deliveries at once", maxReplay)
	}
	out := &api.ReplayResponse{Replayed: []string{}}
	err := s.store.Update(ctx, func(tx Tx) error {
		var list []Delivery
		if len(ids) == 0 {
			var err error
			if list, err = tx.ListDeliveries(ctx, DeliveryFilter{State: DeliveryDead}); err != nil {
				return err
			}
		}
		for _, id := range ids {
			d, err := tx.Delivery(ctx, id)
			if err != nil {
				return notFound(err, fmt.Sprintf("no delivery %q", id))
			}
			if d.State != DeliveryDead {
				return Errorf(ECONFLICT, "delivery %s is %s, not dead", id, d.State)
			}
			list = append(list, d)
		}
		now := s.now()
		for _, d := range list {
			prev := d.LastError
			d.State, d.Attempts, d.NextAttempt, d.Updated = DeliveryPending, 0, now, now
			if err := tx.UpdateDelivery(ctx, d); err != nil {
				return err
			}
			out.Replayed = append(out.Replayed, d.ID)
			if err := s.audit(ctx, tx, p, "referral.replay", d.EntryID, d.Revision, map[string]any{"delivery": d.ID, "was": prev}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replay deliveries: %w", err)
	}
	if len(out.Replayed) > 0 {
		s.notifyQueued()
	}
	return out, nil
}
