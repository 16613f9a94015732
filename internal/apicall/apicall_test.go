package apicall

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
)

func TestDoSendsTheWireHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	body, err := JSONBody(map[string]int{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := Do(context.Background(), srv.Client(), Request{Method: http.MethodPost, URL: srv.URL + "/v1/x", Body: body,
		ContentType: api.MediaTypeJSON, Token: "tok", Header: map[string]string{"Upload-Offset": "7"}})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"Authorization": "Bearer tok", api.HeaderVersion: strconv.Itoa(api.Version),
		"Accept": api.MediaTypeJSON, "Content-Type": api.MediaTypeJSON, "Upload-Offset": "7"} {
		if got.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, got.Get(k), want)
		}
	}
	var out struct{ OK bool }
	if !resp.OK() || resp.Decode(&out) != nil || !out.OK {
		t.Errorf("answer %d %s decoded %+v", resp.Status, resp.Body, out)
	}
	// No token: no Authorization header at all.
	if _, err := Do(context.Background(), srv.Client(), Request{Method: http.MethodGet, URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["Authorization"]; ok {
		t.Errorf("Authorization sent without a token: %q", got.Get("Authorization"))
	}
}

func TestDoDecodesErrorsAndRetryAfter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/busy":
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"code":"rate_limited","message":"slow down"}`))
		case "/html":
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte(`<html>proxy</html>`))
		case "/big":
			w.Write([]byte(strings.Repeat("x", MaxResponseBytes+10)))
		}
	}))
	defer srv.Close()
	resp, err := Do(context.Background(), srv.Client(), Request{Method: http.MethodGet, URL: srv.URL + "/busy"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.OK() || resp.Status != 429 || resp.Error.Code != "rate_limited" || resp.Error.Message != "slow down" || resp.RetryAfter != 3*time.Second {
		t.Errorf("busy: %+v", resp)
	}
	resp, err = Do(context.Background(), srv.Client(), Request{Method: http.MethodGet, URL: srv.URL + "/html"})
	if err != nil || resp.Status != 502 || resp.Error != (api.Error{}) {
		t.Errorf("html: %+v, %v", resp, err)
	}
	resp, err = Do(context.Background(), srv.Client(), Request{Method: http.MethodGet, URL: srv.URL + "/big"})
	if err != nil || len(resp.Body) != MaxResponseBytes {
		t.Errorf("big: %v, %d bytes read, want the limit %d", err, len(resp.Body), MaxResponseBytes)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"0":                             0,
		"120":                           2 * time.Minute,
		"-5":                            0,
		"soon":                          0,
		"Sun, 01 Mar 2026 12:00:30 GMT": 30 * time.Second,
	} {
		h := http.Header{}
		if in != "" {
			h.Set("Retry-After", in)
		}
		if got := RetryAfter(h, now); got != want {
			t.Errorf("RetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDoTransportErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = Do(context.Background(), http.DefaultClient, Request{Method: http.MethodGet, URL: "http://" + addr + "/"})
	var te *TransportError
	if !errors.As(err, &te) || te.Reading || te.Timeout() {
		t.Errorf("refused connection: %#v", err)
	}

	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer stall.Close()
	_, err = Do(context.Background(), &http.Client{Timeout: 50 * time.Millisecond}, Request{Method: http.MethodGet, URL: stall.URL})
	if !errors.As(err, &te) || !te.Timeout() {
		t.Errorf("stalled server: %#v, want a timeout", err)
	}

	_, err = Do(context.Background(), http.DefaultClient, Request{Method: "BAD METHOD", URL: stall.URL})
	if err == nil || errors.As(err, &te) {
		t.Errorf("bad request: %#v, want a build error", err)
	}
}
