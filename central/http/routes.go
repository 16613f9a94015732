package http

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
)

// Auth is how a route authenticates its caller.
type Auth int

// Authentication kinds.
const (
	AuthNone   Auth = iota // public
	AuthDevice             // Authorization: Bearer <device credential>
	AuthUser               // Authorization: Bearer <session token>, with one of Roles
)

// Route is one API route. The table is exported so the authorisation test
// can try every route with every kind of caller.
type Route struct {
	Name    string
	Method  string
	Pattern string
	Auth    Auth
	// Roles that may call an AuthUser route.
	Roles  []central.Role
	handle func(s *Server, w http.ResponseWriter, r *http.Request, p central.Principal) error
}

var (
	anyone     = []central.Role{central.RoleOfficer, central.RoleSupervisor, central.RoleTrainer, central.RoleAdmin}
	supervisor = []central.Role{central.RoleSupervisor}
	trainer    = []central.Role{central.RoleTrainer}
	admin      = []central.Role{central.RoleAdmin}
	// analysts may export and report: supervisors (their own teams, with
	// personal data on request) and administrators (every team,
	// pseudonymised).
	analysts = []central.Role{central.RoleSupervisor, central.RoleAdmin}
)

// Routes lists every route the server serves.
func Routes() []Route { return (*Server)(nil).routes() }

