package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/referral"
)

// TestReferralInPartnersLanguage: the partner asks for Welsh
// (Config.PartnerLanguage); an entry an officer wrote in Welsh is pushed,
// stored (SQLite and PostgreSQL) and approved over real HTTP, and the
// referral in the outbox, its JSON and its PDF are in Welsh: fixed words
// from the table, the child's words as written with their language, and,
// since checklist 1.0.0 has no Welsh, its texts in English with a note.
// Responses are checked against api/openapi.yaml.
func TestReferralInPartnersLanguage(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := startValidated(t, backend, centraltest.WithConfig(central.Config{Force: "Heddlu Oakbridge", Partner: "MASH Oakbridge", PartnerLanguage: referral.Welsh}))
			client := validatingClient(t)
			dev := srv.Enrol(t, "")
			ent := centraltest.Example(t, srv.UserID(t, "officer1"))
			ent.Language = referral.Welsh
			child := ent.Groups["child"][0]
			words := child.Answers["child_words"]
			words.Value, words.Lang = "Mae Dad yn taflu pethau yn y tŷ. Dŵr ar y llawr.", referral.Welsh
			child.Answers["child_words"] = words
			if res := srv.Push(t, dev, centraltest.Item(ent, "")); res.Results[0].Status != api.StatusAccepted {
				t.Fatalf("push: %+v", res.Results)
			}
			sup := srv.Login(t, "sergeant1")
			if st, raw := srv.Client(sup).Do(t, "POST", "/v1/review/entries/"+ent.ID+"/approve", api.ApproveRequest{Revision: 1}, nil); st != 200 {
				t.Fatalf("approve: %d %s", st, raw)
			}
			st, _, js := get(t, client, srv.URL, sup, "/v1/review/entries/"+ent.ID+"/referral.json")
			if st != 200 {
				t.Fatalf("json: %d %.300s", st, js)
			}
			var doc referral.Document
			if err := json.Unmarshal(js, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Language != referral.Welsh || doc.ChecklistLanguage != forms.DefaultLanguage || doc.LanguageNote == "" {
				t.Errorf("language %q, checklist language %q, note %q", doc.Language, doc.ChecklistLanguage, doc.LanguageNote)
			}
			w := doc.Children[0].Words
			if w == nil || w.Text != words.Value || w.Lang != referral.Welsh {
				t.Errorf("child's words %+v, want as written, marked cy", w)
			}
			st, _, pdf := get(t, client, srv.URL, sup, "/v1/review/entries/"+ent.ID+"/referral.pdf")
			if st != 200 {
				t.Fatalf("pdf: %d", st)
			}
			if text := pdfText(t, pdf); text != "" {
				for _, want := range []string{"Crynodeb", "Atgyfeiriad: plentyn mewn perygl", "Mae Dad yn taflu pethau yn y tŷ. Dŵr ar y llawr.",
					"Nid oes gan y fersiwn hon o'r rhestr wirio destunau Cymraeg"} {
					if !strings.Contains(text, want) {
						t.Errorf("the served PDF lacks %q", want)
					}
				}
			}
		})
	}
}
