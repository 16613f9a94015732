-- Schema version 2: fast entry lists.
--
-- Version 1 listed entries by joining each entry to its current revision
-- and decrypting nothing; with 10,000 entries the join and sort dominated.
-- Version 2 keeps the current revision's state and grade on the entry row
-- (maintained by the store in the same transaction as every state change),
-- adds an encrypted display title, and indexes the list order.

ALTER TABLE entries ADD COLUMN state TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE entries ADD COLUMN grade INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN immediate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN title BLOB;

UPDATE entries SET
	state     = (SELECT r.state FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision),
	grade     = (SELECT r.grade FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision),
	immediate = (SELECT r.immediate FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision);

CREATE INDEX entries_state_updated ON entries(state, updated DESC);
CREATE INDEX entries_updated ON entries(updated DESC);
