package http_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
)

// analysisData is a small force: team A has a real entry approved after
// two hours, a real entry returned with a comment on ethnicity (recorded
// as "Not known"), and a test-checklist entry left past its deadline; team
// B has one real entry approved; a training entry exists too.
type analysisData struct {
	srv                            *centraltest.Server
	approvedA, returnedA, overdueA *forms.Entry
	approvedB, training            *forms.Entry
	day1, day2                     time.Time
}

func seedAnalysis(t *testing.T, backend string) *analysisData {
	t.Helper()
	_, srv := startValidated(t, backend)
	d := &analysisData{srv: srv, day1: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), day2: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)}
	srv.Clock.Set(d.day1)
	devA, devB := srv.Enrol(t, ""), srv.Enrol(t, central.DemoTeamB)
	o1, o3 := srv.UserID(t, "officer1"), srv.UserID(t, "officer3")
	d.approvedA = centraltest.Example(t, o1)
	d.returnedA = centraltest.Example(t, o1)
	d.returnedA.Groups["child"][0].Answers["child_ethnicity_self"] = forms.Answer{NotKnown: true, Reason: "carer left before asked"}
	d.returnedA.Groups["child"][1].Answers["child_name"] = forms.Answer{Value: "=HYPERLINK(\"http://x\")"}
	d.overdueA = centraltest.NewEntry(o1, 1)
	d.training = centraltest.Example(t, o1)
	d.training.Training = true
	for _, r := range srv.Push(t, devA, centraltest.Item(d.approvedA, ""), centraltest.Item(d.returnedA, ""), centraltest.Item(d.overdueA, ""),
		centraltest.Item(d.training, "")).Results {
		if r.Status != api.StatusAccepted {
			t.Fatalf("push: %+v", r)
		}
	}
	srv.Clock.Advance(2 * time.Hour)
	sup := srv.Client(srv.Login(t, "sergeant1"))
	if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+d.approvedA.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
		t.Fatalf("approve: %d %s", st, raw)
	}
	ret := api.ReturnRequest{Revision: 1, Comments: []api.Comment{{Question: "child[" + d.returnedA.Groups["child"][0].ID + "].child_ethnicity_self",
		Text: "Ask Mia's mother for her ethnicity"}}}
	if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+d.returnedA.ID+"/return", ret, nil); st != 200 {
		t.Fatalf("return: %d %s", st, raw)
	}
	srv.Clock.Set(d.day2)
	d.approvedB = centraltest.Example(t, o3)
	if r := srv.Push(t, devB, centraltest.Item(d.approvedB, "")).Results[0]; r.Status != api.StatusAccepted {
		t.Fatalf("push B: %+v", r)
	}
	srv.Clock.Advance(30 * time.Minute)
	if st, raw := srv.Client(srv.Login(t, "sergeant2")).Do(t, "POST", "/v1/review/entries/"+d.approvedB.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
		t.Fatalf("approve B: %d %s", st, raw)
	}
	return d
}

