package referral

import (
	"slices"
)

// qConcerns is the one "which of these concerns did you see?" question of
// child-at-risk 2.0.0 and later, which opens only the risk screens ticked
// (the neglect screen among them). Version 1.0.0 had a yes/no per screen.
const (
	qConcerns   = "concerns_seen"
	concernNone = "none"
)

// concernsNotSeen files every concern the officer did not tick as "no
// concern recorded", as 1.0.0's "no" per screen was: the partner sees
// what was looked for, not only what was found. Nothing is added before
// the question is answered.
func (b *builder) concernsNotSeen() {
	q, s, ok := b.c.Question(qConcerns)
	if !ok || s.Repeat != "" || !b.visible["\x00"+qConcerns] {
		return
	}
	var ticked []string
	switch v := b.e.Answers[qConcerns].Value.(type) {
	case []string:
		ticked = v
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				ticked = append(ticked, s)
			}
		}
	}
	if len(ticked) == 0 {
		return
	}
	for _, o := range q.Options {
		if o.Value != concernNone && !slices.Contains(ticked, o.Value) {
			b.doc.Risks.NoConcern = append(b.doc.Risks.NoConcern, o.Label.In(b.clang))
		}
	}
}
