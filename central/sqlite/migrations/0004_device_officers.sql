-- Safeguard central referral system, schema 4 (issue 15): the officers
-- signed in on each device. An entry is accepted from a device only for an
-- officer who signed in on it (device sign-in adds the row).
CREATE TABLE device_officers (
	device_id  TEXT NOT NULL REFERENCES devices (id),
	officer_id TEXT NOT NULL REFERENCES users (id),
	since      BIGINT NOT NULL,
	PRIMARY KEY (device_id, officer_id)
);
