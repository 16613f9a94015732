package supervisor

import (
	"context"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"image/color"
	"math"
	"net/url"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/app/theme"
)

// Networker is what the family-network screen needs of the central
// system. *Client satisfies it.
type Networker interface {
	Network(ctx context.Context, entryID string) (api.Network, error)
}

var _ Networker = (*Client)(nil)

// PersonAlerts fetches the person index's alerts for the supervisor's
// teams, newest first. GET /v1/review/alerts.
func (c *Client) PersonAlerts(ctx context.Context) (api.PersonAlertList, error) {
	var out api.PersonAlertList
	err := c.do(ctx, "GET", "/v1/review/alerts?limit=20", nil, &out)
	return out, err
}

// Network fetches the family network around an entry's people (the
// central system audits the read). GET /v1/review/entries/{id}/network.
func (c *Client) Network(ctx context.Context, entryID string) (api.Network, error) {
	var out api.Network
	err := c.do(ctx, "GET", "/v1/"+c.ns()+"/entries/"+url.PathEscape(entryID)+"/network", nil, &out)
	return out, err
}

// NetworkScreen shows the people linked to an entry's people across every
// entry the central system holds, drawn as a graph, with each person's
// earlier entries and grades listed beside it.
type NetworkScreen struct {
	Back    *widget.Button
	Busy    *widget.ProgressBarInfinite
	Message *widget.Label
	Graph   *NetworkGraph
	// People lists each person with their roles and entries, in words.
	People *widget.Label
}

