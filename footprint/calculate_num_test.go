package footprint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// The decimal bridge (numOf reading a decimal's coefficient, decArena
// building decimals) must agree with the decimal package's own API, and a
// footprint must not depend on whether the bridge is in use.

func TestDecimalBridge(t *testing.T) {
	if !decimalLayoutOK {
		t.Skip("decimal.Decimal layout not recognised: the bridge is off and the slow paths are used")
	}
	r := rand.New(rand.NewPCG(5, 8))
	var ar decArena
	for i := 0; i < 20000; i++ {
		var d decimal.Decimal
		switch r.IntN(5) {
		case 0:
			d = decimal.New(r.Int64()>>uint(r.IntN(64)), -int32(r.IntN(40)))
		case 1:
			d = decimal.New(-r.Int64N(1e9), int32(r.IntN(20)))
		case 2: // 19 to 45 digits: one, two and three words
			b := new(big.Int)
			for k := 19 + r.IntN(27); k > 0; k-- {
				b.Mul(b, big.NewInt(10))
				b.Add(b, big.NewInt(r.Int64N(10)))
			}
			if r.IntN(2) == 0 {
				b.Neg(b)
			}
			d = decimal.NewFromBigInt(b, -int32(r.IntN(30)))
		case 3:
			d = decimal.Decimal{} // nil coefficient
		default:
			d = decimal.New(0, int32(r.IntN(9)))
		}
		n, slow := numOf(d), numOfSlow(d)
		if !n.dec().Equal(d) || !slow.dec().Equal(d) {
			t.Fatalf("numOf(%s) = %s, numOfSlow = %s", d, n.dec(), slow.dec())
		}
		if got := numDigits(d); got != len(new(big.Int).Abs(d.Coefficient()).String()) {
			t.Fatalf("numDigits(%s) = %d", d, got)
		}
		a := ar.dec(n)
		if !a.Equal(d) || a.String() != d.String() {
			t.Fatalf("arena decimal %s, want %s", a, d)
		}
		if n.bd == nil && n.hi == 0 && n.lo == 0 && !a.Equal(decimal.Zero) {
			t.Fatalf("arena zero = %s", a)
		}
		// decimals built by the arena are ordinary decimals
		if s := a.Add(decOne).Sub(decOne); !s.Equal(d) {
			t.Fatalf("arithmetic on arena decimal %s gave %s", a, s)
		}
	}
}

func TestCalculateWithoutDecimalBridge(t *testing.T) {
	if !decimalLayoutOK {
		t.Skip("the bridge is already off")
	}
	ds := calcDataset(t)
	r := rand.New(rand.NewPCG(77, 3))
	specs := make([]ProductSpec, 200)
	want := make([][]byte, len(specs))
	for i := range specs {
		specs[i] = randomSpec(r)
		fp, err := Calculate(specs[i], ds)
		if err != nil {
			t.Fatal(err)
		}
		want[i], _ = json.Marshal(fp)
	}
	decimalLayoutOK = false
	defer func() { decimalLayoutOK = true }()
	for i := range specs {
		fp, err := Calculate(specs[i], ds)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := json.Marshal(fp); !bytes.Equal(got, want[i]) {
			t.Fatalf("spec %d: footprint differs without the decimal bridge:\n%s\n%s", i, got, want[i])
		}
	}
}

// divDigits is the digit-by-digit long division divFast replaced: divFast
// must give the same coefficient and exponent, not just the same value.
func divDigits(a, b num) (num, bool) {
	if (a.bd != nil) || (b.bd != nil) || b.hi != 0 || b.lo == 0 {
		return num{}, false
	}
	if a.hi == 0 && a.lo == 0 {
		return num{}, true
	}
	exp := int64(a.exp) - int64(b.exp)
	if exp < -30 || exp > maxExp {
		return num{}, false
	}
	d := b.lo
	qhi := a.hi / d
	r := a.hi % d
	qlo, r := bits.Div64(r, a.lo, d)
	for r != 0 && exp > -30 {
		h, l, ok := mul128(qhi, qlo, 0, 10)
		if !ok {
			return num{}, false
		}
		rh, rl := bits.Mul64(r, 10)
		digit, rem := bits.Div64(rh, rl, d)
		var c uint64
		l, c = bits.Add64(l, digit, 0)
		h += c
		qhi, qlo, r = h, l, rem
		exp--
	}
	if r != 0 && r >= d-r {
		var c uint64
		qlo, c = bits.Add64(qlo, 1, 0)
		qhi += c
	}
	if qhi == 0 && qlo == 0 {
		return num{}, true
	}
	return num{hi: qhi, lo: qlo, numSign: numSign{exp: int32(exp), neg: a.neg != b.neg}}, true
}

