package api

import (
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// QualityResponse is GET /v1/reports/quality: the data-quality report
// (package quality computes it), the filter it was made with, and its
// charts as PNG links.
type QualityResponse struct {
	Generated time.Time      `json:"generated"`
	Filter    ExportFilter   `json:"filter"`
	Report    *QualityReport `json:"report"`
	Charts    []ChartLink    `json:"charts"`
}

// ChartLink names one chart of the quality report; URL is its PNG.
type ChartLink struct {
	Number int    `json:"number"`
	ID     string `json:"id"`
	Title  string `json:"title"`
	URL    string `json:"url"`
}

// QualityReport is the data-quality report's wire form. Package quality
// defines its Report on this type, with the report's text and charts.
type QualityReport struct {
	Checklist forms.Ref `json:"checklist"`
	// From and To are the first and last submission among the rows counted
	// (zero when none).
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// TrainingExcluded counts the training rows left out.
	TrainingExcluded int            `json:"trainingExcluded"`
	Overall          QualityGroup   `json:"overall"`
	ByTeam           []QualityGroup `json:"byTeam"`
	ByMonth          []QualityGroup `json:"byMonth"`
	ByTeamMonth      []QualityGroup `json:"byTeamMonth"`
}

// QualityShare is Count of Of, and that as a percentage with one decimal
// (0 when Of is 0).
type QualityShare struct {
	Count   int     `json:"count"`
	Of      int     `json:"of"`
	Percent float64 `json:"percent"`
}

// QualityChildren holds the shares of children with each detail recorded.
// Seen, Ethnicity, Disability and SEN are of all children; SpokenAlone and
// Voice are of the children seen (a child not seen cannot be spoken to).
type QualityChildren struct {
	Total int `json:"total"`
	// Ethnicity: a self-defined ethnicity code recorded, "NS" (not stated)
	// included; EthnicityStated excludes NS, EthnicityNotStated is NS
	// alone. "Not known" and blanks are not recorded.
	Ethnicity          QualityShare `json:"ethnicity"`
	EthnicityStated    QualityShare `json:"ethnicityStated"`
	EthnicityNotStated QualityShare `json:"ethnicityNotStated"`
	// Disability: yes, no or declined ("Not known" is not recorded).
	Disability QualityShare `json:"disability"`
	// SEN: an SEN provision code (N, K or E).
	SEN QualityShare `json:"sen"`
	// DisabilityAndSEN: both recorded (the inspection's measure).
	DisabilityAndSEN QualityShare `json:"disabilityAndSen"`
	Seen             QualityShare `json:"seen"`
	SpokenAlone      QualityShare `json:"spokenAlone"`
	// Voice: the child's own words recorded (not blank).
	Voice QualityShare `json:"voice"`
}

// QualityFiles holds the inspection's per-file measures: entries in which
// every child has the detail recorded.
type QualityFiles struct {
	Ethnicity        QualityShare `json:"ethnicity"`
	DisabilityAndSEN QualityShare `json:"disabilityAndSen"`
}

// QualityReviewTimes is the time from submission to first review for one
// grade. Median is the middle value (the mean of the two middle values for
// an even count); P90 is the nearest-rank 90th percentile. Both are whole
// seconds, 0 when nothing of the grade was reviewed.
type QualityReviewTimes struct {
	Grade         forms.Level `json:"grade"`
	Reviewed      int         `json:"reviewed"`
	Pending       int         `json:"pending"`
	MedianSeconds int64       `json:"medianSeconds"`
	P90Seconds    int64       `json:"p90Seconds"`
	TargetSeconds int64       `json:"targetSeconds"`
	// WithinTarget is the share of reviewed entries reviewed in time.
	WithinTarget QualityShare `json:"withinTarget"`
}

// QualityReasonCount is one return reason and how many returned entries
// gave it.
type QualityReasonCount struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// QualityGroup is the report for one set of entries: all, one team, one
// month, or one team in one month.
type QualityGroup struct {
	// Key is "all", the team, the month (YYYY-MM, or "unknown") or
	// "team YYYY-MM".
	Key      string          `json:"key"`
	Team     string          `json:"team,omitempty"`
	Month    string          `json:"month,omitempty"`
	Entries  int             `json:"entries"`
	Children QualityChildren `json:"children"`
	Files    QualityFiles    `json:"files"`
	// Review lists review times by grade, most serious first; grades with
	// no entries are left out.
	Review   []QualityReviewTimes `json:"review"`
	Overdue  QualityShare         `json:"overdue"`
	Returned QualityShare         `json:"returned"`
	// ReturnReasons are the most given reasons, most first (ties in
	// alphabetical order).
	ReturnReasons []QualityReasonCount `json:"returnReasons"`
}
