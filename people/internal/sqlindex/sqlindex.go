// Package sqlindex implements people.Index over database/sql for both
// backends. The SQL is written once in the common subset of SQLite and
// PostgreSQL ("?" placeholders become "$n" for PostgreSQL); the backends
// (people/sqlite, people/postgres) own their schema, connection settings
// and bulk loading.
//
// Tables (all prefixed people_ so the index can share a database with the
// central store): person (a cluster; merged_into set once merged),
// record (one person as recorded in one entry, JSON, belonging to one
// person), key (blocking keys of records), edge (relationships between
// records), entry (day and grade of entries), audit (merges and unmerges,
// with the records each moved).
package sqlindex

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/internal/sqldialect"
	"github.com/safeguard-uk/safeguard/internal/sqlmigrate"
	"github.com/safeguard-uk/safeguard/people"
)

// Dialect is the SQL flavour (package internal/sqldialect).
type Dialect = sqldialect.Dialect

// Dialects.
const (
	SQLite   = sqldialect.SQLite
	Postgres = sqldialect.Postgres
)

// Index is a people.Index over a *sql.DB.
type Index struct {
	DB      *sql.DB
	Dialect Dialect
	// Nicknames is used to compute blocking keys (people.DefaultNicknames
	// unless set before use).
	Nicknames *people.Nicknames
	// Sealer, when set before use, seals the records' particulars and
	// blinds their blocking keys (people.Sealer); nil stores them plain.
	Sealer people.Sealer
	// lock is appended to SELECTs of person rows inside write
	// transactions (PostgreSQL: FOR UPDATE; SQLite's BEGIN IMMEDIATE
	// already holds the write lock).
	lock string
	// tx, when set, is the transaction every call runs in (an Index
	// InTx made); parent is then the Index it was made from, which
	// holds the prepared statements.
	tx     *sql.Tx
	parent *Index

	mu    sync.Mutex
	stmts map[[2]int]*sql.Stmt // candidate statements by probe count and limit
}

var _ people.Transactor = (*Index)(nil)

// db returns what reads run on: the bound transaction, else the pool.
func (x *Index) db() q {
	if x.tx != nil {
		return x.tx
	}
	return x.DB
}

// InTx implements people.Transactor: fn gets an Index whose every call
// runs in one read-write transaction, committed when fn returns nil and
// rolled back otherwise (nothing fn wrote stays). On PostgreSQL a failed
// statement aborts the transaction, so fn should return the first error
// it gets. Called on an Index bound already, fn runs in that transaction.
func (x *Index) InTx(ctx context.Context, fn func(people.Index) error) error {
	if x.tx != nil {
		return fn(x)
	}
	return x.update(ctx, func(tx *sql.Tx) error {
		return fn(&Index{DB: x.DB, Dialect: x.Dialect, Nicknames: x.Nicknames, Sealer: x.Sealer,
			lock: x.lock, tx: tx, parent: x})
	})
}

// New returns an Index over db.
func New(db *sql.DB, d Dialect) *Index {
	x := &Index{DB: db, Dialect: d, Nicknames: people.DefaultNicknames}
	if d == Postgres {
		x.lock = " FOR UPDATE"
	}
	return x
}

// Rebind rewrites "?" placeholders for the dialect.
func (x *Index) Rebind(q string) string { return x.Dialect.Rebind(q) }

// Close closes the database (an error on an Index bound to a
// transaction: the Index it came from owns the database).
func (x *Index) Close() error {
	if x.tx != nil {
		return fmt.Errorf("close: index bound to a transaction: %w", people.ErrInvalid)
	}
	x.mu.Lock()
	for _, st := range x.stmts {
		st.Close()
	}
	x.stmts = nil
	x.mu.Unlock()
	return x.DB.Close()
}

// Migrate applies, in name order, every *.sql file of fsys not yet
// recorded in people_migrations, each in its own transaction; lock, when
// set, runs first in each (PostgreSQL: an advisory lock).
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS, lock string) (int, error) {
	return sqlmigrate.Apply(ctx, db, fsys, "people_migrations", d == Postgres, lock)
}

// q is a query runner: a *sql.DB or a *sql.Tx.
type q interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (x *Index) exec(ctx context.Context, db q, query string, args ...any) (sql.Result, error) {
	r, err := db.ExecContext(ctx, x.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", firstWords(query), err)
	}
	return r, nil
}

func (x *Index) query(ctx context.Context, db q, query string, args ...any) (*sql.Rows, error) {
	r, err := db.QueryContext(ctx, x.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", firstWords(query), err)
	}
	return r, nil
}