func TestDivFastMatchesDigitByDigit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 14))
	for i := 0; i < 200000; i++ {
		var a, b decimal.Decimal
		switch r.IntN(4) {
		case 0: // small operands, often terminating
			a = decimal.New(r.Int64N(100000), -int32(r.IntN(6)))
			b = decimal.New(1+r.Int64N(1000), -int32(r.IntN(4)))
		case 1: // powers of 2 and 5 in the divisor: terminating after a few digits
			a = decimal.New(r.Int64N(1e12)-5e11, -int32(r.IntN(10)))
			b = decimal.New(int64(1)<<r.IntN(40)*[]int64{1, 5, 25, 125, 625}[r.IntN(5)], -int32(r.IntN(8)))
		case 2: // wide dividends
			a = decimal.New(r.Int64(), -int32(r.IntN(20)))
			b = decimal.New(1+r.Int64(), -int32(r.IntN(20)))
		default: // 128-bit dividends
			x := new(big.Int).Lsh(big.NewInt(r.Int64()), uint(r.IntN(60)))
			a = decimal.NewFromBigInt(x, -int32(r.IntN(30)))
			b = decimal.New(1+r.Int64N(1e6), -int32(r.IntN(6)))
		}
		if b.IsZero() {
			continue
		}
		na, nb := numOf(a), numOf(b)
		got, ok1 := na.divFast(nb)
		want, ok2 := divDigits(na, nb)
		if ok1 != ok2 || (ok1 && got != want) {
			// divFast may overflow where the digit-by-digit division does
			// not (it multiplies by up to 10^19 at a step); then div falls
			// back to dec.Div, which gives the same value
			if !ok1 && ok2 {
				if q := na.div(nb); !q.dec().Equal(want.dec()) {
					t.Fatalf("%s ÷ %s: fallback %s, want %s", a, b, q.dec(), want.dec())
				}
				continue
			}
			t.Fatalf("%s ÷ %s: divFast %+v %v, digit by digit %+v %v", a, b, got, ok1, want, ok2)
		}
		if ok1 && !got.dec().Equal(a.DivRound(b, 30)) {
			t.Fatalf("%s ÷ %s = %s, want %s", a, b, got.dec(), a.DivRound(b, 30))
		}
	}
}

// Calculate reads component attributes from what validation recorded for
// bills of materials of up to 16 components and from the maps beyond; both
// must give the digest of CanonicalJSON and the lines Factor.ApplyLinear
// gives.
func TestAttributesRecordedOrRead(t *testing.T) {
	ds := calcDataset(t)
	r := rand.New(rand.NewPCG(21, 4))
	for _, n := range []int{1, 6, 16, 17, 30} {
		s := laptopBase()
		b := &BillOfMaterials{}
		for i := 0; i < n; i++ {
			switch i % 3 {
			case 0:
				b.Components = append(b.Components, Component{Kind: "cpu", Quantity: decimal.NewFromInt(1 + r.Int64N(3)), Attributes: map[string]string{"die_area": randDec(r, 300, 1).String(), "unused": "1"}})
			case 1:
				b.Components = append(b.Components, Component{Kind: "ram", Quantity: decimal.NewFromInt(1 + r.Int64N(3)), Attributes: map[string]string{"density": randDec(r, 3, 2).String(), "capacity": randDec(r, 32, 0).String()}})
			default:
				b.Components = append(b.Components, Component{Kind: "mainboard", Quantity: decimal.NewFromInt(1)})
			}
		}
		s.Manufacture = Manufacture{BOM: b}
		fp, err := Calculate(s, ds)
		if err != nil {
			t.Fatal(err)
		}
		canon, err := s.CanonicalJSON(ds)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(canon); fp.InputDigest != "sha256:"+hex.EncodeToString(sum[:]) {
			t.Fatalf("%d components: digest %s is not the SHA-256 of CanonicalJSON", n, fp.InputDigest)
		}
		lines := fp.Stage(StageManufacture).Lines
		for i, c := range b.Components {
			f, _ := ds.Factor(lines[i].Factor.ID)
			want, err := f.Apply(Items(decimal.NewFromInt(1)))
			if f.IsLinear() {
				attrs := map[string]decimal.Decimal{}
				for k, v := range c.Attributes {
					attrs[k] = decimal.RequireFromString(v)
				}
				want, err = f.ApplyLinear(attrs)
			}
			if err != nil {
				t.Fatal(err)
			}
			want = want.Mul(c.Quantity)
			if !lines[i].CO2e.Equal(want) {
				t.Fatalf("%d components: line %d = %s, want %s", n, i, lines[i].CO2e, want)
			}
		}
	}
}
