package people

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"
)

//go:embed givennames.txt
var givenNamesTxt string

// GivenNames is a list of established given names, each with its
// spellings (Stephen and Steven are one name; Jack and Jake are two). It
// tells a slip of a name (Jakc) from another name (Jake): two records at
// one home with one family name, one date of birth and two established
// names close in spelling or sound are twins or siblings as likely as one
// person, and the matcher never links them by itself.
type GivenNames struct {
	group map[string]int // normalised spelling -> its name's line
}

// ErrBadGivenNames is returned for a given-names file that cannot be read.
var ErrBadGivenNames = errors.New("bad given-names file")

// ParseGivenNames reads lines "name, spelling, spelling ..." ('#' starts
// a comment): each line one name. Names are normalised with NameTokens; a
// name of more than one word, or a spelling on two lines, is refused.
func ParseGivenNames(r io.Reader) (*GivenNames, error) {
	g := &GivenNames{group: map[string]int{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		for _, s := range strings.Split(text, ",") {
			if strings.TrimSpace(s) == "" {
				continue
			}
			name, err := oneWord(s)
			if err != nil {
				return nil, fmt.Errorf("given names line %d: %w: %w", line, err, ErrBadGivenNames)
			}
			if prev, ok := g.group[name]; ok && prev != line {
				return nil, fmt.Errorf("given names line %d: %q already on line %d: %w", line, name, prev, ErrBadGivenNames)
			}
			g.group[name] = line
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read given names: %w", err)
	}
	return g, nil
}

// withFullNames adds the nickname table's full names not already listed,
// each as a name of its own.
func (g *GivenNames) withFullNames(n *Nicknames) *GivenNames {
	next := -1
	for _, fulls := range n.full {
		for _, f := range fulls {
			if _, ok := g.group[f]; !ok {
				g.group[f] = next
				next--
			}
		}
	}
	return g
}

// DefaultGivenNames is the list in givennames.txt with the full names of
// DefaultNicknames (their short forms are not judged: "Elle" is as often
// a slip of Ella as a name).
var DefaultGivenNames = func() *GivenNames {
	g, err := ParseGivenNames(strings.NewReader(givenNamesTxt))
	if err != nil {
		panic(err)
	}
	return g.withFullNames(DefaultNicknames)
}()

// Len returns the number of spellings listed.
func (g *GivenNames) Len() int { return len(g.group) }

// Known reports whether a normalised given name is listed.
func (g *GivenNames) Known(name string) bool {
	_, ok := g.group[name]
	return ok
}

// Distinct reports whether two normalised given names are two
// established names: both listed, not spellings of one name, and not the
// same name by the nickname table nick (nil: none).
func (g *GivenNames) Distinct(a, b string, nick *Nicknames) bool {
	if a == b {
		return false
	}
	ga, oka := g.group[a]
	gb, okb := g.group[b]
	if !oka || !okb || ga == gb {
		return false
	}
	return nick == nil || !nick.Same(a, b)
}