func (*Server) routes() []Route {
	rs := []Route{
		{Name: "healthz", Method: "GET", Pattern: "/healthz", handle: (*Server).healthz},
		{Name: "readyz", Method: "GET", Pattern: "/readyz", handle: (*Server).readyz},
		{Name: "metrics", Method: "GET", Pattern: "/metrics", handle: (*Server).serveMetrics},

		{Name: "enrol", Method: "POST", Pattern: "/v1/enrol", handle: (*Server).enrol},
		{Name: "device_signin", Method: "POST", Pattern: "/v1/device/signin", Auth: AuthDevice, handle: (*Server).deviceSignIn},
		{Name: "push", Method: "POST", Pattern: "/v1/push", Auth: AuthDevice, handle: (*Server).push},
		{Name: "pull", Method: "GET", Pattern: "/v1/pull", Auth: AuthDevice, handle: (*Server).pull},
		{Name: "attachment_head", Method: "HEAD", Pattern: "/v1/entries/{entry}/attachments/{sha256}", Auth: AuthDevice, handle: (*Server).attachmentStatus},
		{Name: "attachment_get", Method: "GET", Pattern: "/v1/entries/{entry}/attachments/{sha256}", Auth: AuthDevice, handle: (*Server).attachmentStatus},
		{Name: "attachment_append", Method: "PATCH", Pattern: "/v1/entries/{entry}/attachments/{sha256}", Auth: AuthDevice, handle: (*Server).attachmentAppend},

		{Name: "login", Method: "POST", Pattern: "/v1/login", handle: (*Server).login},
		{Name: "logout", Method: "POST", Pattern: "/v1/logout", Auth: AuthUser, Roles: anyone, handle: (*Server).logout},
		{Name: "me", Method: "GET", Pattern: "/v1/me", Auth: AuthUser, Roles: anyone, handle: (*Server).me},

		{Name: "admin_users", Method: "GET", Pattern: "/v1/admin/users", Auth: AuthUser, Roles: admin, handle: (*Server).listUsers},
		{Name: "admin_user_create", Method: "POST", Pattern: "/v1/admin/users", Auth: AuthUser, Roles: admin, handle: (*Server).createUser},
		{Name: "admin_user_disable", Method: "POST", Pattern: "/v1/admin/users/{username}/disable", Auth: AuthUser, Roles: admin, handle: (*Server).disableUser},
		{Name: "admin_team_create", Method: "POST", Pattern: "/v1/admin/teams", Auth: AuthUser, Roles: admin, handle: (*Server).createTeam},
		{Name: "admin_enrolment_code", Method: "POST", Pattern: "/v1/admin/enrolment-codes", Auth: AuthUser, Roles: admin, handle: (*Server).createEnrolmentCode},
		{Name: "admin_devices", Method: "GET", Pattern: "/v1/admin/devices", Auth: AuthUser, Roles: admin, handle: (*Server).listDevices},
		{Name: "admin_device_revoke", Method: "POST", Pattern: "/v1/admin/devices/{id}/revoke", Auth: AuthUser, Roles: admin, handle: (*Server).revokeDevice},
		{Name: "admin_audit_verify", Method: "POST", Pattern: "/v1/admin/audit/verify", Auth: AuthUser, Roles: admin, handle: (*Server).verifyAudit},
		{Name: "admin_deliveries", Method: "GET", Pattern: "/v1/admin/deliveries", Auth: AuthUser, Roles: admin, handle: (*Server).listDeliveries},
		{Name: "admin_deliveries_replay", Method: "POST", Pattern: "/v1/admin/deliveries/replay", Auth: AuthUser, Roles: admin, handle: (*Server).replayDeliveries},
	}
	rs = append(rs, securityRoutes()...)
	rs = append(rs,
		Route{Name: "export_csv", Method: "GET", Pattern: "/v1/exports/entries.csv", Auth: AuthUser, Roles: analysts, handle: export(central.ExportCSV)},
		Route{Name: "export_json", Method: "GET", Pattern: "/v1/exports/entries.json", Auth: AuthUser, Roles: analysts, handle: export(central.ExportJSON)},
		Route{Name: "report_quality", Method: "GET", Pattern: "/v1/reports/quality", Auth: AuthUser, Roles: analysts, handle: (*Server).qualityReport},
		Route{Name: "report_quality_chart", Method: "GET", Pattern: "/v1/reports/quality/charts/{chart}", Auth: AuthUser, Roles: analysts, handle: (*Server).qualityChart},
	)
	// The person index: live entries only, supervisors of their teams.
	rs = append(rs,
		Route{Name: "review_network", Method: "GET", Pattern: "/v1/review/entries/{entry}/network", Auth: AuthUser, Roles: supervisor, handle: (*Server).network},
		Route{Name: "review_alerts", Method: "GET", Pattern: "/v1/review/alerts", Auth: AuthUser, Roles: supervisor, handle: (*Server).personAlerts},
		Route{Name: "review_matches", Method: "GET", Pattern: "/v1/review/matches", Auth: AuthUser, Roles: supervisor, handle: (*Server).possibleMatches},
		Route{Name: "review_match_confirm", Method: "POST", Pattern: "/v1/review/matches/{id}/confirm", Auth: AuthUser, Roles: supervisor, handle: decideMatch(true)},
		Route{Name: "review_match_reject", Method: "POST", Pattern: "/v1/review/matches/{id}/reject", Auth: AuthUser, Roles: supervisor, handle: decideMatch(false)},
		Route{Name: "admin_people_unmerge", Method: "POST", Pattern: "/v1/admin/people/merges/{id}/unmerge", Auth: AuthUser, Roles: admin, handle: (*Server).unmerge},
	)
	rs = append(rs, trainingRoutes()...)
	// The reviewers' routes, once per namespace: supervisors on live
	// entries, trainers on training entries.
	for _, ns := range []struct {
		prefix string
		ns     central.Namespace
		roles  []central.Role
	}{{"review", central.Live, supervisor}, {"training", central.Training, trainer}} {
		with := func(f func(*Server, http.ResponseWriter, *http.Request, central.Principal, central.Namespace) error) func(*Server, http.ResponseWriter, *http.Request, central.Principal) error {
			return func(s *Server, w http.ResponseWriter, r *http.Request, p central.Principal) error {
				return f(s, w, r, p, ns.ns)
			}
		}
		base := "/v1/" + ns.prefix
		rs = append(rs,
			Route{Name: ns.prefix + "_queue", Method: "GET", Pattern: base + "/queue", Auth: AuthUser, Roles: ns.roles, handle: with((*Server).queue)},
			Route{Name: ns.prefix + "_open", Method: "GET", Pattern: base + "/entries/{entry}", Auth: AuthUser, Roles: ns.roles, handle: with((*Server).open)},
			Route{Name: ns.prefix + "_attachment", Method: "GET", Pattern: base + "/entries/{entry}/attachments/{sha256}", Auth: AuthUser, Roles: ns.roles, handle: with((*Server).readAttachment)},
			Route{Name: ns.prefix + "_approve", Method: "POST", Pattern: base + "/entries/{entry}/approve", Auth: AuthUser, Roles: ns.roles, handle: with((*Server).approve)},
			Route{Name: ns.prefix + "_return", Method: "POST", Pattern: base + "/entries/{entry}/return", Auth: AuthUser, Roles: ns.roles, handle: with((*Server).returnEntry)},
			Route{Name: ns.prefix + "_grade", Method: "POST", Pattern: base + "/entries/{entry}/grade", Auth: AuthUser, Roles: ns.roles, handle: with((*Server).grade)},
			Route{Name: ns.prefix + "_referral_pdf", Method: "GET", Pattern: base + "/entries/{entry}/referral.pdf", Auth: AuthUser, Roles: ns.roles, handle: with(referral(central.ReferralPDF))},
			Route{Name: ns.prefix + "_referral_json", Method: "GET", Pattern: base + "/entries/{entry}/referral.json", Auth: AuthUser, Roles: ns.roles, handle: with(referral(central.ReferralJSON))},
		)
	}
	return rs
}

