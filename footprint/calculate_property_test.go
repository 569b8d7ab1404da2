package footprint

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// randDec returns a random decimal with up to 6 integer and 6 fractional
// digits.
func randDec(r *rand.Rand, max int64, places int32) decimal.Decimal {
	return decimal.New(r.Int64N(max*pow10i(places))+1, -places)
}

func pow10i(p int32) int64 {
	v := int64(1)
	for ; p > 0; p-- {
		v *= 10
	}
	return v
}

// randomSpec builds a valid spec for the test dataset.
func randomSpec(r *rand.Rand) ProductSpec {
	s := ProductSpec{Manufacturer: "M" + strconv.Itoa(r.IntN(100)), Model: "X", Mass: Kg(randDec(r, 5, 3))}
	if r.IntN(2) == 0 {
		s.PackagedMass = s.Mass.Add(Kg(randDec(r, 2, 2)))
	}
	if r.IntN(4) == 0 {
		s.Manufacture.Declared = &DeclaredFigure{Amount: KgCO2e(randDec(r, 500, 2)), Source: "sheet"}
		if r.IntN(2) == 0 {
			s.Manufacture.Declared.Uncertainty = Uncertainty{Relative: randDec(r, 1, 3).Mul(decimal.RequireFromString("0.5"))}
		}
	} else {
		b := &BillOfMaterials{Assembly: r.IntN(2) == 0}
		n := 1 + r.IntN(8)
		for i := 0; i < n; i++ {
			q := decimal.NewFromInt(1 + r.Int64N(3))
			switch r.IntN(7) {
			case 0:
				b.Components = append(b.Components, Component{Kind: "cpu", Quantity: q, Attributes: map[string]string{"die_area": randDec(r, 300, 1).String()}})
			case 1:
				b.Components = append(b.Components, Component{Kind: "ram", Quantity: q, Attributes: map[string]string{"capacity": randDec(r, 32, 0).String(), "density": randDec(r, 3, 2).String()}})
			case 2:
				b.Components = append(b.Components, Component{Kind: "mainboard", Quantity: q})
			case 3:
				b.Components = append(b.Components, Component{Material: "aluminium", Quantity: q, Mass: Kg(randDec(r, 2, 3))})
			case 4:
				b.Components = append(b.Components, Component{Kind: "display", Quantity: q, Attributes: map[string]string{"area": randDec(r, 1, 4).String()}})
			case 5:
				b.Components = append(b.Components, Component{Kind: "psu", Name: "charger", Quantity: q, Attributes: map[string]string{"mass": randDec(r, 1, 3).String()}})
			default:
				b.Components = append(b.Components, Component{Kind: "device.laptop", Quantity: q})
			}
		}
		if r.IntN(2) == 0 {
			b.Packaging = []Material{{Material: "cardboard", Mass: Kg(randDec(r, 1, 3))}}
		}
		s.Manufacture.BOM = b
	}
	modes := []Mode{AirLongHaul, AirShortHaul, Sea, Road, Rail}
	for i := r.IntN(4); i > 0; i-- {
		l := Leg{Mode: modes[r.IntN(len(modes))]}
		switch r.IntN(3) {
		case 0:
			l.Distance = Km(randDec(r, 20000, 1))
		case 1:
			l.From = &Coordinates{Lat: randDec(r, 90, 4).Sub(decimal.NewFromInt(45)), Lon: randDec(r, 180, 4)}
			l.To = &Coordinates{Lat: randDec(r, 90, 4).Sub(decimal.NewFromInt(45)), Lon: randDec(r, 180, 4).Neg()}
		default: // known places, any case, or one end by coordinates
			places := []string{"HKG", "bom", "CNSHA", "nlrtm", "FRA", "Sin"}
			from := r.IntN(len(places))
			l.FromPlace = places[from]
			if r.IntN(3) == 0 {
				l.To = &Coordinates{Lat: randDec(r, 90, 4).Sub(decimal.NewFromInt(45)), Lon: randDec(r, 180, 4)}
			} else { // another place: a leg's ends differ
				l.ToPlace = places[(from+1+r.IntN(len(places)-1))%len(places)]
			}
		}
		if r.IntN(3) == 0 {
			l.Mass = Kg(randDec(r, 10, 2))
		}
		s.Shipping.Legs = append(s.Shipping.Legs, l)
	}
	if r.IntN(2) == 0 {
		s.Shipping.Boundary = TTW
	}
	if r.IntN(2) == 0 {
		s.Shipping.RadiativeForcing = RFExcluded
	}
	if r.IntN(5) > 0 {
		u := &Use{}
		switch r.IntN(3) {
		case 0:
			u.YearlyEnergy = KWh(randDec(r, 100, 3))
		case 1:
			a := randDec(r, 1, 2).Mul(decimal.RequireFromString("0.5"))
			u.Modes = []PowerMode{{Name: "a", Power: Watts(randDec(r, 20, 1)), Share: a}, {Name: "b", Power: Watts(randDec(r, 5, 1)), Share: decimal.NewFromInt(1).Sub(a)}}
		default:
			u.AveragePower = Watts(randDec(r, 80, 1))
			u.HoursPerDay = randDec(r, 23, 1)
		}
		if r.IntN(2) == 0 {
			u.Lifetime = Hours(decimal.NewFromInt(1 + r.Int64N(8760*10)))
		}
		switch r.IntN(3) {
		case 0:
			u.Country = []string{"IN", "DE", "FR", "WORLD"[:0] + "BR"}[r.IntN(4)]
		case 1:
			u.Grid = &GridIntensity{KgPerKWh: randDec(r, 1, 4), Source: "utility", Uncertainty: Uncertainty{Relative: decimal.RequireFromString("0.2")}}
		default:
			u.Country = "DE"
		}
		if r.IntN(2) == 0 {
			u.Trajectory = &Trajectory{YearlyDecline: randDec(r, 1, 2).Mul(decimal.RequireFromString("0.3"))}
		}
		s.Use = u
	}
	if r.IntN(2) == 0 {
		s.EndOfLife = &EndOfLife{PerKg: true, RecyclingCredit: r.IntN(2) == 0}
	}
	return s
}

