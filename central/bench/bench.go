// Package bench measures the central referral system on real databases:
// ingest throughput through the real HTTP push route (entries with five
// children each), as a ratio to a bare batched INSERT of the same rows in
// the same run, on SQLite and on PostgreSQL; and the review-queue query
// over 1,000,000 entries (p50/p95/p99), against a primary-key lookup on the
// same table as the baseline, with the query plan shown.
//
// Run it with `go run ./cmd/bench central`; the Go benchmarks in this
// package measure the same operations at a smaller scale.
package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	centralhttp "github.com/safeguard-uk/safeguard/central/http"
	"github.com/safeguard-uk/safeguard/central/internal/sqlstore"
	"github.com/safeguard-uk/safeguard/central/postgres"
	"github.com/safeguard-uk/safeguard/central/seal"
	"github.com/safeguard-uk/safeguard/central/sqlite"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/people"
	peoplepg "github.com/safeguard-uk/safeguard/people/postgres"
	peoplesqlite "github.com/safeguard-uk/safeguard/people/sqlite"
)

// Options sets the sizes.
type Options struct {
	Entries     int    // entries pushed per ingest run (5 children each)
	Batch       int    // items per push
	QueueRows   int    // entries bulk-loaded for the queue query
	Queries     int    // queue queries timed
	PostgresDSN string // "" skips PostgreSQL
	Dir         string // where SQLite files go (a temporary directory when "")
	Counts      int    // ingest runs per backend, reported as medians (1 when 0)
	Setup       Setup  // how the measured server runs (Production by default)
	// PeopleEntries is how many entries the run with the person index
	// pushes (it is far slower than the rest; the other runs push Entries).
	PeopleEntries int
}

// Setup is how the measured server runs: which of the guarantees that
// cmd/central serve gives in production are on.
type Setup struct {
	Seal     bool // child data sealed at rest (serve --kek-file)
	AuditKey bool // the audit chain keyed with HMAC (serve --audit-key-file)
	People   bool // the person index beside the store (serve --people, on by default)
	// PeopleBackground runs the person index off the push reply, as
	// serve does (central.Config.PeopleInBackground, its worker running);
	// the measured span then ends when the index has settled.
	PeopleBackground bool
}

// Production is how a force runs the server: keys given and the person
// index on (its default), off the push reply. The measured span ends when
// the index has ingested every pushed entry.
var Production = Setup{Seal: true, AuditKey: true, People: true, PeopleBackground: true}

func (su Setup) String() string {
	on := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	where := ""
	if su.People && su.PeopleBackground {
		where = " (off the reply; timed until it has settled)"
	}
	return fmt.Sprintf("sealing %s, keyed audit chain %s, person index %s%s", on(su.Seal), on(su.AuditKey), on(su.People), where)
}

// Defaults for the command.
var Defaults = Options{Entries: 2000, Batch: 50, QueueRows: 1_000_000, Queries: 300, Counts: 5, Setup: Production, PeopleEntries: 200}

// IngestGoal is the goal for push ingest as a share of the bare
// batched insert of the same rows.
const IngestGoal = 0.5

// Backend is an open, fresh store and a way to drop it.
type Backend struct {
	Name  string
	Store *sqlstore.Store
	DSN   string // the SQLite file or the PostgreSQL DSN with its schema
	close []func()
}

// Close closes and removes the store (and whatever was opened beside it).
func (b *Backend) Close() {
	for i := len(b.close) - 1; i >= 0; i-- {
		b.close[i]()
	}
}

