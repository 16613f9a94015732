package devicestore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/forms"
)

// State is where a revision is in its life. An entry's state is its
// current (latest) revision's.
type State string

// States, in the order an entry usually passes through them.
const (
	// StateDraft: being filled in on the device; every change is saved.
	StateDraft State = "draft"
	// StateQueued: submitted and frozen, waiting in the outbox.
	StateQueued State = "queued"
	// StateSent: handed to the sync engine, no answer from the server yet.
	StateSent State = "sent"
	// StateAccepted: the server acknowledged it (Receipt is set).
	StateAccepted State = "accepted"
	// StateRejected: the server refused it for good (or holds different
	// content under the same revision); it is set aside with the reason in
	// LastError and never blocks other entries.
	StateRejected State = "rejected"
	// StateReturned: a supervisor returned it. The current revision is then
	// a new, editable revision copying the returned one, with the
	// supervisor's comments available from Review.
	StateReturned State = "returned"
	// StateApproved: a supervisor approved it. It never changes again.
	StateApproved State = "approved"
)

// Editable reports whether a revision in this state can be changed. (A
// returned entry's current revision is editable; the returned revision
// itself, kept underneath, is frozen.)
func (st State) Editable() bool { return st == StateDraft || st == StateReturned }

// Summary is what an entry list shows. Building it decrypts only the
// title and any error reason, so listing stays fast with 10,000 entries.
type Summary struct {
	ID        string
	Checklist forms.Ref
	Officer   string
	Training  bool
	State     State
	Revision  int
	Grade     forms.Level // as submitted (LevelNone for a first draft)
	Immediate bool
	Title     string // set by SetTitle, e.g. the first child's name
	Started   time.Time
	Updated   time.Time
	Receipt   string // the server's receipt for the latest acknowledged revision
	// LastError is the latest sync problem in plain words (or the reason
	// an entry was set aside).
	LastError string
	// Purged is set once the content was removed after review.
	Purged bool
}

// Filter selects entries for ListEntries. Zero fields do not filter.
type Filter struct {
	States   []State
	Officer  string
	Training *bool // nil: both live and training entries
	Limit    int   // 0: no limit
}

// answerKey names one answer's row.
type answerKey struct{ group, instance, question string }

func answerAD(entryID string, k answerKey) []byte {
	return ad("answer", entryID, k.group, k.instance, k.question)
}

func fieldAD(entryID, name string) []byte { return ad("field", entryID, name) }

func payloadAD(entryID string, rev int) []byte {
	return ad("payload", entryID, strconv.Itoa(rev))
}

