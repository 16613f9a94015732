//go:build !race

package forms

const raceDetector = false
