package checklistui

import (
	"fmt"
	"fyne.io/fyne/v2/lang"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// input is the editing widget of one question kind.
type input interface {
	// Object is what goes on screen.
	Object() fyne.CanvasObject
	// Set shows a stored value (nil: blank) without reporting a change.
	// It is called once, as the row is built and before it is first
	// drawn, so it sets the widgets' fields without redrawing them (their
	// first drawing shows the value).
	Set(v any)
	// Get returns the value to save (nil: blank) or, when what is on screen
	// cannot be saved as it stands, a plain message saying why.
	Get() (any, string)
	// Enable turns editing on or off (off while "Not known" is chosen).
	Enable(on bool)
	// Focus returns the widget to focus when jumping to the question.
	Focus() fyne.Focusable
}

// commitEntry is an Entry that tells its owner when the officer has
// finished with it: on every change (after a short pause when a typing
// delay is set), on Enter and on leaving the field.
type commitEntry struct {
	widget.Entry
	onCommit func()
	// onPending, when set, is told that typing started a wait before
	// saving, so the screen can say the text is not saved yet.
	onPending func()
	delay     time.Duration
	timer     *time.Timer
	silent    bool
}

func newCommitEntry(multi bool, delay time.Duration, onCommit func()) *commitEntry {
	e := &commitEntry{onCommit: onCommit, delay: delay}
	e.MultiLine = multi
	if multi {
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
	}
	e.ExtendBaseWidget(e)
	e.OnChanged = func(string) {
		if e.silent {
			return
		}
		if e.delay <= 0 {
			e.onCommit()
			return
		}
		if e.timer != nil {
			e.timer.Stop()
		} else if e.onPending != nil {
			e.onPending()
		}
		e.timer = time.AfterFunc(e.delay, func() { fyne.Do(e.flush) })
	}
	e.OnSubmitted = func(string) { e.flush() }
	return e
}

// flush commits a pending change now.
func (e *commitEntry) flush() {
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
		e.onCommit()
	}
}

// FocusLost commits what was typed when the officer leaves the field.
func (e *commitEntry) FocusLost() {
	e.Entry.FocusLost()
	e.flush()
}

// setQuiet sets the text without reporting a change.
func (e *commitEntry) setQuiet(s string) {
	e.silent = true
	e.SetText(s)
	e.silent = false
}

type textInput struct{ e *commitEntry }

func (t *textInput) Object() fyne.CanvasObject { return t.e }
func (t *textInput) Set(v any) {
	s, _ := v.(string)
	t.e.setQuiet(s)
}
func (t *textInput) Get() (any, string) {
	if strings.TrimSpace(t.e.Text) == "" {
		return nil, ""
	}
	return t.e.Text, ""
}
func (t *textInput) Enable(on bool)        { enable(t.e, on) }
func (t *textInput) Focus() fyne.Focusable { return t.e }

type numberInput struct{ e *commitEntry }

func (t *numberInput) Object() fyne.CanvasObject { return t.e }
func (t *numberInput) Set(v any) {
	f, ok := v.(float64)
	if !ok {
		t.e.setQuiet("")
		return
	}
	t.e.setQuiet(strconv.FormatFloat(f, 'f', -1, 64))
}
func (t *numberInput) Get() (any, string) {
	s := strings.TrimSpace(t.e.Text)
	if s == "" {
		return nil, ""
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, lang.L("Enter a number, for example 7 or 7.5.")
	}
	return f, ""
}
func (t *numberInput) Enable(on bool)        { enable(t.e, on) }
func (t *numberInput) Focus() fyne.Focusable { return t.e }

// Date formats accepted from the officer: the UK day-first form first.
var (
	dateLayouts     = []string{"02/01/2006", "2/1/2006", "2006-01-02", "02-01-2006", "02.01.2006"}
	dateTimeLayouts = []string{"02/01/2006 15:04", "2/1/2006 15:04", "2006-01-02 15:04", "2006-01-02T15:04", "02/01/2006 15.04"}
)

type dateInput struct{ e *commitEntry }

