// Package sqlstore implements central.Store over database/sql for both
// backends. The SQL is written once in the common subset of SQLite and
// PostgreSQL ("?" placeholders are rewritten to "$n" for PostgreSQL); the
// backends (central/sqlite, central/postgres) own their schema migrations,
// connection settings and write serialisation.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/internal/sqldialect"
	"github.com/safeguard-uk/safeguard/internal/sqlmigrate"
)

// Dialect is the SQL flavour (package internal/sqldialect).
type Dialect = sqldialect.Dialect

// Dialects.
const (
	SQLite   = sqldialect.SQLite
	Postgres = sqldialect.Postgres
)

// Store is a central.Store over a *sql.DB.
type Store struct {
	DB      *sql.DB
	dialect Dialect
	// lockSQL runs first in every Update transaction to serialise writers
	// (PostgreSQL: a row lock on the audit head; SQLite needs none, its
	// BEGIN IMMEDIATE takes the database's write lock).
	lockSQL string

	// sealer, when set, seals child data (see seal.go).
	sealer Sealer

	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	warming map[string]bool
}

// maxCachedStatements bounds the prepared-statement cache (the store uses
// a few dozen fixed queries; the bound only guards against a bug).
const maxCachedStatements = 512

// cached returns the cached prepared statement for q (in "?" form), or
// nil when it is not prepared yet.
func (s *Store) cached(q string) *sql.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stmts[q]
}

// warm prepares q on the pool for later transactions, once. It runs on
// its own goroutine and never inside a transaction: a transaction that
// waited for a second pooled connection while holding the write lock
// deadlocked the pool under load (50 devices pushing at once to
// PostgreSQL), so a transaction that misses the cache prepares on its own
// connection instead, and the pool is warmed beside it.
func (s *Store) warm(q string) {
	s.mu.Lock()
	if _, ok := s.stmts[q]; ok || s.warming[q] || len(s.stmts) >= maxCachedStatements {
		s.mu.Unlock()
		return
	}
	if s.warming == nil {
		s.warming = map[string]bool{}
	}
	s.warming[q] = true
	s.mu.Unlock()

	st, err := s.DB.PrepareContext(context.Background(), s.dialect.Rebind(q))

	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.warming, q)
	if err != nil {
		return // the transactions prepare it themselves; try again next miss
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[q] = st
}

// New returns a Store over db.
func New(db *sql.DB, d Dialect) *Store {
	s := &Store{DB: db, dialect: d}
	if d == Postgres {
		s.lockSQL = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
	}
	return s
}

// Dialect returns the store's SQL flavour.
func (s *Store) Dialect() Dialect { return s.dialect }

// Rebind rewrites "?" placeholders for the dialect.
func (s *Store) Rebind(q string) string { return s.dialect.Rebind(q) }

// Update runs fn in a serialised read-write transaction.
//
// On PostgreSQL the transaction runs on a connection of its own (a
// *sql.Conn), so that the writes queued until commit go to the server as
// one pgx batch (one round trip: see flushBatch); and the lock's row is
// the audit head, which the transaction so reads at no extra round trip.
func (s *Store) Update(ctx context.Context, fn func(central.Tx) error) error {
	var conn *sql.Conn
	var tx *sql.Tx
	var err error
	if s.dialect == Postgres {
		if conn, err = s.DB.Conn(ctx); err != nil {
			return unavailable("begin", err)
		}
		defer conn.Close()
		tx, err = conn.BeginTx(ctx, nil)
	} else {
		tx, err = s.DB.BeginTx(ctx, nil)
	}
	if err != nil {
		return unavailable("begin", err)
	}
	defer tx.Rollback()
	t := &Tx{tx: tx, s: s, d: s.dialect, conn: conn}
	if s.lockSQL != "" {
		if err := tx.QueryRowContext(ctx, s.lockSQL).Scan(&t.headSeq, &t.headHash); err != nil {
			return unavailable("lock", err)
		}
		t.headLoaded = true
	}
	if err := fn(t); err != nil {
		return err
	}
	if err := t.flush(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return unavailable("commit", err)
	}
	return nil
}

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, fn func(central.Tx) error) error {
	tx, err := s.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return unavailable("begin", err)
	}
	defer tx.Rollback()
	return fn(&Tx{tx: tx, s: s, d: s.dialect, readOnly: true})
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.DB.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Close closes the cached statements and the database.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	return s.DB.Close()
}

// unavailable wraps a failure to reach or use the database: the caller
// should retry later (503), unless the context was cancelled.
func unavailable(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%s: %w: %w", op, &central.Error{Code: central.EUNAVAILABLE, Message: "the database is busy or unreachable; retry later"}, err)
}

// Migrate applies, in name order, every *.sql file of fsys (the backend's
// embedded migrations) not yet recorded in schema_migrations, each in its
// own transaction. lock, when set, runs first in each (PostgreSQL: an
// advisory lock so two servers starting at once do not race).
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS, lock string) (int, error) {
	return sqlmigrate.Apply(ctx, db, fsys, "schema_migrations", d == Postgres, lock)
}
