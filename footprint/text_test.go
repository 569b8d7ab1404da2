package footprint

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// textOK agrees with its definition (valid UTF-8, no rune unicode.IsControl
// reports, at most max runes) on random strings built from the bytes that
// matter: ASCII, C0 and DEL, C1 controls as UTF-8 (C2 80 to C2 9F), other
// two-, three- and four-byte runes, and stray bytes.
func TestTextOKMatchesDefinition(t *testing.T) {
	pieces := []string{"a", "Z", " ", "~", "\t", "\x00", "\x1b", "\x7f", "\u0080", "\u0085", "\u009f", "\u00a0", "é", "\u2028", "→", "北", "🌱", "\xc2", "\xc2A", "\xff", "\x80", "\xed\xa0\x80"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		v := b.String()
		max := 4 + r.IntN(6)
		want := utf8.ValidString(v) && !strings.ContainsFunc(v, unicode.IsControl) && utf8.RuneCountInString(v) <= max
		if got := textOK(v, max); got != want {
			t.Fatalf("textOK(%q, %d) = %v, want %v", v, max, got, want)
		}
	}
}
