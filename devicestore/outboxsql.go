package devicestore

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// The outbox's statements, prepared once at Open with the other hot
// queries. Those marked "many" settle a whole batch in one statement: a
// batch of 50 ran about 450 one-row statements (lease, mark sent, entry
// state; find, acknowledge, delete, entry state and two for the audit,
// per item), now about ten. A batch's revisions travel as one JSON array
// bound to ?; text in it is hex (keyList), so any byte of an id or
// receipt arrives exactly as it was, and the outbox and revision lookups
// use their primary keys.
const (
	qOutboxOf    = `SELECT seq, attempts FROM outbox WHERE entry_id = ? AND revision = ?`
	qAckRevision = `UPDATE revisions SET receipt = ?, acked = ?,
					state = CASE WHEN state IN (?, ?, ?) THEN ? ELSE state END WHERE entry_id = ? AND revision = ?`
	qOutboxDelete = `DELETE FROM outbox WHERE seq = ?`
	qRefreshEntry = `UPDATE entries SET state = (SELECT state FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision) WHERE id = ?`
	qLease        = `UPDATE outbox SET attempts = attempts + 1, next_attempt = ? WHERE seq = ?`
	qMarkSent     = `UPDATE revisions SET state = ? WHERE entry_id = ? AND revision = ? AND state IN (?, ?)`

	// qWaitingOf: which of ?1's [entry, revision] pairs are in the outbox.
	qWaitingOf = `SELECT o.entry_id, o.revision, o.seq, o.attempts FROM json_each(?1) j
		JOIN outbox o ON o.entry_id = CAST(unhex(j.value->>0) AS TEXT) AND o.revision = j.value->>1`
	// qAckRevisions: receipt ?1's [entry, revision, receipt] triples, acked at ?2.
	qAckRevisions = `UPDATE revisions SET receipt = CAST(unhex(j.value->>2) AS TEXT), acked = ?2,
		state = CASE WHEN state IN (?3, ?4, ?5) THEN ?6 ELSE state END
		FROM json_each(?1) j WHERE revisions.entry_id = CAST(unhex(j.value->>0) AS TEXT) AND revisions.revision = j.value->>1`
	// qOutboxDeleteMany: ?1 is a list of outbox seqs.
	qOutboxDeleteMany = `DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(?1))`
	// qLeaseMany: ?2 is a list of outbox seqs, leased until ?1.
	qLeaseMany = `UPDATE outbox SET attempts = attempts + 1, next_attempt = ?1 WHERE seq IN (SELECT value FROM json_each(?2))`
	// qMarkSentMany: ?2's [entry, revision] pairs become ?1 if in ?3 or ?4.
	qMarkSentMany = `UPDATE revisions SET state = ?1 FROM json_each(?2) j
		WHERE revisions.entry_id = CAST(unhex(j.value->>0) AS TEXT) AND revisions.revision = j.value->>1 AND revisions.state IN (?3, ?4)`
	// qRefreshEntries: refreshEntry for each of ?1's [entry, revision] pairs.
	qRefreshEntries = `UPDATE entries SET state = (SELECT state FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision)
		WHERE id IN (SELECT CAST(unhex(value->>0) AS TEXT) FROM json_each(?1))`
)

var outboxQueries = []string{qOutboxOf, qAckRevision, qOutboxDelete, qRefreshEntry, qLease, qMarkSent,
	qWaitingOf, qAckRevisions, qOutboxDeleteMany, qLeaseMany, qMarkSentMany, qRefreshEntries, qAuditInsertMany}

// keyList builds the JSON array a "many" statement takes: numbers as
// they are, text as hex strings (decoded in SQL by unhex), so no JSON
// escaping can change a byte.
type keyList struct{ b strings.Builder }

func newKeyList() *keyList {
	k := &keyList{}
	k.b.WriteByte('[')
	return k
}

func (k *keyList) sep() {
	if k.b.Len() > 1 {
		k.b.WriteByte(',')
	}
}

func (k *keyList) hex(s string) {
	k.b.WriteByte('"')
	k.b.WriteString(hex.EncodeToString([]byte(s)))
	k.b.WriteByte('"')
}

// addSeq appends an outbox seq.
func (k *keyList) addSeq(seq int64) {
	k.sep()
	k.b.WriteString(strconv.FormatInt(seq, 10))
}

// addKey appends [entry, revision].
func (k *keyList) addKey(entryID string, rev int) {
	k.sep()
	k.b.WriteByte('[')
	k.hex(entryID)
	k.b.WriteByte(',')
	k.b.WriteString(strconv.Itoa(rev))
	k.b.WriteByte(']')
}

// addReceipt appends [entry, revision, receipt].
func (k *keyList) addReceipt(entryID string, rev int, receipt string) {
	k.sep()
	k.b.WriteByte('[')
	k.hex(entryID)
	k.b.WriteByte(',')
	k.b.WriteString(strconv.Itoa(rev))
	k.b.WriteByte(',')
	k.hex(receipt)
	k.b.WriteByte(']')
}

// String returns the JSON array.
func (k *keyList) String() string { return k.b.String() + "]" }