// SetLanguage sets the BCP 47 tag of the language the app is showing
// ("en", "cy"; "" for not stated). From then on, new entries record it as
// their Language and every answer saved with free text (a text value or a
// reason) records it as its Lang, unless the answer carries its own tag, so
// a supervisor reading in another language knows what each text was
// written in. The app calls it at start and whenever the officer changes
// language. It survives locking and unlocking.
func (s *Store) SetLanguage(tag string) error {
	if tag != "" && !forms.ValidLanguageTag(tag) {
		return fmt.Errorf("set language: %w: %q is not a language tag", ErrInvalid, tag)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.language = tag
	return nil
}

// hasFreeText reports whether an answer holds words an officer wrote (a
// string value or a reason), which is what a language tag is about. A
// string value of a choice question (a code) is tagged too: the store
// does not know question kinds, and the tag is harmless there.
func hasFreeText(a forms.Answer) bool {
	if a.Reason != "" {
		return true
	}
	s, ok := a.Value.(string)
	return ok && s != ""
}

// NewEntry starts a draft made by the officer who unlocked the store.
func (s *Store) NewEntry(checklist forms.Ref, training bool) (*forms.Entry, error) {
	if checklist.ID == "" || checklist.Version == "" {
		return nil, fmt.Errorf("new entry: %w: checklist id and version are required", ErrInvalid)
	}
	return withKeys(s, true, func(kr *keyring) (*forms.Entry, error) {
		id, err := uuid.NewV7() // time-ordered: neighbouring rows in the B-tree
		if err != nil {
			return nil, err
		}
		now := s.now()
		e := &forms.Entry{ID: id.String(), Checklist: checklist, Revision: 1, Started: fromMS(now),
			Officer: s.officer, Training: training, Answers: map[string]forms.Answer{}, Language: s.language}
		err = s.tx("new entry", func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO entries(id, checklist_id, checklist_version, officer, training, started, updated, revision, state) VALUES (?,?,?,?,?,?,?,1,?)`,
				e.ID, checklist.ID, checklist.Version, s.officer, training, now, now, StateDraft)
			if err != nil {
				return storageErr("new entry", err)
			}
			if _, err := tx.Exec(`INSERT INTO revisions(entry_id, revision, state, created) VALUES (?,1,?,?)`, e.ID, StateDraft, now); err != nil {
				return storageErr("new entry", err)
			}
			if e.Language != "" {
				if err := s.putField(tx, kr, e.ID, 1, "language", e.Language); err != nil {
					return err
				}
			}
			return s.audit(tx, s.officer, AuditCreate, e.ID, checklist.String())
		})
		if err != nil {
			return nil, err
		}
		return e, nil
	})
}

// editable returns the entry's current revision if it can be changed.
func (s *Store) editable(tx querier, entryID string) (int, error) {
	var rev int
	var frozen, purged sql.NullInt64
	err := s.queryRow(tx, qEditable, entryID).
		Scan(&rev, &purged, &frozen)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("entry %s: %w", entryID, ErrNotFound)
	}
	if err != nil {
		return 0, storageErr("read entry", err)
	}
	if purged.Valid {
		return 0, fmt.Errorf("entry %s: %w", entryID, ErrPurged)
	}
	if frozen.Valid {
		return 0, fmt.Errorf("entry %s revision %d: %w", entryID, rev, ErrFrozen)
	}
	return rev, nil
}

func (s *Store) hasInstance(tx *sql.Tx, entryID string, rev int, group, instance string) error {
	var one int
	err := s.queryRowTx(tx, qHasInstance, entryID, rev, group, instance).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("entry %s: %s %s: %w", entryID, group, instance, ErrNotFound)
	}
	return storageErr("read entry", err)
}

// change runs one edit of a draft: checks the store is unlocked and the
// entry editable, runs fn, stamps the entry's update time and writes the
// audit record, all in one committed transaction.
func (s *Store) change(op, entryID, detail string, fn func(tx *sql.Tx, kr *keyring, rev int) error) error {
	return s.runKeys(true, func(kr *keyring) error {
		return s.tx(op, func(tx *sql.Tx) error {
			rev, err := s.editable(tx, entryID)
			if err != nil {
				return err
			}
			if err := fn(tx, kr, rev); err != nil {
				return err
			}
			if _, err := s.execTx(tx, qTouchEntry, s.now(), entryID); err != nil {
				return storageErr(op, err)
			}
			return s.audit(tx, s.officer, AuditChange, entryID, detail)
		})
	})
}

// SetAnswer saves one answer of a draft (autosave). group and instanceID
// are "" for a question that does not repeat. The call returns only after
// the answer is committed to disk in its own transaction, so the screen may
// then show it as saved. A blank answer (no value, not "Not known", no
// reason) removes the answer.
func (s *Store) SetAnswer(entryID, group, instanceID, questionID string, a forms.Answer) error {
	if questionID == "" || (group == "") != (instanceID == "") {
		return fmt.Errorf("set answer: %w: question id is required, and group and instance go together", ErrInvalid)
	}
	v, err := normaliseValue(a.Value)
	if err != nil {
		return fmt.Errorf("set answer %s: %w", questionID, err)
	}
	a.Value = v
	if a.Lang != "" && !forms.ValidLanguageTag(a.Lang) {
		return fmt.Errorf("set answer %s: %w: %q is not a language tag", questionID, ErrInvalid, a.Lang)
	}
	k := answerKey{group, instanceID, questionID}
	detail := questionID
	if group != "" {
		detail = group + "[" + instanceID + "]." + questionID
	}
	return s.change("save answer", entryID, detail, func(tx *sql.Tx, kr *keyring, rev int) error {
		if group != "" {
			if err := s.hasInstance(tx, entryID, rev, group, instanceID); err != nil {
				return err
			}
		}
		if a.IsBlank() && a.Reason == "" {
			_, err := s.execTx(tx, qDeleteAnswer,
				entryID, rev, group, instanceID, questionID)
			return storageErr("save answer", err)
		}
		if a.Lang == "" && s.language != "" && hasFreeText(a) {
			a.Lang = s.language
		}
		b, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("save answer: %w", err)
		}
		_, err = s.execTx(tx, qPutAnswer, entryID, rev, group, instanceID, questionID, kr.seal(b, answerAD(entryID, k)), s.now())
		return storageErr("save answer", err)
	})
}

// normaliseValue accepts the answer value types of forms (string, number,
// bool, list of strings) and returns them as forms.DecodeEntry would:
// numbers as float64, lists as []string.
func normaliseValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool:
		return x, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%w: number %v cannot be stored", ErrInvalid, x)
		}
		return x, nil
	case float32:
		return normaliseValue(float64(x))
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case []string:
		return append([]string{}, x...), nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%w: list items must be strings, found %T", ErrInvalid, e)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: unsupported answer value of type %T", ErrInvalid, v)
}

func decodeAnswer(b []byte) (forms.Answer, error) {
	var a forms.Answer
	if err := json.Unmarshal(b, &a); err != nil {
		return a, err
	}
	v, err := normaliseValue(a.Value)
	if err != nil {
		return a, err
	}
	a.Value = v
	return a, nil
}

// AddInstance adds a member to a repeat group (a child, an adult) and
// returns its new id.
func (s *Store) AddInstance(entryID, group string) (string, error) {
	if group == "" {
		return "", fmt.Errorf("add instance: %w: group is required", ErrInvalid)
	}
	id := uuid.NewString()
	err := s.change("add person", entryID, "add "+group+"["+id+"]", func(tx *sql.Tx, _ *keyring, rev int) error {
		_, err := tx.Exec(`INSERT INTO instances(entry_id, revision, grp, id, pos)
			VALUES (?, ?, ?, ?, (SELECT coalesce(max(pos), 0) + 1 FROM instances WHERE entry_id = ? AND revision = ? AND grp = ?))`,
			entryID, rev, group, id, entryID, rev, group)
		return storageErr("add person", err)
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// RemoveInstance removes a member of a repeat group with its answers and
// the relationships that name it.
func (s *Store) RemoveInstance(entryID, group, instanceID string) error {
	return s.change("remove person", entryID, "remove "+group+"["+instanceID+"]", func(tx *sql.Tx, kr *keyring, rev int) error {
		if err := s.hasInstance(tx, entryID, rev, group, instanceID); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM answers WHERE entry_id = ? AND revision = ? AND grp = ? AND instance = ?`, entryID, rev, group, instanceID); err != nil {
			return storageErr("remove person", err)
		}
		if _, err := tx.Exec(`DELETE FROM instances WHERE entry_id = ? AND revision = ? AND grp = ? AND id = ?`, entryID, rev, group, instanceID); err != nil {
			return storageErr("remove person", err)
		}
		rels, err := s.relationships(tx, kr, entryID, rev)
		if err != nil {
			return err
		}
		kept := rels[:0]
		for _, r := range rels {
			if r.From != instanceID && r.To != instanceID {
				kept = append(kept, r)
			}
		}
		return s.putField(tx, kr, entryID, rev, "relationships", kept)
	})
}

func (s *Store) relationships(tx querier, kr *keyring, entryID string, rev int) ([]forms.Relationship, error) {
	var rels []forms.Relationship
	_, err := s.getField(tx, kr, entryID, rev, "relationships", &rels)
	return rels, err
}

func (s *Store) getField(q querier, kr *keyring, entryID string, rev int, name string, v any) (bool, error) {
	var b []byte
	err := q.QueryRow(`SELECT value FROM fields WHERE entry_id = ? AND revision = ? AND name = ?`, entryID, rev, name).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, storageErr("read entry", err)
	}
	pt, err := kr.open(b, fieldAD(entryID, name))
	if err != nil {
		return false, fmt.Errorf("read entry %s %s: %w (%w)", entryID, name, ErrCorrupt, err)
	}
	if err := json.Unmarshal(pt, v); err != nil {
		return false, fmt.Errorf("read entry %s %s: %w (%w)", entryID, name, ErrCorrupt, err)
	}
	return true, nil
}

