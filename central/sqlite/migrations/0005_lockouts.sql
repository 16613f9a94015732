-- Safeguard central referral system, schema 5 (issue 15): credential
-- lockouts shared by every server on the database, so servers behind one
-- balancer lock out together. A row is written when a lockout starts (never
-- per attempt); an account's value is a keyed hash of the name, never the
-- typed name.
CREATE TABLE lockouts (
	kind     TEXT NOT NULL,
	value    TEXT NOT NULL,
	until    BIGINT NOT NULL,
	failures INTEGER NOT NULL,
	at       BIGINT NOT NULL,
	PRIMARY KEY (kind, value)
);
