package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/internal/apicall"
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
	if n, ok := body.(interface{ Len() int }); ok {
		e.update(func(s *Status) { s.SentBytes += int64(n.Len()) })
	}
	resp, err := apicall.Do(ctx, e.cfg.HTTPClient, apicall.Request{Method: method, URL: u.String(), Body: body,
		Token: e.cfg.Credential(), Header: headers})
	if err != nil {
		cause := err
		if u := errors.Unwrap(err); u != nil {
			cause = u
		}
		return callError(err, "Could not build the request: "+cause.Error())
	}
	if !resp.OK() {
		return responseError(resp)
	}
	if out == nil || method == http.MethodHead {
		return nil
	}
	if err := resp.Decode(out); err != nil {
		// A cut-off or garbled answer: nothing was acknowledged.
		return &Error{Kind: KindServer, Status: resp.Status, Message: "The server's answer was cut off or garbled; it will be asked again.", Err: err}
	}
	return nil
}

// callError words a call that got no answer: offline when the server was
// not reached, local (with msg) when the request could not be built.
func callError(err error, msg string) error {
	var te *apicall.TransportError
	if errors.As(err, &te) {
		return offline(te)
	}
	return &Error{Kind: KindLocal, Message: msg, Err: err}
}

func offline(err *apicall.TransportError) error {
	msg := "No connection to the server; everything is kept on this tablet and will be sent when the signal returns."
	if err.Timeout() {
		msg = "The server took too long to answer; everything is kept on this tablet and will be sent again."
	}
	return &Error{Kind: KindOffline, Message: msg, Err: err.Err}
}

func responseError(resp *apicall.Response) error {
	we := resp.Error
	e := &Error{Status: resp.Status, Code: we.Code, Message: we.Message, RetryAfter: resp.RetryAfter}
	switch {
	case we.Code == api.CodeDeviceRevoked || we.Wipe:
		e.Kind = KindRevoked
		e.Message = "This tablet has been withdrawn from use; its data has been wiped."
	case resp.Status == http.StatusUpgradeRequired || we.Code == api.CodeUpgradeRequired:
		e.Kind = KindUpgrade
		e.Message = "This app is too old for the server. Update it; everything stays on this tablet until then."
	case resp.Status == http.StatusForbidden && we.Code != api.CodeOwnEntry:
		e.Kind = KindUnauthorized
		e.Message = "The server does not allow this tablet to do that. Ask your supervisor."
	case resp.Status == http.StatusUnauthorized:
		e.Kind = KindUnauthorized
		e.Message = "The server does not recognise this tablet. Ask your supervisor for a new enrolment code."
	case resp.Status == http.StatusConflict && we.Code == api.CodeOffsetMismatch,
		resp.Status == http.StatusUnprocessableEntity && we.Code == api.CodeChecksumMismatch:
		e.Kind = KindServer
	case resp.Status == http.StatusTooManyRequests || resp.Status >= 500:
		e.Kind = KindServer
		if e.Message == "" {
			e.Message = fmt.Sprintf("The server is busy or failing (%d); it will be tried again.", resp.Status)
		} else {
			e.Message = "The server could not take this now: " + e.Message + ". It will be tried again."
		}
	case resp.Status >= 400:
		e.Kind = KindBadRequest
		if e.Message == "" {
			e.Message = fmt.Sprintf("the server refused the request (%d)", resp.Status)
		}
	default:
		e.Kind = KindServer
		e.Message = fmt.Sprintf("unexpected answer from the server (%d)", resp.Status)
	}
	return e
}
