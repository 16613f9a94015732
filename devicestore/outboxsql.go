package devicestore

import (
	"database/sql"
	"strconv"
	"strings"
)

// The outbox's statements, prepared once at Open with the other hot
// queries. The one-row statements below are the outbox as it first was
// (TestSetBasedAckMatchesOneByOne keeps them as its reference); sync uses
// the list statements after them, which settle a whole batch in one
// statement each: a batch of 50 ran about 450 one-row statements (lease,
// mark sent, entry state; find, acknowledge, delete, entry state and two
// for the audit, per item), now about ten.
const (
	qOutboxOf    = `SELECT seq, attempts FROM outbox WHERE entry_id = ? AND revision = ?`
	qAckRevision = `UPDATE revisions SET receipt = ?, acked = ?,
					state = CASE WHEN state IN (?, ?, ?) THEN ? ELSE state END WHERE entry_id = ? AND revision = ?`
	qOutboxDelete = `DELETE FROM outbox WHERE seq = ?`
	qRefreshEntry = `UPDATE entries SET state = (SELECT state FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision) WHERE id = ?`
	qLease        = `UPDATE outbox SET attempts = attempts + 1, next_attempt = ? WHERE seq = ?`
	qMarkSent     = `UPDATE revisions SET state = ? WHERE entry_id = ? AND revision = ? AND state IN (?, ?)`

	// qReadBatch reads the next items due (?1: now, ?2: at most), most
	// urgent first, with their documents.
	qReadBatch = `SELECT o.seq, o.entry_id, o.revision, o.priority, o.training, o.attempts, o.next_attempt, o.last_error, o.enqueued,
			p.payload, r.hash, r.size, r.grade, r.immediate
		FROM outbox o JOIN revisions r ON r.entry_id = o.entry_id AND r.revision = o.revision
		LEFT JOIN payloads p ON p.entry_id = o.entry_id AND p.revision = o.revision
		WHERE o.set_aside IS NULL AND o.next_attempt <= ?1
		ORDER BY o.priority DESC, o.seq LIMIT ?2`
)

var outboxQueries = []string{qOutboxOf, qAckRevision, qOutboxDelete, qRefreshEntry, qLease, qMarkSent, qReadBatch}

// listSQL is a statement over a list of rows (a batch's revisions, seqs,
// audit records) bound as parameters: ?1 to ?fixed are its own, then
// width parameters a row. The rows go in a VALUES table joined on the
// primary key, or an IN list, never in text the statement parses, so any
// byte of an id or receipt arrives as it was. (Earlier the lists went as
// one JSON array, hex-encoded; SQLite parsed each row's JSON again for
// every column it read: a third of a batch's statement time.)
//
// A list of any length runs as a few statements of the sizes prepared at
// Open (listSizes): in chunks of at most the largest, and either padded
// up to the next size by repeating its last row (pad: statements for
// which a row given twice does what it does once) or split into sizes
// (the audit records, each inserted once).
type listSQL struct {
	fixed, width int
	values       bool // rows as (?,?) VALUES rows; otherwise an IN list
	pad          bool
	text         func(list string) string
}

// listSizes are the list lengths each list statement is prepared for.
var listSizes = []int{1, 2, 4, 8, 16, 32, 64}

// sql is q's text for n rows.
func (q *listSQL) sql(n int) string {
	var b strings.Builder
	p := q.fixed + 1
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if q.values {
			b.WriteByte('(')
		}
		for j := 0; j < q.width; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('?')
			b.WriteString(strconv.Itoa(p))
			p++
		}
		if q.values {
			b.WriteByte(')')
		}
	}
	return q.text(b.String())
}

