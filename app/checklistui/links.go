package checklistui

import (
	"fmt"
	"fyne.io/fyne/v2/lang"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/forms"
)

// LinksEditor records how people are linked: for each child, the adults
// and their relationship (parent, step-parent, suspect...).
type LinksEditor struct {
	// Add holds, per target person id, the pickers and button that add a
	// link to them.
	Add map[string]*LinkAdder
	// Remove holds the remove button of each existing link, by index in
	// the entry's relationships.
	Remove map[int]*widget.Button

	f   *Flow
	box *fyne.Container
}

// LinkAdder is the row that adds a link to one person.
type LinkAdder struct {
	From   *widget.Select
	Type   *widget.Select
	Button *widget.Button
}

func newLinksEditor(f *Flow) *LinksEditor {
	l := &LinksEditor{f: f, box: container.NewVBox()}
	l.refresh()
	return l
}

// Object is the editor's root.
func (l *LinksEditor) Object() fyne.CanvasObject { return l.box }

func (l *LinksEditor) refresh() {
	f := l.f
	rel := f.c.Relationships
	l.box.RemoveAll()
	l.Add, l.Remove = map[string]*LinkAdder{}, map[int]*widget.Button{}
	if rel == nil {
		return
	}
	if g := rel.Guidance.In(f.opts.Language); g != "" {
		lb := widget.NewLabel(g)
		lb.Wrapping = fyne.TextWrapWord
		l.box.Add(lb)
	}
	codes := f.c.CodeLists[rel.CodeList].Codes
	typeLabel := func(v string) string {
		for _, c := range codes {
			if c.Value == v {
				return c.Label.In(f.opts.Language)
			}
		}
		return v
	}
	var typeOpts []string
	typeVal := map[string]string{}
	for _, c := range codes {
		s := c.Label.In(f.opts.Language)
		typeOpts = append(typeOpts, s)
		typeVal[s] = c.Value
	}
	// People a link may come from.
	var fromOpts []string
	fromID := map[string]string{}
	for _, g := range rel.From {
		for _, inst := range f.e.Groups[g] {
			n := f.personName(g, inst.ID)
			fromOpts = append(fromOpts, n)
			fromID[n] = inst.ID
		}
	}
	for _, g := range rel.To {
		for _, inst := range f.e.Groups[g] {
			to := inst.ID
			head := widget.NewLabelWithStyle(f.personName(g, to), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			l.box.Add(head)
			n := 0
			for i, r := range f.e.Relationships {
				if r.To != to {
					continue
				}
				n++
				rm := widget.NewButtonWithIcon(lang.L("Remove"), fynetheme.DeleteIcon(), func() {
					rels := append(append([]forms.Relationship{}, f.e.Relationships[:i]...), f.e.Relationships[i+1:]...)
					_ = f.SetRelationships(rels)
				})
				l.Remove[i] = rm
				who := f.personName(groupOf(f.e, r.From), r.From)
				l.box.Add(container.NewBorder(nil, nil, nil, rm, widget.NewLabel(fmt.Sprintf(lang.L("%s — %s"), who, typeLabel(r.Type)))))
			}
			if n == 0 {
				warn := widget.NewLabel(lang.L("Not linked to anyone yet."))
				warn.Importance = widget.DangerImportance
				l.box.Add(warn)
			}
			if len(fromOpts) == 0 {
				l.box.Add(widget.NewLabel(lang.L("Add the adults first (People and links), then link them here.")))
				continue
			}
			a := &LinkAdder{}
			a.From = widget.NewSelect(fromOpts, nil)
			a.From.PlaceHolder = lang.L("Who?")
			a.Type = widget.NewSelect(typeOpts, nil)
			a.Type.PlaceHolder = lang.L("How linked?")
			a.Button = widget.NewButtonWithIcon(lang.L("Add link"), fynetheme.ContentAddIcon(), func() {
				from, typ := fromID[a.From.Selected], typeVal[a.Type.Selected]
				if from == "" || typ == "" {
					return
				}
				rels := append(append([]forms.Relationship{}, f.e.Relationships...), forms.Relationship{From: from, To: to, Type: typ})
				_ = f.SetRelationships(rels)
			})
			l.Add[to] = a
			l.box.Add(container.NewBorder(nil, nil, nil, a.Button, container.NewGridWithColumns(2, a.From, a.Type)))
			l.box.Add(widget.NewSeparator())
		}
	}
	l.box.Refresh()
}

func groupOf(e *forms.Entry, id string) string {
	for g, list := range e.Groups {
		for _, inst := range list {
			if inst.ID == id {
				return g
			}
		}
	}
	return ""
}
