package sqlindex

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/people"
)

// BulkWriter receives the rows of a bulk load (inside one transaction):
// multi-row INSERTs for SQLite (InsertWriter), COPY for PostgreSQL.
type BulkWriter interface {
	// MaxPK returns the largest pk in a table (0 when empty).
	MaxPK(ctx context.Context, table string) (int64, error)
	// Write appends rows (values in cols order) to a table.
	Write(ctx context.Context, table string, cols []string, rows [][]any) error
}

// bulkBatch is how many rows are handed to the writer at once.
const bulkBatch = 5000

var (
	personCols = []string{"pk", "id", "created"}
	recordCols = []string{"pk", "id", "person", "entry_id", "seen", "role", "data", "keys"}
	keyCols    = []string{"k", "record", "person"}
	edgeCols   = []string{"pk", "id", "entry_id", "from_record", "to_record", "type"}
)

// LoadBulk writes items (records, each person's adjacent) and then rels
// to w, assigning row keys after the largest present, and returns the
// number of records written. Keys are written last, sorted, so their
// index grows at its end.
func LoadBulk(ctx context.Context, w BulkWriter, x *Index, items iter.Seq[people.BulkItem], rels iter.Seq[people.Relationship]) (int, error) {
	personPK, err := w.MaxPK(ctx, "people_person")
	if err != nil {
		return 0, fmt.Errorf("bulk load: %w", err)
	}
	recordPK, err := w.MaxPK(ctx, "people_record")
	if err != nil {
		return 0, fmt.Errorf("bulk load: %w", err)
	}
	edgePK, err := w.MaxPK(ctx, "people_edge")
	if err != nil {
		return 0, fmt.Errorf("bulk load: %w", err)
	}
	created := time.Now().UnixMilli()
	type keyRow struct{ k, rec, person int64 }
	var keys []keyRow
	recPK := map[uuid.UUID]int64{}
	var persons, records [][]any
	var last uuid.UUID
	n := 0
	flush := func(force bool) error {
		if len(persons) >= bulkBatch || (force && len(persons) > 0) {
			if err := w.Write(ctx, "people_person", personCols, persons); err != nil {
				return err
			}
			persons = persons[:0]
		}
		if len(records) >= bulkBatch || (force && len(records) > 0) {
			if err := w.Write(ctx, "people_record", recordCols, records); err != nil {
				return err
			}
			records = records[:0]
		}
		return nil
	}
	for it := range items {
		rec := it.Record
		if err := checkRecord(rec); err != nil {
			return n, fmt.Errorf("bulk load: %w", err)
		}
		if it.Person == uuid.Nil {
			return n, fmt.Errorf("bulk load: item without person: %w", people.ErrInvalid)
		}
		if it.Person != last {
			personPK++
			last = it.Person
			persons = append(persons, []any{personPK, it.Person, created})
		}
		data, err := x.encodeRecord(rec)
		if err != nil {
			return n, fmt.Errorf("bulk load: %w", err)
		}
		recordPK++
		recPK[rec.ID] = recordPK
		ks := x.recordKeys(&rec.Particulars)
		records = append(records, []any{recordPK, rec.ID, personPK, rec.EntryID, rec.Seen.String(), string(rec.Role), data, EncodeKeys(ks)})
		for _, k := range ks {
			keys = append(keys, keyRow{int64(k), recordPK, personPK})
		}
		n++
		if err := flush(false); err != nil {
			return n, fmt.Errorf("bulk load: %w", err)
		}
	}
	if err := flush(true); err != nil {
		return n, fmt.Errorf("bulk load: %w", err)
	}
	if rels != nil {
		var edges [][]any
		for r := range rels {
			if _, err := people.ParseRelType(string(r.Type)); err != nil || r.ID == uuid.Nil || r.From == r.To {
				return n, fmt.Errorf("bulk load: relationship %s: %w", r.ID, people.ErrInvalid)
			}
			from, ok1 := recPK[r.From]
			to, ok2 := recPK[r.To]
			if !ok1 || !ok2 {
				return n, fmt.Errorf("bulk load: relationship %s between records not loaded: %w", r.ID, people.ErrNotFound)
			}
			edgePK++
			edges = append(edges, []any{edgePK, r.ID, r.EntryID, from, to, string(r.Type)})
			if len(edges) >= bulkBatch {
				if err := w.Write(ctx, "people_edge", edgeCols, edges); err != nil {
					return n, fmt.Errorf("bulk load: %w", err)
				}
				edges = edges[:0]
			}
		}
		if len(edges) > 0 {
			if err := w.Write(ctx, "people_edge", edgeCols, edges); err != nil {
				return n, fmt.Errorf("bulk load: %w", err)
			}
		}
	}
	slices.SortFunc(keys, func(a, b keyRow) int {
		if c := cmp.Compare(a.k, b.k); c != 0 {
			return c
		}
		return cmp.Compare(a.rec, b.rec)
	})
	keys = slices.Compact(keys)
	batch := make([][]any, 0, bulkBatch)
	for i, k := range keys {
		batch = append(batch, []any{k.k, k.rec, k.person})
		if len(batch) == bulkBatch || i == len(keys)-1 {
			if err := w.Write(ctx, "people_key", keyCols, batch); err != nil {
				return n, fmt.Errorf("bulk load: %w", err)
			}
			batch = batch[:0]
		}
	}
	return n, nil
}

// InsertWriter is a BulkWriter of multi-row INSERT statements in a
// transaction (SQLite).
type InsertWriter struct {
	Tx      *sql.Tx
	Dialect Dialect
	stmts   map[string]*sql.Stmt
}

// maxParams keeps a statement under SQLite's 32766 bound variables.
const maxParams = 30000

// MaxPK implements BulkWriter.
func (w *InsertWriter) MaxPK(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := w.Tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(pk), 0) FROM "+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("max pk of %s: %w", table, err)
	}
	return n, nil
}

// Write implements BulkWriter.
func (w *InsertWriter) Write(ctx context.Context, table string, cols []string, rows [][]any) error {
	per := min(maxParams/len(cols), 1000)
	for len(rows) > 0 {
		n := min(per, len(rows))
		st, err := w.stmt(ctx, table, cols, n)
		if err != nil {
			return err
		}
		args := make([]any, 0, n*len(cols))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

func (w *InsertWriter) stmt(ctx context.Context, table string, cols []string, n int) (*sql.Stmt, error) {
	name := fmt.Sprintf("%s/%d", table, n)
	if st, ok := w.stmts[name]; ok {
		return st, nil
	}
	if w.stmts == nil {
		w.stmts = map[string]*sql.Stmt{}
	}
	row := "(" + placeholders(len(cols)) + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	st, err := w.Tx.PrepareContext(ctx, w.Dialect.Rebind(b.String()))
	if err != nil {
		return nil, fmt.Errorf("prepare insert into %s: %w", table, err)
	}
	w.stmts[name] = st
	return st, nil
}

// Close releases the prepared statements.
func (w *InsertWriter) Close() {
	for _, st := range w.stmts {
		st.Close()
	}
}
