package footprint_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// TestConversionsByHand checks unit conversions both ways against figures
// worked out by hand from the definitions of the units.
func TestConversionsByHand(t *testing.T) {
	// 1 mi = 1609.344 m exactly = 1.609344 km; back: 1.609344 km = 1 mi.
	mi, err := footprint.ParseDistance("1 mi")
	if err != nil || !mi.Km().Equal(dsDec("1.609344")) {
		t.Errorf("1 mi = %v km (%v), want 1.609344", mi.Km(), err)
	}
	km, _ := footprint.NewDistance(dsDec("1.609344"), footprint.Kilometre)
	if v, _ := km.In(footprint.Mile); !v.Equal(dsDec("1")) {
		t.Errorf("1.609344 km = %v mi, want 1", v)
	}
	// 1 kWh = 3.6 MJ; 3.6 MJ = 1 kWh.
	e, _ := footprint.ParseEnergy("1 kWh")
	if v, _ := e.In(footprint.Megajoule); !v.Equal(dsDec("3.6")) {
		t.Errorf("1 kWh = %v MJ, want 3.6", v)
	}
	mj, _ := footprint.ParseEnergy("3.6 MJ")
	if !mj.KWh().Equal(dsDec("1")) || !mj.Equal(e) {
		t.Errorf("3.6 MJ = %v kWh, want 1", mj.KWh())
	}
	// 5 y = 5 × 8760 h = 43800 h; 43800 h = 5 y.
	y, _ := footprint.ParseDuration("5 y")
	if !y.Hours().Equal(dsDec("43800")) {
		t.Errorf("5 y = %v h", y.Hours())
	}
	if h, _ := footprint.ParseDuration("43800 h"); !h.Years().Equal(dsDec("5")) || h.String() != "5 y" {
		t.Errorf("43800 h = %v y (%s)", h.Years(), h)
	}
	// 2 kg over 800 km = 0.002 t × 800 km = 1.6 tkm.
	m, _ := footprint.ParseMass("2 kg")
	d, _ := footprint.ParseDistance("800 km")
	if fa := m.Over(d); !fa.TonneKm().Equal(dsDec("1.6")) || fa.String() != "1.6 tkm" {
		t.Errorf("2 kg × 800 km = %s", fa)
	}
	// 45 W for 8760 h = 394200 Wh = 394.2 kWh.
	p, _ := footprint.ParsePower("45 W")
	if en := p.Over(footprint.Hours(dsDec("8760"))); !en.KWh().Equal(dsDec("394.2")) || en.String() != "394.2 kWh" {
		t.Errorf("45 W × 8760 h = %s", en)
	}
	// 1 lb = 0.45359237 kg exactly; 0.5 t = 500 kg of CO2e; 508 g = 0.508 kg.
	lb, _ := footprint.ParseMass("1 lb")
	if !lb.Kg().Equal(dsDec("0.45359237")) {
		t.Errorf("1 lb = %v kg", lb.Kg())
	}
	for in, kg := range map[string]string{"0.5 t": "500", "508 g": "0.508", "508 kgCO2e": "508", "508.2 kg CO2e": "508.2", "1 tCO2e": "1000"} {
		c, err := footprint.ParseCO2e(in)
		if err != nil || !c.Kg().Equal(dsDec(kg)) {
			t.Errorf("%s = %v kg (%v), want %s", in, c.Kg(), err, kg)
		}
	}
	// 1 nmi = 1852 m; 1 d = 24 h; 1 MW = 1,000,000 W; 1000 kgkm = 1 tkm.
	if n, _ := footprint.ParseDistance("1 nmi"); !n.Km().Equal(dsDec("1.852")) {
		t.Error("nmi")
	}
	if dd, _ := footprint.ParseDuration("1 d"); !dd.Hours().Equal(dsDec("24")) {
		t.Error("day")
	}
	if mw, _ := footprint.ParsePower("1 MW"); !mw.W().Equal(dsDec("1000000")) {
		t.Error("MW")
	}
	if kk, _ := footprint.ParseFreightActivity("1000 kgkm"); !kk.TonneKm().Equal(dsDec("1")) {
		t.Error("kgkm")
	}
	// The shorthand constructors agree with parsing.
	if !footprint.KWh(dsDec("12.5")).Equal(mustEnergy(t, "12.5 kWh")) || !footprint.Km(dsDec("800")).Equal(d) ||
		!footprint.Years(dsDec("5")).Equal(y) || !footprint.Kg(dsDec("2")).Equal(m) || !footprint.Watts(dsDec("45")).Equal(p) {
		t.Error("shorthands disagree with parsing")
	}
}

