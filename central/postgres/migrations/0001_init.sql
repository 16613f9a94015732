-- Safeguard central referral system, PostgreSQL schema 1.
-- Times are microseconds since the Unix epoch (UTC); grades are
-- forms.Level numbers (1 standard .. 4 immediate) so they order.

CREATE TABLE teams (
	id      TEXT PRIMARY KEY,
	name    TEXT NOT NULL,
	created BIGINT NOT NULL
);

CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'trainer', 'admin')),
	password_hash TEXT NOT NULL,
	disabled      BOOLEAN NOT NULL DEFAULT FALSE,
	created       BIGINT NOT NULL
);

CREATE TABLE memberships (
	user_id TEXT NOT NULL REFERENCES users (id),
	team_id TEXT NOT NULL REFERENCES teams (id),
	PRIMARY KEY (user_id, team_id)
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id),
	created    BIGINT NOT NULL,
	expires    BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires);

CREATE TABLE enrolment_codes (
	code_hash  TEXT PRIMARY KEY,
	team_id    TEXT NOT NULL REFERENCES teams (id),
	created_by TEXT NOT NULL,
	created    BIGINT NOT NULL,
	expires    BIGINT NOT NULL,
	used       BIGINT,
	device_id  TEXT
);

CREATE TABLE devices (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	team_id         TEXT NOT NULL REFERENCES teams (id),
	credential_hash TEXT NOT NULL UNIQUE,
	enrolled        BIGINT NOT NULL,
	last_seen       BIGINT,
	revoked         BIGINT,
	revoked_reason  TEXT
);

CREATE TABLE entries (
	id                TEXT PRIMARY KEY,
	training          BOOLEAN NOT NULL,
	officer_id        TEXT NOT NULL REFERENCES users (id),
	team_id           TEXT NOT NULL REFERENCES teams (id),
	device_id         TEXT NOT NULL REFERENCES devices (id),
	checklist_id      TEXT NOT NULL,
	checklist_version TEXT NOT NULL,
	revision          INTEGER NOT NULL,
	receipt           TEXT NOT NULL,
	status            TEXT NOT NULL CHECK (status IN ('received', 'approved', 'returned')),
	grade             INTEGER NOT NULL,
	review_grade      INTEGER NOT NULL DEFAULT 0,
	received          BIGINT NOT NULL,
	first_received    BIGINT NOT NULL,
	deadline          BIGINT NOT NULL,
	approved          INTEGER NOT NULL DEFAULT 0,
	missing           INTEGER NOT NULL DEFAULT 0,
	updated           BIGINT NOT NULL
);
-- The review queue: one team, one namespace, awaiting review, by grade
-- then deadline. Partial, so approved entries (the bulk) cost nothing.
CREATE INDEX entries_queue ON entries (team_id, training, grade DESC, deadline) WHERE status = 'received';

CREATE TABLE revisions (
	entry_id     TEXT NOT NULL REFERENCES entries (id),
	revision     INTEGER NOT NULL,
	content_hash TEXT NOT NULL,
	receipt      TEXT NOT NULL UNIQUE,
	device_id    TEXT NOT NULL,
	officer_id   TEXT NOT NULL,
	received     BIGINT NOT NULL,
	grade        INTEGER NOT NULL,
	computed     INTEGER NOT NULL,
	device_grade TEXT NOT NULL,
	disagrees    BOOLEAN NOT NULL,
	immediate    BOOLEAN NOT NULL,
	diff         TEXT NOT NULL,
	body         TEXT NOT NULL,
	PRIMARY KEY (entry_id, revision)
);

CREATE TABLE attachments (
	entry_id   TEXT NOT NULL REFERENCES entries (id),
	sha256     TEXT NOT NULL,
	size       BIGINT NOT NULL,
	media_type TEXT NOT NULL,
	received   BIGINT NOT NULL DEFAULT 0,
	complete   BOOLEAN NOT NULL DEFAULT FALSE,
	refused    BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (entry_id, sha256)
);

CREATE TABLE attachment_chunks (
	entry_id TEXT NOT NULL,
	sha256   TEXT NOT NULL,
	off      BIGINT NOT NULL,
	data     BYTEA NOT NULL,
	PRIMARY KEY (entry_id, sha256, off),
	FOREIGN KEY (entry_id, sha256) REFERENCES attachments (entry_id, sha256)
);

CREATE TABLE decisions (
	id       BIGSERIAL PRIMARY KEY,
	entry_id TEXT NOT NULL REFERENCES entries (id),
	revision INTEGER NOT NULL,
	kind     TEXT NOT NULL,
	user_id  TEXT NOT NULL REFERENCES users (id),
	at       BIGINT NOT NULL,
	grade    INTEGER NOT NULL,
	reason   TEXT NOT NULL,
	comments TEXT NOT NULL
);
CREATE INDEX decisions_entry ON decisions (entry_id);

-- The pull feed. seq is the server sequence devices order by.
CREATE TABLE changes (
	seq       BIGSERIAL PRIMARY KEY,
	device_id TEXT,
	team_id   TEXT,
	kind      TEXT NOT NULL,
	body      TEXT NOT NULL,
	at        BIGINT NOT NULL
);
CREATE INDEX changes_device ON changes (device_id, seq);

-- The audit chain: append-only, each record hashed with the previous one.
CREATE TABLE audit (
	seq       BIGINT PRIMARY KEY,
	at        BIGINT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	entry_id  TEXT NOT NULL,
	revision  INTEGER NOT NULL,
	detail    TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);
CREATE INDEX audit_entry ON audit (entry_id) WHERE entry_id <> '';
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit records are append-only';
END
$$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);

CREATE TABLE checklists (
	id        TEXT NOT NULL,
	version   TEXT NOT NULL,
	hash      TEXT NOT NULL,
	announced BIGINT NOT NULL,
	PRIMARY KEY (id, version)
);
