package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/safeguard-uk/safeguard/assets"
)

// genericCases are small documents at the edges of JSON: escapes,
// surrogates, invalid UTF-8, HTML characters, numbers, nesting, and
// documents encoding/json refuses.
var genericCases = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e-3`, `-12E+7`, `true`, `false`, `null`, ` {"a" : [1, 2 ,3 ] } `,
	`{"a":1,"a":2}`, `{"b":{"c":[{},[],""]},"a":null}`,
	`"\"\\\/\b\f\n\r\t"`, `"\u0041\u00e9\u20ac"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ude00\ud83d"`,
	`"\ud83d\u0041"`, "\"\xff\xfe\"", "\"a\xe2\x82\"", `"<a href='x'>&amp;</a>"`, "\"\u2028\u2029\u007f\"",
	"\"caf\u00e9 Cymraeg: ll\u0175\"", `{"<&>":"\u003c"}`,
	// refused
	``, ` `, `{`, `[1,]`, `{"a":1,}`, `{"a"}`, `{a:1}`, `01`, `1.`, `.5`, `1e`, `-`, `+1`, `tru`, `nul`, `"\x"`,
	`"\u12"`, "\"a\tb\"", "\"a\x00\"", `{} {}`, `[1] x`, `"abc`, `[`, `[1 2]`, `{"a":1 "b":2}`, "\xef\xbb\xbf{}",
	`'a'`, `"\'"`, `NaN`, `[` + strings.Repeat(`[`, 20) + strings.Repeat(`]`, 21),
}

// checkGeneric fails when decodeGeneric and canonicalJSON disagree with
// encoding/json (through jsonschema.UnmarshalJSON and json.Marshal) on data.
func checkGeneric(t *testing.T, name string, data []byte) {
	t.Helper()
	want, wantErr := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	got, ok := decodeGeneric(data)
	if ok != (wantErr == nil) {
		t.Fatalf("%s: decodeGeneric ok=%v, encoding/json error %v", name, ok, wantErr)
	}
	if !ok {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: decodeGeneric = %#v, encoding/json %#v", name, got, want)
	}
	wantCanon, err := json.Marshal(want)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	gotCanon, err := canonicalJSON(got)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !bytes.Equal(gotCanon, wantCanon) {
		t.Fatalf("%s: canonicalJSON = %s, json.Marshal %s", name, gotCanon, wantCanon)
	}
}

func TestGenericDecodeMatchesEncodingJSON(t *testing.T) {
	for _, c := range genericCases {
		checkGeneric(t, c, []byte(c))
	}
	// Every checklist the project ships or tests with.
	n := 0
	err := fs.WalkDir(assets.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := assets.FS.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		checkGeneric(t, path, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("testdata/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n++
		checkGeneric(t, f, data)
	}
	if n < 4 {
		t.Fatalf("only %d JSON files checked", n)
	}
}

// TestCanonicalJSONRefusesOthers checks that a value outside the generic
// tree's types is left to json.Marshal, and an invalid json.Number is
// refused as json.Marshal refuses it.
func TestCanonicalJSONRefusesOthers(t *testing.T) {
	got, err := canonicalJSON(map[string]any{"n": 3, "s": []string{"x"}})
	if err != nil || string(got) != `{"n":3,"s":["x"]}` {
		t.Fatalf("canonicalJSON = %s, %v", got, err)
	}
	if _, err := canonicalJSON(json.Number("1x")); err == nil {
		t.Fatal("an invalid json.Number was written")
	}
	if got, err := canonicalJSON(json.Number("")); err != nil || string(got) != "0" {
		t.Fatalf("empty json.Number = %s, %v", got, err)
	}
}

func FuzzGenericDecode(f *testing.F) {
	for _, c := range genericCases {
		f.Add([]byte(c))
	}
	if data, err := os.ReadFile("testdata/mini.json"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkGeneric(t, "fuzz", data)
	})
}

// TestGenericDecodeDepth checks that a document nested beyond
// maxGenericDepth is left to encoding/json (which Parse then asks).
func TestGenericDecodeDepth(t *testing.T) {
	deep := []byte(strings.Repeat("[", maxGenericDepth+2) + strings.Repeat("]", maxGenericDepth+2))
	if _, ok := decodeGeneric(deep); ok {
		t.Fatal("decodeGeneric read a document nested beyond its bound")
	}
	if _, err := jsonschema.UnmarshalJSON(bytes.NewReader(deep)); err != nil {
		t.Fatalf("encoding/json refused it too: %v", err)
	}
	_, err := Parse(deep)
	var le *LoadError
	if !errors.As(err, &le) || strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("Parse = %v, want a schema problem", err)
	}
}
