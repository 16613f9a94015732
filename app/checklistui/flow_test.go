package checklistui

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/internal/uitest"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

// harness is a flow on a real device store in a test window.
type harness struct {
	t     *testing.T
	store *devicestore.Store
	c     *forms.Checklist
	f     *Flow
	w     fyne.Window
}

func newHarness(t *testing.T, size fyne.Size) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(false, 1))
	h := &harness{t: t, store: uitest.EnrolledStore(t), c: uitest.Checklist(t)}
	e, err := h.store.NewEntry(uitest.Ref, false)
	if err != nil {
		t.Fatal(err)
	}
	h.w = test.NewTempWindow(t, widget.NewLabel(""))
	h.f, err = New(h.c, e, h.store, Options{Now: uitest.Clock, Window: h.w})
	if err != nil {
		t.Fatal(err)
	}
	h.w.SetContent(h.f.Object())
	h.w.Resize(size)
	return h
}

// q returns the question on screen.
func (h *harness) q(id string) *Question {
	h.t.Helper()
	r, ok := h.f.Questions[id]
	if !ok {
		h.t.Fatalf("question %s is not on page %q", id, h.f.PageTitle.Text)
	}
	if !r.box.Visible() {
		h.t.Fatalf("question %s is hidden", id)
	}
	return r
}

func (h *harness) typeIn(id, text string) {
	h.t.Helper()
	r := h.q(id)
	var e *commitEntry
	switch in := r.input.(type) {
	case *textInput:
		e = in.e
	case *numberInput:
		e = in.e
	case *dateInput:
		e = in.e
	case *dateTimeInput:
		e = in.e
	default:
		h.t.Fatalf("%s is not typed into (%T)", id, r.input)
	}
	h.w.Canvas().Focus(e)
	test.Type(e, text)
	h.w.Canvas().Unfocus()
}

func (h *harness) yesNo(id, v string) {
	h.t.Helper()
	in := h.q(id).input.(*yesNoInput)
	if v == "yes" {
		test.Tap(in.yes)
	} else {
		test.Tap(in.no)
	}
}

func (h *harness) choose(id, label string) {
	h.t.Helper()
	switch in := h.q(id).input.(type) {
	case *optionInput:
		if in.radio != nil {
			in.radio.SetSelected(label)
		} else {
			in.sel.SetSelected(label)
		}
	case *multiInput:
		in.group.SetSelected([]string{label})
	case *codeInput:
		test.Type(in.search, label)
	default:
		h.t.Fatalf("%s: cannot choose (%T)", id, in)
	}
}

func (h *harness) notKnown(id, reason string) {
	h.t.Helper()
	r := h.q(id)
	tapCenter(r.NotKnown)
	if !r.NotKnown.Checked {
		h.t.Fatalf("%s: Not known did not tick", id)
	}
	test.Type(r.Reason, reason)
}

