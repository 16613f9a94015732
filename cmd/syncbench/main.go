// Command syncbench measures the sync engine end to end over loopback,
// each figure as a ratio to a baseline measured in the same run:
//
//   - 10,000 entries from one device (entries per second), against the
//     central system's own ingest of the same entries without HTTP;
//   - bytes on the wire per entry, against the gzip size of each entry's
//     JSON on its own;
//   - 50 entries and 20 photos of 200 KB over a simulated 256 kbit/s link
//     with 300 ms latency (toxiproxy), against the bandwidth lower bound;
//   - the time for an immediate-risk entry queued behind 500 others to
//     reach the server, against one entry alone.
//
// Usage: go run ./cmd/syncbench [-entries 10000]
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/bench"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	centralhttp "github.com/safeguard-uk/safeguard/central/http"
	"github.com/safeguard-uk/safeguard/central/sqlite"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/sync/client"
	"github.com/safeguard-uk/safeguard/sync/devicesync"
)

var quiet = slog.New(slog.DiscardHandler)

func main() {
	n := flag.Int("entries", 10000, "entries pushed from one device")
	slowEntries := flag.Int("slow-entries", 50, "entries over the slow link")
	photos := flag.Int("photos", 20, "photos over the slow link")
	photoKB := flag.Int("photo-kb", 200, "size of each photo, KB")
	behind := flag.Int("behind", 500, "entries queued before the immediate-risk one")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the throughput run (figure 1) to this file")
	only := flag.Bool("throughput-only", false, "measure figures 1 and 2 only")
	count := flag.Int("count", 5, "throughput runs (figure 1 is their median)")
	randomIDs := flag.Bool("random-ids", false, "give the entries random (version 4) ids instead of the time-ordered ones the app makes: the device's worst case, every entry's rows on a page of their own")
	keep := flag.String("keep", "", "copy the throughput template's two database files into this folder (to inspect them)")
	flag.Parse()
	zerolog.SetGlobalLevel(zerolog.Disabled)
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "syncbench-")
	check(err)
	defer os.RemoveAll(dir)

	fmt.Println("Sync engine over loopback (SQLite central store). Ratios are to baselines measured in this run.")
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		check(err)
		check(pprof.StartCPUProfile(f))
	}
	fmt.Printf("\n1. %d entries (5 children each) from one device\n", *n)
	t := pprofDo(ctx, "setup", func() *template { return makeTemplate(ctx, dir, *n, *randomIDs) })
	if *keep != "" {
		check(os.MkdirAll(*keep, 0o700))
		for _, f := range []string{t.serverDB, t.deviceDB} {
			b, err := os.ReadFile(f)
			check(err)
			check(os.WriteFile(filepath.Join(*keep, filepath.Base(f)), b, 0o600))
		}
	}
	runs := throughputRuns(ctx, dir, t, max(*count, 1))
	var ratios, shares []float64
	var sync, direct, alone []float64
	for _, p := range runs {
		ratios = append(ratios, p.direct.Seconds()/p.sync.Seconds())
		shares = append(shares, p.alone.Seconds()/p.sync.Seconds())
		sync, direct, alone = append(sync, p.sync.Seconds()), append(direct, p.direct.Seconds()), append(alone, p.alone.Seconds())
	}
	rate := func(secs []float64) float64 { return float64(*n) / median(secs) }
	fmt.Printf("   medians: device over HTTP %.0f entries/s, server ingest without HTTP %.0f entries/s, device alone %.0f entries/s\n",
		rate(sync), rate(direct), rate(alone))
	fmt.Printf("   device alone / device over HTTP (the device's share of the time): %.2f (median of %s)\n", median(shares), list(shares))
	r := median(ratios)
	verdict := "met"
	if r < throughputGoal {
		verdict = "NOT met"
	}
	fmt.Printf("\n   figure 1: device / server ingest %.2f (median of %d paired runs: %s)   goal >= %.1f: %s\n", r, len(ratios), list(ratios), throughputGoal, verdict)
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if *only {
		return
	}
	slowLink(ctx, dir, *slowEntries, *photos, *photoKB)
	immediate(ctx, dir, *behind)
}

// rig is a fresh central system served over HTTP and one device.
type rig struct {
	fx     *bench.Fixture
	be     *bench.Backend
	ts     *httptest.Server
	store  *devicestore.Store
	engine *client.Engine
}

