package forms_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/safeguard-uk/safeguard/assets"
	"github.com/safeguard-uk/safeguard/forms"
)

// TestLazyRegistryMatchesEager: the lazy registry holds the same versions,
// compiled to the same content and read by the same phrase lists, as the
// registry that compiles everything at once.
func TestLazyRegistryMatchesEager(t *testing.T) {
	eager, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := forms.LoadRegistryLazy(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := lazy.Refs(), eager.Refs(); !equalRefs(got, want) {
		t.Fatalf("lazy refs %v, eager %v", got, want)
	}
	for _, ref := range eager.Refs() {
		e, _ := eager.Get(ref)
		l, ok := lazy.Get(ref)
		if !ok {
			t.Fatalf("%s: not found in the lazy registry", ref)
		}
		if l.Hash() != e.Hash() {
			t.Errorf("%s: hash %s, eager %s", ref, l.Hash(), e.Hash())
		}
		switch er, lr := e.Recogniser(), l.Recogniser(); {
		case (er == nil) != (lr == nil):
			t.Errorf("%s: phrase list %v, eager %v", ref, lr, er)
		case er != nil && (er.Ref() != lr.Ref() || er.Hash() != lr.Hash()):
			t.Errorf("%s: read by %s, eager by %s", ref, lr.Ref(), er.Ref())
		}
	}
	le, _ := eager.Latest("child-at-risk")
	ll, ok := lazy.Latest("child-at-risk")
	if !ok || ll.Ref() != le.Ref() {
		t.Fatalf("latest %v, eager %s", ll, le.Ref())
	}
}

// TestLazyRegistryCompilesOnce: many first Gets at once compile a version
// once and all get the same checklist.
func TestLazyRegistryCompilesOnce(t *testing.T) {
	lazy, err := forms.LoadRegistryLazy(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	ref := lazy.Refs()[len(lazy.Refs())-1]
	got := make([]*forms.Checklist, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = lazy.Get(ref)
		}()
	}
	wg.Wait()
	for i, c := range got {
		if c == nil || c != got[0] {
			t.Fatalf("Get %d gave %p, Get 0 %p", i, c, got[0])
		}
	}
}

// copyAssets copies the checklist and phrase-list folders into a map, for
// tampering with.
func copyAssets(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, dir := range []string{"checklists", forms.RecogniserDir} {
		names, err := fs.Glob(assets.FS, dir+"/*.json")
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			data, err := fs.ReadFile(assets.FS, n)
			if err != nil {
				t.Fatal(err)
			}
			m[n] = &fstest.MapFile{Data: data}
		}
	}
	return m
}

// TestLazyRegistryRefusesChangedContent: a published version whose file
// changed is not found (LoadRegistry fails on it at once), the other
// versions still are; an unpublished version fails at start.
func TestLazyRegistryRefusesChangedContent(t *testing.T) {
	m := copyAssets(t)
	const name = "checklists/child-at-risk-v2.json"
	m[name].Data = bytes.Replace(m[name].Data, []byte("Child at risk: police checklist"), []byte("Child at risk: police checklist!"), 1)
	if _, err := forms.LoadRegistry(m); err == nil {
		t.Fatal("eager load took changed content")
	}
	lazy, err := forms.LoadRegistryLazy(m)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := lazy.Get(forms.Ref{ID: "child-at-risk", Version: "2.0.0"}); ok {
		t.Fatalf("changed 2.0.0 compiled: %s", c.Hash())
	}
	if _, ok := lazy.Get(forms.Ref{ID: "child-at-risk", Version: "1.0.0"}); !ok {
		t.Fatal("1.0.0 lost with 2.0.0")
	}

	m = copyAssets(t)
	m["checklists/extra.json"] = &fstest.MapFile{Data: bytes.Replace(m[name].Data, []byte(`"version": "2.0.0"`), []byte(`"version": "9.0.0"`), 1)}
	if _, err := forms.LoadRegistryLazy(m); err == nil || !strings.Contains(err.Error(), "not in checklists/published.json") {
		t.Fatalf("unpublished version: %v", err)
	}
}

