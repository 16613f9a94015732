package http_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	centralhttp "github.com/safeguard-uk/safeguard/central/http"
)

// caller is one kind of client the matrix tries.
type caller struct {
	name string
	role central.Role // for people
	// token returns a fresh bearer token ("" for none).
	token func(t *testing.T) string
	kind  centralhttp.Auth
}

// session makes a session for a demo user directly in the store (officers
// cannot sign in through /v1/login, but the matrix must prove a stolen
// officer session would still be refused).
func session(t *testing.T, srv *centraltest.Server, username string) string {
	t.Helper()
	tok := "test-" + strconv.FormatInt(time.Now().UnixNano(), 36) + username
	id := srv.UserID(t, username)
	err := srv.Store.Update(context.Background(), func(tx central.Tx) error {
		return tx.CreateSession(context.Background(), central.Session{TokenHash: central.TokenHash(tok), UserID: id,
			Created: srv.Clock.Now(), Expires: srv.Clock.Now().Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestAuthorisationMatrix tries every route with every kind of caller:
// nobody, a device, a revoked device, and a session of each role. A caller
// the route does not admit gets 401 (wrong kind of credential) or 403
// (wrong role); one it admits gets neither, and never a 5xx.
func TestAuthorisationMatrix(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite)
	dev := srv.Enrol(t, "")
	revoked := srv.Enrol(t, "")
	if err := srv.Service.RevokeDevice(context.Background(), central.System("test"), revoked.DeviceID, "lost"); err != nil {
		t.Fatal(err)
	}
	callers := []caller{
		{name: "anonymous", token: func(*testing.T) string { return "" }},
		{name: "device", kind: centralhttp.AuthDevice, token: func(*testing.T) string { return dev.Credential }},
		{name: "revoked-device", token: func(*testing.T) string { return revoked.Credential }},
		{name: "officer", kind: centralhttp.AuthUser, role: central.RoleOfficer, token: func(t *testing.T) string { return session(t, srv, "officer1") }},
		{name: "supervisor", kind: centralhttp.AuthUser, role: central.RoleSupervisor, token: func(t *testing.T) string { return session(t, srv, "sergeant1") }},
		{name: "trainer", kind: centralhttp.AuthUser, role: central.RoleTrainer, token: func(t *testing.T) string { return session(t, srv, "trainer1") }},
		{name: "admin", kind: centralhttp.AuthUser, role: central.RoleAdmin, token: func(t *testing.T) string { return session(t, srv, "admin") }},
	}
	client := validatingClient(t)
	fill := strings.NewReplacer("{entry}", "0b0f6e4e-8f7e-4b53-9f53-6f0b8f0e0a11", "{sha256}", strings.Repeat("0", 64),
		"{username}", "nobody", "{id}", "no-such-device", "{chart}", "1.png")
	for _, rt := range centralhttp.Routes() {
		for _, c := range callers {
			t.Run(rt.Name+"/"+c.name, func(t *testing.T) {
				// A well-formed body, so an admitted call is judged by the
				// gate, not refused for its content.
				body := strings.NewReader("")
				if rt.Method == "POST" || rt.Method == "PATCH" {
					body = strings.NewReader("{}")
				}
				switch rt.Name {
				case "login":
					body = strings.NewReader(`{"username":"sergeant1","password":"` + central.DemoPassword + `"}`)
				case "device_signin":
					body = strings.NewReader(`{"username":"officer1","password":"` + central.DemoPassword + `"}`)
				case "push":
					body = strings.NewReader(`{"deviceId":"` + dev.DeviceID + `","items":[]}`)
				case "enrol":
					code, err := srv.Service.CreateEnrolmentCode(context.Background(), central.System("test"), api.EnrolmentCodeRequest{Team: central.DemoTeamA}, "")
					if err != nil {
						t.Fatal(err)
					}
					body = strings.NewReader(`{"code":"` + code.Code + `","deviceName":"matrix"}`)
				}
				req, _ := http.NewRequest(rt.Method, srv.URL+fill.Replace(rt.Pattern), body)
				req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
				if rt.Method == "POST" {
					req.Header.Set("Content-Type", api.MediaTypeJSON)
				}
				if rt.Method == "PATCH" {
					req.Header.Set("Content-Type", api.MediaTypeChunk)
					req.Header.Set(api.HeaderOffset, "0")
				}
				if tok := c.token(t); tok != "" {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				st := resp.StatusCode
				if st >= 500 {
					t.Fatalf("%s %s as %s: %d", rt.Method, rt.Pattern, c.name, st)
				}
				allowed := rt.Auth == centralhttp.AuthNone ||
					(rt.Auth == centralhttp.AuthDevice && c.kind == centralhttp.AuthDevice) ||
					(rt.Auth == centralhttp.AuthUser && c.kind == centralhttp.AuthUser && hasRole(rt.Roles, c.role))
				switch {
				case allowed && (st == 401 || st == 403):
					t.Errorf("%s %s as %s: %d, want admitted", rt.Method, rt.Pattern, c.name, st)
				case !allowed && rt.Auth == centralhttp.AuthUser && c.kind == centralhttp.AuthUser && st != 403:
					t.Errorf("%s %s as %s: %d, want 403", rt.Method, rt.Pattern, c.name, st)
				case !allowed && !(rt.Auth == centralhttp.AuthUser && c.kind == centralhttp.AuthUser) && st != 401:
					t.Errorf("%s %s as %s: %d, want 401", rt.Method, rt.Pattern, c.name, st)
				}
			})
		}
	}
}

func hasRole(roles []central.Role, r central.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}
