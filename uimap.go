package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"reflect"
	"sort"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	safeapp "github.com/safeguard-uk/safeguard/app"
)

// uiMapEnv names a file to which the app writes where its named widgets
// are on screen, each time it receives SIGUSR1. The real-window test
// (scripts/window-test.sh) reads it to send real X clicks to the right
// places without guessing from pixels. Off unless set; the map holds
// widget names, places and the question ids answered, never answers.
const uiMapEnv = "SAFEGUARD_UI_MAP"

// uiMap is what the file holds.
type uiMap struct {
	Seq    int               `json:"seq"`
	Screen string            `json:"screen"`
	Scale  float32           `json:"scale"`
	Width  float32           `json:"width"`
	Height float32           `json:"height"`
	Items  map[string]uiItem `json:"items"`
	// Answered lists the questions of the open check that have an answer
	// ("group/instance/question").
	Answered []string `json:"answered,omitempty"`
	// Pages are the open check's page titles.
	Pages []string `json:"pages,omitempty"`
}

// uiItem is one widget: its rectangle in window pixels.
type uiItem struct {
	X, Y, W, H float32
	Visible    bool   `json:"visible"`
	Text       string `json:"text,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Type       string `json:"type"`
	Disabled   bool   `json:"disabled,omitempty"`
}

// serveUIMap answers SIGUSR1 with a fresh map while the app runs.
func serveUIMap(w fyne.Window, ui *safeapp.UI, log *slog.Logger) {
	path := os.Getenv(uiMapEnv)
	if path == "" {
		return
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	seq := 0
	go func() {
		for range ch {
			seq++
			n := seq
			fyne.Do(func() {
				m := buildUIMap(w, ui)
				m.Seq = n
				data, err := json.Marshal(m)
				if err == nil {
					tmp := path + ".tmp"
					if err = os.WriteFile(tmp, data, 0o600); err == nil {
						err = os.Rename(tmp, path)
					}
				}
				if err != nil {
					log.Warn("ui map not written", "err", err)
				}
			})
		}
	}()
}

func buildUIMap(w fyne.Window, ui *safeapp.UI) uiMap {
	c := w.Canvas()
	m := uiMap{Scale: c.Scale(), Width: c.Size().Width, Height: c.Size().Height, Items: map[string]uiItem{}}
	where := positions(c.Content())
	put := func(name string, o fyne.CanvasObject, parentsVisible bool) {
		if o == nil || reflect.ValueOf(o).IsNil() {
			return
		}
		p, found := where[o]
		s := o.Size()
		it := uiItem{X: p.X * m.Scale, Y: p.Y * m.Scale, W: s.Width * m.Scale, H: s.Height * m.Scale, Visible: found && parentsVisible && o.Visible(), Type: fmt.Sprintf("%T", o)}
		if dw, ok := o.(fyne.Disableable); ok {
			it.Disabled = dw.Disabled()
		}
		switch x := o.(type) {
		case *widget.Label:
			it.Text = x.Text
		case *widget.Button:
			it.Text = x.Text
		case *widget.Select:
			it.Text = x.Selected
		case *widget.Check:
			it.Text = x.Text
		}
		m.Items[name] = it
	}
	switch {
	case ui.Enrol != nil:
		m.Screen = "enrol"
		put("enrol.code", ui.Enrol.Code, true)
		put("enrol.button", ui.Enrol.Enrol, true)
		put("enrol.message", ui.Enrol.Message, true)
	case ui.Login != nil:
		m.Screen = "login"
		s := ui.Login
		put("login.username", s.Username, true)
		put("login.password", s.Password, true)
		put("login.signin", s.SignIn, true)
		put("login.message", s.Message, true)
		if s.PIN != nil {
			m.Screen = "choosepin"
			put("login.pin", s.PIN, true)
			put("login.pin.eye", s.PIN.Reveal, true)
			put("login.confirm", s.Confirm, true)
			put("login.setpin", s.SetPIN, true)
			m.Items["login.pin.revealed"] = uiItem{Visible: !s.PIN.Password}
		}
	case ui.PIN != nil:
		m.Screen = "pin"
		put("pin.pin", ui.PIN.PIN, true)
		put("pin.unlock", ui.PIN.Unlock, true)
		put("pin.message", ui.PIN.Message, true)
	case ui.Home != nil:
		m.Screen = "home"
		h := ui.Home
		put("home.start", h.Start, true)
		put("home.lock", h.Lock, true)
		put("home.notice", h.Notice, true)
		put("home.sync", h.SyncText, true)
		for i, b := range h.Drafts.Items {
			put(fmt.Sprintf("home.draft.%d", i), b, true)
		}
		for i, b := range h.Waiting.Items {
			put(fmt.Sprintf("home.waiting.%d", i), b, true)
		}
		for i, b := range h.Received.Items {
			put(fmt.Sprintf("home.received.%d", i), b, true)
		}
	case ui.Flow != nil:
		m.Screen = "flow"
		mapFlow(ui, &m, put)
	}
	return m
}

func mapFlow(ui *safeapp.UI, m *uiMap, put func(string, fyne.CanvasObject, bool)) {
	f := ui.Flow
	put("flow.home", f.Home, true)
	put("flow.back", f.Back, true)
	put("flow.next", f.Next, true)
	put("flow.review", f.ReviewIt, true)
	put("flow.jump", f.Jump, true)
	put("flow.scroll", f.Scroll, true)
	put("flow.page", f.PageTitle, true)
	put("flow.banner", f.Banner.Object(), true)
	put("flow.banner.toggle", f.Banner.Toggle, f.Banner.Visible())
	put("flow.add", f.AddPerson, true)
	put("flow.remove", f.RemovePerson, true)
	m.Pages = f.Pages()
	for id, q := range f.Questions {
		vis := q.Box().Visible()
		base := "q." + id
		put(base, q.Box(), true)
		it := m.Items[base]
		it.Kind = string(q.Q.Kind)
		it.Text = q.Status.Text
		m.Items[base] = it
		if !q.Built() { // hidden, not yet shown: no widgets
			continue
		}
		in := q.Input()
		put(base+".input", in, vis)
		put(base+".notknown", q.NotKnown, vis)
		if q.NotKnown != nil && q.NotKnown.Checked {
			put(base+".reason", q.Reason, vis)
		}
		var walk func(o fyne.CanvasObject)
		walk = func(o fyne.CanvasObject) {
			switch x := o.(type) {
			case *widget.Button:
				put(base+".button."+x.Text, x, vis)
			case *widget.Select:
				if _, ok := m.Items[base+".select"]; !ok {
					put(base+".select", x, vis)
				}
			case *fyne.Container:
				for _, c := range x.Objects {
					walk(c)
				}
			}
		}
		walk(in)
	}
	if r := f.Review; r != nil {
		put("review.summary", r.Summary, true)
		put("review.submit", r.Submit, true)
		put("review.grade", r.Grade, true)
		for i, b := range r.GoTo {
			put(fmt.Sprintf("review.goto.%d", i), b, true)
			it := m.Items[fmt.Sprintf("review.goto.%d", i)]
			it.Text = r.Problems[i].Text
			m.Items[fmt.Sprintf("review.goto.%d", i)] = it
		}
	}
	if l := f.Links; l != nil {
		ids := make([]string, 0, len(l.Add))
		for id := range l.Add {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for i, id := range ids {
			a := l.Add[id]
			put(fmt.Sprintf("links.%d.from", i), a.From, true)
			put(fmt.Sprintf("links.%d.type", i), a.Type, true)
			put(fmt.Sprintf("links.%d.add", i), a.Button, true)
		}
	}
	e := f.Entry()
	for q := range e.Answers {
		m.Answered = append(m.Answered, "//"+q)
	}
	for g, list := range e.Groups {
		for _, inst := range list {
			for q := range inst.Answers {
				m.Answered = append(m.Answered, g+"/"+inst.ID+"/"+q)
			}
		}
	}
	sort.Strings(m.Answered)
}

// positions finds where each visible object of the window is, walking
// down from the content through containers, scrolls and the secret
// fields' eye buttons. (Fyne's AbsolutePositionForObject goes through the
// driver's object-to-canvas cache, which may not hold an object yet: it
// then answers 0,0.)
func positions(root fyne.CanvasObject) map[fyne.CanvasObject]fyne.Position {
	out := map[fyne.CanvasObject]fyne.Position{}
	var walk func(o fyne.CanvasObject, at fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		out[o] = at
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c, at.Add(c.Position()))
			}
		case *container.Scroll:
			walk(x.Content, at.Add(x.Content.Position()))
		case *safeapp.SecretEntry:
			walk(x.Reveal, at.Add(x.Reveal.Position()))
		case interface {
			ScrollContent() fyne.CanvasObject
			ScrollInner() fyne.CanvasObject
		}:
			out[x.ScrollInner()] = at
			c := x.ScrollContent()
			walk(c, at.Add(c.Position()))
		}
	}
	walk(root, root.Position())
	return out
}
