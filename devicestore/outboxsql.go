package devicestore

import "database/sql"

// The outbox's per-item statements, prepared once at Open with the other
// hot queries: a batch of 50 ran about 500 of them, each parsed afresh.
const (
	qOutboxOf    = `SELECT seq, attempts FROM outbox WHERE entry_id = ? AND revision = ?`
	qAckRevision = `UPDATE revisions SET receipt = ?, acked = ?,
					state = CASE WHEN state IN (?, ?, ?) THEN ? ELSE state END WHERE entry_id = ? AND revision = ?`
	qOutboxDelete = `DELETE FROM outbox WHERE seq = ?`
	qRefreshEntry = `UPDATE entries SET state = (SELECT state FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision) WHERE id = ?`
	qLease        = `UPDATE outbox SET attempts = attempts + 1, next_attempt = ? WHERE seq = ?`
	qMarkSent     = `UPDATE revisions SET state = ? WHERE entry_id = ? AND revision = ? AND state IN (?, ?)`
)

var outboxQueries = []string{qOutboxOf, qAckRevision, qOutboxDelete, qRefreshEntry, qLease, qMarkSent}

// refreshEntry is refreshEntryState through the prepared statement.
func (s *Store) refreshEntry(tx *sql.Tx, entryID string) error {
	_, err := s.execTx(tx, qRefreshEntry, entryID)
	return storageErr("update entry state", err)
}
