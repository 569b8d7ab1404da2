package footprint

import (
	"bytes"
	"encoding/json"
	"math/big"
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
