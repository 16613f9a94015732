package supervisor

import (
	"fmt"
	"fyne.io/fyne/v2/lang"
	"github.com/safeguard-uk/safeguard/app/ui"
	"sort"
	"strings"

	"github.com/safeguard-uk/safeguard/forms"
)

// AnswerText is an answer as a reader sees it (see ui.AnswerText).
func AnswerText(c *forms.Checklist, q *forms.Question, a forms.Answer, lng string) string {
	return ui.AnswerText(c, q, a, lng)
}

// LevelName is a grade's name in the app's language (see ui.LevelName).
func LevelName(s string) string { return ui.LevelName(s) }

// This file turns an entry into words for reading: answers with their
// option and code-list labels, people by name, the paths of a revision's
// diff by question. Nothing here edits anything.

// PersonName is "Child 2: Amy" (or "Child 2" before a name is given).
func PersonName(c *forms.Checklist, e *forms.Entry, group, instance, lng string) string {
	g, ok := c.Group(group)
	if !ok {
		return group
	}
	for i, inst := range e.Groups[group] {
		if inst.ID != instance {
			continue
		}
		name := fmt.Sprintf("%s %d", g.Label.In(lng), i+1)
		if s, ok := inst.Answers[g.NameQuestion].Value.(string); ok && strings.TrimSpace(s) != "" {
			name += ": " + strings.TrimSpace(s)
		}
		return name
	}
	return g.Label.In(lng) + lang.L(" (removed)")
}

// groupOf finds the group an instance id belongs to.
func groupOf(e *forms.Entry, instance string) string {
	for g, list := range e.Groups {
		for _, inst := range list {
			if inst.ID == instance {
				return g
			}
		}
	}
	return ""
}

// PathLabel names a forms.Item path ("question", "group[instance].question",
// "group[instance]", "relationships", "attachments", "grading") in words,
// for the list of what changed between revisions. e is the revision the
// path is read in (the newer one; a removed person is read in old).
func PathLabel(c *forms.Checklist, e, old *forms.Entry, path, lng string) string {
	switch path {
	case "relationships":
		return lang.L("How people are linked")
	case "attachments":
		return lang.L("Photos")
	case "grading":
		return lang.L("The officer's grading")
	}
	group, instance, question := splitPath(path)
	person := ""
	if instance != "" {
		person = PersonName(c, e, group, instance, lng)
		if strings.HasSuffix(person, "(removed)") && old != nil {
			person = PersonName(c, old, group, instance, lng)
		}
	}
	if question == "" {
		return person
	}
	label := question
	section := ""
	if q, s, ok := c.Question(question); ok {
		label = q.Label.In(lng)
		section = s.Title.In(lng)
	} else if l, ok := promptLabel(c, question, lng); ok { // disclosures.go
		label = l
	}
	switch {
	case person != "":
		return person + " — " + label
	case section != "":
		return section + " — " + label
	}
	return label
}

// splitPath splits "group[instance].question" (either part may be absent).
func splitPath(path string) (group, instance, question string) {
	i := strings.Index(path, "[")
	j := strings.Index(path, "]")
	if i < 0 || j < i {
		return "", "", path
	}
	group, instance = path[:i], path[i+1:j]
	question = strings.TrimPrefix(path[j+1:], ".")
	return group, instance, question
}

// Changes describes one revision's diff in words, one line per change.
func Changes(c *forms.Checklist, e, old *forms.Entry, diff []DiffLine, lng string) []string {
	var out []string
	for _, d := range diff {
		var verb string
		switch d.Change {
		case "added":
			verb = "added"
		case "removed":
			verb = "removed"
		default:
			verb = "changed"
		}
		out = append(out, PathLabel(c, e, old, d.Path, lng)+": "+verb)
	}
	return out
}

// DiffLine is one changed path (api.DiffItem without the wire import in
// callers' tests).
type DiffLine struct {
	Path   string
	Change string
}

// RelationshipLines lists the entry's links in words: "Adult 1: Dan is
// Parent of Child 1: Amy".
func RelationshipLines(c *forms.Checklist, e *forms.Entry, lng string) []string {
	var types map[string]string
	if c.Relationships != nil {
		types = map[string]string{}
		for _, o := range c.CodeLists[c.Relationships.CodeList].Codes {
			types[o.Value] = o.Label.In(lng)
		}
	}
	var out []string
	for _, r := range e.Relationships {
		t := r.Type
		if l, ok := types[t]; ok {
			t = l
		}
		from := PersonName(c, e, groupOf(e, r.From), r.From, lng)
		to := PersonName(c, e, groupOf(e, r.To), r.To, lng)
		out = append(out, fmt.Sprintf(lang.L("%s is %s of %s"), from, strings.ToLower(t), to))
	}
	sort.Strings(out)
	return out
}