// saved checks the store holds the answer the screen says is saved.
func (h *harness) saved(group, instance, id string) forms.Answer {
	h.t.Helper()
	e, err := h.store.Entry(h.f.e.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	m := e.Answers
	if instance != "" {
		inst, ok := e.Instance(group, instance)
		if !ok {
			h.t.Fatalf("store has no %s %s", group, instance)
		}
		m = inst.Answers
	}
	a, ok := m[id]
	if !ok {
		h.t.Fatalf("store has no answer to %s", id)
	}
	return a
}

func (h *harness) gotoTitle(prefix string) {
	h.t.Helper()
	for i, p := range h.f.Pages() {
		if strings.HasPrefix(p, prefix) {
			h.f.ShowPage(i)
			return
		}
	}
	h.t.Fatalf("no page %q in %q", prefix, h.f.Pages())
}

func (h *harness) capture(name string) {
	h.t.Helper()
	test.AssertImageMatches(h.t, name, h.w.Canvas().Capture())
}

func (h *harness) targets() {
	h.t.Helper()
	if bad := uitest.SmallTargets(h.w.Canvas().Content()); len(bad) > 0 {
		h.t.Errorf("page %q: tappable elements under %d px: %s", h.f.PageTitle.Text, theme.MinTouch, strings.Join(bad, "; "))
	}
}

// TestWholeCheck walks a check from start to submit through the widgets,
// on a real device store.
func TestWholeCheck(t *testing.T) {
	h := newHarness(t, fyne.NewSize(1280, 800))
	f := h.f

	// Incident.
	if _, title := f.Page(); title != "Incident" {
		t.Fatalf("first page %q", title)
	}
	h.targets()
	h.typeIn("incident_ref", "INC-2026-0042")
	if s := h.q("incident_ref").Status.Text; s != "Saved" {
		t.Fatalf("status after typing: %q", s)
	}
	if a := h.saved("", "", "incident_ref"); a.Value != "INC-2026-0042" {
		t.Fatalf("stored %v", a.Value)
	}
	test.Tap(h.q("incident_time").input.(*dateTimeInput).now)
	if a := h.saved("", "", "incident_time"); a.Value != "2026-11-25T22:30:00Z" {
		t.Fatalf("incident time stored as %v", a.Value)
	}
	h.notKnown("incident_address", "Caller withheld; found by phone location")
	if a := h.saved("", "", "incident_address"); !a.NotKnown || a.Reason == "" {
		t.Fatalf("not known stored as %+v", a)
	}
	h.choose("reason", "Welfare check")
	if h.f.Questions["reason_other"].box.Visible() {
		t.Fatal("reason_other shown though reason is not other")
	}
	h.choose("reason", "Other")
	if !h.f.Questions["reason_other"].box.Visible() {
		t.Fatal("reason_other hidden though reason is other")
	}
	h.choose("reason", "Welfare check")
	h.capture("flow_incident_1280x800.png")

	// Guidance on request.
	for _, r := range f.Questions {
		if r.Why != nil && r.box.Visible() {
			test.Tap(r.Why)
			if !r.Guidance.Visible() {
				t.Fatal("guidance not shown")
			}
			test.Tap(r.Why)
			break
		}
	}

	// Triage: all no, then one yes raises the banner.
	test.Tap(f.Next)
	if _, title := f.Page(); title != "Immediate safety" {
		t.Fatalf("second page %q", title)
	}
	for _, id := range []string{"triage_life", "triage_medical", "triage_s46", "triage_sexual_disclosure", "triage_fgm_known", "triage_travel", "triage_trafficking", "triage_missing_high", "triage_other_children", "triage_suspect_children"} {
		h.yesNo(id, "no")
	}
	if f.Banner.Visible() {
		t.Fatal("banner shown with no risk")
	}
	yes := h.q("triage_no_carer").input.(*yesNoInput).yes
	before := fyne.CurrentApp().Driver().AbsolutePositionForObject(yes)
	h.yesNo("triage_no_carer", "yes")
	if !f.Banner.Visible() || !f.Result().Immediate {
		t.Fatal("banner not shown for immediate risk")
	}
	if after := fyne.CurrentApp().Driver().AbsolutePositionForObject(yes); after != before {
		t.Errorf("the banner moved the Yes just tapped from %v to %v", before, after)
	}
	if f.Banner.Expanded() {
		t.Error("banner opened its details by itself: it starts as one line")
	}
	if hb, hw := f.Banner.Object().Size().Height, h.w.Canvas().Size().Height; hb > hw/8 {
		t.Errorf("collapsed banner %.0f px tall in a %.0f px window", hb, hw)
	}
	test.Tap(f.Banner.Toggle)
	if !f.Banner.Expanded() {
		t.Fatal("the banner's details did not open")
	}
	if len(f.Banner.Actions) == 0 {
		t.Fatal("no actions in the banner")
	}
	var reasons string
	for _, s := range f.Banner.Reasons.Segments {
		reasons += s.Textual()
	}
	if !strings.Contains(reasons, "capable") && !strings.Contains(strings.ToLower(reasons), "carer") {
		t.Errorf("banner reasons %q", reasons)
	}
	tapCenter(f.Banner.Actions[0])
	h.targets()
	h.capture("flow_triage_immediate_1280x800.png")
	test.Tap(f.Banner.Toggle)
	if f.Banner.Expanded() {
		t.Fatal("the banner's details did not close")
	}

	// A child.
	test.Tap(f.Next)
	if f.AddPerson == nil {
		t.Fatalf("no add button on %q", f.PageTitle.Text)
	}
	test.Tap(f.AddPerson)
	if _, title := f.Page(); !strings.HasPrefix(title, "Child 1") {
		t.Fatalf("after adding a child: %q", title)
	}
	child := f.e.Groups["child"][0].ID
	h.typeIn("child_name", "Amy Example")
	if _, title := f.Page(); !strings.HasPrefix(title, "Child 1: Amy Example") {
		t.Errorf("page title %q", title)
	}
	h.typeIn("child_dob", "28/03/2019")
	if a := h.saved("child", child, "child_dob"); a.Value != "2019-03-28" {
		t.Fatalf("dob stored as %v", a.Value)
	}
	h.notKnown("child_ethnicity_self", "Carer would not say and child too young")
	if a := h.saved("child", child, "child_ethnicity_self"); !a.NotKnown {
		t.Fatalf("ethnicity stored as %+v", a)
	}
	h.choose("child_sex", "Female")
	h.choose("child_sen", "SEN support")
	if !f.Questions["child_sen_need"].box.Visible() {
		t.Fatal("SEN need hidden after SEN support")
	}
	h.choose("child_sen_need", "ASD")
	if a := h.saved("child", child, "child_sen_need"); a.Value != "ASD" {
		t.Fatalf("SEN need stored as %v", a.Value)
	}
	h.targets()
	h.capture("flow_child_1280x800.png")
	h.w.Resize(fyne.NewSize(800, 1280))
	h.capture("flow_child_800x1280.png")
	h.w.Resize(fyne.NewSize(1280, 800))

	// An adult, linked to the child.
	h.gotoTitle("People and links")
	test.Tap(f.AddPerson)
	h.typeIn("adult_name", "Sam Example")
	h.gotoTitle("How people are linked")
	add := f.Links.Add[child]
	add.From.SetSelectedIndex(0)
	add.Type.SetSelectedIndex(0)
	test.Tap(add.Button)
	if len(f.e.Relationships) != 1 {
		t.Fatalf("relationships %+v", f.e.Relationships)
	}
	stored, _ := h.store.Entry(f.e.ID)
	if len(stored.Relationships) != 1 {
		t.Fatalf("store relationships %+v", stored.Relationships)
	}

	// Review: missing items, jump to each, answer it, submit.
	test.Tap(f.ReviewIt)
	if f.Review == nil {
		t.Fatal("review not shown")
	}
	if f.Result().Ready || len(f.Review.GoTo) == 0 || f.Review.Submit.Disabled() == false {
		t.Fatalf("review of an unfinished check: ready=%v goto=%d submit disabled=%v", f.Result().Ready, len(f.Review.GoTo), f.Review.Submit.Disabled())
	}
	h.capture("flow_review_1280x800.png")
	h.w.Resize(fyne.NewSize(800, 1280))
	h.capture("flow_review_800x1280.png")
	h.targets()
	h.w.Resize(fyne.NewSize(1280, 800))
	h.targets()
	jumps := 0
	for !f.Result().Ready {
		if jumps > 400 {
			t.Fatalf("still not ready after %d jumps: %+v", jumps, f.Result().Problems[0])
		}
		test.Tap(f.ReviewIt)
		p := f.Result().Problems[0]
		test.Tap(f.Review.GoTo[0])
		jumps++
		if p.Question == "" {
			t.Fatalf("problem without a question: %+v", p)
		}
		if _, title := f.Page(); !strings.Contains(title, f.c.Sections[sectionIndex(f.c, p.Section)].Title.String()) {
			t.Fatalf("Go to %s landed on %q", p.Path(), title)
		}
		h.answerAnyhow(p.Question)
	}
	test.Tap(f.ReviewIt)
	if f.Review.Submit.Disabled() {
		t.Fatal("submit disabled on a ready entry")
	}
	var frozen devicestore.Frozen
	f.OnSubmitted = func(fr devicestore.Frozen) { frozen = fr }
	test.Tap(f.Review.Submit)
	if frozen.EntryID != f.e.ID || frozen.Priority < devicestore.PriorityImmediate {
		t.Fatalf("submitted %+v", frozen)
	}
	list, err := h.store.ListEntries(devicestore.Filter{})
	if err != nil || len(list) != 1 || list[0].State != devicestore.StateQueued || !list[0].Immediate {
		t.Fatalf("store after submit: %+v %v", list, err)
	}
	if !strings.Contains(list[0].Title, "Amy Example") {
		t.Errorf("entry title %q", list[0].Title)
	}
	t.Logf("%d jumps from the review to finish the check", jumps)
}

func sectionIndex(c *forms.Checklist, id string) int {
	for i := range c.Sections {
		if c.Sections[i].ID == id {
			return i
		}
	}
	return 0
}

// answerAnyhow gives the question on screen a plausible answer.
func (h *harness) answerAnyhow(id string) {
	h.t.Helper()
	r := h.q(id)
	switch in := r.input.(type) {
	case *yesNoInput:
		test.Tap(in.no)
	case *optionInput:
		if in.radio != nil {
			in.radio.SetSelected(in.labels[0])
		} else {
			in.sel.SetSelectedIndex(0)
		}
	case *multiInput:
		in.group.SetSelected([]string{in.labels[0]})
	case *codeInput:
		in.sel.SetSelectedIndex(0)
	case *dateInput:
		h.typeIn(id, "01/02/2015")
	case *dateTimeInput:
		test.Tap(in.now)
	case *numberInput:
		h.typeIn(id, "5")
	case *textInput:
		h.typeIn(id, "Recorded at the scene")
	case *photoInput:
		r.f.AttachPhoto(r, "injury.jpg", "image/jpeg", bytes.NewReader([]byte("\xff\xd8\xff fake jpeg")))
	}
	if r.Status.Text != "Saved" {
		h.t.Fatalf("%s: status %q after answering", id, r.Status.Text)
	}
}

// tapCenter taps the middle of a widget, where an officer's finger lands
// (a check box ignores taps above or below its box).
func tapCenter(o interface {
	fyne.Tappable
	fyne.CanvasObject
}) {
	test.TapAt(o, fyne.NewPos(o.Size().Width/4, o.Size().Height/2))
}

// TestTypingSavedOnPauseOrLeave: with a typing delay, text is shown as not
// saved until the store has it, and leaving the field saves it at once.
func TestTypingSavedOnPauseOrLeave(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(false, 1))
	store := uitest.EnrolledStore(t)
	e, err := store.NewEntry(uitest.Ref, false)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	f, err := New(uitest.Checklist(t), e, store, Options{TypingDelay: time.Hour, Window: w})
	if err != nil {
		t.Fatal(err)
	}
	w.SetContent(f.Object())
	r := f.Questions["incident_ref"]
	in := r.input.(*textInput).e
	w.Canvas().Focus(in)
	test.Type(in, "INC-1")
	if r.Status.Text == "Saved" {
		t.Fatal("shown as saved before the store has it")
	}
	if got, _ := store.Entry(e.ID); len(got.Answers) != 0 {
		t.Fatalf("saved while typing: %+v", got.Answers)
	}
	w.Canvas().Unfocus()
	if r.Status.Text != "Saved" {
		t.Fatalf("status after leaving the field: %q", r.Status.Text)
	}
	if got, _ := store.Entry(e.ID); got.Answers["incident_ref"].Value != "INC-1" {
		t.Fatalf("not saved on leaving the field: %+v", got.Answers)
	}
}

