package referral

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/safeguard-uk/safeguard/forms"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW        = 210.0
	pageH        = 297.0
	marginL      = 16.0
	marginR      = 16.0
	marginTop    = 25.0
	marginBottom = 20.0 // the footer lives here
	contentW     = pageW - marginL - marginR
	cellPad      = 1.2 // space above and below a table cell's text
	labelW       = 62.0
	keepTogether = 8 // rows of up to this many lines never split across pages
)

// Headings of the PDF's numbered sections, in order. Risks, Actions and
// Decisions are always present; Other information only when a section of
// the checklist has no place of its own.
const (
	HeadingSummary       = "Summary"
	HeadingIncident      = "Incident"
	HeadingSafety        = "Immediate safety"
	HeadingChildren      = "Children"
	HeadingAdults        = "Adults"
	HeadingRelationships = "Relationships"
	HeadingHome          = "Home conditions and care"
	HeadingOther         = "Other information"
	HeadingRisks         = "Risks"
	HeadingActions       = "Actions"
	HeadingDecisions     = "Decisions"
	HeadingWords         = "The child's own words"
)

type rgb struct{ r, g, b int }

var (
	colNavy      = rgb{0x1F, 0x3A, 0x5F}
	colText      = rgb{0x1A, 0x1A, 0x1A}
	colMuted     = rgb{0x55, 0x5F, 0x6B}
	colRule      = rgb{0xB8, 0xC2, 0xCC}
	colLabelFill = rgb{0xF1, 0xF4, 0xF8}
	colHeadFill  = rgb{0xDC, 0xE3, 0xEC}
	colQuoteFill = rgb{0xFF, 0xF8, 0xE6}
	colQuoteBar  = rgb{0xE0, 0x9A, 0x1B}
	colWhite     = rgb{0xFF, 0xFF, 0xFF}
	colTraining  = rgb{0xB0, 0x00, 0x20}
	colDone      = rgb{0x2E, 0x7D, 0x32}
)

// gradeColours gives the banner and grade cells their colours: fill, text.
func gradeColours(l forms.Level) (rgb, rgb) {
	switch l {
	case forms.LevelImmediate:
		return rgb{0x6A, 0x00, 0x0F}, colWhite
	case forms.LevelHigh:
		return rgb{0xC6, 0x28, 0x28}, colWhite
	case forms.LevelMedium:
		return rgb{0xF2, 0xA9, 0x00}, colText
	case forms.LevelStandard:
		return rgb{0x2E, 0x7D, 0x32}, colWhite
	}
	return rgb{0x75, 0x75, 0x75}, colWhite
}

func gradeName(l forms.Level) string {
	if l == forms.LevelNone {
		return "not graded"
	}
	return l.String()
}

// t returns a fixed phrase in the document's language.
func (r *renderer) t(en string) string { return tr(r.d.Language, en) }

// grade names a grade in the document's language.
func (r *renderer) grade(l forms.Level) string { return r.t(gradeName(l)) }

// PDF writes the referral as an A4 PDF for children's social care: the
// marking on every page, a header with the receipt, a grade banner coloured
// by grade, numbered sections (Summary, Incident, Immediate safety,
// Children, Adults, Relationships, Home conditions and care, Risks, Actions,
// Decisions), tables for details, the child's words in a quoted box and
// "Page N of M" in the footer. Names and words print in any script the
// embedded DejaVu fonts cover; other characters print as "�". The output
// depends only on the document: the same document gives the same bytes.
func (d *Document) PDF(w io.Writer) error {
	fc, err := loadFaces()
	if err != nil {
		return err
	}
	r := newRenderer(d, fc)
	r.render()
	if err := r.pdf.Error(); err != nil {
		return fmt.Errorf("referral %s: render PDF: %w", d.Receipt, err)
	}
	if err := r.pdf.Output(w); err != nil {
		return fmt.Errorf("referral %s: write PDF: %w", d.Receipt, err)
	}
	return nil
}

