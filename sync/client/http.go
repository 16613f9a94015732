package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/safeguard-uk/safeguard/sync/wire"
)

// ErrorKind sorts sync problems by what the engine does next.
type ErrorKind int

// Error kinds.
const (
	KindOffline      ErrorKind = iota + 1 // the server could not be reached: retry with backoff
	KindServer                            // the server failed or is busy: retry with backoff
	KindBadRequest                        // the server refused the request as malformed: split the batch
	KindUnauthorized                      // the device's credential is not recognised
	KindRevoked                           // the device was revoked: wiped, stop
	KindUpgrade                           // this app is too old for the server: stop until updated
	KindLocal                             // the device's own store failed
)

// Error is a sync problem, with a message in plain words for the officer.
type Error struct {
	Kind    ErrorKind
	Status  int    // HTTP status, when there was a response
	Code    string // the server's error code, when it sent one
	Message string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("%s (%s)", e.Message, e.Code)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// UserMessage is the message for the officer in English, without the
// server's code (the app says it in the officer's language).
func (e *Error) UserMessage() string { return e.Message }

// do sends one request and decodes a JSON answer into out.
func (e *Engine) do(ctx context.Context, method, path string, q url.Values, body io.Reader, headers map[string]string, out any) error {
	u := *e.base
	u.Path += path
	if q != nil {
		u.RawQuery = q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return &Error{Kind: KindLocal, Message: "Could not build the request: " + err.Error(), Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+e.cfg.Credential())
	req.Header.Set(wire.HeaderVersion, strconv.Itoa(wire.Version))
	req.Header.Set("Accept", wire.MediaTypeJSON)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if n, ok := body.(interface{ Len() int }); ok {
		e.update(func(s *Status) { s.SentBytes += int64(n.Len()) })
	}
	resp, err := e.cfg.HTTPClient.Do(req)
	if err != nil {
		return offline(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return offline(err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil || method == http.MethodHead {
			return nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			// A cut-off or garbled answer: nothing was acknowledged.
			return &Error{Kind: KindServer, Status: resp.StatusCode, Message: "The server's answer was cut off or garbled; it will be asked again.", Err: err}
		}
		return nil
	}
	return responseError(resp, data)
}

func offline(err error) error {
	msg := "No connection to the server; everything is kept on this tablet and will be sent when the signal returns."
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		msg = "The server took too long to answer; everything is kept on this tablet and will be sent again."
	}
	return &Error{Kind: KindOffline, Message: msg, Err: err}
}

func responseError(resp *http.Response, data []byte) error {
	var we wire.Error
	_ = json.Unmarshal(data, &we)
	e := &Error{Status: resp.StatusCode, Code: we.Code, Message: we.Message}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
			e.RetryAfter = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			e.RetryAfter = time.Until(t)
		}
	}
	switch {
	case we.Code == wire.CodeDeviceRevoked || we.Wipe:
		e.Kind = KindRevoked
		e.Message = "This tablet has been withdrawn from use; its data has been wiped."
	case resp.StatusCode == http.StatusUpgradeRequired || we.Code == wire.CodeUpgradeRequired:
		e.Kind = KindUpgrade
		e.Message = "This app is too old for the server. Update it; everything stays on this tablet until then."
	case resp.StatusCode == http.StatusForbidden && we.Code != wire.CodeOwnEntry:
		e.Kind = KindUnauthorized
		e.Message = "The server does not allow this tablet to do that. Ask your supervisor."
	case resp.StatusCode == http.StatusUnauthorized:
		e.Kind = KindUnauthorized
		e.Message = "The server does not recognise this tablet. Ask your supervisor for a new enrolment code."
	case resp.StatusCode == http.StatusConflict && we.Code == wire.CodeOffsetMismatch,
		resp.StatusCode == http.StatusUnprocessableEntity && we.Code == wire.CodeChecksumMismatch:
		e.Kind = KindServer
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		e.Kind = KindServer
		if e.Message == "" {
			e.Message = fmt.Sprintf("The server is busy or failing (%d); it will be tried again.", resp.StatusCode)
		} else {
			e.Message = "The server could not take this now: " + e.Message + ". It will be tried again."
		}
	case resp.StatusCode >= 400:
		e.Kind = KindBadRequest
		if e.Message == "" {
			e.Message = fmt.Sprintf("the server refused the request (%d)", resp.StatusCode)
		}
	default:
		e.Kind = KindServer
		e.Message = fmt.Sprintf("unexpected answer from the server (%d)", resp.StatusCode)
	}
	return e
}