func readCSV(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("csv: %v\n%.300s", err, b)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestExports: supervisors export their own teams, pseudonymised unless
// they ask for personal data; administrators export every team and never
// get personal data; filters by date, team and grade; every export is
// audited, a personal one per entry; training entries never appear.
func TestExports(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			d := seedAnalysis(t, backend)
			srv := d.srv
			sup, admin := srv.Login(t, "sergeant1"), srv.Login(t, "admin")

			st, ct, body := get(t, validatingClient(t), srv.URL, sup, "/v1/exports/entries.csv")
			if st != 200 || !strings.HasPrefix(ct, "text/csv") {
				t.Fatalf("csv: %d %s %s", st, ct, body)
			}
			header, _ := csv.NewReader(bytes.NewReader(body)).Read()
			if !slices.Equal(header, central.ExportColumns) {
				t.Errorf("header %v", header)
			}
			rows := readCSV(t, body)
			if len(rows) != 5 { // 2 + 2 children of the real entries, 1 of the test entry
				t.Fatalf("%d rows:\n%s", len(rows), body)
			}
			for _, leak := range []string{"Mia", "Fairweather", "headphones", "Larch Close", d.approvedA.ID, "HYPERLINK"} {
				if bytes.Contains(body, []byte(leak)) {
					t.Errorf("the pseudonymised export contains %q", leak)
				}
			}
			byEntry := map[string][]map[string]string{}
			for _, r := range rows {
				byEntry[r["entry"]] = append(byEntry[r["entry"]], r)
				if r["team"] != central.DemoTeamA || !strings.HasPrefix(r["entry"], "E") || len(r["entry"]) != 17 || !strings.HasPrefix(r["officer"], "O") {
					t.Errorf("row %v", r)
				}
			}
			if len(byEntry) != 3 {
				t.Errorf("%d entries", len(byEntry))
			}
			var approved, returned, overdue map[string]string
			for _, rs := range byEntry {
				switch r := rs[0]; {
				case r["status"] == "approved":
					approved = r
				case r["status"] == "returned":
					returned = r
				default:
					overdue = r
				}
			}
			if approved == nil || returned == nil || overdue == nil {
				t.Fatalf("rows by status: %v", byEntry)
			}
			if approved["review_minutes"] != "120" || approved["delivery"] != "pending" || approved["ethnicity_self"] != "W1" || approved["sen"] != "K" ||
				approved["seen"] != "yes" || approved["spoken_alone"] != "yes" || approved["voice_recorded"] != "yes" || approved["overdue"] != "no" ||
				approved["age_years"] == "" || approved["child_number"] != "1" || approved["children"] != "2" {
				t.Errorf("approved row: %v", approved)
			}
			if returned["returns"] != "1" || returned["ethnicity_self"] != "not_known" || returned["return_reasons"] != "Ethnicity, as the child or carer describes it" ||
				returned["delivery"] != "" {
				t.Errorf("returned row: %v", returned)
			}
			if overdue["overdue"] != "yes" || overdue["status"] != "received" || overdue["reviewed"] != "" || overdue["age_years"] == "" {
				t.Errorf("overdue row: %v", overdue)
			}

			// Personal, for the team's supervisor.
			resp, pbody := fetchRaw(t, srv, sup, "/v1/exports/entries.csv?personal=true")
			if resp.StatusCode != 200 || resp.Header.Get("Safeguard-Export") != "personal" {
				t.Fatalf("personal: %d %s", resp.StatusCode, pbody)
			}
			prow := readCSV(t, pbody)
			var names []string
			for _, r := range prow {
				names = append(names, r["child_name"])
				if r["child_name"] == "'=HYPERLINK(\"http://x\")" && r["entry_id"] != d.returnedA.ID {
					t.Errorf("entry id %q", r["entry_id"])
				}
			}
			if !slices.Contains(names, "Mia Fairweather") || !slices.Contains(names, "'=HYPERLINK(\"http://x\")") {
				t.Errorf("personal names %q (a formula must be defused)", names)
			}
			if !bytes.Contains(pbody, []byte("headphones")) || !bytes.Contains(pbody, []byte("Larch Close")) {
				t.Error("the personal export lacks the words or the address")
			}

			// Administrators: every team, pseudonymised, the same pseudonyms.
			var exp api.Export
			st, _, jb := get(t, validatingClient(t), srv.URL, admin, "/v1/exports/entries.json")
			if st != 200 || json.Unmarshal(jb, &exp) != nil || exp.Personal || len(exp.Rows) != 7 || len(exp.Filter.Teams) != 2 {
				t.Fatalf("admin json: %d personal=%v rows=%d teams=%v", st, exp.Personal, len(exp.Rows), exp.Filter.Teams)
			}
			found := false
			for _, r := range exp.Rows {
				if r.Entry == approved["entry"] && r.Child == approved["child"] {
					found = true
				}
				if r.ChildName != "" || r.ChildWords != "" || r.EntryID != "" {
					t.Errorf("personal data in an admin export: %+v", r)
				}
			}
			if !found {
				t.Error("pseudonyms differ between exports")
			}
			if st, _, _ := get(t, validatingClient(t), srv.URL, admin, "/v1/exports/entries.json?personal=true"); st != 403 {
				t.Errorf("admin personal export: %d", st)
			}

			// Filters.
			count := func(token, q string) int {
				t.Helper()
				var e api.Export
				st, _, b := get(t, validatingClient(t), srv.URL, token, "/v1/exports/entries.json"+q)
				if st != 200 || json.Unmarshal(b, &e) != nil {
					t.Fatalf("%s: %d %s", q, st, b)
				}
				return len(e.Rows)
			}
			for _, c := range []struct {
				q    string
				want int
			}{
				{"?team=team-b", 2}, {"?from=2026-04-01", 2}, {"?to=2026-03-10", 5}, {"?from=2026-03-10&to=2026-03-10", 5},
				{"?from=2026-03-11&to=2026-04-01", 0}, {"?grade=standard", 1},
			} {
				if n := count(admin, c.q); n != c.want {
					t.Errorf("admin %s: %d rows, want %d", c.q, n, c.want)
				}
			}
			for q, want := range map[string]int{"?team=team-b": 403, "?from=10/03/2026": 400, "?grade=severe": 400, "?from=2026-04-02&to=2026-04-01": 400,
				"?personal=yes": 400} {
				if st, _, _ := get(t, validatingClient(t), srv.URL, sup, "/v1/exports/entries.csv"+q); st != want {
					t.Errorf("supervisor %s: %d, want %d", q, st, want)
				}
			}
			if st, _, _ := get(t, validatingClient(t), srv.URL, admin, "/v1/exports/entries.csv?team=nope"); st != 404 {
				t.Errorf("unknown team: %d", st)
			}

			// Audit: one record per export; one per entry for the personal one.
			exports, perEntry := 0, map[string]int{}
			srv.Store.View(context.Background(), func(tx central.Tx) error {
				return tx.ScanAudit(context.Background(), func(r central.AuditRecord) error {
					switch r.Action {
					case "export.entries":
						exports++
					case "entry.export":
						perEntry[r.EntryID]++
					}
					return nil
				})
			})
			if exports != 9 || len(perEntry) != 3 || perEntry[d.training.ID] != 0 || perEntry[d.approvedA.ID] != 1 {
				t.Errorf("audit: %d exports, per entry %v", exports, perEntry)
			}
		})
	}
}