type renderer struct {
	pdf   *fpdf.Fpdf
	d     *Document
	faces map[string]*fontFace
	face  *fontFace
	size  float64
}

func newRenderer(d *Document, fc map[string]*fontFace) *renderer {
	p := fpdf.New("P", "mm", "A4", "")
	r := &renderer{pdf: p, d: d, faces: fc}
	for _, f := range fc {
		p.AddUTF8FontFromBytes(f.family, f.style, f.data)
	}
	p.SetMargins(marginL, marginTop, marginR)
	p.SetAutoPageBreak(true, marginBottom)
	p.SetCellMargin(1.5)
	p.AliasNbPages("{nb}")
	p.SetCatalogSort(true)
	p.SetCreationDate(d.Generated)
	p.SetModificationDate(d.Generated)
	p.SetProducer("Safeguard", true)
	p.SetCreator("Safeguard referral "+Format, true)
	// Metadata is read by tools that do not honour the marking: no names.
	p.SetTitle(r.plain("Referral "+d.Receipt), true)
	p.SetSubject("Police referral to children's social care ("+Marking+")", true)
	p.SetAuthor(r.plain(d.From.Force), true)
	p.SetHeaderFuncMode(r.header, false)
	p.SetFooterFunc(r.footer)
	return r
}

// plain cleans s for metadata (sans coverage).
func (r *renderer) plain(s string) string { return r.faces[famSans].clean(s) }

func (r *renderer) font(family, style string, size float64) {
	r.face = r.faces[family+style]
	r.size = size
	r.pdf.SetFont(family, style, size)
}

func (r *renderer) color(c rgb) { r.pdf.SetTextColor(c.r, c.g, c.b) }
func (r *renderer) fill(c rgb)  { r.pdf.SetFillColor(c.r, c.g, c.b) }
func (r *renderer) draw(c rgb)  { r.pdf.SetDrawColor(c.r, c.g, c.b) }

// lineH is the leading of the current font size, in millimetres.
func (r *renderer) lineH() float64 { return r.size * 0.3528 * 1.3 }

// text cleans s for the current font.
func (r *renderer) text(s string) string { return r.face.clean(s) }

func (r *renderer) bottom() float64 { return pageH - marginBottom }

// ensure starts a new page unless h millimetres fit on this one.
func (r *renderer) ensure(h float64) {
	if r.pdf.GetY()+h > r.bottom() {
		r.pdf.AddPage()
	}
}

func (r *renderer) header() {
	saveFace, saveSize := r.face, r.size
	defer func() { r.face, r.size = saveFace, saveSize }()
	p := r.pdf
	r.font(famSans, "B", 10)
	r.color(colText)
	p.SetXY(marginL, 8)
	p.CellFormat(contentW, 5, Marking, "", 1, "C", false, 0, "")
	r.font(famSans, "", 8)
	r.color(colMuted)
	p.SetXY(marginL, 14)
	title := r.t("Police referral to children's social care")
	if r.d.Training {
		title += r.t(" — TRAINING, NOT A REAL REFERRAL")
	}
	p.CellFormat(contentW/2, 4, r.text(title), "", 0, "L", false, 0, "")
	p.CellFormat(contentW/2, 4, r.text(r.t("Receipt ")+r.d.Receipt), "", 0, "R", false, 0, "")
	r.draw(colNavy)
	p.SetLineWidth(0.4)
	p.Line(marginL, 19, pageW-marginR, 19)
	p.SetLineWidth(0.2)
	p.SetXY(marginL, marginTop)
}

func (r *renderer) footer() {
	saveFace, saveSize := r.face, r.size
	defer func() { r.face, r.size = saveFace, saveSize }()
	p := r.pdf
	r.draw(colRule)
	p.SetLineWidth(0.2)
	p.Line(marginL, pageH-16, pageW-marginR, pageH-16)
	r.font(famSans, "B", 10)
	r.color(colText)
	p.SetXY(marginL, pageH-15)
	p.CellFormat(contentW, 5, Marking, "", 0, "C", false, 0, "")
	r.font(famSans, "", 7.5)
	r.color(colMuted)
	p.SetXY(marginL, pageH-10)
	p.CellFormat(contentW*2/3, 4, r.text(fmt.Sprintf(r.t("Entry %s, revision %d"), r.d.EntryID, r.d.Revision)), "", 0, "L", false, 0, "")
	r.font(famSans, "", 8)
	p.CellFormat(contentW/3, 4, r.text(fmt.Sprintf(r.t("Page %d of {nb}"), p.PageNo())), "", 0, "R", false, 0, "")
}

