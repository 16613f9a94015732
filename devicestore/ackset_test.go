package devicestore

import (
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// TestAcknowledgePartialReceipt: the server answers for only some of a
// batch. Only what it accepted leaves the outbox, with its receipt; a
// permanent rejection stays on the device, set aside with its reason; a
// temporary one waits for its retry with its reason; the revision it
// did not answer for stays sent and in the outbox, to go again when its
// lease ends; every answer is one audit record, in order, and the chain
// verifies.
func TestAcknowledgePartialReceipt(t *testing.T) {
	s, c, _ := newTestStore(t)
	var fr []Frozen
	for i := 0; i < 6; i++ {
		fr = append(fr, submitted(t, s, fmt.Sprintf("answer %d", i), forms.LevelStandard, false))
	}
	now := c.Now()
	items, err := s.NextBatch(now, 10, 0)
	must(t, err)
	if len(items) != 6 {
		t.Fatalf("batch of %d", len(items))
	}
	trail, err := s.AuditTrail(0, 1000)
	must(t, err)
	acks := []Ack{
		{EntryID: fr[0].EntryID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-2026-000001"},
		{EntryID: fr[1].EntryID, Revision: 1, Outcome: OutcomeRejected, Permanent: true, Reason: "checklist withdrawn"},
		{EntryID: fr[2].EntryID, Revision: 1, Outcome: OutcomeDuplicate, Receipt: "SG-2026-000002"},
		{EntryID: fr[3].EntryID, Revision: 1, Outcome: OutcomeRejected, Reason: "server is busy"},
		{EntryID: fr[5].EntryID, Revision: 1, Outcome: OutcomeAccepted, Receipt: "SG-2026-000003"},
		// fr[4]: no answer
	}
	next, err := s.AcknowledgeAndNext(acks, now, 10, 0)
	must(t, err)
	if len(next) != 0 {
		t.Fatalf("nothing is due, got %v", ids(next))
	}
	byID := map[string]Summary{}
	list, err := s.ListEntries(Filter{})
	must(t, err)
	for _, m := range list {
		byID[m.ID] = m
	}
	for i, want := range []struct {
		state   State
		receipt string
		reason  string
	}{
		{StateAccepted, "SG-2026-000001", ""},
		{StateRejected, "", "checklist withdrawn"},
		{StateAccepted, "SG-2026-000002", ""},
		{StateQueued, "", "server is busy"},
		{StateSent, "", ""},
		{StateAccepted, "SG-2026-000003", ""},
	} {
		m := byID[fr[i].EntryID]
		if m.State != want.state || m.Receipt != want.receipt || m.LastError != want.reason {
			t.Errorf("entry %d: state %s receipt %q reason %q, want %s %q %q", i, m.State, m.Receipt, m.LastError, want.state, want.receipt, want.reason)
		}
	}
	b, err := s.Backlog()
	must(t, err)
	if b.Entries != 2 || b.SetAside != 1 {
		t.Errorf("backlog %+v, want 2 waiting (no answer, temporary rejection) and 1 set aside", b)
	}
	aside, err := s.SetAside()
	must(t, err)
	if len(aside) != 1 || aside[0].EntryID != fr[1].EntryID || aside[0].LastError != "checklist withdrawn" {
		t.Errorf("set aside %+v", aside)
	}
	// The one without an answer goes again after its lease, the temporary
	// rejection after its back-off; the accepted ones never.
	items, err = s.NextBatch(now.Add(24*time.Hour), 10, 0)
	must(t, err)
	if got := ids(items); len(got) != 2 || got[0] != fr[3].EntryID || got[1] != fr[4].EntryID {
		t.Errorf("later batch %v, want entries 3 and 4", got)
	}
	after, err := s.AuditTrail(trail[len(trail)-1].Seq, 1000)
	must(t, err)
	var got []string
	for _, r := range after {
		if r.Action == AuditAck {
			got = append(got, r.EntryID+" "+r.Detail)
		}
	}
	var want []string
	for _, a := range acks {
		want = append(want, fmt.Sprintf("%s revision 1 %s", a.EntryID, a.Outcome))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit of the answers:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	must(t, s.VerifyAudit())
}

// TestSetBasedAckMatchesOneByOne runs two stores side by side through
// random rounds of leases and answers: one with the store's set-based
// lease and acknowledgement, one with the one-statement-a-row code they
// replaced (refNextBatch, refAck below). Answers cover every outcome,
// repeats of the same revision in one list (in every order), revisions
// already settled, set aside or unknown, and receipts with quotes,
// backslashes and bytes that are not UTF-8. After every round both
// stores hold the same states, receipts, outbox rows, reasons and audit
// records. "small" has batches of up to 12; "long lists" batches of up
// to 150, which run as several list statements (chunks of 64, padded or
// split into the prepared sizes).
func TestSetBasedAckMatchesOneByOne(t *testing.T) {
	t.Run("small", func(t *testing.T) { setBasedMatchesOneByOne(t, 40, 12, 30) })
	t.Run("long lists", func(t *testing.T) { setBasedMatchesOneByOne(t, 200, 150, 8) })
}

func setBasedMatchesOneByOne(t *testing.T, n, maxBatch, rounds int) {
	open := func() (*Store, *fakeClock) {
		c := newClock()
		o := testOptions(c)
		o.IdleLock = -1 // the clock jumps hours
		s, err := Open(filepath.Join(t.TempDir(), "device.db"), o)
		must(t, err)
		t.Cleanup(func() { s.Close() })
		must(t, s.EnrolOfficer(testOfficer, "PC Test", testPIN))
		return s, c
	}
	a, ca := open()
	b, cb := open()
	var ea, eb []string // the i-th entry of each store
	for i := 0; i < n; i++ {
		grade, imm := forms.Level(1+i%3), i%11 == 0
		ea = append(ea, submitted(t, a, fmt.Sprint(i), grade, imm).EntryID)
		eb = append(eb, submitted(t, b, fmt.Sprint(i), grade, imm).EntryID)
		ca.Advance(time.Millisecond)
		cb.Advance(time.Millisecond)
	}
	index := map[string]int{}
	for i := range ea {
		index[ea[i]], index[eb[i]] = i, i
	}
	rng := rand.New(rand.NewPCG(17, 4))
	outcomes := []Outcome{OutcomeAccepted, OutcomeDuplicate, OutcomeConflict, OutcomeRejected}
	receipts := []string{"SG-2026-000001", `R"q\u00e9\\`, "R-\xff\xfe", "", "R-é—✓"}
	longest := 0
	for round := 0; round < rounds; round++ {
		now := ca.Now()
		size := 1 + rng.IntN(maxBatch)
		ia, err := a.NextBatch(now, size, 0)
		must(t, err)
		ib, err := refNextBatch(b, now, size)
		must(t, err)
		if len(ia) != len(ib) {
			t.Fatalf("round %d: batches of %d and %d", round, len(ia), len(ib))
		}
		longest = max(longest, len(ia))
		var batch []int
		for k := range ia {
			if index[ia[k].EntryID] != index[ib[k].EntryID] || ia[k].Attempts != ib[k].Attempts {
				t.Fatalf("round %d: batches differ at %d", round, k)
			}
			batch = append(batch, index[ia[k].EntryID])
		}
		// Answers: most of the batch, some repeated, some about others.
		var acksA, acksB []Ack
		add := func(i int, rev int, o Outcome) {
			x := Ack{Revision: rev, Outcome: o, Receipt: receipts[rng.IntN(len(receipts))], Permanent: rng.IntN(2) == 0}
			if rng.IntN(3) > 0 {
				x.Reason = fmt.Sprintf("reason %d-%d \"quoted\"", round, i)
			}
			xa, xb := x, x
			xa.EntryID, xb.EntryID = ea[i], eb[i]
			if i < 0 {
				xa.EntryID, xb.EntryID = "unknown", "unknown"
			}
			acksA, acksB = append(acksA, xa), append(acksB, xb)
		}
		for _, i := range batch {
			if rng.IntN(5) > 0 {
				add(i, 1, outcomes[rng.IntN(len(outcomes))])
			}
		}
		for k := rng.IntN(4); k > 0; k-- {
			add(rng.IntN(n), 1, outcomes[rng.IntN(len(outcomes))])
		}
		if rng.IntN(4) == 0 {
			add(rng.IntN(n), 2, OutcomeAccepted) // a revision that does not exist
		}
		rng.Shuffle(len(acksA), func(x, y int) {
			acksA[x], acksA[y] = acksA[y], acksA[x]
			acksB[x], acksB[y] = acksB[y], acksB[x]
		})
		if round%2 == 0 {
			must(t, a.Acknowledge(acksA))
		} else {
			next, err := a.AcknowledgeAndNext(acksA, time.UnixMilli(0), 1, 0) // nothing is due then
			if len(next) != 0 {
				t.Fatalf("round %d: leased %v", round, ids(next))
			}
			must(t, err)
		}
		must(t, refAck(b, acksB))
		if round%7 == 3 { // some set-aside ones come back
			for _, m := range mustAside(t, a) {
				must(t, a.Requeue(m.EntryID, m.Revision))
				must(t, b.Requeue(eb[index[m.EntryID]], m.Revision))
			}
		}
		if da, db := dumpOutbox(t, a, index), dumpOutbox(t, b, index); da != db {
			t.Fatalf("round %d: set-based and one-by-one differ:\n%s\n---\n%s", round, da, db)
		}
		step := time.Duration(rng.IntN(3)) * time.Hour
		ca.Advance(step)
		cb.Advance(step)
	}
	must(t, a.VerifyAudit())
	must(t, b.VerifyAudit())
	if largest := listSizes[len(listSizes)-1]; maxBatch > largest && longest <= largest {
		t.Fatalf("no batch was longer than %d (longest %d): the chunks were not exercised", largest, longest)
	}
}

// TestListChunks: a list of any length runs as statements of the
// prepared sizes covering every row once (split) or padded up to them.
func TestListChunks(t *testing.T) {
	for n := 1; n <= 300; n++ {
		for _, q := range []*listSQL{lAuditInsert, lLease} {
			runs, sizes := q.chunks(n)
			total := 0
			for i, r := range runs {
				total += r
				if !slices.Contains(listSizes, sizes[i]) || r > sizes[i] || r < 1 || (!q.pad && r != sizes[i]) {
					t.Fatalf("n=%d pad=%v: run %d of %d rows as size %d", n, q.pad, i, r, sizes[i])
				}
			}
			if total != n {
				t.Fatalf("n=%d pad=%v: runs %v cover %d rows", n, q.pad, runs, total)
			}
		}
	}
}

func mustAside(t *testing.T, s *Store) []OutboxItem {
	t.Helper()
	l, err := s.SetAside()
	must(t, err)
	return l
}

// dumpOutbox lists every revision's sync state, outbox row, reason and
// the audit trail, with entries named by their index.
func dumpOutbox(t *testing.T, s *Store, index map[string]int) string {
	t.Helper()
	var out strings.Builder
	rows, err := s.db.Query(`SELECT r.entry_id, r.revision, r.state, COALESCE(r.receipt, '<null>'), COALESCE(r.acked, -1), e.state,
		COALESCE(o.attempts, -1), COALESCE(o.next_attempt, -1), COALESCE(o.set_aside, -1), o.seq IS NOT NULL
		FROM revisions r JOIN entries e ON e.id = r.entry_id LEFT JOIN outbox o ON o.entry_id = r.entry_id AND o.revision = r.revision
		ORDER BY r.entry_id, r.revision`)
	must(t, err)
	var lines []string
	for rows.Next() {
		var id, state, receipt, estate string
		var rev int
		var acked, attempts, next, aside int64
		var inOutbox bool
		must(t, rows.Scan(&id, &rev, &state, &receipt, &acked, &estate, &attempts, &next, &aside, &inOutbox))
		lines = append(lines, fmt.Sprintf("%03d r%d %s %q acked=%d entry=%s outbox=%v attempts=%d next=%d aside=%d",
			index[id], rev, state, receipt, acked, estate, inOutbox, attempts, next, aside))
	}
	must(t, rows.Err())
	rows.Close()
	list, err := s.ListEntries(Filter{})
	must(t, err)
	for _, m := range list {
		lines = append(lines, fmt.Sprintf("%03d reason %q receipt %q", index[m.ID], m.LastError, m.Receipt))
	}
	slices.Sort(lines)
	out.WriteString(strings.Join(lines, "\n"))
	trail, err := s.AuditTrail(0, 100000)
	must(t, err)
	for _, r := range trail {
		if r.Action != AuditAck {
			continue
		}
		who := r.EntryID
		if i, ok := index[r.EntryID]; ok {
			who = fmt.Sprintf("%03d", i)
		}
		fmt.Fprintf(&out, "\naudit %s %d %s %s %s", r.At.Format(time.RFC3339Nano), r.Seq, r.Officer, who, r.Detail)
	}
	return out.String()
}

// refNextBatch is NextBatch as it was before the set-based lease: three
// statements a row.
func refNextBatch(s *Store, now time.Time, maxItems int) ([]OutboxItem, error) {
	return withKeys(s, false, func(kr *keyring) ([]OutboxItem, error) {
		var items []OutboxItem
		err := s.tx("read outbox", func(tx *sql.Tx) error {
			var damaged []OutboxItem
			var err error
			items, damaged, err = s.readBatch(tx, kr, now, maxItems, 0)
			if err != nil {
				return err
			}
			if len(damaged) > 0 {
				return errors.New("damaged items in the reference run")
			}
			lease := now.Add(s.opts.SendLease).UnixMilli()
			for i := range items {
				it := &items[i]
				if _, err := tx.Exec(qLease, lease, it.Seq); err != nil {
					return err
				}
				if _, err := tx.Exec(qMarkSent, StateSent, it.EntryID, it.Revision, StateQueued, StateSent); err != nil {
					return err
				}
				if _, err := tx.Exec(qRefreshEntry, it.EntryID); err != nil {
					return err
				}
				it.Attempts++
			}
			return nil
		})
		return items, err
	})
}

// refAck is Acknowledge as it was before the set-based one: each answer
// in turn, one statement at a time.
func refAck(s *Store, acks []Ack) error {
	return s.run(func() error {
		return s.tx("acknowledge", func(tx *sql.Tx) error {
			now := s.now()
			for _, a := range acks {
				var seq int64
				var attempts int
				err := tx.QueryRow(qOutboxOf, a.EntryID, a.Revision).Scan(&seq, &attempts)
				if errors.Is(err, sql.ErrNoRows) {
					continue
				}
				if err != nil {
					return err
				}
				switch a.Outcome {
				case OutcomeAccepted, OutcomeDuplicate:
					if _, err := tx.Exec(qAckRevision, a.Receipt, now, StateQueued, StateSent, StateRejected, StateAccepted, a.EntryID, a.Revision); err != nil {
						return err
					}
					if _, err := tx.Exec(qOutboxDelete, seq); err != nil {
						return err
					}
					if _, err := tx.Exec(qRefreshEntry, a.EntryID); err != nil {
						return err
					}
				case OutcomeConflict:
					reason := a.Reason
					if reason == "" {
						reason = "the server already holds different content for this revision; ask your supervisor"
					}
					if err := s.setAside(tx, a.EntryID, a.Revision, reason); err != nil {
						return err
					}
				case OutcomeRejected:
					reason := a.Reason
					if reason == "" {
						reason = "the server refused this entry"
					}
					if a.Permanent {
						if err := s.setAside(tx, a.EntryID, a.Revision, reason); err != nil {
							return err
						}
						break
					}
					if err := s.deferLocked(tx, a.EntryID, a.Revision, reason, fromMS(now).Add(backoff(attempts))); err != nil {
						return err
					}
				}
				if err := s.audit(tx, "sync", AuditAck, a.EntryID, fmt.Sprintf("revision %d %s", a.Revision, a.Outcome)); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
