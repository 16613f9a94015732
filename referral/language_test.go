package referral

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// welshChecklist loads the small fixture checklist that declares English
// and Welsh (testdata/checklists/welsh-referral.json).
func welshChecklist(t testing.TB) *forms.Checklist {
	t.Helper()
	c, err := forms.Load(os.DirFS("testdata"), "checklists/welsh-referral.json")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.Languages, Welsh) {
		t.Fatal("the fixture does not declare Welsh")
	}
	return c
}

// welshWords is what the Welsh-speaking officer wrote: every Welsh
// letter with a circumflex, diaeresis, acute and grave accent.
const welshWords = "Dŵr, tŷ, ŵyr, Ŷ. Mae'r dŵr yn oer: â ê î ô û ŵ ŷ ï ä ë á à Ŵ Ŷ"

// welshEntry is a ready entry of the fixture: the entry written in Welsh,
// the address typed in English after the officer switched language.
func welshEntry() *forms.Entry {
	return &forms.Entry{
		ID: "0b7a3c1e-9a0f-4c43-a7a5-0c6f0d6f4b11", Checklist: forms.Ref{ID: "welsh-referral", Version: "1.0.0"},
		Revision: 1, Started: time.Date(2026, 1, 14, 21, 5, 0, 0, time.UTC), Officer: "pc-4471", Language: Welsh,
		Answers: map[string]forms.Answer{
			"incident_ref":     {Value: "CAD-0142-14JAN", Lang: Welsh},
			"incident_time":    {Value: "2026-01-14T21:00:00Z"},
			"incident_address": {Value: "2 Heol y Bont, Aberystwyth", Lang: English},
			"reason":           {Value: "domestic_abuse"},
			"triage_life":      {Value: "no"},
		},
		Groups: map[string][]forms.Instance{"child": {{ID: "c1", Answers: map[string]forms.Answer{
			"child_name":      {Value: "Ŷwain Tŷ-Gwyn"},
			"child_dob":       {Value: "2018-03-02"},
			"child_seen":      {Value: "yes"},
			"child_words":     {Value: welshWords, Lang: Welsh},
			"child_demeanour": {Value: "Quiet, holding his sister's hand.", Lang: English},
		}}}},
	}
}

func buildIn(t testing.TB, c *forms.Checklist, e *forms.Entry, lang string) *Document {
	t.Helper()
	clang := lang
	if !checklistSpeaks(c, lang) {
		clang = forms.DefaultLanguage
	}
	res, err := forms.Evaluate(c, e, forms.Options{Language: clang})
	if err != nil {
		t.Fatal(err)
	}
	m := testMeta()
	m.Language = lang
	m.History = nil
	d, err := Build(c, e, res, m)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestReferralInWelsh: the receiving authority asks for Welsh; the
// checklist's texts come from its Welsh, the fixed words from the table,
// dates have Welsh month names, and the officer's words are as written,
// marked with their language.
func TestReferralInWelsh(t *testing.T) {
	c := welshChecklist(t)
	d := buildIn(t, c, welshEntry(), Welsh)
	if d.Language != Welsh || d.ChecklistLanguage != Welsh || d.LanguageNote != "" {
		t.Fatalf("language %q, checklist language %q, note %q", d.Language, d.ChecklistLanguage, d.LanguageNote)
	}
	if d.Incident.Title != "Digwyddiad" {
		t.Errorf("incident title %q", d.Incident.Title)
	}
	byQ := map[string]Field{}
	for _, f := range append(append([]Field{}, d.Incident.Fields...), d.Children[0].Details...) {
		byQ[f.Question] = f
	}
	for q, want := range map[string]string{
		"reason": "Cam-drin domestig", "triage_life": "Na", "incident_time": "Dydd Mercher 14 Ionawr 2026 21:00 GMT",
		"child_dob": "2 Mawrth 2018 (7 oed adeg y digwyddiad)", "child_seen": "Ie",
	} {
		if byQ[q].Value != want {
			t.Errorf("%s = %q, want %q", q, byQ[q].Value, want)
		}
	}
	if l := byQ["reason"].Label; l != "Rheswm dros fynychu" {
		t.Errorf("label from the checklist's Welsh: %q", l)
	}
	if f := byQ["incident_address"]; f.Value != "2 Heol y Bont, Aberystwyth" || f.Lang != English {
		t.Errorf("free text %+v, want as written, marked en", f)
	}
	if f := byQ["reason"]; f.Lang != "" {
		t.Errorf("a code carries a language: %+v", f)
	}
	w := d.Children[0].Words
	if w == nil || w.Text != welshWords || w.Lang != Welsh {
		t.Fatalf("child's words %+v", w)
	}
	if len(d.Risks.ByGrade) == 0 || d.Risks.ByGrade[0].Reasons[0].Text != "Plant mewn aelwyd lle mae cam-drin domestig." {
		t.Errorf("the rules' reasons are not the checklist's Welsh: %+v", d.Risks.ByGrade)
	}

	text := pdfText(t, renderPDF(t, d))
	for _, want := range []string{"Atgyfeiriad: plentyn mewn perygl", "1. Digwyddiad", "Crynodeb", "Geiriau'r plentyn ei hun",
		"Tudalen 1 o", "Cam-drin domestig", "Rhesymau dros y radd", "Penderfyniadau", "Ionawr 2026",
		"Ysgrifennwyd yn Saesneg", "Iaith Cymraeg"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Welsh PDF lacks %q", want)
		}
	}
	// The document's own words are all Welsh: none of the English headings.
	for _, en := range []string{"Summary", "Immediate safety", "Reasons for the grade", "Page 1 of", "Decisions"} {
		if strings.Contains(text, en) {
			t.Errorf("the Welsh PDF has the English %q", en)
		}
	}
}