func (r *renderer) render() {
	d := r.d
	r.pdf.AddPage()
	r.titleBlock()
	n := 0
	next := func() int { n++; return n }

	r.heading(next(), HeadingIncident)
	r.fields(d.Incident.Fields)

	r.heading(next(), HeadingSafety)
	r.fields(d.ImmediateSafety.Fields)

	num := next()
	r.heading(num, HeadingChildren)
	if len(d.Children) == 0 {
		r.note(r.t("No child is recorded."))
	}
	for i := range d.Children {
		r.child(num, &d.Children[i])
	}

	num = next()
	r.heading(num, HeadingAdults)
	if len(d.Adults) == 0 {
		r.note(r.t("No adult is recorded."))
	}
	for i, a := range d.Adults {
		title := fmt.Sprintf("%d.%d  %s", num, i+1, a.Name)
		if a.Role != "" {
			title += " — " + a.Role
		}
		r.subheading(title)
		r.fields(a.Details)
	}

	r.heading(next(), HeadingRelationships)
	r.relationships()

	r.heading(next(), HeadingHome)
	r.fields(d.Home.Fields)

	if len(d.Other) > 0 {
		num = next()
		r.heading(num, HeadingOther)
		for i, s := range d.Other {
			r.subheading(fmt.Sprintf("%d.%d  %s", num, i+1, s.Title))
			r.fields(s.Fields)
		}
	}

	r.heading(next(), HeadingRisks)
	r.risks()
	r.disclosures() // disclosures.go

	r.heading(next(), HeadingActions)
	r.actions()

	r.heading(next(), HeadingDecisions)
	r.decisions()

	r.pdf.Ln(4)
	r.font(famSans, "", 8)
	r.color(colMuted)
	r.pdf.CellFormat(contentW, 4, r.t("End of referral"), "", 1, "C", false, 0, "")
}

func (r *renderer) titleBlock() {
	d, p := r.d, r.pdf
	r.font(famSans, "B", 18)
	r.color(colNavy)
	p.CellFormat(contentW, 9, r.t("Referral: child at risk"), "", 1, "L", false, 0, "")
	r.font(famSans, "", 10)
	r.color(colMuted)
	from := r.t("From ") + nonEmpty(d.From.Force, r.t("the police"))
	if d.From.Team != "" {
		from += " (" + d.From.Team + ")"
	}
	if d.To != "" {
		from += r.t(" to ") + d.To
	}
	p.MultiCell(contentW, 5, r.text(from), "", "L", false)
	p.Ln(2)
	if d.Training {
		r.font(famSans, "B", 11)
		r.color(colTraining)
		r.draw(colTraining)
		p.SetLineWidth(0.6)
		p.CellFormat(contentW, 9, r.text(r.t("TRAINING ENTRY — NOT A REAL REFERRAL. DO NOT ACT ON IT.")), "1", 1, "C", false, 0, "")
		p.SetLineWidth(0.2)
		p.Ln(2)
	}
	if d.LanguageNote != "" {
		r.font(famSans, "B", 9.5)
		r.color(colTraining)
		p.MultiCell(contentW, 5, r.text(d.LanguageNote), "", "L", false)
		r.color(colText)
		p.Ln(1)
	}
	r.banner()
	r.subheading(r.t(HeadingSummary))
	var children []string
	for _, c := range d.Children {
		s := c.Name
		if c.AgeYears != nil {
			s += fmt.Sprintf(" (%d)", *c.AgeYears)
		}
		children = append(children, s)
	}
	var adults []string
	for _, a := range d.Adults {
		s := a.Name
		if a.Role != "" {
			s += " (" + strings.ToLower(a.Role) + ")"
		}
		adults = append(adults, s)
	}
	rows := [][2]string{
		{r.t("Receipt"), d.Receipt},
		{r.t("Incident reference"), d.Incident.Reference},
		{r.t("Time of the incident"), r.whenPtr(d.Incident.Time)},
		{r.t("Address"), d.Incident.Address},
		{r.t("Why police attended"), d.Incident.Reason},
		{r.t("Children"), strings.Join(children, "; ")},
		{r.t("Adults"), strings.Join(adults, "; ")},
		{r.t("Officer"), person(d.Decisions.Officer.Name, d.Decisions.Officer.ID)},
		{r.t("Approved by"), person(d.Decisions.Supervisor.Name, d.Decisions.Supervisor.ID)},
		{r.t("Approved at"), r.whenPtr(d.Decisions.Supervisor.At)},
	}
	for _, kv := range rows {
		if kv[1] == "" {
			continue
		}
		r.kv(kv[0], kv[1])
	}
	if d.Language != "" && d.Language != English {
		r.kv(r.t("Language"), r.t(languageWord(d.Language)))
	}
}