func firstWords(q string) string {
	f := strings.Fields(q)
	if len(f) > 3 {
		f = f[:3]
	}
	return strings.Join(f, " ")
}

// update runs fn in a read-write transaction (the bound one, if any).
func (x *Index) update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if x.tx != nil {
		return fn(x.tx)
	}
	tx, err := x.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// placeholders returns "?, ?, ..." (n of them).
func placeholders(n int) string {
	if n <= 0 {
		return "NULL"
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func encodeRecord(rec people.Record) (string, error) { return (*Index)(nil).encodeRecord(rec) }

func decodeRecord(s string) (people.Record, error) { return (*Index)(nil).decodeRecord(s) }

// sealedPrefix marks a record's data column sealed by the index's Sealer
// (base64 of the sealed JSON follows).
const sealedPrefix = "sealed:v1:"

// sealAD is the additional data bound to every sealed record.
var sealAD = []byte("safeguard/people/record/v1")

// encodeRecord returns the data column of a record: its JSON, sealed
// when the index has a Sealer.
func (x *Index) encodeRecord(rec people.Record) (string, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return "", fmt.Errorf("encode record: %w", err)
	}
	if x == nil || x.Sealer == nil {
		return string(b), nil
	}
	c, err := x.Sealer.Seal(b, sealAD)
	if err != nil {
		return "", fmt.Errorf("seal record: %w", err)
	}
	return sealedPrefix + base64.StdEncoding.EncodeToString(c), nil
}

// decodeRecord reads a data column, opening it when sealed. A sealed
// record without a Sealer (or with the wrong key) is an error, never
// read as empty.
func (x *Index) decodeRecord(s string) (people.Record, error) {
	var r people.Record
	b := []byte(s)
	if rest, ok := strings.CutPrefix(s, sealedPrefix); ok {
		if x == nil || x.Sealer == nil {
			return r, fmt.Errorf("decode record: sealed, and the index has no sealer: %w", people.ErrInvalid)
		}
		c, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			return r, fmt.Errorf("decode record: %w", err)
		}
		if b, err = x.Sealer.Open(c, sealAD); err != nil {
			return r, fmt.Errorf("open sealed record: %w", err)
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("decode record: %w", err)
	}
	return r, nil
}

// blind returns the key as stored: itself without a Sealer, else the
// first 64 bits of its keyed hash, so the key table does not tell which
// names and dates it was made from.
func (x *Index) blind(k people.Key) people.Key {
	if x == nil || x.Sealer == nil {
		return k
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(k))
	return people.Key(binary.BigEndian.Uint64(x.Sealer.Blind(b[:])))
}

// recordKeys returns a record's blocking keys as stored.
func (x *Index) recordKeys(p *people.Particulars) []people.Key {
	ks := people.Keys(p, x.Nicknames)
	if x.Sealer != nil {
		for i := range ks {
			ks[i] = x.blind(ks[i])
		}
		slices.Sort(ks)
	}
	return ks
}

func checkRecord(rec people.Record) error {
	if rec.ID == uuid.Nil {
		return fmt.Errorf("record without id: %w", people.ErrInvalid)
	}
	if rec.EntryID == uuid.Nil {
		return fmt.Errorf("record without entry id: %w", people.ErrInvalid)
	}
	return nil
}

// livePerson resolves a person id, following merges, to the live
// person's row key and id (locking the row in PostgreSQL when locked).
func (x *Index) livePerson(ctx context.Context, db q, id uuid.UUID, locked bool) (int64, uuid.UUID, error) {
	lock := ""
	if locked {
		lock = x.lock
	}
	for hops := 0; hops < 1000; hops++ {
		var pk int64
		var into sql.NullInt64
		err := db.QueryRowContext(ctx, x.Rebind("SELECT pk, merged_into FROM people_person WHERE id = ?"+lock), id).Scan(&pk, &into)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, uuid.Nil, fmt.Errorf("person %s: %w", id, people.ErrNotFound)
		}
		if err != nil {
			return 0, uuid.Nil, fmt.Errorf("person %s: %w", id, err)
		}
		if !into.Valid {
			return pk, id, nil
		}
		if err := db.QueryRowContext(ctx, x.Rebind("SELECT id FROM people_person WHERE pk = ?"), into.Int64).Scan(&id); err != nil {
			return 0, uuid.Nil, fmt.Errorf("person merged into %d: %w", into.Int64, err)
		}
	}
	return 0, uuid.Nil, fmt.Errorf("person %s: merge chain too long: %w", id, people.ErrConflict)
}