// OpenBackend opens a fresh store: a new SQLite file in dir, or a new
// schema in PostgreSQL.
func OpenBackend(ctx context.Context, name, dir, pgDSN string) (*Backend, error) {
	switch name {
	case "sqlite":
		f, err := os.MkdirTemp(dir, "bench-")
		if err != nil {
			return nil, err
		}
		path := filepath.Join(f, "central.db")
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		return &Backend{Name: name, Store: s, DSN: path, close: []func(){func() { os.RemoveAll(f) }, func() { s.Close() }}}, nil
	case "postgres":
		admin, err := postgres.OpenNoMigrate(ctx, pgDSN)
		if err != nil {
			return nil, err
		}
		schema := fmt.Sprintf("sgbench_%d_%d", os.Getpid(), rand.IntN(1<<30))
		if _, err := admin.DB.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			admin.Close()
			return nil, err
		}
		dsn := centraltest.WithSearchPath(pgDSN, schema)
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			admin.Close()
			return nil, err
		}
		return &Backend{Name: name, Store: s, DSN: dsn, close: []func(){func() {
			admin.DB.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		}, func() { s.Close() }}}, nil
	}
	return nil, fmt.Errorf("unknown backend %q", name)
}

// Fixture is a seeded service with an enrolled device.
type Fixture struct {
	Service *central.Service
	Device  api.EnrolResponse
	Officer string
	Sealer  central.Sealer // the store's keyring when sealing is on
}

// NewFixture seeds the demo accounts and enrols a device, on a server
// with no keys and no person index.
func NewFixture(ctx context.Context, store central.Store) (*Fixture, error) {
	return newFixture(ctx, store, central.Config{}, nil)
}

// NewFixtureSetup is NewFixture on a server set up as su says: the data
// keys made and the store sealing, an audit key, the person index opened
// beside the store (closed with b).
func NewFixtureSetup(ctx context.Context, b *Backend, su Setup) (*Fixture, error) {
	var cfg central.Config
	var kr *seal.Keyring
	if su.Seal {
		text, err := seal.NewKEKText()
		if err != nil {
			return nil, err
		}
		kek, err := seal.ParseKEK(text)
		if err != nil {
			return nil, err
		}
		if kr, err = central.LoadKeyring(ctx, b.Store, kek); err != nil {
			return nil, err
		}
		b.Store.SetSealer(kr)
	}
	if su.AuditKey {
		text, err := central.NewAuditKeySeed()
		if err != nil {
			return nil, err
		}
		k, err := central.ParseAuditKey(text)
		if err != nil {
			return nil, err
		}
		cfg.AuditKeys = &central.AuditKeys{Current: k}
	}
	if su.People {
		idx, err := openPeople(ctx, b, kr)
		if err != nil {
			return nil, err
		}
		b.close = append(b.close, func() { idx.Close() })
		cfg.People = people.NewMatcher(idx)
		cfg.PeopleInBackground = su.PeopleBackground
	}
	var sealer central.Sealer
	if kr != nil {
		sealer = kr
	}
	f, err := newFixture(ctx, b.Store, cfg, sealer)
	if err != nil || !cfg.PeopleInBackground {
		return f, err
	}
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Service.RunPeople(wctx)
	}()
	b.close = append(b.close, func() { cancel(); <-done }) // before the index closes
	return f, nil
}

// openPeople opens the person index beside the backend's store, as
// cmd/central serve does (sealed with the store's keyring when kr is set).
func openPeople(ctx context.Context, b *Backend, kr *seal.Keyring) (people.Index, error) {
	if b.Name == "postgres" {
		var opts []peoplepg.Option
		if kr != nil {
			opts = append(opts, peoplepg.WithSealer(kr))
		}
		return peoplepg.Open(ctx, b.DSN, opts...)
	}
	var opts []peoplesqlite.Option
	if kr != nil {
		opts = append(opts, peoplesqlite.WithSealer(kr))
	}
	return peoplesqlite.Open(ctx, b.DSN, opts...)
}

