package footprint

// This file holds num, the exact decimal Calculate works in. A num is
// coefficient × 10^exp with a 128-bit coefficient held in two machine words,
// so the sums and products of a footprint cost no allocation; an operation
// whose result does not fit falls back to shopspring/decimal and stays
// exact. Nothing here rounds: every operation is exact.

import (
	"math"
	"math/big"
	"math/bits"
	"reflect"
	"strconv"
	"unsafe"

	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/shopspring/decimal"
)

// num is an exact decimal. When bd is nil the value is
// (-1)^neg × (hi·2^64 + lo) × 10^exp; otherwise it is *bd. The zero value is 0.
//
// exp and neg share an embedded struct so that num has four fields: the
// compiler keeps a struct of at most four fields in registers, where a
// fifth field would put every num in memory and make each copy of one
// stall on store forwarding.
type num struct {
	hi, lo uint64
	numSign
	bd *decimal.Decimal // non-nil: the value is *bd (the fallback)
}

type numSign struct {
	exp int32
	neg bool
}

func bigNum(d decimal.Decimal) num { return num{bd: &d} }

// maxExp bounds the exponent of a small num; beyond it arithmetic moves to
// the decimal fallback.
const maxExp = 1 << 20

// pow10 holds 10^0 … 10^38 as 128-bit values (hi, lo).
var pow10 = func() (t [39][2]uint64) {
	t[0] = [2]uint64{0, 1}
	for i := 1; i < len(t); i++ {
		hi, lo, ok := mul128(t[i-1][0], t[i-1][1], 0, 10)
		if !ok {
			panic("pow10")
		}
		t[i] = [2]uint64{hi, lo}
	}
	return t
}()

// numOf converts a decimal without allocating when its coefficient fits in
// 128 bits.
func numOf(d decimal.Decimal) num {
	if decimalLayoutOK {
		v := (*decimalRep)(unsafe.Pointer(&d)).value
		if v == nil {
			return num{}
		}
		// (the result is built in one literal: filling in a num field by
		// field costs a store-forwarding stall when it is returned)
		switch w := v.Bits(); len(w) {
		case 0:
			return num{}
		case 1:
			return num{lo: uint64(w[0]), numSign: numSign{exp: d.Exponent(), neg: v.Sign() < 0}}
		case 2:
			return num{hi: uint64(w[1]), lo: uint64(w[0]), numSign: numSign{exp: d.Exponent(), neg: v.Sign() < 0}}
		}
		return bigNum(d)
	}
	return numOfSlow(d)
}

// numOfSlow is numOf through the decimal package's API alone.
func numOfSlow(d decimal.Decimal) num {
	if d.Sign() == 0 {
		return num{}
	}
	if d.NumDigits() <= 18 {
		c := d.CoefficientInt64()
		n := num{numSign: numSign{exp: d.Exponent()}}
		if c < 0 {
			n.neg = true
			n.lo = uint64(-c)
		} else {
			n.lo = uint64(c)
		}
		return n
	}
	return bigNum(d)
}

// numDigits returns the number of decimal digits of d's coefficient (1
// for zero), exactly and without floating point.
func numDigits(d decimal.Decimal) int {
	n := numOf(d)
	if n.bd != nil {
		return d.NumDigits() // beyond 128 bits: the decimal package's exact path
	}
	k := 1
	for k < len(pow10) && !lessPow10(n.hi, n.lo, k) {
		k++
	}
	return k
}

// lessPow10 reports whether hi·2^64+lo < 10^k.
func lessPow10(hi, lo uint64, k int) bool {
	p := pow10[k]
	return hi < p[0] || (hi == p[0] && lo < p[1])
}

// The decimal bridge. A decimal.Decimal (shopspring/decimal v1.4) is a
// pointer to an immutable big.Int coefficient and an int32 exponent; the
// package offers no way to read the coefficient or to build a Decimal
// around a big.Int without copying it. Calculate reads coefficients
// directly (numOf) and builds the decimals of a footprint from one block of
// memory (decArena) instead of two allocations per decimal. Both rely on
// the layout, which decimalLayoutOK checks once by reflection and by a
// round trip; if the layout ever differs, numOfSlow and num.dec are used
// and the results are the same.

// decimalRep mirrors decimal.Decimal.
type decimalRep struct {
	value *big.Int
	exp   int32
}

// decimalLayoutOK reports whether decimal.Decimal is laid out as decimalRep
// on this platform (64-bit words).
var decimalLayoutOK = checkDecimalLayout()