// insertRecord stores a record of person pk with its keys.
func (x *Index) insertRecord(ctx context.Context, tx q, rec people.Record, person int64) error {
	data, err := x.encodeRecord(rec)
	if err != nil {
		return err
	}
	var exists int
	err = tx.QueryRowContext(ctx, x.Rebind("SELECT 1 FROM people_record WHERE id = ?"), rec.ID).Scan(&exists)
	if err == nil {
		return fmt.Errorf("record %s: %w", rec.ID, people.ErrExists)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("record %s: %w", rec.ID, err)
	}
	keys := x.recordKeys(&rec.Particulars)
	var pk int64
	err = tx.QueryRowContext(ctx, x.Rebind(`INSERT INTO people_record (id, person, entry_id, seen, role, data, keys)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING pk`), rec.ID, person, rec.EntryID, rec.Seen.String(), string(rec.Role), data,
		EncodeKeys(keys)).Scan(&pk)
	if err != nil {
		return fmt.Errorf("insert record: %w", err)
	}
	return x.insertKeys(ctx, tx, pk, person, keys)
}

// EncodeKeys packs keys as big-endian 64-bit words: the keys column of
// people_record, which a merge moves and an update deletes, whatever the
// nickname table says by then.
func EncodeKeys(keys []people.Key) []byte {
	b := make([]byte, 8*len(keys))
	for i, k := range keys {
		binary.BigEndian.PutUint64(b[8*i:], uint64(k))
	}
	return b
}

// DecodeKeys unpacks EncodeKeys.
func DecodeKeys(b []byte) ([]people.Key, error) {
	if len(b)%8 != 0 {
		return nil, fmt.Errorf("decode keys: %d bytes: %w", len(b), people.ErrInvalid)
	}
	out := make([]people.Key, len(b)/8)
	for i := range out {
		out[i] = people.Key(binary.BigEndian.Uint64(b[8*i:]))
	}
	return out, nil
}

func (x *Index) insertKeys(ctx context.Context, tx q, record, person int64, keys []people.Key) error {
	if len(keys) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("INSERT INTO people_key (k, record, person) VALUES ")
	args := make([]any, 0, 3*len(keys))
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?)")
		args = append(args, int64(k), record, person)
	}
	b.WriteString(" ON CONFLICT DO NOTHING")
	if _, err := x.exec(ctx, tx, b.String(), args...); err != nil {
		return fmt.Errorf("insert keys: %w", err)
	}
	return nil
}

// moveKeys points the keys of records at another person.
func (x *Index) moveKeys(ctx context.Context, tx q, records []int64, person int64) error {
	for _, r := range records {
		var blob []byte
		if err := tx.QueryRowContext(ctx, x.Rebind("SELECT keys FROM people_record WHERE pk = ?"), r).Scan(&blob); err != nil {
			return fmt.Errorf("keys of record %d: %w", r, err)
		}
		keys, err := DecodeKeys(blob)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := x.exec(ctx, tx, "UPDATE people_key SET person = ? WHERE k = ? AND record = ?", person, int64(k), r); err != nil {
				return err
			}
		}
	}
	return nil
}

// Add implements people.Index.
func (x *Index) Add(ctx context.Context, rec people.Record) (uuid.UUID, error) {
	if err := checkRecord(rec); err != nil {
		return uuid.Nil, fmt.Errorf("add: %w", err)
	}
	id := uuid.New()
	err := x.update(ctx, func(tx *sql.Tx) error {
		var pk int64
		if err := tx.QueryRowContext(ctx, x.Rebind("INSERT INTO people_person (id, created) VALUES (?, ?) RETURNING pk"),
			id, time.Now().UnixMilli()).Scan(&pk); err != nil {
			return fmt.Errorf("insert person: %w", err)
		}
		return x.insertRecord(ctx, tx, rec, pk)
	})
	if err != nil {
		return uuid.Nil, fmt.Errorf("add: %w", err)
	}
	return id, nil
}

// Link implements people.Index.
func (x *Index) Link(ctx context.Context, rec people.Record, person uuid.UUID) error {
	if err := checkRecord(rec); err != nil {
		return fmt.Errorf("link: %w", err)
	}
	err := x.update(ctx, func(tx *sql.Tx) error {
		pk, _, err := x.livePerson(ctx, tx, person, true)
		if err != nil {
			return err
		}
		return x.insertRecord(ctx, tx, rec, pk)
	})
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	return nil
}

