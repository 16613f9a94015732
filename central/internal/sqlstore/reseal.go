package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// resealSpec is one table holding sealed child data: its key columns (in
// order, for paging), the other columns its values are bound to, and the
// sealed value columns.
type resealSpec struct {
	table string
	keys  []string
	cols  []string
	vals  []string
	blob  bool
	// ad is the additional data of value column field for a row (keys
	// then cols, as read).
	ad func(field string, row []any) []byte
}

var resealSpecs = []resealSpec{
	{table: "revisions", keys: []string{"entry_id", "revision"}, vals: []string{"body"},
		ad: func(_ string, r []any) []byte { return revisionAD(str(r[0]), int(i64(r[1]))) }},
	{table: "attachment_chunks", keys: []string{"entry_id", "sha256", "off"}, vals: []string{"data"}, blob: true,
		ad: func(_ string, r []any) []byte { return chunkAD(str(r[0]), str(r[1]), i64(r[2])) }},
	{table: "deliveries", keys: []string{"id"}, vals: []string{"document"},
		ad: func(_ string, r []any) []byte { return documentAD(str(r[0])) }},
	{table: "decisions", keys: []string{"id"}, cols: []string{"entry_id", "revision", "kind", "at"}, vals: []string{"reason", "comments"},
		ad: func(f string, r []any) []byte { return decisionAD(f, str(r[1]), int(i64(r[2])), str(r[3]), i64(r[4])) }},
	{table: "changes", keys: []string{"seq"}, cols: []string{"device_id", "team_id", "kind", "at"}, vals: []string{"body"},
		ad: func(_ string, r []any) []byte { return changeAD(str(r[1]), str(r[2]), str(r[3]), i64(r[4])) }},
	{table: "person_alerts", keys: []string{"id"}, vals: []string{"text"},
		ad: func(_ string, r []any) []byte { return alertAD(str(r[0])) }},
}

// ResealTables names the tables ResealPage walks, in order.
func (s *Store) ResealTables() []string {
	out := make([]string, len(resealSpecs))
	for i, sp := range resealSpecs {
		out[i] = sp.table
	}
	return out
}

// ResealPage seals the values still in the clear (written before a
// sealer was set) among up to limit rows of table after the key after
// (nil: from the start), and returns the last key read (nil when the table
// is done) and how many values it sealed. Values already sealed are left
// as they are, so running it again changes nothing.
func (t *Tx) ResealPage(ctx context.Context, table string, after []any, limit int) ([]any, int, error) {
	if t.s.sealer == nil {
		return nil, 0, errors.New("reseal: no data key is loaded (give the key-encryption key)")
	}
	var sp *resealSpec
	for i := range resealSpecs {
		if resealSpecs[i].table == table {
			sp = &resealSpecs[i]
		}
	}
	if sp == nil {
		return nil, 0, fmt.Errorf("reseal: no table %q", table)
	}
	read := append(append(append([]string{}, sp.keys...), sp.cols...), sp.vals...)
	q := `SELECT ` + strings.Join(read, ", ") + ` FROM ` + sp.table
	var args []any
	if after != nil {
		// (k1 > a1) OR (k1 = a1 AND k2 > a2) OR ...
		var ors []string
		for i := range sp.keys {
			var ands []string
			for j := 0; j < i; j++ {
				ands = append(ands, sp.keys[j]+" = ?")
				args = append(args, after[j])
			}
			ands = append(ands, sp.keys[i]+" > ?")
			args = append(args, after[i])
			ors = append(ors, "("+strings.Join(ands, " AND ")+")")
		}
		q += ` WHERE ` + strings.Join(ors, " OR ")
	}
	q += ` ORDER BY ` + strings.Join(sp.keys, ", ") + ` LIMIT ?`
	args = append(args, limit)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("reseal %s: %w", table, err)
	}
	var all [][]any
	for rows.Next() {
		r := make([]any, len(read))
		ptrs := make([]any, len(read))
		for i := range r {
			ptrs[i] = &r[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("reseal %s: %w", table, err)
		}
		all = append(all, r)
	}
	if err := rows.Close(); err != nil {
		return nil, 0, fmt.Errorf("reseal %s: %w", table, err)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("reseal %s: %w", table, err)
	}
	n := 0
	base := len(sp.keys) + len(sp.cols)
	for _, r := range all {
		for i, col := range sp.vals {
			v := r[base+i]
			var sealed any
			if sp.blob {
				b := blob(v)
				if bytes.HasPrefix(b, sealedBlob) {
					continue
				}
				if sealed, err = t.sealBlob(b, sp.ad(col, r)); err != nil {
					return nil, 0, err
				}
			} else {
				s := str(v)
				if strings.HasPrefix(s, sealedText) {
					continue
				}
				if sealed, err = t.sealText([]byte(s), sp.ad(col, r)); err != nil {
					return nil, 0, err
				}
			}
			var where []string
			uargs := []any{sealed}
			for j, k := range sp.keys {
				where = append(where, k+" = ?")
				uargs = append(uargs, r[j])
			}
			if _, err := t.exec(ctx, `UPDATE `+sp.table+` SET `+col+` = ? WHERE `+strings.Join(where, " AND "), uargs...); err != nil {
				return nil, 0, fmt.Errorf("reseal %s: %w", table, err)
			}
			n++
		}
	}
	if len(all) < limit {
		return nil, n, nil
	}
	return all[len(all)-1][:len(sp.keys)], n, nil
}

// str reads a scanned TEXT value ("" for NULL).
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func blob(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return nil
}

// i64 reads a scanned integer value.
func i64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case []byte:
		n, _ := strconv.ParseInt(string(x), 10, 64)
		return n
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

// Compact removes what updates left behind of values in the clear: SQLite
// keeps an overwritten row's old bytes in free pages and the write-ahead
// log, PostgreSQL keeps old row versions in its data files until they are
// vacuumed. SQLite: VACUUM (the file is rebuilt) and a checkpoint that
// truncates the log. PostgreSQL: VACUUM FULL of the tables that hold
// sealed data (each is locked while it is rewritten: a short pause for
// the servers, not a stop). Run it after ResealPage has walked every
// table.
func (s *Store) Compact(ctx context.Context) error {
	if s.dialect == Postgres {
		for _, sp := range resealSpecs {
			if _, err := s.DB.ExecContext(ctx, `VACUUM FULL `+sp.table); err != nil {
				return fmt.Errorf("compact %s: %w", sp.table, err)
			}
		}
		return nil
	}
	if _, err := s.DB.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	var busy, logged, done int
	if err := s.DB.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done); err != nil {
		return fmt.Errorf("compact: checkpoint: %w", err)
	}
	if busy != 0 {
		return errors.New("compact: the write-ahead log could not be truncated (a reader was busy): run it again")
	}
	return nil
}
