// Package people is Safeguard's person index: who is who across entries,
// and how they are connected (POLE: Person, Object, Location, Event).
//
// The package holds the domain and the matching logic, free of storage:
//
//   - Record is one person as an officer recorded them in one entry
//     (particulars, role, relatives in that entry). Records are never
//     changed by matching.
//   - Person is a cluster of records believed to be one human being, with a
//     profile folded from its records (every name, date of birth, address,
//     phone, account and vehicle recorded for them).
//   - Relationship is a typed, directed link between two records of the
//     same entry (parent, pr_holder, step_parent, ...); through the records
//     it links people.
//   - Index stores records and people (adapters: people/sqlite,
//     people/postgres). Merge and Unmerge move records between people and
//     are audited; because a person is only its records, an unmerge
//     restores the state before the merge exactly.
//   - Matcher finds candidates through blocking keys (Keys, QueryKeys) and
//     scores them (Scorer) into a Decision: sure (link), possible (a
//     supervisor confirms) or new.
//   - Alerts (RepeatAppearance, LinkedToImmediate) are pure functions over
//     a person's entry history.
//
// Names and dates of birth are personal data: nothing in this package logs
// them, and Decision reasons are codes ("given:nickname"), not values.
package people