func newFixture(ctx context.Context, store central.Store, cfg central.Config, sealer central.Sealer) (*Fixture, error) {
	reg, err := centraltest.LoadRegistry()
	if err != nil {
		return nil, err
	}
	cfg.Argon2, cfg.Logger = centraltest.TestArgon2, slog.New(slog.DiscardHandler)
	svc := central.NewService(store, reg, cfg)
	if _, err := svc.SeedDemo(ctx); err != nil {
		return nil, err
	}
	code, err := svc.CreateEnrolmentCode(ctx, central.System("bench"), api.EnrolmentCodeRequest{Team: central.DemoTeamA}, "")
	if err != nil {
		return nil, err
	}
	dev, err := svc.Enrol(ctx, api.EnrolRequest{Code: code.Code, DeviceName: "bench"})
	if err != nil {
		return nil, err
	}
	var officer string
	err = store.View(ctx, func(tx central.Tx) error {
		u, err := tx.UserByUsername(ctx, "officer1")
		officer = u.ID
		return err
	})
	return &Fixture{Service: svc, Device: *dev, Officer: officer, Sealer: sealer}, err
}

// Entries makes n ready entries with five children each.
func Entries(officer string, n int) []*forms.Entry {
	out := make([]*forms.Entry, n)
	for i := range out {
		out[i] = centraltest.NewEntry(officer, 5)
	}
	return out
}

// PushBodies encodes the entries as push request bodies of batch items.
func PushBodies(deviceID string, es []*forms.Entry, batch int) ([][]byte, error) {
	var out [][]byte
	for i := 0; i < len(es); i += batch {
		req := api.PushRequest{DeviceID: deviceID}
		for _, e := range es[i:min(i+batch, len(es))] {
			req.Items = append(req.Items, centraltest.Item(e, "standard"))
		}
		b, err := json.Marshal(req)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Ingest pushes the bodies through the real HTTP route of a server over
// the fixture and returns the time taken, until the person index has
// settled when it runs off the reply. Every item must be accepted.
func Ingest(ctx context.Context, f *Fixture, bodies [][]byte) (time.Duration, error) {
	total, _, err := IngestReplies(ctx, f, bodies)
	return total, err
}

// IngestReplies is Ingest, also returning the time until the last push
// replied (the same as total when the person index is on the reply).
func IngestReplies(ctx context.Context, f *Fixture, bodies [][]byte) (total, replied time.Duration, err error) {
	p := NewPusher(f)
	defer p.Close()
	start := time.Now()
	for _, b := range bodies {
		if err := p.Push(ctx, b); err != nil {
			return 0, 0, err
		}
	}
	replied = time.Since(start)
	if err := f.Service.PeopleSettled(ctx); err != nil {
		return 0, 0, fmt.Errorf("person index: %w", err)
	}
	return time.Since(start), replied, nil
}

// Pusher sends push bodies to the real HTTP server over a fixture, on
// loopback. The server's handling of each request carries the profiler
// label phase=push (go tool pprof -tagfocus phase=push).
type Pusher struct {
	f      *Fixture
	ts     *httptest.Server
	client *http.Client
}

// NewPusher starts a server over the fixture; Close stops it.
func NewPusher(f *Fixture) *Pusher {
	h := centralhttp.NewServer(f.Service, centralhttp.Options{Logger: slog.New(slog.DiscardHandler)})
	labelled := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pprof.Do(r.Context(), pprof.Labels("phase", "push"), func(ctx context.Context) { h.ServeHTTP(w, r.WithContext(ctx)) })
	})
	ts := httptest.NewServer(labelled)
	return &Pusher{f: f, ts: ts, client: ts.Client()}
}

// Close stops the server.
func (p *Pusher) Close() { p.ts.Close() }

// Push sends one push body and checks every item was accepted.
func (p *Pusher) Push(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, "POST", p.ts.URL+"/v1/push", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", api.MediaTypeJSON)
	req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
	req.Header.Set("Authorization", "Bearer "+p.f.Device.Credential)
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("push: %d %s", resp.StatusCode, raw)
	}
	var out api.PushResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return err
	}
	for _, r := range out.Results {
		if r.Status != api.StatusAccepted {
			return fmt.Errorf("push: %+v", r)
		}
	}
	return nil
}