// putField stores a whole-entry part; a nil or empty value removes it.
func (s *Store) putField(tx *sql.Tx, kr *keyring, entryID string, rev int, name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if string(b) == "null" || string(b) == "[]" {
		_, err := tx.Exec(`DELETE FROM fields WHERE entry_id = ? AND revision = ? AND name = ?`, entryID, rev, name)
		return storageErr("save entry", err)
	}
	_, err = tx.Exec(`INSERT INTO fields(entry_id, revision, name, value) VALUES (?,?,?,?)
		ON CONFLICT(entry_id, revision, name) DO UPDATE SET value = excluded.value`,
		entryID, rev, name, kr.seal(b, fieldAD(entryID, name)))
	return storageErr("save entry", err)
}

// SetRelationships replaces the links between the entry's people. Each
// must join two different instances of the entry; the checklist's rules
// on which groups and types are allowed are the engine's to check.
func (s *Store) SetRelationships(entryID string, rels []forms.Relationship) error {
	return s.change("save links", entryID, "relationships", func(tx *sql.Tx, kr *keyring, rev int) error {
		ids, err := instanceIDs(tx, entryID, rev)
		if err != nil {
			return err
		}
		for _, r := range rels {
			if r.From == "" || r.To == "" || r.Type == "" || r.From == r.To {
				return fmt.Errorf("save links: %w: a link needs two different people and a type", ErrInvalid)
			}
			if !ids[r.From] || !ids[r.To] {
				return fmt.Errorf("save links: %w: no such person in the entry", ErrNotFound)
			}
		}
		return s.putField(tx, kr, entryID, rev, "relationships", rels)
	})
}