func newRig(ctx context.Context, dir, name string, url func(string) string, cfg func(*client.Config)) *rig {
	be, err := bench.OpenBackend(ctx, "sqlite", dir, "")
	check(err)
	fx, err := bench.NewFixture(ctx, be.Store)
	check(err)
	st, err := devicestore.Open(filepath.Join(dir, name+".db"), deviceOptions())
	check(err)
	check(st.EnrolOfficer(fx.Officer, "PC Bench", benchPIN))
	check(st.Unlock(fx.Officer, benchPIN))
	r := serveRig(fx, st, url)
	r.be = be
	return r
}

// serveRig serves fx over loopback HTTP to a device syncing st.
func serveRig(fx *bench.Fixture, st *devicestore.Store, url func(string) string) *rig {
	srv := centralhttp.NewServer(fx.Service, centralhttp.Options{Logger: quiet})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// Labelled so a CPU profile splits the server's share from the
		// device's (go tool pprof -tagfocus phase=device).
		pprof.Do(req.Context(), pprof.Labels("phase", "server-http"), func(context.Context) { srv.ServeHTTP(w, req) })
	}))
	base := ts.URL
	if url != nil {
		base = url(strings.TrimPrefix(ts.URL, "http://"))
	}
	r := newDevice(base, fx.Device, st, nil)
	r.fx, r.ts = fx, ts
	return r
}

// newDevice is a sync engine for st talking to base.
func newDevice(base string, dev api.EnrolResponse, st *devicestore.Store, cfg func(*client.Config)) *rig {
	a := devicesync.Adapter{Store: st}
	c := client.Config{BaseURL: base, DeviceID: dev.DeviceID, Credential: func() string { return dev.Credential },
		Outbox: a, Uploads: a, Inbox: a, Logger: quiet, HTTPClient: &http.Client{Timeout: 5 * time.Minute}}
	if cfg != nil {
		cfg(&c)
	}
	eng, err := client.New(c)
	check(err)
	return &rig{store: st, engine: eng}
}

func (r *rig) close() {
	r.store.Close()
	if r.ts != nil {
		r.ts.Close()
	}
	if r.be != nil {
		r.be.Close()
	}
}

// submit stores entries as drafts and submits them, as the app does.
func (r *rig) submit(es []*forms.Entry, immediate bool) {
	drafts := make([]devicestore.Draft, len(es))
	for i, e := range es {
		drafts[i] = devicestore.Draft{Entry: e, Title: "bench"}
	}
	check(r.store.ImportDrafts(drafts))
	grade := forms.LevelStandard
	if immediate {
		grade = forms.LevelImmediate
	}
	for _, e := range es {
		_, err := r.store.Submit(e.ID, grade, immediate)
		check(err)
	}
}

func (r *rig) syncAll(ctx context.Context) time.Duration {
	start := time.Now()
	for i := 0; ; i++ {
		err := r.engine.SyncOnce(ctx)
		left, lerr := r.store.ListEntries(devicestore.Filter{States: []devicestore.State{devicestore.StateQueued, devicestore.StateSent}})
		check(lerr)
		ups, uerr := r.store.PendingUploads(time.Now().Add(time.Hour), 1)
		check(uerr)
		if err == nil && len(left) == 0 && len(ups) == 0 {
			return time.Since(start)
		}
		if i > 1000 {
			check(fmt.Errorf("sync does not finish: %v, %d left", err, len(left)))
		}
	}
}

// throughputGoal is the goal for figure 1.
const throughputGoal = 0.6