func checkDecimalLayout() bool {
	t := reflect.TypeFor[decimal.Decimal]()
	if bits.UintSize != 64 || t.Size() != unsafe.Sizeof(decimalRep{}) || t.NumField() != 2 {
		return false
	}
	v, e := t.Field(0), t.Field(1)
	if v.Name != "value" || v.Type != reflect.TypeFor[*big.Int]() || v.Offset != unsafe.Offsetof(decimalRep{}.value) ||
		e.Name != "exp" || e.Type != reflect.TypeFor[int32]() || e.Offset != unsafe.Offsetof(decimalRep{}.exp) {
		return false
	}
	// round trip both ways
	d := decimal.New(-12345, -2)
	r := (*decimalRep)(unsafe.Pointer(&d))
	if r.value == nil || r.value.Int64() != -12345 || r.exp != -2 {
		return false
	}
	b := big.NewInt(-98765)
	back := *(*decimal.Decimal)(unsafe.Pointer(&decimalRep{value: b, exp: 3}))
	return back.String() == "-98765000" && back.Exponent() == 3
}

// decArena hands out the decimals of one footprint: their big.Int
// coefficients come from one block and the coefficients' words from
// another (which holds no pointers). The decimals are never modified after
// they are built (decimal.Decimal values are immutable), so sharing a block
// is safe. The blocks are used up by index, so that handing out a decimal
// stores only the coefficient's own pointer (each pointer stored costs a
// write barrier while the garbage collector marks).
type decArena struct {
	ints  []big.Int
	words []big.Word
	ni    int // ints used
	nw    int // words used
}

// dec returns a as a decimal.
func (ar *decArena) dec(a num) decimal.Decimal {
	if a.bd != nil {
		return *a.bd
	}
	if a.hi == 0 && a.lo == 0 {
		return decimal.Zero
	}
	if !decimalLayoutOK {
		return a.dec()
	}
	n := 1
	if a.hi != 0 {
		n = 2
	}
	if ar.ni == len(ar.ints) {
		ar.ints, ar.ni = make([]big.Int, 16), 0
	}
	if ar.nw+n > len(ar.words) {
		ar.words, ar.nw = make([]big.Word, 32), 0
	}
	w := ar.words[ar.nw : ar.nw+n : ar.nw+n]
	ar.nw += n
	w[0] = big.Word(a.lo)
	if n == 2 {
		w[1] = big.Word(a.hi)
	}
	z := &ar.ints[ar.ni]
	ar.ni++
	z.SetBits(w)
	if a.neg {
		z.Neg(z)
	}
	return *(*decimal.Decimal)(unsafe.Pointer(&decimalRep{value: z, exp: a.exp}))
}

// reserve makes room for n decimals.
func (ar *decArena) reserve(n int) {
	if len(ar.ints)-ar.ni < n {
		ar.ints, ar.ni = make([]big.Int, n), 0
		ar.words, ar.nw = make([]big.Word, n+n/4), 0
	}
}

// numInt returns the integer v.
func numInt(v int64) num {
	if v < 0 {
		return num{lo: uint64(-v), numSign: numSign{neg: true}}
	}
	return num{lo: uint64(v)}
}

// numE returns c × 10^exp.
func numE(c int64, exp int32) num {
	n := numInt(c)
	n.exp = exp
	return n
}

func (a num) isZero() bool {
	if a.bd != nil {
		return a.bd.IsZero()
	}
	return a.hi == 0 && a.lo == 0
}

func (a num) sign() int {
	switch {
	case (a.bd != nil):
		return a.bd.Sign()
	case a.hi == 0 && a.lo == 0:
		return 0
	case a.neg:
		return -1
	default:
		return 1
	}
}

// dec returns the value as a decimal (allocating).
func (a num) dec() decimal.Decimal {
	if a.bd != nil {
		return *a.bd
	}
	if a.hi == 0 && a.lo == 0 {
		return decimal.Zero
	}
	if a.hi == 0 && a.lo <= math.MaxInt64 {
		c := int64(a.lo)
		if a.neg {
			c = -c
		}
		return decimal.New(c, a.exp)
	}
	var b big.Int
	b.SetUint64(a.hi)
	b.Lsh(&b, 64)
	var l big.Int
	l.SetUint64(a.lo)
	b.Or(&b, &l)
	if a.neg {
		b.Neg(&b)
	}
	return decimal.NewFromBigInt(&b, a.exp)
}

