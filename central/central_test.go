package central_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
)

func TestPasswords(t *testing.T) {
	h, err := central.HashPassword("correct horse battery", centraltest.TestArgon2)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash format %s", h)
	}
	if !central.CheckPassword(h, "correct horse battery") || central.CheckPassword(h, "correct horse batterY") {
		t.Error("check")
	}
	h2, _ := central.HashPassword("correct horse battery", centraltest.TestArgon2)
	if h == h2 {
		t.Error("no salt")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA"} {
		if central.CheckPassword(bad, "x") {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestNormaliseCode(t *testing.T) {
	if got := central.NormaliseCode(" k7qm x2pa-9frt "); got != "K7QMX2PA9FRT" {
		t.Error(got)
	}
}

func TestErrors(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", central.Errorf(central.ECONFLICT, "stale %d", 2))
	if central.ErrorCode(err) != central.ECONFLICT || central.ErrorMessage(err) != "stale 2" {
		t.Error(central.ErrorCode(err), central.ErrorMessage(err))
	}
	if central.ErrorCode(errors.New("disk on fire")) != central.EINTERNAL || central.ErrorMessage(errors.New("secret detail")) != "internal error" {
		t.Error("internal errors must not leak their text")
	}
	if central.ErrorCode(nil) != "" {
		t.Error("nil")
	}
}

func TestAuditHashChains(t *testing.T) {
	r := central.AuditRecord{Seq: 1, At: time.Unix(0, 0), Actor: "a", Action: "b", Detail: "{}"}
	h1 := central.AuditHash("", r)
	if h1 != central.AuditHash("", r) {
		t.Fatal("not deterministic")
	}
	if central.AuditHash("x", r) == h1 {
		t.Error("previous hash ignored")
	}
	// Moving a boundary between fields changes the hash.
	r2 := r
	r2.Actor, r2.Action = "ab", ""
	if central.AuditHash("", r2) == h1 {
		t.Error("fields are not length-prefixed")
	}
}

func TestDiff(t *testing.T) {
	a := centraltest.NewEntry("o", 2)
	b := centraltest.Revise(a)
	c0, c1 := b.Groups["child"][0].ID, b.Groups["child"][1].ID
	b.Answers["reason"] = forms.Answer{Value: "other"}
	delete(b.Groups["child"][0].Answers, "child_words")
	b.Groups["child"] = b.Groups["child"][:1]
	b.Groups["child"][0].Answers["child_age"] = forms.Answer{NotKnown: true, Reason: "refused"}
	b.Grading = &forms.Grading{Level: forms.LevelHigh}
	got := central.Diff(a, b)
	want := []string{
		"child[" + c0 + "].child_age changed",
		"child[" + c0 + "].child_words removed",
		"child[" + c1 + "] removed",
		"child[" + c1 + "].child_age removed",
		"child[" + c1 + "].child_name removed",
		"child[" + c1 + "].child_seen removed",
		"child[" + c1 + "].child_words removed",
		"grading added",
		"reason changed",
	}
	sort.Strings(want)
	var have []string
	for _, d := range got {
		have = append(have, d.Path+" "+d.Change)
	}
	if strings.Join(have, "\n") != strings.Join(want, "\n") {
		t.Errorf("diff:\n%s\nwant:\n%s", strings.Join(have, "\n"), strings.Join(want, "\n"))
	}
	if d := central.Diff(a, centraltest.Revise(a)); len(d) != 0 {
		t.Errorf("no change: %+v", d)
	}
}

func TestWindows(t *testing.T) {
	s := central.NewService(nil, forms.NewRegistry(), central.Config{HighWindow: 2 * time.Hour})
	for l, want := range map[forms.Level]time.Duration{forms.LevelImmediate: time.Hour, forms.LevelHigh: 2 * time.Hour,
		forms.LevelMedium: 24 * time.Hour, forms.LevelStandard: 24 * time.Hour} {
		if got := s.Window(l); got != want {
			t.Errorf("%v: %v want %v", l, got, want)
		}
	}
}
