package main

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/safeguard-uk/safeguard/app/checklistui"
	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/forms"
)

const (
	crashEnv     = "SAFEGUARD_CRASH_CHILD_DIR"
	crashOfficer = "officer-crash"
	crashPIN     = "604219"
	// crashKillAfter is how many answers the child reports saved before
	// the parent kills it: past the first round, so some answers have
	// been changed since they were first saved.
	crashKillAfter = 60
)

func crashStoreOpts() devicestore.Options {
	return devicestore.Options{
		Logger: slog.New(slog.DiscardHandler), IdleLock: -1,
		KDF: devicestore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}, InsecureKDF: true,
	}
}

// TestKilledMidCheckKeepsAnswers starts the officer's check screen in a
// child process on a real device store, answers through its widgets, and
// kills the process with SIGKILL (no chance to flush or close) while it is
// still answering. Every answer the screen had reported as saved must be in
// the store when it is opened again.
func TestKilledMidCheckKeepsAnswers(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("child process")
	}
	dir := t.TempDir()
	s, err := devicestore.Open(filepath.Join(dir, "device.db"), crashStoreOpts())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnrolOfficer(crashOfficer, "PC Crash", crashPIN); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledCheckChild$", "-test.v")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	saved := map[string]string{} // "group/instance/question" -> value
	entryID := ""
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(2 * time.Minute)
	reported := 0
wait:
	for reported < crashKillAfter {
		select {
		case l, ok := <-lines:
			if !ok {
				break wait
			}
			if id, ok := strings.CutPrefix(l, "ENTRY "); ok {
				entryID = id
			}
			if rest, ok := strings.CutPrefix(l, "SAVED "); ok {
				k, v, _ := strings.Cut(rest, "=")
				saved[k] = v
				reported++
			}
		case <-deadline:
			_ = cmd.Process.Kill()
			t.Fatal("the child did not report answers in time")
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Anything it printed before dying was saved too.
	for l := range lines {
		if rest, ok := strings.CutPrefix(l, "SAVED "); ok {
			k, v, _ := strings.Cut(rest, "=")
			saved[k] = v
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, not killed mid-check (did it finish answering?)", err)
	}
	if reported < crashKillAfter || entryID == "" {
		t.Fatalf("child reported %d answers, entry %q", reported, entryID)
	}

	s, err = devicestore.Open(filepath.Join(dir, "device.db"), crashStoreOpts())
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer s.Close()
	if err := s.Unlock(crashOfficer, crashPIN); err != nil {
		t.Fatal(err)
	}
	e, err := s.Entry(entryID)
	if err != nil {
		t.Fatalf("the check is gone after the kill: %v", err)
	}
	for k, want := range saved {
		group, rest, _ := strings.Cut(k, "/")
		inst, q, _ := strings.Cut(rest, "/")
		m := e.Answers
		if inst != "" {
			in, ok := e.Instance(group, inst)
			if !ok {
				t.Errorf("%s: person %s lost", k, inst)
				continue
			}
			m = in.Answers
		}
		a, ok := m[q]
		if !ok {
			t.Errorf("%s: answered and shown saved, missing after the kill", k)
			continue
		}
		if got := fmt.Sprint(a.Value); got != want {
			t.Errorf("%s: stored %q after the kill, screen saved %q", k, got, want)
		}
	}
	t.Logf("%d answers (%d questions) shown saved before SIGKILL, each question's last one in the store after it", reported, len(saved))
}

// TestKilledCheckChild is the child of TestKilledMidCheckKeepsAnswers: it
// answers a check through the screen's widgets and reports each answer the
// screen shows as saved, then keeps answering (the same questions again,
// other values) until it is killed.
func TestKilledCheckChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("run by TestKilledMidCheckKeepsAnswers")
	}
	test.NewTempApp(t)
	s, err := devicestore.Open(filepath.Join(dir, "device.db"), crashStoreOpts())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Unlock(crashOfficer, crashPIN); err != nil {
		t.Fatal(err)
	}
	reg, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := reg.Latest(startChecklist)
	if !ok {
		t.Fatal("no checklist")
	}
	e, err := s.NewEntry(c.Ref(), false)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	f, err := checklistui.New(c, e, s, checklistui.Options{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	w.SetContent(f.Object())
	stdout := io.Writer(os.Stdout)
	fmt.Fprintf(stdout, "ENTRY %s\n", e.ID)
	for round := 0; ; round++ {
		for page := 0; page < len(f.Pages())-1; page++ {
			f.ShowPage(page)
			for id, r := range f.Questions {
				if !r.Box().Visible() {
					continue
				}
				v, ok := crashValue(r.Q, round)
				if !ok || r.Enter(v) != nil || r.Status.Text != "Saved" {
					continue
				}
				fmt.Fprintf(stdout, "SAVED %s/%s/%s=%s\n", r.Group, r.Instance, id, v)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// crashValue is an answer for q that differs by round, for the kinds the
// child answers.
func crashValue(q *forms.Question, round int) (string, bool) {
	switch q.Kind {
	case forms.KindYesNo:
		if round%2 == 0 {
			return "no", true
		}
		return "yes", true
	case forms.KindText:
		return fmt.Sprintf("answer %d", round), true
	}
	return "", false
}
