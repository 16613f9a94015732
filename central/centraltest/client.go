package centraltest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
)

// Client is a small HTTP client for tests: it sends the wire version and a
// bearer token, encodes and decodes JSON.
type Client struct {
	Base  string
	Token string
	HTTP  *http.Client
}

// Client returns a client for the server with the given bearer token.
func (s *Server) Client(token string) *Client {
	return &Client{Base: s.URL, Token: token, HTTP: http.DefaultClient}
}

// Do sends a request with a JSON body (nil for none) and decodes a JSON
// response into out (when non-nil and the status is 2xx). It returns the
// status and the raw body.
func (c *Client) Do(t testing.TB, method, path string, body, out any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.Base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", api.MediaTypeJSON)
	}
	req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode, raw
}

// Enrol enrols a new device into team (team A when ""), issuing a fresh
// code, and returns its identity.
func (s *Server) Enrol(t testing.TB, team string) api.EnrolResponse {
	t.Helper()
	if team == "" {
		team = central.DemoTeamA
	}
	code, err := s.Service.CreateEnrolmentCode(context.Background(), central.System("test"), api.EnrolmentCodeRequest{Team: team}, "")
	if err != nil {
		t.Fatal(err)
	}
	var out api.EnrolResponse
	st, raw := s.Client("").Do(t, "POST", "/v1/enrol", api.EnrolRequest{Code: code.Code, DeviceName: "test tablet"}, &out)
	if st != http.StatusCreated {
		t.Fatalf("enrol: %d %s", st, raw)
	}
	return out
}

// Login signs a demo user in and returns the session token.
func (s *Server) Login(t testing.TB, username string) string {
	t.Helper()
	var out api.LoginResponse
	st, raw := s.Client("").Do(t, "POST", "/v1/login", api.LoginRequest{Username: username, Password: central.DemoPassword}, &out)
	if st != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, st, raw)
	}
	return out.Token
}

// UserID returns the id of an account.
func (s *Server) UserID(t testing.TB, username string) string {
	t.Helper()
	var id string
	err := s.Store.View(context.Background(), func(tx central.Tx) error {
		u, err := tx.UserByUsername(context.Background(), username)
		id = u.ID
		return err
	})
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return id
}

// Push sends items as the device and returns the response.
func (s *Server) Push(t testing.TB, dev api.EnrolResponse, items ...api.PushItem) api.PushResponse {
	t.Helper()
	var out api.PushResponse
	st, raw := s.Client(dev.Credential).Do(t, "POST", "/v1/push", api.PushRequest{DeviceID: dev.DeviceID, Items: items}, &out)
	if st != http.StatusOK {
		t.Fatalf("push: %d %s", st, raw)
	}
	return out
}