func nonEmpty(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

func person(name, id string) string {
	switch {
	case name != "" && id != "":
		return name + " (" + id + ")"
	case name != "":
		return name
	}
	return id
}

// whenPtr shows a time, or "" when it is unknown.
func (r *renderer) whenPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return r.d.FormatTime(*t)
}

// banner is the full-width grade banner.
func (r *renderer) banner() {
	d, p := r.d, r.pdf
	bg, fg := gradeColours(d.Grade)
	title := r.t("GRADE: ") + strings.ToUpper(r.grade(d.Grade))
	if d.Immediate {
		title += r.t(" — IMMEDIATE RISK")
	}
	off, sup := d.Decisions.Officer, d.Decisions.Supervisor
	detail := fmt.Sprintf(r.t("Officer graded %s (the checklist's rules: %s)."), r.grade(off.Grade), r.grade(off.Computed))
	switch sup.Change {
	case "raised":
		detail += fmt.Sprintf(r.t(" Supervisor raised it to %s."), r.grade(sup.Grade))
	case "lowered":
		detail += fmt.Sprintf(r.t(" Supervisor lowered it to %s."), r.grade(sup.Grade))
	default:
		detail += r.t(" Supervisor agreed.")
	}
	if sup.At != nil {
		detail += r.t(" Approved ") + d.FormatTime(*sup.At) + "."
	}
	r.font(famSans, "", 9)
	lines := p.SplitText(r.text(detail), contentW-6)
	h := 10 + float64(len(lines))*4.4 + 3
	r.ensure(h)
	x, y := p.GetXY()
	r.fill(bg)
	p.Rect(x, y, contentW, h, "F")
	r.color(fg)
	r.font(famSans, "B", 15)
	p.SetXY(x+3, y+2)
	p.CellFormat(contentW-6, 8, r.text(title), "", 2, "L", false, 0, "")
	r.font(famSans, "", 9)
	for _, l := range lines {
		p.SetX(x + 3)
		p.CellFormat(contentW-6, 4.4, l, "", 2, "L", false, 0, "")
	}
	p.SetXY(x, y+h+3)
	r.color(colText)
}

// heading starts numbered section n; it keeps room for some of the
// section's content on the same page.
func (r *renderer) heading(n int, title string) {
	p := r.pdf
	p.Ln(3)
	r.ensure(24)
	r.font(famSans, "B", 13)
	r.color(colNavy)
	p.CellFormat(contentW, 7, r.text(fmt.Sprintf("%d.  %s", n, r.t(title))), "", 1, "L", false, 0, "")
	r.draw(colNavy)
	p.SetLineWidth(0.5)
	y := p.GetY()
	p.Line(marginL, y, pageW-marginR, y)
	p.SetLineWidth(0.2)
	p.Ln(2.5)
	r.color(colText)
}

