package devicestore

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// Frozen describes a submitted revision.
type Frozen struct {
	EntryID  string
	Revision int
	// Hash is the hex SHA-256 of Payload's plaintext: the entry document
	// as forms.Entry.Encode wrote it (forms.ContentHash of the entry).
	Hash     string
	Size     int64
	Priority int
	Enqueued time.Time
}

// OutboxItem is a submitted revision waiting for the server.
type OutboxItem struct {
	Seq       int64 // enqueue order
	EntryID   string
	Revision  int
	Hash      string
	Payload   []byte // the entry document (forms.DecodeEntry reads it)
	Size      int64
	Priority  int
	Grade     forms.Level
	Immediate bool
	// Training entries must go to the training service, never to the live
	// referral queue (invariant 10).
	Training    bool
	Attempts    int // times handed out by NextBatch
	NextAttempt time.Time
	LastError   string
	Enqueued    time.Time
}

// Outcome is the server's answer to one pushed revision.
type Outcome string

// Outcomes.
const (
	OutcomeAccepted  Outcome = "accepted"  // stored; Receipt set
	OutcomeDuplicate Outcome = "duplicate" // already stored with the same hash; Receipt set
	OutcomeConflict  Outcome = "conflict"  // the server holds different content under this id and revision
	OutcomeRejected  Outcome = "rejected"  // refused; Permanent says whether retrying can help
)

// Ack is the server's answer about one revision.
type Ack struct {
	EntryID   string
	Revision  int
	Outcome   Outcome
	Receipt   string
	Reason    string // plain words, shown to the officer
	Permanent bool   // for OutcomeRejected: never retry, set aside
}

// Priorities: the sync engine sends higher first.
const (
	PriorityImmediate = 100
	priorityTraining  = -1000
)

func priorityOf(grade forms.Level, immediate, training bool) int {
	p := int(grade) * 10
	if immediate {
		p = PriorityImmediate
	}
	if training {
		p += priorityTraining
	}
	return p
}

// backoff is the wait after a failed attempt: 30 s doubling, at most an
// hour.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Note kinds: texts that come from the server or the sync engine and are
// sealed to the device key (they may quote what the officer wrote).
const (
	noteOutbox = "outbox-error"
	noteReturn = "return-reason"
	noteUpload = "upload-error"
)

func (s *Store) sealNote(kind, id string, rev int, text string) (any, error) {
	if text == "" {
		return nil, nil
	}
	return sealTo(s.pub, []byte(text), ad("note", kind, id, strconv.Itoa(rev)))
}

func (s *Store) openNote(kr *keyring, b []byte, kind, id string, rev int) string {
	pt, err := kr.open(b, ad("note", kind, id, strconv.Itoa(rev)))
	if err != nil {
		return "(the stored reason cannot be read)"
	}
	return string(pt)
}

