package central

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// DefaultRefusalAuditEvery is how long refused credential attempts are
// gathered before they are audited as one record per action, caller and
// source address.
const DefaultRefusalAuditEvery = 10 * time.Second

// Bounds of the refusal ledger: the distinct (action, caller, source)
// groups and lockouts held between flushes, and the name hashes listed in
// one group. Past a bound nothing is dropped silently: the attempts are
// counted in an overflow group (or in names_not_listed).
const (
	maxRefusalGroups   = 10_000
	maxLockoutsHeld    = 10_000
	maxNameHashesGroup = 16
)

type refusalGroup struct{ action, actor, source string }

type refusalTally struct {
	count      int
	first      time.Time
	last       time.Time
	failures   int // the highest failure count of the group's first key
	names      map[string]bool
	namesOver  int
	overflowed bool
}

type lockoutEvent struct {
	kind, value, nameHash string
	shared                string // the value the shared lockouts table keeps
	minutes, failures     int
	at, until             time.Time
}

// refusalLedger gathers refused credential attempts in memory so a flood
// costs no database write per attempt: every attempt is counted, and the
// counts are audited together (one record per action, caller and source
// address per interval, plus one per lockout) by flushRefusals.
type refusalLedger struct {
	mu          sync.Mutex
	groups      map[refusalGroup]*refusalTally
	lockouts    []lockoutEvent
	lockoutsOff int // lockouts past maxLockoutsHeld, counted only
	timer       *time.Timer
	early       bool // the timer is the short one a lockout set
	// flushMu serialises flushes (the timer's and callers').
	flushMu sync.Mutex
}

// noteRefusal counts one refused attempt and any lockouts it started, and
// makes sure a flush is due.
func (s *Service) noteRefusal(at time.Time, g refusalGroup, nameHash string, failures int, locked []lockoutEvent) {
	l := &s.refusals
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.groups == nil {
		l.groups = map[refusalGroup]*refusalTally{}
	}
	t := l.groups[g]
	if t == nil {
		if len(l.groups) >= maxRefusalGroups {
			g = refusalGroup{action: g.action, actor: "anonymous", source: "other"}
			t = l.groups[g]
		}
		if t == nil {
			t = &refusalTally{first: at, names: map[string]bool{}}
			l.groups[g] = t
		}
		if g.source == "other" {
			t.overflowed = true
		}
	}
	t.count++
	t.last = at
	if failures > t.failures {
		t.failures = failures
	}
	if nameHash != "" && !t.names[nameHash] {
		if len(t.names) < maxNameHashesGroup {
			t.names[nameHash] = true
		} else {
			t.namesOver++
		}
	}
	for _, e := range locked {
		if len(l.lockouts) < maxLockoutsHeld {
			l.lockouts = append(l.lockouts, e)
		} else {
			l.lockoutsOff++
		}
	}
	// A lockout is flushed soon (its audit record and the row the other
	// servers read); plain refusals wait for the interval.
	wait := s.cfg.Limits.auditEvery()
	if len(locked) > 0 {
		wait = lockoutFlushDelay
	}
	if l.timer != nil && len(locked) > 0 && !l.early {
		l.timer.Stop()
		l.timer = nil
	}
	if l.timer == nil {
		l.early = len(locked) > 0
		l.timer = time.AfterFunc(wait, func() {
			if err := s.FlushRefusals(context.Background()); err != nil {
				s.log.Error("audit refused sign-ins", "err", err)
			}
		})
	}
}

// FlushRefusals audits the refused credential attempts gathered since the
// last flush: one record per action, caller and source address (with the
// count, the first and last time, and up to 16 keyed hashes of the typed
// names), and one per lockout started. It runs on its own every
// Limits.RefusalAuditEvery after a refusal; call it before the store
// closes so nothing gathered is lost (cmd/central serve does at shutdown).
// Attempts gathered when the process dies without it are not audited.
func (s *Service) FlushRefusals(ctx context.Context) error {
	l := &s.refusals
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	l.mu.Lock()
	groups, lockouts, lockoutsOff := l.groups, l.lockouts, l.lockoutsOff
	l.groups, l.lockouts, l.lockoutsOff = nil, nil, 0
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	l.mu.Unlock()
	if len(groups) == 0 && len(lockouts) == 0 && lockoutsOff == 0 {
		return nil
	}
	keys := make([]refusalGroup, 0, len(groups))
	for g := range groups {
		keys = append(keys, g)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := groups[keys[i]], groups[keys[j]]
		if !a.first.Equal(b.first) {
			return a.first.Before(b.first)
		}
		return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j])
	})
	err := s.store.Update(ctx, func(tx Tx) error {
		for _, g := range keys {
			t := groups[g]
			names := make([]string, 0, len(t.names))
			for n := range t.names {
				names = append(names, n)
			}
			sort.Strings(names)
			d := map[string]any{"count": t.count, "failures": t.failures, "source": g.source,
				"from": t.first.Format(time.RFC3339Nano), "to": t.last.Format(time.RFC3339Nano)}
			if len(names) > 0 {
				d["name_hashes"] = names
			}
			if t.namesOver > 0 {
				d["names_not_listed"] = t.namesOver
			}
			if t.overflowed {
				d["note"] = "callers and sources past the ledger's bound, counted together"
			}
			if err := s.auditAs(ctx, tx, g.actor, g.action, d); err != nil {
				return err
			}
		}
		for _, e := range lockouts {
			d := map[string]any{"kind": e.kind, "minutes": e.minutes, "at": e.at.Format(time.RFC3339Nano)}
			if e.nameHash != "" {
				d["name_hash"] = e.nameHash
			} else {
				d["value"] = e.value
			}
			if err := s.audit(ctx, tx, System("throttle"), "lockout", "", 0, d); err != nil {
				return err
			}
			if lt, ok := tx.(lockoutTx); ok {
				if err := lt.PutLockout(ctx, SharedLockout{Kind: e.kind, Value: e.shared, Until: e.until, Failures: e.failures, At: e.at}); err != nil {
					return err
				}
			}
		}
		if lockoutsOff > 0 {
			return s.audit(ctx, tx, System("throttle"), "lockout", "", 0, map[string]any{"count": lockoutsOff, "note": "lockouts past the ledger's bound, counted only"})
		}
		return nil
	})
	if err != nil {
		// Put the counts back so a later flush can write them.
		l.mu.Lock()
		for g, t := range groups {
			if cur := l.groups[g]; cur != nil {
				cur.count += t.count
				if t.first.Before(cur.first) {
					cur.first = t.first
				}
			} else {
				if l.groups == nil {
					l.groups = map[refusalGroup]*refusalTally{}
				}
				l.groups[g] = t
			}
		}
		l.lockouts = append(lockouts, l.lockouts...)
		l.lockoutsOff += lockoutsOff
		l.mu.Unlock()
		return fmt.Errorf("audit refused sign-ins: %w", err)
	}
	return nil
}
