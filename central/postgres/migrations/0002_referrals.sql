-- Safeguard central referral system, PostgreSQL schema 2: the referral
-- delivery outbox, the deadline each review decision was held to, and
-- server settings (the export pseudonym key).

-- One row per approved live revision: the referral document (JSON, exactly
-- as built at approval; the PDF is rendered from it) and its delivery to
-- the partner. A delivery is pending (next_attempt says when), delivered,
-- or dead (last_error says why) until an administrator replays it.
CREATE TABLE deliveries (
	id           TEXT PRIMARY KEY,
	entry_id     TEXT NOT NULL REFERENCES entries (id),
	revision     INTEGER NOT NULL,
	receipt      TEXT NOT NULL,
	team_id      TEXT NOT NULL,
	document     TEXT NOT NULL,
	state        TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt BIGINT NOT NULL,
	last_error   TEXT NOT NULL DEFAULT '',
	last_status  INTEGER NOT NULL DEFAULT 0,
	created      BIGINT NOT NULL,
	updated      BIGINT NOT NULL,
	delivered    BIGINT,
	UNIQUE (entry_id, revision)
);
-- The deliverer's claim: due pending deliveries, earliest first.
CREATE INDEX deliveries_due ON deliveries (next_attempt) WHERE state = 'pending';
CREATE INDEX deliveries_state ON deliveries (state, updated);

-- The deadline the entry had when a reviewer decided (0: not recorded).
ALTER TABLE decisions ADD COLUMN deadline BIGINT NOT NULL DEFAULT 0;

-- Exports and reports select entries by first submission.
CREATE INDEX entries_first_received ON entries (training, first_received);

CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