// TestWelshCharactersInPDF: the officer's Welsh comes out of the PDF
// exactly as written (pdftotext), in the serif face of the child's words
// and the sans face of the tables, and the fonts have every Welsh letter.
func TestWelshCharactersInPDF(t *testing.T) {
	fc, err := loadFaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fc {
		for _, r := range "âêîôûŵŷïäëáàÂÊÎÔÛŴŶÏÄËÁÀ" {
			if !f.has(r) {
				t.Errorf("font %s %q lacks %q", f.family, f.style, r)
			}
		}
	}
	c := welshChecklist(t)
	e := welshEntry()
	e.Answers["incident_address"] = forms.Answer{Value: "Dŵr, tŷ, ŵyr, Ŷ", Lang: Welsh}
	for _, lang := range Languages {
		text := pdfText(t, renderPDF(t, buildIn(t, c, e, lang)))
		for _, want := range []string{"Dŵr, tŷ, ŵyr, Ŷ", welshWords, "Ŷwain Tŷ-Gwyn"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s PDF: %q does not come out of pdftotext exactly", lang, want)
			}
		}
	}
}

// TestReferralLanguageFallback: a checklist without Welsh gives the Welsh
// document its own words in Welsh and the checklist's in English, with a
// note saying so; old documents and an unknown language.
func TestReferralLanguageFallback(t *testing.T) {
	c := checklist(t) // child-at-risk 1.0.0 declares English only
	e := example(t, "complete-entry.json")
	d := buildIn(t, c, e, Welsh)
	if d.Language != Welsh || d.ChecklistLanguage != English || !strings.Contains(d.LanguageNote, "Saesneg") {
		t.Fatalf("language %q, checklist language %q, note %q", d.Language, d.ChecklistLanguage, d.LanguageNote)
	}
	text := pdfText(t, renderPDF(t, d))
	if !strings.Contains(text, "Nid oes gan y fersiwn hon o'r rhestr wirio destunau Cymraeg") || !strings.Contains(text, "Crynodeb") {
		t.Error("the fallback note or the Welsh headings are missing from the PDF")
	}
	if d.Incident.Title == "Digwyddiad" {
		t.Error("the checklist's English section title was replaced")
	}

	// English is the default, and a language this package cannot write
	// is refused.
	if d := buildIn(t, c, e, ""); d.Language != English || d.LanguageNote != "" {
		t.Errorf("default: %q %q", d.Language, d.LanguageNote)
	}
	m := testMeta()
	m.Language = "fr"
	if _, err := Build(c, e, evaluate(t, c, e), m); !errors.Is(err, ErrLanguage) {
		t.Errorf("Build in fr: %v, want ErrLanguage", err)
	}

	// A document stored before referrals had a language reads as English.
	js, _ := completeDoc(t).JSON()
	var old map[string]any
	if err := json.Unmarshal(js, &old); err != nil {
		t.Fatal(err)
	}
	delete(old, "language")
	delete(old, "checklistLanguage")
	b, _ := json.Marshal(old)
	var stored Document
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pdfText(t, renderPDF(t, &stored)), "Summary") {
		t.Error("an old document does not render in English")
	}
}

