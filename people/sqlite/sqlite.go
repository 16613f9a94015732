// Package sqlite is the person index (people.Index) on SQLite
// (modernc.org/sqlite, pure Go): write-ahead logging, foreign keys on,
// writers serialised by BEGIN IMMEDIATE. Its tables are prefixed people_,
// so it may share a database file with the central store.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"iter"
	"strings"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/internal/sqlindex"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Pragmas are set in the DSN so every pooled connection gets them (a
// db.Exec("PRAGMA ...") reaches only one connection).
const Pragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=cache_size(-65536)&_pragma=mmap_size(4294967296)&_txlock=immediate"

// DefaultMaxConns bounds the connection pool: WAL lets readers (candidate
// searches) run beside the one writer.
const DefaultMaxConns = 8

// bulkCacheKiB is the page cache a bulk load asks for (the default 2 MB
// makes a million-row load spill to the OS on every index page).
const bulkCacheKiB = 256 * 1024

// Index is the SQLite people.Index.
type Index struct {
	*sqlindex.Index
}

var _ people.Index = (*Index)(nil)
var _ people.BulkLoader = (*Index)(nil)

// DSN returns the data source name for the database file at path.
func DSN(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + Pragmas
}

// Open opens (creating if needed) the database file at path and applies
// pending migrations.
func Open(ctx context.Context, path string, opts ...Option) (*Index, error) {
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open people sqlite: %w", err)
	}
	db.SetMaxOpenConns(DefaultMaxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open people sqlite: %w", err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	if _, err := sqlindex.Migrate(ctx, db, sqlindex.SQLite, sub, ""); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate people sqlite: %w", err)
	}
	x := &Index{sqlindex.New(db, sqlindex.SQLite)}
	for _, o := range opts {
		o(x.Index)
	}
	return x, nil
}

// BulkLoad implements people.BulkLoader: multi-row INSERTs in one
// transaction, blocking keys sorted so their table grows at its end. No
// ANALYZE: every query has one right index without statistics, and
// statistics (sqlite_stat4) make SQLite re-plan the candidate search for
// each new set of bound keys.
func (x *Index) BulkLoad(ctx context.Context, items iter.Seq[people.BulkItem], rels iter.Seq[people.Relationship]) (int, error) {
	conn, err := x.DB.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("bulk load: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", bulkCacheKiB)); err != nil {
		return 0, fmt.Errorf("bulk load: %w", err)
	}
	defer conn.ExecContext(context.Background(), "PRAGMA cache_size = -2000")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("bulk load: %w", err)
	}
	defer tx.Rollback()
	w := &sqlindex.InsertWriter{Tx: tx, Dialect: sqlindex.SQLite}
	defer w.Close()
	n, err := sqlindex.LoadBulk(ctx, w, x.Index, items, rels)
	if err != nil {
		return n, err
	}
	if err := tx.Commit(); err != nil {
		return n, fmt.Errorf("bulk load: commit: %w", err)
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
