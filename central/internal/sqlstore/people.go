package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/forms"
)

// ---- the person index's alerts and possible matches

func teamsIn(teams []string) (string, []any) {
	args := make([]any, len(teams))
	for i, t := range teams {
		args[i] = t
	}
	return `team_id IN (?` + strings.Repeat(", ?", len(teams)-1) + `)`, args
}

func (t *Tx) CreatePersonAlert(ctx context.Context, a central.PersonAlert) (bool, error) {
	entries, err := json.Marshal(a.Entries)
	if err != nil {
		return false, err
	}
	text, err := t.sealText([]byte(a.Text), alertAD(a.ID))
	if err != nil {
		return false, err
	}
	r, err := t.exec(ctx, `INSERT INTO person_alerts (id, entry_id, team_id, kind, person_id, related, relation, entries, grade, text, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		a.ID, a.EntryID, a.Team, a.Kind, a.PersonID, a.Related, a.Relation, string(entries), int(a.Grade), text, us(a.At))
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

func (t *Tx) PersonAlerts(ctx context.Context, teams []string, limit int) ([]central.PersonAlert, error) {
	if len(teams) == 0 {
		return nil, nil
	}
	in, args := teamsIn(teams)
	rows, err := t.query(ctx, `SELECT id, entry_id, team_id, kind, person_id, related, relation, entries, grade, text, at
		FROM person_alerts WHERE `+in+` ORDER BY at DESC, id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.PersonAlert
	for rows.Next() {
		var a central.PersonAlert
		var entries string
		var grade int
		var at int64
		var text string
		if err := rows.Scan(&a.ID, &a.EntryID, &a.Team, &a.Kind, &a.PersonID, &a.Related, &a.Relation, &entries, &grade, &text, &at); err != nil {
			return nil, err
		}
		pt, err := t.openText(text, alertAD(a.ID))
		if err != nil {
			return nil, fmt.Errorf("alert %s: %w", a.ID, err)
		}
		a.Text = string(pt)
		if err := json.Unmarshal([]byte(entries), &a.Entries); err != nil {
			return nil, fmt.Errorf("alert %s: %w", a.ID, err)
		}
		a.Grade, a.At = forms.Level(grade), fromUS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

const matchCols = `id, entry_id, team_id, record_id, person_id, match_id, score, reasons, state, created, decided_by, decided_at, merge_id`

func scanMatch(sc interface{ Scan(...any) error }) (central.PossibleMatch, error) {
	var m central.PossibleMatch
	var reasons string
	var created, decided int64
	if err := sc.Scan(&m.ID, &m.EntryID, &m.Team, &m.RecordID, &m.PersonID, &m.MatchID, &m.Score, &reasons, &m.State,
		&created, &m.DecidedBy, &decided, &m.MergeID); err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(reasons), &m.Reasons); err != nil {
		return m, fmt.Errorf("match %s: %w", m.ID, err)
	}
	m.Created = fromUS(created)
	if decided != 0 {
		m.DecidedAt = fromUS(decided)
	}
	return m, nil
}

func (t *Tx) CreatePossibleMatch(ctx context.Context, m central.PossibleMatch) (bool, error) {
	reasons, err := json.Marshal(m.Reasons)
	if err != nil {
		return false, err
	}
	r, err := t.exec(ctx, `INSERT INTO person_matches (id, entry_id, team_id, record_id, person_id, match_id, score, reasons, state, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		m.ID, m.EntryID, m.Team, m.RecordID, m.PersonID, m.MatchID, m.Score, string(reasons), m.State, us(m.Created))
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

func (t *Tx) PossibleMatch(ctx context.Context, id string) (central.PossibleMatch, error) {
	m, err := scanMatch(t.row(ctx, `SELECT `+matchCols+` FROM person_matches WHERE id = ?`, id))
	return m, noRow(err, "possible match")
}

func (t *Tx) PossibleMatches(ctx context.Context, teams []string, state string, limit int) ([]central.PossibleMatch, error) {
	if len(teams) == 0 {
		return nil, nil
	}
	in, args := teamsIn(teams)
	q := `SELECT ` + matchCols + ` FROM person_matches WHERE ` + in
	if state != "" {
		q += ` AND state = ?`
		args = append(args, state)
	}
	rows, err := t.query(ctx, q+` ORDER BY created, id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanMatch)
}

func (t *Tx) DecidePossibleMatch(ctx context.Context, m central.PossibleMatch) error {
	var at int64
	if !m.DecidedAt.IsZero() {
		at = us(m.DecidedAt)
	}
	r, err := t.exec(ctx, `UPDATE person_matches SET state = ?, decided_by = ?, decided_at = ?, merge_id = ? WHERE id = ?`,
		m.State, m.DecidedBy, at, m.MergeID, m.ID)
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

// ---- the person index's queue

func (t *Tx) QueuePeople(ctx context.Context, p central.PendingPeople) error {
	_, err := t.exec(ctx, `INSERT INTO person_pending (entry_id, revision, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		p.EntryID, p.Revision, us(p.At))
	return err
}

func (t *Tx) PendingPeople(ctx context.Context, now time.Time, limit int) ([]central.PendingPeople, error) {
	rows, err := t.query(ctx, `SELECT entry_id, revision, at, attempts FROM person_pending WHERE next_at <= ?
		ORDER BY at, entry_id, revision LIMIT ?`, us(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.PendingPeople
	for rows.Next() {
		var p central.PendingPeople
		var at int64
		if err := rows.Scan(&p.EntryID, &p.Revision, &at, &p.Attempts); err != nil {
			return nil, err
		}
		p.At = fromUS(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *Tx) RetryPeople(ctx context.Context, p central.PendingPeople, next time.Time) error {
	_, err := t.exec(ctx, `UPDATE person_pending SET attempts = attempts + 1, next_at = ? WHERE entry_id = ? AND revision = ?`,
		us(next), p.EntryID, p.Revision)
	return err
}

func (t *Tx) NextPeopleAt(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	if err := t.row(ctx, `SELECT MIN(next_at) FROM person_pending`).Scan(&next); err != nil {
		return time.Time{}, false, err
	}
	if !next.Valid {
		return time.Time{}, false, nil
	}
	return fromUS(next.Int64), true, nil
}

func (t *Tx) DonePeople(ctx context.Context, ps []central.PendingPeople) error {
	for _, p := range ps {
		if _, err := t.exec(ctx, `DELETE FROM person_pending WHERE entry_id = ? AND revision = ?`, p.EntryID, p.Revision); err != nil {
			return err
		}
	}
	return nil
}
