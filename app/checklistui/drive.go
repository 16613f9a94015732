package checklistui

import (
	"fmt"
	"strings"
)

// Enter answers the question through its own widget, the way an officer's
// taps and typing do: yes/no taps the button, a choice is selected by its
// value (several, comma-separated, for multiple choice), a code by its code,
// and text is entered and the field left, which saves it. Whole-flow tests
// and demos drive the real widgets with it; it never writes to the store
// itself.
func (r *Question) Enter(value string) error {
	r.ensureBuilt()
	switch in := r.input.(type) {
	case *yesNoInput:
		switch value {
		case "yes":
			in.yes.OnTapped()
		case "no":
			in.no.OnTapped()
		default:
			return fmt.Errorf("%s: answer yes or no, not %q", r.Q.ID, value)
		}
	case *optionInput:
		label, ok := labelOf(in.values, in.labels, value)
		if !ok {
			return fmt.Errorf("%s: %q is not an option", r.Q.ID, value)
		}
		if in.radio != nil {
			in.radio.SetSelected(label)
		} else {
			in.sel.SetSelected(label)
		}
	case *multiInput:
		var labels []string
		for _, v := range strings.Split(value, ",") {
			label, ok := labelOf(in.values, in.labels, strings.TrimSpace(v))
			if !ok {
				return fmt.Errorf("%s: %q is not an option", r.Q.ID, v)
			}
			labels = append(labels, label)
		}
		in.group.SetSelected(labels)
	case *codeInput:
		for shown, code := range in.codes {
			if code == value {
				in.sel.SetSelected(shown)
				return nil
			}
		}
		return fmt.Errorf("%s: %q is not a code of the list", r.Q.ID, value)
	case *textInput:
		enter(in.e, value)
	case *numberInput:
		enter(in.e, value)
	case *dateInput:
		enter(in.e, value)
	case *dateTimeInput:
		if value == "now" {
			in.now.OnTapped()
			return nil
		}
		enter(in.e, value)
	default:
		return fmt.Errorf("%s: answer %s questions through their own controls", r.Q.ID, r.Q.Kind)
	}
	return nil
}

func labelOf(values, labels []string, value string) (string, bool) {
	for i, v := range values {
		if v == value {
			return labels[i], true
		}
	}
	return "", false
}

// enter types text into a field and leaves it.
func enter(e *commitEntry, text string) {
	e.SetText(text)
	e.FocusLost()
}
