package devicestore

import (
	"bytes"
	"crypto/ecdh"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// applicationID marks the file as a Safeguard device store ("SGDS") in the
// SQLite header, so another app's database is refused instead of being
// migrated.
const applicationID = 0x53474453

// SchemaVersion is the schema version this code writes. Older stores are
// upgraded on Open; newer ones are refused with ErrNewerSchema.
var SchemaVersion = len(mustMigrations())

type migration struct {
	version int
	name    string
	sql     string
}

func mustMigrations() []migration {
	m, err := loadMigrations()
	if err != nil {
		panic(err)
	}
	return m
}

// loadMigrations reads migrations/NNNN_name.sql in order; versions must
// run 1, 2, 3... without gaps.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for i, n := range names {
		base := filepath.Base(n)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("devicestore: migration %s out of sequence", base)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

// Pragmas every connection gets, set in the DSN so that each pooled
// connection has them (db.Exec would reach only one connection):
//
//   - locking_mode(EXCLUSIVE): the store's one connection holds the file
//     lock for as long as it is open, and the WAL index lives in heap
//     memory instead of a memory-mapped -shm file. No other process may
//     open the store meanwhile (the app is the only one), commits skip a
//     lock/unlock round trip, and a storage fault (read-only remount,
//     immutable file) is an I/O error SQLite reports, not a SIGBUS from a
//     mapped page that would kill the app.
//   - WAL journal: a commit is one append to the WAL plus one sync, and
//     readers never see a half-written page. It is set with the
//     _journal_mode key, which the driver applies after every _pragma
//     value (those run sorted by name, and exclusive locking must be in
//     force before the first WAL access for the index to stay in memory).
//   - synchronous(FULL): in WAL mode FULL syncs the WAL at every commit,
//     so a committed answer survives power loss or a flat battery, not
//     only an app crash. NORMAL would sync only at checkpoints and could
//     lose the last answers the officer saw saved when the tablet dies
//     (invariant 1). The cost is one fsync per answer, measured by
//     cmd/storebench against a bare commit with the same pragmas. Only
//     the sync engine's bookkeeping, which the server can always give
//     back, commits with NORMAL (syncTx).
//   - foreign_keys(1): rows of an entry cannot outlive or precede it.
//   - busy_timeout(5000): should anything else hold the lock (a second
//     Open of the same file), wait up to 5 s before failing.
//   - secure_delete(1): deleted rows (purged content, wiped keys) are
//     overwritten with zeros in the database file instead of lingering in
//     free pages.
//   - trusted_schema(0): the schema may not call functions with side
//     effects (defence against a planted file).
//   - temp_store(2): temporary data (the statement journal of a
//     statement that changes many rows, sorts) stays in memory, never in
//     a temporary file: a batch's one-statement updates wrote about 1 MB
//     of statement journal to disk each, and nothing temporary should
//     reach the disk anyway.
//   - _txlock=immediate: every transaction takes the write lock at BEGIN,
//     so two writers never deadlock upgrading from read to write.
var basePragmas = []string{
	"busy_timeout(5000)",
	"foreign_keys(1)",
	"locking_mode(EXCLUSIVE)",
	"secure_delete(1)",
	"synchronous(FULL)",
	"temp_store(2)",
	"trusted_schema(0)",
}

// DSN returns the data source name the store opens path with. It is
// exported so that benchmarks (cmd/storebench, OpenCommitProbe) compare
// against a bare commit made with exactly the same pragmas.
func DSN(path string, maxSizeBytes int64) string {
	q := url.Values{}
	for _, p := range basePragmas {
		q.Add("_pragma", p)
	}
	if maxSizeBytes > 0 {
		pages := maxSizeBytes / 4096
		if pages < 16 {
			pages = 16
		}
		q.Add("_pragma", fmt.Sprintf("max_page_count(%d)", pages))
	}
	q.Set("_journal_mode", "WAL")
	q.Set("_txlock", "immediate")
	return path + "?" + q.Encode()
}

// Store is the device store. Its methods are safe for concurrent use; they
// are serialised by one mutex (the device has one officer at a time and
// SQLite one writer), which also keeps the key state simple: an operation
// either runs entirely unlocked or fails with ErrLocked.
type Store struct {
	db     *sql.DB
	path   string
	attDir string
	opts   Options
	clock  func() time.Time

	mu         sync.Mutex
	closed     bool
	keys       *keyring // nil while locked
	officer    string   // who unlocked
	language   string   // the app's language for new writing (SetLanguage)
	lastActive time.Time
	opened     map[string]bool // entries audited as opened this session
	stmts      map[string]*sql.Stmt
	lists      map[*listSQL]map[int]*sql.Stmt // by list size (prepareLists)
	pub        *ecdh.PublicKey                // device public key (nil before enrolment)
	deviceID   string
	wiped      bool
	// relaxed: the connection's commits do not wait for the disk (syncTx);
	// tx makes it durable again before its transaction.
	relaxed bool

	stop chan struct{}
	done chan struct{}
}

// Open opens (creating if needed) the store at path; attachments are kept
// in the folder path+"-attachments" beside it. An older store is upgraded;
// a newer one is refused with ErrNewerSchema, a damaged or foreign file with
// ErrCorrupt. The store starts locked.
func Open(path string, opts Options) (*Store, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("%w: store path %q must be a plain file path", ErrInvalid, path)
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if err := checkWritable(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", DSN(path, o.MaxSizeBytes))
	if err != nil {
		return nil, storageErr("open "+path, err)
	}
	// One connection: every operation is serialised by Store.mu anyway,
	// and one connection means one page cache and no surprise pooling.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	s := &Store{db: db, path: path, attDir: path + "-attachments", opts: o, clock: o.Clock,
		opened: map[string]bool{}, stmts: map[string]*sql.Stmt{}, lists: map[*listSQL]map[int]*sql.Stmt{}, stop: make(chan struct{}), done: make(chan struct{})}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	go s.idleLoop()
	return s, nil
}

// checkHeader refuses a file that exists but is not an SQLite database,
// before SQLite sees it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return storageErr("open "+path, err)
	}
	defer f.Close()
	hdr := make([]byte, 16)
	n, err := io.ReadFull(f, hdr)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // empty file: a new store
	}
	if err != nil || !bytes.Equal(hdr, []byte("SQLite format 3\x00")) {
		return fmt.Errorf("open %s: %w (no SQLite header)", path, ErrCorrupt)
	}
	return nil
}

