package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/forms"
)

// ---- entries for exports and reports

func (t *Tx) ListEntries(ctx context.Context, f central.EntryFilter) ([]central.Entry, error) {
	if f.Teams != nil && len(f.Teams) == 0 {
		return nil, nil
	}
	var q strings.Builder
	q.WriteString(`SELECT ` + entryCols + ` FROM entries WHERE training = ?`)
	args := []any{f.Training}
	if f.Teams != nil {
		q.WriteString(` AND team_id IN (?` + strings.Repeat(", ?", len(f.Teams)-1) + `)`)
		for _, tm := range f.Teams {
			args = append(args, tm)
		}
	}
	if !f.From.IsZero() {
		q.WriteString(` AND first_received >= ?`)
		args = append(args, us(f.From))
	}
	if !f.To.IsZero() {
		q.WriteString(` AND first_received < ?`)
		args = append(args, us(f.To))
	}
	if f.Grade != forms.LevelNone {
		q.WriteString(` AND grade = ?`)
		args = append(args, int(f.Grade))
	}
	if !f.AfterReceived.IsZero() || f.AfterID != "" {
		q.WriteString(` AND (first_received > ? OR (first_received = ? AND id > ?))`)
		args = append(args, us(f.AfterReceived), us(f.AfterReceived), f.AfterID)
	}
	q.WriteString(` ORDER BY first_received, id`)
	if f.Limit > 0 {
		q.WriteString(` LIMIT ?`)
		args = append(args, f.Limit)
	}
	rows, err := t.query(ctx, q.String(), args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanEntry)
}

// ---- the referral delivery outbox

const deliveryCols = `id, entry_id, revision, receipt, team_id, state, attempts, next_attempt, last_error, last_status, created, updated, delivered`

func scanDelivery(sc interface{ Scan(...any) error }, doc *string) (central.Delivery, error) {
	var d central.Delivery
	var next, created, updated int64
	var delivered sql.NullInt64
	dest := []any{&d.ID, &d.EntryID, &d.Revision, &d.Receipt, &d.Team, &d.State, &d.Attempts, &next, &d.LastError, &d.LastStatus,
		&created, &updated, &delivered}
	if doc != nil {
		dest = append(dest, doc)
	}
	if err := sc.Scan(dest...); err != nil {
		return d, err
	}
	d.NextAttempt, d.Created, d.Updated, d.Delivered = fromUS(next), fromUS(created), fromUS(updated), ptrUS(delivered)
	if doc != nil {
		d.Document = []byte(*doc)
	}
	return d, nil
}

func nullUS(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: us(*t), Valid: true}
}

func (t *Tx) CreateDelivery(ctx context.Context, d central.Delivery) error {
	doc, err := t.sealText(d.Document, documentAD(d.ID))
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO deliveries (id, entry_id, revision, receipt, team_id, state, attempts, next_attempt, last_error,
		last_status, created, updated, delivered, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.EntryID, d.Revision, d.Receipt, d.Team, d.State, d.Attempts, us(d.NextAttempt), d.LastError, d.LastStatus,
		us(d.Created), us(d.Updated), nullUS(d.Delivered), doc)
	return err
}

func (t *Tx) Delivery(ctx context.Context, id string) (central.Delivery, error) {
	var doc string
	d, err := scanDelivery(t.row(ctx, `SELECT `+deliveryCols+`, document FROM deliveries WHERE id = ?`, id), &doc)
	if err == nil {
		d.Document, err = t.openText(doc, documentAD(d.ID))
	}
	return d, noRow(err, "delivery")
}

func (t *Tx) LatestDelivery(ctx context.Context, entryID string) (central.Delivery, error) {
	var doc string
	d, err := scanDelivery(t.row(ctx, `SELECT `+deliveryCols+`, document FROM deliveries WHERE entry_id = ? ORDER BY revision DESC LIMIT 1`, entryID), &doc)
	if err == nil {
		d.Document, err = t.openText(doc, documentAD(d.ID))
	}
	return d, noRow(err, "delivery")
}

func (t *Tx) ListDeliveries(ctx context.Context, f central.DeliveryFilter) ([]central.Delivery, error) {
	q := `SELECT ` + deliveryCols + ` FROM deliveries WHERE 1 = 1`
	var args []any
	if f.State != "" {
		q += ` AND state = ?`
		args = append(args, f.State)
	}
	if f.EntryID != "" {
		q += ` AND entry_id = ?`
		args = append(args, f.EntryID)
	}
	q += ` ORDER BY updated DESC, id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (t *Tx) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]central.Delivery, error) {
	rows, err := t.query(ctx, `SELECT `+deliveryCols+`, document FROM deliveries WHERE state = 'pending' AND next_attempt <= ?
		ORDER BY next_attempt, id LIMIT ?`, us(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.Delivery
	for rows.Next() {
		var doc string
		d, err := scanDelivery(rows, &doc)
		if err != nil {
			return nil, err
		}
		if d.Document, err = t.openText(doc, documentAD(d.ID)); err != nil {
			return nil, fmt.Errorf("delivery %s: %w", d.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (t *Tx) UpdateDelivery(ctx context.Context, d central.Delivery) error {
	r, err := t.exec(ctx, `UPDATE deliveries SET state = ?, attempts = ?, next_attempt = ?, last_error = ?, last_status = ?, updated = ?,
		delivered = ? WHERE id = ?`, d.State, d.Attempts, us(d.NextAttempt), d.LastError, d.LastStatus, us(d.Updated), nullUS(d.Delivered), d.ID)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return central.ErrNotFound
	}
	return nil
}

func (t *Tx) DeliveryStats(ctx context.Context) (central.DeliveryStats, error) {
	// Two index range scans (deliveries_state): the cost follows what is
	// pending or dead, never the delivered history.
	var st central.DeliveryStats
	var oldest sql.NullInt64
	err := t.row(ctx, `SELECT COUNT(*), MIN(created) FROM deliveries WHERE state = 'pending'`).Scan(&st.Pending, &oldest)
	if err == nil {
		err = t.row(ctx, `SELECT COUNT(*) FROM deliveries WHERE state = 'dead'`).Scan(&st.Dead)
	}
	if err != nil {
		return st, fmt.Errorf("delivery stats: %w", err)
	}
	if oldest.Valid {
		st.OldestPending = fromUS(oldest.Int64)
	}
	return st, nil
}

// ---- settings

func (t *Tx) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := t.row(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&v)
	return v, noRow(err, "setting")
}

func (t *Tx) InitSetting(ctx context.Context, name, value string) (string, error) {
	if _, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, value); err != nil {
		return "", err
	}
	return t.Setting(ctx, name)
}
