// Package referral turns an approved entry into a referral for children's
// social care: a structured Document (Build), written out as stable JSON
// (Document.JSON, described on Document and in docs/referral-format.md)
// and as an A4 PDF (Document.PDF) marked OFFICIAL-SENSITIVE on every page.
//
// The package is pure: it reads the checklist, the entry, the engine's
// result and what the central system knows (Meta), and writes bytes. It
// logs nothing, so no child's data can reach a log through it. Delivery to
// the partner (outbox, signing, retries) belongs to the central system.
package referral
