package offset

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// randomDecimal returns a decimal of 1 to 21 digits (so around the
// 18-digit limit of scaled), either sign, exponent from -45 to 15 (inside
// and outside coefLimits' range).
func randomDecimal(r *rand.Rand) decimal.Decimal {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteByte('-')
	}
	n := 1 + r.IntN(21)
	if r.IntN(4) == 0 {
		n = 18 + r.IntN(2) // the boundary
	}
	for i := range n {
		d := byte('0' + r.IntN(10))
		if i == 0 && n > 1 {
			d = byte('1' + r.IntN(9))
		}
		if r.IntN(5) == 0 {
			d = '9'
		}
		b.WriteByte(d)
	}
	c := decimal.RequireFromString(b.String())
	return c.Shift(int32(r.IntN(61) - 45))
}

// toScaled, cmpScaled and the gram conversions agree with decimal
// arithmetic.
func TestScaledAgreesWithDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 14))
	for range 20000 {
		a, b := randomDecimal(r), randomDecimal(r)
		sa, okA := toScaled(a)
		if okA != (a.NumDigits() <= 18) {
			t.Fatalf("toScaled(%v) ok %v, %d digits", a, okA, a.NumDigits())
		}
		if okA && !sa.decimal().Equal(a) {
			t.Fatalf("toScaled(%v) = %v", a, sa)
		}
		if sb, okB := toScaled(b); okA && okB {
			if got, want := cmpScaled(sa, sb), a.Cmp(b); got != want {
				t.Fatalf("cmpScaled(%v, %v) = %d, want %d", a, b, got, want)
			}
			if got, want := cmpScaled(sa, sa), 0; got != want {
				t.Fatalf("cmpScaled(%v, itself) = %d", a, got)
			}
		}
		q := footprint.KgCO2e(a.Abs())
		g, exact, ok := ceilGrams(q)
		grams := q.Grams()
		wantCeil := grams.Ceil()
		fits := wantCeil.LessThanOrEqual(decimal.NewFromInt(1<<63 - 1))
		if ok != fits || (ok && (g != wantCeil.IntPart() || exact != grams.Equal(wantCeil))) {
			t.Fatalf("ceilGrams(%v kg) = %d, %v, %v; want %v, exact %v, fits %v", a.Abs(), g, exact, ok, wantCeil, grams.Equal(wantCeil), fits)
		}
	}
	if _, ok := toScaled(decimal.Decimal{}); !ok {
		t.Error("zero value decimal")
	}
}
