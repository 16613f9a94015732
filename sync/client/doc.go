// Package client is the device side of Safeguard's sync: it pushes the
// officer's frozen entry revisions to the central referral system, uploads
// their photos resumably, and pulls the supervisors' decisions back, over
// whatever network the officer has.
//
// The engine owns no storage. It states what it needs of the device store
// as three small interfaces (Outbox, Uploads, Inbox) using its own types;
// the store satisfies them through an adapter that main wires, so this
// package and the store stay siblings.
//
// Rules it keeps (each one a test):
//   - only explicit acknowledgements count: a revision leaves the outbox
//     when the server answers accepted or duplicate for it, never because a
//     request "probably" went through;
//   - one bad record never blocks the others: a permanently rejected
//     revision, or one whose saved copy is damaged, is set aside with a
//     plain reason and the rest go on;
//   - immediate-risk revisions go first (the outbox orders them);
//   - photos travel in their own queue, resumably, and never hold up entries
//     or the pull of decisions;
//   - retries run on a timer with exponential backoff, full jitter and a cap,
//     honouring Retry-After, not only when something new is written.
package client
