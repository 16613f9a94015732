package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
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
	PostgresDSN string // "" skips PostgreSQL
	Dir         string
}

// DefaultFlood is the load test: 20 devices pushing while 20
// loops hammer the credential routes.
var DefaultFlood = FloodOptions{Devices: 20, Pushes: 15, Batch: 5, Loops: 20}

// Flood measures push latency (p95) from o.Devices devices on loopback,
// first alone (the baseline) and then while o.Loops loops hammer
// /v1/login (an unknown user), /v1/device/signin (a wrong password) and
// /v1/enrol (a wrong code), with the production password cost
// (central.DefaultArgon2). It runs twice per backend: with the default
// rate limits, and with the per-key limits off so only the bound on
// concurrent password checks stands between the flood and ingest.
func Flood(ctx context.Context, o FloodOptions, w io.Writer) error {
	backends := []string{"sqlite"}
	if o.PostgresDSN != "" {
		backends = append(backends, "postgres")
	}
	fmt.Fprintf(w, "\n== Push p95 from %d devices (%d pushes of %d entries each), alone vs with %d loops flooding login, device sign-in and enrolment (argon2id %d MiB, t=%d)\n",
		o.Devices, o.Pushes, o.Batch, o.Loops, central.DefaultArgon2.Memory>>10, central.DefaultArgon2.Time)
	for _, name := range backends {
		for _, off := range []bool{false, true} {
			if err := floodOnce(ctx, o, name, off, w); err != nil {
				return fmt.Errorf("%s flood: %w", name, err)
			}
		}
	}
	return nil
}

type floodRig struct {
	url     string
	devices []api.EnrolResponse
	officer string
	flooder api.EnrolResponse
	client  *http.Client
}

func floodOnce(ctx context.Context, o FloodOptions, name string, limitsOff bool, w io.Writer) error {
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
	if _, err := svc.SeedDemo(ctx); err != nil {
		return err
	}
	ts := httptest.NewServer(centralhttp.NewServer(svc, centralhttp.Options{Logger: slog.New(slog.DiscardHandler)}))
	defer ts.Close()
	rig := &floodRig{url: ts.URL, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
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
		var si api.SignInResponse
		if st, raw := rig.do(ctx, "/v1/device/signin", dev.Credential, api.SignInRequest{Username: "officer1", Password: central.DemoPassword}, &si); st != 200 {
			return fmt.Errorf("device sign-in: %d %s", st, raw)
		}
		rig.officer = si.Officer
		rig.devices = append(rig.devices, *dev)
	}
	base, err := rig.pushAll(ctx, o)
	if err != nil {
		return err
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var floods, limited atomic.Int64
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
				var st int
				switch n % 3 {
				case 0:
					st, _ = rig.do(ctx, "/v1/login", "", api.LoginRequest{Username: "nobody" + strconv.Itoa(n), Password: "guess"}, nil)
				case 1:
					st, _ = rig.do(ctx, "/v1/device/signin", rig.flooder.Credential, api.SignInRequest{Username: "officer2", Password: "guess" + strconv.Itoa(n)}, nil)
				default:
					st, _ = rig.do(ctx, "/v1/enrol", "", api.EnrolRequest{Code: "AAAA-BBBB-" + strconv.Itoa(1000+n%9000), DeviceName: "x"}, nil)
				}
				floods.Add(1)
				if st == http.StatusTooManyRequests {
					limited.Add(1)
				}
			}
		}(i)
	}
	time.Sleep(200 * time.Millisecond) // let the flood build up
	flood, err := rig.pushAll(ctx, o)
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	sort.Slice(base, func(i, j int) bool { return base[i] < base[j] })
	sort.Slice(flood, func(i, j int) bool { return flood[i] < flood[j] })
	p95b, p95f := Pct(base, 95), Pct(flood, 95)
	mode := "default limits      "
	if limitsOff {
		mode = "per-key limits off  "
	}
	fmt.Fprintf(w, "%-9s %s push p95 alone %8v   with flood %8v   ratio %.2f   (flood: %d requests, %d answered 429)\n",
		name, mode, p95b.Round(time.Millisecond/10), p95f.Round(time.Millisecond/10), float64(p95f)/float64(p95b), floods.Load(), limited.Load())
	return nil
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
				st, raw := r.do(ctx, "/v1/push", dev.Credential, req, &resp)
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

func (r *floodRig) do(ctx context.Context, path, token string, body, out any) (int, []byte) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(ctx, "POST", r.url+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", api.MediaTypeJSON)
	req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := r.client.Do(req)
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
