package trainer_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/checklistui"
	"github.com/safeguard-uk/safeguard/app/internal/reviewtest"
	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/supervisor"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/app/trainer"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/forms"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

// clock is a hand-moved clock for the time taken.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

type harness struct {
	t     *testing.T
	u     *trainer.UI
	w     fyne.Window
	c     *forms.Checklist
	clock *clock
	list  []*trainer.Scenario
}

func newHarness(t *testing.T, store trainer.Store, sync trainer.Sender) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(false, 1))
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	list, err := trainer.LoadScenarios(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	ck := &clock{t: uitest.Clock()}
	u, err := trainer.New(w, trainer.Config{Store: store, Checklists: reg, Sync: sync, Now: ck.now, Logger: reviewtest.Quiet})
	if err != nil {
		t.Fatal(err)
	}
	u.Start()
	return &harness{t: t, u: u, w: w, c: uitest.Checklist(t), clock: ck, list: list}
}

func (h *harness) scenario(id string) *trainer.Scenario {
	for _, s := range h.list {
		if s.ID == id {
			return s
		}
	}
	h.t.Fatalf("no scenario %s", id)
	return nil
}

func (h *harness) golden(name string) {
	h.t.Helper()
	for _, sz := range []fyne.Size{fyne.NewSize(1280, 800), fyne.NewSize(800, 1280)} {
		h.w.Resize(sz)
		if bad := uitest.SmallTargets(h.w.Canvas().Content()); len(bad) > 0 {
			h.t.Errorf("%s at %v: tappable elements under %d px: %s", name, sz, theme.MinTouch, strings.Join(bad, "; "))
		}
		test.AssertImageMatches(h.t, fmt.Sprintf("%s_%.0fx%.0f.png", name, sz.Width, sz.Height), h.w.Canvas().Capture())
	}
	h.w.Resize(fyne.NewSize(1280, 800))
}

