-- Safeguard central referral system, schema 6 (issue 17): revisions a push
-- accepted that the person index has not ingested yet, written in the
-- push's own transaction, so an ingest cut off (a crash, a restart) is
-- done when the server starts again. The service removes a row in the
-- transaction that stores what the ingest raised.
CREATE TABLE person_pending (
	entry_id TEXT NOT NULL,
	revision INTEGER NOT NULL,
	at       BIGINT NOT NULL,
	PRIMARY KEY (entry_id, revision)
);