// pprofDo runs f labelled phase=name in a CPU profile.
func pprofDo[T any](ctx context.Context, name string, f func() T) T {
	var v T
	pprof.Do(ctx, pprof.Labels("phase", name), func(context.Context) { v = f() })
	return v
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func list(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return strings.Join(parts, " ")
}

// template is what every throughput run starts from, made once: a
// central SQLite file, seeded and with one device enrolled, and a device
// store file holding the entries submitted (as the app does: drafts,
// then Submit one by one). Each run copies both files, so the server's
// baseline and the device's sync start from the same state, and the
// expensive setup does not repeat.
type template struct {
	serverDB string
	deviceDB string
	device   api.EnrolResponse
	officer  string
	es       []*forms.Entry
	reg      *forms.Registry
}

func makeTemplate(ctx context.Context, dir string, n int, randomIDs bool) *template {
	t := &template{serverDB: filepath.Join(dir, "template-central.db"), deviceDB: filepath.Join(dir, "template-device.db")}
	srv, err := sqlite.Open(ctx, t.serverDB)
	check(err)
	fx, err := bench.NewFixture(ctx, srv)
	check(err)
	t.device, t.officer = fx.Device, fx.Officer
	check(srv.Close())
	t.reg, err = centraltest.LoadRegistry()
	check(err)
	st, err := devicestore.Open(t.deviceDB, deviceOptions())
	check(err)
	check(st.EnrolOfficer(t.officer, "PC Bench", benchPIN))
	t.es = bench.Entries(t.officer, n)
	if !randomIDs {
		// As the app makes them (devicestore.NewEntry): time-ordered, so
		// entries submitted one after another are neighbours in the
		// device's and the server's B-trees.
		for _, e := range t.es {
			id, err := uuid.NewV7()
			check(err)
			e.ID = id.String()
		}
	}
	r := &rig{store: st}
	r.submit(t.es, false)
	check(st.Close())
	return t
}

const benchPIN = "582914"

func deviceOptions() devicestore.Options {
	return devicestore.Options{
		KDF: devicestore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}, InsecureKDF: true, IdleLock: -1, Logger: quiet,
	}
}

// copyDB copies a closed SQLite file (and its WAL, if any) to a fresh
// path in dir and returns the path.
func copyDB(src, dir, name string) string {
	d, err := os.MkdirTemp(dir, name+"-")
	check(err)
	dst := filepath.Join(d, filepath.Base(src))
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(src + suffix)
		if suffix != "" && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		check(err)
		check(os.WriteFile(dst+suffix, b, 0o600))
	}
	return dst
}

// server opens a copy of the template's central store.
func (t *template) server(ctx context.Context, dir, name string) (*bench.Fixture, func()) {
	path := copyDB(t.serverDB, dir, name)
	srv, err := sqlite.Open(ctx, path)
	check(err)
	svc := central.NewService(srv, t.reg, central.Config{Argon2: centraltest.TestArgon2, Logger: quiet})
	return &bench.Fixture{Service: svc, Device: t.device, Officer: t.officer}, func() {
		srv.Close()
		os.RemoveAll(filepath.Dir(path))
	}
}

// deviceStore opens a copy of the template's device store, unlocked.
func (t *template) deviceStore(dir, name string) (*devicestore.Store, func()) {
	path := copyDB(t.deviceDB, dir, name)
	st, err := devicestore.Open(path, deviceOptions())
	check(err)
	check(st.Unlock(t.officer, benchPIN))
	return st, func() {
		st.Close()
		os.RemoveAll(filepath.Dir(path))
	}
}

// pair is one throughput run: the three measures taken back to back.
type pair struct {
	sync, direct, alone time.Duration
}

// throughputRuns measures figure 1 count times. Each run takes, in an
// order that rotates from run to run (so no measure always goes first
// on a machine whose load drifts): the server's own ingest of the
// entries without HTTP (the baseline), the device syncing them to a
// server over loopback HTTP, and the device alone (the same engine and
// store against an in-memory server that accepts everything, no SQL on
// the server side: the device's share). Figure 1 is the median of the
// runs' ratios sync / baseline.
func throughputRuns(ctx context.Context, dir string, t *template, count int) []pair {
	out := make([]pair, 0, count)
	for run := 0; run < count; run++ {
		var p pair
		steps := []func(){
			func() { p.direct = directRun(ctx, dir, t) },
			func() { p.sync = syncRun(ctx, dir, t, run == 0) },
			func() { p.alone = aloneRun(ctx, dir, t) },
		}
		for i := range steps {
			steps[(i+run)%len(steps)]()
		}
		fmt.Printf("   run %d: server ingest, no HTTP %v; device over HTTP %v; device alone %v; ratio %.2f, device alone / sync %.2f\n",
			run+1, p.direct.Round(time.Millisecond), p.sync.Round(time.Millisecond), p.alone.Round(time.Millisecond),
			p.direct.Seconds()/p.sync.Seconds(), p.alone.Seconds()/p.sync.Seconds())
		out = append(out, p)
	}
	return out
}

func directRun(ctx context.Context, dir string, t *template) time.Duration {
	fx, done := t.server(ctx, dir, "direct")
	defer done()
	p, err := fx.Service.AuthenticateDevice(ctx, fx.Device.Credential)
	check(err)
	var took time.Duration
	pprof.Do(ctx, pprof.Labels("phase", "server-direct"), func(ctx context.Context) { took = serverIngest(ctx, fx, p, t.es) })
	return took
}