func (t *dateInput) Object() fyne.CanvasObject { return t.e }
func (t *dateInput) Set(v any) {
	s, _ := v.(string)
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		s = d.Format("02/01/2006")
	}
	t.e.setQuiet(s)
}
func (t *dateInput) Get() (any, string) {
	s := strings.TrimSpace(t.e.Text)
	if s == "" {
		return nil, ""
	}
	for _, l := range dateLayouts {
		if d, err := time.Parse(l, s); err == nil {
			return d.Format(time.DateOnly), ""
		}
	}
	return nil, lang.L("Enter the date as day/month/year, for example 28/03/2019.")
}
func (t *dateInput) Enable(on bool)        { enable(t.e, on) }
func (t *dateInput) Focus() fyne.Focusable { return t.e }

type dateTimeInput struct {
	e   *commitEntry
	now *widget.Button
	box fyne.CanvasObject
}

func newDateTimeInput(delay time.Duration, clock func() time.Time, changed func()) *dateTimeInput {
	t := &dateTimeInput{}
	t.e = newCommitEntry(false, delay, changed)
	t.e.SetPlaceHolder(lang.L("day/month/year hour:minute, e.g. 25/11/2025 22:30"))
	t.now = widget.NewButton(lang.L("Now"), func() {
		t.e.setQuiet(clock().In(theme.Zone()).Format("02/01/2006 15:04"))
		changed()
	})
	t.box = container.NewBorder(nil, nil, nil, t.now, t.e)
	return t
}

func (t *dateTimeInput) Object() fyne.CanvasObject { return t.box }
func (t *dateTimeInput) Set(v any) {
	s, _ := v.(string)
	if d, err := time.Parse(time.RFC3339, s); err == nil {
		s = d.In(theme.Zone()).Format("02/01/2006 15:04") // the force's zone (app/theme)
	}
	t.e.setQuiet(s)
}
func (t *dateTimeInput) Get() (any, string) {
	s := strings.TrimSpace(t.e.Text)
	if s == "" {
		return nil, ""
	}
	if d, err := time.Parse(time.RFC3339, s); err == nil {
		return d.Format(time.RFC3339), ""
	}
	for _, l := range dateTimeLayouts {
		if d, err := time.ParseInLocation(l, s, theme.Zone()); err == nil {
			return d.UTC().Format(time.RFC3339), "" // ISO (UTC) on the wire only
		}
	}
	return nil, lang.L("Enter the date and time as day/month/year hour:minute, for example 25/11/2025 22:30, or tap Now.")
}
func (t *dateTimeInput) Enable(on bool) {
	enable(t.e, on)
	enable(t.now, on)
}
func (t *dateTimeInput) Focus() fyne.Focusable { return t.e }

// yesNoInput is two big buttons; the chosen one is filled.
type yesNoInput struct {
	yes, no *widget.Button
	value   string
	box     fyne.CanvasObject
}

func newYesNoInput(changed func()) *yesNoInput {
	t := &yesNoInput{}
	pick := func(v string) func() {
		return func() {
			t.show(v)
			changed()
		}
	}
	t.yes = widget.NewButton(lang.L("Yes"), pick("yes"))
	t.no = widget.NewButton(lang.L("No"), pick("no"))
	t.box = container.NewGridWithColumns(2, t.yes, t.no)
	return t
}

func (t *yesNoInput) show(v string) {
	t.mark(v)
	t.yes.Refresh()
	t.no.Refresh()
}

// mark fills the chosen button, without redrawing.
func (t *yesNoInput) mark(v string) {
	t.value = v
	t.yes.Importance, t.no.Importance = widget.MediumImportance, widget.MediumImportance
	switch v {
	case "yes":
		t.yes.Importance = widget.HighImportance
	case "no":
		t.no.Importance = widget.HighImportance
	}
}

func (t *yesNoInput) Object() fyne.CanvasObject { return t.box }
func (t *yesNoInput) Set(v any) {
	s, _ := v.(string)
	t.mark(s)
}
func (t *yesNoInput) Get() (any, string) {
	if t.value == "" {
		return nil, ""
	}
	return t.value, ""
}
func (t *yesNoInput) Enable(on bool) {
	enable(t.yes, on)
	enable(t.no, on)
}
func (t *yesNoInput) Focus() fyne.Focusable { return nil }

