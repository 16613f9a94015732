-- The person index (people.Index), SQLite. A person is a cluster of
-- records; merges move records and set merged_into; the audit keeps the
-- records each merge moved, so an unmerge restores them exactly.
CREATE TABLE people_person (
	pk          INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	merged_into INTEGER REFERENCES people_person (pk),
	created     INTEGER NOT NULL
);

CREATE TABLE people_record (
	pk       INTEGER PRIMARY KEY,
	id       TEXT NOT NULL UNIQUE,
	person   INTEGER NOT NULL REFERENCES people_person (pk),
	entry_id TEXT NOT NULL,
	seen     TEXT NOT NULL,
	role     TEXT NOT NULL,
	data     TEXT NOT NULL,
	keys     BLOB NOT NULL
);
CREATE INDEX people_record_person ON people_record (person);
CREATE INDEX people_record_entry ON people_record (entry_id);

-- Blocking keys: clustered by key and carrying the record's person, so
-- a candidate search reads a few short runs of this table alone. A merge
-- moves a record's keys (listed in people_record.keys) with it. No
-- foreign key: the table is derived from people_record in the same
-- transactions, and checking each of some fifteen keys a record would
-- slow every load.
CREATE TABLE people_key (
	k      INTEGER NOT NULL,
	record INTEGER NOT NULL,
	person INTEGER NOT NULL,
	PRIMARY KEY (k, record)
) WITHOUT ROWID;

CREATE TABLE people_edge (
	pk          INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	entry_id    TEXT NOT NULL,
	from_record INTEGER NOT NULL REFERENCES people_record (pk),
	to_record   INTEGER NOT NULL REFERENCES people_record (pk),
	type        TEXT NOT NULL
);
CREATE INDEX people_edge_from ON people_edge (from_record);
CREATE INDEX people_edge_to ON people_edge (to_record);

CREATE TABLE people_entry (
	id    TEXT PRIMARY KEY,
	day   TEXT NOT NULL,
	grade TEXT NOT NULL
);

CREATE TABLE people_audit (
	seq         INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	merge_id    TEXT NOT NULL,
	into_person TEXT NOT NULL,
	from_person TEXT NOT NULL,
	reason      TEXT NOT NULL,
	records     TEXT NOT NULL
);
CREATE INDEX people_audit_merge ON people_audit (merge_id);
CREATE INDEX people_audit_into ON people_audit (into_person);
CREATE INDEX people_audit_from ON people_audit (from_person);
