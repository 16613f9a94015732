package forms

import (
	"encoding/json"
	"fmt"
)

// Level is a risk grade. The zero value is LevelNone: nothing graded yet.
// Levels are ordered: a higher value is a more serious risk.
type Level int

// Risk grades, least serious first.
const (
	LevelNone Level = iota
	LevelStandard
	LevelMedium
	LevelHigh
	LevelImmediate
)

var levelNames = [...]string{"", "standard", "medium", "high", "immediate"}

// String returns the grade's name as used in files and on the wire.
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel reads a grade name; "" is LevelNone.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), nil
		}
	}
	return LevelNone, fmt.Errorf("unknown risk level %q (want standard, medium, high or immediate)", s)
}

// MarshalJSON writes the grade's name.
func (l Level) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// UnmarshalJSON reads a grade's name.
func (l *Level) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("risk level must be a string: %w", err)
	}
	v, err := ParseLevel(s)
	if err != nil {
		return err
	}
	*l = v
	return nil
}
