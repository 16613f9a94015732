package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	centralhttp "github.com/safeguard-uk/safeguard/central/http"
)

// FloodOptions sizes the sign-in flood measurement.
type FloodOptions struct {
	Devices     int    // devices pushing at once
	Pushes      int    // pushes per device per phase
	Batch       int    // entries per push
	Loops       int    // flood loops (login, device sign-in, enrolment in turn)
	Count       int    // rounds (a baseline and a flood phase each); the median ratio is reported
	Sources     int    // source addresses per flood loop (127.x.y.z, each its own connection)
	PostgresDSN string // "" skips PostgreSQL
	Dir         string
	// GiveUp is how long a flood request waits for its answer before the
	// flooder drops it and sends the next (an outsider does not sit out
	// the tarpit); 0 waits for every answer.
	GiveUp time.Duration
	// Profile, when set, is where the CPU profile of the first round's
	// flood phase on the first backend is written.
	Profile string
	// LimitsOff also runs every backend with the per-key limits off, so
	// only the global budget of password checks stands between the flood
	// and ingest.
	LimitsOff bool
}

// DefaultFlood is the load test: 20 devices pushing while 20
// loops hammer the credential routes, five rounds.
var DefaultFlood = FloodOptions{Devices: 20, Pushes: 15, Batch: 5, Loops: 20, Count: 5, Sources: 16, GiveUp: 250 * time.Millisecond, LimitsOff: true}

// Flood measures push latency (p95) from o.Devices devices on loopback,
// alone (the baseline) and while o.Loops loops hammer the credential
// routes as an outsider would, o.Count rounds of each in turn, and prints
// every round and the median ratio. The flood comes from o.Sources
// loopback addresses per loop (127.0.0.0/8 is all loopback on Linux: real
// peer addresses, not a forwarded header the server does not trust) and
// tries many names: unknown ones, and real accounts with wrong passwords
// (those cost real argon2id checks at the production cost,
// central.DefaultArgon2), device sign-ins with wrong passwords from an
// enrolled device, and made-up enrolment codes; it drops each request
// after o.GiveUp. Each backend runs with the default limits and, with
// o.LimitsOff, again with the per-key limits off.
func Flood(ctx context.Context, o FloodOptions, w io.Writer) error {
	if o.Count < 1 {
		o.Count = 1
	}
	if o.Sources < 1 {
		o.Sources = 1
	}
	backends := []string{"sqlite"}
	if o.PostgresDSN != "" {
		backends = append(backends, "postgres")
	}
	fmt.Fprintf(w, "\n== Push p95 from %d devices (%d pushes of %d entries each), alone vs with %d loops from %d addresses flooding login, device sign-in and enrolment (argon2id %d MiB, t=%d), %d rounds; load average %s\n",
		o.Devices, o.Pushes, o.Batch, o.Loops, o.Loops*o.Sources, central.DefaultArgon2.Memory>>10, central.DefaultArgon2.Time, o.Count, loadAverage())
	modes := []bool{false}
	if o.LimitsOff {
		modes = append(modes, true)
	}
	profile := o.Profile
	for _, name := range backends {
		for _, off := range modes {
			if err := floodBackend(ctx, o, name, off, profile, w); err != nil {
				return fmt.Errorf("%s flood: %w", name, err)
			}
			profile = ""
		}
	}
	fmt.Fprintf(w, "load average at the end %s\n", loadAverage())
	return nil
}

// loadAverage is /proc/loadavg's first three figures ("?" elsewhere).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

type floodRig struct {
	url     string
	devices []api.EnrolResponse
	officer string
	flooder api.EnrolResponse
	client  *http.Client
	// flooders are the flood's clients, one per source address; patient
	// is one more that waits for every answer.
	flooders []*http.Client
	patient  *http.Client
}

// sourceClient is an HTTP client whose connections come from the
// loopback address ip.
func sourceClient(ip string, giveUp time.Duration) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: giveUp, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 2}}
}

// floodStats counts the flood's requests by answer.
type floodStats struct{ sent, limited, refused, dropped atomic.Int64 }