func (r *renderer) subheading(title string) {
	p := r.pdf
	p.Ln(1.5)
	r.ensure(18)
	r.font(famSans, "B", 10.5)
	r.color(colNavy)
	p.MultiCell(contentW, 5.5, r.text(title), "", "L", false)
	p.Ln(0.8)
	r.color(colText)
}

// minor is a small bold label above a table or box.
func (r *renderer) minor(title string) {
	p := r.pdf
	p.Ln(1)
	r.ensure(14)
	r.font(famSans, "B", 9)
	r.color(colMuted)
	p.CellFormat(contentW, 5, r.text(title), "", 1, "L", false, 0, "")
	r.color(colText)
}

func (r *renderer) note(s string) {
	r.font(famSans, "", 9)
	r.color(colMuted)
	r.pdf.MultiCell(contentW, 4.6, r.text(s), "", "L", false)
	r.color(colText)
	r.pdf.Ln(1)
}

// cell is one cell of a table row.
type cell struct {
	text   string
	family string
	style  string
	size   float64
	fill   *rgb
	color  *rgb
	align  string
	check  *bool // draw a tick box (ticked when true) in the cell
}

// row draws one table row. Cells wrap; a row too tall for the rest of the
// page continues on the next, where head (if any) is drawn again first.
func (r *renderer) row(widths []float64, cells []cell, head []cell) {
	p := r.pdf
	lines := make([][]string, len(cells))
	lineH := 0.0
	n := 1
	for i, c := range cells {
		r.font(nonEmpty(c.family, famSans), c.style, sizeOr(c.size))
		if h := r.lineH(); h > lineH {
			lineH = h
		}
		w := widths[i]
		if c.check != nil {
			w -= 6
		}
		lines[i] = p.SplitText(r.text(c.text), w)
		if len(lines[i]) > n {
			n = len(lines[i])
		}
	}
	start := 0
	first := true
	for start < n {
		avail := int(math.Floor((r.bottom() - p.GetY() - 2*cellPad) / lineH))
		// A row of a few lines moves whole to the next page; a taller one
		// splits, keeping at least three lines together.
		want := n - start
		if want > keepTogether {
			want = 3
		}
		if avail < want {
			p.AddPage()
			if head != nil {
				r.row(widths, head, nil)
			}
			continue
		}
		k := n - start
		if k > avail {
			k = avail
		}
		h := float64(k)*lineH + 2*cellPad
		x, y := marginL, p.GetY()
		r.draw(colRule)
		p.SetLineWidth(0.2)
		for i, c := range cells {
			w := widths[i]
			style := "D"
			if c.fill != nil {
				r.fill(*c.fill)
				style = "FD"
			}
			p.Rect(x, y, w, h, style)
			tx := x
			if c.check != nil {
				if first {
					r.tickBox(x+1.5, y+cellPad+0.3, *c.check)
				}
				tx += 6
				w -= 6
			}
			r.font(nonEmpty(c.family, famSans), c.style, sizeOr(c.size))
			col := colText
			if c.color != nil {
				col = *c.color
			}
			r.color(col)
			for j := 0; j < k && start+j < len(lines[i]); j++ {
				p.SetXY(tx, y+cellPad+float64(j)*lineH)
				p.CellFormat(w, lineH, lines[i][start+j], "", 0, nonEmpty(c.align, "L"), false, 0, "")
			}
			x += widths[i]
		}
		p.SetXY(marginL, y+h)
		start += k
		first = false
	}
	r.color(colText)
}

func sizeOr(s float64) float64 {
	if s == 0 {
		return 9
	}
	return s
}

func (r *renderer) tickBox(x, y float64, ticked bool) {
	p := r.pdf
	const s = 3.4
	r.draw(colMuted)
	p.SetLineWidth(0.3)
	p.Rect(x, y, s, s, "D")
	if ticked {
		r.draw(colDone)
		p.SetLineWidth(0.6)
		p.Line(x+0.6, y+1.8, x+1.4, y+2.8)
		p.Line(x+1.4, y+2.8, x+2.9, y+0.6)
	}
	p.SetLineWidth(0.2)
	r.draw(colRule)
}

