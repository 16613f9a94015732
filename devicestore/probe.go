package devicestore

import (
	"database/sql"
)

// CommitProbe is a database with one one-row table, opened with exactly
// the store's pragmas (DSN). Committing a change to that row is the least
// a durable save can cost on this device's storage: benchmarks and
// cmd/storebench express the autosave latency as a ratio to it, so the
// figure means the same on a fast laptop and a slow tablet.
type CommitProbe struct {
	db *sql.DB
}

// OpenCommitProbe creates or opens a probe database at path (use the
// store's folder, so both sit on the same file system).
func OpenCommitProbe(path string) (*CommitProbe, error) {
	db, err := sql.Open("sqlite", DSN(path, 0))
	if err != nil {
		return nil, storageErr("open probe", err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS probe(id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
		INSERT INTO probe(id, n) VALUES (1, 0) ON CONFLICT(id) DO NOTHING`); err != nil {
		db.Close()
		return nil, storageErr("open probe", err)
	}
	return &CommitProbe{db: db}, nil
}

// Commit updates the one row in its own transaction and returns after the
// commit is durable.
func (p *CommitProbe) Commit() error {
	tx, err := p.db.Begin()
	if err != nil {
		return storageErr("probe", err)
	}
	if _, err := tx.Exec(`UPDATE probe SET n = n + 1 WHERE id = 1`); err != nil {
		tx.Rollback()
		return storageErr("probe", err)
	}
	return storageErr("probe", tx.Commit())
}

// Close closes the probe database.
func (p *CommitProbe) Close() error { return p.db.Close() }
