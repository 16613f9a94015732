package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// A finding is a string literal that reaches the screen.
type finding struct {
	pos    string
	text   string
	file   string
	offset int
	end    int
}

// sinkPkgs are the packages whose functions put their string arguments on
// the screen (any function of theirs).
var sinkPkgs = map[string]bool{"widget": true, "dialog": true, "canvas": true, "container": true}

// sinkFuncs are further functions, by selector or bare name, whose string
// arguments are shown: Fyne's menus, the shared screen helpers and each
// package's small label helpers.
var sinkFuncs = map[string]bool{
	"fyne.NewMenuItem": true, "fyne.NewMenu": true, "fyne.NewNotification": true,
	"theme.Screen": true, "screen": true, "heading": true, "wrapped": true, "wrappedLabel": true,
	"boldLabel": true, "say": true, "setBannerText": true, "setStatus": true, "setProblem": true,
	"problem": true, "fail": true, "supervisorNote": true, "ShowLogin": true, "ShowEnrol": true,
	"ui.Problem": true, "ui.Heading": true, "ui.Wrapped": true, "ui.Bold": true, "ui.Say": true,
	"NewUserError": true, "newSecretEntry": true, "Userf": true,
}

// sinkMethods are methods (on any receiver) whose string arguments are shown.
var sinkMethods = map[string]bool{
	"SetText": true, "SetPlaceHolder": true, "SetTitle": true, "SetConfirmText": true,
	"SetDismissText": true, "SetOptions": true, "ParseMarkdown": true, "AppendMarkdown": true,
	"SetSubTitle": true, "SetValidationError": true,
}

// shownFields are struct fields that hold shown text.
var shownFields = map[string]bool{"Text": true, "PlaceHolder": true, "Title": true, "Label": true, "Message": true, "Hint": true}

// scan walks the Go files under dir (tests excluded) and returns every
// string literal that reaches a widget, a dialog or a shown field without
// passing through lang.L, lang.N or lang.X. It also returns the keys
// passed to lang.
func scan(t *testing.T, dir string) (bad []finding, keys map[string]string) {
	t.Helper()
	keys = map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "screenshots") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		s := &scanner{fset: fset, keys: keys}
		s.file(f)
		bad = append(bad, s.bad...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(bad, func(i, j int) bool { return bad[i].pos < bad[j].pos })
	return bad, keys
}

type scanner struct {
	fset *token.FileSet
	keys map[string]string // key → where first used
	bad  []finding
}

func (s *scanner) file(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			name := callName(n.Fun)
			if isLang(name) {
				s.langCall(name, n)
				return false
			}
			if sinkCall(name) {
				for _, a := range n.Args {
					s.shown(a)
				}
			}
		case *ast.CompositeLit:
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Message" {
						s.key(kv.Value)
					} else if ok && shownFields[id.Name] {
						s.shown(kv.Value)
					}
				}
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if sel, ok := l.(*ast.SelectorExpr); ok && shownFields[sel.Sel.Name] && i < len(n.Rhs) {
					if sel.Sel.Name == "Message" {
						s.key(n.Rhs[i])
					} else {
						s.shown(n.Rhs[i])
					}
				}
			}
		}
		return true
	})
}

// shown records the literals of an expression whose value is shown.
func (s *scanner) shown(e ast.Expr) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return
		}
		v, err := strconv.Unquote(e.Value)
		if err != nil || !needsWords(v) {
			return
		}
		p := s.fset.Position(e.Pos())
		s.bad = append(s.bad, finding{pos: p.String(), text: v, file: p.Filename, offset: p.Offset, end: s.fset.Position(e.End()).Offset})
	case *ast.BinaryExpr:
		s.shown(e.X)
		s.shown(e.Y)
	case *ast.ParenExpr:
		s.shown(e.X)
	case *ast.CallExpr:
		name := callName(e.Fun)
		if isLang(name) {
			s.langCall(name, e)
			return
		}
		if name == "fmt.Sprintf" || name == "fmt.Sprint" || name == "strings.Join" {
			for _, a := range e.Args {
				s.shown(a)
			}
		}
	case *ast.CompositeLit: // []string{...} options
		for _, el := range e.Elts {
			s.shown(el)
		}
	}
}

