package devicestore

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// AuditRecord is one line of the local audit trail: who opened or changed
// what, when. Detail names a field or a count, never content.
type AuditRecord struct {
	Seq     int64
	At      time.Time
	Officer string
	Action  string
	EntryID string
	Detail  string
	Hash    string // hex SHA-256 chaining this record to the one before
}

// Audit actions.
const (
	AuditEnrol        = "enrol"
	AuditUnlock       = "unlock"
	AuditUnlockFailed = "unlock-failed"
	AuditCreate       = "create"
	AuditChange       = "change"
	AuditOpen         = "open"
	AuditSubmit       = "submit"
	AuditAttach       = "attach"
	AuditOpenFile     = "open-attachment"
	AuditDiscard      = "discard"
	AuditAck          = "ack"
	AuditDecision     = "decision"
	AuditPurge        = "purge"
	AuditWipe         = "wipe"
	AuditRevoke       = "revoke"
)

func auditHash(prev []byte, seq, at int64, officer, action, entryID, detail string) []byte {
	h := sha256.New()
	h.Write(prev)
	var b []byte
	b = binary.BigEndian.AppendUint64(b, uint64(seq))
	b = binary.BigEndian.AppendUint64(b, uint64(at))
	for _, p := range []string{officer, action, entryID, detail} {
		b = binary.AppendUvarint(b, uint64(len(p)))
		b = append(b, p...)
	}
	h.Write(b)
	return h.Sum(nil)
}

// audit appends a record in the caller's transaction, so the record and
// the change it describes commit together.
func (s *Store) audit(tx *sql.Tx, officer, action, entryID, detail string) error {
	var seq int64
	prev := make([]byte, sha256.Size)
	err := s.queryRowTx(tx, qAuditHead).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return storageErr("audit", err)
	}
	seq++
	at := s.now()
	h := auditHash(prev, seq, at, officer, action, entryID, detail)
	_, err = s.execTx(tx, qAuditInsert,
		seq, at, officer, action, entryID, detail, prev, h)
	return storageErr("audit", err)
}

// auditEvent is one audit record to append: auditAll writes its seq,
// time and hashes.
type auditEvent struct{ officer, action, entryID, detail string }

// auditAll appends evs, in order, in the caller's transaction: the same
// records as calling audit for each, with the chain's head read once and
// the records written by a few multi-row INSERTs.
func (s *Store) auditAll(tx *sql.Tx, evs []auditEvent) error {
	if len(evs) == 0 {
		return nil
	}
	var seq int64
	prev := make([]byte, sha256.Size)
	err := s.queryRowTx(tx, qAuditHead).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return storageErr("audit", err)
	}
	list := newList(lAuditInsert, len(evs))
	for _, ev := range evs {
		seq++
		at := s.now()
		h := auditHash(prev, seq, at, ev.officer, ev.action, ev.entryID, ev.detail)
		list.add(seq, at, ev.officer, ev.action, ev.entryID, ev.detail, prev, h)
		prev = h
	}
	return storageErr("audit", s.execList(tx, list))
}

// VerifyAudit walks the whole audit trail and checks every record's hash
// and link to the one before, and that no record is missing. It returns an
// error matching ErrAuditBroken naming the first bad record.
func (s *Store) VerifyAudit() error {
	return s.run(func() error {
		rows, err := s.db.Query(`SELECT seq, at, officer, action, entry_id, detail, prev, hash FROM audit ORDER BY seq`)
		if err != nil {
			return storageErr("verify audit", err)
		}
		defer rows.Close()
		want := make([]byte, sha256.Size)
		var next int64 = 1
		for rows.Next() {
			var r AuditRecord
			var at int64
			var prev, h []byte
			if err := rows.Scan(&r.Seq, &at, &r.Officer, &r.Action, &r.EntryID, &r.Detail, &prev, &h); err != nil {
				return storageErr("verify audit", err)
			}
			if r.Seq != next {
				return fmt.Errorf("%w: record %d is missing", ErrAuditBroken, next)
			}
			if !bytes.Equal(prev, want) {
				return fmt.Errorf("%w: record %d does not follow record %d", ErrAuditBroken, r.Seq, r.Seq-1)
			}
			if !bytes.Equal(h, auditHash(prev, r.Seq, at, r.Officer, r.Action, r.EntryID, r.Detail)) {
				return fmt.Errorf("%w: record %d was changed", ErrAuditBroken, r.Seq)
			}
			want, next = h, next+1
		}
		return storageErr("verify audit", rows.Err())
	})
}

// AuditHead returns the last record's sequence number and hash. The sync
// engine should send it with each push: once the server holds the head, a
// rewrite of the device's whole trail (which a hash chain alone cannot
// detect) no longer matches.
func (s *Store) AuditHead() (int64, string, error) {
	if err := s.begin(); err != nil {
		return 0, "", err
	}
	defer s.mu.Unlock()
	var seq int64
	var h []byte
	err := s.db.QueryRow(`SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&seq, &h)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", storageErr("audit head", err)
	}
	return seq, hex.EncodeToString(h), nil
}

// AuditTrail returns audit records with Seq > after, oldest first, at most
// limit (0: all). It needs no key: the trail holds no content.
func (s *Store) AuditTrail(after int64, limit int) ([]AuditRecord, error) {
	return locked(s, func() ([]AuditRecord, error) {
		if limit <= 0 {
			limit = -1
		}
		rows, err := s.db.Query(`SELECT seq, at, officer, action, entry_id, detail, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
		if err != nil {
			return nil, storageErr("read audit", err)
		}
		defer rows.Close()
		var out []AuditRecord
		for rows.Next() {
			var r AuditRecord
			var at int64
			var h []byte
			if err := rows.Scan(&r.Seq, &at, &r.Officer, &r.Action, &r.EntryID, &r.Detail, &h); err != nil {
				return nil, storageErr("read audit", err)
			}
			r.At, r.Hash = fromMS(at), hex.EncodeToString(h)
			out = append(out, r)
		}
		return out, storageErr("read audit", rows.Err())
	})
}
