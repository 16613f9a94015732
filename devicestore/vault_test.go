package devicestore

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

func TestValidatePIN(t *testing.T) {
	for pin, ok := range map[string]bool{
		"246813": true, "9081726354": true, "102938": true,
		"": false, "12345": false, "111111": false, "123456": false, "654321": false,
		"890123": false, "abcdef": false, "12345a": false, "24681 ": false,
	} {
		if err := ValidatePIN(pin); (err == nil) != ok {
			t.Errorf("ValidatePIN(%q) = %v", pin, err)
		}
	}
}

func TestEnrolRules(t *testing.T) {
	s, _, _ := newTestStore(t)
	if err := s.EnrolOfficer(testOfficer, "Again", "975310"); !errors.Is(err, ErrOfficerExists) {
		t.Errorf("second enrolment of the same officer: %v", err)
	}
	if err := s.EnrolOfficer("PC2", "Weak", "123456"); !errors.Is(err, ErrWeakPIN) {
		t.Errorf("weak PIN: %v", err)
	}
	e := mustEntry(t, s)
	must(t, s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: "shared"}))
	s.Lock()
	if err := s.EnrolOfficer("PC2", "Second", "975310"); !errors.Is(err, ErrLocked) {
		t.Fatalf("enrol while locked: %v, want ErrLocked", err)
	}
	must(t, s.Unlock(testOfficer, testPIN))
	must(t, s.EnrolOfficer("PC2", "Second", "975310"))
	s.Lock()
	must(t, s.Unlock("PC2", "975310"))
	if s.Officer() != "PC2" {
		t.Errorf("officer = %q", s.Officer())
	}
	got, err := s.Entry(e.ID)
	must(t, err)
	if got.Answers["q"].Value != "shared" {
		t.Errorf("second officer reads %+v", got.Answers)
	}
	offs, err := s.Officers()
	must(t, err)
	if len(offs) != 2 {
		t.Errorf("officers = %+v", offs)
	}
	if err := s.Unlock("nobody", "975310"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown officer: %v", err)
	}
}

func TestKDFFloor(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "x.db"), Options{KDF: testKDF})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("weak KDF without InsecureKDF: %v", err)
	}
}

func TestWrongPINDelayAndWipe(t *testing.T) {
	s, c, path := newTestStore(t)
	e := mustEntry(t, s)
	fillEntry(t, s, e.ID)
	must(t, s.Close())

	// Keep a copy of what a thief would want: the wrapped key and one
	// answer's ciphertext.
	raw, err := sql.Open("sqlite", path)
	must(t, err)
	var wrapped, answer []byte
	must(t, raw.QueryRow(`SELECT wrapped FROM officers`).Scan(&wrapped))
	must(t, raw.QueryRow(`SELECT value FROM answers LIMIT 1`).Scan(&answer))
	raw.Close()

	s = openTest(t, path, c)
	// A right PIN resets the count.
	for i := 0; i < 3; i++ {
		if err := s.Unlock(testOfficer, "000001"); !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("wrong PIN: %v", err)
		}
	}
	must(t, s.Unlock(testOfficer, testPIN))
	s.Lock()

	wantDelay := []time.Duration{0, 0, 0, 0, 30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for i, d := range wantDelay {
		err := s.Unlock(testOfficer, "000001")
		var pe *PINError
		if !errors.As(err, &pe) {
			t.Fatalf("try %d: %v, want *PINError", i+1, err)
		}
		if pe.Remaining != DefaultMaxWrongPINs-(i+1) || pe.RetryAfter != d {
			t.Fatalf("try %d: remaining %d retry %s, want %d and %s", i+1, pe.Remaining, pe.RetryAfter, DefaultMaxWrongPINs-(i+1), d)
		}
		if d > 0 {
			// During the delay even the right PIN is not tried.
			err := s.Unlock(testOfficer, testPIN)
			var le *LockoutError
			if !errors.As(err, &le) || !errors.Is(err, ErrLockedOut) || le.RetryAfter != d {
				t.Fatalf("try during delay: %v", err)
			}
			// The count and the delay survive a restart.
			if i == 5 {
				must(t, s.Close())
				s = openTest(t, path, c)
				if err := s.Unlock(testOfficer, testPIN); !errors.Is(err, ErrLockedOut) {
					t.Fatalf("after restart: %v, want ErrLockedOut", err)
				}
			}
			c.Advance(d)
		}
	}
	// The tenth wrong PIN wipes.
	if err := s.Unlock(testOfficer, "000001"); !errors.Is(err, ErrWiped) {
		t.Fatalf("tenth wrong PIN: %v, want ErrWiped", err)
	}
	if err := s.Unlock(testOfficer, testPIN); !errors.Is(err, ErrWiped) {
		t.Fatalf("right PIN after wipe: %v, want ErrWiped", err)
	}
	if !s.Wiped() {
		t.Error("Wiped() = false")
	}
	must(t, s.Close())
	files := storeFiles(t, path)
	for name, needle := range map[string][]byte{"wrapped key": wrapped, "answer ciphertext": answer} {
		if hits := findInFiles(t, files, needle); len(hits) > 0 {
			t.Errorf("%s still in %v after wipe", name, hits)
		}
	}
	if att, _ := filepath.Glob(filepath.Join(path+"-attachments", "*")); len(att) > 0 {
		t.Errorf("attachment files left after wipe: %v", att)
	}
	// A wiped store stays wiped and still opens.
	s = openTest(t, path, c)
	if err := s.EnrolOfficer("PC9", "New", "975310"); !errors.Is(err, ErrWiped) {
		t.Errorf("enrol on a wiped store: %v", err)
	}
	must(t, s.VerifyAudit())
}

