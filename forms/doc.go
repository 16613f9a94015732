// Package forms holds Safeguard's checklist model and the engine that
// evaluates an entry against it: which questions are relevant, what is
// missing or invalid, how serious the risk is and what must be done now.
//
// The package is pure Go with no UI, storage or network code, so that the
// device, the central referral system and the command-line tools all apply
// exactly the same rules. Checklists are declarative JSON files, checked
// against a JSON Schema and compiled once per version: every expression
// (relevance, requirement, constraint, risk rule) is type-checked at load
// time against a typed environment built from the checklist's own
// questions, so a typo fails when the checklist is published, not at the
// scene.
package forms