// Submit freezes the entry's current revision and queues it for the
// server, in one transaction: the entry document (forms.Entry.Encode) is
// stored encrypted with the hex SHA-256 of its plaintext, and can never
// change again. grade and immediate come from the caller's evaluation
// (forms.Evaluate) and set the outbox priority: immediate risk first. The
// revision's attachments are queued for upload.
func (s *Store) Submit(entryID string, grade forms.Level, immediate bool) (Frozen, error) {
	var fr Frozen
	return withKeys(s, true, func(kr *keyring) (Frozen, error) {
		err := s.tx("submit", func(tx *sql.Tx) error {
			rev, err := s.editable(tx, entryID)
			if err != nil {
				return err
			}
			e, err := s.loadEntry(tx, kr, entryID, rev)
			if err != nil {
				return err
			}
			payload, err := e.Encode()
			if err != nil {
				return fmt.Errorf("submit %s: %w", entryID, err)
			}
			if _, err := forms.DecodeEntry(payload); err != nil {
				return fmt.Errorf("submit %s: %w: %w", entryID, ErrInvalid, err)
			}
			sum := sha256.Sum256(payload)
			now := s.now()
			fr = Frozen{EntryID: entryID, Revision: rev, Hash: hex.EncodeToString(sum[:]), Size: int64(len(payload)),
				Priority: priorityOf(grade, immediate, e.Training), Enqueued: fromMS(now)}
			sealed := kr.seal(payload, payloadAD(entryID, rev))
			clear(payload)
			if _, err := tx.Exec(`UPDATE revisions SET state = ?, frozen = ?, hash = ?, size = ?, grade = ?, immediate = ? WHERE entry_id = ? AND revision = ?`,
				StateQueued, now, fr.Hash, fr.Size, grade, immediate, entryID, rev); err != nil {
				return storageErr("submit", err)
			}
			if _, err := tx.Exec(`INSERT INTO payloads(entry_id, revision, payload) VALUES (?, ?, ?)`, entryID, rev, sealed); err != nil {
				return storageErr("submit", err)
			}
			if _, err := tx.Exec(`UPDATE entries SET state = ?, grade = ?, immediate = ?, updated = ? WHERE id = ?`, StateQueued, grade, immediate, now, entryID); err != nil {
				return storageErr("submit", err)
			}
			if _, err := tx.Exec(`INSERT INTO outbox(entry_id, revision, priority, training, enqueued, next_attempt) VALUES (?,?,?,?,?,?)`,
				entryID, rev, fr.Priority, e.Training, now, now); err != nil {
				return storageErr("submit", err)
			}
			if _, err := tx.Exec(`UPDATE attachments SET queued = ?, next_attempt = ? WHERE queued IS NULL AND uploaded IS NULL
			AND id IN (SELECT attachment FROM entry_attachments WHERE entry_id = ? AND revision = ?)`, now, now, entryID, rev); err != nil {
				return storageErr("submit", err)
			}
			return s.audit(tx, s.officer, AuditSubmit, entryID, fmt.Sprintf("revision %d grade %s", rev, grade))
		})
		if err != nil {
			return Frozen{}, err
		}
		return fr, nil
	})
}

// refreshEntryState copies the current revision's state to the entry row.
func refreshEntryState(tx *sql.Tx, entryID string) error {
	_, err := tx.Exec(`UPDATE entries SET state = (SELECT state FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision) WHERE id = ?`, entryID)
	return storageErr("update entry state", err)
}

// NextBatch hands the sync engine the next revisions to push: highest
// priority first (immediate risk before anything else), then in the order
// they were submitted; only items whose next attempt time has come; never
// set-aside items. It stops at maxItems items or before maxBytes of
// payload (but always returns at least one ready item). The items handed
// out are marked sent and held back for the send lease, so a second call
// does not return them again; Acknowledge or Defer settles them. An item
// whose stored copy cannot be read is set aside with the reason instead of
// failing the batch. NextBatch needs the store unlocked (ErrLocked).
func (s *Store) NextBatch(now time.Time, maxItems int, maxBytes int64) ([]OutboxItem, error) {
	return withKeys(s, false, func(kr *keyring) ([]OutboxItem, error) {
		var items []OutboxItem
		err := s.syncTx("read outbox", func(tx *sql.Tx) error {
			var err error
			items, err = s.nextBatchTx(tx, kr, now, maxItems, maxBytes)
			return err
		})
		if err != nil {
			return nil, err
		}
		return items, nil
	})
}

// AcknowledgeAndNext is Acknowledge(acks) followed by NextBatch, in one
// transaction (one commit, so one sync of the log, instead of two). When
// the store is locked it only acknowledges, and returns ErrLocked.
func (s *Store) AcknowledgeAndNext(acks []Ack, now time.Time, maxItems int, maxBytes int64) ([]OutboxItem, error) {
	return locked(s, func() ([]OutboxItem, error) {
		if s.wiped {
			return nil, ErrWiped
		}
		kr, kerr := s.keysFor(false)
		var items []OutboxItem
		err := s.syncTx("acknowledge", func(tx *sql.Tx) error {
			if err := s.ackTx(tx, acks); err != nil {
				return err
			}
			if kerr != nil {
				return nil
			}
			var err error
			items, err = s.nextBatchTx(tx, kr, now, maxItems, maxBytes)
			return err
		})
		if err != nil {
			return nil, err
		}
		if kerr != nil {
			return nil, kerr
		}
		return items, nil
	})
}