func syncRun(ctx context.Context, dir string, t *template, first bool) time.Duration {
	fx, done := t.server(ctx, dir, "sync")
	defer done()
	st, sdone := t.deviceStore(dir, "sync-device")
	defer sdone()
	r := serveRig(fx, st, nil)
	defer r.ts.Close()
	var took time.Duration
	pprof.Do(ctx, pprof.Labels("phase", "device"), func(ctx context.Context) { took = r.syncAll(ctx) })
	if first {
		var gz int64
		for _, e := range t.es {
			b, err := e.Encode()
			check(err)
			gz += gzipSize(b)
		}
		n := float64(len(t.es))
		perEntry, gzPer := float64(r.engine.Status().SentBytes)/n, float64(gz)/n
		fmt.Printf("\n2. bytes on the wire per entry: %.0f B, gzip of one entry's JSON alone: %.0f B, ratio %.2f\n\n", perEntry, gzPer, perEntry/gzPer)
	}
	checkAllOnServer(ctx, fx, t.es)
	return took
}

// checkAllOnServer makes sure the run measured what it claims: every
// entry is on the server.
func checkAllOnServer(ctx context.Context, fx *bench.Fixture, es []*forms.Entry) {
	check(fx.Service.Store().View(ctx, func(tx central.Tx) error {
		for _, e := range es {
			revs, err := tx.Revisions(ctx, e.ID)
			if err != nil {
				return err
			}
			if len(revs) != 1 {
				return fmt.Errorf("entry %s: %d revisions on the server after sync", e.ID, len(revs))
			}
		}
		return nil
	}))
}

// aloneRun syncs a copy of the device store to acceptAll: the device's
// own cost (outbox, encoding, gzip, acknowledgements) with a server that
// costs almost nothing.
func aloneRun(ctx context.Context, dir string, t *template) time.Duration {
	st, done := t.deviceStore(dir, "alone-device")
	defer done()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		pprof.Do(req.Context(), pprof.Labels("phase", "accept-all"), func(context.Context) { acceptAll(w, req) })
	}))
	defer ts.Close()
	r := newDevice(ts.URL, t.device, st, nil)
	var took time.Duration
	pprof.Do(ctx, pprof.Labels("phase", "device-alone"), func(ctx context.Context) { took = r.syncAll(ctx) })
	return took
}

// acceptAll answers a push by accepting every item, and a pull with
// nothing: a server with no cost beyond reading the request.
func acceptAll(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Content-Type", api.MediaTypeJSON)
	if req.URL.Path != "/v1/push" {
		json.NewEncoder(w).Encode(api.PullResponse{})
		return
	}
	var body io.Reader = req.Body
	if req.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(req.Body)
		check(err)
		body = zr
	}
	var push struct {
		Items []struct {
			EntryID  string `json:"entryId"`
			Revision int    `json:"revision"`
		} `json:"items"`
	}
	check(json.NewDecoder(body).Decode(&push))
	resp := api.PushResponse{}
	for i, it := range push.Items {
		resp.Results = append(resp.Results, api.PushResult{EntryID: it.EntryID, Revision: it.Revision, Status: api.StatusAccepted,
			Receipt: fmt.Sprintf("SG-2026-%06d", i)})
	}
	check(json.NewEncoder(w).Encode(resp))
}

// serverIngest is the baseline: the server's own ingest of es in batches
// of client.DefaultBatchItems, no HTTP.
func serverIngest(ctx context.Context, fx *bench.Fixture, p central.Principal, es []*forms.Entry) time.Duration {
	start := time.Now()
	for i := 0; i < len(es); i += client.DefaultBatchItems {
		req := &api.PushRequest{DeviceID: fx.Device.DeviceID}
		for _, e := range es[i:min(i+client.DefaultBatchItems, len(es))] {
			e.Officer = fx.Officer
			req.Items = append(req.Items, centraltest.Item(e, "standard"))
		}
		resp, err := fx.Service.Push(ctx, p, req)
		check(err)
		for _, res := range resp.Results {
			if res.Status != api.StatusAccepted {
				check(fmt.Errorf("baseline push: %+v", res))
			}
		}
	}
	return time.Since(start)
}

func gzipSize(b []byte) int64 {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return int64(buf.Len())
}