// withDefaultsStated returns s with every default written out.
func withDefaultsStated(s ProductSpec) ProductSpec {
	n, err := s.Normalize()
	if err != nil {
		panic(err)
	}
	return n
}

func TestPropertyRandomSpecs(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 3))
	ds := calcDataset(t)
	for i := 0; i < 400; i++ {
		s := randomSpec(r)
		fp, err := Calculate(s, ds)
		if err != nil {
			t.Fatalf("case %d: %v\n%+v", i, err, s)
		}
		checkInvariants(t, fp)
		// explicit defaults = omitted defaults, byte for byte
		fp2, err := Calculate(withDefaultsStated(s), ds)
		if err != nil {
			t.Fatalf("case %d (normalised): %v", i, err)
		}
		j1, _ := json.Marshal(fp)
		j2, _ := json.Marshal(fp2)
		if !bytes.Equal(j1, j2) {
			t.Fatalf("case %d: stating the defaults changed the result", i)
		}
		// the direct canonical writer gives RFC 8785 of the normalised spec
		n, _ := s.Normalize()
		ref, err := n.canonicalReflect(ds.Name(), ds.Version())
		if err != nil {
			t.Fatal(err)
		}
		if got := n.appendCanonical(nil, ds.Name(), ds.Version()); !bytes.Equal(got, ref) {
			t.Fatalf("case %d: canonical writer differs from jcs.Marshal:\n%s\n%s", i, got, ref)
		}
		// the validator and the hand-written checks agree
		if err := s.Validate(); err != nil {
			t.Fatalf("case %d: Validate refused a spec Calculate accepted: %v", i, err)
		}
		// JSON round trip
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeProductSpec(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("case %d: round trip: %v\n%s", i, err, b)
		}
		fp3, err := Calculate(back, ds)
		if err != nil {
			t.Fatal(err)
		}
		j3, _ := json.Marshal(fp3)
		if !bytes.Equal(j1, j3) {
			t.Fatalf("case %d: JSON round trip changed the result", i)
		}
	}
}