// nextBatchTx is NextBatch's work, in tx.
func (s *Store) nextBatchTx(tx *sql.Tx, kr *keyring, now time.Time, maxItems int, maxBytes int64) ([]OutboxItem, error) {
	if maxItems <= 0 {
		maxItems = 1
	}
	items, damaged, err := s.readBatch(tx, kr, now, maxItems, maxBytes)
	if err != nil || (len(items) == 0 && len(damaged) == 0) {
		return nil, err
	}
	lease := now.Add(s.opts.SendLease).UnixMilli()
	if len(items) > 0 {
		seqs, keys, ids := newList(lLease, len(items)), newList(lMarkSent, len(items)), newList(lRefreshEntries, len(items))
		for i := range items {
			it := &items[i]
			seqs.add(it.Seq)
			keys.add(it.EntryID, it.Revision)
			ids.add(it.EntryID)
			it.Attempts++
			it.NextAttempt = fromMS(lease)
		}
		// One statement each for the whole batch (they were three a row).
		if err := s.execList(tx, seqs, lease); err != nil {
			return nil, storageErr("read outbox", err)
		}
		if err := s.execList(tx, keys, StateSent, StateQueued, StateSent); err != nil {
			return nil, storageErr("read outbox", err)
		}
		if err := s.execList(tx, ids); err != nil {
			return nil, storageErr("update entry state", err)
		}
	}
	for _, it := range damaged {
		if err := s.setAside(tx, it.EntryID, it.Revision, "the stored copy of this entry is damaged and cannot be sent"); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// readBatch reads and decrypts the next batch; damaged are the items
// whose stored copy cannot be read.
func (s *Store) readBatch(tx *sql.Tx, kr *keyring, now time.Time, maxItems int, maxBytes int64) (items, damaged []OutboxItem, err error) {
	rows, err := tx.Stmt(s.stmts[qReadBatch]).Query(now.UnixMilli(), maxItems)
	if err != nil {
		return nil, nil, storageErr("read outbox", err)
	}
	defer rows.Close()
	var total int64
	for rows.Next() {
		var it OutboxItem
		var next, enq int64
		var lastErr, payload []byte
		var hash sql.NullString
		var size sql.NullInt64
		if err := rows.Scan(&it.Seq, &it.EntryID, &it.Revision, &it.Priority, &it.Training, &it.Attempts, &next, &lastErr, &enq,
			&payload, &hash, &size, &it.Grade, &it.Immediate); err != nil {
			return nil, nil, storageErr("read outbox", err)
		}
		it.NextAttempt, it.Enqueued, it.Hash, it.Size = fromMS(next), fromMS(enq), hash.String, size.Int64
		if lastErr != nil {
			it.LastError = s.openNote(kr, lastErr, noteOutbox, it.EntryID, it.Revision)
		}
		pt, err := kr.open(payload, payloadAD(it.EntryID, it.Revision))
		if err == nil {
			if sum := sha256.Sum256(pt); hex.EncodeToString(sum[:]) != it.Hash {
				err = errors.New("hash mismatch")
			}
		}
		if err != nil {
			damaged = append(damaged, it)
			continue
		}
		if len(items) > 0 && maxBytes > 0 && total+int64(len(pt)) > maxBytes {
			break
		}
		it.Payload = pt
		total += int64(len(pt))
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, storageErr("read outbox", err)
	}
	return items, damaged, nil
}

func (s *Store) setAside(tx *sql.Tx, entryID string, rev int, reason string) error {
	note, err := s.sealNote(noteOutbox, entryID, rev, reason)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE outbox SET set_aside = ?, last_error = ? WHERE entry_id = ? AND revision = ?`, s.now(), note, entryID, rev); err != nil {
		return storageErr("set aside", err)
	}
	if _, err := tx.Exec(`UPDATE revisions SET state = ? WHERE entry_id = ? AND revision = ? AND state IN (?, ?)`,
		StateRejected, entryID, rev, StateQueued, StateSent); err != nil {
		return storageErr("set aside", err)
	}
	return refreshEntryState(tx, entryID)
}

// Acknowledge records the server's answers for pushed revisions, all in
// one transaction. Accepted and duplicate revisions leave the outbox (the
// only way anything leaves it) and keep their receipt; a conflict or a
// permanent rejection sets the item aside with its reason, where it never
// blocks the others; a temporary rejection is retried after a back-off.
// Answers about revisions that are not waiting (already acknowledged,
// unknown) are ignored, so a repeated acknowledgement is harmless. It
// works while the store is locked.
func (s *Store) Acknowledge(acks []Ack) error {
	return s.run(func() error {
		if s.wiped {
			return ErrWiped
		}
		return s.syncTx("acknowledge", func(tx *sql.Tx) error { return s.ackTx(tx, acks) })
	})
}

// ackTx is Acknowledge's work, in tx. It does what acknowledging the
// answers one after another would, with a few statements for the whole
// batch: one to find which answers are about waiting revisions, three to
// record every accepted or duplicate one (receipt and state, leaving the
// outbox, the entries' state) and one for the audit records. Conflicts
// and rejections, rare, are recorded one by one, in order.
func (s *Store) ackTx(tx *sql.Tx, acks []Ack) error {
	if len(acks) == 0 {
		return nil
	}
	for _, a := range acks {
		switch a.Outcome {
		case OutcomeAccepted, OutcomeDuplicate, OutcomeConflict, OutcomeRejected:
		default:
			return fmt.Errorf("acknowledge %s: %w: unknown outcome %q", a.EntryID, ErrInvalid, a.Outcome)
		}
	}
	waiting, err := s.waitingOf(tx, acks)
	if err != nil {
		return err
	}
	now := s.now()
	receipts, seqs, entries := newList(lAckRevisions, len(acks)), newList(lOutboxDelete, len(acks)), newList(lRefreshEntries, len(acks))
	accepted := 0
	events := make([]auditEvent, 0, len(acks))
	for _, a := range acks {
		k := outboxKey{a.EntryID, a.Revision}
		w, ok := waiting[k]
		if !ok {
			s.opts.Logger.Info("acknowledgement for a revision not in the outbox ignored", "entry", a.EntryID, "revision", a.Revision, "outcome", a.Outcome)
			continue
		}
		switch a.Outcome {
		case OutcomeAccepted, OutcomeDuplicate:
			receipts.add(a.EntryID, a.Revision, a.Receipt)
			seqs.add(w.seq)
			entries.add(a.EntryID)
			accepted++
			delete(waiting, k) // it leaves the outbox: a later answer about it is ignored
		case OutcomeConflict:
			reason := a.Reason
			if reason == "" {
				reason = "the server already holds different content for this revision; ask your supervisor"
			}
			if err := s.setAside(tx, a.EntryID, a.Revision, reason); err != nil {
				return err
			}
		case OutcomeRejected:
			reason := a.Reason
			if reason == "" {
				reason = "the server refused this entry"
			}
			if a.Permanent {
				if err := s.setAside(tx, a.EntryID, a.Revision, reason); err != nil {
					return err
				}
				break
			}
			if err := s.deferLocked(tx, a.EntryID, a.Revision, reason, fromMS(now).Add(backoff(w.attempts))); err != nil {
				return err
			}
		}
		events = append(events, auditEvent{"sync", AuditAck, a.EntryID, fmt.Sprintf("revision %d %s", a.Revision, a.Outcome)})
	}
	if accepted > 0 {
		if err := s.execList(tx, receipts, now, StateQueued, StateSent, StateRejected, StateAccepted); err != nil {
			return storageErr("acknowledge", err)
		}
		if err := s.execList(tx, seqs); err != nil {
			return storageErr("acknowledge", err)
		}
		if err := s.execList(tx, entries); err != nil {
			return storageErr("update entry state", err)
		}
	}
	return s.auditAll(tx, events)
}

// outboxKey names a revision in the outbox.
type outboxKey struct {
	entryID  string
	revision int
}

// outboxRef is where a waiting revision is in the outbox.
type outboxRef struct {
	seq      int64
	attempts int
}

// waitingOf finds, in one query (one for each 64), which of the
// revisions acks answer are in the outbox.
func (s *Store) waitingOf(tx *sql.Tx, acks []Ack) (map[outboxKey]outboxRef, error) {
	keys := newList(lWaitingOf, len(acks))
	for _, a := range acks {
		keys.add(a.EntryID, a.Revision)
	}
	waiting := make(map[outboxKey]outboxRef, len(acks))
	err := s.eachRun(tx, keys, nil, func(st *sql.Stmt, args []any) error {
		rows, err := st.Query(args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k outboxKey
			var w outboxRef
			if err := rows.Scan(&k.entryID, &k.revision, &w.seq, &w.attempts); err != nil {
				return err
			}
			waiting[k] = w
		}
		return rows.Err()
	})
	return waiting, storageErr("acknowledge", err)
}

// Defer puts a revision back in the queue after a failed attempt (network
// down, server busy), with the problem in plain words and the time of the
// next try. It works while the store is locked.
func (s *Store) Defer(entryID string, revision int, problem string, next time.Time) error {
	return s.run(func() error {
		if s.wiped {
			return ErrWiped
		}
		return s.syncTx("defer", func(tx *sql.Tx) error {
			return s.deferLocked(tx, entryID, revision, problem, next)
		})
	})
}

func (s *Store) deferLocked(tx *sql.Tx, entryID string, rev int, problem string, next time.Time) error {
	note, err := s.sealNote(noteOutbox, entryID, rev, problem)
	if err != nil {
		return err
	}
	res, err := tx.Exec(`UPDATE outbox SET next_attempt = ?, last_error = ? WHERE entry_id = ? AND revision = ? AND set_aside IS NULL`,
		next.UnixMilli(), note, entryID, rev)
	if err != nil {
		return storageErr("defer", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // acknowledged or set aside meanwhile
	}
	if _, err := tx.Exec(`UPDATE revisions SET state = ? WHERE entry_id = ? AND revision = ? AND state = ?`, StateQueued, entryID, rev, StateSent); err != nil {
		return storageErr("defer", err)
	}
	return refreshEntryState(tx, entryID)
}

// Requeue puts a set-aside revision back in the queue (after the officer
// or the help desk dealt with the reason).
func (s *Store) Requeue(entryID string, revision int) error {
	return s.runKeys(true, func(*keyring) error {
		return s.tx("requeue", func(tx *sql.Tx) error {
			res, err := tx.Exec(`UPDATE outbox SET set_aside = NULL, last_error = NULL, next_attempt = ? WHERE entry_id = ? AND revision = ? AND set_aside IS NOT NULL`,
				s.now(), entryID, revision)
			if err != nil {
				return storageErr("requeue", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("requeue %s revision %d: %w (not set aside)", entryID, revision, ErrNotFound)
			}
			if _, err := tx.Exec(`UPDATE revisions SET state = ? WHERE entry_id = ? AND revision = ? AND state = ?`, StateQueued, entryID, revision, StateRejected); err != nil {
				return storageErr("requeue", err)
			}
			return refreshEntryState(tx, entryID)
		})
	})
}

// SetAside lists the set-aside items with their reasons.
func (s *Store) SetAside() ([]OutboxItem, error) {
	return withKeys(s, true, func(kr *keyring) ([]OutboxItem, error) {
		rows, err := s.db.Query(`SELECT seq, entry_id, revision, priority, training, attempts, enqueued, last_error FROM outbox WHERE set_aside IS NOT NULL ORDER BY seq`)
		if err != nil {
			return nil, storageErr("read outbox", err)
		}
		defer rows.Close()
		var out []OutboxItem
		for rows.Next() {
			var it OutboxItem
			var enq int64
			var lastErr []byte
			if err := rows.Scan(&it.Seq, &it.EntryID, &it.Revision, &it.Priority, &it.Training, &it.Attempts, &enq, &lastErr); err != nil {
				return nil, storageErr("read outbox", err)
			}
			it.Enqueued = fromMS(enq)
			if lastErr != nil {
				it.LastError = s.openNote(kr, lastErr, noteOutbox, it.EntryID, it.Revision)
			}
			out = append(out, it)
		}
		return out, storageErr("read outbox", rows.Err())
	})
}

// Upload is an attachment waiting to be uploaded.
type Upload struct {
	SHA256    string
	Size      int64
	MediaType string
	// Offset is how many bytes the server already has; resume from here.
	Offset int64
	// EntryIDs lists the submitted entries that refer to the attachment.
	EntryIDs  []string
	Attempts  int
	LastError string
}

// PendingUploads lists attachments waiting to be uploaded whose next
// attempt time has come, oldest first. An attachment is queued when an
// entry listing it is submitted, and offered here once the server has
// accepted that entry (the server takes uploads only for entries it
// holds); EntryIDs names those entries. Photos are queued separately from
// entries, so they never hold up an entry or the pull of decisions.
func (s *Store) PendingUploads(now time.Time, max int) ([]Upload, error) {
	return withKeys(s, false, func(kr *keyring) ([]Upload, error) {
		if max <= 0 {
			max = -1
		}
		rows, err := s.db.Query(`SELECT a.id, a.meta, a.size, a.upload_off, a.attempts, a.last_error,
			(SELECT group_concat(DISTINCT ea.entry_id) FROM entry_attachments ea JOIN revisions r ON r.entry_id = ea.entry_id AND r.revision = ea.revision
			 WHERE ea.attachment = a.id AND r.acked IS NOT NULL) AS entries
		FROM attachments a WHERE a.queued IS NOT NULL AND a.uploaded IS NULL AND a.set_aside IS NULL AND a.next_attempt <= ?
		AND entries IS NOT NULL
		ORDER BY a.queued, a.id LIMIT ?`, now.UnixMilli(), max)
		if err != nil {
			return nil, storageErr("read uploads", err)
		}
		defer rows.Close()
		var out []Upload
		for rows.Next() {
			var u Upload
			var id string
			var meta, lastErr []byte
			var entries sql.NullString
			if err := rows.Scan(&id, &meta, &u.Size, &u.Offset, &u.Attempts, &lastErr, &entries); err != nil {
				return nil, storageErr("read uploads", err)
			}
			m, err := openMeta(kr, id, meta)
			if err != nil {
				return nil, err
			}
			u.SHA256, u.MediaType = m.SHA256, m.Type
			if entries.String != "" {
				u.EntryIDs = strings.Split(entries.String, ",")
			}
			if lastErr != nil {
				u.LastError = s.openNote(kr, lastErr, noteUpload, id, 0)
			}
			out = append(out, u)
		}
		return out, storageErr("read uploads", rows.Err())
	})
}

// OpenUpload opens an attachment for the sync engine to upload (Seek to
// the upload offset to resume). Unlike OpenAttachment it is not an
// officer viewing the photo, so it is not audited and does not postpone
// the idle lock.
func (s *Store) OpenUpload(sha string) (io.ReadSeekCloser, error) {
	return s.openAttachment(sha, false)
}

// updateUpload runs one bookkeeping change on an attachment's upload.
func (s *Store) updateUpload(op, sha string, fn func(tx *sql.Tx, id string) (sql.Result, error)) error {
	return s.runKeys(false, func(kr *keyring) error {
		id := kr.attachmentID(sha)
		return s.tx(op, func(tx *sql.Tx) error {
			res, err := fn(tx, id)
			if err != nil {
				return storageErr(op, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("%s %s: %w", op, shortSHA(sha), ErrNotFound)
			}
			return nil
		})
	})
}

// SetUploadOffset records how far an upload got (the server's confirmed
// offset), so it resumes there after a break.
func (s *Store) SetUploadOffset(sha string, offset int64) error {
	return s.updateUpload("record upload progress", sha, func(tx *sql.Tx, id string) (sql.Result, error) {
		return tx.Exec(`UPDATE attachments SET upload_off = ? WHERE id = ? AND ? BETWEEN 0 AND size`, offset, id, offset)
	})
}

// MarkUploaded records that the server has the whole attachment and has
// checked its SHA-256.
func (s *Store) MarkUploaded(sha string) error {
	return s.updateUpload("mark uploaded", sha, func(tx *sql.Tx, id string) (sql.Result, error) {
		return tx.Exec(`UPDATE attachments SET uploaded = ?, upload_off = size, last_error = NULL WHERE id = ?`, s.now(), id)
	})
}

// DeferUpload records a failed upload attempt and when to try again.
func (s *Store) DeferUpload(sha, problem string, next time.Time) error {
	return s.updateUpload("defer upload", sha, func(tx *sql.Tx, id string) (sql.Result, error) {
		note, err := s.sealNote(noteUpload, id, 0, problem)
		if err != nil {
			return nil, err
		}
		return tx.Exec(`UPDATE attachments SET attempts = attempts + 1, next_attempt = ?, last_error = ? WHERE id = ?`, next.UnixMilli(), note, id)
	})
}

// RejectUpload sets an attachment aside for good (the server refuses it),
// with the reason; other uploads carry on.
func (s *Store) RejectUpload(sha, reason string) error {
	return s.updateUpload("reject upload", sha, func(tx *sql.Tx, id string) (sql.Result, error) {
		note, err := s.sealNote(noteUpload, id, 0, reason)
		if err != nil {
			return nil, err
		}
		return tx.Exec(`UPDATE attachments SET set_aside = ?, last_error = ? WHERE id = ?`, s.now(), note, id)
	})
}

// Backlog is what waits to be sent: the screens show it in the sync bar.
type Backlog struct {
	// Entries and EntryBytes: submitted revisions not yet acknowledged
	// (set-aside ones not counted), and their size.
	Entries    int
	EntryBytes int64
	// Photos and PhotoBytes: photos queued for upload, and the bytes the
	// server does not have yet.
	Photos     int
	PhotoBytes int64
	// SetAside counts revisions the server refused for good.
	SetAside int
}

// Backlog counts what waits to be sent. It reads no content, so it works
// while the store is locked.
func (s *Store) Backlog() (Backlog, error) {
	return locked(s, func() (Backlog, error) {
		var b Backlog
		err := s.db.QueryRow(`SELECT COUNT(*), COALESCE(SUM(r.size), 0) FROM outbox o
		JOIN revisions r ON r.entry_id = o.entry_id AND r.revision = o.revision
		WHERE o.set_aside IS NULL`).Scan(&b.Entries, &b.EntryBytes)
		if err != nil {
			return Backlog{}, storageErr("count outbox", err)
		}
		if err := s.db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE set_aside IS NOT NULL`).Scan(&b.SetAside); err != nil {
			return Backlog{}, storageErr("count outbox", err)
		}
		err = s.db.QueryRow(`SELECT COUNT(*), COALESCE(SUM(size - upload_off), 0) FROM attachments
		WHERE queued IS NOT NULL AND uploaded IS NULL AND set_aside IS NULL`).Scan(&b.Photos, &b.PhotoBytes)
		if err != nil {
			return Backlog{}, storageErr("count uploads", err)
		}
		return b, nil
	})
}
