package forms

import (
	"fmt"
	"strings"
)

// Nets are the broad layer of a format-2 phrase list, written from the
// concept rather than from examples: for each kind, classes of its core
// acts (photograph: photos, pics, film, record, nudes…) and classes of
// the context that makes the act a disclosure (the body, undressing, the
// child). A net fires when a word of an act class and a word of a context
// class stand in one clause of a sentence, in either order and at most
// Window words apart, unless the clause is negated, hypothetical or a
// question (judged as for frames: Negation) or the net's Unless frame is
// in the sentence. Its finding names the two concepts that fired
// (Finding.Concepts), so the officer and the supervisor can see why.

// DisclosureNet is one co-occurrence net of one kind in one language, with
// examples that must and must not match (checked by the tests).
type DisclosureNet struct {
	ID   string `json:"id"`
	Lang string `json:"lang"`
	// Acts and Contexts are class names (without "@").
	Acts     []string `json:"acts"`
	Contexts []string `json:"contexts"`
	// Window is the most words between the act and the context (8 when 0).
	Window int `json:"window,omitempty"`
	// Unless is a frame that, matching anywhere in the sentence, drops
	// the net's match.
	Unless string `json:"unless,omitempty"`
	// NotAfter is a frame that, ending just before the match, drops it
	// ("would" before "smash my face": a threat, not an act).
	NotAfter string   `json:"notAfter,omitempty"`
	Match    []string `json:"match"`
	NoMatch  []string `json:"nomatch"`
	Note     string   `json:"note,omitempty"`
}

// defaultNetWindow is a net's Window when it gives none.
const defaultNetWindow = 8

// compileNet checks net ni of kind k and adds to r.frames one frame per
// act class, context class and order, each as a frame "@ACT ~Window @CONTEXT".
func (r *Recogniser) compileNet(k *DisclosureKind, ni int, kwhere string, patIDs map[string]bool, l *linter) {
	n := &k.Nets[ni]
	where := at(fmt.Sprintf("%s/nets/%d", kwhere, ni), n.ID)
	r.checkHead(where, "net", n.ID, n.Lang, len(n.Match), len(n.NoMatch), patIDs, l)
	if len(n.Acts) == 0 || len(n.Contexts) == 0 {
		l.add(where, "a net needs act classes and context classes")
		return
	}
	for _, c := range append(append([]string(nil), n.Acts...), n.Contexts...) {
		if _, ok := r.Classes[c]; !ok {
			l.add(where, "class %q is not defined", c)
			return
		}
	}
	w := n.Window
	if w <= 0 {
		w = defaultNetWindow
	}
	var unless fSeq
	if n.Unless != "" {
		var err error
		if unless, err = parseFrame(n.Unless); err != nil {
			l.add(where, "unless: %v", err)
			return
		}
		checkFrameClasses(unless, r.Classes, where, l)
	}
	var notAfter fSeq
	if n.NotAfter != "" {
		var err error
		if notAfter, err = parseFrame(n.NotAfter); err != nil {
			l.add(where, "notAfter: %v", err)
			return
		}
		checkFrameClasses(notAfter, r.Classes, where, l)
	}
	// The findings carry the net's id: a frame stands in for it.
	f := &DisclosureFrame{ID: n.ID, Lang: n.Lang, Frame: "net", Unless: n.Unless, NotAfter: n.NotAfter, Match: n.Match, NoMatch: n.NoMatch}
	for _, a := range n.Acts {
		for _, c := range n.Contexts {
			concepts := "act " + strings.ToLower(a) + " + context " + strings.ToLower(c)
			for _, text := range []string{fmt.Sprintf("@%s ~%d @%s", a, w, c), fmt.Sprintf("@%s ~%d @%s", c, w, a)} {
				seq, err := parseFrame(text)
				if err != nil {
					l.add(where, "net %s: %v", text, err)
					return
				}
				r.frames = append(r.frames, &compiledFrame{kind: k.ID, f: f, seq: seq, unless: unless, notAfter: notAfter, net: n, concepts: concepts})
			}
		}
	}
}