// mul128 multiplies two unsigned 128-bit values; ok is false on overflow.
func mul128(ahi, alo, bhi, blo uint64) (hi, lo uint64, ok bool) {
	if ahi != 0 && bhi != 0 {
		return 0, 0, false
	}
	h, l := bits.Mul64(alo, blo)
	c1h, c1 := bits.Mul64(ahi, blo)
	c2h, c2 := bits.Mul64(alo, bhi)
	if c1h != 0 || c2h != 0 {
		return 0, 0, false
	}
	var carry uint64
	h, carry = bits.Add64(h, c1, 0)
	if carry != 0 {
		return 0, 0, false
	}
	h, carry = bits.Add64(h, c2, 0)
	if carry != 0 {
		return 0, 0, false
	}
	return h, l, true
}

func (a num) mul(b num) num {
	if !(a.bd != nil) && !(b.bd != nil) {
		if (a.hi == 0 && a.lo == 0) || (b.hi == 0 && b.lo == 0) {
			return num{}
		}
		e := int64(a.exp) + int64(b.exp)
		if e > -maxExp && e < maxExp {
			hi, lo, ok := mul128(a.hi, a.lo, b.hi, b.lo)
			if ok {
				return num{hi: hi, lo: lo, numSign: numSign{exp: int32(e), neg: a.neg != b.neg}}
			}
		}
	}
	return bigNum(a.dec().Mul(b.dec()))
}

// scaled returns a's coefficient multiplied by 10^k (k ≥ 0).
func (a num) scaled(k int64) (hi, lo uint64, ok bool) {
	if k == 0 {
		return a.hi, a.lo, true
	}
	if k >= int64(len(pow10)) {
		return 0, 0, false
	}
	p := pow10[k]
	return mul128(a.hi, a.lo, p[0], p[1])
}

func (a num) add(b num) num {
	if !(a.bd != nil) && !(b.bd != nil) {
		if b.hi == 0 && b.lo == 0 {
			return a
		}
		if a.hi == 0 && a.lo == 0 {
			return b
		}
		ahi, alo, bhi, blo := a.hi, a.lo, b.hi, b.lo
		exp := a.exp
		ok := true
		switch {
		case a.exp > b.exp:
			ahi, alo, ok = a.scaled(int64(a.exp) - int64(b.exp))
			exp = b.exp
		case b.exp > a.exp:
			bhi, blo, ok = b.scaled(int64(b.exp) - int64(a.exp))
		}
		if ok {
			if a.neg == b.neg {
				lo, c := bits.Add64(alo, blo, 0)
				hi, c2 := bits.Add64(ahi, bhi, c)
				if c2 == 0 {
					return num{hi: hi, lo: lo, numSign: numSign{exp: exp, neg: a.neg}}
				}
			} else {
				// subtract the smaller magnitude from the larger
				neg := a.neg
				if bhi > ahi || (bhi == ahi && blo > alo) {
					ahi, alo, bhi, blo = bhi, blo, ahi, alo
					neg = b.neg
				}
				lo, br := bits.Sub64(alo, blo, 0)
				hi, _ := bits.Sub64(ahi, bhi, br)
				if hi == 0 && lo == 0 {
					return num{}
				}
				return num{hi: hi, lo: lo, numSign: numSign{exp: exp, neg: neg}}
			}
		}
	}
	return bigNum(a.dec().Add(b.dec()))
}

func (a num) negate() num {
	if a.bd != nil {
		return bigNum(a.bd.Neg())
	}
	if a.hi == 0 && a.lo == 0 {
		return a
	}
	a.neg = !a.neg
	return a
}

func (a num) abs() num {
	if a.sign() < 0 {
		return a.negate()
	}
	return a
}

func (a num) sub(b num) num { return a.add(b.negate()) }

// cmp compares a and b.
func (a num) cmp(b num) int {
	if a.bd == nil && b.bd == nil {
		sa, sb := a.sign(), b.sign()
		switch {
		case sa != sb:
			if sa < sb {
				return -1
			}
			return 1
		case sa == 0:
			return 0
		}
		ahi, alo, bhi, blo := a.hi, a.lo, b.hi, b.lo
		ok := true
		switch {
		case a.exp > b.exp:
			ahi, alo, ok = a.scaled(int64(a.exp) - int64(b.exp))
		case b.exp > a.exp:
			bhi, blo, ok = b.scaled(int64(b.exp) - int64(a.exp))
		}
		if ok {
			m := 0
			switch {
			case ahi > bhi || (ahi == bhi && alo > blo):
				m = 1
			case ahi < bhi || (ahi == bhi && alo < blo):
				m = -1
			}
			return m * sa
		}
	}
	return a.sub(b).sign()
}

