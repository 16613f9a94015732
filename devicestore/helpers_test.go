package devicestore

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// testKDF is deliberately weak so tests do not spend seconds per unlock.
var testKDF = KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

const (
	testOfficer = "PC1234"
	testPIN     = "246813"
)

var testChecklist = forms.Ref{ID: "child-at-risk", Version: "1.0.0"}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 11, 20, 14, 30, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func testOptions(c *fakeClock) Options {
	return Options{Clock: c.Now, KDF: testKDF, InsecureKDF: true, Logger: quietLogger()}
}

// openTest opens a store at path with test options.
func openTest(t testing.TB, path string, c *fakeClock) *Store {
	t.Helper()
	s, err := Open(path, testOptions(c))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newTestStore makes a store in a temporary folder with one officer
// enrolled (and so unlocked).
func newTestStore(t testing.TB) (*Store, *fakeClock, string) {
	t.Helper()
	c := newClock()
	path := filepath.Join(t.TempDir(), "device.db")
	s := openTest(t, path, c)
	if err := s.EnrolOfficer(testOfficer, "PC Test", testPIN); err != nil {
		t.Fatalf("EnrolOfficer: %v", err)
	}
	return s, c, path
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustEntry(t testing.TB, s *Store) *forms.Entry {
	t.Helper()
	e, err := s.NewEntry(testChecklist, false)
	if err != nil {
		t.Fatalf("NewEntry: %v", err)
	}
	return e
}

func encode(t testing.TB, e *forms.Entry) string {
	t.Helper()
	b, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// storeFiles returns the database, its WAL and every attachment file.
func storeFiles(t testing.TB, path string) []string {
	t.Helper()
	files := []string{path, path + "-wal", path + "-shm"}
	att, _ := filepath.Glob(filepath.Join(path+"-attachments", "*"))
	return append(files, att...)
}

// findInFiles reports which files contain needle.
func findInFiles(t testing.TB, files []string, needle []byte) []string {
	t.Helper()
	var hits []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, needle) {
			hits = append(hits, filepath.Base(f))
		}
	}
	return hits
}
