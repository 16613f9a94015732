-- Schema version 1: the first device store.
--
-- What is readable without the PIN: ids, states, times, grades, receipts,
-- question ids and sync bookkeeping. Every value an officer typed or a
-- person said (answers, names, dates of birth, free text, relationships,
-- grading reasons, attachment names and contents) is in a BLOB column
-- holding an encrypted envelope (see crypto.go). Times are Unix
-- milliseconds, UTC.

-- Device-wide settings and counters: device id, public key, the encrypted
-- device private key, wrong-PIN counter, lockout time, wipe marker.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
) WITHOUT ROWID;

-- Officers allowed on this device; each holds the device data key wrapped
-- with a key derived from their PIN.
CREATE TABLE officers (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	salt        BLOB NOT NULL,
	kdf_time    INTEGER NOT NULL,
	kdf_memory  INTEGER NOT NULL,
	kdf_threads INTEGER NOT NULL,
	wrapped     BLOB NOT NULL,
	enrolled    INTEGER NOT NULL,
	last_unlock INTEGER
) WITHOUT ROWID;

CREATE TABLE entries (
	id                TEXT PRIMARY KEY,
	checklist_id      TEXT NOT NULL,
	checklist_version TEXT NOT NULL,
	officer           TEXT NOT NULL,
	training          INTEGER NOT NULL DEFAULT 0,
	started           INTEGER NOT NULL,
	updated           INTEGER NOT NULL,
	revision          INTEGER NOT NULL,  -- the current (latest) revision
	purged            INTEGER            -- content removed after review
) WITHOUT ROWID;

-- One row per revision. A revision is a draft until submitted; then it is
-- frozen: payload (the encrypted entry document) and hash (hex SHA-256 of
-- the plaintext document) never change again.
CREATE TABLE revisions (
	entry_id  TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
	revision  INTEGER NOT NULL,
	state     TEXT NOT NULL,
	created   INTEGER NOT NULL,
	grade     INTEGER NOT NULL DEFAULT 0,
	immediate INTEGER NOT NULL DEFAULT 0,
	frozen    INTEGER,
	payload   BLOB,
	hash      TEXT,
	size      INTEGER,
	receipt   TEXT,
	acked     INTEGER,
	decided   INTEGER,
	note      BLOB,     -- sealed: the server's reason (rejection, return)
	PRIMARY KEY (entry_id, revision)
) WITHOUT ROWID;

-- Members of repeat groups (each child, each adult), in order.
CREATE TABLE instances (
	entry_id TEXT NOT NULL,
	revision INTEGER NOT NULL,
	grp      TEXT NOT NULL,
	id       TEXT NOT NULL,
	pos      INTEGER NOT NULL,
	PRIMARY KEY (entry_id, revision, grp, id),
	FOREIGN KEY (entry_id, revision) REFERENCES revisions(entry_id, revision) ON DELETE CASCADE
) WITHOUT ROWID;

-- One row per answer; instance is '' for questions that do not repeat.
CREATE TABLE answers (
	entry_id TEXT NOT NULL,
	revision INTEGER NOT NULL,
	grp      TEXT NOT NULL DEFAULT '',
	instance TEXT NOT NULL DEFAULT '',
	question TEXT NOT NULL,
	value    BLOB NOT NULL,
	updated  INTEGER NOT NULL,
	PRIMARY KEY (entry_id, revision, grp, instance, question),
	FOREIGN KEY (entry_id, revision) REFERENCES revisions(entry_id, revision) ON DELETE CASCADE
) WITHOUT ROWID;

-- Other parts of an entry kept whole: relationships, grading.
CREATE TABLE fields (
	entry_id TEXT NOT NULL,
	revision INTEGER NOT NULL,
	name     TEXT NOT NULL,
	value    BLOB NOT NULL,
	PRIMARY KEY (entry_id, revision, name),
	FOREIGN KEY (entry_id, revision) REFERENCES revisions(entry_id, revision) ON DELETE CASCADE
) WITHOUT ROWID;

-- Attachment files, named by a keyed hash of the plaintext SHA-256 (id).
-- meta holds the encrypted digest and media type. Upload bookkeeping:
-- queued when an entry listing the attachment is submitted; offset is how
-- far the upload got.
CREATE TABLE attachments (
	id           TEXT PRIMARY KEY,
	meta         BLOB NOT NULL,
	prefix       BLOB NOT NULL,
	size         INTEGER NOT NULL,
	created      INTEGER NOT NULL,
	queued       INTEGER,
	upload_off   INTEGER NOT NULL DEFAULT 0,
	uploaded     INTEGER,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL DEFAULT 0,
	last_error   BLOB,
	set_aside    INTEGER
) WITHOUT ROWID;

-- Which revision lists which attachment, with its encrypted file name.
CREATE TABLE entry_attachments (
	entry_id   TEXT NOT NULL,
	revision   INTEGER NOT NULL,
	attachment TEXT NOT NULL REFERENCES attachments(id),
	name       BLOB NOT NULL,
	pos        INTEGER NOT NULL,
	PRIMARY KEY (entry_id, revision, attachment),
	FOREIGN KEY (entry_id, revision) REFERENCES revisions(entry_id, revision) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX entry_attachments_attachment ON entry_attachments(attachment);

-- Submitted revisions waiting for the server's acknowledgement. A row is
-- deleted only when the server acknowledges the revision.
CREATE TABLE outbox (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	entry_id     TEXT NOT NULL,
	revision     INTEGER NOT NULL,
	priority     INTEGER NOT NULL,
	training     INTEGER NOT NULL DEFAULT 0,
	enqueued     INTEGER NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL,
	last_error   BLOB,     -- sealed, plain words
	set_aside    INTEGER,  -- rejected for good: never sent again, never blocks others
	UNIQUE (entry_id, revision),
	FOREIGN KEY (entry_id, revision) REFERENCES revisions(entry_id, revision)
);
CREATE INDEX outbox_ready ON outbox(set_aside, priority DESC, seq);

-- Supervisor comments on a returned revision (sealed).
CREATE TABLE comments (
	entry_id TEXT NOT NULL,
	revision INTEGER NOT NULL,
	seq      INTEGER NOT NULL,
	path     TEXT NOT NULL,
	text     BLOB NOT NULL,
	PRIMARY KEY (entry_id, revision, seq)
) WITHOUT ROWID;

-- Alerts pushed by the central system (sealed text).
CREATE TABLE alerts (
	id        TEXT PRIMARY KEY,
	entry_id  TEXT NOT NULL DEFAULT '',
	level     INTEGER NOT NULL DEFAULT 0,
	text      BLOB NOT NULL,
	received  INTEGER NOT NULL,
	dismissed INTEGER
) WITHOUT ROWID;

-- Sync bookkeeping: the server cursor.
CREATE TABLE sync_state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- Local audit trail, hash-chained: hash = SHA-256(prev, seq, at, officer,
-- action, entry, detail). Details never hold content.
CREATE TABLE audit (
	seq      INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL,
	officer  TEXT NOT NULL,
	action   TEXT NOT NULL,
	entry_id TEXT NOT NULL DEFAULT '',
	detail   TEXT NOT NULL DEFAULT '',
	prev     BLOB NOT NULL,
	hash     BLOB NOT NULL
);