func minNum(a, b num) num {
	if a.cmp(b) <= 0 {
		return a
	}
	return b
}

func maxNum(a, b num) num {
	if a.cmp(b) >= 0 {
		return a
	}
	return b
}

// div divides as dec.Div does (exact when the quotient terminates within
// dec.DivPrecision places, otherwise rounded half away from zero there).
// Used only where a quotient is unavoidable: a die area of capacity ÷
// density, a partial year of a yearly energy.
func (a num) div(b num) num {
	if q, ok := a.divFast(b); ok {
		return q
	}
	return numTrim(dec.Div(a.dec(), b.dec()))
}

// divFast divides by long division, giving exactly what dec.Div gives: the
// quotient when it terminates within dec.DivPrecision places, otherwise
// rounded there half away from zero (as decimal.DivRound does). ok is false
// when the operands do not suit it (a divisor wider than 64 bits, extreme
// exponents, overflow).
//
// The division runs up to 19 digits at a time (r × 10^k fits 128 bits and
// its quotient by the divisor 64 bits, as r < divisor and 10^k < 2^64); the
// digits are those of a digit-by-digit division, which stops at the first
// zero remainder, so the zeros a step writes after the remainder runs out
// are removed.
func (a num) divFast(b num) (num, bool) {
	if (a.bd != nil) || (b.bd != nil) || b.hi != 0 || b.lo == 0 {
		return num{}, false
	}
	if a.hi == 0 && a.lo == 0 {
		return num{}, true
	}
	exp := int64(a.exp) - int64(b.exp)
	if exp < -dec.DivPrecision || exp > maxExp {
		return num{}, false
	}
	d := b.lo
	qhi := a.hi / d
	r := a.hi % d
	qlo, r := bits.Div64(r, a.lo, d)
	exp0 := exp
	for r != 0 && exp > -dec.DivPrecision {
		k := min(19, exp+dec.DivPrecision)
		p := pow10[k][1]
		h, l, ok := mul128(qhi, qlo, 0, p)
		if !ok {
			return num{}, false
		}
		rh, rl := bits.Mul64(r, p)
		chunk, rem := bits.Div64(rh, rl, d)
		var c uint64
		l, c = bits.Add64(l, chunk, 0)
		h, c = bits.Add64(h, 0, c)
		if c != 0 {
			return num{}, false
		}
		qhi, qlo, r = h, l, rem
		exp -= k
	}
	if r == 0 {
		for exp < exp0 {
			qh, rh := qhi/10, qhi%10
			ql, rl := bits.Div64(rh, qlo, 10)
			if rl != 0 {
				break
			}
			qhi, qlo = qh, ql
			exp++
		}
	} else if r >= d-r { // remainder ≥ half the divisor: away from zero
		var c uint64
		qlo, c = bits.Add64(qlo, 1, 0)
		qhi += c
	}
	if qhi == 0 && qlo == 0 {
		return num{}, true
	}
	return num{hi: qhi, lo: qlo, numSign: numSign{exp: int32(exp), neg: a.neg != b.neg}}, true
}

