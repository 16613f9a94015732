package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Write batching inside one Update transaction.
//
// Push stores every accepted item of a batch with one entry row, one
// revision row and its attachment rows; issued one statement per row,
// those round trips were most of ingest's time on PostgreSQL and a large
// share on SQLite. Instead, inserts that nothing in the transaction reads
// back before commit are queued (later) and written as multi-row INSERTs
// (flushRows): before any other statement of the transaction runs, so
// every read, update and constraint sees them exactly as if they had been
// written one by one, and before commit. Counters are likewise read once
// per transaction and written back once (Update transactions are
// serialised, as for the audit head, so nobody else moves them). Errors
// (a duplicate revision, say) surface from the statement that flushes or
// from commit, and fail the transaction as before.

// maxBatchRows bounds the rows of one multi-row INSERT: a whole push
// (central.DefaultMaxBatch, 100 items) in one statement; 18 parameters per
// entry row keeps it well under both databases' parameter limits.
const maxBatchRows = 100

// pendingRows is the queued rows of one INSERT statement, in order.
type pendingRows struct {
	q    string // the one-row statement, "INSERT ... VALUES (?, ...) [suffix]"
	args [][]any
}

// counter is a counter's value as this transaction has moved it.
type counter struct {
	value int64
	dirty bool
}

// later queues a one-row INSERT to be written with others of the same
// statement before the transaction's next other statement or commit.
// Read-only transactions run it at once (and fail as before).
func (t *Tx) later(ctx context.Context, q string, args ...any) error {
	if t.readOnly {
		_, err := t.exec(ctx, q, args...)
		return err
	}
	for i := range t.rows {
		if t.rows[i].q == q {
			t.rows[i].args = append(t.rows[i].args, args)
			return nil
		}
	}
	t.rows = append(t.rows, pendingRows{q: q, args: [][]any{args}})
	return nil
}

// flushRows writes the queued rows, statement by statement in the order
// each statement was first queued (entries before the revisions and
// attachments that refer to them), each as multi-row INSERTs.
func (t *Tx) flushRows(ctx context.Context) error {
	if len(t.rows) == 0 {
		return nil
	}
	rows := t.rows
	t.rows = nil // exec below must not flush again
	for _, p := range rows {
		head, tuple, tail, err := splitValues(p.q)
		if err != nil {
			return err
		}
		if t.d == Postgres {
			if q, args, ok := unnestInsert(head, tuple, tail, p.args); ok {
				if _, err := t.exec(ctx, q, args...); err != nil {
					return err
				}
				continue
			}
		}
		for rest := p.args; len(rest) > 0; {
			// One statement for up to maxBatchRows rows: a push of 50
			// items writes each table with one INSERT (power-of-two
			// chunks took three, 32 + 16 + 2, and SQLite copied the
			// pages the later ones touched again into its statement
			// journal). A statement shape per row count: at most
			// maxBatchRows of them per table in the statement cache.
			n := min(len(rest), maxBatchRows)
			var q strings.Builder
			q.WriteString(head)
			var args []any
			for i, a := range rest[:n] {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString(tuple)
				args = append(args, a...)
			}
			q.WriteString(tail)
			if _, err := t.exec(ctx, q.String(), args...); err != nil {
				return err
			}
			rest = rest[n:]
		}
	}
	return nil
}

// splitValues splits a one-row INSERT into what comes before its VALUES
// tuple, the tuple and what follows it.
func splitValues(q string) (head, tuple, tail string, err error) {
	i := strings.LastIndex(q, "VALUES (")
	if i < 0 {
		return "", "", "", fmt.Errorf("batched insert without VALUES: %s", firstWords(q))
	}
	i += len("VALUES ")
	j := strings.IndexByte(q[i:], ')')
	if j < 0 {
		return "", "", "", fmt.Errorf("batched insert with an unclosed VALUES tuple: %s", firstWords(q))
	}
	return q[:i], q[i : i+j+1], q[i+j+1:], nil
}

// nextCounter moves the named counter in memory, reading it from the
// database the first time this transaction uses it.
func (t *Tx) nextCounter(ctx context.Context, name string) (int64, error) {
	if t.readOnly {
		return 0, fmt.Errorf("counter %s: not in a read-write transaction", name)
	}
	c, ok := t.counters[name]
	if !ok {
		c = &counter{}
		err := t.row(ctx, `SELECT value FROM counters WHERE name = ?`, name).Scan(&c.value)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("counter %s: %w", name, err)
		}
		if t.counters == nil {
			t.counters = map[string]*counter{}
		}
		t.counters[name] = c
	}
	c.value++
	c.dirty = true
	return c.value, nil
}

