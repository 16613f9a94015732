//go:build race

package forms

// raceDetector is true when the tests run with -race (slow regexps: the
// exhaustive checks sample instead).
const raceDetector = true