func mustEnergy(t *testing.T, s string) footprint.Energy {
	t.Helper()
	e, err := footprint.ParseEnergy(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestQuantityArithmeticAndZero(t *testing.T) {
	var zero footprint.CO2e
	if !zero.IsZero() || zero.Sign() != 0 || zero.String() != "0 kg CO2e" {
		t.Errorf("zero CO2e prints %q", zero.String())
	}
	a, _ := footprint.ParseCO2e("1.5 kg")
	b, _ := footprint.ParseCO2e("500 g")
	if s := a.Add(b); !s.Kg().Equal(dsDec("2")) || s.Cmp(a) != 1 {
		t.Errorf("1.5 kg + 500 g = %s", s)
	}
	if s := a.Sub(b); !s.Kg().Equal(dsDec("1")) {
		t.Errorf("1.5 kg − 500 g = %s", s)
	}
	if s := b.Sub(a); s.Sign() != -1 || s.String() != "-1 kg CO2e" {
		t.Errorf("negative CO2e (a credit) prints %s", s)
	}
	if s := a.Mul(dsDec("3")); !s.Kg().Equal(dsDec("4.5")) {
		t.Errorf("1.5 kg × 3 = %s", s)
	}
	if g := b.Grams(); !g.Equal(dsDec("500")) {
		t.Errorf("grams %s", g)
	}
}

func TestQuantityJSONRoundTrip(t *testing.T) {
	type doc struct {
		C footprint.CO2e            `json:"c"`
		M footprint.Mass            `json:"m"`
		E footprint.Energy          `json:"e"`
		P footprint.Power           `json:"p"`
		D footprint.Distance        `json:"d"`
		T footprint.Duration        `json:"t"`
		F footprint.FreightActivity `json:"f"`
	}
	in := `{"c":"508.2 kg CO2e","m":"2.2 kg","e":"12.5 kWh","p":"45 W","d":"800 km","t":"5 y","f":"1.76 tkm"}`
	var v doc
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	if string(out) != in {
		t.Errorf("round trip:\n got %s\nwant %s", out, in)
	}
	// A bare number has no unit and is refused with a field error.
	err := json.Unmarshal([]byte(`{"e":12.5}`), &v)
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || !errors.Is(err, footprint.ErrInvalidQuantity) {
		t.Errorf("bare number: %v", err)
	}
}

func TestParseQuantityRejects(t *testing.T) {
	cases := []struct {
		why      string
		parse    func(string) error
		in       string
		sentinel error
	}{
		{"unknown unit", parseMass, "5 furlongs", footprint.ErrUnknownUnit},
		{"energy unit for a mass", parseMass, "5 kWh", footprint.ErrWrongDimension},
		{"mass unit for an energy", parseEnergy, "5 kg", footprint.ErrWrongDimension},
		{"power is not energy (kW vs kWh)", parseEnergy, "5 kW", footprint.ErrWrongDimension},
		{"distance unit for a duration", parseDuration, "5 km", footprint.ErrWrongDimension},
		{"huge exponent", parseMass, "1e999999 kg", footprint.ErrInvalidQuantity},
		{"NaN", parseMass, "NaN kg", footprint.ErrInvalidQuantity},
		{"hex", parseMass, "0x10 kg", footprint.ErrInvalidQuantity},
		{"empty", parseMass, "", footprint.ErrInvalidQuantity},
		{"number without unit", parseMass, "5", footprint.ErrInvalidQuantity},
		{"unit without number", parseMass, "kg", footprint.ErrInvalidQuantity},
		{"overlong", parseMass, strings.Repeat("1", 100) + " kg", footprint.ErrInvalidQuantity},
		{"thousands separator", parseMass, "1,000 kg", footprint.ErrInvalidQuantity},
		{"two points", parseMass, "1.2.3 kg", footprint.ErrInvalidQuantity},
		{"case matters: KG is not a unit", parseMass, "5 KG", footprint.ErrUnknownUnit},
		// 120000000000.000000000000000000000000000000001 years is
		// 1051200000000000.00000000000000000000000000000876 h (× 8760):
		// 50 characters, which could not be parsed back (a fuzzing find).
		{"prints longer than it may be parsed", parseDuration, "120000000000.000000000000000000000000000000001a", footprint.ErrInvalidQuantity},
	}
	for _, tc := range cases {
		err := tc.parse(tc.in)
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || !errors.Is(err, tc.sentinel) || fe.Field == "" {
			t.Errorf("%s (%q): got %v, want a *FieldError wrapping %v", tc.why, tc.in, err, tc.sentinel)
		}
	}
	// The messages name the rule: what a wrong unit measures, what the
	// number must look like.
	for _, c := range []struct{ in, want string }{
		{"5 kg", `unit "kg" measures mass, not distance`},
		{"NaN km", "must start with a plain decimal"},
	} {
		if _, err := footprint.ParseDistance(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseDistance(%q): %v, want a message containing %q", c.in, err, c.want)
		}
	}
	// Negative values parse (a credit, a correction); where a positive is
	// needed, validation of the enclosing struct refuses them.
	if m, err := footprint.ParseMass("-5 kg"); err != nil || m.Sign() != -1 {
		t.Errorf("-5 kg: %v %v", m, err)
	}
	// New* with a unit of the wrong dimension.
	if _, err := footprint.NewEnergy(dsDec("1"), footprint.EnergyUnit("kg")); !errors.Is(err, footprint.ErrWrongDimension) {
		t.Errorf("NewEnergy kg: %v", err)
	}
	if _, err := footprint.NewMass(dsDec("1"), footprint.MassUnit("stone")); !errors.Is(err, footprint.ErrUnknownUnit) {
		t.Errorf("NewMass stone: %v", err)
	}
}

func parseMass(s string) error     { _, err := footprint.ParseMass(s); return err }
func parseEnergy(s string) error   { _, err := footprint.ParseEnergy(s); return err }
func parseDuration(s string) error { _, err := footprint.ParseDuration(s); return err }

// quantityParsers gives each parser a name, a parse function that returns the
// printed form, for the fuzz target and the benchmark.
var quantityParsers = []struct {
	name  string
	parse func(string) (string, error)
}{
	{"CO2e", func(s string) (string, error) { q, err := footprint.ParseCO2e(s); return q.String(), err }},
	{"Mass", func(s string) (string, error) { q, err := footprint.ParseMass(s); return q.String(), err }},
	{"Energy", func(s string) (string, error) { q, err := footprint.ParseEnergy(s); return q.String(), err }},
	{"Power", func(s string) (string, error) { q, err := footprint.ParsePower(s); return q.String(), err }},
	{"Distance", func(s string) (string, error) { q, err := footprint.ParseDistance(s); return q.String(), err }},
	{"Duration", func(s string) (string, error) { q, err := footprint.ParseDuration(s); return q.String(), err }},
	{"FreightActivity", func(s string) (string, error) { q, err := footprint.ParseFreightActivity(s); return q.String(), err }},
}

func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"12.5 kWh", "2.2 kg", "1 t", "800 km", "5 y", "1.76 tkm", "508 kgCO2e", "45 W",
		"1 mi", "3.6 MJ", "1e5 kg", "NaN kg", "0x10 kg", "", "-0.000001 g", "1 lb", "7 d",
		"120000000000.000000000000000000000000000000001a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range quantityParsers {
			printed, err := p.parse(s)
			if err != nil {
				var fe *footprint.FieldError
				if !errors.As(err, &fe) {
					t.Fatalf("%s(%q): error is not a *FieldError: %v", p.name, s, err)
				}
				continue
			}
			// A success round-trips through String: the printed form parses
			// back to the same printed form (and so the same amount).
			again, err := p.parse(printed)
			if err != nil {
				t.Fatalf("%s(%q) printed %q, which does not parse: %v", p.name, s, printed, err)
			}
			if again != printed {
				t.Fatalf("%s(%q): %q reparsed as %q", p.name, s, printed, again)
			}
		}
	})
}

