package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/safeguard-uk/safeguard"

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// list runs go list over the module (the ci tag, as make test builds it)
// and returns its packages by path.
func list(t *testing.T) map[string]pkg {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the layout test runs go list: %v", err)
	}
	cmd := exec.Command("go", "list", "-tags", "ci", "-e", "-json=ImportPath,Imports,Deps", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list: %v", err)
		}
		pkgs[p.ImportPath] = p
	}
	for _, must := range []string{module, module + "/forms", module + "/app", module + "/cmd/central", module + "/devicestore"} {
		if _, ok := pkgs[must]; !ok {
			t.Fatalf("go list did not list %s (%d packages listed)", must, len(pkgs))
		}
	}
	return pkgs
}

// under reports whether path is dir or a package below it.
func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }

func TestFormsImportsNothingOfOurs(t *testing.T) {
	for _, d := range list(t)[module+"/forms"].Deps {
		if under(d, module) {
			t.Errorf("forms depends on %s", d)
		}
	}
}

func TestOnlyMainImportsApp(t *testing.T) {
	for path, p := range list(t) {
		if path == module || under(path, module+"/app") {
			continue
		}
		for _, d := range p.Deps {
			if under(d, module+"/app") {
				t.Errorf("%s depends on %s (only main may)", path, d)
			}
		}
	}
}

func TestCentralSideNeverImportsTheDeviceStore(t *testing.T) {
	sides := []string{"central", "people", "referral", "quality", "cmd/central", "cmd/bench", "cmd/population"}
	n := 0
	for path, p := range list(t) {
		if !slices.ContainsFunc(sides, func(s string) bool { return under(path, module+"/"+s) }) {
			continue
		}
		n++
		for _, d := range p.Deps {
			if under(d, module+"/devicestore") || under(d, module+"/app") || under(d, module+"/sync/devicesync") {
				t.Errorf("%s depends on %s", path, d)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d central-side packages checked", n)
	}
}

func TestServerBinaryLinksNoTestCode(t *testing.T) {
	for _, d := range list(t)[module+"/cmd/central"].Deps {
		switch {
		case d == "testing", strings.HasPrefix(d, "testing/"), d == "net/http/httptest":
			t.Errorf("cmd/central links %s", d)
		case strings.HasSuffix(d, "test") && under(d, module):
			t.Errorf("cmd/central links the test helper %s", d)
		}
	}
}

// stores are the packages that may speak SQL, and the benchmarks and
// generator whose baselines are bare inserts.
var stores = []string{
	"central/sqlite", "central/postgres", "central/internal/sqlstore",
	"people/sqlite", "people/postgres", "people/internal/sqlindex",
	"devicestore", "internal/sqlmigrate", "internal/sqldialect",
	"central/bench", "cmd/population",
}

func TestNoSQLOutsideTheStores(t *testing.T) {
	for path, p := range list(t) {
		if !slices.Contains(p.Imports, "database/sql") {
			continue
		}
		if !slices.ContainsFunc(stores, func(s string) bool { return path == module+"/"+s }) {
			t.Errorf("%s imports database/sql outside the store packages", path)
		}
	}
}
