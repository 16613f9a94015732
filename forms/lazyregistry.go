package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"sync"
)

// A lazy registry (LoadRegistryLazy) knows every published version from
// the start but compiles one only when it is first asked for: a device
// starting up needs no checklist before the officer starts or opens a
// check, and then only the version that check uses (usually the newest),
// while compiling all four versions and their phrase lists took about as
// long as opening and unlocking the store.

// lazyVersion is one checklist version a lazy registry has not compiled
// yet: load compiles it (and binds its phrase list) once.
type lazyVersion struct {
	once sync.Once
	load func() (*Checklist, error)
}

// lazyList is one phrase list of a lazy registry: its bindings are read at
// start (to know which versions it reads); it is compiled once, when the
// first of those versions is.
type lazyList struct {
	name     string
	bindings []RecogniserBinding
	pinned   map[string]string // every list's published hash, by id@version
	once     sync.Once
	r        *Recogniser
	err      error
}

func (l *lazyList) binds(ref Ref) bool {
	for _, b := range l.bindings {
		if b.Checklist == ref.ID && (len(b.Versions) == 0 || containsWord(b.Versions, ref.Version)) {
			return true
		}
	}
	return false
}

// LoadRegistryLazy is LoadRegistry for a device: it reads which versions
// and phrase lists the folders of fsys hold and the hashes they were
// published with, and compiles a version (with the phrase list bound to
// it, checked against its published hash) on its first Get or Latest. A
// version whose file fails to compile or no longer matches its published
// hash is then logged and not found; LoadRegistry, used by the central
// system and the tests, compiles and checks every version at once.
func LoadRegistryLazy(fsys fs.FS) (*Registry, error) {
	r, pubs, names, err := pinnedRegistry(fsys)
	if err != nil {
		return nil, err
	}
	lists, err := lazyLists(fsys)
	if err != nil {
		return nil, err
	}
	r.lazy = map[Ref]*lazyVersion{}
	for _, name := range names {
		ref, err := fileRef(fsys, name)
		if err != nil {
			return nil, err
		}
		if _, pinned := r.pinned[ref]; !pinned {
			return nil, notPublished(name, ref)
		}
		if _, dup := r.lazy[ref]; dup {
			return nil, fmt.Errorf("%s: %s is held by two files", name, ref)
		}
		r.lazy[ref] = &lazyVersion{load: func() (*Checklist, error) { return loadVersion(fsys, name, ref, pubs, lists) }}
	}
	return r, nil
}

// loadVersion compiles one checklist file of a lazy registry and binds the
// phrase lists that read it.
func loadVersion(fsys fs.FS, name string, ref Ref, pubs []PublishedVersion, lists []*lazyList) (*Checklist, error) {
	c, err := loadPinned(fsys, name, pubs)
	if err != nil {
		return nil, err
	}
	if c.Ref() != ref {
		return nil, fmt.Errorf("%s: holds %s, read as %s at start", name, c.Ref(), ref)
	}
	for _, l := range lists {
		if !l.binds(ref) {
			continue
		}
		l.once.Do(func() {
			if l.r, l.err = LoadRecogniser(fsys, l.name); l.err == nil {
				l.err = checkPinned(l.name, l.r, l.pinned)
			}
		})
		if l.err != nil {
			return nil, l.err
		}
		if err := c.UseRecogniser(l.r); err != nil {
			return nil, fmt.Errorf("%s: %w", l.name, err)
		}
	}
	return c, nil
}

// lazyLists reads the bindings of every phrase list in fsys, without
// compiling them, and the hashes they were published with.
func lazyLists(fsys fs.FS) ([]*lazyList, error) {
	names, err := fs.Glob(fsys, RecogniserDir+"/*.json")
	if err != nil {
		return nil, err
	}
	pinned, err := recogniserPins(fsys)
	if err != nil {
		return nil, err
	}
	var out []*lazyList
	for _, name := range names {
		if path.Base(name) == PublishedFile {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read phrase list: %w", err)
		}
		var head struct {
			Bindings []RecogniserBinding `json:"bindings"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			return nil, fmt.Errorf("%s: not a valid phrase list: %w", name, err)
		}
		out = append(out, &lazyList{name: name, bindings: head.Bindings, pinned: pinned})
	}
	return out, nil
}

// fileRef reads a checklist file's id and version (refOf) without
// reading the rest of it.
func fileRef(fsys fs.FS, name string) (Ref, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return Ref{}, fmt.Errorf("read checklist: %w", err)
	}
	defer f.Close()
	return refOf(name, f)
}

// refOf reads a checklist document's id and version from its first
// members (where `checklist` writes them) without decoding the rest; a
// document that puts them later is decoded in full.
func refOf(name string, rd io.Reader) (Ref, error) {
	dec := json.NewDecoder(rd)
	var ref Ref
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return Ref{}, fmt.Errorf("%s: not a checklist (a JSON object)", name)
	}
	for dec.More() && (ref.ID == "" || ref.Version == "") {
		t, err := dec.Token()
		if err != nil {
			return Ref{}, fmt.Errorf("%s: %w", name, err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return Ref{}, fmt.Errorf("%s: %w", name, err)
		}
		switch t {
		case "id":
			err = json.Unmarshal(v, &ref.ID)
		case "version":
			err = json.Unmarshal(v, &ref.Version)
		}
		if err != nil {
			return Ref{}, fmt.Errorf("%s: %s: %w", name, t, err)
		}
	}
	if ref.ID == "" || ref.Version == "" {
		return Ref{}, fmt.Errorf("%s: no id and version", name)
	}
	return ref, nil
}

// compileLazy compiles a lazy version once and moves it to the compiled
// ones; it reports whether the version is now held.
func (r *Registry) compileLazy(ref Ref) bool {
	r.mu.RLock()
	lv := r.lazy[ref]
	r.mu.RUnlock()
	if lv == nil {
		return false
	}
	lv.once.Do(func() {
		c, err := lv.load()
		if err == nil {
			err = r.Publish(c)
		}
		if err != nil {
			slog.Error("checklist version cannot be used", "checklist", ref.String(), "err", err)
		}
	})
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.byRef[ref]
	return ok
}

// loadPinned loads a checklist file, read once, with ParsePublished when
// its id and version are published (in pubs), else with Parse.
func loadPinned(fsys fs.FS, name string, pubs []PublishedVersion) (*Checklist, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read checklist: %w", err)
	}
	var pub PublishedVersion // none: the full parse, which says what is wrong
	if ref, err := refOf(name, bytes.NewReader(data)); err == nil {
		if i := slices.IndexFunc(pubs, func(p PublishedVersion) bool { return p.ID == ref.ID && p.Version == ref.Version }); i >= 0 {
			pub = pubs[i]
		}
	}
	c, err := ParsePublished(data, pub)
	var le *LoadError
	if errors.As(err, &le) {
		le.File = name
	}
	return c, err
}
