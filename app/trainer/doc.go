// Package trainer holds Safeguard's screens for the trainer in the
// classroom: a library of fictional scenarios (assets/scenarios), a
// demonstration mode that walks the checklist with the story and guidance
// shown and reveals what should be recognised at each step, and a practice
// mode in which a trainee completes the checklist and is scored. Training
// entries are made in training mode (forms.Entry.Training) on a device
// store and never reach the live referral queue.
package trainer