// kv draws a label and value row.
func (r *renderer) kv(label, value string) {
	lf := colLabelFill
	r.row([]float64{labelW, contentW - labelW}, []cell{
		{text: label, style: "B", size: 8.5, fill: &lf, color: &colMuted},
		{text: value},
	}, nil)
}

// shortValue is the longest answer, in runes, printed in the narrow
// column of a compact table.
const shortValue = 24

// fields draws answered questions as a two-column table. A long run of
// short answers (yes/no questions) gets a wide question column instead.
func (r *renderer) fields(fs []Field) {
	if len(fs) == 0 {
		r.note(r.t("Nothing recorded."))
		return
	}
	short := 0
	for _, f := range fs {
		if isShort(f) {
			short++
		}
	}
	if short == len(fs) && len(fs) >= 6 {
		r.compact(fs)
		return
	}
	for _, f := range fs {
		r.kv(f.Label, r.marked(f))
	}
}

// marked is a field's value with the language its free text was written
// in, when that differs from the document's ("… (Written in Welsh)").
func (r *renderer) marked(f Field) string {
	if f.Lang == "" || f.Lang == r.d.Language || (r.d.Language == "" && f.Lang == English) {
		return f.Value
	}
	return f.Value + "\n(" + writtenIn(r.d.Language, f.Lang) + ")"
}

// assessment draws a risk tool's answers: the short ones compact, then the
// rest (judgement, notes) as label and value.
func (r *renderer) assessment(fs []Field) {
	var short, long []Field
	for _, f := range fs {
		if isShort(f) {
			short = append(short, f)
		} else {
			long = append(long, f)
		}
	}
	r.compact(short)
	for _, f := range long {
		r.kv(f.Label, r.marked(f))
	}
}

func isShort(f Field) bool {
	return len([]rune(f.Value)) <= shortValue && !strings.Contains(f.Value, "\n")
}

func (r *renderer) compact(fs []Field) {
	lf := colLabelFill
	for _, f := range fs {
		r.row([]float64{contentW - 40, 40}, []cell{
			{text: f.Label, style: "B", size: 8.5, fill: &lf, color: &colMuted},
			{text: f.Value},
		}, nil)
	}
}

func (r *renderer) child(num int, c *Child) {
	title := fmt.Sprintf("%d.%d  %s", num, c.Number, c.Name)
	if c.AgeYears != nil {
		title += fmt.Sprintf(r.t(", aged %d"), *c.AgeYears)
	}
	r.subheading(title)
	r.minor(r.t("Details"))
	r.fields(c.Details)
	r.minor(r.t("Seen and heard"))
	r.fields(c.SeenAndHeard)
	r.minor(r.t(HeadingWords))
	if c.Words == nil {
		switch {
		case fieldIs(c.SeenAndHeard, qChildSeen, "no"):
			r.note(r.t("The officer did not see the child, so no words of the child were recorded."))
		case fieldIs(c.SeenAndHeard, qPreverbal, "yes"):
			r.note(r.t("The child is too young or unable to talk about what happened: what the officer observed is under Seen and heard."))
		default:
			r.note(r.t("No words of the child were recorded."))
		}
	} else {
		r.quote(c.Words)
	}
	for _, s := range c.Other {
		r.minor(s.Title)
		r.fields(s.Fields)
	}
}

