package people

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

//go:embed nicknames.txt
var nicknamesTxt string

// Nicknames maps given names to the full names they stand for (Bob ->
// Robert, Sasha -> Alexander and Alexandra).
type Nicknames struct {
	full map[string][]string // short form -> full names
}

// ErrBadNicknames is returned for a nicknames file that cannot be read.
var ErrBadNicknames = errors.New("bad nicknames file")

// ParseNicknames reads lines "full: short, short, ..." ('#' starts a
// comment). Names are normalised with NormaliseName; a name of more than
// one word is refused.
func ParseNicknames(r io.Reader) (*Nicknames, error) {
	n := &Nicknames{full: map[string][]string{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		head, tail, ok := strings.Cut(text, ":")
		if !ok {
			return nil, fmt.Errorf("nicknames line %d: no colon: %w", line, ErrBadNicknames)
		}
		full, err := oneWord(head)
		if err != nil {
			return nil, fmt.Errorf("nicknames line %d: %w", line, err)
		}
		for _, s := range strings.Split(tail, ",") {
			if strings.TrimSpace(s) == "" {
				continue
			}
			short, err := oneWord(s)
			if err != nil {
				return nil, fmt.Errorf("nicknames line %d: %w", line, err)
			}
			if short != full && !slices.Contains(n.full[short], full) {
				n.full[short] = append(n.full[short], full)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read nicknames: %w", err)
	}
	return n, nil
}

func oneWord(s string) (string, error) {
	t := NameTokens(s)
	if len(t) != 1 {
		return "", fmt.Errorf("%d words where one name belongs: %w", len(t), ErrBadNicknames)
	}
	return t[0], nil
}

// DefaultNicknames is the table in nicknames.txt.
var DefaultNicknames = func() *Nicknames {
	n, err := ParseNicknames(strings.NewReader(nicknamesTxt))
	if err != nil {
		panic(err)
	}
	return n
}()

// Len returns the number of (short form, full name) pairs.
func (n *Nicknames) Len() int {
	c := 0
	for _, f := range n.full {
		c += len(f)
	}
	return c
}

// Forms returns tok followed by the full names it is a short form of.
func (n *Nicknames) Forms(tok string) []string {
	f := n.full[tok]
	out := make([]string, 0, 1+len(f))
	return append(append(out, tok), f...)
}

// Same reports whether two normalised given names are the same name by
// the table: one is a short form of the other, or both are short forms of
// one full name (Kate and Katie). Full names compare by sound, so a short
// form also stands for the full name's other spellings (Kuba for Jacob
// and for Jakub).
func (n *Nicknames) Same(a, b string) bool {
	if a == b {
		return true
	}
	fa, fb := n.full[a], n.full[b]
	if len(fa) == 0 && len(fb) == 0 {
		return false
	}
	pa, pb := Phonetic(a), Phonetic(b)
	for _, x := range fa {
		px := Phonetic(x)
		if x == b || px == pb {
			return true
		}
		for _, y := range fb {
			if x == y || px == Phonetic(y) {
				return true
			}
		}
	}
	for _, y := range fb {
		if y == a || Phonetic(y) == pa {
			return true
		}
	}
	return false
}
