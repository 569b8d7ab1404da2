package offset

import (
	"math"
	"math/bits"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/shopspring/decimal"
)

// This file does the matching hot path's decimal arithmetic on int64
// coefficients (c × 10^e), exactly, falling back to shopspring decimals
// when a value does not fit. shopspring rescales through big.Int
// exponentiation, which would dominate the cost of a match.

// scaled is the exact decimal c × 10^e.
type scaled struct {
	c int64
	e int32
}

// toScaled returns d as a scaled value when its coefficient has at most 18
// digits. For the usual exponents it compares d with ±10^18 at d's own
// exponent (two big.Int comparisons, no allocation, no logarithm).
func toScaled(d decimal.Decimal) (scaled, bool) {
	e := d.Exponent()
	sign := d.Sign()
	if sign == 0 {
		return scaled{0, e}, true
	}
	if e >= minLimitExp && e <= maxLimitExp {
		l := &coefLimits[e-minLimitExp]
		if (sign > 0 && d.Cmp(l[0]) < 0) || (sign < 0 && d.Cmp(l[1]) > 0) {
			return scaled{d.CoefficientInt64(), e}, true
		}
		return scaled{}, false
	}
	if d.NumDigits() > 18 {
		return scaled{}, false
	}
	return scaled{d.CoefficientInt64(), e}, true
}

// Exponents for which coefLimits holds the bounds of an 18-digit
// coefficient.
const (
	minLimitExp = -40
	maxLimitExp = 10
)

// coefLimits[e-minLimitExp] is {10^18 × 10^e, −10^18 × 10^e}, each with
// exponent e, so comparing a decimal of exponent e with them compares
// coefficients directly. Immutable once built.
var coefLimits = func() (l [maxLimitExp - minLimitExp + 1][2]decimal.Decimal) {
	for i := range l {
		e := int32(i + minLimitExp)
		l[i] = [2]decimal.Decimal{decimal.New(1e18, e), decimal.New(-1e18, e)}
	}
	return l
}()

// gramsOf returns q in grams as a scaled value when its coefficient fits,
// without building a new decimal (q is stored in kilograms).
func gramsOf(q footprint.CO2e) (scaled, bool) {
	s, ok := toScaled(q.Kg())
	if !ok || s.e > math.MaxInt32-3 {
		return scaled{}, false
	}
	s.e += 3
	return s, true
}

// figureFits reports whether q, as a decimal of kg, is at most
// dec.MaxFigureLen characters long: the most a CO2e's JSON decoder reads.
// An int64 coefficient has at most 19 digits, so an exponent not far from
// zero fits without printing.
func figureFits(q footprint.CO2e) bool {
	if s, ok := toScaled(q.Kg()); ok && s.e > -(dec.MaxFigureLen-22) && s.e < dec.MaxFigureLen-22 {
		return true
	}
	return len(q.Kg().String()) <= dec.MaxFigureLen
}

// pow10 returns 10^n for 0 ≤ n ≤ 18.
func pow10(n int32) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// mulPow10 returns c × 10^n (n ≥ 0) and whether it fits in an int64.
func mulPow10(c int64, n int32) (int64, bool) {
	if c == 0 {
		return 0, true
	}
	if n > 18 {
		return 0, false
	}
	p := pow10(n)
	hi, lo := bits.Mul64(uint64(abs64(c)), uint64(p))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if c < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

func abs64(c int64) int64 {
	if c < 0 {
		return -c
	}
	return c
}

func sign64(c int64) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

// cmpScaled compares a and b exactly.
func cmpScaled(a, b scaled) int {
	if a.e == b.e {
		return cmpInt64(a.c, b.c)
	}
	if sa, sb := sign64(a.c), sign64(b.c); sa != sb || sa == 0 {
		return cmpInt(sa, sb)
	}
	// Same sign, non-zero: scale the one with the larger exponent down to
	// the other's; if that overflows its magnitude is the larger.
	if a.e > b.e {
		if x, ok := mulPow10(a.c, a.e-b.e); ok {
			return cmpInt64(x, b.c)
		}
		return sign64(a.c)
	}
	if x, ok := mulPow10(b.c, b.e-a.e); ok {
		return cmpInt64(a.c, x)
	}
	return -sign64(b.c)
}

func cmpInt(a, b int) int { return cmpInt64(int64(a), int64(b)) }

// ceilInt returns the smallest integer ≥ s, when it fits in an int64.
func ceilInt(s scaled) (int64, bool) {
	if s.e >= 0 {
		return mulPow10(s.c, s.e)
	}
	if s.e < -18 { // |c| < 10^19 ≤ 10^-e: 0 < |s| < 1
		if s.c > 0 {
			return 1, true
		}
		return 0, true
	}
	p := pow10(-s.e)
	q := s.c / p
	if s.c%p > 0 {
		q++
	}
	return q, true
}

// exactInt returns s as an int64 when it is an integer that fits.
func exactInt(s scaled) (int64, bool) {
	if s.e >= 0 {
		return mulPow10(s.c, s.e)
	}
	if s.e < -18 {
		return 0, s.c == 0
	}
	p := pow10(-s.e)
	return s.c / p, s.c%p == 0
}

// ceilGrams returns the whole grams at or above q, whether q is exactly
// that many grams, and whether they fit in an int64.
func ceilGrams(q footprint.CO2e) (g int64, exact, ok bool) {
	if s, fits := gramsOf(q); fits {
		if g, ok = ceilInt(s); !ok {
			return 0, false, false
		}
		e, isInt := exactInt(s)
		return g, isInt && e == g, true
	}
	d := q.Grams()
	c := d.Ceil()
	if c.GreaterThan(decimal.NewFromInt(math.MaxInt64)) || c.LessThan(decimal.NewFromInt(math.MinInt64)) {
		return 0, false, false
	}
	return c.IntPart(), c.Equal(d), true
}

// costOf returns price × grams / 10^6 as a scaled value when it fits.
func costOf(price scaled, grams int64) (scaled, bool) {
	if price.c < 0 || grams < 0 {
		return scaled{}, false
	}
	hi, lo := bits.Mul64(uint64(price.c), uint64(grams))
	if hi != 0 || lo > math.MaxInt64 {
		return scaled{}, false
	}
	return scaled{int64(lo), price.e - 6}, true
}

// addScaled returns a + b when it fits.
func addScaled(a, b scaled) (scaled, bool) {
	if a.e > b.e {
		a, b = b, a
	}
	// a has the smaller exponent: bring b down to it.
	x, ok := mulPow10(b.c, b.e-a.e)
	if !ok {
		return scaled{}, false
	}
	s := a.c + x
	if (x > 0 && s < a.c) || (x < 0 && s > a.c) {
		return scaled{}, false
	}
	return scaled{s, a.e}, true
}

func (s scaled) decimal() decimal.Decimal { return decimal.New(s.c, s.e) }

// ceilTo rounds s up (towards +∞) to places decimal places.
func ceilTo(s scaled, places int32) (scaled, bool) {
	if s.e >= -places {
		return s, true
	}
	shift := -places - s.e
	if shift > 18 {
		if s.c > 0 {
			return scaled{1, -places}, true
		}
		return scaled{0, -places}, true
	}
	q, _ := ceilInt(scaled{s.c, -shift})
	return scaled{q, -places}, true
}
