package certificate

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	mrand "math/rand/v2"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/jcs"
	"github.com/shopspring/decimal"
)

// randomDecimal draws coefficients and exponents around the edges of the
// fast paths (15 digits, exponents -30..+8, the 1e-9 fixed point).
func randomDecimal(rng *mrand.Rand) decimal.Decimal {
	var c int64
	switch rng.IntN(4) {
	case 0:
		c = rng.Int64N(1000)
	case 1:
		c = rng.Int64N(1_000_000_000_000_000)
	case 2:
		c = rng.Int64()
	default:
		c = rng.Int64N(10) * 1_000_000_000
	}
	if rng.IntN(4) == 0 {
		c = -c
	}
	return decimal.New(c, int32(rng.IntN(40))-32)
}

func TestAppendDecimalMatchesString(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(21, 22))
	for i := 0; i < 100000; i++ {
		d := randomDecimal(rng)
		if got, want := string(appendDecimal(nil, d)), d.String(); got != want {
			t.Fatalf("coefficient %s exp %d: %s, want %s", d.Coefficient(), d.Exponent(), got, want)
		}
		q := footprint.KgCO2e(d)
		if got, want := string(appendCO2e(nil, q)), string(jcs.AppendString(nil, q.String())); got != want {
			t.Fatalf("CO2e %s: %s, want %s", d, got, want)
		}
	}
}

// TestFiguresFastMatchesExact: over random certificates, consistent by
// construction or perturbed, the int64 fast path never accepts what the
// exact decimal check refuses (and accepts what it can represent).
func TestFiguresFastMatchesExact(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(23, 24))
	accepted := 0
	for i := 0; i < 20000; i++ {
		c := sampleCertificate()
		// Rebuild the figures from random grams, consistently.
		var total decimal.Decimal
		for j := range c.Offsets {
			var sum decimal.Decimal
			for k := range c.Offsets[j].Credits {
				g := decimal.New(rng.Int64N(1e9)+1, -int32(rng.IntN(3)))
				c.Offsets[j].Credits[k].Grams = g
				sum = sum.Add(g)
			}
			c.Offsets[j].Amount = footprint.KgCO2e(sum.Shift(-3))
			total = total.Add(sum.Shift(-3))
		}
		c.TotalOffset = footprint.KgCO2e(total)
		fp := total.Mul(decimal.New(rng.Int64N(101), -2))
		c.Footprint.Total, c.Footprint.Low, c.Footprint.High = footprint.KgCO2e(fp), footprint.KgCO2e(fp.Shift(-1)), footprint.KgCO2e(fp.Mul(decimal.NewFromInt(2)))
		c.Footprint.Stages = []StageTotal{{"manufacture", footprint.KgCO2e(fp)}}
		c.Tier = nil
		// Perturb one figure half of the time.
		if rng.IntN(2) == 0 {
			delta := randomDecimal(rng)
			switch rng.IntN(5) {
			case 0:
				c.TotalOffset = c.TotalOffset.Add(footprint.KgCO2e(delta))
			case 1:
				c.Offsets[0].Credits[0].Grams = c.Offsets[0].Credits[0].Grams.Add(delta)
			case 2:
				c.Footprint.Total = c.Footprint.Total.Add(footprint.KgCO2e(delta))
			case 3:
				c.Footprint.Stages[0].Total = footprint.KgCO2e(delta)
			default:
				c.Tier = &Tier{Name: "t", Amount: footprint.KgCO2e(delta)}
			}
		}
		exact := checkFigures(c)
		fast := figuresOK(c)
		if fast && exact != nil {
			t.Fatalf("fast path accepts what the exact check refuses (%v): %+v", exact, c)
		}
		if fast {
			accepted++
		}
	}
	if accepted < 5000 {
		t.Errorf("fast path accepted only %d of 20000", accepted)
	}
}

func TestThumbprintMatchesGenericJWK(t *testing.T) {
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for _, pub := range []any{testKey().Public(), ek.Public()} {
		m, err := jwkMembers(pub)
		if err != nil {
			t.Fatal(err)
		}
		canon, _ := jcs.Marshal(m)
		sum := sha256.Sum256(canon)
		got, _ := Thumbprint(pub)
		if got != b64.EncodeToString(sum[:]) {
			t.Errorf("%T: %s", pub, got)
		}
	}
}
