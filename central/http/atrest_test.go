package http_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/central/seal"
	"github.com/safeguard-uk/safeguard/forms"
)

// What the at-rest test plants through the API and then looks for in the
// database's files and in a PostgreSQL dump.
var planted = [][]byte{
	[]byte("Zebedee Quixotica-Marchbanks"),
	[]byte("the purple lighthouse ate my homework"),
	[]byte("attachment-secret-Xylophone-8842"),
	// A reviewer's words about the child: a return comment, the return's
	// text (a decision's reason and the pull feed's change body) and a
	// grade change's reason.
	[]byte("reviewer-wrote-Quokka-Wanderlust-5531"),
}

// plantChild pushes an entry whose child has the planted name and words
// and a photo holding the planted attachment text, uploads the photo,
// reads it all back through the review routes (the API opens what the
// store sealed), returns it with a reviewer's planted words (decision
// comments and reason, a pull-feed change), takes a second revision,
// lowers its grade with a planted reason and approves it (a referral
// document is stored).
func plantChild(t *testing.T, srv *centraltest.Server) (entryID string) {
	t.Helper()
	dev := srv.Enrol(t, "")
	e := centraltest.NewEntry(srv.UserID(t, "officer1"), 1)
	e.Groups["child"][0].Answers["child_name"] = forms.Answer{Value: string(planted[0])}
	e.Groups["child"][0].Answers["child_words"] = forms.Answer{Value: string(planted[1])}
	photo := append([]byte("\xff\xd8\xff\xe0 fake jpeg "), planted[2]...)
	digest := centraltest.Photo(e, photo)
	srv.Push(t, dev, centraltest.Item(e, "standard"))
	a := attClient{t: t, base: srv.URL, cred: dev.Credential, hc: http.DefaultClient}
	if resp, raw := a.do("PATCH", "/v1/entries/"+e.ID+"/attachments/"+digest, 0, photo, api.MediaTypeChunk); resp.StatusCode != 200 {
		t.Fatalf("upload: %d %s", resp.StatusCode, raw)
	}
	sup := srv.Client(srv.Login(t, "sergeant1"))
	st, raw := sup.Do(t, "GET", "/v1/review/entries/"+e.ID, nil, nil)
	if st != 200 || !bytes.Contains(raw, planted[0]) || !bytes.Contains(raw, planted[1]) {
		t.Fatalf("open through the API: %d %.300s", st, raw)
	}
	if st, raw := sup.Do(t, "GET", "/v1/review/entries/"+e.ID+"/attachments/"+digest, nil, nil); st != 200 || !bytes.Equal(raw, photo) {
		t.Fatalf("attachment through the API: %d %.100q", st, raw)
	}
	words := string(planted[3])
	childID := e.Groups["child"][0].ID
	if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+e.ID+"/return", api.ReturnRequest{Revision: 1, Text: "Text: " + words,
		Comments: []api.Comment{{Question: "child[" + childID + "].child_words", Text: "Comment: " + words}}}, nil); st != 200 {
		t.Fatalf("return: %d %s", st, raw)
	}
	devc := srv.Client(dev.Credential)
	var pull api.PullResponse
	if st, raw := devc.Do(t, "GET", "/v1/pull", nil, &pull); st != 200 || !bytes.Contains(raw, []byte("Comment: "+words)) || !bytes.Contains(raw, []byte("Text: "+words)) {
		t.Fatalf("the returned entry's comments through the pull feed: %d %.300s", st, raw)
	}
	rev2 := centraltest.Revise(e)
	srv.Push(t, dev, centraltest.Item(rev2, "standard"))
	if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+e.ID+"/grade", api.GradeRequest{Grade: "high", Reason: "Grade: " + words}, nil); st != 200 {
		t.Fatalf("grade: %d %s", st, raw)
	}
	st, raw = sup.Do(t, "GET", "/v1/review/entries/"+e.ID, nil, nil)
	for _, want := range []string{"Comment: ", "Text: ", "Grade: "} {
		if st != 200 || !bytes.Contains(raw, []byte(want+words)) {
			t.Fatalf("the decisions through the review API lack %q: %d %.500s", want, st, raw)
		}
	}
	if st, raw := sup.Do(t, "POST", "/v1/review/entries/"+e.ID+"/approve", api.ApproveRequest{Revision: 2}, nil); st != 200 {
		t.Fatalf("approve: %d %s", st, raw)
	}
	return e.ID
}

