package devicestore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/safeguard-uk/safeguard/forms"
)

// Storage faults. A full disk is simulated for real with RLIMIT_FSIZE in a
// child process: the kernel refuses to grow any file past the limit
// (EFBIG, with SIGXFSZ ignored by the Go runtime), exactly where a full
// file system would refuse with ENOSPC. The store's own size cap
// (Options.MaxSizeBytes, SQLite's max_page_count) gives SQLITE_FULL. A
// read-only file system is simulated with the immutable attribute
// (chattr +i), which even root cannot write through.

const envFullChild = "SAFEGUARD_FULL_CHILD"

func bigValue(i int) string {
	return strings.Repeat(fmt.Sprintf("%06d", i), 700) // ~4 KiB per answer
}

// TestDiskFullChild is the child of TestDiskFull.
func TestDiskFullChild(t *testing.T) {
	path := os.Getenv(envFullChild)
	if path == "" {
		t.Skip("child process of TestDiskFull")
	}
	out := os.Stdout
	fail := func(format string, args ...any) {
		fmt.Fprintf(out, "fail "+format+"\n", args...)
		os.Exit(3)
	}
	entry := os.Getenv("SAFEGUARD_FULL_ENTRY")
	s, err := Open(path, Options{KDF: testKDF, InsecureKDF: true, IdleLock: -1, Logger: quietLogger()})
	if err != nil {
		fail("open: %v", err)
	}
	if err := s.Unlock(testOfficer, testPIN); err != nil {
		fail("unlock: %v", err)
	}
	// From here on no file may grow past 512 KiB beyond the largest now.
	var limit int64
	for _, f := range []string{path, path + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			limit = max(limit, st.Size())
		}
	}
	limit += 512 << 10
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: uint64(limit), Max: ^uint64(0)}); err != nil {
		fail("setrlimit: %v", err)
	}
	var werr error
	for i := 0; i < 10000; i++ {
		if werr = s.SetAnswer(entry, "", "", fmt.Sprintf("q%d", i), forms.Answer{Value: bigValue(i)}); werr != nil {
			break
		}
		fmt.Fprintf(out, "ack %d\n", i)
	}
	if werr == nil {
		fail("10000 writes and the limit never hit")
	}
	kind := "other"
	switch {
	case errors.Is(werr, ErrStorageFull):
		kind = "full"
	case errors.Is(werr, ErrIO):
		kind = "io"
	}
	fmt.Fprintf(out, "err %s %s\n", kind, strings.ReplaceAll(werr.Error(), "\n", " "))
	// The store keeps working for reading, and refuses writes cleanly.
	e, err := s.Entry(entry)
	if err != nil {
		fail("read after full: %v", err)
	}
	fmt.Fprintf(out, "read %d\n", len(e.Answers))
	_, err = s.PutAttachment(entry, bytes.NewReader(bytes.Repeat([]byte("x"), 2<<20)), "image/jpeg", "big.jpg")
	fmt.Fprintf(out, "attach full=%v\n", errors.Is(err, ErrStorageFull))
	s.Close()
	os.Exit(0)
}

func TestDiskFull(t *testing.T) {
	if os.Getenv(envFullChild) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "device.db")
	o := Options{KDF: testKDF, InsecureKDF: true, IdleLock: -1, Logger: quietLogger()}
	s, err := Open(path, o)
	must(t, err)
	must(t, s.EnrolOfficer(testOfficer, "PC", testPIN))
	e := mustEntry(t, s)
	must(t, s.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestDiskFullChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envFullChild+"="+path, "SAFEGUARD_FULL_ENTRY="+e.ID)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s\n%s", err, outb, stderr.String())
	}
	last := -1
	var errLine, readLine, attLine string
	sc := bufio.NewScanner(bytes.NewReader(outb))
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "ack "):
			last, _ = strconv.Atoi(strings.TrimPrefix(l, "ack "))
		case strings.HasPrefix(l, "err "):
			errLine = l
		case strings.HasPrefix(l, "read "):
			readLine = l
		case strings.HasPrefix(l, "attach "):
			attLine = l
		default:
			t.Fatalf("child: %s", l)
		}
	}
	t.Logf("%d answers saved before the limit; then: %s", last+1, errLine)
	if last < 10 {
		t.Fatalf("only %d answers before the limit", last+1)
	}
	if !strings.HasPrefix(errLine, "err full ") && !strings.HasPrefix(errLine, "err io ") {
		t.Fatalf("write past the limit gave %q, want ErrStorageFull or ErrIO", errLine)
	}
	if !strings.Contains(errLine, "what was already saved is kept") {
		t.Errorf("error does not say the saved answers are safe: %s", errLine)
	}
	if readLine != fmt.Sprintf("read %d", last+1) {
		t.Errorf("reading after the failure: %q, want %d answers", readLine, last+1)
	}
	if attLine != "attach full=true" {
		t.Errorf("attachment on a full disk: %q", attLine)
	}

	// Space again: everything acknowledged is there, the file is sound and
	// writing works.
	s, err = Open(path, o)
	must(t, err)
	defer s.Close()
	var check string
	must(t, s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check))
	if check != "ok" {
		t.Fatalf("integrity_check: %s", check)
	}
	must(t, s.Unlock(testOfficer, testPIN))
	got, err := s.Entry(e.ID)
	must(t, err)
	for i := 0; i <= last; i++ {
		if got.Answers[fmt.Sprintf("q%d", i)].Value != bigValue(i) {
			t.Fatalf("acknowledged answer q%d lost", i)
		}
	}
	must(t, s.SetAnswer(e.ID, "", "", "after", forms.Answer{Value: "space again"}))
	must(t, s.VerifyAudit())
}

