package trainer

import (
	"context"
	"encoding/csv"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"github.com/safeguard-uk/safeguard/app/internal/words"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/app/supervisor"
	"github.com/safeguard-uk/safeguard/app/theme"
	"github.com/safeguard-uk/safeguard/forms"
)

// Desk is what the trainer's desk needs of the central system: the
// supervisor's reviewer API on the training namespace, and the classes'
// results. *supervisor.Client (namespace supervisor.Training) satisfies it.
type Desk interface {
	supervisor.Reviewer
	TrainingResults(ctx context.Context) (api.TrainingResults, error)
}

var _ Desk = (*supervisor.Client)(nil)

// Result is one practice check as the trainer's desk scores it.
type Result struct {
	Class       string
	Trainee     string // account id
	TraineeName string
	EntryID     string
	Receipt     string
	Scenario    string // id ("" when the reference names no case)
	Title       string
	Status      string
	Started     time.Time
	Submitted   time.Time
	Took        time.Duration
	Score       Score
}

// ScoreResults scores each practice check against the case its reference
// names, oldest first. Checks whose reference names no case are kept with
// Scenario "" and no score.
func ScoreResults(reg *forms.Registry, scenarios []*Scenario, list api.TrainingResults) []Result {
	byRef := map[string]*Scenario{}
	for _, sc := range scenarios {
		if ref := sc.Reference(); ref != "" {
			byRef[ref] = sc
		}
	}
	var out []Result
	for _, te := range list.Entries {
		r := Result{Class: te.Team, Trainee: te.Officer, TraineeName: te.OfficerName, EntryID: te.EntryID, Receipt: te.Receipt,
			Status: te.Status, Started: te.Started, Submitted: te.Submitted}
		if r.TraineeName == "" {
			r.TraineeName = te.Officer
		}
		if !te.Started.IsZero() && te.Submitted.After(te.Started) {
			r.Took = te.Submitted.Sub(te.Started)
		}
		e, err := forms.DecodeEntry(te.Entry)
		if err == nil {
			ref, _ := e.Answers[referenceQuestion].Value.(string)
			if sc := byRef[strings.TrimSpace(ref)]; sc != nil {
				if c, ok := reg.Get(e.Checklist); ok {
					if res, err := forms.Evaluate(c, e, forms.Options{}); err == nil {
						r.Scenario, r.Title = sc.ID, sc.Title
						r.Score = ScoreEntry(c, sc, e, res, r.Took)
						r.Score.Submitted = true
					}
				}
			}
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Submitted.Before(out[j].Submitted) })
	return out
}

