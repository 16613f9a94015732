package api

import (
	"encoding/json"
	"time"
)

// TrainingResults lists the practice checks of a trainer's classes (the
// trainer's teams), oldest first, each with its current document, so the
// trainer's desk can score them against their scenarios and follow each
// trainee over time. GET /v1/training/results, trainers only. Training
// entries only: a live entry is never listed.
type TrainingResults struct {
	Entries []TrainingEntry `json:"entries"`
}

// TrainingEntry is one practice check.
type TrainingEntry struct {
	EntryID string `json:"entryId"`
	// Officer is the trainee's account id, OfficerName their name.
	Officer     string `json:"officer"`
	OfficerName string `json:"officerName,omitempty"`
	// Team is the class.
	Team     string `json:"team"`
	Status   string `json:"status"`
	Grade    string `json:"grade"`
	Revision int    `json:"revision"`
	Receipt  string `json:"receipt"`
	// Started is when the trainee began (the device's clock); Submitted
	// when the first revision reached the central system.
	Started   time.Time `json:"started"`
	Submitted time.Time `json:"submitted"`
	// Entry is the current revision's document.
	Entry json.RawMessage `json:"entry"`
}
