package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/forms"
)

// Tx is a central.Tx over a *sql.Tx.
type Tx struct {
	tx *sql.Tx
	s  *Store
	d  Dialect

	// The audit head, read once per transaction and written back once at
	// commit (Update transactions are serialised, so nobody else moves it).
	headLoaded, headDirty bool
	headSeq               int64
	headHash              string
	// pending audit records, inserted together before commit.
	pending []central.AuditRecord

	// Write batching (batch.go): queued one-row inserts and the counters
	// this transaction has moved; a read-only transaction queues nothing.
	readOnly bool
	rows     []pendingRows
	counters map[string]*counter

	// conn is the transaction's connection on PostgreSQL (Update), for
	// flushBatch; deferred, while set, collects the statements exec
	// would run (flush on PostgreSQL) to be sent as one batch.
	conn     *sql.Conn
	deferred *[]deferredExec
}

// stmt returns the transaction's handle on the cached prepared statement
// for q (prepared once per connection, not once per call: parsing SQL was a
// fifth of ingest's CPU time).
func (t *Tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st := t.s.cached(q); st != nil {
		return t.tx.StmtContext(ctx, st), nil
	}
	go t.s.warm(q)
	return t.tx.PrepareContext(ctx, t.d.Rebind(q))
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := t.flushRows(ctx); err != nil {
		return nil, err
	}
	if t.deferred != nil {
		*t.deferred = append(*t.deferred, deferredExec{q: q, args: args})
		return driver.RowsAffected(0), nil
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", firstWords(q), err)
	}
	r, err := st.ExecContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", firstWords(q), err)
	}
	return r, nil
}

func (t *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := t.flushRows(ctx); err != nil {
		return nil, err
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", firstWords(q), err)
	}
	r, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", firstWords(q), err)
	}
	return r, nil
}

// rowResult is a *sql.Row or a preparation error, scanned the same way.
type rowResult struct {
	row *sql.Row
	err error
}

func (r rowResult) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.row.Scan(dest...)
}

func (t *Tx) row(ctx context.Context, q string, args ...any) rowResult {
	if err := t.flushRows(ctx); err != nil {
		return rowResult{err: err}
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return rowResult{err: fmt.Errorf("%s: %w", firstWords(q), err)}
	}
	return rowResult{row: st.QueryRowContext(ctx, args...)}
}

// flush writes the pending audit records and the audit head (called
// before commit), on PostgreSQL with everything else still queued as one
// batch (flushBatch).
func (t *Tx) flush(ctx context.Context) error {
	if t.conn == nil || t.d != Postgres {
		return t.flushStatements(ctx)
	}
	var list []deferredExec
	t.deferred = &list
	err := t.flushStatements(ctx)
	t.deferred = nil
	if err != nil {
		return err
	}
	return t.flushBatch(ctx, list)
}