// ---- health

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ central.Principal) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ central.Principal) error {
	if s.draining.Load() {
		return central.Errorf(central.EUNAVAILABLE, "shutting down")
	}
	if err := s.svc.Ready(r.Context()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

// ---- devices

func (s *Server) json(r *http.Request, v any) error {
	return readJSON(r, v, s.opt.MaxJSONBytes, s.opt.MaxJSONBytes)
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request, _ central.Principal) error {
	var req api.EnrolRequest
	if err := s.json(r, &req); err != nil {
		return err
	}
	resp, err := s.svc.Enrol(r.Context(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, resp)
	return nil
}

func (s *Server) deviceSignIn(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	return jsonCall(s, w, r, func(req api.SignInRequest) (*api.SignInResponse, error) {
		return s.svc.DeviceSignIn(r.Context(), p, req)
	})
}

func (s *Server) push(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	var req api.PushRequest
	if err := readJSON(r, &req, s.opt.MaxPushBytes, s.opt.MaxDecodedBytes); err != nil {
		return err
	}
	resp, err := s.svc.Push(r.Context(), p, &req)
	if err != nil {
		return err
	}
	for _, res := range resp.Results {
		s.metrics.ingested(res.Status)
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	q := r.URL.Query()
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return central.Errorf(central.EINVALID, "limit must be a positive number")
		}
		limit = n
	}
	resp, err := s.svc.Pull(r.Context(), p, q.Get("cursor"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func validDigest(d string) bool {
	if len(d) != 64 {
		return false
	}
	for _, c := range d {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func attachmentIDs(r *http.Request) (string, string, error) {
	entry, digest := r.PathValue("entry"), r.PathValue("sha256")
	if !validDigest(digest) {
		return "", "", central.Errorf(central.EINVALID, "the attachment is named by its lower-case hex SHA-256")
	}
	if len(entry) == 0 || len(entry) > 64 {
		return "", "", central.Errorf(central.ENOTFOUND, "no such entry")
	}
	return entry, digest, nil
}

func setOffsetHeaders(w http.ResponseWriter, st *api.AttachmentStatus) {
	w.Header().Set(api.HeaderOffset, strconv.FormatInt(st.Offset, 10))
	w.Header().Set(api.HeaderLength, strconv.FormatInt(st.Size, 10))
}

func (s *Server) attachmentStatus(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	entry, digest, err := attachmentIDs(r)
	if err != nil {
		return err
	}
	st, err := s.svc.AttachmentStatus(r.Context(), p, entry, digest)
	if err != nil {
		return err
	}
	setOffsetHeaders(w, st)
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) attachmentAppend(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	entry, digest, err := attachmentIDs(r)
	if err != nil {
		return err
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != api.MediaTypeChunk {
		return central.Errorf(central.EMEDIATYPE, "send Content-Type: %s", api.MediaTypeChunk)
	}
	if enc := r.Header.Get("Content-Encoding"); enc != "" && enc != "identity" {
		return central.Errorf(central.EMEDIATYPE, "attachment chunks are sent as they are (no Content-Encoding)")
	}
	off, err := strconv.ParseInt(r.Header.Get(api.HeaderOffset), 10, 64)
	if err != nil || off < 0 {
		return central.Errorf(central.EINVALID, "send the %s header: the stored offset the chunk starts at", api.HeaderOffset)
	}
	if r.ContentLength > s.opt.MaxChunkBytes {
		return central.Errorf(central.ETOOLARGE, "a chunk is at most %d bytes", s.opt.MaxChunkBytes)
	}
	body := &limitReader{r: r.Body, n: s.opt.MaxChunkBytes, what: fmt.Sprintf("a chunk is at most %d bytes", s.opt.MaxChunkBytes)}
	st, err := s.svc.AppendAttachment(r.Context(), p, entry, digest, off, body)
	if err != nil {
		return err
	}
	setOffsetHeaders(w, st)
	writeJSON(w, http.StatusOK, st)
	return nil
}

// ---- people

func (s *Server) login(w http.ResponseWriter, r *http.Request, _ central.Principal) error {
	var req api.LoginRequest
	if err := s.json(r, &req); err != nil {
		return err
	}
	resp, err := s.svc.Login(r.Context(), req.Username, req.Password)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	tok, _ := bearer(r)
	if err := s.svc.Logout(r.Context(), p, tok); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	u, err := s.svc.Me(p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// ---- review

func queryLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, central.Errorf(central.EINVALID, "limit must be a positive number")
	}
	return n, nil
}

func (s *Server) network(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	v, err := s.svc.Network(r.Context(), p, r.PathValue("entry"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) personAlerts(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	v, err := s.svc.PersonAlerts(r.Context(), p, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) possibleMatches(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	v, err := s.svc.PossibleMatches(r.Context(), p, r.URL.Query().Get("state"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) unmerge(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	var req api.MatchDecisionRequest
	if err := s.json(r, &req); err != nil {
		return err
	}
	v, err := s.svc.Unmerge(r.Context(), p, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func decideMatch(confirm bool) func(*Server, http.ResponseWriter, *http.Request, central.Principal) error {
	return func(s *Server, w http.ResponseWriter, r *http.Request, p central.Principal) error {
		var req api.MatchDecisionRequest
		if err := s.json(r, &req); err != nil {
			return err
		}
		v, err := s.svc.DecideMatch(r.Context(), p, r.PathValue("id"), confirm, req)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	}
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request, p central.Principal, ns central.Namespace) error {
	q := r.URL.Query()
	overdue := false
	switch q.Get("overdue") {
	case "", "false":
	case "true":
		overdue = true
	default:
		return central.Errorf(central.EINVALID, "overdue must be true or false")
	}
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return central.Errorf(central.EINVALID, "limit must be a positive number")
		}
		limit = n
	}
	resp, err := s.svc.Queue(r.Context(), p, ns, overdue, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) open(w http.ResponseWriter, r *http.Request, p central.Principal, ns central.Namespace) error {
	rev := 0
	if v := r.URL.Query().Get("revision"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return central.Errorf(central.EINVALID, "revision must be a positive number")
		}
		rev = n
	}
	v, err := s.svc.Open(r.Context(), p, ns, r.PathValue("entry"), rev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// safeMediaTypes are served as themselves; anything else as an opaque
// download, so a crafted "text/html" photo cannot run in a browser.
var safeMediaTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/heic": true, "image/webp": true, "video/mp4": true}

func (s *Server) readAttachment(w http.ResponseWriter, r *http.Request, p central.Principal, ns central.Namespace) error {
	entry, digest, err := attachmentIDs(r)
	if err != nil {
		return err
	}
	return s.svc.ReadAttachment(r.Context(), p, ns, entry, digest, func(a central.Attachment) io.Writer {
		mt := strings.ToLower(a.MediaType)
		if !safeMediaTypes[mt] {
			mt = "application/octet-stream"
		}
		w.Header().Set("Content-Type", mt)
		w.Header().Set("Content-Length", strconv.FormatInt(a.Size, 10))
		w.Header().Set("Content-Disposition", "attachment")
		w.WriteHeader(http.StatusOK)
		return w
	})
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request, p central.Principal, ns central.Namespace) error {
	return jsonCall(s, w, r, func(req api.ApproveRequest) (*api.DecisionResponse, error) {
		return s.svc.Approve(r.Context(), p, ns, r.PathValue("entry"), req)
	})
}

func (s *Server) returnEntry(w http.ResponseWriter, r *http.Request, p central.Principal, ns central.Namespace) error {
	return jsonCall(s, w, r, func(req api.ReturnRequest) (*api.DecisionResponse, error) {
		return s.svc.Return(r.Context(), p, ns, r.PathValue("entry"), req)
	})
}

func (s *Server) grade(w http.ResponseWriter, r *http.Request, p central.Principal, ns central.Namespace) error {
	return jsonCall(s, w, r, func(req api.GradeRequest) (*api.DecisionResponse, error) {
		return s.svc.SetGrade(r.Context(), p, ns, r.PathValue("entry"), req)
	})
}

// ---- referrals

// referral serves an entry's referral document (audited) as JSON or PDF.
func referral(format string) func(*Server, http.ResponseWriter, *http.Request, central.Principal, central.Namespace) error {
	return func(s *Server, w http.ResponseWriter, r *http.Request, p central.Principal, ns central.Namespace) error {
		return s.svc.Referral(r.Context(), p, ns, r.PathValue("entry"), format, func(receipt string) io.Writer {
			name := "referral-" + safeName(receipt) + "." + format
			if format == central.ReferralPDF {
				w.Header().Set("Content-Type", "application/pdf")
				w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
			} else {
				w.Header().Set("Content-Type", api.MediaTypeJSON)
				w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
			}
			w.WriteHeader(http.StatusOK)
			return w
		})
	}
}

// safeName keeps letters, digits, '-' and '_' of s for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, s)
}

func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	q := r.URL.Query()
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return central.Errorf(central.EINVALID, "limit must be a positive number")
		}
		limit = n
	}
	list, err := s.svc.ListDeliveries(r.Context(), p, q.Get("state"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func (s *Server) replayDeliveries(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	var req api.ReplayRequest
	if err := s.json(r, &req); err != nil {
		return err
	}
	resp, err := s.svc.ReplayDeliveries(r.Context(), p, req.IDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// ---- exports and reports

// query reads the from, to, team and grade parameters.
func query(r *http.Request) central.Query {
	q := r.URL.Query()
	return central.Query{From: q.Get("from"), To: q.Get("to"), Team: q.Get("team"), Grade: q.Get("grade")}
}

// export streams the entries export. An error once rows are flowing
// aborts the response, so a client never takes a cut-short export for a
// whole one.
func export(format string) func(*Server, http.ResponseWriter, *http.Request, central.Principal) error {
	return func(s *Server, w http.ResponseWriter, r *http.Request, p central.Principal) error {
		personal := false
		switch r.URL.Query().Get("personal") {
		case "", "false":
		case "true":
			personal = true
		default:
			return central.Errorf(central.EINVALID, "personal must be true or false")
		}
		started := false
		err := s.svc.Export(r.Context(), p, query(r), format, personal, func(personal bool) io.Writer {
			started = true
			ct := "text/csv; charset=utf-8"
			if format == central.ExportJSON {
				ct = api.MediaTypeJSON
			}
			kind := "pseudonymised"
			if personal {
				kind = "personal"
			}
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Content-Disposition", `attachment; filename="safeguard-entries-`+kind+`.`+format+`"`)
			w.Header().Set("Safeguard-Export", kind)
			w.WriteHeader(http.StatusOK)
			return w
		})
		if err != nil && started {
			s.log.Error("export failed mid-stream", "err", err)
			panic(http.ErrAbortHandler)
		}
		return err
	}
}

func (s *Server) qualityReport(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	res, err := s.svc.Quality(r.Context(), p, query(r))
	if err != nil {
		return err
	}
	resp := api.QualityResponse{Generated: res.Generated, Filter: res.Filter, Report: (*api.QualityReport)(res.Report),
		Charts: []api.ChartLink{}}
	suffix := ""
	if r.URL.RawQuery != "" {
		suffix = "?" + r.URL.RawQuery
	}
	for i, ch := range res.Report.Charts() {
		resp.Charts = append(resp.Charts, api.ChartLink{Number: i + 1, ID: ch.ID, Title: ch.Title,
			URL: fmt.Sprintf("/v1/reports/quality/charts/%d.png%s", i+1, suffix)})
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) qualityChart(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	name, ok := strings.CutSuffix(r.PathValue("chart"), ".png")
	if !ok || name == "" {
		return central.Errorf(central.ENOTFOUND, "charts are named N.png")
	}
	var buf bytes.Buffer
	if err := s.svc.QualityChart(r.Context(), p, query(r), name, &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	buf.WriteTo(w)
	return nil
}

// ---- administration

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	us, err := s.svc.ListUsers(r.Context(), p)
	if err != nil {
		return err
	}
	if us == nil {
		us = []api.User{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": us})
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	var req api.UserRequest
	if err := s.json(r, &req); err != nil {
		return err
	}
	u, err := s.svc.CreateUser(r.Context(), p, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	if err := s.svc.DisableUser(r.Context(), p, r.PathValue("username")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) createTeam(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	var req api.TeamRequest
	if err := s.json(r, &req); err != nil {
		return err
	}
	t, err := s.svc.CreateTeam(r.Context(), p, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, t)
	return nil
}

func (s *Server) createEnrolmentCode(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	var req api.EnrolmentCodeRequest
	if err := s.json(r, &req); err != nil {
		return err
	}
	c, err := s.svc.CreateEnrolmentCode(r.Context(), p, req, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	ds, err := s.svc.ListDevices(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ds)
	return nil
}

func (s *Server) revokeDevice(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	var req api.RevokeRequest
	if err := s.json(r, &req); err != nil {
		return err
	}
	if err := s.svc.RevokeDevice(r.Context(), p, r.PathValue("id"), req.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	rep, err := s.svc.VerifyAudit(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// jsonCall decodes the request body into a Req, runs call and writes its
// answer as JSON with status 200: the shape of every decision route.
func jsonCall[Req, Resp any](s *Server, w http.ResponseWriter, r *http.Request, call func(Req) (Resp, error)) error {
	var req Req
	if err := s.json(r, &req); err != nil {
		return err
	}
	resp, err := call(req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