// AddRelationship adds one link (a no-op if it is already there).
func (s *Store) AddRelationship(entryID string, r forms.Relationship) error {
	return s.editRelationships(entryID, func(rels []forms.Relationship) []forms.Relationship {
		for _, x := range rels {
			if x == r {
				return rels
			}
		}
		return append(rels, r)
	})
}

// RemoveRelationship removes one link (a no-op if it is not there).
func (s *Store) RemoveRelationship(entryID string, r forms.Relationship) error {
	return s.editRelationships(entryID, func(rels []forms.Relationship) []forms.Relationship {
		out := rels[:0]
		for _, x := range rels {
			if x != r {
				out = append(out, x)
			}
		}
		return out
	})
}

func (s *Store) editRelationships(entryID string, edit func([]forms.Relationship) []forms.Relationship) error {
	return s.change("save links", entryID, "relationships", func(tx *sql.Tx, kr *keyring, rev int) error {
		rels, err := s.relationships(tx, kr, entryID, rev)
		if err != nil {
			return err
		}
		rels = edit(rels)
		ids, err := instanceIDs(tx, entryID, rev)
		if err != nil {
			return err
		}
		for _, r := range rels {
			if r.From == "" || r.To == "" || r.Type == "" || r.From == r.To {
				return fmt.Errorf("save links: %w: a link needs two different people and a type", ErrInvalid)
			}
			if !ids[r.From] || !ids[r.To] {
				return fmt.Errorf("save links: %w: no such person in the entry", ErrNotFound)
			}
		}
		return s.putField(tx, kr, entryID, rev, "relationships", rels)
	})
}

func instanceIDs(q querier, entryID string, rev int) (map[string]bool, error) {
	rows, err := q.Query(`SELECT id FROM instances WHERE entry_id = ? AND revision = ?`, entryID, rev)
	if err != nil {
		return nil, storageErr("read entry", err)
	}
	defer rows.Close()
	ids := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, storageErr("read entry", err)
		}
		ids[id] = true
	}
	return ids, storageErr("read entry", rows.Err())
}

// SetGrading saves the officer's own grade (nil clears it).
func (s *Store) SetGrading(entryID string, g *forms.Grading) error {
	return s.change("save grading", entryID, "grading", func(tx *sql.Tx, kr *keyring, rev int) error {
		return s.putField(tx, kr, entryID, rev, "grading", g)
	})
}

// SetTitle sets the label entry lists show (for example the first child's
// name and the address). It is encrypted like an answer.
func (s *Store) SetTitle(entryID, title string) error {
	return s.change("save title", entryID, "title", func(tx *sql.Tx, kr *keyring, _ int) error {
		var v any
		if title != "" {
			v = kr.seal([]byte(title), ad("title", entryID))
		}
		_, err := tx.Exec(`UPDATE entries SET title = ? WHERE id = ?`, v, entryID)
		return storageErr("save title", err)
	})
}

