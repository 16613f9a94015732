package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/referral"
)

// get fetches path with a session and returns status, content type and
// body.
func get(t *testing.T, c *http.Client, base, token, path string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// TestReferralDocuments approves a real child-at-risk entry and fetches
// its referral as JSON and PDF: the JSON is the document stored in the
// outbox, the PDF is rendered from it (byte for byte) and reads back with
// every section, the children's names and the approving supervisor. Only
// supervisors of the entry's team get it; reads are audited; an entry not
// yet approved has none; a training entry's referral is built for its
// trainer, marked as training, and nothing is queued.
func TestReferralDocuments(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite, centraltest.WithConfig(central.Config{Force: "Oakbridge Police", Partner: "Oakbridge MASH"}))
	client := validatingClient(t)
	dev := srv.Enrol(t, "")
	officer := srv.UserID(t, "officer1")
	ent := centraltest.Example(t, officer)
	pending := centraltest.NewEntry(officer, 1)
	res := srv.Push(t, dev, centraltest.Item(ent, ""), centraltest.Item(pending, ""))
	if res.Results[0].Status != api.StatusAccepted || res.Results[1].Status != api.StatusAccepted {
		t.Fatalf("push: %+v", res.Results)
	}
	sup := srv.Login(t, "sergeant1")
	if st, raw := srv.Client(sup).Do(t, "POST", "/v1/review/entries/"+ent.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
		t.Fatalf("approve: %d %s", st, raw)
	}

	st, ct, js := get(t, client, srv.URL, sup, "/v1/review/entries/"+ent.ID+"/referral.json")
	if st != 200 || ct != api.MediaTypeJSON {
		t.Fatalf("json: %d %s %.300s", st, ct, js)
	}
	var stored central.Delivery
	srv.Store.View(context.Background(), func(tx central.Tx) error {
		stored, _ = tx.LatestDelivery(context.Background(), ent.ID)
		return nil
	})
	if !bytes.Equal(js, stored.Document) {
		t.Fatal("the JSON served is not the document in the outbox")
	}
	var doc referral.Document
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Training || doc.Receipt != res.Results[0].Receipt || doc.Decisions.Supervisor.Name != "Sgt Jo Supervisor" ||
		doc.Decisions.Officer.Name != "PC Alex Officer" || doc.From.Force != "Oakbridge Police" || doc.From.Team != "Team A (demo)" ||
		doc.To != "Oakbridge MASH" || len(doc.Children) != 2 || doc.Decisions.Supervisor.At == nil {
		t.Errorf("document: training %v receipt %s supervisor %+v officer %+v from %+v to %q children %d", doc.Training, doc.Receipt,
			doc.Decisions.Supervisor, doc.Decisions.Officer, doc.From, doc.To, len(doc.Children))
	}

	st, ct, pdf := get(t, client, srv.URL, sup, "/v1/review/entries/"+ent.ID+"/referral.pdf")
	if st != 200 || ct != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("pdf: %d %s %.40q", st, ct, pdf)
	}
	var again bytes.Buffer
	if err := doc.PDF(&again); err != nil || !bytes.Equal(again.Bytes(), pdf) {
		t.Errorf("the PDF served differs from the PDF of the stored JSON (%v)", err)
	}
	if pages := pdfPages(t, pdf); pages >= 0 && pages < 2 {
		t.Errorf("the served PDF renders to %d page images", pages)
	}
	if text := pdfText(t, pdf); text != "" {
		for _, want := range []string{referral.HeadingSummary, referral.HeadingChildren, referral.HeadingRisks, referral.HeadingActions,
			referral.HeadingDecisions, referral.HeadingWords, "Mia Fairweather", "Leo Holloway", "Sgt Jo Supervisor", "OFFICIAL-SENSITIVE", doc.Receipt} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF text lacks %q", want)
			}
		}
	}

	// Who may read it.
	for _, c := range []struct {
		user string
		want int
	}{{"sergeant2", 404}, {"trainer1", 403}, {"admin", 403}} {
		if st, _, _ := get(t, client, srv.URL, srv.Login(t, c.user), "/v1/review/entries/"+ent.ID+"/referral.pdf"); st != c.want {
			t.Errorf("%s: %d, want %d", c.user, st, c.want)
		}
	}
	if st, _, _ := get(t, client, srv.URL, sup, "/v1/review/entries/"+pending.ID+"/referral.json"); st != 404 {
		t.Errorf("referral of an entry awaiting review: %d", st)
	}
	reads := 0
	srv.Store.View(context.Background(), func(tx central.Tx) error {
		return tx.ScanAudit(context.Background(), func(r central.AuditRecord) error {
			if r.Action == "referral.read" && r.EntryID == ent.ID {
				reads++
			}
			return nil
		})
	})
	if reads != 2 {
		t.Errorf("%d audited referral reads, want 2", reads)
	}

	// Training: built for the trainer, marked, never queued.
	tr := centraltest.Example(t, officer)
	tr.Training = true
	if r := srv.Push(t, dev, centraltest.Item(tr, "")).Results[0]; r.Status != api.StatusAccepted {
		t.Fatalf("push training: %+v", r)
	}
	trainer := srv.Login(t, "trainer1")
	if st, raw := srv.Client(trainer).Do(t, "POST", "/v1/training/entries/"+tr.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
		t.Fatalf("approve training: %d %s", st, raw)
	}
	st, _, tjs := get(t, client, srv.URL, trainer, "/v1/training/entries/"+tr.ID+"/referral.json")
	var tdoc referral.Document
	if st != 200 || json.Unmarshal(tjs, &tdoc) != nil || !tdoc.Training || tdoc.Decisions.Supervisor.Name != "Chris Trainer" {
		t.Fatalf("training referral: %d %.200s", st, tjs)
	}
	if st, ct, tpdf := get(t, client, srv.URL, trainer, "/v1/training/entries/"+tr.ID+"/referral.pdf"); st != 200 || ct != "application/pdf" || len(tpdf) == 0 {
		t.Fatalf("training pdf: %d %s", st, ct)
	}
	if st, _, _ := get(t, client, srv.URL, sup, "/v1/review/entries/"+tr.ID+"/referral.pdf"); st != 404 {
		t.Errorf("a supervisor reached a training referral: %d", st)
	}
	if stats, _ := srv.Service.DeliveryStats(context.Background()); stats.Pending != 1 {
		t.Errorf("outbox: %+v, want only the live referral", stats)
	}
}

// pdfText extracts a PDF's text with pdftotext ("" when it is not
// installed).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext not installed: the PDF's text is not checked")
		return ""
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// pdfPages renders a PDF to PNG page images with pdftoppm and returns how
// many are not blank (-1 when pdftoppm is not installed).
func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Log("pdftoppm not installed: the PDF is not rendered")
		return -1
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-r", "30", "-png", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		// Not blank: some pixel is darker than paper.
		bounds := img.Bounds()
	scan:
		for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
			for x := bounds.Min.X; x < bounds.Max.X; x++ {
				if r, g, b, _ := img.At(x, y).RGBA(); r+g+b < 3*0xc000 {
					n++
					break scan
				}
			}
		}
	}
	return n
}
