// Package memindex is an in-memory people.Index: nothing survives the
// process. It passes the same contract suite as people/sqlite and
// people/postgres (people/peopletest) and serves where a database would
// only slow things down: tests of code above the index, and the matcher's
// evaluation under the race detector.
package memindex

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/people"
)

type person struct {
	seq        int64
	mergedInto uuid.UUID
}

type record struct {
	seq    int64
	data   []byte // the record as JSON, as a database stores it
	person uuid.UUID
	keys   []people.Key
}

type edge struct {
	r   people.Relationship
	seq int64
}

// Index is the in-memory people.Index. The zero value is not usable; call
// New.
type Index struct {
	nick *people.Nicknames

	mu       sync.RWMutex
	seq      int64
	persons  map[uuid.UUID]*person
	records  map[uuid.UUID]*record
	byPerson map[uuid.UUID][]uuid.UUID // records of each live person, oldest first
	keys     map[people.Key]map[uuid.UUID]struct{}
	edges    map[uuid.UUID]*edge
	byRecord map[uuid.UUID][]*edge // edges touching each record
	entries  map[uuid.UUID]people.Entry
	audit    []people.AuditEvent
}

var _ people.Index = (*Index)(nil)
var _ people.BulkLoader = (*Index)(nil)

// New returns an empty index using the default nickname table for keys.
func New() *Index {
	return &Index{nick: people.DefaultNicknames, persons: map[uuid.UUID]*person{}, records: map[uuid.UUID]*record{},
		byPerson: map[uuid.UUID][]uuid.UUID{}, keys: map[people.Key]map[uuid.UUID]struct{}{},
		edges: map[uuid.UUID]*edge{}, byRecord: map[uuid.UUID][]*edge{}, entries: map[uuid.UUID]people.Entry{}}
}

func (x *Index) next() int64 { x.seq++; return x.seq }

func check(rec people.Record) error {
	if rec.ID == uuid.Nil || rec.EntryID == uuid.Nil {
		return fmt.Errorf("record without id or entry id: %w", people.ErrInvalid)
	}
	return nil
}

// live follows merges to the live person.
func (x *Index) live(id uuid.UUID) (uuid.UUID, error) {
	for range 1000 {
		p, ok := x.persons[id]
		if !ok {
			return uuid.Nil, fmt.Errorf("person %s: %w", id, people.ErrNotFound)
		}
		if p.mergedInto == uuid.Nil {
			return id, nil
		}
		id = p.mergedInto
	}
	return uuid.Nil, fmt.Errorf("person %s: merge chain too long: %w", id, people.ErrConflict)
}

func (x *Index) put(rec people.Record, pid uuid.UUID) error {
	if _, ok := x.records[rec.ID]; ok {
		return fmt.Errorf("record %s: %w", rec.ID, people.ErrExists)
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	r := &record{seq: x.next(), data: data, person: pid, keys: people.Keys(&rec.Particulars, x.nick)}
	x.records[rec.ID] = r
	x.byPerson[pid] = append(x.byPerson[pid], rec.ID)
	x.addKeys(rec.ID, r.keys)
	return nil
}

func (x *Index) addKeys(id uuid.UUID, keys []people.Key) {
	for _, k := range keys {
		m := x.keys[k]
		if m == nil {
			m = map[uuid.UUID]struct{}{}
			x.keys[k] = m
		}
		m[id] = struct{}{}
	}
}

func decode(b []byte) (people.Record, error) {
	var r people.Record
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("decode record: %w", err)
	}
	return r, nil
}