func TestDecimalsStayExact(t *testing.T) {
	// 0.1 kWh + 0.2 kWh = 0.3 kWh exactly (a float would give 0.30000000000000004).
	a, b := mustEnergy(t, "0.1 kWh"), mustEnergy(t, "0.2 kWh")
	if s := a.Add(b); s.String() != "0.3 kWh" {
		t.Errorf("0.1 + 0.2 = %s", s)
	}
	// 1 MJ in kWh does not terminate: 1/3.6 = 0.2777…, kept to 30 places.
	mj := mustEnergy(t, "1 MJ")
	want := decimal.RequireFromString("0.277777777777777777777777777778")
	if !mj.KWh().Equal(want) {
		t.Errorf("1 MJ = %s kWh", mj.KWh())
	}
}

// A value with more fractional digits than a division keeps (30) still
// prints in its base unit, digit for digit: the base unit needs no division.
func TestFormatLongFractionInBaseUnit(t *testing.T) {
	const kg34 = "230.7804553246403928811076026232704" // 31 fractional digits
	c := footprint.KgCO2e(decimal.RequireFromString(kg34))
	if got, want := c.String(), kg34+" kg CO2e"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	back, err := footprint.ParseCO2e(c.String())
	if err != nil || !back.Equal(c) {
		t.Fatalf("round trip: %v, %v", back, err)
	}
	in, err := c.In("kg")
	if err != nil || in.String() != kg34 {
		t.Fatalf("In(kg) = %v, %v", in, err)
	}
}

