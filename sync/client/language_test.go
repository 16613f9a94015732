package client_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestWelshEntryRoundTrip: an officer working in Welsh writes an entry on
// the real device store; it is pushed to a real central system on
// loopback (SQLite and PostgreSQL), the supervisor reads it with each
// text's language, returns it, the device pulls the return and the
// officer (now in English) amends it; the server's second revision keeps
// the Welsh words marked Welsh and the new English words marked English.
func TestWelshEntryRoundTrip(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			base, srv := centraltest.Start(t, backend)
			d := newDevice(t, srv, base)
			ctx := context.Background()
			st := d.store
			if err := st.SetLanguage("cy"); err != nil {
				t.Fatal(err)
			}
			e, err := st.NewEntry(centraltest.TestChecklist, false)
			if err != nil {
				t.Fatal(err)
			}
			child, err := st.AddInstance(e.ID, "child")
			if err != nil {
				t.Fatal(err)
			}
			const words = "Dŵr ar y llawr. Mae Dad yn gweiddi yn y tŷ."
			for _, a := range []struct {
				group, inst, q string
				v              any
			}{
				{"", "", "incident_ref", "INC-CY-1"}, {"", "", "reason", "welfare"}, {"", "", "triage_life", "no"},
				{"child", child, "child_name", "Ŷwain Jones"}, {"child", child, "child_age", 7},
				{"child", child, "child_seen", "yes"}, {"child", child, "child_words", words},
			} {
				if err := st.SetAnswer(e.ID, a.group, a.inst, a.q, forms.Answer{Value: a.v}); err != nil {
					t.Fatal(err)
				}
			}
			cur, err := st.Entry(e.ID)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := d.reg.Get(cur.Checklist)
			res, err := forms.Evaluate(c, cur, forms.Options{})
			if err != nil || !res.Ready {
				t.Fatalf("entry not ready: %v %+v", err, res.Problems)
			}
			if _, err := st.Submit(e.ID, res.Grade, res.Immediate); err != nil {
				t.Fatal(err)
			}
			d.syncUntilDone(ctx, 20*time.Second)

			sup := srv.Client(srv.Login(t, "sergeant1"))
			view := func(rev int) *forms.Entry {
				t.Helper()
				var v api.EntryView
				path := "/v1/review/entries/" + e.ID
				if rev > 0 {
					path += "?revision=" + strconv.Itoa(rev)
				}
				if code, body := sup.Do(t, "GET", path, nil, &v); code != http.StatusOK {
					t.Fatalf("GET %s: %d %s", path, code, body)
				}
				got, err := forms.DecodeEntry(v.Entry)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			got := view(1)
			inst, _ := got.Instance("child", child)
			if got.Language != "cy" || inst.Answers["child_words"].Lang != "cy" || inst.Answers["child_words"].Value != words {
				t.Fatalf("the supervisor reads language %q, words %+v; want cy and the words as written", got.Language, inst.Answers["child_words"])
			}

			code, body := sup.Do(t, "POST", "/v1/review/entries/"+e.ID+"/return", api.ReturnRequest{
				Revision: 1, Text: "Please give the CAD number.",
				Comments: []api.Comment{{Question: "incident_ref", Text: "Use the CAD number."}},
			}, nil)
			if code != http.StatusOK {
				t.Fatalf("return: %d %s", code, body)
			}
			d.syncUntilDone(ctx, 10*time.Second) // pulls the return: revision 2 is a draft
			if err := st.SetLanguage("en"); err != nil {
				t.Fatal(err)
			}
			if err := st.SetAnswer(e.ID, "", "", "incident_ref", forms.Answer{Value: "CAD-7781"}); err != nil {
				t.Fatal(err)
			}
			amended, err := st.Entry(e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if amended.Revision != 2 || amended.Language != "cy" {
				t.Fatalf("amended draft: revision %d language %q, want 2 and cy", amended.Revision, amended.Language)
			}
			if _, err := st.Submit(e.ID, res.Grade, false); err != nil {
				t.Fatal(err)
			}
			d.syncUntilDone(ctx, 10*time.Second)

			got = view(2)
			inst, _ = got.Instance("child", child)
			if got.Revision != 2 || got.Language != "cy" {
				t.Fatalf("server revision %d language %q, want 2 and cy", got.Revision, got.Language)
			}
			if l := inst.Answers["child_words"].Lang; l != "cy" {
				t.Errorf("Welsh words kept from revision 1 are marked %q, want cy", l)
			}
			if a := got.Answers["incident_ref"]; a.Value != "CAD-7781" || a.Lang != "en" {
				t.Errorf("amended answer %+v, want CAD-7781 marked en", a)
			}
			// Stored bytes, not only the view: revision 1's body in the store.
			var rev1 central.Revision
			err = srv.Store.View(ctx, func(tx central.Tx) error {
				var err error
				rev1, err = tx.Revision(ctx, e.ID, 1)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			stored, err := forms.DecodeEntry(rev1.Body)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Language != "cy" {
				t.Errorf("stored revision 1 language %q, want cy", stored.Language)
			}
		})
	}
}