// optionInput is a single choice: a radio group for a few options, a
// drop-down for many. Scale questions use it too.
type optionInput struct {
	labels  []string
	values  []string
	radio   *widget.RadioGroup
	sel     *widget.Select
	number  bool // value is a float64 (scale)
	current string
}

// maxRadio is the most options shown as a radio group; more use a
// drop-down, so the page stays short.
const maxRadio = 6

func newOptionInput(values, labels []string, number bool, changed func()) *optionInput {
	t := &optionInput{labels: labels, values: values, number: number}
	on := func(label string) {
		t.current = t.valueOf(label)
		changed()
	}
	if len(labels) <= maxRadio {
		t.radio = widget.NewRadioGroup(labels, on)
	} else {
		t.sel = widget.NewSelect(labels, on)
		t.sel.PlaceHolder = lang.L("Choose…")
	}
	return t
}

func (t *optionInput) valueOf(label string) string {
	for i, l := range t.labels {
		if l == label {
			return t.values[i]
		}
	}
	return ""
}

func (t *optionInput) labelOf(value string) string {
	for i, v := range t.values {
		if v == value {
			return t.labels[i]
		}
	}
	return ""
}

func (t *optionInput) Object() fyne.CanvasObject {
	if t.radio != nil {
		return t.radio
	}
	return t.sel
}

func (t *optionInput) Set(v any) {
	s := ""
	switch x := v.(type) {
	case string:
		s = x
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	}
	t.current = s
	if t.radio != nil {
		t.radio.Selected = t.labelOf(s)
	} else {
		t.sel.Selected = t.labelOf(s)
	}
}

func (t *optionInput) Get() (any, string) {
	if t.current == "" {
		return nil, ""
	}
	if t.number {
		f, err := strconv.ParseFloat(t.current, 64)
		if err != nil {
			return nil, lang.L("Choose a point on the scale.")
		}
		return f, ""
	}
	return t.current, ""
}

func (t *optionInput) Enable(on bool) {
	if t.radio != nil {
		enable(t.radio, on)
	} else {
		enable(t.sel, on)
	}
}
func (t *optionInput) Focus() fyne.Focusable {
	if t.sel != nil {
		return t.sel
	}
	return nil
}

// multiInput is a list of check boxes.
type multiInput struct {
	labels, values []string
	group          *widget.CheckGroup
}

func newMultiInput(values, labels []string, changed func()) *multiInput {
	t := &multiInput{labels: labels, values: values}
	// Not widget.NewCheckGroup: it draws every box at once, and the first
	// drawing on screen draws them again.
	t.group = &widget.CheckGroup{Options: labels, OnChanged: func([]string) { changed() }}
	t.group.ExtendBaseWidget(t.group)
	return t
}

func (t *multiInput) Object() fyne.CanvasObject { return t.group }
func (t *multiInput) Set(v any) {
	var sel []string
	list, _ := v.([]string)
	for _, x := range list {
		for i, val := range t.values {
			if val == x {
				sel = append(sel, t.labels[i])
			}
		}
	}
	t.group.Selected = sel
}
func (t *multiInput) Get() (any, string) {
	var out []string
	for i, l := range t.labels {
		for _, s := range t.group.Selected {
			if s == l {
				out = append(out, t.values[i])
			}
		}
	}
	if len(out) == 0 {
		return nil, ""
	}
	return out, ""
}
func (t *multiInput) Enable(on bool)        { enable(t.group, on) }
func (t *multiInput) Focus() fyne.Focusable { return nil }

// codeInput is a searchable list of codes shown as "CODE — label".
type codeInput struct {
	search  *widget.Entry
	sel     *widget.Select
	all     []string
	codes   map[string]string // shown text -> code
	current string
	box     fyne.CanvasObject
}

