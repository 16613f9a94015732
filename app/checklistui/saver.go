// Package checklistui renders a forms.Checklist as a guided flow for the
// officer at the scene: one part at a time with a progress indicator, a
// widget for every question kind, "Not known" with a reason, guidance on
// request, children and adults added and removed, the links between them,
// the immediate-risk banner and the review screen.
//
// The flow holds no state of its own beyond what is on screen: every change
// goes to a Saver first and is shown as saved only once the Saver returns
// without error (the device store commits each answer in its own
// transaction). After each change the entry is evaluated again with
// forms.Evaluate, which decides what is shown, what is missing and how
// serious the risk is.
package checklistui

import (
	"io"

	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

// Saver is what the flow needs of the device store; *devicestore.Store
// satisfies it. Each call returns only once the change is durable
// (committed to disk in its own transaction).
type Saver interface {
	// SetAnswer saves one answer. group and instance are empty for
	// questions of sections that do not repeat. A blank Answer clears it.
	SetAnswer(entryID, group, instance, question string, a forms.Answer) error
	// AddInstance adds a child or adult to the entry and returns its id.
	AddInstance(entryID, group string) (string, error)
	// RemoveInstance removes a child or adult, its answers and the
	// relationships that name it.
	RemoveInstance(entryID, group, instance string) error
	// SetRelationships replaces the entry's relationships.
	SetRelationships(entryID string, rels []forms.Relationship) error
	// SetGrading saves the officer's own grade (nil clears it).
	SetGrading(entryID string, g *forms.Grading) error
	// PutAttachment stores a photo for the entry (encrypted, addressed by
	// its SHA-256) and lists it in the entry's attachments.
	PutAttachment(entryID string, r io.Reader, mediaType, name string) (forms.Attachment, error)
	// RemoveAttachment takes a photo off the entry's list.
	RemoveAttachment(entryID, sha string) error
	// SetTitle sets the label entry lists show (the first child's name
	// and the address).
	SetTitle(entryID, title string) error
	// Submit freezes the entry's current revision and queues it for the
	// server; grade and immediate (from forms.Evaluate) set its priority,
	// immediate risk first.
	Submit(entryID string, grade forms.Level, immediate bool) (devicestore.Frozen, error)
}