// checkWritable makes sure the file and its folder can be written before
// SQLite opens them: SQLite would fall back to a read-only open and fail
// later with a locking error that says nothing useful.
func checkWritable(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return storageErr("open "+path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".safeguard-write-check-*")
	if err != nil {
		return storageErr("open "+path+": folder not writable", err)
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

func (s *Store) init() error {
	if err := s.db.Ping(); err != nil {
		return storageErr("open "+s.path, err)
	}
	var check string
	if err := s.db.QueryRow(`PRAGMA quick_check`).Scan(&check); err != nil {
		return storageErr("check "+s.path, err)
	}
	if check != "ok" {
		return fmt.Errorf("check %s: %w: %s", s.path, ErrCorrupt, check)
	}
	if err := s.migrate(); err != nil {
		return err
	}
	if err := s.prepare(); err != nil {
		return err
	}
	if err := os.MkdirAll(s.attDir, 0o700); err != nil {
		return storageErr("create attachment folder", err)
	}
	s.removeTempFiles()
	return s.loadMeta()
}

func (s *Store) migrate() error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	var appID, version int
	if err := s.db.QueryRow(`PRAGMA application_id`).Scan(&appID); err != nil {
		return storageErr("read schema", err)
	}
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		return storageErr("read schema", err)
	}
	if appID == 0 && version == 0 {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema`).Scan(&n); err != nil {
			return storageErr("read schema", err)
		}
		if n > 0 {
			return fmt.Errorf("open %s: %w (another application's database)", s.path, ErrCorrupt)
		}
	} else if appID != applicationID {
		return fmt.Errorf("open %s: %w (application id %#x)", s.path, ErrCorrupt, appID)
	}
	if version > len(ms) {
		return fmt.Errorf("open %s: %w (file schema version %d, this app knows up to %d)", s.path, ErrNewerSchema, version, len(ms))
	}
	for _, m := range ms[version:] {
		if err := s.applyMigration(m); err != nil {
			return err
		}
		s.opts.Logger.Info("device store upgraded", "version", m.version, "migration", m.name)
	}
	return nil
}

func (s *Store) applyMigration(m migration) error {
	tx, err := s.db.Begin()
	if err != nil {
		return storageErr("upgrade store", err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(m.sql); err != nil {
		return storageErr("upgrade store to version "+strconv.Itoa(m.version), err)
	}
	// application_id and user_version live in the database header, which
	// is written by the same transaction: an interrupted upgrade leaves the
	// old version, complete.
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
		return storageErr("upgrade store", err)
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, m.version)); err != nil {
		return storageErr("upgrade store", err)
	}
	if beforeUpgradeCommit != nil {
		beforeUpgradeCommit(m.version)
	}
	return storageErr("upgrade store to version "+strconv.Itoa(m.version), tx.Commit())
}

// beforeUpgradeCommit, set only by tests, runs in an upgrade's
// transaction after its statements, just before the commit (the upgrade
// kill test ends the process there).
var beforeUpgradeCommit func(version int)

func (s *Store) loadMeta() error {
	rows, err := s.db.Query(`SELECT key, value FROM meta WHERE key IN ('device_id', 'public_key', 'wiped', 'revoked')`)
	if err != nil {
		return storageErr("read settings", err)
	}
	defer rows.Close()
	revoked := false
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return storageErr("read settings", err)
		}
		switch k {
		case "device_id":
			s.deviceID = string(v)
		case "public_key":
			pub, err := ecdh.X25519().NewPublicKey(v)
			if err != nil {
				return fmt.Errorf("read settings: %w (device public key)", ErrCorrupt)
			}
			s.pub = pub
		case "wiped":
			s.wiped = true
		case "revoked":
			revoked = true
		}
	}
	if err := rows.Err(); err != nil {
		return storageErr("read settings", err)
	}
	rows.Close()
	if revoked && !s.wiped {
		// A revocation was committed but the wipe did not finish.
		return s.wipeLocked("device revoked")
	}
	return nil
}

// Close locks the store and closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.lockLocked()
	for _, st := range s.stmts {
		st.Close()
	}
	s.mu.Unlock()
	close(s.stop)
	<-s.done
	return storageErr("close", s.db.Close())
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// idleLoop locks the store when the idle time passes even if nobody calls
// it, so the key does not stay in memory on a tablet left on a car seat.
func (s *Store) idleLoop() {
	defer close(s.done)
	if s.opts.IdleLock < 0 {
		<-s.stop
		return
	}
	t := time.NewTicker(min(s.opts.IdleLock/4+time.Millisecond, 15*time.Second))
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			s.checkIdleLocked()
			s.mu.Unlock()
		}
	}
}

// begin starts the calling operation: it takes the mutex and checks the
// store is open. Only locked calls it; every operation goes through
// locked, run, withKeys or runKeys, which unlock when fn returns.
func (s *Store) begin() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.checkIdleLocked()
	return nil
}

// locked runs fn with the store's mutex held, once the store is known to
// be open (ErrClosed otherwise), and unlocks when fn returns.
func locked[T any](s *Store, fn func() (T, error)) (T, error) {
	if err := s.begin(); err != nil {
		var zero T
		return zero, err
	}
	defer s.mu.Unlock()
	return fn()
}

// withKeys is locked for an officer operation: fn gets the keyring
// (ErrWiped or ErrLocked when there is none); activity refreshes the idle
// timer.
func withKeys[T any](s *Store, activity bool, fn func(kr *keyring) (T, error)) (T, error) {
	return locked(s, func() (T, error) {
		kr, err := s.keysFor(activity)
		if err != nil {
			var zero T
			return zero, err
		}
		return fn(kr)
	})
}

// run is locked for an operation that returns only an error.
func (s *Store) run(fn func() error) error {
	_, err := locked(s, func() (struct{}, error) { return struct{}{}, fn() })
	return err
}

// runKeys is withKeys for an operation that returns only an error.
func (s *Store) runKeys(activity bool, fn func(kr *keyring) error) error {
	_, err := withKeys(s, activity, func(kr *keyring) (struct{}, error) { return struct{}{}, fn(kr) })
	return err
}

// keysFor returns the keyring for an officer operation, refreshing the
// idle timer. Called with s.mu held.
func (s *Store) keysFor(activity bool) (*keyring, error) {
	if s.wiped {
		return nil, ErrWiped
	}
	if s.keys == nil {
		return nil, ErrLocked
	}
	if activity {
		s.lastActive = s.clock()
	}
	return s.keys, nil
}

// tx runs fn in one write transaction (BEGIN IMMEDIATE ... COMMIT). It
// returns only after the commit is durable (synchronous=FULL), and so is
// everything committed before it (the log is written in order).
func (s *Store) tx(op string, fn func(tx *sql.Tx) error) error {
	if s.relaxed {
		if _, err := s.db.Exec(`PRAGMA synchronous = FULL`); err != nil {
			return storageErr(op, err)
		}
		s.relaxed = false
	}
	return s.commitTx(op, fn)
}

// syncTx is tx for the sync engine's bookkeeping (leases, the server's
// answers, deferrals): the commit does not wait for the disk
// (synchronous=NORMAL, no fsync of the log). A process that is killed
// loses nothing (the commit is in the log, which SQLite reads back); a
// power cut or an operating system crash may roll back the last few such
// commits, whole (the log's checksums end it at the last whole commit),
// unless a durable commit (every officer's change, tx) came after them.
// Every one of them can be made again from the server: a lease lost
// sends the revision once more, an acknowledgement lost leaves the
// revision in the outbox, sent again and answered as a duplicate with
// its receipt (the audit record of the answer goes with it). Nothing an
// officer saved depends on them. It saves one fsync a batch (about a
// third of the device's time syncing, measured by cmd/syncbench).
func (s *Store) syncTx(op string, fn func(tx *sql.Tx) error) error {
	if !s.relaxed {
		if _, err := s.db.Exec(`PRAGMA synchronous = NORMAL`); err != nil {
			return storageErr(op, err)
		}
		s.relaxed = true
	}
	return s.commitTx(op, fn)
}

func (s *Store) commitTx(op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.Begin()
	if err != nil {
		return storageErr(op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		return storageErr(op, err)
	}
	return nil
}

func (s *Store) now() int64 { return s.clock().UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func nullTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

func (s *Store) removeTempFiles() {
	tmp, _ := filepath.Glob(filepath.Join(s.attDir, "tmp-*"))
	for _, f := range tmp {
		os.Remove(f)
	}
}

func setMeta(tx *sql.Tx, key string, value []byte) error {
	_, err := tx.Exec(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

func getMetaInt(q querier, key string) (int64, error) {
	var v []byte
	err := q.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(string(v), 10, 64)
}

type querier interface {
	QueryRow(query string, args ...any) *sql.Row
	Query(query string, args ...any) (*sql.Rows, error)
	Exec(query string, args ...any) (sql.Result, error)
}

// Hot queries, prepared once at Open so that autosave does not parse SQL
// on every call. (They cannot be prepared lazily: with one connection, a
// Prepare inside a transaction would wait for the connection the
// transaction holds.)
const (
	qEditable     = `SELECT e.revision, e.purged, r.frozen FROM entries e JOIN revisions r ON r.entry_id = e.id AND r.revision = e.revision WHERE e.id = ?`
	qHasInstance  = `SELECT 1 FROM instances WHERE entry_id = ? AND revision = ? AND grp = ? AND id = ?`
	qTouchEntry   = `UPDATE entries SET updated = ? WHERE id = ?`
	qDeleteAnswer = `DELETE FROM answers WHERE entry_id = ? AND revision = ? AND grp = ? AND instance = ? AND question = ?`
	qPutAnswer    = `INSERT INTO answers(entry_id, revision, grp, instance, question, value, updated) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(entry_id, revision, grp, instance, question) DO UPDATE SET value = excluded.value, updated = excluded.updated`
	qAuditHead   = `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`
	qAuditInsert = `INSERT INTO audit(seq, at, officer, action, entry_id, detail, prev, hash) VALUES (?,?,?,?,?,?,?,?)`
)

func (s *Store) prepare() error {
	for _, q := range append([]string{qEditable, qHasInstance, qTouchEntry, qDeleteAnswer, qPutAnswer, qAuditHead, qAuditInsert}, outboxQueries...) {
		st, err := s.db.Prepare(q)
		if err != nil {
			return storageErr("prepare", err)
		}
		s.stmts[q] = st
	}
	return s.prepareLists()
}

// execTx runs a cached statement in tx.
func (s *Store) execTx(tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st, ok := s.stmts[query]; ok {
		return tx.Stmt(st).Exec(args...)
	}
	return tx.Exec(query, args...)
}

// queryRowTx runs a cached single-row query in tx.
func (s *Store) queryRowTx(tx *sql.Tx, query string, args ...any) *sql.Row {
	if st, ok := s.stmts[query]; ok {
		return tx.Stmt(st).QueryRow(args...)
	}
	return tx.QueryRow(query, args...)
}

// queryRow runs a cached single-row query on the database or in a
// transaction.
func (s *Store) queryRow(q querier, query string, args ...any) *sql.Row {
	switch q := q.(type) {
	case *sql.Tx:
		return s.queryRowTx(q, query, args...)
	case *sql.DB:
		if st, ok := s.stmts[query]; ok {
			return st.QueryRow(args...)
		}
	}
	return q.QueryRow(query, args...)
}