// fetchRaw GETs path and returns the response with headers.
func fetchRaw(t *testing.T, srv *centraltest.Server, token, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := validatingClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp, buf.Bytes()
}

// TestExportPages exports more entries than one read page holds, on both
// backends: every entry once, in order of arrival.
func TestExportPages(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := startValidated(t, backend)
			dev := srv.Enrol(t, "")
			o1 := srv.UserID(t, "officer1")
			const n = 450
			for i := 0; i < n; i += 100 {
				var items []api.PushItem
				for j := i; j < min(n, i+100); j++ {
					items = append(items, centraltest.Item(centraltest.NewEntry(o1, 1), ""))
				}
				srv.Push(t, dev, items...)
				srv.Clock.Advance(time.Second)
			}
			var e api.Export
			st, _, b := get(t, validatingClient(t), srv.URL, srv.Login(t, "sergeant1"), "/v1/exports/entries.json")
			if st != 200 || json.Unmarshal(b, &e) != nil || len(e.Rows) != n {
				t.Fatalf("%d, %d rows", st, len(e.Rows))
			}
			seen := map[string]bool{}
			for i, r := range e.Rows {
				if seen[r.Entry] || (i > 0 && r.Submitted.Before(e.Rows[i-1].Submitted)) {
					t.Fatalf("row %d repeated or out of order", i)
				}
				seen[r.Entry] = true
			}
		})
	}
}

// TestQualityReport: the report counts what the entries record, per team;
// supervisors see their teams, administrators all; charts come as PNGs.
func TestQualityReport(t *testing.T) {
	d := seedAnalysis(t, centraltest.SQLite)
	srv := d.srv
	sup, admin := srv.Login(t, "sergeant1"), srv.Login(t, "admin")
	var rep api.QualityResponse
	st, _, b := get(t, validatingClient(t), srv.URL, sup, "/v1/reports/quality")
	if st != 200 || json.Unmarshal(b, &rep) != nil {
		t.Fatalf("%d %s", st, b)
	}
	o := rep.Report.Overall
	// Team A: 3 live entries, 5 children; ethnicity recorded for 3 (the
	// "Not known" and the test checklist's child are not).
	if o.Entries != 3 || o.Children.Total != 5 || o.Children.Ethnicity.Count != 3 || o.Returned.Count != 1 || o.Overdue.Count != 1 ||
		rep.Report.TrainingExcluded != 0 || len(rep.Report.ByTeam) != 1 || rep.Report.ByTeam[0].Team != central.DemoTeamA {
		t.Errorf("overall %+v; by team %d", o, len(rep.Report.ByTeam))
	}
	if len(o.ReturnReasons) != 1 || o.ReturnReasons[0].Reason != "Ethnicity, as the child or carer describes it" {
		t.Errorf("reasons %+v", o.ReturnReasons)
	}
	reviewed := 0
	for _, rt := range o.Review {
		reviewed += rt.Reviewed
	}
	if reviewed != 2 {
		t.Errorf("review times %+v", o.Review)
	}
	if len(rep.Charts) < 5 || rep.Charts[0].Number != 1 || rep.Charts[0].URL != "/v1/reports/quality/charts/1.png" {
		t.Errorf("charts %+v", rep.Charts)
	}
	var all api.QualityResponse
	if st, _, b := get(t, validatingClient(t), srv.URL, admin, "/v1/reports/quality?from=2026-03-01"); st != 200 || json.Unmarshal(b, &all) != nil ||
		all.Report.Overall.Entries != 4 || len(all.Report.ByTeam) != 2 || len(all.Report.ByMonth) != 2 {
		t.Fatalf("admin: %d %+v", st, all.Report)
	}
	if !strings.Contains(all.Charts[0].URL, "?from=2026-03-01") {
		t.Errorf("chart link loses the filter: %s", all.Charts[0].URL)
	}
	for _, name := range []string{"1.png", "details.png", rep.Charts[len(rep.Charts)-1].ID + ".png"} {
		resp, png1 := fetchRaw(t, srv, sup, "/v1/reports/quality/charts/"+name)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("%s: %d %s", name, resp.StatusCode, png1)
		}
		img, err := png.Decode(bytes.NewReader(png1))
		if err != nil || img.Bounds().Dx() < 200 {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, want := range map[string]int{"99.png": 404, "1.gif": 404} {
		if st, _, _ := get(t, validatingClient(t), srv.URL, sup, "/v1/reports/quality/charts/"+name); st != want {
			t.Errorf("%s: %d, want %d", name, st, want)
		}
	}
	if st, _, _ := get(t, validatingClient(t), srv.URL, sup, "/v1/reports/quality?team=team-b"); st != 403 {
		t.Errorf("another team's report: %d", st)
	}
	if bytes.Contains(b, []byte("Mia")) || bytes.Contains(b, []byte("mother")) {
		t.Error("the report carries child data or the supervisor's words")
	}
}