var (
	// lWaitingOf: which of the [entry, revision] rows are in the outbox.
	lWaitingOf = &listSQL{width: 2, values: true, pad: true, text: func(l string) string {
		return `SELECT o.entry_id, o.revision, o.seq, o.attempts FROM (VALUES ` + l + `) v
			JOIN outbox o ON o.entry_id = v.column1 AND o.revision = v.column2`
	}}
	// lAckRevisions: the [entry, revision, receipt] rows acknowledged at
	// ?1; their state becomes ?5 if it is ?2, ?3 or ?4.
	lAckRevisions = &listSQL{fixed: 5, width: 3, values: true, pad: true, text: func(l string) string {
		return `UPDATE revisions SET receipt = v.column3, acked = ?1,
			state = CASE WHEN state IN (?2, ?3, ?4) THEN ?5 ELSE state END
			FROM (VALUES ` + l + `) v WHERE revisions.entry_id = v.column1 AND revisions.revision = v.column2`
	}}
	// lOutboxDelete: the rows are outbox seqs.
	lOutboxDelete = &listSQL{width: 1, pad: true, text: func(l string) string {
		return `DELETE FROM outbox WHERE seq IN (` + l + `)`
	}}
	// lLease: the outbox seqs are leased until ?1.
	lLease = &listSQL{fixed: 1, width: 1, pad: true, text: func(l string) string {
		return `UPDATE outbox SET attempts = attempts + 1, next_attempt = ?1 WHERE seq IN (` + l + `)`
	}}
	// lMarkSent: the [entry, revision] rows become ?1 if ?2 or ?3.
	lMarkSent = &listSQL{fixed: 3, width: 2, values: true, pad: true, text: func(l string) string {
		return `UPDATE revisions SET state = ?1 FROM (VALUES ` + l + `) v
			WHERE revisions.entry_id = v.column1 AND revisions.revision = v.column2 AND revisions.state IN (?2, ?3)`
	}}
	// lRefreshEntries: qRefreshEntry for each entry id.
	lRefreshEntries = &listSQL{width: 1, pad: true, text: func(l string) string {
		return `UPDATE entries SET state = (SELECT state FROM revisions r WHERE r.entry_id = entries.id AND r.revision = entries.revision)
			WHERE id IN (` + l + `)`
	}}
	// lAuditInsert: audit records [seq, at, officer, action, entry, detail,
	// prev, hash].
	lAuditInsert = &listSQL{width: 8, values: true, text: func(l string) string {
		return `INSERT INTO audit(seq, at, officer, action, entry_id, detail, prev, hash) VALUES ` + l
	}}
)

var listQueries = []*listSQL{lWaitingOf, lAckRevisions, lOutboxDelete, lLease, lMarkSent, lRefreshEntries, lAuditInsert}

// prepareLists prepares every list statement in every size.
func (s *Store) prepareLists() error {
	for _, q := range listQueries {
		for _, n := range listSizes {
			text := q.sql(n)
			st, err := s.db.Prepare(text)
			if err != nil {
				return storageErr("prepare", err)
			}
			s.stmts[text] = st // closed by Close
			if s.lists[q] == nil {
				s.lists[q] = map[int]*sql.Stmt{}
			}
			s.lists[q][n] = st
		}
	}
	return nil
}

// chunks cuts n rows into the runs q executes: lengths from
// listSizes, with padded (the size run, at least the length) for the
// padded statements.
func (q *listSQL) chunks(n int) (runs []int, sizes []int) {
	largest := listSizes[len(listSizes)-1]
	for n > 0 {
		c := min(n, largest)
		size := 0
		for _, sz := range listSizes {
			if q.pad && sz >= c {
				size = sz
				break
			}
			if !q.pad && sz <= c {
				size = sz
			}
		}
		if !q.pad {
			c = size
		}
		runs, sizes = append(runs, c), append(sizes, size)
		n -= c
	}
	return runs, sizes
}

// listArgs is a list statement's rows, flat: width values a row.
type listArgs struct {
	q    *listSQL
	vals []any
}

func newList(q *listSQL, capRows int) *listArgs {
	return &listArgs{q: q, vals: make([]any, 0, capRows*q.width)}
}

func (l *listArgs) add(row ...any) { l.vals = append(l.vals, row...) }

func (l *listArgs) rows() int { return len(l.vals) / l.q.width }

// eachRun runs fn with the prepared statement and the arguments (fixed ones
// first) of each run of l's rows.
func (s *Store) eachRun(tx *sql.Tx, l *listArgs, fixed []any, fn func(st *sql.Stmt, args []any) error) error {
	q, w := l.q, l.q.width
	runs, sizes := q.chunks(l.rows())
	at := 0
	for i, n := range runs {
		size := sizes[i]
		args := make([]any, 0, len(fixed)+size*w)
		args = append(args, fixed...)
		args = append(args, l.vals[at*w:(at+n)*w]...)
		for k := n; k < size; k++ { // pad: the last row again
			args = append(args, l.vals[(at+n-1)*w:(at+n)*w]...)
		}
		st, ok := s.lists[q][size]
		if !ok {
			panic("devicestore: list statement not prepared for size " + strconv.Itoa(size))
		}
		if err := fn(tx.Stmt(st), args); err != nil {
			return err
		}
		at += n
	}
	return nil
}

// execList runs a list statement over l's rows.
func (s *Store) execList(tx *sql.Tx, l *listArgs, fixed ...any) error {
	return s.eachRun(tx, l, fixed, func(st *sql.Stmt, args []any) error {
		_, err := st.Exec(args...)
		return err
	})
}
