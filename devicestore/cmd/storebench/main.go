// Command storebench measures the device store on this machine's storage
// and prints:
//
//   - autosave latency (one SetAnswer: encrypt, write, audit, durable
//     commit), median and p99, as a ratio to a bare one-row SQLite commit
//     made with the same pragmas in the same folder, the two interleaved
//     in one run so both see the same disk;
//   - unlock time with the production argon2id parameters;
//   - the time to open a store holding 10,000 entries and to list its
//     drafts.
//
// Usage: go run ./devicestore/cmd/storebench [-n 1000] [-entries 10000] [-dir DIR]
package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

func main() {
	n := flag.Int("n", 1000, "autosave and bare commit samples")
	entries := flag.Int("entries", 10000, "entries in the listing store")
	unlocks := flag.Int("unlocks", 5, "unlock samples")
	dir := flag.String("dir", "", "folder for the test stores (default: a temporary folder)")
	flag.Parse()
	if err := run(*dir, *n, *entries, *unlocks); err != nil {
		fmt.Fprintln(os.Stderr, "storebench:", err)
		os.Exit(1)
	}
}

const (
	officer = "PC0001"
	pin     = "246813"
)

var ref = forms.Ref{ID: "child-at-risk", Version: "1"}

func run(dir string, n, entries, unlocks int) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "storebench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	quiet := slog.New(slog.DiscardHandler)
	fmt.Printf("storebench: folder %s, %s\n", dir, devicestore.DefaultKDF)

	// Autosave against a bare commit, interleaved.
	opts := devicestore.Options{IdleLock: -1, Logger: quiet}
	s, err := devicestore.Open(filepath.Join(dir, "autosave.db"), opts)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.EnrolOfficer(officer, "Bench", pin); err != nil {
		return err
	}
	e, err := s.NewEntry(ref, false)
	if err != nil {
		return err
	}
	child, err := s.AddInstance(e.ID, "child")
	if err != nil {
		return err
	}
	probe, err := devicestore.OpenCommitProbe(filepath.Join(dir, "probe.db"))
	if err != nil {
		return err
	}
	defer probe.Close()
	var save, bare []time.Duration
	autosave := func(i int) (time.Duration, error) {
		t0 := time.Now()
		err := s.SetAnswer(e.ID, "child", child, fmt.Sprintf("q%02d", (i+40)%40), forms.Answer{Value: fmt.Sprintf("answer %d", i)})
		return time.Since(t0), err
	}
	commit := func() (time.Duration, error) {
		t0 := time.Now()
		err := probe.Commit()
		return time.Since(t0), err
	}
	// Interleaved, alternating which goes first (a sync right after
	// another can wait on the file system's journal), after 20 warm-up
	// rounds.
	for i := -20; i < n; i++ {
		var a, b time.Duration
		var err1, err2 error
		if i%2 == 0 {
			a, err1 = autosave(i)
			b, err2 = commit()
		} else {
			b, err2 = commit()
			a, err1 = autosave(i)
		}
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		if i >= 0 {
			save, bare = append(save, a), append(bare, b)
		}
	}
	sm, s99 := quantiles(save)
	bm, b99 := quantiles(bare)
	fmt.Printf("autosave (%d samples):    median %8s  p99 %8s\n", n, sm, s99)
	fmt.Printf("bare commit (same run):   median %8s  p99 %8s\n", bm, b99)
	fmt.Printf("autosave / bare commit:   median %.2fx  p99 %.2fx  (target: at most 1.5x)\n", ratio(sm, bm), ratio(s99, b99))

	// Unlock with the production KDF.
	var ul []time.Duration
	for i := 0; i < unlocks; i++ {
		s.Lock()
		t0 := time.Now()
		if err := s.Unlock(officer, pin); err != nil {
			return err
		}
		ul = append(ul, time.Since(t0))
	}
	um, _ := quantiles(ul)
	fmt.Printf("unlock (%s, %d samples): median %s, min %s, max %s\n", devicestore.DefaultKDF, unlocks, um, slices.Min(ul), slices.Max(ul))

	// A store with many entries.
	path := filepath.Join(dir, "list.db")
	l, err := devicestore.Open(path, opts)
	if err != nil {
		return err
	}
	if err := l.EnrolOfficer(officer, "Bench", pin); err != nil {
		return err
	}
	t0 := time.Now()
	if err := l.ImportDrafts(synthetic(entries)); err != nil {
		return err
	}
	fmt.Printf("import %d drafts (one transaction): %s\n", entries, time.Since(t0).Round(time.Millisecond))
	if err := l.Close(); err != nil {
		return err
	}
	t0 = time.Now()
	l, err = devicestore.Open(path, opts)
	if err != nil {
		return err
	}
	defer l.Close()
	fmt.Printf("open a store of %d entries (with quick_check): %s\n", entries, time.Since(t0).Round(time.Millisecond))
	if err := l.Unlock(officer, pin); err != nil {
		return err
	}
	var lt []time.Duration
	var count int
	for i := 0; i < 7; i++ {
		t0 := time.Now()
		list, err := l.ListEntries(devicestore.Filter{States: []devicestore.State{devicestore.StateDraft}})
		if err != nil {
			return err
		}
		lt = append(lt, time.Since(t0))
		count = len(list)
	}
	lm, _ := quantiles(lt)
	fmt.Printf("list drafts in a store of %d entries: %d listed, median %s (titles decrypted)\n", entries, count, lm)
	var pt []time.Duration
	for i := 0; i < 7; i++ {
		t0 := time.Now()
		if _, err := l.ListEntries(devicestore.Filter{States: []devicestore.State{devicestore.StateDraft}, Limit: 50}); err != nil {
			return err
		}
		pt = append(pt, time.Since(t0))
	}
	pm, _ := quantiles(pt)
	fmt.Printf("first page of 50 drafts: median %s\n", pm)
	return nil
}

func quantiles(d []time.Duration) (median, p99 time.Duration) {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func synthetic(n int) []devicestore.Draft {
	out := make([]devicestore.Draft, n)
	for i := range out {
		child, adult := uuid.NewString(), uuid.NewString()
		e := &forms.Entry{ID: uuid.NewString(), Checklist: ref, Revision: 1, Answers: map[string]forms.Answer{
			"incident_ref": {Value: fmt.Sprintf("CAD-%06d", i)},
			"reason":       {Value: "domestic_abuse"},
			"triage_life":  {Value: "no"},
			"demeanour":    {Value: []string{"withdrawn", "quiet"}},
			"home_scale":   {Value: float64(2)},
			"home_notes":   {Value: "Kitchen without food; broken glass in the hall."},
		}, Groups: map[string][]forms.Instance{
			"child": {{ID: child, Answers: map[string]forms.Answer{
				"name": {Value: fmt.Sprintf("Child %d", i)}, "dob": {Value: "2016-03-14"},
				"words": {Value: "they were shouting again"},
			}}},
			"adult": {{ID: adult, Answers: map[string]forms.Answer{"name": {Value: fmt.Sprintf("Adult %d", i)}}}},
		}, Relationships: []forms.Relationship{{From: adult, To: child, Type: "parent"}}}
		out[i] = devicestore.Draft{Entry: e, Title: fmt.Sprintf("Child %d, %d Acacia Road", i, i%200)}
	}
	return out
}
