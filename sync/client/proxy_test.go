package client_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

func answer(v any) forms.Answer { return forms.Answer{Value: v} }

func withOfficer(e *forms.Entry, officer string) *forms.Entry {
	e.Officer = officer
	return e
}

// switchable is a gate that drops connections until opened.
type switchable struct{ on atomic.Bool }

func (s *switchable) open() { s.on.Store(true) }

// startGate runs a reverse proxy to base that cuts every connection while
// the gate is closed, as a dead network does.
func startGate(t testing.TB, base string, g *switchable) string {
	t.Helper()
	u, _ := url.Parse(base)
	rp := httputil.NewSingleHostReverseProxy(u)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.on.Load() {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// startRewriter runs a reverse proxy to base that changes each request.
func startRewriter(t testing.TB, base string, f func(*http.Request)) string {
	t.Helper()
	u, _ := url.Parse(base)
	rp := httputil.NewSingleHostReverseProxy(u)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f(r)
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}
