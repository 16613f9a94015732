package sqlstore

import (
	"context"
	"time"

	"github.com/safeguard-uk/safeguard/central"
)

// PutLockout stores a shared lockout, keeping the later end and the
// higher failure count when the key has one.
func (t *Tx) PutLockout(ctx context.Context, l central.SharedLockout) error {
	// Lockouts that have ended are dropped as new ones come (the table
	// stays the size of the lockouts in force).
	if _, err := t.exec(ctx, `DELETE FROM lockouts WHERE until <= ?`, us(l.At)); err != nil {
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO lockouts (kind, value, until, failures, at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, value) DO UPDATE SET
			until = CASE WHEN excluded.until > lockouts.until THEN excluded.until ELSE lockouts.until END,
			failures = CASE WHEN excluded.failures > lockouts.failures THEN excluded.failures ELSE lockouts.failures END,
			at = excluded.at`,
		l.Kind, l.Value, us(l.Until), l.Failures, us(l.At))
	return err
}

// DeleteLockout removes a key's shared lockout.
func (t *Tx) DeleteLockout(ctx context.Context, kind, value string) (bool, error) {
	r, err := t.exec(ctx, `DELETE FROM lockouts WHERE kind = ? AND value = ?`, kind, value)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

// ActiveLockouts lists the shared lockouts that end after now.
func (t *Tx) ActiveLockouts(ctx context.Context, now time.Time) ([]central.SharedLockout, error) {
	rows, err := t.query(ctx, `SELECT kind, value, until, failures, at FROM lockouts WHERE until > ? ORDER BY until`, us(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.SharedLockout
	for rows.Next() {
		var l central.SharedLockout
		var until, at int64
		if err := rows.Scan(&l.Kind, &l.Value, &until, &l.Failures, &at); err != nil {
			return nil, err
		}
		l.Until, l.At = fromUS(until), fromUS(at)
		out = append(out, l)
	}
	return out, rows.Err()
}
