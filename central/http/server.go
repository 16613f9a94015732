// Package http is the central referral system's HTTP API (/v1, described
// by api/openapi.yaml): device sync (enrol, push, attachments, pull), the
// reviewers' routes, administration, health and metrics. It maps the
// central error codes to statuses at the edge and never logs bodies,
// tokens or passwords.
package http

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
)

// Limits. Each can be changed in Options.
const (
	// DefaultMaxPushBytes bounds a push body as sent (compressed or not).
	DefaultMaxPushBytes = 8 << 20
	// DefaultMaxDecodedBytes bounds a push body after gzip: a gzip bomb
	// stops here with 413.
	DefaultMaxDecodedBytes = 32 << 20
	// DefaultMaxJSONBytes bounds every other JSON body.
	DefaultMaxJSONBytes = 64 << 10
	// DefaultMaxChunkBytes bounds one attachment append.
	DefaultMaxChunkBytes = 8 << 20
)

// Options configures a Server.
type Options struct {
	MaxPushBytes    int64
	MaxDecodedBytes int64
	MaxJSONBytes    int64
	MaxChunkBytes   int64
	Logger          *slog.Logger
	// MetricsToken, when set, is the bearer token /metrics requires (a
	// Prometheus scrape token); MetricsOff answers /metrics 404.
	MetricsToken string
	MetricsOff   bool
}

// Server serves the API over a central.Service.
type Server struct {
	svc      *central.Service
	opt      Options
	log      *slog.Logger
	mux      *http.ServeMux
	metrics  *Metrics
	draining atomic.Bool
}

// NewServer returns a Server for svc.
func NewServer(svc *central.Service, opt Options) *Server {
	if opt.MaxPushBytes <= 0 {
		opt.MaxPushBytes = DefaultMaxPushBytes
	}
	if opt.MaxDecodedBytes <= 0 {
		opt.MaxDecodedBytes = DefaultMaxDecodedBytes
	}
	if opt.MaxJSONBytes <= 0 {
		opt.MaxJSONBytes = DefaultMaxJSONBytes
	}
	if opt.MaxChunkBytes <= 0 {
		opt.MaxChunkBytes = DefaultMaxChunkBytes
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	s := &Server{svc: svc, opt: opt, log: opt.Logger, mux: http.NewServeMux()}
	s.metrics = newMetrics(svc)
	for _, rt := range s.routes() {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, central.Errorf(central.ENOTFOUND, "no such route"))
	})
	return s
}

// Handler returns the server's root handler.
func (s *Server) Handler() http.Handler { return s }

// Metrics returns the server's Prometheus metrics.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Drain makes /readyz fail so a load balancer stops sending new work
// before shutdown.
func (s *Server) Drain() { s.draining.Store(true) }

// ServeHTTP serves a request, turning a panic into a 500.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			writeError(w, errors.New("panic"))
		}
	}()
	h := w.Header()
	h.Set(api.HeaderVersion, strconv.Itoa(api.Version))
	h.Set("X-Content-Type-Options", "nosniff")
	if r.TLS != nil {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	if strings.HasPrefix(r.URL.Path, "/v1/") {
		h.Set("Cache-Control", "no-store")
	}
	s.mux.ServeHTTP(w, r)
}

// statusWriter records the status for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	code   string
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap adds version checks, authentication, authorisation, logging and
// metrics around a route's handler.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		err := s.serve(sw, r, rt)
		if err != nil {
			sw.code = central.ErrorCode(err)
			if sw.code == central.EINTERNAL || sw.code == central.EUNAVAILABLE {
				s.log.Error("request failed", "route", rt.Name, "err", err)
			}
			writeError(sw, err)
		}
		d := time.Since(start)
		s.metrics.observe(rt, sw.status, sw.code, d)
		s.log.Debug("request", "method", r.Method, "route", rt.Pattern, "status", sw.status, "code", sw.code, "ms", d.Milliseconds())
	})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, rt Route) error {
	if err := checkVersion(r, rt.Auth == AuthDevice || rt.Pattern == "/v1/enrol"); err != nil {
		return err
	}
	r = r.WithContext(central.WithSource(r.Context(), sourceAddr(r)))
	var p central.Principal
	switch rt.Auth {
	case AuthDevice, AuthUser:
		tok, ok := bearer(r)
		if !ok {
			return central.Errorf(central.EUNAUTHORIZED, "send Authorization: Bearer <credential>")
		}
		var err error
		if rt.Auth == AuthDevice {
			p, err = s.svc.AuthenticateDevice(r.Context(), tok)
		} else {
			p, err = s.svc.AuthenticateSession(r.Context(), tok)
		}
		if err != nil {
			return err
		}
		if rt.Auth == AuthUser && !p.Is(rt.Roles...) {
			return central.Errorf(central.EFORBIDDEN, "your role does not allow this")
		}
	}
	return rt.handle(s, w, r, p)
}