// Update implements people.Index.
func (x *Index) Update(ctx context.Context, rec people.Record) error {
	if err := checkRecord(rec); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	data, err := x.encodeRecord(rec)
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	err = x.update(ctx, func(tx *sql.Tx) error {
		var pk, person int64
		var oldKeys []byte
		err := tx.QueryRowContext(ctx, x.Rebind("SELECT pk, person, keys FROM people_record WHERE id = ?"+x.lock), rec.ID).Scan(&pk, &person, &oldKeys)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("record %s: %w", rec.ID, people.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("record %s: %w", rec.ID, err)
		}
		old, err := DecodeKeys(oldKeys)
		if err != nil {
			return err
		}
		keys := x.recordKeys(&rec.Particulars)
		if _, err := x.exec(ctx, tx, "UPDATE people_record SET seen = ?, role = ?, data = ?, keys = ? WHERE pk = ?",
			rec.Seen.String(), string(rec.Role), data, EncodeKeys(keys), pk); err != nil {
			return err
		}
		for _, k := range old {
			if _, err := x.exec(ctx, tx, "DELETE FROM people_key WHERE k = ? AND record = ?", int64(k), pk); err != nil {
				return err
			}
		}
		return x.insertKeys(ctx, tx, pk, person, keys)
	})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	return nil
}

// PersonOf implements people.Index.
func (x *Index) PersonOf(ctx context.Context, record uuid.UUID) (uuid.UUID, error) {
	var id uuid.UUID
	err := x.db().QueryRowContext(ctx, x.Rebind(`SELECT p.id FROM people_record r JOIN people_person p ON p.pk = r.person WHERE r.id = ?`), record).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return uuid.Nil, fmt.Errorf("person of record %s: %w", record, people.ErrNotFound)
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("person of record %s: %w", record, err)
	}
	return id, nil
}

// Person implements people.Index.
func (x *Index) Person(ctx context.Context, id uuid.UUID) (people.Person, error) {
	pk, live, err := x.livePerson(ctx, x.db(), id, false)
	if err != nil {
		return people.Person{}, fmt.Errorf("get person: %w", err)
	}
	recs, err := x.recordsOf(ctx, pk)
	if err != nil {
		return people.Person{}, fmt.Errorf("get person: %w", err)
	}
	return people.Profile(live, recs), nil
}

// Records implements people.Index.
func (x *Index) Records(ctx context.Context, person uuid.UUID) ([]people.Record, error) {
	pk, _, err := x.livePerson(ctx, x.db(), person, false)
	if err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	recs, err := x.recordsOf(ctx, pk)
	if err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	return recs, nil
}

func (x *Index) recordsOf(ctx context.Context, person int64) ([]people.Record, error) {
	rows, err := x.query(ctx, x.db(), "SELECT data FROM people_record WHERE person = ? ORDER BY pk", person)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []people.Record
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("scan record: %w", err)
		}
		r, err := x.decodeRecord(data)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// probeBuckets are the probe counts candidate statements are prepared
// for (probes are padded to the next): one parse per shape, not per call.
var probeBuckets = []int{16, 32, 64, 128, 256}

// candidateSQL ranks people by the weight of the probes their records hit
// and returns the records of the best.
func candidateSQL(d Dialect, n, limit int) string {
	var b strings.Builder
	b.WriteString("WITH q (k, w) AS (VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		if d == Postgres {
			b.WriteString("(CAST(? AS BIGINT), CAST(? AS INTEGER))")
		} else {
			b.WriteString("(?, ?)")
		}
	}
	// A person counts each key once, however many of their records carry it.
	b.WriteString(`), h AS (
			SELECT d.person AS person, SUM(d.w) AS n FROM (
				SELECT DISTINCT k.person AS person, q.k AS kk, q.w AS w FROM q JOIN people_key k ON k.k = q.k) d
			GROUP BY d.person ORDER BY n DESC, d.person LIMIT ` + strconv.Itoa(limit) + `),
		-- people.CandidateKeep and people.CandidateShare: past the first
		-- few, a person hit by far less key weight than the best is not
		-- fetched.
		t AS (SELECT h.person AS person, h.n AS n, ROW_NUMBER() OVER (ORDER BY h.n DESC, h.person) AS rk,
			MAX(h.n) OVER () AS top FROM h)
		SELECT t.person, p.id, r.data FROM t JOIN people_person p ON p.pk = t.person
		JOIN people_record r ON r.person = t.person
		WHERE t.rk <= ` + strconv.Itoa(people.CandidateKeep) + ` OR t.n * ` + strconv.Itoa(people.CandidateShare) + ` >= t.top
		ORDER BY t.n DESC, t.person, r.pk`)
	return b.String()
}