// A misspelt unit with a digit in it ("kgco2e") is reported as an unknown
// unit, and the field is "co2e"; a number that runs on into the unit
// ("1e5 kg") is still reported as a number not accepted.
func TestCO2eUnitMessages(t *testing.T) {
	for _, c := range []struct{ in, rule string }{
		{"100 kgco2e", `unknown unit "kgco2e"`},
		{"100 kg CO2-e", `unknown unit "kg CO2-e"`},
		{"500 lb CO2e", `unknown unit "lb CO2e"`},
		{"1e5 kg", "must start with a plain decimal (no exponent, hex or separators)"},
		{"1E-3 kg", "must start with a plain decimal (no exponent, hex or separators)"},
		{"0x10 kg", "must start with a plain decimal (no exponent, hex or separators)"},
		{"1,000 kg", "must start with a plain decimal (no exponent, hex or separators)"},
		{"1_000 kg", "must start with a plain decimal (no exponent, hex or separators)"},
		{"12 500 kg CO2e", "must start with a plain decimal (no exponent, hex or separators)"},
		{"1'000 kg", "must start with a plain decimal (no exponent, hex or separators)"},
	} {
		_, err := footprint.ParseCO2e(c.in)
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != "co2e" || !strings.HasPrefix(fe.Rule, c.rule) {
			t.Errorf("%q: %v, want field co2e and a rule starting %s", c.in, err, c.rule)
		}
	}
}