func newCodeInput(list forms.CodeList, lng string, changed func()) *codeInput {
	t := &codeInput{codes: map[string]string{}}
	for _, c := range list.Codes {
		s := fmt.Sprintf("%s — %s", c.Value, c.Label.In(lng))
		t.all = append(t.all, s)
		t.codes[s] = c.Value
	}
	t.sel = widget.NewSelect(t.all, func(s string) {
		t.current = t.codes[s]
		changed()
	})
	t.sel.PlaceHolder = lang.L("Choose a code…")
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder(lang.L("Search the list"))
	t.search.OnChanged = func(q string) {
		q = strings.ToLower(strings.TrimSpace(q))
		var opts []string
		for _, s := range t.all {
			if q == "" || strings.Contains(strings.ToLower(s), q) {
				opts = append(opts, s)
			}
		}
		t.sel.SetOptions(opts)
		if len(opts) == 1 && t.codes[opts[0]] != t.current {
			t.sel.SetSelected(opts[0]) // one match: choose it
		}
	}
	t.box = container.NewGridWithColumns(2, t.search, t.sel)
	return t
}

func (t *codeInput) Object() fyne.CanvasObject { return t.box }
func (t *codeInput) Set(v any) {
	s, _ := v.(string)
	t.current = s
	t.sel.Selected = ""
	for shown, code := range t.codes {
		if code == s {
			t.sel.Selected = shown
			return
		}
	}
}
func (t *codeInput) Get() (any, string) {
	if t.current == "" {
		return nil, ""
	}
	return t.current, ""
}
func (t *codeInput) Enable(on bool) {
	enable(t.sel, on)
	enable(t.search, on)
}
func (t *codeInput) Focus() fyne.Focusable { return t.search }

// photoInput lists attached photos; the row's "Attach a photo" button adds
// to it through the store.
type photoInput struct {
	hashes []string
	remove func(sha string) bool
	names  func(sha string) string
	list   *fyne.Container
	attach *widget.Button
	box    fyne.CanvasObject
	change func()
}

func newPhotoInput(names func(string) string, attach func(), changed func()) *photoInput {
	t := &photoInput{names: names, change: changed}
	t.list = container.NewVBox()
	t.attach = widget.NewButton(lang.L("Attach a photo…"), attach)
	t.box = container.NewVBox(t.list, t.attach)
	return t
}

func (t *photoInput) redraw() {
	t.list.RemoveAll()
	if len(t.hashes) == 0 {
		t.list.Add(widget.NewLabel(lang.L("No photos attached.")))
	}
	for i, h := range t.hashes {
		i, h := i, h
		rm := widget.NewButton(lang.L("Remove"), func() {
			if t.remove != nil && !t.remove(h) {
				return
			}
			t.hashes = append(append([]string{}, t.hashes[:i]...), t.hashes[i+1:]...)
			t.redraw()
			t.change()
		})
		t.list.Add(container.NewBorder(nil, nil, nil, rm, widget.NewLabel(fmt.Sprintf(lang.L("Photo %d: %s"), i+1, t.names(h)))))
	}
	t.list.Refresh()
}

func (t *photoInput) add(sha string) {
	t.hashes = append(t.hashes, sha)
	t.redraw()
}

func (t *photoInput) Object() fyne.CanvasObject { return t.box }
func (t *photoInput) Set(v any) {
	list, _ := v.([]string)
	t.hashes = append([]string(nil), list...)
	t.redraw()
}
func (t *photoInput) Get() (any, string) {
	if len(t.hashes) == 0 {
		return nil, ""
	}
	return append([]string(nil), t.hashes...), ""
}
func (t *photoInput) Enable(on bool)        { enable(t.attach, on) }
func (t *photoInput) Focus() fyne.Focusable { return nil }

func enable(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// optionLists returns the values and labels (in language lng) of a
// question's options.
func optionLists(q *forms.Question, lng string) (values, labels []string) {
	for _, o := range q.Options {
		values = append(values, o.Value)
		labels = append(labels, o.Label.In(lng))
	}
	return values, labels
}

// scaleLists returns the points of a scale question with their labels.
func scaleLists(q *forms.Question, lng string) (values, labels []string) {
	if q.Scale == nil {
		return nil, nil
	}
	keys := make([]int, 0)
	for p := q.Scale.Min; p <= q.Scale.Max; p++ {
		keys = append(keys, p)
	}
	sort.Ints(keys)
	for _, p := range keys {
		v := strconv.Itoa(p)
		l := v
		if t, ok := q.Scale.Labels[v]; ok {
			l = v + " — " + t.In(lng)
		}
		values = append(values, v)
		labels = append(labels, l)
	}
	return values, labels
}