// TestWelshTableCoversEveryPhrase: every fixed phrase the package prints
// through tr (a literal passed to r.t or b.t) has a Welsh translation.
func TestWelshTableCoversEveryPhrase(t *testing.T) {
	call := regexp.MustCompile(`\b[rb]\.t\("((?:[^"\\]|\\.)*)"\)`)
	files := []string{"build.go", "fields.go", "actions.go", "pdf.go", "disclosures.go"}
	n := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			n++
			key := strings.ReplaceAll(m[1], `\"`, `"`)
			if _, ok := welsh[key]; !ok {
				t.Errorf("%s: %q has no Welsh", f, key)
			}
		}
	}
	for _, h := range []string{HeadingSummary, HeadingIncident, HeadingSafety, HeadingChildren, HeadingAdults, HeadingRelationships,
		HeadingHome, HeadingOther, HeadingRisks, HeadingActions, HeadingDecisions, HeadingWords, statusNotRecorded,
		"Grade agreed.", "Grade raised.", "Grade lowered.", "standard", "medium", "high", "immediate", "not graded"} {
		if _, ok := welsh[h]; !ok {
			t.Errorf("%q has no Welsh", h)
		}
	}
	if n < 80 {
		t.Errorf("found only %d translated phrases: is the pattern still right?", n)
	}
	for rel := range relationPhrases {
		if _, ok := welshRelations[rel]; !ok {
			t.Errorf("relationship %q has no Welsh", rel)
		}
	}
}

// TestReferralInWelshOnChecklist3: the shipped checklist 3.0.0 (English
// and Welsh) gives a Welsh referral with no fallback note: the neglect
// example entry, made on 2.0.0, read on 3.0.0 (the same questions).
func TestReferralInWelshOnChecklist3(t *testing.T) {
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := reg.Get(forms.Ref{ID: "child-at-risk", Version: "3.0.0"})
	if !ok {
		t.Fatal("checklist child-at-risk@3.0.0 is not shipped")
	}
	b, err := fs.ReadFile(assets.FS, "examples/neglect-entry-v2.json")
	if err != nil {
		t.Fatal(err)
	}
	e, err := forms.DecodeEntry(b)
	if err != nil {
		t.Fatal(err)
	}
	e.Checklist = c.Ref()
	d := buildIn(t, c, e, Welsh)
	if d.Language != Welsh || d.ChecklistLanguage != Welsh || d.LanguageNote != "" {
		t.Fatalf("language %q, checklist language %q, note %q", d.Language, d.ChecklistLanguage, d.LanguageNote)
	}
	if want := c.Sections[0].Title.In(Welsh); d.Incident.Title != want || want == c.Sections[0].Title.In(English) {
		t.Errorf("incident title %q, want the checklist's Welsh %q", d.Incident.Title, want)
	}
	text := pdfText(t, renderPDF(t, d))
	for _, want := range []string{"Atgyfeiriad: plentyn mewn perygl", "Tudalen 1 o", c.Sections[0].Title.In(Welsh)} {
		if !strings.Contains(text, want) {
			t.Errorf("the Welsh PDF of a 3.0.0 entry lacks %q", want)
		}
	}
}
