// Package postgres is the person index (people.Index) on PostgreSQL
// through pgx/v5 (its database/sql driver; COPY through the underlying
// connection for bulk loads). Its tables are prefixed people_, so it may
// share a database or schema with the central store; a search_path
// parameter in the connection string selects a schema.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"iter"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/internal/sqlindex"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is an advisory lock key held while migrating, so two
// servers starting together do not both migrate.
const migrationLock = "SELECT pg_advisory_xact_lock(74012027)"

// DefaultMaxConns bounds the connection pool.
const DefaultMaxConns = 16

// Index is the PostgreSQL people.Index.
type Index struct {
	*sqlindex.Index
}

var _ people.Index = (*Index)(nil)
var _ people.BulkLoader = (*Index)(nil)

// Open connects with a pgx connection string
// ("postgres://user@host:5432/db?sslmode=disable") and applies pending
// migrations.
func Open(ctx context.Context, dsn string, opts ...Option) (*Index, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open people postgres: %w", err)
	}
	db.SetMaxOpenConns(DefaultMaxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open people postgres: %w", err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	if _, err := sqlindex.Migrate(ctx, db, sqlindex.Postgres, sub, migrationLock); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate people postgres: %w", err)
	}
	x := &Index{sqlindex.New(db, sqlindex.Postgres)}
	for _, o := range opts {
		o(x.Index)
	}
	return x, nil
}

// copyWriter is a sqlindex.BulkWriter over COPY in one pgx transaction.
type copyWriter struct{ tx pgx.Tx }

// MaxPK implements sqlindex.BulkWriter.
func (w copyWriter) MaxPK(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := w.tx.QueryRow(ctx, "SELECT COALESCE(MAX(pk), 0) FROM "+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("max pk of %s: %w", table, err)
	}
	return n, nil
}

// Write implements sqlindex.BulkWriter with COPY.
func (w copyWriter) Write(ctx context.Context, table string, cols []string, rows [][]any) error {
	if _, err := w.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return nil
}

// BulkLoad implements people.BulkLoader: COPY in one transaction, the
// identity sequences moved past the loaded keys, then VACUUM (ANALYZE).
func (x *Index) BulkLoad(ctx context.Context, items iter.Seq[people.BulkItem], rels iter.Seq[people.Relationship]) (int, error) {
	conn, err := x.DB.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("bulk load: %w", err)
	}
	defer conn.Close()
	n := 0
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer tx.Rollback(context.Background())
		if n, err = sqlindex.LoadBulk(ctx, copyWriter{tx}, x.Index, items, rels); err != nil {
			return err
		}
		for _, t := range []string{"people_person", "people_record", "people_edge"} {
			if _, err := tx.Exec(ctx, fmt.Sprintf(
				"SELECT setval(pg_get_serial_sequence('%s', 'pk'), COALESCE((SELECT MAX(pk) FROM %s), 0) + 1, false)", t, t)); err != nil {
				return fmt.Errorf("sequence of %s: %w", t, err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		// VACUUM sets the visibility map, without which the candidate
		// search cannot read the key index alone; ANALYZE gives the
		// planner the new sizes.
		if _, err := pc.Exec(ctx, "VACUUM (ANALYZE) people_person, people_record, people_key, people_edge"); err != nil {
			return fmt.Errorf("vacuum: %w", err)
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("bulk load: %w", err)
	}
	return n, nil
}

// Option changes how an index is opened.
type Option func(*sqlindex.Index)

// WithSealer stores the particulars of every record (names, dates of
// birth, addresses, identifiers, relatives) sealed by s and the blocking
// keys blinded by s.Blind. An index must always be opened with the same
// sealer key: records sealed under another cannot be read (an error, not
// an empty record), and blinded keys under another are not found.
// Without it records are stored plain, as before.
func WithSealer(s people.Sealer) Option {
	return func(x *sqlindex.Index) { x.Sealer = s }
}