// checkVersion enforces the wire version header: mandatory on device
// routes, checked wherever present.
func checkVersion(r *http.Request, mandatory bool) error {
	v := r.Header.Get(api.HeaderVersion)
	if v == "" {
		if mandatory {
			return central.Errorf(central.EUPGRADE, "send the %s header; this server speaks version %d", api.HeaderVersion, api.Version)
		}
		return nil
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil:
		return central.Errorf(central.EINVALID, "%s must be a number", api.HeaderVersion)
	case n < api.MinVersion:
		return central.Errorf(central.EUPGRADE, "wire version %d is too old: update the app (this server needs %d or later)", n, api.MinVersion)
	case n > api.Version:
		return central.Errorf(central.EINVALID, "wire version %d is newer than this server's %d", n, api.Version)
	}
	return nil
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	tok := strings.TrimSpace(h[len(prefix):])
	return tok, tok != "" && len(tok) <= 512
}

// statusOf maps an error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case central.EINVALID, central.EMALFORMED:
		return http.StatusBadRequest
	case central.EUNAUTHORIZED, central.EREVOKED:
		return http.StatusUnauthorized
	case central.EFORBIDDEN, central.EOWNENTRY:
		return http.StatusForbidden
	case central.ENOTFOUND:
		return http.StatusNotFound
	case api.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case central.ECONFLICT, central.EOFFSET:
		return http.StatusConflict
	case central.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case central.EMEDIATYPE:
		return http.StatusUnsupportedMediaType
	case central.ECHECKSUM:
		return http.StatusUnprocessableEntity
	case central.EUPGRADE:
		return http.StatusUpgradeRequired
	case api.CodeRateLimited:
		return http.StatusTooManyRequests
	case central.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeError(w http.ResponseWriter, err error) {
	code := central.ErrorCode(err)
	body := api.Error{Code: code, Message: central.ErrorMessage(err)}
	var ce *central.Error
	if errors.As(err, &ce) {
		body.Wipe = ce.Wipe
	}
	status := statusOf(code)
	if ce != nil && ce.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((ce.RetryAfter+time.Second-1)/time.Second)))
	}
	if status == http.StatusUpgradeRequired {
		w.Header().Set("Upgrade", "Safeguard-Wire/"+strconv.Itoa(api.Version))
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"internal","message":"internal error"}`)
	}
	w.Header().Set("Content-Type", api.MediaTypeJSON)
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// limitReader fails with a central ETOOLARGE once more than n bytes were read.
type limitReader struct {
	r    io.Reader
	n    int64
	what string
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, central.Errorf(central.ETOOLARGE, "%s", l.what)
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, central.Errorf(central.ETOOLARGE, "%s", l.what)
	}
	return n, err
}

// readJSON reads a JSON body into v: the content type must be JSON, gzip
// is accepted, the sent and the decoded sizes are bounded, unknown fields
// are refused.
func readJSON(r *http.Request, v any, maxSent, maxDecoded int64) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != api.MediaTypeJSON {
		return central.Errorf(central.EMEDIATYPE, "send Content-Type: application/json")
	}
	if r.ContentLength > maxSent {
		return central.Errorf(central.ETOOLARGE, "the body is over %d bytes", maxSent)
	}
	var body io.Reader = &limitReader{r: r.Body, n: maxSent, what: fmt.Sprintf("the body is over %d bytes", maxSent)}
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			if ce := asCentral(err); ce != nil {
				return ce
			}
			return central.Errorf(central.EMALFORMED, "the body is not valid gzip")
		}
		defer zr.Close()
		body = &limitReader{r: zr, n: maxDecoded, what: fmt.Sprintf("the body is over %d bytes once decompressed", maxDecoded)}
	default:
		return central.Errorf(central.EMEDIATYPE, "Content-Encoding %q is not supported (use gzip or none)", enc)
	}
	data, err := readAll(body, r.ContentLength, r.Header.Get("Content-Encoding") == "")
	if err != nil {
		if ce := asCentral(err); ce != nil {
			return ce
		}
		return central.Errorf(central.EMALFORMED, "the body could not be read: %v", err)
	}
	if err := api.DecodeStrict(data, v); err != nil {
		return central.Errorf(central.EMALFORMED, "the body is not the expected JSON: %v", err)
	}
	return nil
}

// readAll reads r to its end. When the body is sent as it is and its
// length is declared (already checked against the limit), the buffer is
// made that size at once rather than grown by doubling: a 75 KB push
// body was copied about eight times.
func readAll(r io.Reader, declared int64, identity bool) ([]byte, error) {
	if !identity || declared <= 0 {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, declared+1) // +1: the end is seen without growing
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) { // longer than declared: let append grow it
			b = append(b, 0)[:len(b)]
		}
	}
}

func asCentral(err error) *central.Error {
	var ce *central.Error
	if errors.As(err, &ce) {
		return ce
	}
	return nil
}
