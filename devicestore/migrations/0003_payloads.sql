-- Schema version 3: a submitted revision's document in a table of its own.
--
-- Version 2 kept the encrypted entry document (1 to 3 KB) in its revisions
-- row. That table is WITHOUT ROWID, whose rows keep at most about 1 KB in
-- the b-tree page, so every frozen revision had an overflow page, and
-- every change of its state (sent, acknowledged, decided) rewrote the row
-- with its overflow page: two rewrites of every entry's document at sync,
-- each a few pages in the write-ahead log and again at the checkpoint.
-- Version 3 keeps the document in payloads, written once when the
-- revision is submitted and never updated (deleted only by purge and
-- wipe), so the rows sync changes are small. payloads is a rowid table:
-- its rows (a document each) fit in its pages, and new ones go at its end.

CREATE TABLE payloads (
	id       INTEGER PRIMARY KEY,
	entry_id TEXT NOT NULL,
	revision INTEGER NOT NULL,
	payload  BLOB NOT NULL,
	UNIQUE (entry_id, revision),
	FOREIGN KEY (entry_id, revision) REFERENCES revisions(entry_id, revision) ON DELETE CASCADE
);

INSERT INTO payloads(entry_id, revision, payload)
	SELECT entry_id, revision, payload FROM revisions WHERE payload IS NOT NULL ORDER BY entry_id, revision;

ALTER TABLE revisions DROP COLUMN payload;