// Entry returns the entry's current revision, decrypted and reassembled.
// The first read of an entry in each unlocked session is recorded in the
// audit trail as "open".
func (s *Store) Entry(entryID string) (*forms.Entry, error) {
	return s.EntryRevision(entryID, 0)
}

// EntryRevision returns one revision of an entry (0: the current one).
// Every revision is kept until the entry is purged after review.
func (s *Store) EntryRevision(entryID string, revision int) (*forms.Entry, error) {
	return withKeys(s, true, func(kr *keyring) (*forms.Entry, error) {
		e, err := s.loadEntry(s.db, kr, entryID, revision)
		if err != nil {
			return nil, err
		}
		if !s.opened[entryID] {
			err := s.tx("open entry", func(tx *sql.Tx) error {
				return s.audit(tx, s.officer, AuditOpen, entryID, "revision "+strconv.Itoa(e.Revision))
			})
			if err != nil {
				return nil, err
			}
			s.opened[entryID] = true
		}
		return e, nil
	})
}

// loadEntry reassembles a revision: a frozen one from its payload (exactly
// what was submitted), a draft from its rows.
func (s *Store) loadEntry(q querier, kr *keyring, entryID string, revision int) (*forms.Entry, error) {
	e := &forms.Entry{ID: entryID, Answers: map[string]forms.Answer{}}
	var current int
	var started int64
	var purged sql.NullInt64
	err := q.QueryRow(`SELECT checklist_id, checklist_version, officer, training, started, revision, purged FROM entries WHERE id = ?`, entryID).
		Scan(&e.Checklist.ID, &e.Checklist.Version, &e.Officer, &e.Training, &started, &current, &purged)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("entry %s: %w", entryID, ErrNotFound)
	}
	if err != nil {
		return nil, storageErr("read entry", err)
	}
	if purged.Valid {
		return nil, fmt.Errorf("entry %s: %w", entryID, ErrPurged)
	}
	if revision == 0 {
		revision = current
	}
	e.Revision, e.Started = revision, fromMS(started)
	var frozen sql.NullInt64
	var payload []byte
	err = q.QueryRow(`SELECT r.frozen, p.payload FROM revisions r LEFT JOIN payloads p ON p.entry_id = r.entry_id AND p.revision = r.revision
		WHERE r.entry_id = ? AND r.revision = ?`, entryID, revision).Scan(&frozen, &payload)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("entry %s revision %d: %w", entryID, revision, ErrNotFound)
	}
	if err != nil {
		return nil, storageErr("read entry", err)
	}
	if frozen.Valid && payload != nil {
		pt, err := kr.open(payload, payloadAD(entryID, revision))
		if err != nil {
			return nil, fmt.Errorf("read entry %s revision %d: %w (%w)", entryID, revision, ErrCorrupt, err)
		}
		fe, err := forms.DecodeEntry(pt)
		if err != nil {
			return nil, fmt.Errorf("read entry %s revision %d: %w (%w)", entryID, revision, ErrCorrupt, err)
		}
		return fe, nil
	}
	if err := s.loadRows(q, kr, e); err != nil {
		return nil, err
	}
	return e, nil
}