// quote draws the child's words in a shaded box with a bar on the left,
// verbatim, and when, who was present and what was asked beneath.
func (r *renderer) quote(w *Words) {
	p := r.pdf
	bar := colQuoteBar
	fill := colQuoteFill
	r.font(famSerif, "", 11)
	lines := p.SplitText(r.text(w.Text), contentW-8)
	lineH := r.lineH()
	start := 0
	for start < len(lines) {
		avail := int(math.Floor((r.bottom() - p.GetY() - 4) / lineH))
		if avail < 2 && avail < len(lines)-start {
			p.AddPage()
			continue
		}
		k := len(lines) - start
		if k > avail {
			k = avail
		}
		h := float64(k)*lineH + 4
		x, y := marginL, p.GetY()
		r.fill(fill)
		p.Rect(x, y, contentW, h, "F")
		r.fill(bar)
		p.Rect(x, y, 1.6, h, "F")
		r.font(famSerif, "", 11)
		r.color(colText)
		for j := 0; j < k; j++ {
			p.SetXY(x+5, y+2+float64(j)*lineH)
			p.CellFormat(contentW-8, lineH, lines[start+j], "", 0, "L", false, 0, "")
		}
		p.SetXY(marginL, y+h)
		start += k
	}
	p.Ln(1)
	var meta []string
	if w.Time != nil {
		meta = append(meta, r.t("Said at ")+r.d.FormatTime(*w.Time))
	}
	if w.Present != "" {
		meta = append(meta, r.t("Present: ")+w.Present)
	}
	if w.Asked != "" {
		meta = append(meta, r.t("Asked or said first: ")+w.Asked)
	}
	if w.Lang != "" && w.Lang != r.d.Language && !(r.d.Language == "" && w.Lang == English) {
		meta = append(meta, writtenIn(r.d.Language, w.Lang))
	}
	r.font(famSans, "", 8.5)
	r.color(colMuted)
	for _, m := range meta {
		p.MultiCell(contentW, 4.2, r.text(m), "", "L", false)
	}
	r.color(colText)
	p.Ln(1)
}

// fieldIs reports whether the field of question q has the code v.
func fieldIs(fs []Field, q, v string) bool {
	for _, f := range fs {
		if f.Question == q {
			for _, c := range f.Codes {
				if c == v {
					return true
				}
			}
		}
	}
	return false
}

func (r *renderer) relationships() {
	if len(r.d.Relationships) == 0 {
		r.note(r.t("No relationship is recorded."))
		return
	}
	for _, rel := range r.d.Relationships {
		r.row([]float64{contentW}, []cell{{text: "•  " + rel.Text}}, nil)
	}
}

func (r *renderer) risks() {
	d := r.d
	hf := colHeadFill
	head := []cell{{text: r.t("Grade"), style: "B", fill: &hf}, {text: r.t("Reason"), style: "B", fill: &hf}, {text: r.t("About"), style: "B", fill: &hf}}
	widths := []float64{30, contentW - 30 - 45, 45}
	r.minor(r.t("Reasons for the grade"))
	if len(d.Risks.ByGrade) == 0 {
		r.note(r.t("No rule of the checklist found a risk."))
	} else {
		r.row(widths, head, nil)
		for _, g := range d.Risks.ByGrade {
			bg, fg := gradeColours(g.Grade)
			for _, rk := range g.Reasons {
				r.row(widths, []cell{
					{text: strings.ToUpper(r.grade(g.Grade)), style: "B", size: 8.5, fill: &bg, color: &fg},
					{text: rk.Text},
					{text: rk.Person},
				}, head)
			}
		}
	}
	for _, s := range d.Risks.Concerns {
		r.minor(r.t("Concern: ") + s.Title)
		r.fields(s.Fields)
	}
	if len(d.Risks.NoConcern) > 0 {
		r.minor(r.t("No concern recorded for"))
		r.note(strings.Join(d.Risks.NoConcern, "; ") + ".")
	}
	for _, s := range d.Risks.Assessments {
		r.minor(s.Title)
		r.assessment(s.Fields)
	}
}

