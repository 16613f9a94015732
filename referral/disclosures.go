package referral

// Disclosure is one prompt of the recogniser: disclosure language it found
// in a free-text answer, and what the officer answered when asked "is this
// a disclosure?" ("yes", "no", or "" when not answered).
type Disclosure struct {
	// Person names the child (or adult) whose answer it was; empty for an
	// answer about the whole incident.
	Person   string   `json:"person,omitempty"`
	PersonID string   `json:"personId,omitempty"`
	Question string   `json:"question"`
	Kind     string   `json:"kind"`
	KindName string   `json:"kindName"`
	Flagged  []string `json:"flagged"`
	Answer   string   `json:"answer,omitempty"`
	// Text says it in one line, as the supervisor saw it.
	Text string `json:"text"`
}

// disclosures lists the recogniser's prompts and the officer's answers.
func (b *builder) disclosures() {
	for _, p := range b.res.Prompts {
		d := Disclosure{Question: p.Question, Kind: p.Kind, KindName: p.KindName, Answer: p.Answer,
			Flagged: []string{}, Text: p.Summary(b.clang)}
		if q, _, ok := b.c.Question(p.Question); ok {
			d.Question = q.Label.In(b.clang)
		}
		if p.Instance != "" {
			d.PersonID, d.Person = p.Instance, b.name(p.Instance)
		}
		for _, f := range p.Findings {
			d.Flagged = append(d.Flagged, f.Sentence)
		}
		b.doc.Risks.Disclosures = append(b.doc.Risks.Disclosures, d)
	}
}

// disclosures draws what the recogniser flagged and what the officer
// answered, under the reasons for the grade.
func (r *renderer) disclosures() {
	if len(r.d.Risks.Disclosures) == 0 {
		return
	}
	r.minor(r.t("Disclosures read in the free text"))
	for _, d := range r.d.Risks.Disclosures {
		label := d.Question
		if d.Person != "" {
			label = d.Person + ": " + d.Question
		}
		r.kv(label, d.Text)
	}
}