func TestMaxWrongPINsConfigurable(t *testing.T) {
	c := newClock()
	o := testOptions(c)
	o.MaxWrongPINs = 3
	path := filepath.Join(t.TempDir(), "d.db")
	s, err := Open(path, o)
	must(t, err)
	defer s.Close()
	must(t, s.EnrolOfficer(testOfficer, "PC", testPIN))
	s.Lock()
	for i := 0; i < 2; i++ {
		if err := s.Unlock(testOfficer, "000001"); !errors.Is(err, ErrWrongPIN) {
			t.Fatal(err)
		}
	}
	if err := s.Unlock(testOfficer, "000001"); !errors.Is(err, ErrWiped) {
		t.Fatalf("third wrong PIN with MaxWrongPINs=3: %v", err)
	}
}

func TestIdleLock(t *testing.T) {
	s, c, _ := newTestStore(t)
	e := mustEntry(t, s)
	c.Advance(4 * time.Minute)
	must(t, s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: "a"})) // activity
	c.Advance(4 * time.Minute)
	s.Touch()
	c.Advance(4 * time.Minute)
	if s.Locked() {
		t.Fatal("locked although active within 5 minutes")
	}
	c.Advance(time.Minute)
	if !s.Locked() {
		t.Fatal("not locked after 5 idle minutes")
	}
	if err := s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: "b"}); !errors.Is(err, ErrLocked) {
		t.Fatalf("SetAnswer after idle lock: %v", err)
	}
	must(t, s.Unlock(testOfficer, testPIN))
	got, err := s.Entry(e.ID)
	must(t, err)
	if got.Answers["q"].Value != "a" {
		t.Errorf("answer = %+v", got.Answers["q"])
	}
}

func TestIdleLockWithoutCalls(t *testing.T) {
	// The background check locks the store even if nobody calls it.
	c := newClock()
	o := testOptions(c)
	o.IdleLock = 40 * time.Millisecond
	s, err := Open(filepath.Join(t.TempDir(), "d.db"), o)
	must(t, err)
	defer s.Close()
	must(t, s.EnrolOfficer(testOfficer, "PC", testPIN))
	c.Advance(time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		locked := s.keys == nil
		s.mu.Unlock()
		if locked {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("background idle check never locked the store")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAuditChainDetectsTampering(t *testing.T) {
	s, _, path := newTestStore(t)
	e := mustEntry(t, s)
	fillEntry(t, s, e.ID)
	_, err := s.Entry(e.ID)
	must(t, err)
	must(t, s.VerifyAudit())
	recs, err := s.AuditTrail(0, 0)
	must(t, err)
	actions := map[string]int{}
	for _, r := range recs {
		actions[r.Action]++
	}
	for _, a := range []string{AuditEnrol, AuditCreate, AuditChange, AuditAttach, AuditOpen} {
		if actions[a] == 0 {
			t.Errorf("no %q record in %v", a, actions)
		}
	}
	seq, head, err := s.AuditHead()
	must(t, err)
	if seq != int64(len(recs)) || head != recs[len(recs)-1].Hash {
		t.Errorf("head = %d %s", seq, head)
	}
	must(t, s.Close())

	tamper := func(q string) error {
		t.Helper()
		dir := t.TempDir()
		cp := filepath.Join(dir, "copy.db")
		b, err := os.ReadFile(path)
		must(t, err)
		must(t, os.WriteFile(cp, b, 0o600))
		raw, err := sql.Open("sqlite", cp)
		must(t, err)
		_, err = raw.Exec(q)
		must(t, err)
		raw.Close()
		s2, err := Open(cp, testOptions(newClock()))
		must(t, err)
		defer s2.Close()
		return s2.VerifyAudit()
	}
	for name, q := range map[string]string{
		"changed detail": `UPDATE audit SET detail = 'nothing to see' WHERE seq = 3`,
		"deleted record": `DELETE FROM audit WHERE seq = 4`,
		"changed actor":  `UPDATE audit SET officer = 'someone else' WHERE seq = 5`,
	} {
		if err := tamper(q); !errors.Is(err, ErrAuditBroken) {
			t.Errorf("%s: %v, want ErrAuditBroken", name, err)
		}
	}
}
