package supervisor

import (
	"bytes"
	"context"
	"fyne.io/fyne/v2/lang"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/quality"
)

// Reporter is what the data-quality screen needs of the central system.
// *Client satisfies it.
type Reporter interface {
	Quality(ctx context.Context) (*quality.Report, error)
}

var _ Reporter = (*Client)(nil)

// Quality fetches the data-quality report for the supervisor's teams.
// GET /v1/reports/quality.
func (c *Client) Quality(ctx context.Context) (*quality.Report, error) {
	var out api.QualityResponse
	if err := c.do(ctx, "GET", "/v1/reports/quality", nil, &out); err != nil {
		return nil, err
	}
	if out.Report == nil {
		return nil, &Error{Message: lang.L("The central system sent no report.")}
	}
	return (*quality.Report)(out.Report), nil
}

// QualityScreen shows how complete the teams' records are: the share of
// children with ethnicity, disability and SEN recorded, seen and spoken to
// alone, the child's voice recorded, review times by grade, overdue
// reviews and why entries were returned, as text and charts.
type QualityScreen struct {
	Back    *widget.Button
	Busy    *widget.ProgressBarInfinite
	Message *widget.Label
	// Summary is the report as plain text (fixed width).
	Summary *widget.Label
	// Charts holds one view per chart, in the report's order, each drawn
	// in the app's own font with its figures as a table beside it.
	Charts []*ChartView

	body *fyne.Container
}

// ShowQuality shows the data-quality report, fetched in the background.
func (u *UI) ShowQuality() {
	rep, ok := u.cfg.Client.(Reporter)
	s := &QualityScreen{}
	s.Back = widget.NewButtonWithIcon(lang.L("Back to the queue"), fynetheme.NavigateBackIcon(), u.ShowQueue)
	s.Busy = widget.NewProgressBarInfinite()
	s.Message = errorLabel()
	s.Summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	s.body = container.NewVBox()
	title := widget.NewLabelWithStyle(lang.L("Data quality"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = fynetheme.SizeNameSubHeadingText
	intro := widget.NewLabel(lang.L("How complete your teams' records are. The inspection found ethnicity missing in 12 of 48 files and disability or special needs in 20 of 48: these figures are counted for every check, every day."))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(container.NewBorder(nil, nil, s.Back, nil, title), intro, s.Busy, s.Message)
	u.clear()
	u.Quality = s
	u.w.SetContent(container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(container.NewPadded(s.body))))
	if !ok {
		s.Busy.Hide()
		s.Message.SetText(lang.L("This connection cannot fetch reports."))
		s.Message.Show()
		return
	}
	u.background(func(ctx context.Context) {
		r, err := rep.Quality(ctx)
		fyne.Do(func() {
			s.Busy.Hide()
			if u.Quality != s {
				return // the supervisor moved on
			}
			if err != nil {
				s.Message.SetText(plain(err))
				s.Message.Show()
				return
			}
			s.show(r)
		})
	})
}

func (s *QualityScreen) show(r *quality.Report) {
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		s.Message.SetText(lang.L("Could not lay out the report: ") + err.Error())
		s.Message.Show()
		return
	}
	s.Summary.SetText(strings.TrimRight(text.String(), "\n"))
	s.body.Objects = nil
	s.Charts = nil
	for _, ch := range r.Charts() {
		v := NewChartView(ch)
		s.Charts = append(s.Charts, v)
		s.body.Add(v.Object())
		s.body.Add(widget.NewSeparator())
	}
	s.body.Add(widget.NewSeparator())
	// The plain-text report is fixed-width: on a narrow screen its lines
	// break rather than widen the screen.
	s.Summary.Wrapping = fyne.TextWrapBreak
	s.body.Add(s.Summary)
	s.body.Refresh()
}