func TestDigestRecomputable(t *testing.T) {
	fp, err := Calculate(ReferenceLaptop(), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReferenceLaptop().CanonicalJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := ReferenceLaptop().Normalize()
	ref, _ := n.canonicalReflect(DefaultDatasetName, DefaultDatasetVersion)
	if !bytes.Equal(b, ref) {
		t.Fatalf("CanonicalJSON is not jcs.Marshal of the normalised input:\n%s\n%s", b, ref)
	}
	if !strings.HasPrefix(fp.InputDigest, "sha256:") || len(fp.InputDigest) != 71 {
		t.Fatalf("digest %q", fp.InputDigest)
	}
	s := ReferenceLaptop()
	s.Serial = "PF-3X7Y2Z"
	fp2, _ := Calculate(s, nil)
	if fp2.InputDigest == fp.InputDigest {
		t.Error("a different input must give a different digest")
	}
}

func TestNumMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	rnd := func() decimal.Decimal {
		switch r.IntN(4) {
		case 0:
			return decimal.New(r.Int64()>>uint(r.IntN(60)), -int32(r.IntN(30)))
		case 1:
			return decimal.New(-r.Int64N(1e6), int32(r.IntN(10)))
		case 2:
			return decimal.RequireFromString("123456789012345678901234567890.123456789")
		default:
			return decimal.New(r.Int64N(1000), -int32(r.IntN(5)))
		}
	}
	for i := 0; i < 20000; i++ {
		a, b := rnd(), rnd()
		na, nb := numOf(a), numOf(b)
		if got := na.add(nb).dec(); !got.Equal(a.Add(b)) {
			t.Fatalf("%s + %s = %s", a, b, got)
		}
		if got := na.mul(nb).dec(); !got.Equal(a.Mul(b)) {
			t.Fatalf("%s × %s = %s", a, b, got)
		}
		if got := na.sub(nb).dec(); !got.Equal(a.Sub(b)) {
			t.Fatalf("%s − %s = %s", a, b, got)
		}
		if got := na.cmp(nb); got != a.Cmp(b) {
			t.Fatalf("cmp(%s, %s) = %d", a, b, got)
		}
		if !b.IsZero() {
			if got, want := na.div(nb).dec(), a.DivRound(b, 30); !got.Equal(want) {
				t.Fatalf("%s ÷ %s = %s, want %s", a, b, got, want)
			}
		}
		if got := string(appendNum(nil, na)); got != a.String() {
			t.Fatalf("appendNum(%s) = %s", a, got)
		}
		if p, err := parseNum(a.String()); err != nil || !p.dec().Equal(a) {
			t.Fatalf("parseNum(%s) = %v, %v", a, p.dec(), err)
		}
	}
}

func TestBatch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ds := calcDataset(t)
	specs := make([]ProductSpec, 100)
	for i := range specs {
		specs[i] = randomSpec(r)
	}
	specs[37].Mass = Kg(decimal.NewFromInt(-1)) // one bad product
	res := CalculateBatch(specs, ds)
	if len(res) != len(specs) {
		t.Fatalf("%d results", len(res))
	}
	for i, br := range res {
		if br.Index != i {
			t.Fatalf("result %d has index %d", i, br.Index)
		}
		want, werr := Calculate(specs[i], ds)
		if i == 37 {
			if br.Err == nil || werr == nil {
				t.Fatal("bad product 37 not reported")
			}
			continue
		}
		if br.Err != nil {
			t.Fatalf("product %d: %v", i, br.Err)
		}
		a, _ := json.Marshal(br.Footprint)
		b, _ := json.Marshal(want)
		if !bytes.Equal(a, b) {
			t.Fatalf("product %d differs from Calculate", i)
		}
	}
	if got := CalculateBatch(nil, nil); len(got) != 0 {
		t.Error("empty batch")
	}
}

func FuzzDecodeProductSpec(f *testing.F) {
	ref, _ := json.Marshal(ReferenceLaptop())
	f.Add(ref)
	f.Add([]byte(`{"manufacturer":"a","model":"b","mass":"1 kg","manufacture":{"declared":{"amount":"1e999999 kg","source":"x"}}}`))
	f.Add([]byte(`{"manufacturer":"a","model":"b","mass":"1 kg","manufacture":{"bom":{"components":[{"kind":"cpu","quantity":"1e-9999","attributes":{"die_area":"NaN"}}]}},"use":{"yearlyEnergy":"1 kWh","country":"IN","lifetime":"1e9 y"}}`))
	f.Add([]byte(`{"shipping":{"legs":[{"mode":"sea","from":{"lat":"1e400","lon":"0"},"to":{"lat":"0","lon":"0"}}]}}`))
	ds := DefaultDataset()
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		s, err := DecodeProductSpec(bytes.NewReader(b))
		if err != nil {
			return
		}
		fp, err := Calculate(s, ds)
		if err != nil {
			return
		}
		checkInvariants(t, fp)
		_ = fp.Table()
	})
}
