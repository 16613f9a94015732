// Package sqlmigrate applies a backend's embedded SQL migrations, in name
// order, each once and in its own transaction, recording them in a table
// of the caller's naming. The central store and the person index share it,
// on SQLite and PostgreSQL alike.
package sqlmigrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"time"
)

// Apply runs every *.sql file of fsys not yet recorded in table. table is
// a constant of the caller's (it is written into the SQL). postgres
// selects $n placeholders. lock, when set, runs first in each migration's
// transaction (PostgreSQL: an advisory lock, so two servers starting at
// once do not race). It returns how many migrations it applied.
func Apply(ctx context.Context, db *sql.DB, fsys fs.FS, table string, postgres bool, lock string) (int, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+table+` (name TEXT PRIMARY KEY, applied BIGINT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("migrations table: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return 0, err
	}
	sort.Strings(names)
	sel := `SELECT name FROM ` + table + ` WHERE name = ?`
	ins := `INSERT INTO ` + table + ` (name, applied) VALUES (?, ?)`
	if postgres {
		sel = `SELECT name FROM ` + table + ` WHERE name = $1`
		ins = `INSERT INTO ` + table + ` (name, applied) VALUES ($1, $2)`
	}
	n := 0
	for _, name := range names {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return n, fmt.Errorf("migration %s: %w", name, err)
		}
		applied, err := apply1(ctx, db, path.Base(name), string(body), lock, sel, ins)
		if err != nil {
			return n, fmt.Errorf("migration %s: %w", name, err)
		}
		if applied {
			n++
		}
	}
	return n, nil
}

func apply1(ctx context.Context, db *sql.DB, name, body, lock, sel, ins string) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if lock != "" {
		if _, err := tx.ExecContext(ctx, lock); err != nil {
			return false, err
		}
	}
	var x string
	err = tx.QueryRowContext(ctx, sel, name).Scan(&x)
	if err == nil {
		return false, nil // applied before
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, ins, name, time.Now().UnixMicro()); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