// numTrim converts a decimal, dropping trailing zeros of its coefficient
// (a quotient at 30 places, such as 5.000…0) so that it fits the small form.
func numTrim(d decimal.Decimal) num {
	if d.Sign() == 0 {
		return num{}
	}
	if d.NumDigits() <= 18 && d.Exponent() >= 0 {
		return numOf(d)
	}
	c := d.Coefficient()
	exp := d.Exponent()
	var q, r big.Int
	ten := big.NewInt(10)
	for exp < 0 {
		q.QuoRem(c, ten, &r)
		if r.Sign() != 0 {
			break
		}
		c.Set(&q)
		exp++
	}
	neg := c.Sign() < 0
	c.Abs(c)
	if c.BitLen() > 128 {
		return bigNum(d)
	}
	var lo, hi uint64
	words := c.Bits()
	if bits.UintSize == 64 {
		if len(words) > 0 {
			lo = uint64(words[0])
		}
		if len(words) > 1 {
			hi = uint64(words[1])
		}
	} else {
		return numOf(decimal.NewFromBigInt(c, exp).Mul(decimal.NewFromInt(1 - 2*boolInt(neg))))
	}
	return num{hi: hi, lo: lo, numSign: numSign{exp: exp, neg: neg}}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// parseNum reads a plain decimal string (the syntax of dec.Parse) without
// allocating when it has at most 38 digits.
func parseNum(s string) (num, error) {
	if s == "" || len(s) > dec.MaxLen {
		_, err := dec.Parse(s)
		return num{}, err
	}
	i := 0
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		i++
	}
	var hi, lo uint64
	digits, frac := 0, 0
	point := false
	intDigits := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if point {
				frac++
			} else {
				intDigits++
			}
			var ok bool
			hi, lo, ok = mul128(hi, lo, 0, 10)
			if !ok || digits > 38 {
				d, err := dec.Parse(s)
				if err != nil {
					return num{}, err
				}
				return numOf(d), nil
			}
			var carry uint64
			lo, carry = bits.Add64(lo, uint64(c-'0'), 0)
			hi += carry
		case c == '.' && !point:
			point = true
		default:
			return num{}, dec.ErrSyntax
		}
	}
	if digits == 0 || intDigits == 0 || (point && frac == 0) {
		return num{}, dec.ErrSyntax
	}
	if hi == 0 && lo == 0 {
		return num{}, nil
	}
	return num{hi: hi, lo: lo, numSign: numSign{exp: int32(-frac), neg: neg}}, nil
}

// fitsFigure reports whether a prints in at most dec.MaxFigureLen
// characters. A 128-bit coefficient has at most 39 digits, so a small num
// whose exponent is not far from zero fits without being printed.
func (a num) fitsFigure() bool {
	if a.bd == nil {
		if e := a.exp; e > -(dec.MaxFigureLen-42) && e < dec.MaxFigureLen-42 {
			return true
		}
		var buf [64]byte
		return len(appendNum(buf[:0], a)) <= dec.MaxFigureLen
	}
	return len(a.bd.String()) <= dec.MaxFigureLen
}

// appendNum appends the value as decimal.String would print it (plain
// notation, trailing fractional zeros removed).
func appendNum(dst []byte, a num) []byte {
	if a.bd != nil {
		return append(dst, a.bd.String()...)
	}
	if a.hi == 0 && a.lo == 0 {
		return append(dst, '0')
	}
	if a.neg {
		dst = append(dst, '-')
	}
	if a.exp == 0 && a.hi == 0 {
		return strconv.AppendUint(dst, a.lo, 10)
	}
	var buf [40]byte
	digits := digits128(&buf, a.hi, a.lo)
	if a.exp >= 0 {
		dst = append(dst, digits...)
		for i := int32(0); i < a.exp; i++ {
			dst = append(dst, '0')
		}
		return dst
	}
	f := int(-a.exp)
	// trim trailing zeros of the fraction
	end := len(digits)
	for f > 0 && digits[end-1] == '0' {
		end--
		f--
	}
	digits = digits[:end]
	if f == 0 {
		return append(dst, digits...)
	}
	if len(digits) > f {
		dst = append(dst, digits[:len(digits)-f]...)
		dst = append(dst, '.')
		return append(dst, digits[len(digits)-f:]...)
	}
	dst = append(dst, '0', '.')
	for i := len(digits); i < f; i++ {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}

// digits128 writes the decimal digits of hi·2^64+lo (non-zero) at the end
// of buf and returns them.
func digits128(buf *[40]byte, hi, lo uint64) []byte {
	i := len(buf)
	for hi != 0 {
		// divide (hi, lo) by 10^19 and emit 19 digits of the remainder
		const p19 = 10_000_000_000_000_000_000
		qhi := hi / p19
		r := hi % p19
		qlo, rem := bits.Div64(r, lo, p19)
		hi, lo = qhi, qlo
		for k := 0; k < 19; k++ {
			i--
			buf[i] = byte('0' + rem%10)
			rem /= 10
		}
	}
	for lo >= 100 {
		q := lo / 100
		d := lo - q*100
		i -= 2
		buf[i], buf[i+1] = byte('0'+d/10), byte('0'+d%10)
		lo = q
	}
	if lo >= 10 {
		i -= 2
		buf[i], buf[i+1] = byte('0'+lo/10), byte('0'+lo%10)
	} else if lo > 0 {
		i--
		buf[i] = byte('0' + lo)
	}
	return buf[i:]
}