// WriteResultsCSV writes the results as CSV, one row per practice check,
// times in the force's zone as day/month/year 24-hour. Cells that a
// spreadsheet would read as a formula are defused with a leading quote.
func WriteResultsCSV(w io.Writer, results []Result) error {
	cw := csv.NewWriter(w)
	head := []string{"class", "trainee", "scenario", "submitted", "time_taken_minutes", "score", "risks_recognised", "risks_expected",
		"facts_right", "facts_needed", "facts_left_blank", "facts_wrong", "child_details_recorded", "child_details_needed",
		"immediate_call", "grade", "expected_grade", "status", "receipt"}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range results {
		s := r.Score
		call := lang.L("not made")
		switch {
		case r.Scenario == "":
			call = ""
		case s.ImmediateAnswered && s.ImmediateRight():
			call = "right"
		case s.ImmediateAnswered:
			call = "wrong"
		}
		row := []string{r.Class, r.TraineeName, r.Title, theme.When(r.Submitted), strconv.FormatFloat(r.Took.Minutes(), 'f', 1, 64),
			strconv.Itoa(s.Total), strconv.Itoa(len(s.Recognised)), strconv.Itoa(len(s.Expected)),
			strconv.Itoa(s.FactsRight), strconv.Itoa(s.FactsNeeded), strconv.Itoa(len(s.FactsMissed)), strconv.Itoa(len(s.FactsWrong)),
			strconv.Itoa(s.DemoRecorded), strconv.Itoa(s.DemoNeeded), call, s.Grade, s.ExpectedGrade, r.Status, r.Receipt}
		if r.Scenario == "" {
			row[2] = lang.L("(reference names no case)")
			for i := 5; i <= 16; i++ {
				row[i] = ""
			}
		}
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				row[i] = "'" + c
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ClassResultsScreen shows the classes' practice results: by trainee over
// time, by scenario, and each check; Export writes them as CSV.
type ClassResultsScreen struct {
	Busy    *widget.ProgressBarInfinite
	Message *widget.Label
	// ByTrainee and ByScenario are the summaries in words, one line each.
	ByTrainee  *widget.Label
	ByScenario *widget.Label
	Checks     *widget.Label
	Export     *widget.Button
	Exported   *widget.Label
	Desk       *widget.Button
	Library    *widget.Button
	Results    []Result
}

// ShowDesk opens the trainer's desk: the supervisor's review screens on
// the training queue (sign in as a trainer), with Class results and
// Scenarios on the queue.
func (u *UI) ShowDesk() {
	if u.cfg.Desk == nil {
		u.problem(lang.L("The trainer's desk"), fmt.Errorf("this app is not connected to a central system"))
		return
	}
	u.clear()
	signOut := func() {
		u.deskUser = api.User{}
		u.ShowLibrary()
	}
	u.DeskUI = supervisor.New(u.w, supervisor.Config{Client: u.cfg.Desk, Checklists: u.cfg.Checklists, Namespace: supervisor.Training,
		Poll: u.cfg.DeskPoll, Now: u.cfg.Now, Logger: u.cfg.Logger, OnSignOut: signOut,
		Actions: []supervisor.Action{
			{Label: lang.L("Class results"), Icon: fynetheme.DocumentIcon(), Do: u.ShowClassResults},
			{Label: lang.L("Scenarios"), Icon: fynetheme.ListIcon(), Do: u.ShowLibrary},
		}})
	// Back from the class results: still signed in.
	if tok, ok := u.cfg.Desk.(interface{ Token() string }); ok && tok.Token() != "" && u.deskUser.ID != "" {
		u.DeskUI.StartSignedIn(u.deskUser)
		return
	}
	u.DeskUI.Start()
}

// ShowClassResults fetches and shows the classes' results.
func (u *UI) ShowClassResults() {
	if u.DeskUI != nil {
		u.deskUser = u.DeskUI.User()
	}
	s := &ClassResultsScreen{Busy: widget.NewProgressBarInfinite()}
	s.Message = wrappedLabel("")
	s.Message.Importance = widget.DangerImportance
	s.Message.Hide()
	s.ByTrainee, s.ByScenario, s.Checks = wrappedLabel(""), wrappedLabel(""), wrappedLabel("")
	s.Exported = wrappedLabel("")
	s.Exported.Hide()
	s.Export = widget.NewButtonWithIcon(lang.L("Export the results (CSV)"), fynetheme.DownloadIcon(), func() { u.exportResults(s) })
	s.Export.Disable()
	s.Desk = widget.NewButtonWithIcon(lang.L("Training queue"), fynetheme.NavigateBackIcon(), u.ShowDesk)
	s.Library = widget.NewButtonWithIcon(lang.L("Scenarios"), fynetheme.ListIcon(), u.ShowLibrary)
	head := widget.NewLabelWithStyle(lang.L("Class results"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.SizeName = fynetheme.SizeNameHeadingText
	intro := wrappedLabel(lang.L("Every practice check your classes have sent, scored against its case: the risks recognised, the facts recorded as found (blank or wrong), the child's details and the immediate-risk call. Time taken runs from starting the check to its arrival here."))
	body := container.NewVBox(trainingMark(), head, intro, s.Busy, s.Message,
		boldLabel(lang.L("By trainee, over time")), s.ByTrainee, widget.NewSeparator(),
		boldLabel(lang.L("By scenario")), s.ByScenario, widget.NewSeparator(),
		boldLabel(lang.L("Each check")), s.Checks, s.Exported)
	u.clear()
	u.Class = s
	u.w.SetContent(container.NewBorder(nil, container.NewPadded(container.NewGridWithColumns(3, s.Export, s.Desk, s.Library)), nil, nil,
		container.NewVScroll(container.NewPadded(body))))
	u.busy.Add(1)
	go func() {
		defer u.busy.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		list, err := u.cfg.Desk.TrainingResults(ctx)
		fyne.Do(func() {
			s.Busy.Hide()
			if u.Class != s {
				return
			}
			if err != nil {
				s.Message.SetText(lang.L("Could not fetch the results: ") + plainErr(err))
				s.Message.Show()
				return
			}
			s.show(ScoreResults(u.cfg.Checklists, u.cfg.Scenarios, list))
			u.w.Content().Refresh()
		})
	}()
}

func (s *ClassResultsScreen) show(results []Result) {
	s.Results = results
	if len(results) == 0 {
		s.ByTrainee.SetText(lang.L("No practice checks have arrived yet."))
		return
	}
	s.Export.Enable()
	type agg struct {
		name   string
		scores []string
		sum, n int
		best   int
		took   time.Duration
	}
	trainees, scenarios := map[string]*agg{}, map[string]*agg{}
	var tOrder, sOrder []string
	var checks []string
	for _, r := range results {
		line := fmt.Sprintf("%s · %s · %s · ", theme.When(r.Submitted), r.TraineeName, r.Receipt)
		if r.Scenario == "" {
			checks = append(checks, line+lang.L("the reference names no case: not scored"))
			continue
		}
		s := r.Score
		checks = append(checks, line+fmt.Sprintf(lang.L("%s: %d/100 in %s (risks %d of %d; facts %d of %d, %d blank, %d wrong) · %s"),
			r.Title, s.Total, minutes(r.Took), len(s.Recognised), len(s.Expected), s.FactsRight, s.FactsNeeded, len(s.FactsMissed), len(s.FactsWrong), statusWord(r.Status)))
		a := trainees[r.Trainee]
		if a == nil {
			a = &agg{name: r.TraineeName}
			trainees[r.Trainee] = a
			tOrder = append(tOrder, r.Trainee)
		}
		a.scores = append(a.scores, fmt.Sprintf("%s %d", theme.Day(r.Submitted), s.Total))
		a.sum, a.n, a.took = a.sum+s.Total, a.n+1, a.took+r.Took
		a.best = max(a.best, s.Total)
		b := scenarios[r.Scenario]
		if b == nil {
			b = &agg{name: r.Title}
			scenarios[r.Scenario] = b
			sOrder = append(sOrder, r.Scenario)
		}
		b.sum, b.n, b.took = b.sum+s.Total, b.n+1, b.took+r.Took
		b.best = max(b.best, s.Total)
	}
	var lines []string
	for _, id := range tOrder {
		a := trainees[id]
		lines = append(lines, lang.N("{{.Name}}: {{.Count}} checks, average {{.Average}}, best {{.Best}}, average time {{.Time}} · {{.Scores}}", a.n,
			map[string]any{"Name": a.name, "Count": a.n, "Average": a.sum / a.n, "Best": a.best, "Time": minutes(a.took / time.Duration(a.n)), "Scores": strings.Join(a.scores, " → ")}))
	}
	if len(lines) == 0 {
		lines = append(lines, lang.L("No check names a case yet."))
	}
	s.ByTrainee.SetText(strings.Join(lines, "\n"))
	lines = nil
	for _, id := range sOrder {
		b := scenarios[id]
		lines = append(lines, lang.N("{{.Name}}: {{.Count}} checks, average {{.Average}}, best {{.Best}}, average time {{.Time}}", b.n,
			map[string]any{"Name": b.name, "Count": b.n, "Average": b.sum / b.n, "Best": b.best, "Time": minutes(b.took / time.Duration(b.n))}))
	}
	s.ByScenario.SetText(strings.Join(lines, "\n"))
	s.Checks.SetText(strings.Join(checks, "\n"))
}

func statusWord(s string) string {
	switch s {
	case api.EntryApproved:
		return "approved"
	case api.EntryReturned:
		return lang.L("returned to the trainee")
	}
	return lang.L("waiting for review")
}

// exportResults writes the results to a CSV file in the export folder.
func (u *UI) exportResults(s *ClassResultsScreen) {
	dir := u.cfg.ExportDir
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = home
		} else {
			dir = os.TempDir()
		}
	}
	name := filepath.Join(dir, "class-results-"+u.cfg.Now().In(theme.Zone()).Format("2006-01-02-1504")+".csv")
	err := func() error {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if err := WriteResultsCSV(f, s.Results); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}()
	if err != nil {
		s.Exported.SetText(lang.L("Could not save the results: ") + plainErr(err))
		s.Exported.Importance = widget.DangerImportance
	} else {
		s.Exported.SetText(words.Results(len(s.Results), name))
		s.Exported.Importance = widget.MediumImportance
	}
	s.Exported.Show()
	u.w.Content().Refresh()
}
