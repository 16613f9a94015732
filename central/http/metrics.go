package http

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
)

// Metrics are the server's Prometheus metrics, in a registry of its own (so
// several servers can run in one test process).
type Metrics struct {
	Registry   *prometheus.Registry
	ingest     *prometheus.CounterVec
	pushTime   prometheus.Histogram
	syncErrors *prometheus.CounterVec
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	handler    http.Handler
}

// statsTimeout bounds the queue counts done at each scrape.
const statsTimeout = 5 * time.Second

func newMetrics(svc *central.Service) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.ingest = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "safeguard_ingest_items_total",
		Help: "Pushed entry revisions by outcome (accepted, duplicate, conflict, rejected)."}, []string{"status"})
	m.pushTime = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "safeguard_ingest_duration_seconds",
		Help: "Time to handle one push batch.", Buckets: prometheus.ExponentialBuckets(0.005, 2, 12)})
	m.syncErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "safeguard_sync_errors_total",
		Help: "Failed device requests by route and error code."}, []string{"route", "code"})
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "safeguard_http_requests_total",
		Help: "HTTP requests by route and status."}, []string{"route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "safeguard_http_request_duration_seconds",
		Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets}, []string{"route"})
	for _, st := range []api.Status{api.StatusAccepted, api.StatusDuplicate, api.StatusConflict, api.StatusRejected} {
		m.ingest.WithLabelValues(string(st))
	}
	stats := func(pick func(central.QueueStats) int64) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
			defer cancel()
			st, err := svc.Stats(ctx)
			if err != nil {
				return -1
			}
			return float64(pick(st))
		}
	}
	delivery := func(pick func(central.DeliveryStats) float64) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
			defer cancel()
			st, err := svc.DeliveryStats(ctx)
			if err != nil {
				return -1
			}
			return pick(st)
		}
	}
	m.Registry.MustRegister(m.ingest, m.pushTime, m.syncErrors, m.requests, m.latency,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safeguard_review_queue_depth",
			Help: "Live entries awaiting review (-1 when the database cannot be read)."}, stats(func(s central.QueueStats) int64 { return s.Depth })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safeguard_review_overdue",
			Help: "Live entries awaiting review past their deadline."}, stats(func(s central.QueueStats) int64 { return s.Overdue })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safeguard_training_queue_depth",
			Help: "Training entries awaiting review."}, stats(func(s central.QueueStats) int64 { return s.TrainingDepth })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safeguard_referral_deliveries_pending",
			Help: "Approved referrals waiting to reach the partner (-1 when the database cannot be read)."},
			delivery(func(s central.DeliveryStats) float64 { return float64(s.Pending) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safeguard_referral_deliveries_dead",
			Help: "Referrals given up (dead letters) awaiting an administrator's replay; alert when above 0."},
			delivery(func(s central.DeliveryStats) float64 { return float64(s.Dead) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safeguard_referral_oldest_pending_seconds",
			Help: "Age of the oldest referral waiting to reach the partner (0 when none)."},
			delivery(func(s central.DeliveryStats) float64 {
				if s.OldestPending.IsZero() {
					return 0
				}
				return svc.Now().Sub(s.OldestPending).Seconds()
			})),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	m.handler = promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
	return m
}

func (m *Metrics) ingested(st api.Status) { m.ingest.WithLabelValues(string(st)).Inc() }

func (m *Metrics) observe(rt Route, status int, code string, d time.Duration) {
	m.requests.WithLabelValues(rt.Name, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(rt.Name).Observe(d.Seconds())
	if rt.Name == "push" {
		m.pushTime.Observe(d.Seconds())
	}
	if rt.Auth == AuthDevice && code != "" {
		m.syncErrors.WithLabelValues(rt.Name, code).Inc()
	}
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request, _ central.Principal) error {
	if s.opt.MetricsOff {
		return central.Errorf(central.ENOTFOUND, "metrics are not served here (set a scrape token)")
	}
	if s.opt.MetricsToken != "" {
		tok, ok := bearer(r)
		if !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(s.opt.MetricsToken)) != 1 {
			return central.Errorf(central.EUNAUTHORIZED, "send Authorization: Bearer <scrape token>")
		}
	}
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}