// key records a literal that is a translation key said later (an error's
// Message, translated by its Words at the screen).
func (s *scanner) key(e ast.Expr) {
	if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
		if v, err := strconv.Unquote(lit.Value); err == nil {
			if _, seen := s.keys[v]; !seen {
				s.keys[v] = s.fset.Position(lit.Pos()).String()
			}
		}
	}
}

func (s *scanner) langCall(name string, c *ast.CallExpr) {
	if len(c.Args) == 0 {
		return
	}
	arg := c.Args[0]
	if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
		v, err := strconv.Unquote(lit.Value)
		if err == nil {
			if _, seen := s.keys[v]; !seen {
				s.keys[v] = s.fset.Position(lit.Pos()).String()
			}
		}
	}
	_ = name
}

func isLang(name string) bool {
	switch name {
	case "lang.L", "lang.N", "lang.X", "lang.XN", "lang.Localize", "lang.LocalizePlural", "lang.LocalizeKey":
		return true
	}
	return false
}

func sinkCall(name string) bool {
	if sinkFuncs[name] {
		return true
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		pkg, fn := name[:i], name[i+1:]
		if sinkPkgs[pkg] {
			return true
		}
		if sinkMethods[fn] || sinkFuncs[fn] {
			return true
		}
	}
	return false
}

// callName is "pkg.Func", "recv.Method" (last selector only) or "Func".
func callName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if id, ok := e.X.(*ast.Ident); ok {
			return id.Name + "." + e.Sel.Name
		}
		return "_." + e.Sel.Name
	case *ast.IndexExpr:
		return callName(e.X)
	}
	return ""
}

// needsWords reports whether a literal holds words (a letter); symbols,
// numbers and separators need no translation.
func needsWords(v string) bool {
	for _, r := range v {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// allowed are the literals shown as they are, each with its reason.
var allowed = map[string]string{
	"Safeguard": "the app's name, a proper noun",
}

// TestNoBareStrings fails on any string literal in app/ (tests excluded)
// that reaches a widget, a dialog, a shown field or a screen helper
// without going through lang.L, lang.N or lang.X.
func TestNoBareStrings(t *testing.T) {
	bad, _ := scan(t, "..")
	for _, b := range bad {
		if _, ok := allowed[b.text]; ok {
			continue
		}
		t.Errorf("%s: %q is shown without lang.L/N/X", b.pos, b.text)
	}
	for _, m := range []string{"../../main.go", "../../uimap.go", "../../crash.go"} {
		if _, err := os.Stat(m); err != nil {
			continue
		}
		dir := t.TempDir()
		src, _ := os.ReadFile(m)
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(m)), src, 0o600); err != nil {
			t.Fatal(err)
		}
		more, _ := scan(t, dir)
		for _, b := range more {
			if _, ok := allowed[b.text]; !ok {
				t.Errorf("%s: %q is shown without lang.L/N/X", filepath.Base(m)+b.pos[len(dir):], b.text)
			}
		}
	}
}

// TestScannerFinds proves the scanner sees a bare literal and passes a
// wrapped one.
func TestScannerFinds(t *testing.T) {
	dir := t.TempDir()
	src := `package x
import ("fyne.io/fyne/v2/widget"; "fyne.io/fyne/v2/lang"; "fmt")
func f(l *widget.Label, n int) {
	widget.NewLabel("Bare words")
	widget.NewLabel(lang.L("Wrapped words"))
	l.SetText(fmt.Sprintf("%d bare", n))
	widget.NewButton("·", nil)
	_ = &widget.Label{Text: "Bare field"}
}
`
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	bad, keys := scan(t, dir)
	var got []string
	for _, b := range bad {
		got = append(got, b.text)
	}
	if strings.Join(got, "|") != "Bare words|%d bare|Bare field" {
		t.Errorf("found %q", got)
	}
	if _, ok := keys["Wrapped words"]; !ok || len(keys) != 1 {
		t.Errorf("keys %v", keys)
	}
}

// TestNoLangAtInit fails on lang calls in package-level declarations: they
// run once at start, so their words would not follow a change of language.
func TestNoLangAtInit(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			ast.Inspect(g, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok && isLang(callName(c.Fun)) {
					t.Errorf("%s: lang call in a package-level declaration (say it where it is shown)", fset.Position(c.Pos()))
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