// flushCounters writes back the counters this transaction moved.
func (t *Tx) flushCounters(ctx context.Context) error {
	for name, c := range t.counters {
		if !c.dirty {
			continue
		}
		if _, err := t.exec(ctx, `INSERT INTO counters (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, c.value); err != nil {
			return fmt.Errorf("counter %s: %w", name, err)
		}
		c.dirty = false
	}
	return nil
}

// unnestInsert rewrites the queued rows of one INSERT as a single
// statement for PostgreSQL: one array parameter per column, zipped back
// into rows by unnest ("INSERT INTO t (a, b, c) SELECT c1, c2, 0 FROM
// unnest(CAST(? AS TEXT[]), CAST(? AS BIGINT[])) AS u(c1, c2)"). Whatever
// the batch's size it is one round trip and one statement shape (a
// multi-row VALUES list took a statement per power-of-two chunk, each with
// hundreds of parameters to bind and plan). Rows keep their order. ok is
// false when a column's values are not all of one plain type (bool,
// string, integer, bytes), and the caller falls back to VALUES lists.
func unnestInsert(head, tuple, tail string, rows [][]any) (q string, args []any, ok bool) {
	items := strings.Split(strings.TrimSuffix(strings.TrimPrefix(tuple, "("), ")"), ",")
	width := strings.Count(tuple, "?")
	for _, r := range rows {
		if len(r) != width {
			return "", nil, false
		}
	}
	var sel, arrays, names []string
	col := 0
	for _, it := range items {
		it = strings.TrimSpace(it)
		if it != "?" {
			sel = append(sel, it) // a literal, the same in every row
			continue
		}
		arr, typ, ok := column(rows, col)
		if !ok {
			return "", nil, false
		}
		name := "c" + strconv.Itoa(col+1)
		sel, names = append(sel, name), append(names, name)
		arrays = append(arrays, "CAST(? AS "+typ+"[])")
		args = append(args, arr)
		col++
	}
	if len(rows) == 0 {
		return "", nil, false
	}
	head = strings.TrimSuffix(strings.TrimSpace(head), "VALUES")
	q = head + "SELECT " + strings.Join(sel, ", ") + " FROM unnest(" + strings.Join(arrays, ", ") + ") AS u(" + strings.Join(names, ", ") + ")" + tail
	return q, args, true
}

// column gathers the i-th argument of every row as one typed slice and
// names its PostgreSQL type.
func column(rows [][]any, i int) (any, string, bool) {
	if len(rows) == 0 || i >= len(rows[0]) {
		return nil, "", false
	}
	switch rows[0][i].(type) {
	case string:
		out := make([]string, len(rows))
		for r, row := range rows {
			v, ok := row[i].(string)
			if !ok {
				return nil, "", false
			}
			out[r] = v
		}
		return out, "TEXT", true
	case bool:
		out := make([]bool, len(rows))
		for r, row := range rows {
			v, ok := row[i].(bool)
			if !ok {
				return nil, "", false
			}
			out[r] = v
		}
		return out, "BOOLEAN", true
	case int, int64:
		out := make([]int64, len(rows))
		for r, row := range rows {
			switch v := row[i].(type) {
			case int:
				out[r] = int64(v)
			case int64:
				out[r] = v
			default:
				return nil, "", false
			}
		}
		return out, "BIGINT", true
	case []byte:
		out := make([][]byte, len(rows))
		for r, row := range rows {
			v, ok := row[i].([]byte)
			if !ok {
				return nil, "", false
			}
			out[r] = v
		}
		return out, "BYTEA", true
	}
	return nil, "", false
}

// deferredExec is a statement flush collected for flushBatch.
type deferredExec struct {
	q    string // in "?" form
	args []any
}

// flushBatch sends the statements of a PostgreSQL transaction's flush (its
// queued inserts, counters, audit records and head) as one pgx batch on
// the transaction's own connection: one round trip instead of one per
// statement, each statement still run in order inside the transaction,
// the first error failing it as before. pgx prepares and caches each
// statement per connection.
func (t *Tx) flushBatch(ctx context.Context, list []deferredExec) error {
	if len(list) == 0 {
		return nil
	}
	return t.conn.Raw(func(dc any) error {
		pc, ok := dc.(interface{ Conn() *pgx.Conn })
		if !ok {
			return fmt.Errorf("flush: the PostgreSQL driver is %T, not pgx", dc)
		}
		var b pgx.Batch
		for _, d := range list {
			b.Queue(t.d.Rebind(d.q), d.args...)
		}
		br := pc.Conn().SendBatch(ctx, &b)
		for _, d := range list {
			if _, err := br.Exec(); err != nil {
				br.Close()
				return fmt.Errorf("%s: %w", firstWords(d.q), err)
			}
		}
		return br.Close()
	})
}