// ShowNetwork shows the family network of an entry, fetched in the
// background; Back returns to the entry.
func (u *UI) ShowNetwork(entryID string) {
	s := &NetworkScreen{}
	s.Back = widget.NewButtonWithIcon(lang.L("Back to the entry"), fynetheme.NavigateBackIcon(), func() { u.OpenEntry(entryID) })
	s.Busy = widget.NewProgressBarInfinite()
	s.Message = errorLabel()
	s.Graph = NewNetworkGraph()
	s.People = wrapped("")
	title := widget.NewLabelWithStyle(lang.L("Family network"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = fynetheme.SizeNameSubHeadingText
	intro := wrapped(lang.L("Everyone linked to the people in this check, across all checks: who they are to each other, and the checks they appear in with their grades. Circles with a thick ring are in this check."))
	top := container.NewVBox(container.NewBorder(nil, nil, s.Back, nil, title), intro, s.Busy, s.Message)
	u.clear()
	u.Network = s
	body := container.NewVBox(s.Graph, widget.NewSeparator(), s.People)
	u.w.SetContent(container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(container.NewPadded(body))))
	nw, ok := u.cfg.Client.(Networker)
	if !ok {
		s.Busy.Hide()
		s.Message.SetText(lang.L("This connection cannot fetch family networks."))
		s.Message.Show()
		return
	}
	u.background(func(ctx context.Context) {
		n, err := nw.Network(ctx, entryID)
		fyne.Do(func() {
			s.Busy.Hide()
			if u.Network != s {
				return
			}
			if err != nil {
				s.Message.SetText(plain(err))
				s.Message.Show()
				return
			}
			n = distinctLinks(n)
			// By name, so the same family is drawn the same way whatever
			// ids the person index gave them.
			sort.SliceStable(n.People, func(i, j int) bool {
				if n.People[i].Name != n.People[j].Name {
					return n.People[i].Name < n.People[j].Name
				}
				return n.People[i].ID < n.People[j].ID
			})
			s.Graph.SetNetwork(n)
			s.People.SetText(networkText(n))
		})
	})
}

// distinctLinks keeps one link per pair and type: the same relationship
// recorded in several checks is one line.
func distinctLinks(n api.Network) api.Network {
	seen := map[string]bool{}
	links := make([]api.NetworkLink, 0, len(n.Links))
	for _, l := range n.Links {
		k := l.From + "|" + l.To + "|" + l.Type
		if !seen[k] {
			seen[k] = true
			links = append(links, l)
		}
	}
	n.Links = links
	return n
}

// networkText lists the people of a network and their entries in words.
func networkText(n api.Network) string {
	if len(n.People) == 0 {
		return lang.L("Nobody in this check is linked to anyone recorded elsewhere yet.")
	}
	names := map[string]string{}
	for _, p := range n.People {
		names[p.ID] = p.Name
	}
	var b strings.Builder
	for _, p := range n.People {
		roles := strings.Join(p.Roles, ", ")
		b.WriteString(lang.N("{{.Name}} ({{.Roles}}): {{.Count}} checks", len(p.Entries),
			map[string]any{"Name": p.Name, "Roles": roles, "Count": len(p.Entries)}))
		for i, e := range p.Entries {
			if i == 0 {
				b.WriteString(" — ")
			} else {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s %s", theme.WireText(e.Date), LevelName(e.Grade))
		}
		b.WriteString("\n")
	}
	if len(n.Links) > 0 {
		b.WriteString("\nLinks:\n")
		for _, l := range n.Links {
			fmt.Fprintf(&b, lang.L("%s is %s of %s\n"), names[l.From], strings.ReplaceAll(l.Type, "_", " "), names[l.To])
		}
	}
	if n.Truncated {
		b.WriteString(lang.L("\nThe network is larger than shown."))
	}
	return strings.TrimRight(b.String(), "\n")
}

// NetworkGraph draws a family network: people as circles coloured by the
// most serious grade of their checks, on rings by their distance from the
// entry's people, joined by their relationships.
type NetworkGraph struct {
	widget.BaseWidget
	net api.Network
}

// NewNetworkGraph returns an empty graph.
func NewNetworkGraph() *NetworkGraph {
	g := &NetworkGraph{}
	g.ExtendBaseWidget(g)
	return g
}

// SetNetwork shows n.
func (g *NetworkGraph) SetNetwork(n api.Network) {
	g.net = n
	g.Refresh()
}

// Network returns the network on show.
func (g *NetworkGraph) Network() api.Network { return g.net }

// MinSize keeps room for two rings of people.
func (g *NetworkGraph) MinSize() fyne.Size { return fyne.NewSize(560, 460) }

// CreateRenderer implements fyne.Widget.
func (g *NetworkGraph) CreateRenderer() fyne.WidgetRenderer {
	r := &graphRenderer{g: g}
	r.rebuild()
	return r
}

type graphRenderer struct {
	g       *NetworkGraph
	objects []fyne.CanvasObject
	lines   []*canvas.Line
	labels  []*canvas.Text // link labels, one per line
	nodes   []*canvas.Circle
	names   []*canvas.Text
	shown   string // network the objects were built for
}

// gradeColour is the fill for a person's most serious grade.
func gradeColour(grade string) color.Color {
	switch grade {
	case "immediate":
		return color.NRGBA{R: 0xb0, G: 0x1c, B: 0x1c, A: 0xff}
	case "high":
		return color.NRGBA{R: 0xd3, G: 0x5f, B: 0x00, A: 0xff}
	case "medium":
		return color.NRGBA{R: 0xb8, G: 0x8a, B: 0x00, A: 0xff}
	case "standard":
		return color.NRGBA{R: 0x2e, G: 0x6d, B: 0x2e, A: 0xff}
	}
	return color.NRGBA{R: 0x60, G: 0x60, B: 0x60, A: 0xff}
}

var gradeRank = map[string]int{"standard": 1, "medium": 2, "high": 3, "immediate": 4}

func worstGrade(p api.NetworkPerson) string {
	best := ""
	for _, e := range p.Entries {
		if gradeRank[e.Grade] > gradeRank[best] {
			best = e.Grade
		}
	}
	return best
}

func key(n api.Network) string {
	var b strings.Builder
	for _, p := range n.People {
		b.WriteString(p.ID)
	}
	for _, l := range n.Links {
		b.WriteString(l.From + l.To + l.Type)
	}
	return b.String()
}

func (r *graphRenderer) rebuild() {
	n := r.g.net
	r.shown = key(n)
	r.objects, r.lines, r.labels, r.nodes, r.names = nil, nil, nil, nil, nil
	fg := fynetheme.Color(fynetheme.ColorNameForeground)
	for _, l := range n.Links {
		line := canvas.NewLine(fg)
		line.StrokeWidth = 2
		lab := canvas.NewText(strings.ReplaceAll(l.Type, "_", " "), fg)
		lab.TextSize = 11
		r.lines = append(r.lines, line)
		r.labels = append(r.labels, lab)
		r.objects = append(r.objects, line)
	}
	for _, lab := range r.labels {
		r.objects = append(r.objects, lab)
	}
	for _, p := range n.People {
		c := canvas.NewCircle(gradeColour(worstGrade(p)))
		c.StrokeColor = fg
		if p.InEntry {
			c.StrokeWidth = 4
		} else {
			c.StrokeWidth = 1
		}
		name := canvas.NewText(p.Name, fg)
		name.TextSize = 13
		name.TextStyle = fyne.TextStyle{Bold: p.InEntry}
		name.Alignment = fyne.TextAlignCenter
		r.nodes = append(r.nodes, c)
		r.names = append(r.names, name)
		r.objects = append(r.objects, c, name)
	}
}

// positions places the entry's people on an inner ring and everyone else
// on outer rings by depth, in a stable order.
func positions(n api.Network, size fyne.Size) map[string]fyne.Position {
	rings := map[int][]api.NetworkPerson{}
	maxDepth := 0
	for _, p := range n.People {
		d := p.Depth
		if p.InEntry {
			d = 0
		} else if d < 1 {
			d = 1
		}
		rings[d] = append(rings[d], p)
		if d > maxDepth {
			maxDepth = d
		}
	}
	cx, cy := size.Width/2, size.Height/2
	radius := float32(math.Min(float64(size.Width), float64(size.Height))/2) - 50
	out := map[string]fyne.Position{}
	for d := 0; d <= maxDepth; d++ {
		ring := rings[d]
		sort.Slice(ring, func(i, j int) bool {
			if ring[i].Name != ring[j].Name {
				return ring[i].Name < ring[j].Name
			}
			return ring[i].ID < ring[j].ID
		})
		rr := radius * float32(d+1) / float32(maxDepth+1)
		if d == 0 && len(ring) == 1 && maxDepth > 0 {
			rr = 0
		}
		for i, p := range ring {
			a := 2*math.Pi*float64(i)/float64(len(ring)) - math.Pi/2 + float64(d)*0.35
			out[p.ID] = fyne.NewPos(cx+rr*float32(math.Cos(a)), cy+rr*float32(math.Sin(a)))
		}
	}
	return out
}

func (r *graphRenderer) Layout(size fyne.Size) {
	n := r.g.net
	pos := positions(n, size)
	const rad = 16
	for i, p := range n.People {
		c := pos[p.ID]
		r.nodes[i].Move(fyne.NewPos(c.X-rad, c.Y-rad))
		r.nodes[i].Resize(fyne.NewSize(2*rad, 2*rad))
		w := r.names[i].MinSize().Width
		r.names[i].Move(fyne.NewPos(c.X-w/2, c.Y+rad+2))
		r.names[i].Resize(fyne.NewSize(w, r.names[i].MinSize().Height))
	}
	for i, l := range n.Links {
		a, b := pos[l.From], pos[l.To]
		r.lines[i].Position1, r.lines[i].Position2 = a, b
		mid := fyne.NewPos((a.X+b.X)/2, (a.Y+b.Y)/2)
		sz := r.labels[i].MinSize()
		r.labels[i].Move(fyne.NewPos(mid.X-sz.Width/2, mid.Y-sz.Height/2))
		r.labels[i].Resize(sz)
	}
}

func (r *graphRenderer) MinSize() fyne.Size { return r.g.MinSize() }

func (r *graphRenderer) Refresh() {
	if key(r.g.net) != r.shown {
		r.rebuild()
	}
	r.Layout(r.g.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

func (r *graphRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *graphRenderer) Destroy() {}