// Add implements people.Index.
func (x *Index) Add(_ context.Context, rec people.Record) (uuid.UUID, error) {
	if err := check(rec); err != nil {
		return uuid.Nil, fmt.Errorf("add: %w", err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.records[rec.ID]; ok {
		return uuid.Nil, fmt.Errorf("add: record %s: %w", rec.ID, people.ErrExists)
	}
	id := uuid.New()
	x.persons[id] = &person{seq: x.next()}
	if err := x.put(rec, id); err != nil {
		delete(x.persons, id)
		return uuid.Nil, fmt.Errorf("add: %w", err)
	}
	return id, nil
}

// Link implements people.Index.
func (x *Index) Link(_ context.Context, rec people.Record, pid uuid.UUID) error {
	if err := check(rec); err != nil {
		return fmt.Errorf("link: %w", err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	live, err := x.live(pid)
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	if err := x.put(rec, live); err != nil {
		return fmt.Errorf("link: %w", err)
	}
	return nil
}

// Update implements people.Index.
func (x *Index) Update(_ context.Context, rec people.Record) error {
	if err := check(rec); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	r, ok := x.records[rec.ID]
	if !ok {
		return fmt.Errorf("update: record %s: %w", rec.ID, people.ErrNotFound)
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("update: encode record: %w", err)
	}
	for _, k := range r.keys {
		delete(x.keys[k], rec.ID)
		if len(x.keys[k]) == 0 {
			delete(x.keys, k)
		}
	}
	r.data, r.keys = data, people.Keys(&rec.Particulars, x.nick)
	x.addKeys(rec.ID, r.keys)
	return nil
}

// PersonOf implements people.Index.
func (x *Index) PersonOf(_ context.Context, rid uuid.UUID) (uuid.UUID, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	r, ok := x.records[rid]
	if !ok {
		return uuid.Nil, fmt.Errorf("person of record %s: %w", rid, people.ErrNotFound)
	}
	return r.person, nil
}

func (x *Index) recordsOf(pid uuid.UUID) ([]people.Record, error) {
	ids := x.byPerson[pid]
	out := make([]people.Record, 0, len(ids))
	for _, id := range ids {
		r, err := decode(x.records[id].data)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Person implements people.Index.
func (x *Index) Person(_ context.Context, id uuid.UUID) (people.Person, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	live, err := x.live(id)
	if err != nil {
		return people.Person{}, fmt.Errorf("get person: %w", err)
	}
	recs, err := x.recordsOf(live)
	if err != nil {
		return people.Person{}, fmt.Errorf("get person: %w", err)
	}
	return people.Profile(live, recs), nil
}

// Records implements people.Index.
func (x *Index) Records(_ context.Context, id uuid.UUID) ([]people.Record, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	live, err := x.live(id)
	if err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	return x.recordsOf(live)
}

// Candidates implements people.Index.
func (x *Index) Candidates(_ context.Context, probes []people.Probe, limit int) ([]people.Person, error) {
	if limit <= 0 {
		limit = people.DefaultCandidateLimit
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	score := map[uuid.UUID]int{}
	for _, p := range probes {
		counted := map[uuid.UUID]bool{}
		for rid := range x.keys[p.Key] {
			pid := x.records[rid].person
			if !counted[pid] {
				counted[pid] = true
				score[pid] += p.Weight
			}
		}
	}
	ids := make([]uuid.UUID, 0, len(score))
	for id := range score {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int {
		if c := cmp.Compare(score[b], score[a]); c != 0 {
			return c
		}
		return cmp.Compare(x.persons[a].seq, x.persons[b].seq)
	})
	ids = ids[:min(limit, len(ids))]
	for i, id := range ids {
		if i >= people.CandidateKeep && score[id]*people.CandidateShare < score[ids[0]] {
			ids = ids[:i]
			break
		}
	}
	out := make([]people.Person, 0, len(ids))
	for _, id := range ids {
		recs, err := x.recordsOf(id)
		if err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		out = append(out, people.Profile(id, recs))
	}
	return out, nil
}

// KeyCounts implements people.Index.
func (x *Index) KeyCounts(_ context.Context, keys []people.Key) (int64, []int64, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	counts := make([]int64, len(keys))
	for i, k := range keys {
		counts[i] = int64(len(x.keys[k]))
	}
	return int64(len(x.records)), counts, nil
}

// Relate implements people.Index.
func (x *Index) Relate(_ context.Context, r people.Relationship) error {
	if _, err := people.ParseRelType(string(r.Type)); err != nil || r.ID == uuid.Nil || r.From == r.To {
		return fmt.Errorf("relate: %w", people.ErrInvalid)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, id := range []uuid.UUID{r.From, r.To} {
		if _, ok := x.records[id]; !ok {
			return fmt.Errorf("relate: record %s: %w", id, people.ErrNotFound)
		}
	}
	if _, ok := x.edges[r.ID]; !ok {
		e := &edge{r: r, seq: x.next()}
		x.edges[r.ID] = e
		x.byRecord[r.From] = append(x.byRecord[r.From], e)
		x.byRecord[r.To] = append(x.byRecord[r.To], e)
	}
	return nil
}

// liveSet resolves person ids to live ones.
func (x *Index) liveSet(ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	set := map[uuid.UUID]bool{}
	for _, id := range ids {
		live, err := x.live(id)
		if err != nil {
			return nil, err
		}
		set[live] = true
	}
	return set, nil
}

// edgesOf returns the edges touching the records of the people, oldest
// first.
func (x *Index) edgesOf(set map[uuid.UUID]bool) []*edge {
	seen := map[*edge]bool{}
	var es []*edge
	for pid := range set {
		for _, rid := range x.byPerson[pid] {
			for _, e := range x.byRecord[rid] {
				if !seen[e] {
					seen[e] = true
					es = append(es, e)
				}
			}
		}
	}
	slices.SortFunc(es, func(a, b *edge) int { return cmp.Compare(a.seq, b.seq) })
	return es
}

// Edges implements people.Index.
func (x *Index) Edges(_ context.Context, persons []uuid.UUID) ([]people.Edge, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	set, err := x.liveSet(persons)
	if err != nil {
		return nil, fmt.Errorf("edges: %w", err)
	}
	var out []people.Edge
	for _, e := range x.edgesOf(set) {
		from, to := x.records[e.r.From].person, x.records[e.r.To].person
		if set[from] || set[to] {
			out = append(out, people.Edge{ID: e.r.ID, EntryID: e.r.EntryID, From: from, To: to,
				FromRecord: e.r.From, ToRecord: e.r.To, Type: e.r.Type})
		}
	}
	return out, nil
}

// Relatives implements people.Index.
func (x *Index) Relatives(_ context.Context, persons []uuid.UUID) (map[uuid.UUID][]people.Relative, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	set, err := x.liveSet(persons)
	if err != nil {
		return nil, fmt.Errorf("relatives: %w", err)
	}
	out := map[uuid.UUID][]people.Relative{}
	for _, e := range x.edgesOf(set) {
		for _, side := range []struct {
			self, other uuid.UUID
			outgoing    bool
		}{{e.r.To, e.r.From, true}, {e.r.From, e.r.To, false}} {
			pid := x.records[side.self].person
			if !set[pid] {
				continue
			}
			o, err := decode(x.records[side.other].data)
			if err != nil {
				return nil, fmt.Errorf("relatives: %w", err)
			}
			out[pid] = append(out[pid], people.Relative{Type: e.r.Type, Outgoing: side.outgoing, Name: o.Name, DOB: o.DOB})
		}
	}
	return out, nil
}

// SetEntry implements people.Index.
func (x *Index) SetEntry(_ context.Context, e people.Entry) error {
	if e.ID == uuid.Nil || !e.Date.Valid() {
		return fmt.Errorf("set entry: %w", people.ErrInvalid)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.entries[e.ID] = e
	return nil
}

// History implements people.Index.
func (x *Index) History(_ context.Context, id uuid.UUID) ([]people.Appearance, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	live, err := x.live(id)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	type row struct {
		a   people.Appearance
		seq int64
	}
	var rows []row
	for _, rid := range x.byPerson[live] {
		r := x.records[rid]
		rec, err := decode(r.data)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		a := people.Appearance{EntryID: rec.EntryID, RecordID: rid, Date: rec.Seen, Role: rec.Role}
		if e, ok := x.entries[rec.EntryID]; ok {
			a.Date, a.Grade = e.Date, e.Grade
		}
		rows = append(rows, row{a, r.seq})
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if c := cmp.Compare(a.a.Date.String(), b.a.Date.String()); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]people.Appearance, len(rows))
	for i, r := range rows {
		out[i] = r.a
	}
	return out, nil
}

func (x *Index) logEvent(ev *people.AuditEvent) {
	ev.Seq = int64(len(x.audit) + 1)
	ev.At = time.Now().UTC().Truncate(time.Millisecond)
	x.audit = append(x.audit, *ev)
}

// move gives records to another person, keeping the order of both.
func (x *Index) move(records []uuid.UUID, from, to uuid.UUID) {
	for _, id := range records {
		x.records[id].person = to
	}
	x.byPerson[to] = append(x.byPerson[to], records...)
	slices.SortFunc(x.byPerson[to], func(a, b uuid.UUID) int { return cmp.Compare(x.records[a].seq, x.records[b].seq) })
	x.byPerson[from] = slices.DeleteFunc(x.byPerson[from], func(id uuid.UUID) bool { return slices.Contains(records, id) })
	if len(x.byPerson[from]) == 0 {
		delete(x.byPerson, from)
	}
}

// Merge implements people.Index.
func (x *Index) Merge(_ context.Context, into, from uuid.UUID, actor, reason string) (people.AuditEvent, error) {
	if actor == "" {
		return people.AuditEvent{}, fmt.Errorf("merge: no actor: %w", people.ErrInvalid)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	live, err := x.live(into)
	if err != nil {
		return people.AuditEvent{}, fmt.Errorf("merge: %w", err)
	}
	p, ok := x.persons[from]
	switch {
	case !ok:
		return people.AuditEvent{}, fmt.Errorf("merge: person %s: %w", from, people.ErrNotFound)
	case p.mergedInto != uuid.Nil:
		return people.AuditEvent{}, fmt.Errorf("merge: person %s is merged already: %w", from, people.ErrConflict)
	case from == live:
		return people.AuditEvent{}, fmt.Errorf("merge a person into itself: %w", people.ErrInvalid)
	}
	recs := slices.Clone(x.byPerson[from])
	x.move(recs, from, live)
	p.mergedInto = live
	ev := people.AuditEvent{Actor: actor, Action: people.ActionMerge, MergeID: uuid.New(), Into: live, From: from,
		Reason: reason, Records: recs}
	x.logEvent(&ev)
	return ev, nil
}

// Unmerge implements people.Index.
func (x *Index) Unmerge(_ context.Context, mergeID uuid.UUID, actor, reason string) (people.AuditEvent, error) {
	if actor == "" {
		return people.AuditEvent{}, fmt.Errorf("unmerge: no actor: %w", people.ErrInvalid)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	var merge *people.AuditEvent
	for i := range x.audit {
		if x.audit[i].MergeID != mergeID {
			continue
		}
		if x.audit[i].Action == people.ActionUnmerge {
			return people.AuditEvent{}, fmt.Errorf("unmerge: merge %s is undone already: %w", mergeID, people.ErrConflict)
		}
		merge = &x.audit[i]
	}
	if merge == nil {
		return people.AuditEvent{}, fmt.Errorf("unmerge: merge %s: %w", mergeID, people.ErrNotFound)
	}
	into, from := x.persons[merge.Into], x.persons[merge.From]
	if into.mergedInto != uuid.Nil {
		return people.AuditEvent{}, fmt.Errorf("unmerge: person %s has since been merged into another; undo that first: %w", merge.Into, people.ErrConflict)
	}
	if from.mergedInto != merge.Into {
		return people.AuditEvent{}, fmt.Errorf("unmerge: person %s is not merged into %s: %w", merge.From, merge.Into, people.ErrConflict)
	}
	for _, id := range merge.Records {
		if x.records[id].person != merge.Into {
			return people.AuditEvent{}, fmt.Errorf("unmerge: records of merge %s have moved since: %w", mergeID, people.ErrConflict)
		}
	}
	x.move(merge.Records, merge.Into, merge.From)
	from.mergedInto = uuid.Nil
	ev := people.AuditEvent{Actor: actor, Action: people.ActionUnmerge, MergeID: mergeID, Into: merge.Into,
		From: merge.From, Reason: reason, Records: slices.Clone(merge.Records)}
	x.logEvent(&ev)
	return ev, nil
}

// Audit implements people.Index.
func (x *Index) Audit(_ context.Context, pid uuid.UUID) ([]people.AuditEvent, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out []people.AuditEvent
	for _, ev := range x.audit {
		if ev.Into == pid || ev.From == pid {
			out = append(out, ev)
		}
	}
	return out, nil
}

// BulkLoad implements people.BulkLoader.
func (x *Index) BulkLoad(ctx context.Context, items iter.Seq[people.BulkItem], rels iter.Seq[people.Relationship]) (int, error) {
	n := 0
	x.mu.Lock()
	for it := range items {
		if err := check(it.Record); err != nil || it.Person == uuid.Nil {
			x.mu.Unlock()
			return n, fmt.Errorf("bulk load: %w", people.ErrInvalid)
		}
		if _, ok := x.persons[it.Person]; !ok {
			x.persons[it.Person] = &person{seq: x.next()}
		}
		if err := x.put(it.Record, it.Person); err != nil {
			x.mu.Unlock()
			return n, fmt.Errorf("bulk load: %w", err)
		}
		n++
	}
	x.mu.Unlock()
	if rels != nil {
		for r := range rels {
			if err := x.Relate(ctx, r); err != nil {
				return n, fmt.Errorf("bulk load: %w", err)
			}
		}
	}
	return n, nil
}

// Close implements people.Index; the index stays usable.
func (x *Index) Close() error { return nil }
