package quality

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the report as plain-text tables: children's details
// recorded, review times by grade, and overdue and returned entries, each
// for all entries, by team and by month. (ByTeamMonth is in the JSON
// only.)
func (r *Report) WriteText(w io.Writer) error {
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	fmt.Fprintf(bw, "Safeguard data-quality report (checklist %s)\n", r.Checklist)
	if r.Overall.Entries == 0 {
		fmt.Fprintf(bw, "No entries")
	} else {
		fmt.Fprintf(bw, "%d entries submitted %s to %s", r.Overall.Entries, day(r.From), day(r.To))
	}
	fmt.Fprintf(bw, "; training entries left out: %d.\n", r.TrainingExcluded)
	views := [][]Group{{r.Overall}, r.ByTeam, r.ByMonth}

	fmt.Fprintf(bw, "\nCHILDREN'S DETAILS RECORDED (%% of children; spoken to alone and voice: %% of children seen)\n")
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Group\tEntries\tChildren\tEthnicity\tof which NS\tDisability\tSEN\tDisab.+SEN\tSeen\tAlone\tVoice\t")
	for i, v := range views {
		if i > 0 && len(v) > 0 {
			fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t\t\t")
		}
		for _, g := range v {
			c := g.Children
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", g.Key, g.Entries, c.Total,
				pct(c.Ethnicity), pct(c.EthnicityNotStated), pct(c.Disability), pct(c.SEN), pct(c.DisabilityAndSEN),
				pct(c.Seen), pct(c.SpokenAlone), pct(c.Voice))
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("quality: write text: %w", err)
	}

	fmt.Fprintf(bw, "\nREVIEW TIMES BY GRADE (submission to first review)\n")
	tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Group\tGrade\tReviewed\tPending\tMedian\tP90\tTarget\tIn time\t")
	for i, v := range views {
		if i > 0 && len(v) > 0 {
			fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t")
		}
		for _, g := range v {
			for _, rt := range g.Review {
				grade := rt.Grade.String()
				if grade == "" {
					grade = "not graded"
				}
				med, p90 := "-", "-"
				if rt.Reviewed > 0 {
					med, p90 = Duration(secs(rt.MedianSeconds)), Duration(secs(rt.P90Seconds))
				}
				target := "-"
				if rt.TargetSeconds > 0 {
					target = Duration(secs(rt.TargetSeconds))
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t\n", g.Key, grade, rt.Reviewed, rt.Pending, med, p90, target, pct(rt.WithinTarget))
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("quality: write text: %w", err)
	}

	fmt.Fprintf(bw, "\nOVERDUE AND RETURNED ENTRIES\n")
	tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Group\tEntries\tOverdue\tReturned\tTop reasons for return\t")
	for i, v := range views {
		if i > 0 && len(v) > 0 {
			fmt.Fprintln(tw, "\t\t\t\t\t")
		}
		for _, g := range v {
			var rs []string
			for _, rc := range g.ReturnReasons {
				rs = append(rs, fmt.Sprintf("%s (%d)", rc.Reason, rc.Count))
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t\n", g.Key, g.Entries, countPct(g.Overdue), countPct(g.Returned), strings.Join(rs, "; "))
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("quality: write text: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("quality: write text: %w", err)
	}
	// tabwriter pads the last column: trim each line's end.
	var trimmed strings.Builder
	for _, l := range strings.SplitAfter(out.String(), "\n") {
		nl := strings.HasSuffix(l, "\n")
		trimmed.WriteString(strings.TrimRight(l, " \n"))
		if nl {
			trimmed.WriteByte('\n')
		}
	}
	if _, err := io.WriteString(w, trimmed.String()); err != nil {
		return fmt.Errorf("quality: write text: %w", err)
	}
	return nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.Format(time.DateOnly)
}

func secs(n int64) time.Duration { return time.Duration(n) * time.Second }

// pct prints a share as "75.0%", or "-" when there is nothing to count.
func pct(s Share) string {
	if s.Of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", s.Percent)
}

func countPct(s Share) string {
	if s.Of == 0 {
		return "-"
	}
	return fmt.Sprintf("%d (%.1f%%)", s.Count, s.Percent)
}

// Duration prints a review time briefly: "45m", "1h05m", "2d03h".
func Duration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	m := int64(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%dm", m)
	case m < 24*60:
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	}
	h := m / 60
	return fmt.Sprintf("%dd%02dh", h/24, h%24)
}