func floodBackend(ctx context.Context, o FloodOptions, name string, limitsOff bool, profile string, w io.Writer) error {
	b, err := OpenBackend(ctx, name, o.Dir, o.PostgresDSN)
	if err != nil {
		return err
	}
	defer b.Close()
	reg, err := centraltest.LoadRegistry()
	if err != nil {
		return err
	}
	lim := central.DefaultLimits
	lim.Off = limitsOff
	svc := central.NewService(b.Store, reg, central.Config{Argon2: central.DefaultArgon2, Limits: lim, Logger: slog.New(slog.DiscardHandler)})
	defer svc.FlushRefusals(context.WithoutCancel(ctx))
	if _, err := svc.SeedDemo(ctx); err != nil {
		return err
	}
	ts := httptest.NewServer(centralhttp.NewServer(svc, centralhttp.Options{Logger: slog.New(slog.DiscardHandler)}))
	defer ts.Close()
	rig := &floodRig{url: ts.URL, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	for i := 0; i < o.Loops*o.Sources; i++ {
		rig.flooders = append(rig.flooders, sourceClient(fmt.Sprintf("127.%d.%d.%d", 1+i/(250*250), 1+i/250%250, 1+i%250), o.GiveUp))
	}
	rig.patient = sourceClient("127.0.0.9", 0)
	for i := 0; i <= o.Devices; i++ {
		code, err := svc.CreateEnrolmentCode(ctx, central.System("bench"), api.EnrolmentCodeRequest{Team: central.DemoTeamA}, "")
		if err != nil {
			return err
		}
		dev, err := svc.Enrol(ctx, api.EnrolRequest{Code: code.Code, DeviceName: "bench " + strconv.Itoa(i)})
		if err != nil {
			return err
		}
		if i == o.Devices {
			rig.flooder = *dev
			break
		}
		// Sign-ins share the server's budget of password checks: on 429
		// a device waits and tries again, as the tablet does.
		var si api.SignInResponse
		for try := 1; ; try++ {
			st, raw := rig.do(ctx, rig.client, "/v1/device/signin", dev.Credential, api.SignInRequest{Username: "officer1", Password: central.DemoPassword}, &si)
			if st == 200 {
				break
			}
			if st != http.StatusTooManyRequests || try == 60 {
				return fmt.Errorf("device sign-in: %d %s", st, raw)
			}
			time.Sleep(time.Second)
		}
		rig.officer = si.Officer
		rig.devices = append(rig.devices, *dev)
	}
	// A warm-up phase so the first baseline is not the first push.
	if _, err := rig.pushAll(ctx, o); err != nil {
		return err
	}
	mode := "default limits    "
	if limitsOff {
		mode = "per-key limits off"
	}
	var ratios, bases, floods []float64
	var st floodStats
	for round := 1; round <= o.Count; round++ {
		// The phases take turns going first, so a drift across the run
		// (the database growing, the machine's other load) does not
		// favour either.
		var base, flood []time.Duration
		var r0 floodStats
		for _, floodFirst := range [][2]bool{{false, true}, {true, false}}[round%2] {
			if floodFirst {
				flood, err = rig.underFlood(ctx, o, &r0, profile)
				profile = ""
			} else {
				base, err = rig.pushAll(ctx, o)
			}
			if err != nil {
				return err
			}
		}
		p95b, p95f := p95(base), p95(flood)
		ratios = append(ratios, float64(p95f)/float64(p95b))
		bases = append(bases, float64(p95b))
		floods = append(floods, float64(p95f))
		st.sent.Add(r0.sent.Load())
		st.limited.Add(r0.limited.Load())
		st.refused.Add(r0.refused.Load())
		st.dropped.Add(r0.dropped.Load())
		fmt.Fprintf(w, "%-9s %s round %d: push p95 alone %8v   with flood %8v   ratio %.2f   (flood: %d requests, %d dropped unanswered; of the patient loop's, %d 401, %d 429)   load %s\n",
			name, mode, round, p95b.Round(time.Millisecond/10), p95f.Round(time.Millisecond/10), ratios[len(ratios)-1],
			r0.sent.Load(), r0.dropped.Load(), r0.refused.Load(), r0.limited.Load(), loadAverage())
	}
	fmt.Fprintf(w, "%-9s %s median of %d rounds: push p95 alone %v   with flood %v   ratio %.2f (median of the rounds' ratios; ratio of the medians %.2f)\n",
		name, mode, o.Count, time.Duration(median(bases)).Round(time.Millisecond/10), time.Duration(median(floods)).Round(time.Millisecond/10),
		median(ratios), median(floods)/median(bases))
	return nil
}

func p95(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return Pct(d, 95)
}

// underFlood runs the flood loops, lets them build up, pushes as pushAll
// does, and stops them. With profile set, the push phase's CPU profile is
// written there.
func (r *floodRig) underFlood(ctx context.Context, o FloodOptions, st *floodStats, profile string) ([]time.Duration, error) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	accounts := []string{"sergeant1", "sergeant2", "admin", "trainer1"}
	for i := 0; i < o.Loops; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for n := i; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				c := r.flooders[i*o.Sources+n%o.Sources]
				if i == 0 {
					c = r.patient // one loop waits for every answer, to count them
				}
				var code int
				switch n % 3 {
				case 0:
					name := "nobody" + strconv.Itoa(n)
					if n%4 == 0 {
						name = accounts[n/4%len(accounts)]
					}
					code, _ = r.do(ctx, c, "/v1/login", "", api.LoginRequest{Username: name, Password: "guess" + strconv.Itoa(n)}, nil)
				case 1:
					code, _ = r.do(ctx, c, "/v1/device/signin", r.flooder.Credential, api.SignInRequest{Username: "officer" + strconv.Itoa(2+n%5), Password: "guess" + strconv.Itoa(n)}, nil)
				default:
					code, _ = r.do(ctx, c, "/v1/enrol", "", api.EnrolRequest{Code: fmt.Sprintf("AAAA-BBBB-%04d", n%10000), DeviceName: "x"}, nil)
				}
				st.sent.Add(1)
				switch code {
				case http.StatusTooManyRequests:
					st.limited.Add(1)
				case http.StatusUnauthorized:
					st.refused.Add(1)
				case 0:
					st.dropped.Add(1)
				}
			}
		}(i)
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()
	time.Sleep(500 * time.Millisecond) // let the flood build up
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	return r.pushAll(ctx, o)
}

