// Package apicall is the request core that the project's clients of the
// central system's /v1 API share (sync/client's engine and accounts calls,
// app/supervisor's reviewer client): the wire headers, the bound on what is
// read back, the decoding of an error body and of Retry-After. Each client
// keeps its own words for its users; this package has none.
package apicall

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/safeguard-uk/safeguard/api"
)

// MaxResponseBytes bounds what is read of a response body (an entry view
// with every revision is tens of kilobytes; 16 MiB leaves room without
// trusting the server).
const MaxResponseBytes = 16 << 20

// Request is one call to the API.
type Request struct {
	Method string
	// URL is the full address, query included.
	URL string
	// Body is sent as it is, with ContentType when set.
	Body        io.Reader
	ContentType string
	// Token is the bearer credential ("" sends no Authorization).
	Token string
	// Header holds extra headers.
	Header map[string]string
}

// JSONBody returns v as a JSON request body.
func JSONBody(v any) (io.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return bytes.NewReader(b), nil
}

// Response is an answer that arrived in full (up to MaxResponseBytes).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Error is the decoded error body of a non-2xx answer (zero when the
	// body was not one).
	Error api.Error
	// RetryAfter is the server's Retry-After (0 when absent or unreadable).
	RetryAfter time.Duration
}

// OK reports a 2xx status.
func (r *Response) OK() bool { return r.Status/100 == 2 }

// Decode decodes the body as JSON into out.
func (r *Response) Decode(out any) error {
	if err := json.Unmarshal(r.Body, out); err != nil {
		return fmt.Errorf("decode %d answer: %w", r.Status, err)
	}
	return nil
}

// TransportError is a call that got no complete answer: the server was not
// reached, or the connection broke while the answer was read (Reading).
type TransportError struct {
	Reading bool
	Err     error
}

func (e *TransportError) Error() string {
	if e.Reading {
		return "read answer: " + e.Err.Error()
	}
	return "send request: " + e.Err.Error()
}

func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the call gave up waiting.
func (e *TransportError) Timeout() bool {
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// Do sends r with hc and reads the answer. Every request carries the wire
// version (api.HeaderVersion) and accepts JSON. An error is a
// *TransportError; any status, 4XX and 5XX included, is a Response.
func Do(ctx context.Context, hc *http.Client, r Request) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, r.Body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", api.MediaTypeJSON)
	req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, &TransportError{Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes))
	if err != nil {
		return nil, &TransportError{Reading: true, Err: err}
	}
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
	if !out.OK() {
		_ = json.Unmarshal(data, &out.Error) // a body that is not an api.Error leaves it zero
		out.RetryAfter = RetryAfter(resp.Header, time.Now())
	}
	return out, nil
}

// RetryAfter reads a Retry-After header, in seconds or as an HTTP date
// (then relative to now); 0 when absent or unreadable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	ra := h.Get("Retry-After")
	if ra == "" {
		return 0
	}
	if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(ra); err == nil {
		return t.Sub(now)
	}
	return 0
}