// TestPhotoAttachAndRemove: a photo is stored encrypted by the store and
// listed in the entry; removing it takes it off the answer and the list.
func TestPhotoAttachAndRemove(t *testing.T) {
	h := newHarness(t, fyne.NewSize(1280, 800))
	f := h.f
	h.gotoTitle("Each child")
	test.Tap(f.AddPerson)
	child := f.e.Groups["child"][0].ID
	h.gotoTitle("Child 1 — Seen and heard")
	h.yesNo("child_seen", "yes")
	h.yesNo("child_injuries", "yes")
	r := h.q("child_injury_photos")
	jpeg := []byte("\xff\xd8\xff\xe0 not really a jpeg but bytes all the same")
	f.AttachPhoto(r, "bruise-left-arm.jpg", "image/jpeg", bytes.NewReader(jpeg))
	if r.Status.Text != "Saved" {
		t.Fatalf("status %q", r.Status.Text)
	}
	a := h.saved("child", child, "child_injury_photos")
	list, _ := a.Value.([]string)
	stored, _ := h.store.Entry(f.e.ID)
	if len(list) != 1 || len(stored.Attachments) != 1 || stored.Attachments[0].SHA256 != list[0] {
		t.Fatalf("answer %v, attachments %+v", a.Value, stored.Attachments)
	}
	rc, err := h.store.OpenAttachment(list[0])
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(rc)
	rc.Close()
	if !bytes.Equal(buf.Bytes(), jpeg) {
		t.Fatal("attachment content differs")
	}
	if p := f.Result().Problems; len(p) > 0 {
		for _, x := range p {
			if x.Code == forms.ProblemAttachment {
				t.Fatalf("attachment problem: %+v", x)
			}
		}
	}
	h.targets()
	p := r.input.(*photoInput)
	var remove *widget.Button
	for _, o := range p.list.Objects {
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				if b, ok := x.(*widget.Button); ok && b.Text == "Remove" {
					remove = b
				}
			}
		}
	}
	if remove == nil {
		t.Fatal("no Remove button for the photo")
	}
	test.Tap(remove)
	stored, _ = h.store.Entry(f.e.ID)
	if len(stored.Attachments) != 0 {
		t.Fatalf("attachment still listed: %+v", stored.Attachments)
	}
	if inst, _ := stored.Instance("child", child); !inst.Answers["child_injury_photos"].IsBlank() {
		t.Fatalf("photo answer left: %+v", inst.Answers["child_injury_photos"])
	}
}