func TestStoreSizeCap(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "device.db")
	o := testOptions(c)
	o.MaxSizeBytes = 256 << 10
	s, err := Open(path, o)
	must(t, err)
	must(t, s.EnrolOfficer(testOfficer, "PC", testPIN))
	e := mustEntry(t, s)
	last := -1
	for i := 0; ; i++ {
		err := s.SetAnswer(e.ID, "", "", fmt.Sprintf("q%d", i), forms.Answer{Value: bigValue(i)})
		if err != nil {
			if !errors.Is(err, ErrStorageFull) {
				t.Fatalf("answer %d: %v, want ErrStorageFull", i, err)
			}
			break
		}
		last = i
		if i > 1000 {
			t.Fatal("cap never reached")
		}
	}
	got, err := s.Entry(e.ID)
	must(t, err)
	if len(got.Answers) != last+1 {
		t.Fatalf("%d answers readable, %d saved", len(got.Answers), last+1)
	}
	must(t, s.Close())
	o.MaxSizeBytes = 0
	s, err = Open(path, o)
	must(t, err)
	defer s.Close()
	must(t, s.Unlock(testOfficer, testPIN))
	must(t, s.SetAnswer(e.ID, "", "", "more", forms.Answer{Value: bigValue(1)}))
}

// chattr sets or clears the immutable attribute; the test is skipped where
// that is not possible (not root, no chattr, file system without it).
func chattr(t *testing.T, on bool, paths ...string) {
	t.Helper()
	flag := "-i"
	if on {
		flag = "+i"
	}
	out, err := exec.Command("chattr", append([]string{flag}, paths...)...).CombinedOutput()
	if err != nil {
		if on {
			t.Skipf("cannot make files immutable here (%v: %s)", err, out)
		}
		t.Errorf("chattr -i: %v: %s", err, out)
	}
}

func TestReadOnlyStorage(t *testing.T) {
	c := newClock()
	dir := t.TempDir()
	path := filepath.Join(dir, "device.db")
	s := openTest(t, path, c)
	must(t, s.EnrolOfficer(testOfficer, "PC", testPIN))
	e := mustEntry(t, s)
	must(t, s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: "saved before"}))
	must(t, s.Close())

	// The storage turns read-only while the app is closed.
	files := []string{dir, path, path + "-attachments"}
	chattr(t, true, files...)
	t.Cleanup(func() { chattr(t, false, files...) })
	_, err := Open(path, testOptions(c))
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("open on read-only storage: %v, want ErrReadOnly", err)
	}
	chattr(t, false, files...)

	// The storage turns read-only while the store is open.
	s = openTest(t, path, c)
	must(t, s.Unlock(testOfficer, testPIN))
	all := append([]string{dir}, storeFiles(t, path)...)
	var existing []string
	for _, f := range all {
		if _, err := os.Stat(f); err == nil {
			existing = append(existing, f)
		}
	}
	chattr(t, true, existing...)
	err = s.SetAnswer(e.ID, "", "", "q", forms.Answer{Value: "after"})
	chattr(t, false, existing...)
	if !errors.Is(err, ErrReadOnly) && !errors.Is(err, ErrIO) {
		t.Fatalf("write on read-only storage: %v, want ErrReadOnly or ErrIO", err)
	}
	t.Logf("write while the storage is read-only: %v", err)
	must(t, s.Close())
	s = openTest(t, path, c)
	must(t, s.Unlock(testOfficer, testPIN))
	got, err := s.Entry(e.ID)
	must(t, err)
	if v := got.Answers["q"].Value; v != "saved before" && v != "after" {
		t.Fatalf("answer after read-only episode = %v", v)
	}
}
