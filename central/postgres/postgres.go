// Package postgres is the central referral system's backend for forces that
// outgrow one machine: PostgreSQL through pgx/v5 (its database/sql driver),
// the same SQL as the SQLite backend, writers serialised by a row lock on
// the audit head so the audit chain and the change sequence grow in commit
// order.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/safeguard-uk/safeguard/central/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is an advisory lock key held while migrating, so two
// servers starting together do not both migrate.
const migrationLock = "SELECT pg_advisory_xact_lock(74012026)"

// DefaultMaxConns bounds the connection pool.
const DefaultMaxConns = 16

// Store is the PostgreSQL central.Store.
type Store = sqlstore.Store

// Open connects with a pgx connection string
// ("postgres://user@host:5432/db?sslmode=disable"; a search_path=schema
// parameter selects a schema) and applies pending migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(DefaultMaxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	s := sqlstore.New(db, sqlstore.Postgres)
	if _, err := Migrate(ctx, s); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Migrate applies pending migrations and reports how many ran.
func Migrate(ctx context.Context, s *Store) (int, error) {
	sub, _ := fs.Sub(migrations, "migrations")
	n, err := sqlstore.Migrate(ctx, s.DB, sqlstore.Postgres, sub, migrationLock)
	if err != nil {
		return n, fmt.Errorf("migrate postgres: %w", err)
	}
	return n, nil
}

// OpenNoMigrate connects without migrating (for administration and tests
// that make schemas).
func OpenNoMigrate(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return sqlstore.New(db, sqlstore.Postgres), nil
}