// BareInsert stores the same entry and revision rows with multi-row
// INSERTs, one transaction per batch: no validation, no audit, no HTTP,
// no person index. When the fixture seals, the bodies are sealed before
// the clock starts, so the same bytes are written and sealing counts as
// push's overhead.
func BareInsert(ctx context.Context, s *sqlstore.Store, f *Fixture, es []*forms.Entry, batch int) (time.Duration, error) {
	rows, err := NewBareRows(f, es)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	for i := 0; i < len(es); i += batch {
		if err := rows.Insert(ctx, s, i, min(i+batch, len(es))); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// BareRows is the entry and revision rows of some entries as push would
// store them for the fixture's officer and device, bodies encoded
// canonically, hashed and (when the fixture seals) sealed beforehand, as
// sqlstore writes a sealed TEXT value.
type BareRows struct {
	f    *Fixture
	now  int64
	rows []bareRow
}

type bareRow struct {
	e    *forms.Entry
	body string
	hash string
}

// NewBareRows encodes, hashes and seals the rows of es.
func NewBareRows(f *Fixture, es []*forms.Entry) (*BareRows, error) {
	out := &BareRows{f: f, now: time.Now().UnixMicro(), rows: make([]bareRow, len(es))}
	for i, e := range es {
		b, err := e.Encode()
		if err != nil {
			return nil, err
		}
		h, _ := forms.ContentHash(e)
		if f.Sealer != nil {
			ct, err := f.Sealer.Seal(b, []byte("revision\x00"+e.ID+"\x00"+strconv.Itoa(e.Revision)))
			if err != nil {
				return nil, err
			}
			b = []byte("sg1:" + base64.StdEncoding.EncodeToString(ct)) // as sqlstore writes a sealed TEXT value
		}
		out.rows[i] = bareRow{e, string(b), h}
	}
	return out, nil
}

// Insert writes rows [from, to) in one transaction: one multi-row INSERT
// into entries and one into revisions. The profiler label is phase=bare.
func (br *BareRows) Insert(ctx context.Context, s *sqlstore.Store, from, to int) (err error) {
	pprof.Do(ctx, pprof.Labels("phase", "bare"), func(ctx context.Context) { err = br.insert(ctx, s, from, to) })
	return err
}

func (br *BareRows) insert(ctx context.Context, s *sqlstore.Store, from, to int) error {
	f, now := br.f, br.now
	var eq, rq strings.Builder
	var ea, ra []any
	eq.WriteString(`INSERT INTO entries (id, training, officer_id, team_id, device_id, checklist_id, checklist_version, revision, receipt, status,
			grade, review_grade, received, first_received, deadline, approved, missing, updated) VALUES `)
	rq.WriteString(`INSERT INTO revisions (entry_id, revision, content_hash, receipt, device_id, officer_id, received, grade, computed,
			device_grade, disagrees, immediate, diff, body) VALUES `)
	for j := from; j < to; j++ {
		r := br.rows[j]
		if j > from {
			eq.WriteString(",")
			rq.WriteString(",")
		}
		eq.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		rq.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		receipt := fmt.Sprintf("BARE-%09d", j)
		ea = append(ea, r.e.ID, false, f.Officer, central.DemoTeamA, f.Device.DeviceID, r.e.Checklist.ID, r.e.Checklist.Version, 1, receipt,
			api.EntryReceived, 1, 0, now, now, now, 0, 0, now)
		ra = append(ra, r.e.ID, 1, r.hash, receipt, f.Device.DeviceID, f.Officer, now, 1, 1, "standard",
			false, false, "[]", r.body)
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(eq.String()), ea...); err != nil {
		tx.Rollback()
		return fmt.Errorf("bare entries: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(rq.String()), ra...); err != nil {
		tx.Rollback()
		return fmt.Errorf("bare revisions: %w", err)
	}
	return tx.Commit()
}

// QueueTeams is how many teams the bulk-loaded entries spread over.
const QueueTeams = 50

// BulkLoad adds n entries with one multi-row INSERT ... SELECT (a
// recursive CTE on SQLite, generate_series on PostgreSQL): spread over
// QueueTeams teams, 2% awaiting review (the queue), grades and deadlines
// varied, the rest approved.
func BulkLoad(ctx context.Context, s *sqlstore.Store, f *Fixture, n int) (time.Duration, error) {
	start := time.Now()
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// Teams bq00..bq49 and the officer's membership are tiny: plain inserts.
	for i := 0; i < QueueTeams; i++ {
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO teams (id, name, created) VALUES (?, ?, 0)`), fmt.Sprintf("bq%02d", i), "bench"); err != nil {
			return 0, err
		}
	}
	base := time.Now().UnixMicro()
	var q string
	cols := `(id, training, officer_id, team_id, device_id, checklist_id, checklist_version, revision, receipt, status, grade, review_grade,
		received, first_received, deadline, approved, missing, updated)`
	sel := `SELECT 'bulk-' || i, FALSE, ?, 'bq' || substr('0' || (i % 50), -2, 2), ?, 'test-referral', '1.0.0', 1, 'SG-BULK-' || i,
			CASE WHEN i % 101 < 2 THEN 'received' ELSE 'approved' END,
			1 + (i * 7919) % 4, 0, CAST(? AS BIGINT) + i, CAST(? AS BIGINT) + i,
			CAST(? AS BIGINT) + i * 1000 + ((i * 104729) % 86400000000), 0, 0, CAST(? AS BIGINT) + i`
	if s.Dialect() == sqlstore.Postgres {
		sel = strings.Replace(sel, `substr('0' || (i % 50), -2, 2)`, `lpad((i % 50)::text, 2, '0')`, 1)
		q = `INSERT INTO entries ` + cols + ` ` + sel + ` FROM generate_series(CAST(1 AS BIGINT), CAST(? AS BIGINT)) AS g(i)`
	} else {
		q = `INSERT INTO entries ` + cols + ` WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?) ` + sel + ` FROM g`
	}
	args := []any{f.Officer, f.Device.DeviceID, base, base, base, base}
	if s.Dialect() == sqlstore.Postgres {
		args = append(args, n)
	} else {
		args = append([]any{n}, args...)
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(q), args...); err != nil {
		return 0, fmt.Errorf("bulk load: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	if _, err := s.DB.ExecContext(ctx, "ANALYZE"); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// Latencies times fn n times and returns the sorted durations.
func Latencies(n int, fn func(i int) error) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		t := time.Now()
		if err := fn(i); err != nil {
			return nil, err
		}
		out = append(out, time.Since(t))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// Pct returns the p-th percentile of sorted durations.
func Pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(float64(len(d))*p/100+0.5) - 1
	return d[max(0, min(i, len(d)-1))]
}

// QueueQuery runs the review-queue query for one team (the store's own).
func QueueQuery(ctx context.Context, s central.Store, team string, limit int) (int, error) {
	n := 0
	err := s.View(ctx, func(tx central.Tx) error {
		q, err := tx.Queue(ctx, central.QueueFilter{Team: team, Limit: limit})
		n = len(q)
		return err
	})
	return n, err
}

// Plan returns the database's plan for the queue query.
func Plan(ctx context.Context, s *sqlstore.Store) (string, error) {
	explain := "EXPLAIN QUERY PLAN "
	if s.Dialect() == sqlstore.Postgres {
		explain = "EXPLAIN "
	}
	rows, err := s.DB.QueryContext(ctx, s.Rebind(explain+sqlstore.QueueSQL), "bq07", false, 50)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// pkLookup reads one entry by id (the baseline for the queue query).
func pkLookup(ctx context.Context, db *sql.DB, s *sqlstore.Store, id string) error {
	var x string
	return db.QueryRowContext(ctx, s.Rebind(`SELECT id FROM entries WHERE id = ?`), id).Scan(&x)
}
