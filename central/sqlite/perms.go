package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// restrict makes the database file readable by its owner only before
// SQLite opens it: a missing folder is made 0700, a missing file is made
// 0600 (SQLite gives its -wal and -shm files the database file's mode),
// and an existing file, WAL or shared-memory file is tightened to 0600.
// A folder that holds nothing but the database's files (a dedicated data
// folder) is tightened to 0700; a shared one (say, a home folder) is left
// as it is. In-memory and URI paths are left alone.
func restrict(path string) error {
	if path == "" || strings.HasPrefix(path, ":memory:") || strings.HasPrefix(path, "file:") {
		return nil
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if dir := filepath.Dir(path); dir != "" {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return fmt.Errorf("open sqlite %s: %w", path, err)
			}
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("open sqlite %s: %w", p, err)
		}
	}
	dir := filepath.Dir(path)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	base := filepath.Base(path)
	for _, e := range ents {
		if n := e.Name(); n != base && !strings.HasPrefix(n, base+"-") {
			return nil // shared folder: leave it
		}
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("open sqlite %s: %w", dir, err)
	}
	return nil
}
