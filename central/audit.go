package central

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/safeguard-uk/safeguard/api"
)

// AuditHash returns the hash of record r chained to prevHash: SHA-256 over
// the previous hash and every field, each length-prefixed so no two records
// share an encoding.
func AuditHash(prevHash string, r AuditRecord) string {
	h := sha256.New()
	writeAuditFields(h, prevHash, r)
	return hex.EncodeToString(h.Sum(nil))
}

// writeAuditFields writes the chained fields, each length-prefixed
// ("len:field;"), in one Write.
func writeAuditFields(h io.Writer, prevHash string, r AuditRecord) {
	var num [20]byte
	b := make([]byte, 0, 256+len(prevHash)+len(r.Actor)+len(r.Action)+len(r.EntryID)+len(r.Detail))
	field := func(f []byte) {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, ';')
	}
	str := func(f string) {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, ';')
	}
	str(prevHash)
	field(strconv.AppendInt(num[:0], r.Seq, 10))
	field(strconv.AppendInt(num[:0], r.At.UnixMicro(), 10))
	str(r.Actor)
	str(r.Action)
	str(r.EntryID)
	field(strconv.AppendInt(num[:0], int64(r.Revision), 10))
	str(r.Detail)
	h.Write(b)
}

// audit appends a record to the chain inside tx. detail must never hold
// child data, passwords or tokens.
func (s *Service) audit(ctx context.Context, tx Tx, p Principal, action, entryID string, revision int, detail map[string]any) error {
	return s.auditRecord(ctx, tx, p.Actor(), action, entryID, revision, detail)
}

// auditAs appends a record for an actor named as Principal.Actor names it.
func (s *Service) auditAs(ctx context.Context, tx Tx, actor, action string, detail map[string]any) error {
	return s.auditRecord(ctx, tx, actor, action, "", 0, detail)
}

func (s *Service) auditRecord(ctx context.Context, tx Tx, actor, action, entryID string, revision int, detail map[string]any) error {
	d := "{}"
	if len(detail) > 0 {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		d = string(b)
	}
	return s.auditDetail(ctx, tx, actor, action, entryID, revision, d)
}

// auditDetail appends a record whose detail is already encoded (the JSON
// object json.Marshal makes of the detail map).
func (s *Service) auditDetail(ctx context.Context, tx Tx, actor, action, entryID string, revision int, d string) error {
	seq, head, err := tx.AuditHead(ctx)
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	if strings.HasPrefix(head, keyedPrefix) && (s.cfg.AuditKeys == nil || s.cfg.AuditKeys.Current == nil) {
		// An unkeyed record after keyed ones would break the chain (and
		// look like a rewrite): refuse, and say which key is missing.
		return Errorf(EUNAVAILABLE, "the audit chain is keyed: give this command the audit key (SAFEGUARD_AUDIT_KEY_FILE or SAFEGUARD_AUDIT_KEY)")
	}
	r := AuditRecord{Seq: seq + 1, At: s.now(), Actor: actor, Action: action, EntryID: entryID, Revision: revision, Detail: d, PrevHash: head}
	r.Hash = s.chainHash(head, r)
	if err := tx.AppendAudit(ctx, r); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// maxAuditProblems bounds the problems one verification reports.
const maxAuditProblems = 100

// VerifyAudit walks the whole audit chain and reports every record that was
// altered, removed or inserted, and a head that does not match the last
// record (records removed from the end). The walk is itself audited.
func (s *Service) VerifyAudit(ctx context.Context, p Principal) (*api.AuditReport, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	rep := &api.AuditReport{OK: true}
	problem := func(format string, args ...any) {
		rep.OK = false
		if len(rep.Problems) < maxAuditProblems {
			rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
		}
	}
	checkpoints := s.readWitness(problem)
	want := map[int64]string{}
	for _, c := range checkpoints {
		want[c.Seq] = c.Head
	}
	keying := s.cfg.AuditKeys != nil && s.cfg.AuditKeys.Current != nil
	err := s.store.View(ctx, func(tx Tx) error {
		var lastSeq int64
		lastHash := ""
		seenKeyed := false
		err := tx.ScanAudit(ctx, func(r AuditRecord) error {
			rep.Records++
			switch {
			case r.Seq != lastSeq+1 && r.Seq > lastSeq+1:
				problem("records %d to %d are missing (removed)", lastSeq+1, r.Seq-1)
			case r.Seq <= lastSeq:
				problem("record %d is out of order", r.Seq)
			}
			if r.PrevHash != lastHash {
				problem("record %d: its link to the previous record is broken", r.Seq)
			}
			keyed, bad := s.checkRecordHash(r)
			switch {
			case bad != "":
				problem("%s", bad)
			case keyed:
				seenKeyed = true
			case seenKeyed || keying && len(checkpoints) > 0:
				problem("record %d: not keyed where the chain is keyed (recomputed without the key)", r.Seq)
			}
			if h, ok := want[r.Seq]; ok && h != r.Hash {
				problem("record %d: differs from the signed checkpoint in the witness (the chain was rewritten)", r.Seq)
			}
			lastSeq, lastHash = r.Seq, r.Hash
			return nil
		})
		if err != nil {
			return err
		}
		headSeq, headHash, err := tx.AuditHead(ctx)
		if err != nil {
			return err
		}
		if headSeq != lastSeq || headHash != lastHash {
			problem("the chain ends at record %d but its head says %d: records were removed from the end or the head was altered", lastSeq, headSeq)
		}
		if n := len(checkpoints); n > 0 && checkpoints[n-1].Seq > lastSeq {
			problem("the witness signed record %d but the chain ends at %d: records were removed from the end and the head moved back", checkpoints[n-1].Seq, lastSeq)
		}
		rep.Head = headHash
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	if err := s.store.Update(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, p, "audit.verify", "", 0, map[string]any{"ok": rep.OK, "records": rep.Records})
	}); err != nil {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	return rep, nil
}

// receiveDetail is the detail of an entry.receive record, byte for byte
// what json.Marshal makes of the map
//
//	{"receipt", "grade", "computed", "training", "hash"; "deviceGrade" and
//	"gradeDisagrees" when the grades disagree; "changed" when > 0}
//
// (keys in sorted order), written without reflection or a map: it is
// built once per received revision, inside the push transaction.
func receiveDetail(receipt, grade, computed string, training bool, hash string, disagrees bool, deviceGrade string, changed int) string {
	b := make([]byte, 0, 160+len(receipt)+len(hash)+len(deviceGrade))
	b = append(b, '{')
	if changed > 0 {
		b = append(b, `"changed":`...)
		b = strconv.AppendInt(b, int64(changed), 10)
		b = append(b, ',')
	}
	b = append(b, `"computed":`...)
	b = appendJSONString(b, computed)
	if disagrees {
		b = append(b, `,"deviceGrade":`...)
		b = appendJSONString(b, deviceGrade)
	}
	b = append(b, `,"grade":`...)
	b = appendJSONString(b, grade)
	if disagrees {
		b = append(b, `,"gradeDisagrees":true`...)
	}
	b = append(b, `,"hash":`...)
	b = appendJSONString(b, hash)
	b = append(b, `,"receipt":`...)
	b = appendJSONString(b, receipt)
	b = append(b, `,"training":`...)
	b = strconv.AppendBool(b, training)
	return string(append(b, '}'))
}

// appendJSONString appends v as encoding/json writes a string: printable
// ASCII other than the quote, the backslash and the HTML characters < >
// & as it is, anything else through encoding/json itself.
func appendJSONString(b []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(v) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, v...)
	return append(b, '"')
}
