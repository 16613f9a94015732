-- Safeguard central referral system, PostgreSQL schema 3: what the person index
-- (package people, its own people_ tables) decided when an accepted live
-- revision was ingested, that a supervisor acts on.

-- Alerts raised for a child of an entry (repeat_appearance,
-- linked_to_immediate). One per entry, kind, person and related person:
-- an ingest run again (a later revision) does not raise it twice.
CREATE TABLE person_alerts (
	id        TEXT PRIMARY KEY,
	entry_id  TEXT NOT NULL REFERENCES entries (id),
	team_id   TEXT NOT NULL,
	kind      TEXT NOT NULL,
	person_id TEXT NOT NULL,
	related   TEXT NOT NULL DEFAULT '',
	relation  TEXT NOT NULL DEFAULT '',
	entries   TEXT NOT NULL,
	grade     INTEGER NOT NULL,
	text      TEXT NOT NULL,
	at        BIGINT NOT NULL,
	UNIQUE (entry_id, kind, person_id, related)
);
CREATE INDEX person_alerts_team ON person_alerts (team_id, at);

-- Possible matches: a record of an entry stored as a new person that may
-- be a person known before. A supervisor confirms (the index merges them)
-- or rejects.
CREATE TABLE person_matches (
	id         TEXT PRIMARY KEY,
	entry_id   TEXT NOT NULL REFERENCES entries (id),
	team_id    TEXT NOT NULL,
	record_id  TEXT NOT NULL,
	person_id  TEXT NOT NULL,
	match_id   TEXT NOT NULL,
	score      DOUBLE PRECISION NOT NULL,
	reasons    TEXT NOT NULL,
	state      TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'rejected')),
	created    BIGINT NOT NULL,
	decided_by TEXT NOT NULL DEFAULT '',
	decided_at BIGINT NOT NULL DEFAULT 0,
	merge_id   TEXT NOT NULL DEFAULT '',
	UNIQUE (record_id, match_id)
);
CREATE INDEX person_matches_team ON person_matches (team_id, state, created);
