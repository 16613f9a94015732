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
// What the matcher does with each kind of error, in short (the README's
// "People" section has the table and the figures): a valid identifier
// (NHS number by its modulus-11 check digit, PNC ID, UPN, a local ref)
// agreeing is strong evidence, disagreeing blocks a sure link, malformed
// is ignored with its reason; date slips (day and month swapped, digits
// transposed or one off, the year wrong, an estimated age) agree in part;
// a blank given name, a new surname or an address without a postcode can
// still reach a sure link with the rest agreeing, and "possible" always
// through the date, the dwelling, relatives or an identifier; a wholly
// different given name with surname, date and home agreeing is a twin's
// pattern and never sure, and while a twin-like candidate is in the index
// only an agreeing identifier, or a given name that is a slip of one and
// nothing like the other's, makes a link sure; two established given
// names close in spelling or sound (Jack and Jake: GivenNames) are never
// a sure link without an agreeing identifier, even with one twin alone in
// the index; ties go to a supervisor.
// Candidates are found by blocking keys in one statement, and past the
// CandidateKeep best, those hit by under 1/CandidateShare of the best's
// key weight are not fetched.
//
// people/population generates a synthetic population with ground truth and
// measures the matcher on it (cmd/population): on its own population and
// on FEBRL/GeCo-style corrupted duplicates, whose misses it breaks down by
// kind of error.
//
// Names and dates of birth are personal data: nothing in these packages
// logs them, and decision reasons are codes ("given:nickname"), not values.
package people
