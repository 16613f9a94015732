package devicestore

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// The crash test re-executes the test binary as a child that writes
// answers as fast as it can and prints each one the store acknowledged
// (SetAnswer returned nil), then SIGKILLs it at a random moment: while it
// opens or unlocks the store, mid-transaction, mid-fsync, mid-attachment.
// After every kill the parent reopens the store and checks that every
// acknowledged answer and attachment is there, the audit chain verifies
// and PRAGMA integrity_check says ok.
//
// SAFEGUARD_CRASH_ITERATIONS sets the number of kills (default 30, 8
// with -short).

const (
	envCrashChild = "SAFEGUARD_CRASH_CHILD"
	crashGroup    = "child"
)

func crashQuestion(i int) (instance bool, q string) {
	return i%3 == 0, fmt.Sprintf("q%02d", i%40)
}

func crashPhoto(i int) []byte {
	return bytes.Repeat([]byte(fmt.Sprintf("photo %d;", i)), 1+i%5000)
}

// TestCrashChild is the child process; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(envCrashChild)
	if path == "" {
		t.Skip("child process of TestCrashRecovery")
	}
	entry, inst := os.Getenv("SAFEGUARD_CRASH_ENTRY"), os.Getenv("SAFEGUARD_CRASH_INSTANCE")
	start, _ := strconv.Atoi(os.Getenv("SAFEGUARD_CRASH_START"))
	out := os.Stdout
	fail := func(format string, args ...any) {
		fmt.Fprintf(out, "err "+format+"\n", args...)
		os.Exit(3)
	}
	o := Options{KDF: testKDF, InsecureKDF: true, IdleLock: -1, Logger: quietLogger()}
	s, err := Open(path, o)
	if err != nil {
		fail("open: %v", err)
	}
	if err := s.Unlock(testOfficer, testPIN); err != nil {
		fail("unlock: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for i := start; time.Now().Before(deadline); i++ {
		if i%25 == 24 {
			att, err := s.PutAttachment(entry, bytes.NewReader(crashPhoto(i)), "image/jpeg", "p.jpg")
			if err != nil {
				fail("attach %d: %v", i, err)
			}
			fmt.Fprintf(out, "att %s %d\n", att.SHA256, i)
			continue
		}
		in, q := crashQuestion(i)
		g, id := "", ""
		if in {
			g, id = crashGroup, inst
		}
		if err := s.SetAnswer(entry, g, id, q, forms.Answer{Value: strconv.Itoa(i)}); err != nil {
			fail("answer %d: %v", i, err)
		}
		// One write(2) per line: a line is either wholly in the pipe or
		// not at all when the kill comes.
		fmt.Fprintf(out, "ack %d\n", i)
	}
	s.Close()
	os.Exit(0)
}

func crashIterations(t *testing.T) int {
	if v := os.Getenv("SAFEGUARD_CRASH_ITERATIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if testing.Short() {
		return 8
	}
	return 30
}

func TestCrashRecovery(t *testing.T) {
	if os.Getenv(envCrashChild) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "device.db")
	o := Options{KDF: testKDF, InsecureKDF: true, IdleLock: -1, Logger: quietLogger()}
	s, err := Open(path, o)
	must(t, err)
	must(t, s.EnrolOfficer(testOfficer, "PC", testPIN))
	e, err := s.NewEntry(testChecklist, false)
	must(t, err)
	inst, err := s.AddInstance(e.ID, crashGroup)
	must(t, err)
	must(t, s.Close())

	acked := map[string]int{}  // answer key -> last acknowledged value
	photos := map[string]int{} // sha -> op index
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	next := 0
	total, killedBeforeFirst := 0, 0
	n := crashIterations(t)
	for it := 0; it < n; it++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashChild+"="+path, "SAFEGUARD_CRASH_ENTRY="+e.ID,
			"SAFEGUARD_CRASH_INSTANCE="+inst, "SAFEGUARD_CRASH_START="+strconv.Itoa(next))
		stdout, err := cmd.StdoutPipe()
		must(t, err)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		must(t, cmd.Start())
		lines := make(chan string, 1<<16)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Kill somewhere between "still starting" and "well into writing".
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		var got []string
		fresh := map[string]int{}
		for l := range lines {
			got = append(got, l)
		}
		werr := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("iteration %d: child ended by itself (%v): %s\n%s", it, werr, strings.Join(got, "\n"), stderr.String())
		}
		if len(got) == 0 {
			killedBeforeFirst++
		}
		for _, l := range got {
			f := strings.Fields(l)
			switch {
			case len(f) == 2 && f[0] == "ack":
				i, _ := strconv.Atoi(f[1])
				in, q := crashQuestion(i)
				key := q
				if in {
					key = inst + "." + q
				}
				acked[key] = i
				next = max(next, i+1)
				total++
			case len(f) == 3 && f[0] == "att":
				i, _ := strconv.Atoi(f[2])
				photos[f[1]] = i
				fresh[f[1]] = i
				next = max(next, i+1)
				total++
			default:
				t.Fatalf("iteration %d: child said %q\n%s", it, l, stderr.String())
			}
		}
		// The child may have committed a few more writes than it printed;
		// start the next one well past them so values never repeat.
		next += 1000
		checkAfterCrash(t, path, o, e.ID, inst, acked, photos, fresh, it)
	}
	t.Logf("%d kills, %d acknowledged writes checked, %d kills before the first write", n, total, killedBeforeFirst)
}

// checkAfterCrash reopens the store and checks every acknowledged write;
// the content of attachments is read back for those acknowledged in this
// iteration (all of them are checked listed).
func checkAfterCrash(t *testing.T, path string, o Options, entryID, inst string, acked, photos, fresh map[string]int, it int) {
	t.Helper()
	s, err := Open(path, o)
	if err != nil {
		t.Fatalf("iteration %d: reopen after kill: %v", it, err)
	}
	defer s.Close()
	var check string
	must(t, s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check))
	if check != "ok" {
		t.Fatalf("iteration %d: integrity_check: %s", it, check)
	}
	must(t, s.Unlock(testOfficer, testPIN))
	e, err := s.Entry(entryID)
	if err != nil {
		t.Fatalf("iteration %d: %v", it, err)
	}
	in, _ := e.Instance(crashGroup, inst)
	for key, want := range acked {
		var a forms.Answer
		var ok bool
		if q, found := strings.CutPrefix(key, inst+"."); found {
			a, ok = in.Answers[q]
		} else {
			a, ok = e.Answers[key]
		}
		if !ok {
			t.Fatalf("iteration %d: acknowledged answer %s=%d lost", it, key, want)
		}
		got, _ := strconv.Atoi(a.Value.(string))
		// A later write may have committed without being printed, never
		// an earlier one.
		if got < want {
			t.Fatalf("iteration %d: answer %s = %d, but %d was acknowledged", it, key, got, want)
		}
	}
	listed := map[string]bool{}
	for _, a := range e.Attachments {
		listed[a.SHA256] = true
	}
	for sha, i := range photos {
		if !listed[sha] {
			t.Fatalf("iteration %d: acknowledged attachment %d not listed", it, i)
		}
	}
	for sha, i := range fresh {
		r, err := s.OpenAttachment(sha)
		if err != nil {
			t.Fatalf("iteration %d: attachment %d: %v", it, i, err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(b, crashPhoto(i)) {
			t.Fatalf("iteration %d: attachment %d reads back wrong (%v)", it, i, err)
		}
	}
	if err := s.VerifyAudit(); err != nil {
		t.Fatalf("iteration %d: %v", it, err)
	}
}
