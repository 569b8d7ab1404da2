package certificate

import (
	"math"
	"strconv"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// Fast paths for the figures of a certificate. footprint.CO2e.String and
// shopspring's comparisons go through big.Int arithmetic; signing and
// verifying a certificate must cost little more than the signature itself,
// so figures whose coefficient fits 15 digits are handled in int64.
// CO2e.Kg is read rather than CO2e.Grams: kg is footprint's base unit, so
// Kg returns the stored decimal without allocating, where Grams copies it.
// Every fast path falls back to the general code when a figure does not
// fit, and tests compare both over random values.

// small returns d's coefficient and exponent when the coefficient has at
// most 15 digits.
func small(d decimal.Decimal) (c int64, exp int32, ok bool) {
	if d.NumDigits() > 15 {
		return 0, 0, false
	}
	return d.CoefficientInt64(), d.Exponent(), true
}

// appendDecimal appends d as decimal.Decimal.String writes it (plain
// notation, trailing fractional zeros trimmed).
func appendDecimal(b []byte, d decimal.Decimal) []byte {
	c, exp, ok := small(d)
	if !ok || exp > 6 || exp < -30 {
		return append(b, d.String()...)
	}
	return appendCoefficient(b, c, exp)
}

// appendCoefficient appends c × 10^exp in decimal.Decimal.String's form.
func appendCoefficient(b []byte, c int64, exp int32) []byte {
	if c == 0 {
		return append(b, '0')
	}
	for exp < 0 && c%10 == 0 {
		c /= 10
		exp++
	}
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	if exp >= 0 {
		b = strconv.AppendInt(b, c, 10)
		for ; exp > 0; exp-- {
			b = append(b, '0')
		}
		return b
	}
	var tmp [24]byte
	digits := strconv.AppendInt(tmp[:0], c, 10)
	frac := int(-exp)
	if len(digits) <= frac {
		b = append(b, '0', '.')
		for i := len(digits); i < frac; i++ {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	b = append(b, digits[:len(digits)-frac]...)
	b = append(b, '.')
	return append(b, digits[len(digits)-frac:]...)
}

// appendCO2e appends q's JSON string, identical to q.String().
func appendCO2e(b []byte, q footprint.CO2e) []byte {
	c, exp, ok := small(q.Kg())
	if !ok || exp < -30 || exp > 6 {
		// footprint's own form (it may choose grams for tiny figures).
		return appendJSONString(b, q.String())
	}
	b = append(b, '"')
	b = appendCoefficient(b, c, exp)
	return append(b, " kg CO2e\""...)
}

// kgFixed returns q as an integer count of 1e-9 kg, when representable.
func kgFixed(q footprint.CO2e) (int64, bool) {
	c, exp, ok := small(q.Kg())
	if !ok {
		return 0, false
	}
	return scaleFixed(c, exp)
}

// nanoScale is the fixed point of the fast consistency checks: 1e-9 kg
// (a microgram).
const nanoScale = -9

// fixed returns d (in kg or g, any unit) as an integer count of 10^-9 of
// that unit, when it is representable without overflow or rounding.
func fixed(d decimal.Decimal) (int64, bool) {
	c, exp, ok := small(d)
	if !ok {
		return 0, false
	}
	return scaleFixed(c, exp)
}

// scaleFixed returns c × 10^exp as a count of 10^-9, when exact.
func scaleFixed(c int64, exp int32) (int64, bool) {
	switch {
	case exp >= nanoScale:
		for ; exp > nanoScale; exp-- {
			if c > math.MaxInt64/10 || c < math.MinInt64/10 {
				return 0, false
			}
			c *= 10
		}
		return c, true
	default:
		for ; exp < nanoScale; exp++ {
			if c%10 != 0 {
				return 0, false
			}
			c /= 10
		}
		return c, true
	}
}

// addFixed adds with an overflow check.
func addFixed(a, b int64) (int64, bool) {
	s := a + b
	if (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0) {
		return 0, false
	}
	return s, true
}