func (r *renderer) actions() {
	d := r.d
	hf := colHeadFill
	r.minor(r.t("Actions taken"))
	if len(d.Actions.Taken) == 0 {
		r.note(r.t("No action is recorded."))
	} else {
		widths := []float64{62, 50, contentW - 112}
		head := []cell{{text: r.t("Action"), style: "B", fill: &hf}, {text: r.t("Status"), style: "B", fill: &hf}, {text: r.t("Time and detail"), style: "B", fill: &hf}}
		r.row(widths, head, nil)
		for _, st := range d.Actions.Taken {
			detail := st.Detail
			if st.Time != nil && st.ID != "police_protection" {
				detail = strings.TrimSpace(d.FormatTime(*st.Time) + ". " + detail)
			}
			done := st.Done
			r.row(widths, []cell{{text: st.Title, check: &done}, {text: st.Status}, {text: detail}}, head)
		}
	}
	if pp := d.Actions.PoliceProtection; pp != nil {
		r.minor(r.t("Police protection"))
		if pp.MustEndBy != nil {
			r.font(famSans, "B", 9.5)
			r.color(colTraining)
			r.pdf.MultiCell(contentW, 5, r.text(r.t("Police protection must end by ")+d.FormatTime(*pp.MustEndBy)+
				r.t(": 72 hours at most from ")+d.FormatTime(*pp.Started)+r.t(", never extended.")), "", "L", false)
			r.color(colText)
			r.pdf.Ln(1)
		}
		r.fields(pp.Fields)
	}
	r.minor(r.t("What the checklist advised"))
	if len(d.Actions.Advised) == 0 {
		r.note(r.t("The checklist advised no action."))
		return
	}
	widths := []float64{contentW - 62, 62}
	for _, a := range d.Actions.Advised {
		done := a.Done
		ev := a.Evidence
		if ev == "" {
			ev = r.t(statusNotRecorded)
		}
		col := colMuted
		if done {
			col = colDone
		}
		r.row(widths, []cell{{text: a.Text, check: &done}, {text: ev, size: 8.5, color: &col}}, nil)
	}
}

func (r *renderer) decisions() {
	d := r.d
	hf := colHeadFill
	widths := []float64{32, 40, 24, 30, contentW - 126}
	head := []cell{{text: r.t("Stage"), style: "B", fill: &hf}, {text: r.t("Who"), style: "B", fill: &hf},
		{text: r.t("Grade"), style: "B", fill: &hf}, {text: r.t("When"), style: "B", fill: &hf}, {text: r.t("Notes"), style: "B", fill: &hf}}
	r.row(widths, head, nil)
	off := d.Decisions.Officer
	note := fmt.Sprintf(r.t("Rules graded %s."), r.grade(off.Computed))
	if off.Lowered {
		note += r.t(" Officer lowered the grade: ") + off.LoweredReason
	}
	r.row(widths, []cell{{text: r.t("Submitted by the officer")}, {text: person(off.Name, off.ID)}, {text: r.grade(off.Grade)},
		{text: r.whenPtr(off.Submitted), size: 8.5}, {text: note, size: 8.5}}, head)
	for _, h := range d.Decisions.History {
		grade := ""
		if h.Grade != forms.LevelNone {
			grade = r.grade(h.Grade)
		}
		r.row(widths, []cell{{text: r.eventTitle(h.Kind, h.Revision)}, {text: h.By}, {text: grade},
			{text: d.FormatTime(h.At), size: 8.5}, {text: h.Reason, size: 8.5}}, head)
	}
	sup := d.Decisions.Supervisor
	r.row(widths, []cell{{text: r.t("Approved by the supervisor")}, {text: person(sup.Name, sup.ID)}, {text: r.grade(sup.Grade)},
		{text: r.whenPtr(sup.At), size: 8.5}, {text: r.t("Grade " + sup.Change + "."), size: 8.5}}, head)
	if sup.Comments != "" {
		r.minor(r.t("Supervisor's comments"))
		r.row([]float64{contentW}, []cell{{text: sup.Comments}}, nil)
	}
}

func (r *renderer) eventTitle(kind string, rev int) string {
	switch kind {
	case "returned":
		return fmt.Sprintf(r.t("Revision %d returned"), rev)
	case "approved":
		return fmt.Sprintf(r.t("Revision %d approved"), rev)
	case "grade":
		return r.t("Grade changed")
	}
	return kind
}