func (x *Index) candidateStmt(ctx context.Context, n, limit int) (*sql.Stmt, error) {
	if x.parent != nil {
		return x.parent.candidateStmt(ctx, n, limit)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	key := [2]int{n, limit}
	if st := x.stmts[key]; st != nil {
		return st, nil
	}
	st, err := x.DB.PrepareContext(ctx, x.Rebind(candidateSQL(x.Dialect, n, limit)))
	if err != nil {
		return nil, fmt.Errorf("prepare candidates: %w", err)
	}
	if x.stmts == nil {
		x.stmts = map[[2]int]*sql.Stmt{}
	}
	x.stmts[key] = st
	return st, nil
}

// Candidates implements people.Index.
func (x *Index) Candidates(ctx context.Context, probes []people.Probe, limit int) ([]people.Person, error) {
	if len(probes) == 0 {
		return nil, nil
	}
	if limit <= 0 {
		limit = people.DefaultCandidateLimit
	}
	var out []people.Person
	for len(probes) > 0 {
		// More probes than the largest statement: search in parts (the
		// ranking is then per part; it happens only for records with
		// very many names or dates).
		n := probeBuckets[len(probeBuckets)-1]
		for _, b := range probeBuckets {
			if len(probes) <= b {
				n = b
				break
			}
		}
		part := probes[:min(n, len(probes))]
		probes = probes[len(part):]
		got, err := x.candidates(ctx, part, n, limit)
		if err != nil {
			return nil, err
		}
		for _, p := range got {
			if !slices.ContainsFunc(out, func(q people.Person) bool { return q.ID == p.ID }) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

func (x *Index) candidates(ctx context.Context, probes []people.Probe, n, limit int) ([]people.Person, error) {
	st, err := x.candidateStmt(ctx, n, limit)
	if err != nil {
		return nil, err
	}
	args := make([]any, 0, 2*n)
	for _, p := range probes {
		args = append(args, int64(x.blind(p.Key)), p.Weight)
	}
	for i := len(probes); i < n; i++ {
		args = append(args, int64(0), 0) // padding: key 0 is never made (see people.Key)
	}
	if x.tx != nil {
		st = x.tx.StmtContext(ctx, st)
		defer st.Close()
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("candidates: %w", err)
	}
	defer rows.Close()
	var out []people.Person
	var recs []people.Record
	var cur int64 = -1
	var curID uuid.UUID
	flush := func() {
		if cur >= 0 {
			out = append(out, people.Profile(curID, recs))
		}
		recs = nil
	}
	for rows.Next() {
		var pk int64
		var id uuid.UUID
		var data string
		if err := rows.Scan(&pk, &id, &data); err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		if pk != cur {
			flush()
			cur, curID = pk, id
		}
		r, err := x.decodeRecord(data)
		if err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("candidates: %w", err)
	}
	flush()
	return out, nil
}

// KeyCounts implements people.Index. The number of records is read from
// the largest row key (an index lookup, not a count).
func (x *Index) KeyCounts(ctx context.Context, keys []people.Key) (int64, []int64, error) {
	var b strings.Builder
	b.WriteString("SELECT (SELECT COALESCE(MAX(pk), 0) FROM people_record)")
	args := make([]any, len(keys))
	for i, k := range keys {
		b.WriteString(", (SELECT count(*) FROM people_key WHERE k = ?)")
		args[i] = int64(x.blind(k))
	}
	dest := make([]any, 1+len(keys))
	var n int64
	counts := make([]int64, len(keys))
	dest[0] = &n
	for i := range counts {
		dest[1+i] = &counts[i]
	}
	if err := x.db().QueryRowContext(ctx, x.Rebind(b.String()), args...).Scan(dest...); err != nil {
		return 0, nil, fmt.Errorf("key counts: %w", err)
	}
	return n, counts, nil
}

// recordPK returns a stored record's row key.
func (x *Index) recordPK(ctx context.Context, db q, id uuid.UUID) (int64, error) {
	var pk int64
	err := db.QueryRowContext(ctx, x.Rebind("SELECT pk FROM people_record WHERE id = ?"), id).Scan(&pk)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("record %s: %w", id, people.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("record %s: %w", id, err)
	}
	return pk, nil
}

// Relate implements people.Index.
func (x *Index) Relate(ctx context.Context, r people.Relationship) error {
	if _, err := people.ParseRelType(string(r.Type)); err != nil || r.ID == uuid.Nil || r.From == r.To {
		return fmt.Errorf("relate: %w", people.ErrInvalid)
	}
	err := x.update(ctx, func(tx *sql.Tx) error {
		from, err := x.recordPK(ctx, tx, r.From)
		if err != nil {
			return err
		}
		to, err := x.recordPK(ctx, tx, r.To)
		if err != nil {
			return err
		}
		_, err = x.exec(ctx, tx, `INSERT INTO people_edge (id, entry_id, from_record, to_record, type)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, r.ID, r.EntryID, from, to, string(r.Type))
		return err
	})
	if err != nil {
		return fmt.Errorf("relate: %w", err)
	}
	return nil
}

// livePKs resolves person ids to live row keys (deduplicated).
func (x *Index) livePKs(ctx context.Context, ids []uuid.UUID) ([]int64, map[int64]uuid.UUID, error) {
	var pks []int64
	byPK := map[int64]uuid.UUID{}
	for _, id := range ids {
		pk, live, err := x.livePerson(ctx, x.db(), id, false)
		if err != nil {
			return nil, nil, err
		}
		if _, ok := byPK[pk]; !ok {
			byPK[pk] = live
			pks = append(pks, pk)
		}
	}
	return pks, byPK, nil
}

func int64Args(xs []int64) []any {
	out := make([]any, len(xs))
	for i, v := range xs {
		out[i] = v
	}
	return out
}

// Edges implements people.Index.
func (x *Index) Edges(ctx context.Context, persons []uuid.UUID) ([]people.Edge, error) {
	pks, _, err := x.livePKs(ctx, persons)
	if err != nil || len(pks) == 0 {
		if err != nil {
			err = fmt.Errorf("edges: %w", err)
		}
		return nil, err
	}
	in := placeholders(len(pks))
	args := append(int64Args(pks), int64Args(pks)...)
	rows, err := x.query(ctx, x.db(), `SELECT e.id, e.entry_id, e.type, fr.id, tr.id, fp.id, tp.id FROM people_edge e
		JOIN people_record fr ON fr.pk = e.from_record JOIN people_person fp ON fp.pk = fr.person
		JOIN people_record tr ON tr.pk = e.to_record JOIN people_person tp ON tp.pk = tr.person
		WHERE e.pk IN (SELECT e2.pk FROM people_edge e2 JOIN people_record r2 ON r2.pk = e2.from_record WHERE r2.person IN (`+in+`)
			UNION SELECT e3.pk FROM people_edge e3 JOIN people_record r3 ON r3.pk = e3.to_record WHERE r3.person IN (`+in+`))
		ORDER BY e.pk`, args...)
	if err != nil {
		return nil, fmt.Errorf("edges: %w", err)
	}
	defer rows.Close()
	var out []people.Edge
	for rows.Next() {
		var e people.Edge
		var t string
		if err := rows.Scan(&e.ID, &e.EntryID, &t, &e.FromRecord, &e.ToRecord, &e.From, &e.To); err != nil {
			return nil, fmt.Errorf("edges: %w", err)
		}
		e.Type = people.RelType(t)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("edges: %w", err)
	}
	return out, nil
}

// Relatives implements people.Index.
func (x *Index) Relatives(ctx context.Context, persons []uuid.UUID) (map[uuid.UUID][]people.Relative, error) {
	pks, byPK, err := x.livePKs(ctx, persons)
	if err != nil || len(pks) == 0 {
		if err != nil {
			err = fmt.Errorf("relatives: %w", err)
		}
		return nil, err
	}
	in := placeholders(len(pks))
	args := append(int64Args(pks), int64Args(pks)...)
	rows, err := x.query(ctx, x.db(), `SELECT r.person, e.type, 1, o.data FROM people_edge e
			JOIN people_record r ON r.pk = e.to_record JOIN people_record o ON o.pk = e.from_record
			WHERE r.person IN (`+in+`)
		UNION ALL
		SELECT r.person, e.type, 0, o.data FROM people_edge e
			JOIN people_record r ON r.pk = e.from_record JOIN people_record o ON o.pk = e.to_record
			WHERE r.person IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("relatives: %w", err)
	}
	defer rows.Close()
	out := map[uuid.UUID][]people.Relative{}
	for rows.Next() {
		var pk int64
		var t, data string
		var outgoing int
		if err := rows.Scan(&pk, &t, &outgoing, &data); err != nil {
			return nil, fmt.Errorf("relatives: %w", err)
		}
		o, err := x.decodeRecord(data)
		if err != nil {
			return nil, fmt.Errorf("relatives: %w", err)
		}
		id := byPK[pk]
		out[id] = append(out[id], people.Relative{Type: people.RelType(t), Outgoing: outgoing == 1, Name: o.Name, DOB: o.DOB})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("relatives: %w", err)
	}
	return out, nil
}

// SetEntry implements people.Index.
func (x *Index) SetEntry(ctx context.Context, e people.Entry) error {
	if e.ID == uuid.Nil || !e.Date.Valid() {
		return fmt.Errorf("set entry: %w", people.ErrInvalid)
	}
	_, err := x.exec(ctx, x.db(), `INSERT INTO people_entry (id, day, grade) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET day = excluded.day, grade = excluded.grade`, e.ID, e.Date.String(), string(e.Grade))
	if err != nil {
		return fmt.Errorf("set entry: %w", err)
	}
	return nil
}

// History implements people.Index.
func (x *Index) History(ctx context.Context, person uuid.UUID) ([]people.Appearance, error) {
	pk, _, err := x.livePerson(ctx, x.db(), person, false)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	rows, err := x.query(ctx, x.db(), `SELECT r.id, r.entry_id, r.role, r.seen, e.day, e.grade FROM people_record r
		LEFT JOIN people_entry e ON e.id = r.entry_id WHERE r.person = ? ORDER BY COALESCE(e.day, r.seen), r.pk`, pk)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	var out []people.Appearance
	for rows.Next() {
		var a people.Appearance
		var role, seen string
		var day, grade sql.NullString
		if err := rows.Scan(&a.RecordID, &a.EntryID, &role, &seen, &day, &grade); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		a.Role, a.Grade = people.Role(role), people.Grade(grade.String)
		d := seen
		if day.Valid {
			d = day.String
		}
		if a.Date, err = people.ParseDate(d); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return out, nil
}

func encodeIDs(ids []uuid.UUID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func decodeIDs(s string) ([]uuid.UUID, error) {
	var ss []string
	if err := json.Unmarshal([]byte(s), &ss); err != nil {
		return nil, fmt.Errorf("decode ids: %w", err)
	}
	out := make([]uuid.UUID, len(ss))
	for i, v := range ss {
		id, err := uuid.Parse(v)
		if err != nil {
			return nil, fmt.Errorf("decode ids: %w", err)
		}
		out[i] = id
	}
	return out, nil
}

func (x *Index) audit(ctx context.Context, tx q, ev *people.AuditEvent) error {
	ev.At = time.Now().UTC().Truncate(time.Millisecond)
	err := tx.QueryRowContext(ctx, x.Rebind(`INSERT INTO people_audit (at, actor, action, merge_id, into_person, from_person, reason, records)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`), ev.At.UnixMilli(), ev.Actor, string(ev.Action), ev.MergeID,
		ev.Into, ev.From, ev.Reason, encodeIDs(ev.Records)).Scan(&ev.Seq)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// Merge implements people.Index.
func (x *Index) Merge(ctx context.Context, into, from uuid.UUID, actor, reason string) (people.AuditEvent, error) {
	ev := people.AuditEvent{Actor: actor, Action: people.ActionMerge, MergeID: uuid.New(), Reason: reason}
	if actor == "" {
		return ev, fmt.Errorf("merge: no actor: %w", people.ErrInvalid)
	}
	err := x.update(ctx, func(tx *sql.Tx) error {
		intoPK, intoID, err := x.livePerson(ctx, tx, into, true)
		if err != nil {
			return err
		}
		var fromPK int64
		var merged sql.NullInt64
		err = tx.QueryRowContext(ctx, x.Rebind("SELECT pk, merged_into FROM people_person WHERE id = ?"+x.lock), from).Scan(&fromPK, &merged)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("person %s: %w", from, people.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("person %s: %w", from, err)
		}
		if merged.Valid {
			return fmt.Errorf("person %s is merged already: %w", from, people.ErrConflict)
		}
		if fromPK == intoPK {
			return fmt.Errorf("merge a person into itself: %w", people.ErrInvalid)
		}
		rows, err := x.query(ctx, tx, "SELECT pk, id FROM people_record WHERE person = ? ORDER BY pk", fromPK)
		if err != nil {
			return err
		}
		var pks []int64
		for rows.Next() {
			var pk int64
			var id uuid.UUID
			if err := rows.Scan(&pk, &id); err != nil {
				rows.Close()
				return fmt.Errorf("merge records: %w", err)
			}
			pks = append(pks, pk)
			ev.Records = append(ev.Records, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("merge records: %w", err)
		}
		if _, err := x.exec(ctx, tx, "UPDATE people_record SET person = ? WHERE person = ?", intoPK, fromPK); err != nil {
			return err
		}
		if err := x.moveKeys(ctx, tx, pks, intoPK); err != nil {
			return err
		}
		if _, err := x.exec(ctx, tx, "UPDATE people_person SET merged_into = ? WHERE pk = ?", intoPK, fromPK); err != nil {
			return err
		}
		ev.Into, ev.From = intoID, from
		return x.audit(ctx, tx, &ev)
	})
	if err != nil {
		return people.AuditEvent{}, fmt.Errorf("merge: %w", err)
	}
	return ev, nil
}

// Unmerge implements people.Index.
func (x *Index) Unmerge(ctx context.Context, mergeID uuid.UUID, actor, reason string) (people.AuditEvent, error) {
	ev := people.AuditEvent{Actor: actor, Action: people.ActionUnmerge, MergeID: mergeID, Reason: reason}
	if actor == "" {
		return ev, fmt.Errorf("unmerge: no actor: %w", people.ErrInvalid)
	}
	err := x.update(ctx, func(tx *sql.Tx) error {
		var recs string
		err := tx.QueryRowContext(ctx, x.Rebind(`SELECT into_person, from_person, records FROM people_audit
			WHERE merge_id = ? AND action = ?`), mergeID, string(people.ActionMerge)).Scan(&ev.Into, &ev.From, &recs)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("merge %s: %w", mergeID, people.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("merge %s: %w", mergeID, err)
		}
		var undone int
		err = tx.QueryRowContext(ctx, x.Rebind(`SELECT count(*) FROM people_audit WHERE merge_id = ? AND action = ?`),
			mergeID, string(people.ActionUnmerge)).Scan(&undone)
		if err != nil {
			return fmt.Errorf("merge %s: %w", mergeID, err)
		}
		if undone > 0 {
			return fmt.Errorf("merge %s is undone already: %w", mergeID, people.ErrConflict)
		}
		if ev.Records, err = decodeIDs(recs); err != nil {
			return err
		}
		var intoPK, fromPK int64
		var intoMerged, fromMerged sql.NullInt64
		if err := tx.QueryRowContext(ctx, x.Rebind("SELECT pk, merged_into FROM people_person WHERE id = ?"+x.lock), ev.Into).Scan(&intoPK, &intoMerged); err != nil {
			return fmt.Errorf("person %s: %w", ev.Into, err)
		}
		if err := tx.QueryRowContext(ctx, x.Rebind("SELECT pk, merged_into FROM people_person WHERE id = ?"+x.lock), ev.From).Scan(&fromPK, &fromMerged); err != nil {
			return fmt.Errorf("person %s: %w", ev.From, err)
		}
		if intoMerged.Valid {
			return fmt.Errorf("person %s has since been merged into another; undo that first: %w", ev.Into, people.ErrConflict)
		}
		if !fromMerged.Valid || fromMerged.Int64 != intoPK {
			return fmt.Errorf("person %s is not merged into %s: %w", ev.From, ev.Into, people.ErrConflict)
		}
		if len(ev.Records) > 0 {
			args := append([]any{fromPK}, idArgs(ev.Records)...)
			args = append(args, intoPK)
			res, err := x.exec(ctx, tx, "UPDATE people_record SET person = ? WHERE id IN ("+placeholders(len(ev.Records))+") AND person = ?", args...)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != int64(len(ev.Records)) {
				return fmt.Errorf("records of merge %s have moved since: %w", mergeID, people.ErrConflict)
			}
			rows, err := x.query(ctx, tx, "SELECT pk FROM people_record WHERE id IN ("+placeholders(len(ev.Records))+")", idArgs(ev.Records)...)
			if err != nil {
				return err
			}
			var pks []int64
			for rows.Next() {
				var pk int64
				if err := rows.Scan(&pk); err != nil {
					rows.Close()
					return fmt.Errorf("unmerge records: %w", err)
				}
				pks = append(pks, pk)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("unmerge records: %w", err)
			}
			if err := x.moveKeys(ctx, tx, pks, fromPK); err != nil {
				return err
			}
		}
		if _, err := x.exec(ctx, tx, "UPDATE people_person SET merged_into = NULL WHERE pk = ?", fromPK); err != nil {
			return err
		}
		return x.audit(ctx, tx, &ev)
	})
	if err != nil {
		return people.AuditEvent{}, fmt.Errorf("unmerge: %w", err)
	}
	return ev, nil
}

func idArgs(ids []uuid.UUID) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// Audit implements people.Index.
func (x *Index) Audit(ctx context.Context, person uuid.UUID) ([]people.AuditEvent, error) {
	rows, err := x.query(ctx, x.db(), `SELECT seq, at, actor, action, merge_id, into_person, from_person, reason, records
		FROM people_audit WHERE into_person = ? OR from_person = ? ORDER BY seq`, person, person)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	var out []people.AuditEvent
	for rows.Next() {
		var ev people.AuditEvent
		var at int64
		var action, recs string
		if err := rows.Scan(&ev.Seq, &at, &ev.Actor, &action, &ev.MergeID, &ev.Into, &ev.From, &ev.Reason, &recs); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		ev.At = time.UnixMilli(at).UTC()
		ev.Action = people.AuditAction(action)
		if ev.Records, err = decodeIDs(recs); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return out, nil
}