// pushAll pushes o.Pushes batches from every device at once and returns
// every push's latency. Every item must be accepted.
func (r *floodRig) pushAll(ctx context.Context, o FloodOptions) ([]time.Duration, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var first error
	var wg sync.WaitGroup
	for _, dev := range r.devices {
		wg.Add(1)
		go func(dev api.EnrolResponse) {
			defer wg.Done()
			for i := 0; i < o.Pushes; i++ {
				req := api.PushRequest{DeviceID: dev.DeviceID}
				for _, e := range Entries(r.officer, o.Batch) {
					req.Items = append(req.Items, centraltest.Item(e, "standard"))
				}
				start := time.Now()
				var resp api.PushResponse
				st, raw := r.do(ctx, r.client, "/v1/push", dev.Credential, req, &resp)
				d := time.Since(start)
				mu.Lock()
				if st != 200 && first == nil {
					first = fmt.Errorf("push: %d %s", st, raw)
				}
				for _, res := range resp.Results {
					if res.Status != api.StatusAccepted && first == nil {
						first = fmt.Errorf("push: %+v", res)
					}
				}
				lat = append(lat, d)
				mu.Unlock()
			}
		}(dev)
	}
	wg.Wait()
	return lat, first
}

func (r *floodRig) do(ctx context.Context, c *http.Client, path, token string, body, out any) (int, []byte) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(ctx, "POST", r.url+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", api.MediaTypeJSON)
	req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode == 200 {
		json.Unmarshal(raw, out)
	}
	return resp.StatusCode, raw
}