// TestDemonstration walks a scenario's checklist page by page: the story
// and the page's facts are shown, guidance is open, what should be
// recognised is revealed where it applies, and filling in the facts
// through the widgets fires exactly the expected rules.
func TestDemonstration(t *testing.T) {
	h := newHarness(t, uitest.EnrolledStore(t), nil)
	u := h.u
	if u.Library == nil || len(u.Library.Demonstrate) < 8 {
		t.Fatal("the library does not list the scenarios")
	}
	h.golden("library")
	sc := h.scenario("neglect-cold-flat")
	test.Tap(u.Library.Demonstrate[sc.ID])
	d := u.Demo
	if d == nil {
		t.Fatal("no demonstration")
	}
	if !d.Flow.Entry().Training {
		t.Fatal("the demonstration's entry is not marked as training")
	}
	if !strings.Contains(d.Narrative.Text, "Larch Court") {
		t.Errorf("narrative %q", d.Narrative.Text)
	}
	test.Tap(d.FillIn)
	test.Tap(d.Flow.Next) // triage
	if !strings.Contains(d.Found.Text, "cannot be woken") || !strings.Contains(d.Recognise.Text, "alone in law") {
		t.Errorf("triage page: found %q, recognise %q", d.Found.Text, d.Recognise.Text)
	}
	for _, q := range d.Flow.Questions {
		if q.Guidance != nil && !q.Guidance.Visible() {
			t.Errorf("guidance of %s is not shown", q.Q.ID)
		}
	}
	test.Tap(d.FillIn)
	if !d.Flow.Banner.Visible() {
		t.Error("no immediate-risk banner after the triage facts")
	}
	h.golden("demo_triage")
	// The rest of the pages.
	for i := 0; i < 40; i++ {
		test.Tap(d.FillIn)
		if p, _ := d.Flow.Page(); p == len(d.Flow.Pages())-1 {
			break
		}
		test.Tap(d.Flow.Next)
	}
	got := trainer.FiredRules(d.Flow.Result())
	if strings.Join(got, ",") != strings.Join(sortedCopy(sc.Expected.Rules), ",") {
		t.Errorf("demonstration fired %v, want %v", got, sc.Expected.Rules)
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// complete records scenario sc in the flow through its widgets as a
// trainee would: people added, facts entered, links made, and everything
// else answered plainly (no concern; today's time; "no").
func complete(t *testing.T, f *checklistui.Flow, c *forms.Checklist, sc *trainer.Scenario) {
	t.Helper()
	for pass := 0; pass < 4 && !f.Result().Ready; pass++ {
		for i := 0; i < len(f.Pages()); i++ {
			f.ShowPage(i)
			e := f.Entry()
			if f.Links != nil {
				var rels []forms.Relationship
				for _, l := range sc.Links {
					if l.Adult >= len(e.Groups["adult"]) || l.Child >= len(e.Groups["child"]) {
						continue
					}
					rels = append(rels, forms.Relationship{From: e.Groups["adult"][l.Adult].ID, To: e.Groups["child"][l.Child].ID, Type: l.Type})
				}
				if err := f.SetRelationships(rels); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if len(f.Questions) == 0 && f.AddPerson != nil {
				if strings.Contains(f.AddPerson.Text, "child") && len(e.Groups["child"]) < sc.Children ||
					strings.Contains(f.AddPerson.Text, "adult") && len(e.Groups["adult"]) < sc.Adults {
					test.Tap(f.AddPerson)
				}
				continue
			}
			for _, fact := range sc.Facts {
				q, ok := f.Questions[fact.Question]
				if !ok || q.Status.Text == "Saved" {
					continue
				}
				if fact.Group != "" {
					list := e.Groups[fact.Group]
					if fact.Person >= len(list) || list[fact.Person].ID != q.Instance {
						continue
					}
				}
				if err := q.Enter(fact.Text(q.Q)); err != nil {
					t.Fatal(err)
				}
			}
			for _, id := range orderedQuestions(f) {
				q := f.Questions[id]
				if !q.Box().Visible() || q.Status.Text == "Saved" {
					continue
				}
				v := plainAnswer(c, q.Q)
				if v == "" {
					continue
				}
				if err := q.Enter(v); err != nil {
					t.Fatal(err)
				}
			}
			// A second adult is added from the first adult's page.
			if f.AddPerson != nil && strings.Contains(f.AddPerson.Text, "adult") && len(f.Entry().Groups["adult"]) < sc.Adults {
				test.Tap(f.AddPerson)
				i = -1
			}
		}
	}
	if !f.Result().Ready {
		t.Fatalf("could not complete the check: %+v", f.Result().Problems)
	}
}

func orderedQuestions(f *checklistui.Flow) []string {
	var out []string
	for _, it := range f.Result().Visible {
		if q, ok := f.Questions[it.Question]; ok && q.Instance == it.Instance {
			out = append(out, it.Question)
		}
	}
	return out
}

func plainAnswer(c *forms.Checklist, q *forms.Question) string {
	switch q.Kind {
	case forms.KindYesNo:
		return "no"
	case forms.KindSingle:
		return q.Options[0].Value
	case forms.KindMulti:
		return q.Options[0].Value
	case forms.KindCode:
		return c.CodeLists[q.CodeList].Codes[0].Value
	case forms.KindDate:
		return "01/02/2015"
	case forms.KindDateTime:
		return "now"
	case forms.KindNumber:
		return "5"
	case forms.KindScale:
		return fmt.Sprint(q.Scale.Min)
	case forms.KindPhoto:
		return ""
	}
	return "Recorded in practice"
}

// TestPracticeScoredAndKeptOffTheLiveQueue: a trainee records a scenario
// through the widgets on a real device store, finishes, and sees the
// score; the practice check is sent by the real sync engine to a real
// central system, where it is in the training queue and not in the live
// one.
func TestPracticeScoredAndKeptOffTheLiveQueue(t *testing.T) {
	base, srv := centraltest.Start(t, centraltest.SQLite)
	dev := reviewtest.NewDevice(t, srv, base)
	h := newHarness(t, dev.Store, dev.Engine)
	u := h.u
	sc := h.scenario("injury-baby-bruise")
	test.Tap(u.Library.Practise[sc.ID])
	p := u.Practice
	if p == nil {
		t.Fatal("no practice screen")
	}
	h.golden("practice")
	complete(t, p.Flow, h.c, sc)
	id := p.Flow.Entry().ID
	h.clock.t = h.clock.t.Add(7*time.Minute + 30*time.Second)
	test.Tap(p.Finish)
	r := u.Results
	if r == nil {
		t.Fatal("no results after finishing")
	}
	s := r.Score
	if len(s.Missed) != 0 || !s.ImmediateRight() || !s.Submitted || s.Total < 80 {
		t.Fatalf("score %+v", s)
	}
	if !strings.Contains(r.Total.Text, "out of 100") || !strings.Contains(r.Parts.Text, "Time taken: 7 min 30 s") {
		t.Errorf("results: %q %q", r.Total.Text, r.Parts.Text)
	}
	u.WaitIdle()
	if !strings.Contains(r.Sent.Text, "Sent to your trainer's training queue") {
		t.Fatalf("sent: %q", r.Sent.Text)
	}
	h.golden("results")

	// On the central system: in the training queue, not the live one.
	live := supervisor.NewClient(base, supervisor.Live)
	if _, err := live.Login(t.Context(), "sergeant1", central.DemoPassword); err != nil {
		t.Fatal(err)
	}
	lq, err := live.Queue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range lq.Items {
		if it.EntryID == id {
			t.Fatal("a training check reached the live review queue")
		}
	}
	if _, err := live.Open(t.Context(), id, 0); err == nil {
		t.Fatal("a supervisor can open a training check in the live namespace")
	}
	tr := supervisor.NewClient(base, supervisor.Training)
	if _, err := tr.Login(t.Context(), "trainer1", central.DemoPassword); err != nil {
		t.Fatal(err)
	}
	tq, err := tr.Queue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range tq.Items {
		found = found || (it.EntryID == id && it.Training)
	}
	if !found {
		t.Fatalf("the practice check is not in the training queue: %+v", tq.Items)
	}
}

// TestScoreExplainsMisses: a trainee who records only the incident and
// says no to everything misses every risk, the immediate call and the
// child's details, and each miss is explained.
func TestScoreExplainsMisses(t *testing.T) {
	list, err := trainer.LoadScenarios(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	c := uitest.Checklist(t)
	for _, sc := range list {
		e := &forms.Entry{Checklist: sc.Checklist, Training: true, Answers: map[string]forms.Answer{"reason": {Value: "welfare_check"}},
			Groups: map[string][]forms.Instance{"child": {{ID: "c1", Answers: map[string]forms.Answer{"child_name": {Value: "X"}}}}}}
		res, err := forms.Evaluate(c, e, forms.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := trainer.ScoreEntry(c, sc, e, res, time.Minute)
		if len(s.Missed) != len(sc.Expected.Rules) || len(s.Explanations) != len(s.Missed) {
			t.Errorf("%s: missed %v of %v", sc.ID, s.Missed, sc.Expected.Rules)
		}
		for _, x := range s.Explanations {
			if !strings.Contains(x, "What showed it") {
				t.Errorf("%s: explanation names no fact: %q", sc.ID, x)
			}
		}
		// The triage was left unanswered: no call was made, whatever the case.
		if len(s.DemoMissing) == 0 || s.ImmediateRight() || s.ImmediateAnswered || s.Total > 10 {
			t.Errorf("%s: score %+v", sc.ID, s)
		}
		// The reason given differs from the case's: recorded but wrong.
		wrong := strings.Join(s.FactsWrong, "\n")
		reason := ""
		for _, f := range sc.Facts {
			if f.Question == "reason" {
				reason = fmt.Sprint(f.Answer)
			}
		}
		if (reason != "welfare_check") != strings.Contains(wrong, "you recorded") || len(s.FactsMissed) == 0 {
			t.Errorf("%s: wrong %q, missed %v", sc.ID, wrong, s.FactsMissed)
		}
	}
}