// TestLazyRegistryRefusesChangedPhraseList: a phrase list that no longer
// matches its published hash leaves the versions it reads unusable.
func TestLazyRegistryRefusesChangedPhraseList(t *testing.T) {
	m := copyAssets(t)
	eager, err := forms.LoadRegistry(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	latest, _ := eager.Latest("child-at-risk")
	r := latest.Recogniser()
	if r == nil {
		t.Skip("the newest checklist has no phrase list")
	}
	var file string
	for n, f := range m {
		if strings.HasPrefix(n, forms.RecogniserDir+"/") && !strings.HasSuffix(n, forms.PublishedFile) && bytes.Contains(f.Data, []byte(`"version": "`+r.Version+`"`)) {
			file = n
		}
	}
	if file == "" {
		t.Fatalf("no file for %s", r.Ref())
	}
	changed := bytes.Replace(m[file].Data, []byte(`"twin",`), []byte(`"twinn",`), 1)
	if bytes.Equal(changed, m[file].Data) {
		t.Fatalf("%s: no word to change", file)
	}
	m[file].Data = changed
	lazy, err := forms.LoadRegistryLazy(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := lazy.Get(latest.Ref()); ok {
		t.Fatalf("%s compiled with a changed phrase list", latest.Ref())
	}
}

func equalRefs(a, b []forms.Ref) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestPublishedFilesPassTheSchema: the registries skip the schema pass
// for content whose hash is a published version's, so every published
// file must pass the full Parse against today's schema, with the hash it
// was published with.
func TestPublishedFilesPassTheSchema(t *testing.T) {
	pubs, err := forms.ReadPublished(assets.FS, "checklists")
	if err != nil {
		t.Fatal(err)
	}
	pinned := map[forms.Ref]forms.PublishedVersion{}
	for _, p := range pubs {
		pinned[forms.Ref{ID: p.ID, Version: p.Version}] = p
	}
	names, _ := fs.Glob(assets.FS, "checklists/*.json")
	seen := 0
	for _, n := range names {
		if strings.HasSuffix(n, forms.PublishedFile) {
			continue
		}
		data, _ := fs.ReadFile(assets.FS, n)
		full, err := forms.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		pub := pinned[full.Ref()]
		if pub.SHA256 != full.Hash() {
			t.Fatalf("%s: hash %s, published %s", n, full.Hash(), pub.SHA256)
		}
		if sum := sha256.Sum256(data); pub.FileSHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: file hash %x, published %q: run `checklist publish %s`", n, sum, pub.FileSHA256, n)
		}
		for _, p := range []forms.PublishedVersion{pub, {ID: pub.ID, Version: pub.Version, SHA256: pub.SHA256}} {
			fast, err := forms.ParsePublished(data, p)
			if err != nil || fast.Hash() != full.Hash() || len(fast.Rules) != len(full.Rules) {
				t.Fatalf("%s: ParsePublished %v, %v", n, fast, err)
			}
		}
		seen++
	}
	if seen != len(pubs) {
		t.Fatalf("%d files for %d published versions", seen, len(pubs))
	}
}

// TestParsePublishedChecksOtherContent: content that is not the published
// version is parsed in full (its schema problems reported) and keeps its
// own hash.
func TestParsePublishedChecksOtherContent(t *testing.T) {
	data, _ := fs.ReadFile(assets.FS, "checklists/child-at-risk-v1.json")
	good, err := forms.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	pub := forms.PublishedVersion{ID: good.ID, Version: good.Version, SHA256: good.Hash(), FileSHA256: hex.EncodeToString(sum[:])}
	bad := bytes.Replace(data, []byte(`"version": "1.0.0"`), []byte(`"version": 1`), 1)
	if _, err := forms.ParsePublished(bad, pub); err == nil || !strings.Contains(err.Error(), "/version") {
		t.Fatalf("schema-invalid content under a published hash: %v", err)
	}
	changed := bytes.Replace(data, []byte("Child at risk: police checklist"), []byte("Child at risk: police checklist!"), 1)
	c, err := forms.ParsePublished(changed, pub)
	if err != nil {
		t.Fatal(err)
	}
	if c.Hash() == good.Hash() {
		t.Fatal("changed content took the published hash")
	}
}
