package forms

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// PublishedFile is the name, inside a checklist folder, of the file that
// freezes released versions: a JSON list of PublishedVersion.
const PublishedFile = "published.json"

// ErrChangedVersion is returned when content differs from what was
// published under the same id and version.
var ErrChangedVersion = errors.New("published checklist version changed: give changed content a new version")

// PublishedVersion records the content hash of one released checklist
// version.
type PublishedVersion struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
	// FileSHA256 is the SHA-256 of the file's bytes as published (SHA256
	// is of its canonical form): a loader whose file still has these bytes
	// knows the content without re-encoding it (ParsePublished).
	FileSHA256 string `json:"file_sha256,omitempty"`
}

// Registry holds the checklist versions a device or server knows, by id
// and version. It is safe for concurrent use.
type Registry struct {
	mu     sync.RWMutex
	byRef  map[Ref]*Checklist
	pinned map[Ref]string
	lazy   map[Ref]*lazyVersion // not compiled until asked for (LoadRegistryLazy)
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byRef: map[Ref]*Checklist{}, pinned: map[Ref]string{}}
}

// Pin records the hash a version was published with; a checklist with
// that id and version and another hash is then refused.
func (r *Registry) Pin(p PublishedVersion) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref := Ref{ID: p.ID, Version: p.Version}
	if old, ok := r.pinned[ref]; ok && old != p.SHA256 {
		return fmt.Errorf("%s: %w (pinned %s, now %s)", ref, ErrChangedVersion, short(old), short(p.SHA256))
	}
	r.pinned[ref] = p.SHA256
	return nil
}

// Publish adds a compiled checklist. It is refused when the same id and
// version is already held, or pinned, with different content.
func (r *Registry) Publish(c *Checklist) error {
	if c.compiled == nil {
		return ErrNotCompiled
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ref := c.Ref()
	if pin, ok := r.pinned[ref]; ok && pin != c.hash {
		return fmt.Errorf("%s: %w (published %s, this file %s)", ref, ErrChangedVersion, short(pin), short(c.hash))
	}
	if old, ok := r.byRef[ref]; ok && old.hash != c.hash {
		return fmt.Errorf("%s: %w (held %s, this file %s)", ref, ErrChangedVersion, short(old.hash), short(c.hash))
	}
	r.byRef[ref] = c
	return nil
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Get returns the checklist with the given id and version.
func (r *Registry) Get(ref Ref) (*Checklist, bool) {
	r.mu.RLock()
	c, ok := r.byRef[ref]
	r.mu.RUnlock()
	if !ok && r.compileLazy(ref) {
		return r.Get(ref)
	}
	return c, ok
}

// Latest returns the highest version of the checklist with the given id.
func (r *Registry) Latest(id string) (*Checklist, bool) {
	refs := r.Refs() // sorted by version: the newest that compiles
	for i := len(refs) - 1; i >= 0; i-- {
		if refs[i].ID != id {
			continue
		}
		if c, ok := r.Get(refs[i]); ok {
			return c, true
		}
	}
	return nil, false
}

// Refs lists every held version, sorted by id then version.
func (r *Registry) Refs() []Ref {
	r.mu.RLock()
	defer r.mu.RUnlock()
	refs := make([]Ref, 0, len(r.byRef)+len(r.lazy))
	for ref := range r.byRef {
		refs = append(refs, ref)
	}
	for ref := range r.lazy {
		if _, ok := r.byRef[ref]; !ok {
			refs = append(refs, ref)
		}
	}
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].ID != refs[j].ID {
			return refs[i].ID < refs[j].ID
		}
		return CompareVersions(refs[i].Version, refs[j].Version) < 0
	})
	return refs
}

// CompareVersions compares MAJOR.MINOR.PATCH versions numerically:
// -1, 0 or 1. Unreadable parts compare as 0.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < 3; i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	return 0
}

// ReadPublished reads the published-versions file in dir of fsys; a
// missing file is an empty list.
func ReadPublished(fsys fs.FS, dir string) ([]PublishedVersion, error) {
	data, err := fs.ReadFile(fsys, path.Join(dir, PublishedFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", PublishedFile, err)
	}
	var list []PublishedVersion
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("%s: %w", PublishedFile, err)
	}
	return list, nil
}

// LoadRegistry loads every checklist file (*.json but published.json) in
// the checklists/ folder of fsys (for example assets.FS), pinning each to
// the hash recorded in checklists/published.json. A file that is not
// published, or whose content changed since, is an error: the device and
// the server must agree on what each version means.
func LoadRegistry(fsys fs.FS) (*Registry, error) {
	r, pubs, names, err := pinnedRegistry(fsys)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		c, err := loadPinned(fsys, name, pubs)
		if err != nil {
			return nil, err
		}
		r.mu.RLock()
		_, pinned := r.pinned[c.Ref()]
		r.mu.RUnlock()
		if !pinned {
			return nil, notPublished(name, c.Ref())
		}
		if err := r.Publish(c); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := loadRecognisers(fsys, r); err != nil { // recognise.go
		return nil, err
	}
	return r, nil
}

// checklistDir is the folder of fsys the registries load checklists from.
const checklistDir = "checklists"

// pinnedRegistry starts a registry of fsys's checklists: every version
// published in checklists/published.json pinned to its hash, with that list
// and the names of the checklist files to load.
func pinnedRegistry(fsys fs.FS) (*Registry, []PublishedVersion, []string, error) {
	pubs, err := ReadPublished(fsys, checklistDir)
	if err != nil {
		return nil, nil, nil, err
	}
	r := NewRegistry()
	for _, p := range pubs {
		if err := r.Pin(p); err != nil {
			return nil, nil, nil, err
		}
	}
	all, err := fs.Glob(fsys, checklistDir+"/*.json")
	if err != nil {
		return nil, nil, nil, err
	}
	names := slices.DeleteFunc(all, func(n string) bool { return path.Base(n) == PublishedFile })
	return r, pubs, names, nil
}

// notPublished is the error for a checklist file whose version is not in
// published.json.
func notPublished(name string, ref Ref) error {
	return fmt.Errorf("%s: %s is not in %s/%s: publish it with `checklist publish %s`", name, ref, checklistDir, PublishedFile, name)
}

// ContentHash returns the hex SHA-256 of the entry's canonical JSON (the
// bytes Encode writes). Two devices holding the same entry revision agree on
// it; the server uses it to tell a duplicate from a conflict.
func ContentHash(e *Entry) (string, error) {
	b, err := e.Encode()
	if err != nil {
		return "", fmt.Errorf("encode entry: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
