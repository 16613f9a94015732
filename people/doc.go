// Package people is Safeguard's person index: who is who across entries,
// and how they are connected (POLE: Person, Object, Location, Event).
//
// The package holds the domain and the matching logic, free of storage:
//
//   - Record is one person as an officer recorded them in one entry
//     (particulars, role, relatives in that entry). Matching never changes
//     a record.
//   - Person is a cluster of records believed to be one human being, with a
//     profile folded from its records (Profile: every name, date of birth,
//     address, phone, account and vehicle recorded for them).
//   - Relationship is a typed, directed link between two records of one
//     entry (the checklist's codes: parent, pr_holder, step_parent ...);
//     through the records it links people (Edge).
//   - Index stores records and people. Merge and Unmerge move records
//     between people and are audited; because a person is only its
//     records, an unmerge restores the state before the merge exactly.
//     Adapters: people/sqlite, people/postgres, people/memindex (in
//     memory); people/peopletest is the contract all three pass.
//   - Matcher finds candidates through blocking keys (Keys, QueryProbes)
//     and scores them (Scorer, Comparison) into a Decision: Sure (linked),
//     Possible (a supervisor confirms with Index.Merge) or New. Ingest does
//     a whole entry: records, relationships and the children's alerts.
//   - Alerts (AlertRules.Repeat, AlertRules.LinkedImmediate, ChildAlerts)
//     decide from people's entry histories; BuildNetwork gathers the family
//     network the supervisor's view draws.
//   - The parsers (ParseFullName, ParseAddress, ...) read the checklist's
//     free-text boxes; people/fromentry turns a forms.Entry into the
//     EntryPeople that Ingest takes.
//
// people/population generates a synthetic population with ground truth and
// measures the matcher on it (cmd/population).
//
// Names and dates of birth are personal data: nothing in these packages
// logs them, and decision reasons are codes ("given:nickname"), not values.
package people
