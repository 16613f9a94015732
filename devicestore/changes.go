package devicestore

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// ChangeKind says what a pulled change is.
type ChangeKind string

// Change kinds.
const (
	// ChangeDecision: a supervisor approved or returned a revision.
	ChangeDecision ChangeKind = "decision"
	// ChangeAlert: a message for the device's officers.
	ChangeAlert ChangeKind = "alert"
	// ChangeRevocation: an officer's access to this device was revoked, or
	// (Officer "") the device itself was: the vault is wiped.
	ChangeRevocation ChangeKind = "revocation"
)

// Decision is a supervisor's decision on a revision.
type Decision string

// Decisions.
const (
	DecisionApproved Decision = "approved"
	DecisionReturned Decision = "returned"
)

// Change is one change pulled from the central system, in server sequence
// order.
type Change struct {
	Kind     ChangeKind
	EntryID  string
	Revision int
	// Decision, Reason and Comments: for ChangeDecision. Reason is the
	// overall reason; Comments are per question.
	Decision Decision
	Reason   string
	Comments []Comment
	// Receipt is the server's receipt of the revision (kept if the device
	// has none yet; it does not count as an acknowledgement). Grade, when
	// set, is the entry's grade after the decision (a supervisor may raise
	// it) and replaces the grade lists show.
	Receipt string
	Grade   forms.Level
	// AlertID, Level and Text: for ChangeAlert (EntryID optional). An
	// alert already stored under the same id is skipped; the server's
	// sequence number makes a good id.
	AlertID string
	Level   forms.Level
	Text    string
	// Officer: for ChangeRevocation. The officer's key is removed (they can
	// no longer unlock), they are signed out if signed in, and their drafts
	// that were never submitted are wiped. "" revokes the whole device: the
	// vault is wiped. Revoking the last officer also wipes the vault.
	Officer string
	// At is the server's time of the change, for display only.
	At time.Time
}

// Comment is a supervisor's comment on one question of a returned entry.
// Path is forms.Item.Path ("question" or "group[instance].question"); ""
// for a comment on the whole entry.
type Comment struct {
	Path string
	Text string
}

// Review is a supervisor's decision on one revision, as kept on the
// device.
type Review struct {
	EntryID  string
	Revision int
	Decision Decision
	Reason   string
	Comments []Comment
	Decided  time.Time
}

// Alert is a message from the central system.
type Alert struct {
	ID        string
	EntryID   string
	Level     forms.Level
	Text      string
	Received  time.Time
	Dismissed bool
}

// Cursor returns the server cursor of the last applied changes ("" at
// first). It works while the store is locked.
func (s *Store) Cursor() (string, error) {
	return locked(s, func() (string, error) {
		var c string
		err := s.db.QueryRow(`SELECT value FROM sync_state WHERE key = 'cursor'`).Scan(&c)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		return c, storageErr("read cursor", err)
	})
}

