package quality

import (
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

// GeneralReason is the category of a return comment, or a return's text,
// that is not tied to one question.
const GeneralReason = "General comment"

// ReasonsFromComments turns a supervisor's return (its comments, each on a
// question, and its free text) into report categories for
// Row.ReturnReasons: the label of each question commented on, and
// GeneralReason for comments on no known question or for a non-blank
// text. What the supervisor wrote is never used, since it may name a
// child. Each category appears once, in the order first met.
func ReasonsFromComments(c *forms.Checklist, comments []api.Comment, text string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, cm := range comments {
		add(questionLabel(c, cm.Question))
	}
	if strings.TrimSpace(text) != "" {
		add(GeneralReason)
	}
	return out
}

// questionLabel names the question of an item path ("question" or
// "group[instance].question").
func questionLabel(c *forms.Checklist, path string) string {
	id := path
	if i := strings.LastIndex(path, "]."); i >= 0 {
		id = path[i+2:]
	}
	if c == nil || id == "" {
		return GeneralReason
	}
	q, _, ok := c.Question(id)
	if !ok {
		return GeneralReason
	}
	if l := strings.TrimSpace(q.Label.String()); l != "" {
		return l
	}
	return id
}

// IsOverdue says whether a review counts as overdue in the report: made
// after its deadline, or not yet made and the deadline passed by now.
func IsOverdue(reviewed, deadline, now time.Time) bool {
	if deadline.IsZero() {
		return false
	}
	if reviewed.IsZero() {
		return now.After(deadline)
	}
	return reviewed.After(deadline)
}