// slowLink puts toxiproxy between the device and the server: 256 kbit/s
// each way and 300 ms latency.
func slowLink(ctx context.Context, dir string, entries, photos, photoKB int) {
	const rate = 32 // KB/s = 256 kbit/s
	fmt.Printf("\n3. %d entries and %d photos of %d KB over 256 kbit/s with 300 ms latency\n", entries, photos, photoKB)
	var proxy *toxiproxy.Proxy
	r := newRig(ctx, dir, "slow", func(upstream string) string {
		api := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(prometheus.NewRegistry()), zerolog.Nop())
		proxy = toxiproxy.NewProxy(api, "central", "127.0.0.1:0", upstream)
		check(proxy.Start())
		for _, t := range []string{
			`{"name":"lat","type":"latency","stream":"downstream","attributes":{"latency":300}}`,
			fmt.Sprintf(`{"name":"up","type":"bandwidth","stream":"upstream","attributes":{"rate":%d}}`, rate),
			fmt.Sprintf(`{"name":"down","type":"bandwidth","stream":"downstream","attributes":{"rate":%d}}`, rate),
		} {
			_, err := proxy.Toxics.AddToxicJson(strings.NewReader(t))
			check(err)
		}
		return "http://" + proxy.Listen
	}, nil)
	defer r.close()
	defer proxy.Stop()
	es := bench.Entries(r.fx.Officer, entries)
	check(r.store.ImportDrafts(drafts(es)))
	var photoBytes int64
	for i := 0; i < photos; i++ {
		e := es[i%len(es)]
		data := pseudoPhoto(i, photoKB<<10)
		a, err := r.store.PutAttachment(e.ID, bytes.NewReader(data), "image/jpeg", fmt.Sprintf("p%d.jpg", i))
		check(err)
		cur, err := r.store.Entry(e.ID)
		check(err)
		list, _ := cur.Answers["photos"].Value.([]string)
		check(r.store.SetAnswer(e.ID, "", "", "photos", forms.Answer{Value: append(list, a.SHA256)}))
		photoBytes += int64(len(data))
	}
	for _, e := range es {
		_, err := r.store.Submit(e.ID, forms.LevelStandard, false)
		check(err)
	}
	took := r.syncAll(ctx)
	sent := r.engine.Status().SentBytes
	lower := time.Duration(float64(sent) / float64(rate<<10) * float64(time.Second))
	fmt.Printf("   took %v; bytes sent %d (photos %d); bandwidth lower bound %v; ratio %.2f\n",
		took.Round(time.Millisecond), sent, photoBytes, lower.Round(time.Millisecond), took.Seconds()/lower.Seconds())
}

func drafts(es []*forms.Entry) []devicestore.Draft {
	out := make([]devicestore.Draft, len(es))
	for i, e := range es {
		out[i] = devicestore.Draft{Entry: e, Title: "bench"}
	}
	return out
}

func pseudoPhoto(seed, n int) []byte {
	b := make([]byte, n)
	x := uint32(seed)*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// immediate queues 500 standard entries, then one immediate, and times
// how long the immediate one takes to be on the server once sync starts.
func immediate(ctx context.Context, dir string, behind int) {
	fmt.Printf("\n4. an immediate-risk entry queued behind %d others\n", behind)
	// Baseline: one entry alone.
	r0 := newRig(ctx, dir, "alone", nil, nil)
	r0.submit(bench.Entries(r0.fx.Officer, 1), false)
	alone := r0.syncAll(ctx)
	r0.close()

	r := newRig(ctx, dir, "behind", nil, nil)
	defer r.close()
	r.submit(bench.Entries(r.fx.Officer, behind), false)
	urgent := bench.Entries(r.fx.Officer, 1)
	r.submit(urgent, true)
	start := time.Now()
	done := make(chan time.Duration, 1)
	go func() { done <- r.syncAll(ctx) }()
	var reached time.Duration
	for reached == 0 {
		var revs []central.Revision
		check(r.be.Store.View(ctx, func(tx central.Tx) error {
			var err error
			revs, err = tx.Revisions(ctx, urgent[0].ID)
			return err
		}))
		if len(revs) > 0 {
			reached = time.Since(start)
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	all := <-done
	fmt.Printf("   immediate entry on the server after %v; all %d after %v; one entry alone: %v; ratio to alone %.2f\n",
		reached.Round(time.Millisecond), behind+1, all.Round(time.Millisecond), alone.Round(time.Millisecond), reached.Seconds()/alone.Seconds())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "syncbench:", err)
		os.Exit(1)
	}
}