// found lists the planted values present in b, in any letter case (the
// person index keeps names normalised to lower case) and with the name's
// parts in either order.
func found(b []byte) []string {
	var out []string
	low := bytes.ToLower(b)
	for _, p := range planted {
		lp := bytes.ToLower(p)
		if bytes.Contains(low, lp) || bytes.Contains(low, bytes.Fields(lp)[len(bytes.Fields(lp))-1]) {
			out = append(out, string(p))
		}
	}
	return out
}

// grepFolder reads every file under dir and reports each planted value
// found, and each file readable by group or others.
func grepFolder(t *testing.T, dir string) (hits []string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, f := range found(b) {
			hits = append(hits, filepath.Base(p)+": "+f)
		}
		if fi, _ := d.Info(); fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want 0600", p, fi.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

func newKEK(t *testing.T) seal.KEK {
	t.Helper()
	txt, err := seal.NewKEKText()
	if err != nil {
		t.Fatal(err)
	}
	k, err := seal.ParseKEK(txt)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestChildDataAtRest: a child's name and words and an attachment planted
// through the API are in none of the SQLite files (database, WAL, shared
// memory) nor in a pg_dump of the PostgreSQL schema, while the API still
// reads them; without a key-encryption key (the control) the same grep
// finds them, so the grep can fail.
func TestChildDataAtRest(t *testing.T) {
	t.Run("sqlite control without a KEK", func(t *testing.T) {
		_, srv := centraltest.Start(t, centraltest.SQLite)
		plantChild(t, srv)
		if hits := grepFolder(t, filepath.Dir(srv.DSN)); len(hits) == 0 {
			t.Fatal("the control found nothing: the grep cannot see plain child data")
		}
	})
	t.Run("sqlite", func(t *testing.T) {
		_, srv := centraltest.Start(t, centraltest.SQLite, centraltest.WithKEK(newKEK(t)))
		plantChild(t, srv)
		if hits := grepFolder(t, filepath.Dir(srv.DSN)); len(hits) > 0 {
			t.Fatalf("child data in the clear under the data folder: %v", hits)
		}
		if fi, err := os.Stat(filepath.Dir(srv.DSN)); err != nil || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("data folder mode %v %v, want 0700", fi.Mode().Perm(), err)
		}
	})
	t.Run("postgres dump", func(t *testing.T) {
		centraltest.RequirePostgres(t)
		if _, err := exec.LookPath("pg_dump"); err != nil {
			t.Skip("pg_dump is not installed")
		}
		dump := func(srv *centraltest.Server) []byte { return pgDump(t, srv) }
		_, plain := centraltest.Start(t, centraltest.Postgres)
		plantChild(t, plain)
		if len(found(dump(plain))) == 0 {
			t.Fatal("the control dump has no planted value: the dump or grep is wrong")
		}
		_, srv := centraltest.Start(t, centraltest.Postgres, centraltest.WithKEK(newKEK(t)), centraltest.WithPeople())
		plantChild(t, srv)
		if hits := found(dump(srv)); len(hits) > 0 {
			t.Fatalf("child data in the clear in pg_dump: %v", hits)
		}
	})
	t.Run("person index", func(t *testing.T) {
		// The index runs on the same file and seals with the store's
		// keyring: the planted child is found through the family network
		// (the API opens what the index sealed), yet is in no file.
		_, srv := centraltest.Start(t, centraltest.SQLite, centraltest.WithKEK(newKEK(t)), centraltest.WithPeople())
		id := plantChild(t, srv)
		sup := srv.Client(srv.Login(t, "sergeant1"))
		st, netRaw := sup.Do(t, "GET", "/v1/review/entries/"+id+"/network", nil, nil)
		if st != 200 {
			t.Fatalf("network: %d %s", st, netRaw)
		}
		if !bytes.Contains(netRaw, planted[0]) {
			t.Fatalf("the person index did not return the planted child through the API: %.300s", netRaw)
		}
		if hits := grepFolder(t, filepath.Dir(srv.DSN)); len(hits) > 0 {
			t.Fatalf("child data in the clear under the data folder with the person index: %v", hits)
		}
	})
}

// pgDump dumps the server's PostgreSQL schema.
func pgDump(t *testing.T, srv *centraltest.Server) []byte {
	t.Helper()
	u, err := url.Parse(srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	u.RawQuery = ""
	out, err := exec.Command("pg_dump", "--schema="+schema, "--dbname="+u.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v %.300s", err, out)
	}
	return out
}

// TestResealPlain: child data stored in the clear before the server had a
// key-encryption key (planted through the API, and an alert text stored
// by the person index's path) is sealed by ResealPlain: afterwards no file
// under the data folder (SQLite, after its compaction) and no pg_dump
// holds it, the API still reads it all, a second run seals nothing (it is
// idempotent), the run is audited and the chain verifies.
func TestResealPlain(t *testing.T) {
	for _, backend := range []string{centraltest.SQLite, centraltest.Postgres} {
		t.Run(backend, func(t *testing.T) {
			if backend == centraltest.Postgres {
				centraltest.RequirePostgres(t)
				if _, err := exec.LookPath("pg_dump"); err != nil {
					t.Skip("pg_dump is not installed")
				}
			}
			ctx := context.Background()
			_, srv := centraltest.Start(t, backend)
			id := plantChild(t, srv)
			alert := central.PersonAlert{ID: "alert-1", EntryID: id, Team: central.DemoTeamA, Kind: "repeat_appearance", PersonID: "p1",
				Entries: []string{id}, Text: "Alert about " + string(planted[0]), At: srv.Clock.Now()}
			if err := srv.Store.Update(ctx, func(tx central.Tx) error { _, err := tx.CreatePersonAlert(ctx, alert); return err }); err != nil {
				t.Fatal(err)
			}
			leaks := func() []string {
				if backend == centraltest.Postgres {
					return found(pgDump(t, srv))
				}
				return grepFolder(t, filepath.Dir(srv.DSN))
			}
			if len(leaks()) == 0 {
				t.Fatal("the control found nothing in the clear before the reseal")
			}
			kr, err := central.LoadKeyring(ctx, srv.Store, newKEK(t))
			if err != nil {
				t.Fatal(err)
			}
			srv.Store.(interface{ SetSealer(central.Sealer) }).SetSealer(kr)
			counts, err := srv.Service.ResealPlain(ctx, central.System("test"), true)
			if err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"revisions", "attachment_chunks", "deliveries", "decisions", "changes", "person_alerts"} {
				if counts[table] == 0 {
					t.Errorf("nothing resealed in %s: %v", table, counts)
				}
			}
			if hits := leaks(); len(hits) > 0 {
				t.Fatalf("child data still in the clear after the reseal: %v (resealed %v)", hits, counts)
			}
			// The API reads it all as before.
			sup := srv.Client(srv.Login(t, "sergeant1"))
			st, raw := sup.Do(t, "GET", "/v1/review/entries/"+id, nil, nil)
			if st != 200 || !bytes.Contains(raw, planted[0]) || !bytes.Contains(raw, planted[3]) {
				t.Fatalf("the review API after the reseal: %d %.300s", st, raw)
			}
			var alerts []central.PersonAlert
			if err := srv.Store.View(ctx, func(tx central.Tx) error {
				var err error
				alerts, err = tx.PersonAlerts(ctx, []string{central.DemoTeamA}, 10)
				return err
			}); err != nil || len(alerts) != 1 || alerts[0].Text != alert.Text {
				t.Fatalf("alerts after the reseal: %+v %v", alerts, err)
			}
			again, err := srv.Service.ResealPlain(ctx, central.System("test"), false)
			if err != nil {
				t.Fatal(err)
			}
			for table, n := range again {
				if n != 0 {
					t.Errorf("a second run resealed %d in %s", n, table)
				}
			}
			var audited int
			if err := srv.Store.View(ctx, func(tx central.Tx) error {
				return tx.ScanAudit(ctx, func(r central.AuditRecord) error {
					if r.Action == "datakey.reseal" {
						audited++
					}
					return nil
				})
			}); err != nil {
				t.Fatal(err)
			}
			if audited != 2 {
				t.Errorf("%d reseal audit records, want 2", audited)
			}
			if rep, err := srv.Service.VerifyAudit(ctx, central.System("test")); err != nil || !rep.OK {
				t.Fatalf("verify: %+v %v", rep, err)
			}
		})
	}
}
