package referral

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The PDF embeds DejaVu fonts (Debian's fonts-dejavu-core 2.37; licence in
// fonts/LICENSE) so that names such as "Zoë Ó Briain" and "Łukasz" print
// as written; the PDF core fonts only cover Windows-1252.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontSansBold []byte
	//go:embed fonts/DejaVuSerif.ttf
	fontSerif []byte
)

// Font families registered with fpdf.
const (
	famSans  = "dejavusans"
	famSerif = "dejavuserif"
)

// fontFace is one embedded font and the runes it can draw. fpdf indexes a
// 65536-entry width table by rune and panics beyond it, and draws nothing
// for a rune the font lacks, so every string is first mapped onto what the
// font covers.
type fontFace struct {
	family, style string
	data          []byte
	covered       []uint64 // bit r set: the font has a glyph for rune r (r < 65536)
	replacement   rune
}

var (
	facesOnce sync.Once
	faces     map[string]*fontFace // family+style
	facesErr  error
)

func loadFaces() (map[string]*fontFace, error) {
	facesOnce.Do(func() {
		faces = map[string]*fontFace{}
		for _, f := range []*fontFace{
			{family: famSans, style: "", data: fontSans},
			{family: famSans, style: "B", data: fontSansBold},
			{family: famSerif, style: "", data: fontSerif},
		} {
			if err := f.scan(); err != nil {
				facesErr = fmt.Errorf("referral: font %s %s: %w", f.family, f.style, err)
				return
			}
			faces[f.family+f.style] = f
		}
	})
	return faces, facesErr
}

func (f *fontFace) scan() error {
	fnt, err := sfnt.Parse(f.data)
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	var buf sfnt.Buffer
	f.covered = make([]uint64, 65536/64)
	for r := rune(0x20); r < 65536; r++ {
		if r >= 0xD800 && r <= 0xDFFF { // surrogates are not characters
			continue
		}
		if gi, err := fnt.GlyphIndex(&buf, r); err == nil && gi != 0 {
			f.covered[r/64] |= 1 << (r % 64)
		}
	}
	f.replacement = '?'
	if f.has('\uFFFD') {
		f.replacement = '\uFFFD'
	}
	return nil
}

func (f *fontFace) has(r rune) bool {
	return r >= 0 && r < 65536 && f.covered[r/64]&(1<<(r%64)) != 0
}

// clean makes s safe to draw with the face: composed (NFC) so that accents
// sit on their letters, line ends as "\n", tabs and other control
// characters as spaces, format characters (bidi overrides) dropped, and
// runes the font lacks as the replacement character. Right-to-left scripts
// print in logical order without shaping: a known limit of fpdf.
func (f *fontFace) clean(s string) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			sb.WriteByte('\n')
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			sb.WriteByte(' ')
		case unicode.Is(unicode.Cf, r):
			// format characters (bidi overrides, zero-width joiners, soft
			// hyphens) are invisible or reorder what follows: drop them
		case f.has(r):
			sb.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
			// a combining mark the font lacks: drop it
		default:
			sb.WriteRune(f.replacement)
		}
	}
	return sb.String()
}