func (s *Store) loadRows(q querier, kr *keyring, e *forms.Entry) error {
	rows, err := q.Query(`SELECT grp, id FROM instances WHERE entry_id = ? AND revision = ? ORDER BY grp, pos`, e.ID, e.Revision)
	if err != nil {
		return storageErr("read entry", err)
	}
	where := map[string]*forms.Instance{}
	for rows.Next() {
		var g, id string
		if err := rows.Scan(&g, &id); err != nil {
			rows.Close()
			return storageErr("read entry", err)
		}
		if e.Groups == nil {
			e.Groups = map[string][]forms.Instance{}
		}
		e.Groups[g] = append(e.Groups[g], forms.Instance{ID: id, Answers: map[string]forms.Answer{}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return storageErr("read entry", err)
	}
	for g := range e.Groups {
		for i := range e.Groups[g] {
			where[g+"\x00"+e.Groups[g][i].ID] = &e.Groups[g][i]
		}
	}
	rows, err = q.Query(`SELECT grp, instance, question, value FROM answers WHERE entry_id = ? AND revision = ?`, e.ID, e.Revision)
	if err != nil {
		return storageErr("read entry", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k answerKey
		var b []byte
		if err := rows.Scan(&k.group, &k.instance, &k.question, &b); err != nil {
			return storageErr("read entry", err)
		}
		pt, err := kr.open(b, answerAD(e.ID, k))
		if err != nil {
			return fmt.Errorf("read entry %s answer %s: %w (%w)", e.ID, k.question, ErrCorrupt, err)
		}
		a, err := decodeAnswer(pt)
		if err != nil {
			return fmt.Errorf("read entry %s answer %s: %w (%w)", e.ID, k.question, ErrCorrupt, err)
		}
		if k.group == "" {
			e.Answers[k.question] = a
			continue
		}
		inst := where[k.group+"\x00"+k.instance]
		if inst == nil {
			continue // answer of a removed person: never written, but harmless
		}
		inst.Answers[k.question] = a
	}
	if err := rows.Err(); err != nil {
		return storageErr("read entry", err)
	}
	rows.Close()
	if e.Relationships, err = s.relationships(q, kr, e.ID, e.Revision); err != nil {
		return err
	}
	if _, err := s.getField(q, kr, e.ID, e.Revision, "language", &e.Language); err != nil {
		return err
	}
	var g forms.Grading
	ok, err := s.getField(q, kr, e.ID, e.Revision, "grading", &g)
	if err != nil {
		return err
	}
	if ok {
		e.Grading = &g
	}
	e.Attachments, err = s.entryAttachments(q, kr, e.ID, e.Revision)
	return err
}

// ListEntries lists entries, most recently changed first.
func (s *Store) ListEntries(f Filter) ([]Summary, error) {
	return withKeys(s, true, func(kr *keyring) ([]Summary, error) {
		var where []string
		var args []any
		if len(f.States) > 0 {
			where = append(where, "e.state IN (?"+strings.Repeat(",?", len(f.States)-1)+")")
			for _, st := range f.States {
				args = append(args, string(st))
			}
		}
		if f.Officer != "" {
			where = append(where, "e.officer = ?")
			args = append(args, f.Officer)
		}
		if f.Training != nil {
			where = append(where, "e.training = ?")
			args = append(args, *f.Training)
		}
		q := `SELECT e.id, e.checklist_id, e.checklist_version, e.officer, e.training, e.state, e.revision, e.grade, e.immediate,
		e.title, e.started, e.updated, e.purged,
		(SELECT r.receipt FROM revisions r WHERE r.entry_id = e.id AND r.receipt IS NOT NULL ORDER BY r.revision DESC LIMIT 1),
		o.last_error
		FROM entries e
		LEFT JOIN outbox o ON o.entry_id = e.id AND o.revision = e.revision`
		if len(where) > 0 {
			q += " WHERE " + strings.Join(where, " AND ")
		}
		q += " ORDER BY e.updated DESC, e.id"
		if f.Limit > 0 {
			q += " LIMIT " + strconv.Itoa(f.Limit)
		}
		rows, err := s.db.Query(q, args...)
		if err != nil {
			return nil, storageErr("list entries", err)
		}
		defer rows.Close()
		var out []Summary
		for rows.Next() {
			var m Summary
			var title, lastErr []byte
			var started, updated int64
			var purged sql.NullInt64
			var receipt sql.NullString
			var state string
			if err := rows.Scan(&m.ID, &m.Checklist.ID, &m.Checklist.Version, &m.Officer, &m.Training, &state, &m.Revision, &m.Grade, &m.Immediate,
				&title, &started, &updated, &purged, &receipt, &lastErr); err != nil {
				return nil, storageErr("list entries", err)
			}
			m.State, m.Started, m.Updated, m.Purged, m.Receipt = State(state), fromMS(started), fromMS(updated), purged.Valid, receipt.String
			if title != nil {
				if pt, err := kr.open(title, ad("title", m.ID)); err == nil {
					m.Title = string(pt)
				}
			}
			if lastErr != nil {
				m.LastError = s.openNote(kr, lastErr, noteOutbox, m.ID, m.Revision)
			}
			out = append(out, m)
		}
		return out, storageErr("list entries", rows.Err())
	})
}

// DiscardDraft deletes an entry that was never submitted (a mistake, a
// training run). Anything submitted is kept until the server acknowledges
// it, so only a first revision still in draft can be discarded.
func (s *Store) DiscardDraft(entryID string) error {
	return s.runKeys(true, func(*keyring) error {
		return s.tx("discard draft", func(tx *sql.Tx) error {
			rev, err := s.editable(tx, entryID)
			if err != nil {
				return err
			}
			if rev != 1 {
				return fmt.Errorf("discard entry %s: %w (earlier revisions were submitted)", entryID, ErrFrozen)
			}
			if _, err := tx.Exec(`DELETE FROM entries WHERE id = ?`, entryID); err != nil {
				return storageErr("discard draft", err)
			}
			return s.audit(tx, s.officer, AuditDiscard, entryID, "")
		})
	})
}

// Draft is a whole entry to import as a draft, with its list title.
type Draft struct {
	Entry *forms.Entry
	Title string
}

// ImportDrafts stores whole entries as new first-revision drafts of the
// signed-in officer, all in one transaction: training scenarios loaded by
// a trainer, or a benchmark's 10,000 entries. Each entry must decode
// (forms.DecodeEntry rules), have an id not already on the device and no
// attachments (their files travel separately).
func (s *Store) ImportDrafts(drafts []Draft) error {
	return s.runKeys(true, func(kr *keyring) error {
		now := s.now()
		return s.tx("import drafts", func(tx *sql.Tx) error {
			for _, d := range drafts {
				e := d.Entry
				b, err := e.Encode()
				if err != nil {
					return fmt.Errorf("import %s: %w", e.ID, err)
				}
				if _, err := forms.DecodeEntry(b); err != nil {
					return fmt.Errorf("import %s: %w: %w", e.ID, ErrInvalid, err)
				}
				if len(e.Attachments) > 0 {
					return fmt.Errorf("import %s: %w: attachments cannot be imported", e.ID, ErrInvalid)
				}
				var title any
				if d.Title != "" {
					title = kr.seal([]byte(d.Title), ad("title", e.ID))
				}
				started := e.Started.UnixMilli()
				if e.Started.IsZero() {
					started = now
				}
				if _, err := tx.Exec(`INSERT INTO entries(id, checklist_id, checklist_version, officer, training, started, updated, revision, state, title) VALUES (?,?,?,?,?,?,?,1,?,?)`,
					e.ID, e.Checklist.ID, e.Checklist.Version, s.officer, e.Training, started, now, StateDraft, title); err != nil {
					return storageErr("import "+e.ID, err)
				}
				if _, err := tx.Exec(`INSERT INTO revisions(entry_id, revision, state, created) VALUES (?,1,?,?)`, e.ID, StateDraft, now); err != nil {
					return storageErr("import "+e.ID, err)
				}
				put := func(k answerKey, a forms.Answer) error {
					v, err := normaliseValue(a.Value)
					if err != nil {
						return fmt.Errorf("import %s: %w", e.ID, err)
					}
					a.Value = v
					b, err := json.Marshal(a)
					if err != nil {
						return err
					}
					_, err = tx.Exec(`INSERT INTO answers(entry_id, revision, grp, instance, question, value, updated) VALUES (?,1,?,?,?,?,?)`,
						e.ID, k.group, k.instance, k.question, kr.seal(b, answerAD(e.ID, k)), now)
					return storageErr("import "+e.ID, err)
				}
				for q, a := range e.Answers {
					if err := put(answerKey{"", "", q}, a); err != nil {
						return err
					}
				}
				for g, list := range e.Groups {
					for i, in := range list {
						if _, err := tx.Exec(`INSERT INTO instances(entry_id, revision, grp, id, pos) VALUES (?,1,?,?,?)`, e.ID, g, in.ID, i+1); err != nil {
							return storageErr("import "+e.ID, err)
						}
						for q, a := range in.Answers {
							if err := put(answerKey{g, in.ID, q}, a); err != nil {
								return err
							}
						}
					}
				}
				if err := s.putField(tx, kr, e.ID, 1, "relationships", e.Relationships); err != nil {
					return err
				}
				if err := s.putField(tx, kr, e.ID, 1, "grading", e.Grading); err != nil {
					return err
				}
				if e.Language != "" {
					if err := s.putField(tx, kr, e.ID, 1, "language", e.Language); err != nil {
						return err
					}
				}
				if err := s.audit(tx, s.officer, AuditCreate, e.ID, "imported "+e.Checklist.String()); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