func (t *Tx) flushStatements(ctx context.Context) error {
	if err := t.flushRows(ctx); err != nil {
		return err
	}
	if err := t.flushCounters(ctx); err != nil {
		return err
	}
	for _, r := range t.pending {
		if err := t.later(ctx, `INSERT INTO audit (seq, at, actor, action, entry_id, revision, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Seq, us(r.At), r.Actor, r.Action, r.EntryID, r.Revision, r.Detail, r.PrevHash, r.Hash); err != nil {
			return err
		}
	}
	t.pending = nil
	if err := t.flushRows(ctx); err != nil {
		return err
	}
	if !t.headDirty {
		return nil
	}
	_, err := t.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, t.headSeq, t.headHash)
	return err
}

// firstWords names a query in errors without its arguments.
func firstWords(q string) string {
	f := strings.Fields(q)
	if len(f) > 4 {
		f = f[:4]
	}
	return strings.Join(f, " ")
}

// noRow maps sql.ErrNoRows to central.ErrNotFound.
func noRow(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return central.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func us(t time.Time) int64 { return t.UnixMicro() }

func fromUS(n int64) time.Time { return time.UnixMicro(n).UTC() }

func ptrUS(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromUS(n.Int64)
	return &t
}

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// ---- teams and users

func (t *Tx) CreateTeam(ctx context.Context, tm central.Team) error {
	_, err := t.exec(ctx, `INSERT INTO teams (id, name, created) VALUES (?, ?, ?)`, tm.ID, tm.Name, us(tm.Created))
	return err
}

func (t *Tx) Team(ctx context.Context, id string) (central.Team, error) {
	var tm central.Team
	var c int64
	err := t.row(ctx, `SELECT id, name, created FROM teams WHERE id = ?`, id).Scan(&tm.ID, &tm.Name, &c)
	tm.Created = fromUS(c)
	return tm, noRow(err, "team")
}

func (t *Tx) ListTeams(ctx context.Context) ([]central.Team, error) {
	rows, err := t.query(ctx, `SELECT id, name, created FROM teams ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.Team
	for rows.Next() {
		var tm central.Team
		var c int64
		if err := rows.Scan(&tm.ID, &tm.Name, &c); err != nil {
			return nil, err
		}
		tm.Created = fromUS(c)
		out = append(out, tm)
	}
	return out, rows.Err()
}

func (t *Tx) CreateUser(ctx context.Context, u central.User) error {
	if _, err := t.exec(ctx, `INSERT INTO users (id, username, name, role, password_hash, disabled, created) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Username, u.Name, string(u.Role), u.PasswordHash, u.Disabled, us(u.Created)); err != nil {
		return err
	}
	return t.setTeams(ctx, u.ID, u.Teams)
}

func (t *Tx) setTeams(ctx context.Context, userID string, teams []string) error {
	if _, err := t.exec(ctx, `DELETE FROM memberships WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, tm := range teams {
		if _, err := t.exec(ctx, `INSERT INTO memberships (user_id, team_id) VALUES (?, ?)`, userID, tm); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) UpdateUser(ctx context.Context, u central.User) error {
	if _, err := t.exec(ctx, `UPDATE users SET name = ?, password_hash = ?, disabled = ? WHERE id = ?`,
		u.Name, u.PasswordHash, u.Disabled, u.ID); err != nil {
		return err
	}
	return t.setTeams(ctx, u.ID, u.Teams)
}

const userCols = `id, username, name, role, password_hash, disabled, created`

// user reads one user and its teams in one query (a row per membership,
// or one with no team): one round trip, where a query for the user and
// another for its teams were two on PostgreSQL (push looks its officers
// up under the write lock).
func (t *Tx) user(ctx context.Context, where string, arg any) (central.User, error) {
	rows, err := t.query(ctx, `SELECT u.id, u.username, u.name, u.role, u.password_hash, u.disabled, u.created, m.team_id
		FROM users u LEFT JOIN memberships m ON m.user_id = u.id WHERE u.`+where+` ORDER BY m.team_id`, arg)
	if err != nil {
		return central.User{}, fmt.Errorf("user: %w", err)
	}
	defer rows.Close()
	var u central.User
	found := false
	for rows.Next() {
		var role string
		var c int64
		var team sql.NullString
		if err := rows.Scan(&u.ID, &u.Username, &u.Name, &role, &u.PasswordHash, &u.Disabled, &c, &team); err != nil {
			return central.User{}, fmt.Errorf("user: %w", err)
		}
		if !found {
			u.Role, u.Created, u.Teams, found = central.Role(role), fromUS(c), []string{}, true
		}
		if team.Valid {
			u.Teams = append(u.Teams, team.String)
		}
	}
	if err := rows.Err(); err != nil {
		return central.User{}, fmt.Errorf("user: %w", err)
	}
	if !found {
		return central.User{}, central.ErrNotFound
	}
	return u, nil
}

func (t *Tx) UserByID(ctx context.Context, id string) (central.User, error) {
	return t.user(ctx, "id = ?", id)
}

func (t *Tx) UserByUsername(ctx context.Context, username string) (central.User, error) {
	return t.user(ctx, "username = ?", username)
}

// ListUsers reads every user in two queries: the users, then every
// membership.
func (t *Tx) ListUsers(ctx context.Context) ([]central.User, error) {
	rows, err := t.query(ctx, `SELECT `+userCols+` FROM users ORDER BY username`)
	if err != nil {
		return nil, err
	}
	out := []central.User{}
	at := map[string]int{}
	for rows.Next() {
		var u central.User
		var role string
		var c int64
		if err := rows.Scan(&u.ID, &u.Username, &u.Name, &role, &u.PasswordHash, &u.Disabled, &c); err != nil {
			rows.Close()
			return nil, err
		}
		u.Role, u.Created, u.Teams = central.Role(role), fromUS(c), []string{}
		at[u.ID] = len(out)
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = t.query(ctx, `SELECT user_id, team_id FROM memberships ORDER BY user_id, team_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var user, team string
		if err := rows.Scan(&user, &team); err != nil {
			return nil, err
		}
		if i, ok := at[user]; ok {
			out[i].Teams = append(out[i].Teams, team)
		}
	}
	return out, rows.Err()
}

// ---- sessions, enrolment codes, devices

func (t *Tx) CreateSession(ctx context.Context, s central.Session) error {
	_, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created, expires) VALUES (?, ?, ?, ?)`,
		s.TokenHash, s.UserID, us(s.Created), us(s.Expires))
	return err
}

func (t *Tx) SessionByHash(ctx context.Context, hash string) (central.Session, error) {
	var s central.Session
	var c, e int64
	err := t.row(ctx, `SELECT token_hash, user_id, created, expires FROM sessions WHERE token_hash = ?`, hash).Scan(&s.TokenHash, &s.UserID, &c, &e)
	s.Created, s.Expires = fromUS(c), fromUS(e)
	return s, noRow(err, "session")
}

func (t *Tx) DeleteSession(ctx context.Context, hash string) error {
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
	return err
}

func (t *Tx) DeleteUserSessions(ctx context.Context, userID string) error {
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

func (t *Tx) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE expires < ?`, us(now))
	return err
}

func (t *Tx) CreateEnrolmentCode(ctx context.Context, c central.EnrolmentCode) error {
	_, err := t.exec(ctx, `INSERT INTO enrolment_codes (code_hash, team_id, created_by, created, expires) VALUES (?, ?, ?, ?, ?)`,
		c.CodeHash, c.Team, c.CreatedBy, us(c.Created), us(c.Expires))
	return err
}

func (t *Tx) EnrolmentCode(ctx context.Context, hash string) (central.EnrolmentCode, error) {
	var c central.EnrolmentCode
	var cr, ex int64
	var used sql.NullInt64
	var dev sql.NullString
	err := t.row(ctx, `SELECT code_hash, team_id, created_by, created, expires, used, device_id FROM enrolment_codes WHERE code_hash = ?`, hash).
		Scan(&c.CodeHash, &c.Team, &c.CreatedBy, &cr, &ex, &used, &dev)
	c.Created, c.Expires, c.Used, c.DeviceID = fromUS(cr), fromUS(ex), ptrUS(used), dev.String
	return c, noRow(err, "enrolment code")
}

func (t *Tx) UseEnrolmentCode(ctx context.Context, hash, deviceID string, at time.Time) error {
	r, err := t.exec(ctx, `UPDATE enrolment_codes SET used = ?, device_id = ? WHERE code_hash = ? AND used IS NULL`, us(at), deviceID, hash)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return central.Errorf(central.ECONFLICT, "enrolment code already used")
	}
	return nil
}

func (t *Tx) CreateDevice(ctx context.Context, d central.Device) error {
	_, err := t.exec(ctx, `INSERT INTO devices (id, name, team_id, credential_hash, enrolled) VALUES (?, ?, ?, ?, ?)`,
		d.ID, d.Name, d.Team, d.CredentialHash, us(d.Enrolled))
	return err
}

const deviceCols = `id, name, team_id, credential_hash, enrolled, last_seen, revoked, revoked_reason`

func scanDevice(sc interface{ Scan(...any) error }) (central.Device, error) {
	var d central.Device
	var en int64
	var seen, rev sql.NullInt64
	var reason sql.NullString
	err := sc.Scan(&d.ID, &d.Name, &d.Team, &d.CredentialHash, &en, &seen, &rev, &reason)
	d.Enrolled, d.LastSeen, d.Revoked, d.RevokedReason = fromUS(en), ptrUS(seen), ptrUS(rev), reason.String
	return d, err
}

func (t *Tx) DeviceByID(ctx context.Context, id string) (central.Device, error) {
	d, err := scanDevice(t.row(ctx, `SELECT `+deviceCols+` FROM devices WHERE id = ?`, id))
	return d, noRow(err, "device")
}

func (t *Tx) DeviceByCredential(ctx context.Context, hash string) (central.Device, error) {
	d, err := scanDevice(t.row(ctx, `SELECT `+deviceCols+` FROM devices WHERE credential_hash = ?`, hash))
	return d, noRow(err, "device")
}

func (t *Tx) ListDevices(ctx context.Context) ([]central.Device, error) {
	rows, err := t.query(ctx, `SELECT `+deviceCols+` FROM devices ORDER BY team_id, name, id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanDevice)
}

func (t *Tx) RevokeDevice(ctx context.Context, id string, at time.Time, reason string) error {
	_, err := t.exec(ctx, `UPDATE devices SET revoked = ?, revoked_reason = ? WHERE id = ?`, us(at), reason, id)
	return err
}

func (t *Tx) TouchDevice(ctx context.Context, id string, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE devices SET last_seen = ? WHERE id = ?`, us(at), id)
	return err
}

// ---- entries and revisions

const entryCols = `id, training, officer_id, team_id, device_id, checklist_id, checklist_version, revision, receipt, status, grade,
	review_grade, received, first_received, deadline, approved, missing, updated`

func scanEntry(sc interface{ Scan(...any) error }) (central.Entry, error) {
	var e central.Entry
	var grade, review int
	var rec, first, dl, upd int64
	err := sc.Scan(&e.ID, &e.Training, &e.Officer, &e.Team, &e.Device, &e.Checklist.ID, &e.Checklist.Version, &e.Revision,
		&e.Receipt, &e.Status, &grade, &review, &rec, &first, &dl, &e.Approved, &e.Missing, &upd)
	e.Grade, e.ReviewGrade = forms.Level(grade), forms.Level(review)
	e.Received, e.FirstReceived, e.Deadline, e.Updated = fromUS(rec), fromUS(first), fromUS(dl), fromUS(upd)
	return e, err
}

func (t *Tx) Entry(ctx context.Context, id string) (central.Entry, error) {
	e, err := scanEntry(t.row(ctx, `SELECT `+entryCols+` FROM entries WHERE id = ?`, id))
	return e, noRow(err, "entry")
}

func (t *Tx) Entries(ctx context.Context, ids []string) (map[string]central.Entry, error) {
	out := make(map[string]central.Entry, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 128)
		// Round the list up to a power of two (repeating the last id) so a
		// handful of prepared statements serve every batch size.
		width := 1
		for width < n {
			width *= 2
		}
		var q string
		var args []any
		if t.d == Postgres {
			// One array parameter: PostgreSQL planned an IN list of 64
			// parameters afresh on every push (a millisecond and more
			// under the write lock); "= ANY" keeps one cheap plan.
			q, args = `SELECT `+entryCols+` FROM entries WHERE id = ANY(CAST(? AS TEXT[]))`, []any{ids[:n]}
		} else {
			q = `SELECT ` + entryCols + ` FROM entries WHERE id IN (?` + strings.Repeat(", ?", width-1) + `)`
			args = make([]any, width)
			for i := range args {
				args[i] = ids[min(i, n-1)]
			}
		}
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			e, err := scanEntry(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[e.ID] = e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

func entryArgs(e central.Entry) []any {
	return []any{e.Training, e.Officer, e.Team, e.Device, e.Checklist.ID, e.Checklist.Version, e.Revision, e.Receipt, e.Status,
		int(e.Grade), int(e.ReviewGrade), us(e.Received), us(e.FirstReceived), us(e.Deadline), e.Approved, e.Missing, us(e.Updated), e.ID}
}

func (t *Tx) CreateEntry(ctx context.Context, e central.Entry) error {
	err := t.later(ctx, `INSERT INTO entries (training, officer_id, team_id, device_id, checklist_id, checklist_version, revision, receipt,
		status, grade, review_grade, received, first_received, deadline, approved, missing, updated, id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, entryArgs(e)...)
	return err
}

func (t *Tx) UpdateEntry(ctx context.Context, e central.Entry) error {
	_, err := t.exec(ctx, `UPDATE entries SET training = ?, officer_id = ?, team_id = ?, device_id = ?, checklist_id = ?,
		checklist_version = ?, revision = ?, receipt = ?, status = ?, grade = ?, review_grade = ?, received = ?, first_received = ?, deadline = ?,
		approved = ?, missing = ?, updated = ? WHERE id = ?`, entryArgs(e)...)
	return err
}

const revisionCols = `entry_id, revision, content_hash, receipt, device_id, officer_id, received, grade, computed, device_grade,
	disagrees, immediate, diff`

func scanRevision(sc interface{ Scan(...any) error }, body *string) (central.Revision, error) {
	var r central.Revision
	var rec int64
	var grade, computed int
	var diff string
	dest := []any{&r.EntryID, &r.Revision, &r.ContentHash, &r.Receipt, &r.Device, &r.Officer, &rec, &grade, &computed,
		&r.DeviceGrade, &r.Disagrees, &r.Immediate, &diff}
	if body != nil {
		dest = append(dest, body)
	}
	if err := sc.Scan(dest...); err != nil {
		return r, err
	}
	r.Received, r.Grade, r.Computed = fromUS(rec), forms.Level(grade), forms.Level(computed)
	if diff != "" {
		if err := json.Unmarshal([]byte(diff), &r.Diff); err != nil {
			return r, fmt.Errorf("revision diff: %w", err)
		}
	}
	return r, nil
}

func (t *Tx) Revision(ctx context.Context, entryID string, revision int) (central.Revision, error) {
	var body string
	r, err := scanRevision(t.row(ctx, `SELECT `+revisionCols+`, body FROM revisions WHERE entry_id = ? AND revision = ?`, entryID, revision), &body)
	if err == nil {
		if r.Body, err = t.openText(body, revisionAD(entryID, revision)); err != nil {
			return r, fmt.Errorf("revision %s/%d: %w", entryID, revision, err)
		}
	}
	return r, noRow(err, "revision")
}

func (t *Tx) Revisions(ctx context.Context, entryID string) ([]central.Revision, error) {
	rows, err := t.query(ctx, `SELECT `+revisionCols+` FROM revisions WHERE entry_id = ? ORDER BY revision`, entryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.Revision
	for rows.Next() {
		r, err := scanRevision(rows, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *Tx) CreateRevision(ctx context.Context, r central.Revision) error {
	diff := []byte("[]")
	if r.Diff != nil {
		var err error
		if diff, err = json.Marshal(r.Diff); err != nil {
			return err
		}
	}
	body := r.Stored // sealed before the transaction (Store.SealRevisionBody)
	if body == "" {
		var err error
		if body, err = t.sealText(r.Body, revisionAD(r.EntryID, r.Revision)); err != nil {
			return err
		}
	}
	err := t.later(ctx, `INSERT INTO revisions (entry_id, revision, content_hash, receipt, device_id, officer_id, received, grade,
		computed, device_grade, disagrees, immediate, diff, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.EntryID, r.Revision, r.ContentHash, r.Receipt, r.Device, r.Officer, us(r.Received), int(r.Grade), int(r.Computed),
		r.DeviceGrade, r.Disagrees, r.Immediate, string(diff), body)
	return err
}

func (t *Tx) NextCounter(ctx context.Context, name string) (int64, error) {
	return t.nextCounter(ctx, name) // batch.go: moved in memory, written at commit
}

func (t *Tx) Queue(ctx context.Context, f central.QueueFilter) ([]central.Entry, error) {
	q := `SELECT ` + entryCols + ` FROM entries WHERE team_id = ? AND training = ? AND status = 'received'`
	args := []any{f.Team, f.Training}
	if !f.OverdueAt.IsZero() {
		q += ` AND deadline < ?`
		args = append(args, us(f.OverdueAt))
	}
	q += ` ORDER BY grade DESC, deadline ASC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanEntry)
}

// QueueSQL is the review-queue query for one team (live namespace), as the
// benchmark and EXPLAIN checks use it.
const QueueSQL = `SELECT ` + entryCols + ` FROM entries WHERE team_id = ? AND training = ? AND status = 'received' ORDER BY grade DESC, deadline ASC LIMIT ?`

func (t *Tx) QueueStats(ctx context.Context, now time.Time) (central.QueueStats, error) {
	var st central.QueueStats
	err := t.row(ctx, `SELECT
		COALESCE(SUM(CASE WHEN NOT training THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN NOT training AND deadline < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN training THEN 1 ELSE 0 END), 0)
		FROM entries WHERE status = 'received'`, us(now)).Scan(&st.Depth, &st.Overdue, &st.TrainingDepth)
	if err != nil {
		return st, fmt.Errorf("queue stats: %w", err)
	}
	return st, nil
}

// ---- attachments

const attCols = `entry_id, sha256, size, media_type, received, complete, refused`

func scanAtt(sc interface{ Scan(...any) error }) (central.Attachment, error) {
	var a central.Attachment
	err := sc.Scan(&a.EntryID, &a.SHA256, &a.Size, &a.MediaType, &a.Offset, &a.Complete, &a.Refused)
	return a, err
}

func (t *Tx) Attachments(ctx context.Context, entryID string) ([]central.Attachment, error) {
	rows, err := t.query(ctx, `SELECT `+attCols+` FROM attachments WHERE entry_id = ? ORDER BY sha256`, entryID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAtt)
}

func (t *Tx) Attachment(ctx context.Context, entryID, sha string) (central.Attachment, error) {
	a, err := scanAtt(t.row(ctx, `SELECT `+attCols+` FROM attachments WHERE entry_id = ? AND sha256 = ?`, entryID, sha))
	return a, noRow(err, "attachment")
}

func (t *Tx) CreateAttachment(ctx context.Context, a central.Attachment) error {
	err := t.later(ctx, `INSERT INTO attachments (entry_id, sha256, size, media_type, received, complete, refused)
		VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (entry_id, sha256) DO NOTHING`, a.EntryID, a.SHA256, a.Size, a.MediaType, false, a.Refused)
	return err
}

func (t *Tx) AppendChunk(ctx context.Context, entryID, sha string, offset int64, data []byte) error {
	sealed, err := t.sealBlob(data, chunkAD(entryID, sha, offset))
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO attachment_chunks (entry_id, sha256, off, data) VALUES (?, ?, ?, ?)`, entryID, sha, offset, sealed); err != nil {
		return err
	}
	_, err = t.exec(ctx, `UPDATE attachments SET received = ? WHERE entry_id = ? AND sha256 = ?`, offset+int64(len(data)), entryID, sha)
	return err
}

func (t *Tx) ReadChunks(ctx context.Context, entryID, sha string, fn func([]byte) error) error {
	rows, err := t.query(ctx, `SELECT off, data FROM attachment_chunks WHERE entry_id = ? AND sha256 = ? ORDER BY off`, entryID, sha)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var off int64
		var b []byte
		if err := rows.Scan(&off, &b); err != nil {
			return err
		}
		if b, err = t.openBlob(b, chunkAD(entryID, sha, off)); err != nil {
			return fmt.Errorf("attachment %s/%s: %w", entryID, sha, err)
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *Tx) CompleteAttachment(ctx context.Context, entryID, sha string) error {
	_, err := t.exec(ctx, `UPDATE attachments SET complete = ? WHERE entry_id = ? AND sha256 = ?`, true, entryID, sha)
	return err
}

func (t *Tx) ResetAttachment(ctx context.Context, entryID, sha string) error {
	if _, err := t.exec(ctx, `DELETE FROM attachment_chunks WHERE entry_id = ? AND sha256 = ?`, entryID, sha); err != nil {
		return err
	}
	_, err := t.exec(ctx, `UPDATE attachments SET received = 0, complete = ? WHERE entry_id = ? AND sha256 = ?`, false, entryID, sha)
	return err
}

// ---- decisions and the change feed

func (t *Tx) CreateDecision(ctx context.Context, d central.Decision) error {
	comments, err := json.Marshal(d.Comments)
	if err != nil {
		return err
	}
	var deadline int64
	if !d.Deadline.IsZero() {
		deadline = us(d.Deadline)
	}
	at := us(d.At)
	reason, err := t.sealText([]byte(d.Reason), decisionAD("reason", d.EntryID, d.Revision, d.Kind, at))
	if err != nil {
		return err
	}
	sealedComments, err := t.sealText(comments, decisionAD("comments", d.EntryID, d.Revision, d.Kind, at))
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO decisions (entry_id, revision, kind, user_id, at, grade, reason, comments, deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.EntryID, d.Revision, d.Kind, d.By, at, int(d.Grade), reason, sealedComments, deadline)
	return err
}

func (t *Tx) Decisions(ctx context.Context, entryID string) ([]central.Decision, error) {
	rows, err := t.query(ctx, `SELECT id, entry_id, revision, kind, user_id, at, grade, reason, comments, deadline FROM decisions WHERE entry_id = ? ORDER BY id`, entryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.Decision
	for rows.Next() {
		var d central.Decision
		var at, deadline int64
		var grade int
		var reason, sealedComments string
		if err := rows.Scan(&d.ID, &d.EntryID, &d.Revision, &d.Kind, &d.By, &at, &grade, &reason, &sealedComments, &deadline); err != nil {
			return nil, err
		}
		d.At, d.Grade = fromUS(at), forms.Level(grade)
		if deadline != 0 {
			d.Deadline = fromUS(deadline)
		}
		r, err := t.openText(reason, decisionAD("reason", d.EntryID, d.Revision, d.Kind, at))
		if err != nil {
			return nil, fmt.Errorf("decision %d reason: %w", d.ID, err)
		}
		d.Reason = string(r)
		comments, err := t.openText(sealedComments, decisionAD("comments", d.EntryID, d.Revision, d.Kind, at))
		if err != nil {
			return nil, fmt.Errorf("decision %d comments: %w", d.ID, err)
		}
		if err := json.Unmarshal(comments, &d.Comments); err != nil {
			return nil, fmt.Errorf("decision comments: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (t *Tx) AppendChange(ctx context.Context, c central.Change) (int64, error) {
	body, err := json.Marshal(c.Body)
	if err != nil {
		return 0, err
	}
	at := us(c.Body.At)
	sealed, err := t.sealText(body, changeAD(c.Device, c.Team, string(c.Body.Kind), at))
	if err != nil {
		return 0, err
	}
	var seq int64
	err = t.row(ctx, `INSERT INTO changes (device_id, team_id, kind, body, at) VALUES (?, ?, ?, ?, ?) RETURNING seq`,
		nullStr(c.Device), nullStr(c.Team), string(c.Body.Kind), sealed, at).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("append change: %w", err)
	}
	return seq, nil
}

func (t *Tx) Changes(ctx context.Context, deviceID, team string, after int64, limit int) ([]central.Change, error) {
	rows, err := t.query(ctx, `SELECT seq, device_id, team_id, kind, at, body FROM changes
		WHERE seq > ? AND (device_id = ? OR (device_id IS NULL AND (team_id IS NULL OR team_id = ?)))
		ORDER BY seq LIMIT ?`, after, deviceID, team, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.Change
	for rows.Next() {
		var c central.Change
		var dev, tm sql.NullString
		var kind, sealed string
		var at int64
		if err := rows.Scan(&c.Seq, &dev, &tm, &kind, &at, &sealed); err != nil {
			return nil, err
		}
		c.Device, c.Team = dev.String, tm.String
		body, err := t.openText(sealed, changeAD(c.Device, c.Team, kind, at))
		if err != nil {
			return nil, fmt.Errorf("change %d: %w", c.Seq, err)
		}
		if err := json.Unmarshal(body, &c.Body); err != nil {
			return nil, fmt.Errorf("change %d: %w", c.Seq, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ---- audit

func (t *Tx) AuditHead(ctx context.Context) (int64, string, error) {
	if t.headLoaded {
		return t.headSeq, t.headHash, nil
	}
	var seq int64
	var hash string
	err := t.row(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash)
	if err != nil {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	t.headLoaded, t.headSeq, t.headHash = true, seq, hash
	return seq, hash, nil
}

// AppendAudit queues the record; it is written with the others of the
// transaction just before commit, in the same transaction.
func (t *Tx) AppendAudit(ctx context.Context, r central.AuditRecord) error {
	if t.headLoaded && r.Seq != t.headSeq+1 {
		return fmt.Errorf("append audit: record %d does not follow the head %d", r.Seq, t.headSeq)
	}
	t.pending = append(t.pending, r)
	t.headLoaded, t.headDirty, t.headSeq, t.headHash = true, true, r.Seq, r.Hash
	return nil
}

func (t *Tx) ScanAudit(ctx context.Context, fn func(central.AuditRecord) error) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	rows, err := t.query(ctx, `SELECT seq, at, actor, action, entry_id, revision, detail, prev_hash, hash FROM audit ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r central.AuditRecord
		var at int64
		if err := rows.Scan(&r.Seq, &at, &r.Actor, &r.Action, &r.EntryID, &r.Revision, &r.Detail, &r.PrevHash, &r.Hash); err != nil {
			return err
		}
		r.At = fromUS(at)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ---- checklists

func (t *Tx) MarkChecklist(ctx context.Context, ref forms.Ref, hash string, at time.Time) (bool, error) {
	r, err := t.exec(ctx, `INSERT INTO checklists (id, version, hash, announced) VALUES (?, ?, ?, ?) ON CONFLICT (id, version) DO NOTHING`,
		ref.ID, ref.Version, hash, us(at))
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

var _ central.Tx = (*Tx)(nil)
var _ central.Store = (*Store)(nil)

// Exec runs raw SQL in the transaction (for the contract tests and the
// benchmark, which own the schema; the service never calls it).
func (t *Tx) Exec(ctx context.Context, q string, args ...any) error {
	_, err := t.exec(ctx, q, args...)
	return err
}

// collect reads every row of rows with scan, then closes rows.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