// ApplyChanges applies pulled changes and stores the new cursor in one
// transaction: either all of them and the cursor, or nothing. It works
// while the store is locked (texts are sealed to the device key), so
// decisions and revocations arrive even when no officer is signed in.
//
// A returned decision makes a new editable revision (revision+1, state
// returned) copying the returned revision's content; the comments stay
// with the returned revision (Review). Decisions are idempotent: one
// already applied, or about an entry this device does not hold, is
// skipped. A device revocation wipes the vault; the wipe is recorded in
// the same transaction and completed (or resumed at the next Open).
func (s *Store) ApplyChanges(cursor string, changes []Change) error {
	return s.run(func() error {
		if s.wiped {
			return ErrWiped
		}
		wipe := false
		lockNow := false
		err := s.tx("apply changes", func(tx *sql.Tx) error {
			for i, c := range changes {
				var err error
				switch c.Kind {
				case ChangeDecision:
					err = s.applyDecision(tx, c)
				case ChangeAlert:
					err = s.applyAlert(tx, c)
				case ChangeRevocation:
					var all bool
					all, err = s.applyRevocation(tx, c)
					wipe = wipe || all
					lockNow = lockNow || c.Officer == s.officer
				default:
					err = fmt.Errorf("%w: unknown change kind %q", ErrInvalid, c.Kind)
				}
				if err != nil {
					return fmt.Errorf("apply change %d (%s %s): %w", i, c.Kind, c.EntryID, err)
				}
			}
			_, err := tx.Exec(`INSERT INTO sync_state(key, value) VALUES ('cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, cursor)
			return storageErr("apply changes", err)
		})
		if err != nil {
			return err
		}
		if lockNow {
			s.lockLocked()
		}
		if wipe {
			return s.wipeLocked("device revoked")
		}
		return nil
	})
}

func (s *Store) applyDecision(tx *sql.Tx, c Change) error {
	if c.Decision != DecisionApproved && c.Decision != DecisionReturned {
		return fmt.Errorf("%w: unknown decision %q", ErrInvalid, c.Decision)
	}
	var frozen, decided sql.NullInt64
	var current int
	err := tx.QueryRow(`SELECT r.frozen, r.decided, e.revision FROM revisions r JOIN entries e ON e.id = r.entry_id WHERE r.entry_id = ? AND r.revision = ?`,
		c.EntryID, c.Revision).Scan(&frozen, &decided, &current)
	if errors.Is(err, sql.ErrNoRows) {
		s.opts.Logger.Info("decision about an entry this device does not hold skipped", "entry", c.EntryID, "revision", c.Revision)
		return nil
	}
	if err != nil {
		return storageErr("apply decision", err)
	}
	if decided.Valid || !frozen.Valid {
		return nil // already applied, or not a submitted revision
	}
	now := s.now()
	note, err := s.sealNote(noteReturn, c.EntryID, c.Revision, c.Reason)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE revisions SET state = ?, decided = ?, note = ?, receipt = coalesce(receipt, nullif(?, '')) WHERE entry_id = ? AND revision = ?`,
		string(c.Decision), now, note, c.Receipt, c.EntryID, c.Revision); err != nil {
		return storageErr("apply decision", err)
	}
	if c.Grade != forms.LevelNone {
		if _, err := tx.Exec(`UPDATE entries SET grade = ? WHERE id = ?`, c.Grade, c.EntryID); err != nil {
			return storageErr("apply decision", err)
		}
	}
	for i, cm := range c.Comments {
		text, err := sealTo(s.pub, []byte(cm.Text), commentAD(c.EntryID, c.Revision, i, cm.Path))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO comments(entry_id, revision, seq, path, text) VALUES (?,?,?,?,?)`, c.EntryID, c.Revision, i, cm.Path, text); err != nil {
			return storageErr("apply decision", err)
		}
	}
	if c.Decision == DecisionReturned && c.Revision == current {
		if err := newRevisionFrom(tx, c.EntryID, c.Revision, now); err != nil {
			return err
		}
	}
	if err := refreshEntryState(tx, c.EntryID); err != nil {
		return err
	}
	return s.audit(tx, "sync", AuditDecision, c.EntryID, fmt.Sprintf("revision %d %s", c.Revision, c.Decision))
}

func commentAD(entryID string, rev, seq int, path string) []byte {
	return ad("comment", entryID, strconv.Itoa(rev), strconv.Itoa(seq), path)
}

// newRevisionFrom starts revision rev+1 as an editable copy of rev. The
// encrypted rows are copied as they are: their associated data names the
// entry and field but not the revision, so no key is needed.
func newRevisionFrom(tx *sql.Tx, entryID string, rev int, now int64) error {
	next := rev + 1
	for _, q := range []string{
		`INSERT INTO revisions(entry_id, revision, state, created) VALUES (?1, ?2 + 1, '` + string(StateReturned) + `', ?3)`,
		`INSERT INTO instances(entry_id, revision, grp, id, pos) SELECT entry_id, ?2 + 1, grp, id, pos FROM instances WHERE entry_id = ?1 AND revision = ?2`,
		`INSERT INTO answers(entry_id, revision, grp, instance, question, value, updated) SELECT entry_id, ?2 + 1, grp, instance, question, value, updated FROM answers WHERE entry_id = ?1 AND revision = ?2`,
		`INSERT INTO fields(entry_id, revision, name, value) SELECT entry_id, ?2 + 1, name, value FROM fields WHERE entry_id = ?1 AND revision = ?2`,
		`INSERT INTO entry_attachments(entry_id, revision, attachment, name, pos) SELECT entry_id, ?2 + 1, attachment, name, pos FROM entry_attachments WHERE entry_id = ?1 AND revision = ?2`,
		`UPDATE entries SET revision = ?2 + 1, updated = ?3 WHERE id = ?1`,
	} {
		if _, err := tx.Exec(q, entryID, rev, now); err != nil {
			return storageErr(fmt.Sprintf("start revision %d", next), err)
		}
	}
	return nil
}

func (s *Store) applyAlert(tx *sql.Tx, c Change) error {
	if c.AlertID == "" {
		return fmt.Errorf("%w: alert without id", ErrInvalid)
	}
	text, err := sealTo(s.pub, []byte(c.Text), ad("alert", c.AlertID))
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO alerts(id, entry_id, level, text, received) VALUES (?,?,?,?,?) ON CONFLICT(id) DO NOTHING`,
		c.AlertID, c.EntryID, c.Level, text, s.now())
	return storageErr("store alert", err)
}

// applyRevocation removes an officer, or marks the device for wiping. It
// reports whether the whole vault must be wiped.
func (s *Store) applyRevocation(tx *sql.Tx, c Change) (bool, error) {
	if c.Officer != "" {
		if _, err := tx.Exec(`DELETE FROM officers WHERE id = ?`, c.Officer); err != nil {
			return false, storageErr("revoke officer", err)
		}
		if err := wipeDrafts(tx, c.Officer); err != nil {
			return false, err
		}
		if err := s.audit(tx, "sync", AuditRevoke, "", c.Officer); err != nil {
			return false, err
		}
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM officers`).Scan(&n); err != nil {
			return false, storageErr("revoke officer", err)
		}
		if n > 0 {
			return false, nil
		}
	}
	if err := setMeta(tx, "revoked", []byte(strconv.FormatInt(s.now(), 10))); err != nil {
		return false, storageErr("revoke device", err)
	}
	return true, s.audit(tx, "sync", AuditRevoke, "", "device")
}

// Review returns the supervisor's decision on a revision (0: the latest
// decided revision), with the comments, decrypted.
func (s *Store) Review(entryID string, revision int) (Review, error) {
	r := Review{EntryID: entryID}
	return withKeys(s, true, func(kr *keyring) (Review, error) {
		q := `SELECT revision, state, decided, note FROM revisions WHERE entry_id = ? AND decided IS NOT NULL`
		args := []any{entryID}
		if revision > 0 {
			q += ` AND revision = ?`
			args = append(args, revision)
		}
		var decided int64
		var note []byte
		var state string
		err := s.db.QueryRow(q+` ORDER BY revision DESC LIMIT 1`, args...).Scan(&r.Revision, &state, &decided, &note)
		if errors.Is(err, sql.ErrNoRows) {
			return r, fmt.Errorf("review of %s: %w", entryID, ErrNotFound)
		}
		if err != nil {
			return r, storageErr("read review", err)
		}
		r.Decision, r.Decided = Decision(state), fromMS(decided)
		if note != nil {
			r.Reason = s.openNote(kr, note, noteReturn, entryID, r.Revision)
		}
		rows, err := s.db.Query(`SELECT seq, path, text FROM comments WHERE entry_id = ? AND revision = ? ORDER BY seq`, entryID, r.Revision)
		if err != nil {
			return r, storageErr("read review", err)
		}
		defer rows.Close()
		for rows.Next() {
			var seq int
			var c Comment
			var text []byte
			if err := rows.Scan(&seq, &c.Path, &text); err != nil {
				return r, storageErr("read review", err)
			}
			pt, err := kr.open(text, commentAD(entryID, r.Revision, seq, c.Path))
			if err != nil {
				return r, fmt.Errorf("read review of %s: %w (%w)", entryID, ErrCorrupt, err)
			}
			c.Text = string(pt)
			r.Comments = append(r.Comments, c)
		}
		return r, storageErr("read review", rows.Err())
	})
}

// Alerts lists alerts, newest first (dismissed ones only if asked).
func (s *Store) Alerts(includeDismissed bool) ([]Alert, error) {
	return withKeys(s, true, func(kr *keyring) ([]Alert, error) {
		q := `SELECT id, entry_id, level, text, received, dismissed FROM alerts`
		if !includeDismissed {
			q += ` WHERE dismissed IS NULL`
		}
		rows, err := s.db.Query(q + ` ORDER BY received DESC, id`)
		if err != nil {
			return nil, storageErr("read alerts", err)
		}
		defer rows.Close()
		var out []Alert
		for rows.Next() {
			var a Alert
			var text []byte
			var received int64
			var dismissed sql.NullInt64
			if err := rows.Scan(&a.ID, &a.EntryID, &a.Level, &text, &received, &dismissed); err != nil {
				return nil, storageErr("read alerts", err)
			}
			pt, err := kr.open(text, ad("alert", a.ID))
			if err != nil {
				return nil, fmt.Errorf("read alert %s: %w (%w)", a.ID, ErrCorrupt, err)
			}
			a.Text, a.Received, a.Dismissed = string(pt), fromMS(received), dismissed.Valid
			out = append(out, a)
		}
		return out, storageErr("read alerts", rows.Err())
	})
}

// DismissAlert marks an alert as seen.
func (s *Store) DismissAlert(id string) error {
	return s.runKeys(true, func(*keyring) error {
		return s.tx("dismiss alert", func(tx *sql.Tx) error {
			res, err := tx.Exec(`UPDATE alerts SET dismissed = ? WHERE id = ? AND dismissed IS NULL`, s.now(), id)
			if err != nil {
				return storageErr("dismiss alert", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("alert %s: %w", id, ErrNotFound)
			}
			return nil
		})
	})
}

// Purge removes the content of entries whose current revision the server
// acknowledged and a supervisor approved more than Options.Retention ago
// (training entries: acknowledged more than Retention ago), once none of
// their attachments is still waiting to be uploaded. What stays:
// the entry's id, checklist, states, grades, hashes, receipts and times,
// and the audit trail. Attachment files no entry lists any more (and not
// waiting for upload) are deleted. It needs no key and returns how many
// entries were purged.
func (s *Store) Purge(now time.Time) (int, error) {
	return locked(s, func() (int, error) {
		if s.wiped {
			return 0, ErrWiped
		}
		cutoff := now.Add(-s.opts.Retention).UnixMilli()
		var purged int
		var files []string
		err := s.tx("purge", func(tx *sql.Tx) error {
			rows, err := tx.Query(`SELECT e.id FROM entries e JOIN revisions r ON r.entry_id = e.id AND r.revision = e.revision
			WHERE e.purged IS NULL AND r.acked IS NOT NULL
			AND ((r.state = ? AND r.decided <= ?) OR (e.training = 1 AND r.acked <= ?))
			AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entry_id = e.id)
			AND NOT EXISTS (SELECT 1 FROM entry_attachments ea JOIN attachments a ON a.id = ea.attachment
				WHERE ea.entry_id = e.id AND a.queued IS NOT NULL AND a.uploaded IS NULL AND a.set_aside IS NULL)`, StateApproved, cutoff, cutoff)
			if err != nil {
				return storageErr("purge", err)
			}
			var ids []string
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return storageErr("purge", err)
				}
				ids = append(ids, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return storageErr("purge", err)
			}
			for _, id := range ids {
				for _, q := range []string{
					`DELETE FROM answers WHERE entry_id = ?1`,
					`DELETE FROM instances WHERE entry_id = ?1`,
					`DELETE FROM fields WHERE entry_id = ?1`,
					`DELETE FROM entry_attachments WHERE entry_id = ?1`,
					`DELETE FROM comments WHERE entry_id = ?1`,
					`DELETE FROM payloads WHERE entry_id = ?1`,
					`UPDATE revisions SET note = NULL WHERE entry_id = ?1`,
					`UPDATE entries SET purged = ?2, title = NULL WHERE id = ?1`,
				} {
					if _, err := tx.Exec(q, id, now.UnixMilli()); err != nil {
						return storageErr("purge", err)
					}
				}
				if err := s.audit(tx, "system", AuditPurge, id, ""); err != nil {
					return err
				}
			}
			purged = len(ids)
			// Attachments no entry lists and not waiting for upload.
			rows, err = tx.Query(`DELETE FROM attachments WHERE id NOT IN (SELECT attachment FROM entry_attachments)
			AND (queued IS NULL OR uploaded IS NOT NULL OR set_aside IS NOT NULL) RETURNING id`)
			if err != nil {
				return storageErr("purge", err)
			}
			defer rows.Close()
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					return storageErr("purge", err)
				}
				files = append(files, id)
			}
			return storageErr("purge", rows.Err())
		})
		if err != nil {
			return 0, err
		}
		for _, id := range files {
			os.Remove(filepath.Join(s.attDir, id))
		}
		s.removeOrphanFiles()
		if purged > 0 {
			// Push the zeroed pages into the main file and empty the WAL, so
			// old page images holding purged ciphertext do not linger.
			if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				return purged, storageErr("purge", err)
			}
		}
		return purged, nil
	})
}

// removeOrphanFiles deletes attachment files with no row (left by a crash
// between storing the file and committing its row).
func (s *Store) removeOrphanFiles() {
	names, err := os.ReadDir(s.attDir)
	if err != nil {
		return
	}
	known := map[string]bool{}
	rows, err := s.db.Query(`SELECT id FROM attachments`)
	if err != nil {
		return
	}
	for rows.Next() {
		var id string
		if rows.Scan(&id) == nil {
			known[id] = true
		}
	}
	rows.Close()
	if rows.Err() != nil {
		return
	}
	for _, n := range names {
		if !n.IsDir() && !strings.HasPrefix(n.Name(), "tmp-") && !known[n.Name()] {
			os.Remove(filepath.Join(s.attDir, n.Name()))
		}
	}
}

// wipeDrafts deletes an officer's unsubmitted work: first drafts entirely,
// and the editable revision of returned entries (the returned revision,
// which the server holds, stays).
func wipeDrafts(tx *sql.Tx, officer string) error {
	for _, q := range []string{
		`DELETE FROM entries WHERE officer = ?1 AND revision = 1
			AND EXISTS (SELECT 1 FROM revisions r WHERE r.entry_id = entries.id AND r.revision = 1 AND r.frozen IS NULL)`,
		`DELETE FROM revisions WHERE frozen IS NULL AND revision > 1
			AND entry_id IN (SELECT id FROM entries WHERE officer = ?1)`,
		`UPDATE entries SET revision = (SELECT max(revision) FROM revisions r WHERE r.entry_id = entries.id)
			WHERE officer = ?1`,
		`UPDATE entries SET state = (SELECT state FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision)
			WHERE officer = ?1`,
	} {
		if _, err := tx.Exec(q, officer); err != nil {
			return storageErr("wipe drafts", err)
		}
	}
	return nil
}
