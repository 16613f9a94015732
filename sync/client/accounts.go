package client

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/internal/apicall"
)

// ErrNotNow is what an Outbox or Uploads returns when it cannot be read at
// the moment (the store is locked: nobody is signed in). The engine skips
// pushing and uploading for that round, still pulls decisions, and says so
// in plain words.
var ErrNotNow = errors.New("sync: the outbox cannot be read until an officer signs in")

// Enrol exchanges a one-time enrolment code for the device's credential.
// POST /v1/enrol. The credential is shown once; keep it safe.
func Enrol(ctx context.Context, hc *http.Client, baseURL, code, deviceName string) (api.EnrolResponse, error) {
	var out api.EnrolResponse
	err := call(ctx, hc, baseURL, "/v1/enrol", "", api.EnrolRequest{Code: strings.TrimSpace(code), DeviceName: deviceName}, &out)
	return out, err
}

// SignIn checks an officer's user name and password with the central
// system, through the enrolled device. POST /v1/device/signin.
func SignIn(ctx context.Context, hc *http.Client, baseURL, credential, username, password string) (api.SignInResponse, error) {
	var out api.SignInResponse
	err := call(ctx, hc, baseURL, "/v1/device/signin", credential, api.SignInRequest{Username: username, Password: password}, &out)
	return out, err
}

func call(ctx context.Context, hc *http.Client, baseURL, path, credential string, in, out any) error {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	body, err := apicall.JSONBody(in)
	if err != nil {
		return &Error{Kind: KindLocal, Message: "Could not build the request.", Err: err}
	}
	resp, err := apicall.Do(ctx, hc, apicall.Request{Method: http.MethodPost, URL: strings.TrimRight(baseURL, "/") + path,
		Body: body, ContentType: api.MediaTypeJSON, Token: credential})
	if err != nil {
		return callError(err, "The server address is not valid.")
	}
	if !resp.OK() {
		e, _ := responseError(resp).(*Error)
		switch {
		case e.Kind == KindUnauthorized && path == "/v1/enrol":
			e.Message = "That enrolment code is not valid or has been used. Ask your supervisor for a new one."
		case e.Kind == KindUnauthorized && credential != "":
			e.Message = "The user name or password is wrong, or this tablet is no longer enrolled."
		case e.Kind == KindBadRequest && e.Message != "":
			e.Message = "The server refused: " + e.Message
		}
		return e
	}
	if err := resp.Decode(out); err != nil {
		return &Error{Kind: KindServer, Message: "The server's answer was garbled; try again.", Err: err}
	}
	return nil
}
