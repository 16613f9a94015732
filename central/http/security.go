package http

import (
	"net"
	"net/http"
	"time"

	"github.com/safeguard-uk/safeguard/central"
)

// sourceAddr is the caller's address for throttling: the connection's
// peer (a proxy in front must be the only peer; forwarded headers are not
// trusted, as any caller can set them).
func sourceAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// securityRoutes are the administrators' lockout routes.
func securityRoutes() []Route {
	return []Route{
		{Name: "admin_lockouts", Method: "GET", Pattern: "/v1/admin/lockouts", Auth: AuthUser, Roles: admin, handle: (*Server).listLockouts},
		{Name: "admin_lockout_lift", Method: "POST", Pattern: "/v1/admin/lockouts/lift", Auth: AuthUser, Roles: admin, handle: (*Server).liftLockout},
	}
}

// LockoutView is one lockout as the admin routes show it.
type LockoutView struct {
	Kind     string    `json:"kind"`
	Value    string    `json:"value"`
	Until    time.Time `json:"until"`
	Failures int       `json:"failures"`
}

// LiftRequest names the key whose lockout to lift.
type LiftRequest struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

func (s *Server) listLockouts(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	ls, err := s.svc.Lockouts(r.Context(), p)
	if err != nil {
		return err
	}
	out := make([]LockoutView, 0, len(ls))
	for _, l := range ls {
		out = append(out, LockoutView{Kind: l.Kind, Value: l.Value, Until: l.Until, Failures: l.Failures})
	}
	writeJSON(w, http.StatusOK, map[string]any{"lockouts": out})
	return nil
}

func (s *Server) liftLockout(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	var req LiftRequest
	if err := s.json(r, &req); err != nil {
		return err
	}
	if err := s.svc.LiftLockout(r.Context(), p, req.Kind, req.Value); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
