-- Safeguard central referral system, schema 6 (issue 17): revisions a push
-- accepted that the person index has not ingested yet, written in the
-- push's own transaction, so an ingest cut off (a crash, a restart) is
-- done when the server starts again. The service removes a row in the
-- transaction that stores what the ingest raised. A revision whose ingest
-- fails stays, retried after a growing wait (attempts, next_at): never
-- dropped, since an approved entry may have no next revision to repair it.
CREATE TABLE person_pending (
	entry_id TEXT NOT NULL,
	revision INTEGER NOT NULL,
	at       BIGINT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at  BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (entry_id, revision)
);
