// Package sqlite is the embedded default backend of the central referral
// system: one SQLite file (modernc.org/sqlite, pure Go), write-ahead
// logging, foreign keys on, and writers serialised by BEGIN IMMEDIATE.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strings"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/safeguard-uk/safeguard/central/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Pragmas are set in the DSN so every pooled connection gets them (a
// db.Exec("PRAGMA ...") reaches only one connection). synchronous stays at
// its FULL default: a receipt is only given for what survives a power cut.
// temp_store(2) keeps temporary data in memory: a push's multi-row
// INSERTs each keep a statement journal (the pages they change, to undo
// the statement alone), which past 64 KiB spilled to a file in /var/tmp,
// a few thousand writes per 2,000 entries pushed, with the pages' data in
// the clear; as in the device store, nothing temporary reaches the disk.
const Pragmas = "_pragma=foreign_keys(1)&_pragma=temp_store(2)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate"

// DefaultMaxConns bounds the connection pool: WAL lets readers run beside
// the one writer; more connections than this only queue on the lock.
const DefaultMaxConns = 8

// Store is the SQLite central.Store.
type Store = sqlstore.Store

// DSN returns the data source name for the database file at path.
func DSN(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + Pragmas
}

// Open opens (creating if needed) the database file at path and applies any
// pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := restrict(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(DefaultMaxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s := sqlstore.New(db, sqlstore.SQLite)
	if _, err := Migrate(ctx, s); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Migrate applies pending migrations and reports how many ran.
func Migrate(ctx context.Context, s *Store) (int, error) {
	sub, _ := fs.Sub(migrations, "migrations")
	n, err := sqlstore.Migrate(ctx, s.DB, sqlstore.SQLite, sub, "")
	if err != nil {
		return n, fmt.Errorf("migrate sqlite: %w", err)
	}
	return n, nil
}
