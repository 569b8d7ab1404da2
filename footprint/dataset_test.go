package footprint_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

func dsDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestDefaultLookups checks lookups in the embedded dataset against the
// published figures, converted by hand (g → kg: move the point three places).
func TestDefaultLookups(t *testing.T) {
	d := footprint.DefaultDataset()
	cases := []struct {
		why      string
		q        footprint.Query
		id       string
		amount   string // expected, from the source
		fallback bool
		path     []string
	}{
		{"India, Ember via CO2.js v0.19.0: 708.96 g/kWh = 0.70896 kg/kWh",
			footprint.Query{Measure: "electricity.grid", Region: "IN"}, "grid.IN", "0.70896", false, nil},
		{"China 557.5 g = 0.5575 kg", footprint.Query{Measure: "electricity.grid", Region: "CN"}, "grid.CN", "0.5575", false, nil},
		{"Taiwan 635.15 g", footprint.Query{Measure: "electricity.grid", Region: "TW"}, "grid.TW", "0.63515", false, nil},
		{"Japan 483.73 g", footprint.Query{Measure: "electricity.grid", Region: "JP"}, "grid.JP", "0.48373", false, nil},
		{"US 383.55 g", footprint.Query{Measure: "electricity.grid", Region: "US"}, "grid.US", "0.38355", false, nil},
		{"Germany 342.06 g: an EU member with its own row does not fall back",
			footprint.Query{Measure: "electricity.grid", Region: "DE"}, "grid.DE", "0.34206", false, nil},
		{"UK 215.79 g", footprint.Query{Measure: "electricity.grid", Region: "GB"}, "grid.GB", "0.21579", false, nil},
		{"France 44.18 g", footprint.Query{Measure: "electricity.grid", Region: "FR"}, "grid.FR", "0.04418", false, nil},
		{"Brazil 106.06 g", footprint.Query{Measure: "electricity.grid", Region: "BR"}, "grid.BR", "0.10606", false, nil},
		{"EU aggregate 213.02 g", footprint.Query{Measure: "electricity.grid", Region: "EU"}, "grid.EU", "0.21302", false, nil},
		{"World 472.94 g", footprint.Query{Measure: "electricity.grid", Region: "WORLD"}, "grid.WORLD", "0.47294", false, nil},
		{"empty region means WORLD, not a fallback", footprint.Query{Measure: "electricity.grid"}, "grid.WORLD", "0.47294", false, nil},
		{"Central African Republic is left out (published 0 = missing data): reported fallback to WORLD",
			footprint.Query{Measure: "electricity.grid", Region: "CF"}, "grid.WORLD", "0.47294", true, []string{"CF", "WORLD"}},
		{"Antarctica has no grid row: WORLD", footprint.Query{Measure: "electricity.grid", Region: "AQ"}, "grid.WORLD", "0.47294", true, []string{"AQ", "WORLD"}},
		{"DESNZ 2025 air long-haul TTW with RF 0.89939",
			footprint.Query{Measure: "freight.air.long-haul", Boundary: footprint.TTW, RadiativeForcing: footprint.RFIncluded},
			"freight.air.long-haul.ttw.rf", "0.89939", false, nil},
		{"DESNZ 2025 air long-haul TTW without RF 0.53130",
			footprint.Query{Measure: "freight.air.long-haul", Boundary: footprint.TTW, RadiativeForcing: footprint.RFExcluded},
			"freight.air.long-haul.ttw.norf", "0.53130", false, nil},
		{"air WTT 0.13516 whichever RF choice",
			footprint.Query{Measure: "freight.air.long-haul", Boundary: footprint.WTT, RadiativeForcing: footprint.RFExcluded},
			"freight.air.long-haul.wtt.norf", "0.13516", false, nil},
		{"freight for a country falls back to WORLD (DESNZ used as the world default)",
			footprint.Query{Measure: "freight.sea.container", Region: "IN", Boundary: footprint.TTW},
			"freight.sea.container.ttw", "0.01612", true, []string{"IN", "WORLD"}},
		{"HGV WTT 0.02359", footprint.Query{Measure: "freight.road.hgv", Boundary: footprint.WTT}, "freight.road.hgv.wtt", "0.02359", false, nil},
		{"rail TTW 0.02779", footprint.Query{Measure: "freight.rail", Boundary: footprint.TTW}, "freight.rail.ttw", "0.02779", false, nil},
		{"UBA HDD 31.11 per drive", footprint.Query{Measure: "component.hdd"}, "component.hdd", "31.11", false, nil},
		{"ADEME laptop 181", footprint.Query{Measure: "device.laptop"}, "device.laptop", "181", false, nil},
		{"a German lookup of a component falls back DE → EU? no EU row → WORLD",
			footprint.Query{Measure: "component.mainboard", Region: "DE"}, "component.mainboard", "66.1", true, []string{"DE", "EU", "WORLD"}},
		// DESNZ 2025 "Material use", kgCO2e per tonne ÷ 1000 = per kg.
		{"DESNZ aluminium cans and foil (excl. forming), primary: 9,115.90131 kg/t = 9.11590131 kg/kg",
			footprint.Query{Measure: "material.aluminium"}, "material.aluminium", "9.11590131", false, nil},
		{"DESNZ aluminium, closed-loop source: 995.07790 kg/t", footprint.Query{Measure: "material.aluminium-recycled"}, "material.aluminium-recycled", "0.9950779", false, nil},
		{"DESNZ steel cans, primary: 2,863.90131 kg/t", footprint.Query{Measure: "material.steel"}, "material.steel", "2.86390131", false, nil},
		{"DESNZ average plastics, primary: 3,172.49932 kg/t", footprint.Query{Measure: "material.plastic"}, "material.plastic", "3.17249932", false, nil},
		{"DESNZ average plastic film, primary: 2,916.50513 kg/t", footprint.Query{Measure: "material.plastic-film"}, "material.plastic-film", "2.91650513", false, nil},
		{"DESNZ paper and board: board, primary: 1,199.72542 kg/t", footprint.Query{Measure: "material.cardboard"}, "material.cardboard", "1.19972542", false, nil},
		{"DESNZ paper and board: paper, primary: 1,345.07790 kg/t", footprint.Query{Measure: "material.paper"}, "material.paper", "1.3450779", false, nil},
		{"DESNZ glass, primary: 1,402.76667 kg/t", footprint.Query{Measure: "material.glass"}, "material.glass", "1.40276667", false, nil},
		{"a material for China falls back to WORLD (DESNZ used as the world default)",
			footprint.Query{Measure: "material.aluminium", Region: "CN"}, "material.aluminium", "9.11590131", true, []string{"CN", "WORLD"}},
	}
	for _, tc := range cases {
		r, err := d.Lookup(tc.q)
		if err != nil {
			t.Errorf("%s: %v", tc.why, err)
			continue
		}
		if r.Factor.ID != tc.id || !r.Factor.Amount.Equal(dsDec(tc.amount)) {
			t.Errorf("%s: got %s %s, want %s %s", tc.why, r.Factor.ID, r.Factor.Amount, tc.id, tc.amount)
		}
		if r.Fallback != tc.fallback || strings.Join(r.FallbackPath, ",") != strings.Join(tc.path, ",") {
			t.Errorf("%s: fallback %v %v, want %v %v", tc.why, r.Fallback, r.FallbackPath, tc.fallback, tc.path)
		}
		if r.Layer != footprint.DefaultDatasetName || r.LayerVersion != footprint.DefaultDatasetVersion {
			t.Errorf("%s: layer %q %q", tc.why, r.Layer, r.LayerVersion)
		}
		if r.Fallback != (r.Factor.Region != r.RequestedRegion) {
			t.Errorf("%s: Fallback must mean Factor.Region != RequestedRegion", tc.why)
		}
	}
}

func TestDefaultDatasetContents(t *testing.T) {
	d := footprint.DefaultDataset()
	if d.Name() != "lifecarbon-default" || d.Version() != "2026.2" {
		t.Fatalf("name/version %q %q", d.Name(), d.Version())
	}
	grid := 0
	for _, f := range d.Factors() {
		if f.Measure == "electricity.grid" && f.Region != "WORLD" && f.Region != "EU" {
			grid++
		}
		if f.Source.Publisher == "" || f.Source.Title == "" || f.Source.Year == 0 || f.Source.License == "" {
			t.Errorf("%s: incomplete source %+v", f.ID, f.Source)
		}
		if f.Amount.Sign() <= 0 {
			t.Errorf("%s: default factors are positive, got %s", f.ID, f.Amount)
		}
		if f.Measure == "electricity.grid" && !strings.Contains(f.Source.License, "CC-BY-4.0") {
			t.Errorf("%s: Ember rows carry CC-BY-4.0 attribution", f.ID)
		}
		if strings.HasPrefix(f.Measure, "material.") && (f.Basis != footprint.PerKg || f.IsLinear() || f.Source.License != "OGL-UK-3.0" || f.Source.Year != 2025) {
			t.Errorf("%s: materials are DESNZ 2025 factors per kg under the OGL, got %s per %s, %+v", f.ID, f.Amount, f.Basis, f.Source)
		}
	}
	if grid < 60 {
		t.Errorf("grid rows for countries = %d, want ≥ 60", grid)
	}
	// Every measure the contract names that the default dataset provides.
	for _, m := range []string{"component.cpu", "component.ram", "component.ssd", "component.hdd", "component.mainboard",
		"component.battery", "component.psu", "component.assembly", "device.laptop", "device.desktop", "device.tablet",
		"device.monitor", "device.phone", "eol.weee",
		"material.aluminium", "material.aluminium-recycled", "material.steel", "material.plastic", "material.plastic-film",
		"material.cardboard", "material.paper", "material.glass"} {
		if _, err := d.Lookup(footprint.Query{Measure: m}); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
	for _, m := range []string{"freight.air.long-haul", "freight.air.short-haul", "freight.air.domestic"} {
		for _, b := range []footprint.Boundary{footprint.TTW, footprint.WTT} {
			for _, rf := range []footprint.RadiativeForcing{footprint.RFIncluded, footprint.RFExcluded} {
				if _, err := d.Lookup(footprint.Query{Measure: m, Boundary: b, RadiativeForcing: rf}); err != nil {
					t.Errorf("%s %s %s: %v", m, b, rf, err)
				}
			}
		}
	}
	if DefaultDatasetIsShared := footprint.DefaultDataset() == d; !DefaultDatasetIsShared {
		t.Error("DefaultDataset must be parsed once and shared")
	}
}

// TestLinearComponentFactors works the UBA formulas by hand.
func TestLinearComponentFactors(t *testing.T) {
	d := footprint.DefaultDataset()
	cpu, _ := d.Factor("component.cpu")
	// 100 mm² × 0.0197 = 1.97; + 9.14 = 11.11 kgCO2e
	got, err := cpu.ApplyLinear(map[string]decimal.Decimal{"die_area": dsDec("100")})
	if err != nil || !got.Kg().Equal(dsDec("11.11")) {
		t.Errorf("cpu: %v %v, want 11.11", got, err)
	}
	ram, _ := d.Factor("component.ram")
	// 16 GB ÷ 0.625 GB/cm² = 25.6 cm²; × 2.20 = 56.32; + 5.22 = 61.54 kgCO2e
	got, err = ram.ApplyLinear(map[string]decimal.Decimal{"capacity": dsDec("16"), "density": dsDec("0.625")})
	if err != nil || !got.Kg().Equal(dsDec("61.54")) {
		t.Errorf("ram: %v %v, want 61.54", got, err)
	}
	bat, _ := d.Factor("component.battery")
	// 57 Wh × 0.074 = 4.218 kgCO2e; bounds 57 × 0.059 = 3.363 … 57 × 0.115 = 6.555
	got, err = bat.ApplyLinear(map[string]decimal.Decimal{"capacity": dsDec("57")})
	if err != nil || !got.Kg().Equal(dsDec("4.218")) {
		t.Errorf("battery: %v %v, want 4.218", got, err)
	}
	lo, hi := bat.Bounds()
	if !lo.Equal(dsDec("0.059")) || !hi.Equal(dsDec("0.115")) {
		t.Errorf("battery bounds %s %s", lo, hi)
	}
	// Well-to-wheel for long-haul air with RF: 0.89939 + 0.13516 = 1.03455 kg/tkm.
	ttw, _ := d.Lookup(footprint.Query{Measure: "freight.air.long-haul", Boundary: footprint.TTW, RadiativeForcing: footprint.RFIncluded})
	wtt, _ := d.Lookup(footprint.Query{Measure: "freight.air.long-haul", Boundary: footprint.WTT, RadiativeForcing: footprint.RFIncluded})
	if s := ttw.Factor.Amount.Add(wtt.Factor.Amount); !s.Equal(dsDec("1.03455")) {
		t.Errorf("WTW = %s", s)
	}
}

// TestMaterialFactors prices masses with the DESNZ 2025 material factors
// by hand.
func TestMaterialFactors(t *testing.T) {
	d := footprint.DefaultDataset()
	for _, c := range []struct {
		why, id, mass, want string
	}{
		// 0.5 kg × 9,115.90131 kg/t ÷ 1000 = 0.5 × 9.11590131 = 4.557950655
		{"aluminium chassis", "material.aluminium", "0.5 kg", "4.557950655"},
		// the same chassis from closed-loop recycled aluminium: 0.5 × 0.99507790 = 0.49753895
		{"recycled aluminium chassis", "material.aluminium-recycled", "500 g", "0.49753895"},
		// 1 t of cardboard is the published figure itself: 1,199.72542 kg
		{"a tonne of board", "material.cardboard", "1 t", "1199.72542"},
		// 50 g of film: 0.05 × 2.91650513 = 0.1458252565
		{"packaging film", "material.plastic-film", "50 g", "0.1458252565"},
		// 0.2 kg of plastic parts: 0.2 × 3.17249932 = 0.634499864
		{"plastic parts", "material.plastic", "0.2 kg", "0.634499864"},
	} {
		f, ok := d.Factor(c.id)
		if !ok {
			t.Errorf("%s: %s missing", c.why, c.id)
			continue
		}
		m, err := footprint.ParseMass(c.mass)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Apply(m.Activity())
		if err != nil || !got.Kg().Equal(dsDec(c.want)) {
			t.Errorf("%s: %s × %s = %v %v, want %s kg", c.why, c.mass, f.Amount, got, err, c.want)
		}
	}
	// A display by area: ADEME/Arcep's average 24-inch monitor, 64.6 kg,
	// over the area of a 24-inch 16:9 screen,
	//   24² × 144/337 in² = 82944/337 = 246.1246… in²,
	//   × 0.00064516 m²/in² = 0.1587898 m²,
	//   64.6 ÷ 0.1587898 = 406.827… → 406.83 kg per m²;
	// high: Dell P2419H, 505 kg × 68.3 % manufacturing = 344.915 kg,
	//   ÷ 0.1587898 = 2172.149… → 2172.15 kg per m².
	// A 14-inch 16:10 panel of 0.0568 m²: 0.0568 × 406.83 = 23.107944 kg,
	// high 0.0568 × 2172.15 = 123.37812 kg.
	r, err := d.Lookup(footprint.Query{Measure: "component.display"})
	if err != nil {
		t.Fatalf("component.display: %v", err)
	}
	if r.Factor.Basis != footprint.PerM2 || r.Factor.Attribute != "area" || r.Factor.Source.Year != 2022 {
		t.Errorf("component.display: basis %q attribute %q year %d, want m2, area, 2022", r.Factor.Basis, r.Factor.Attribute, r.Factor.Source.Year)
	}
	area := dsDec("0.0568")
	if got := area.Mul(r.Factor.Amount); !got.Equal(dsDec("23.107944")) {
		t.Errorf("display 0.0568 m² × %s = %s, want 23.107944", r.Factor.Amount, got)
	}
	if lo, hi := r.Factor.Bounds(); !area.Mul(lo).Equal(dsDec("23.107944")) || !area.Mul(hi).Equal(dsDec("123.37812")) {
		t.Errorf("display bounds %s–%s per m², want 406.83–2172.15", lo, hi)
	}
}

// smallDataset has an EU row and a WORLD row only, to show the EU step.
func smallDataset(t *testing.T) *footprint.Dataset {
	t.Helper()
	src := footprint.Source{Publisher: "Test", Title: "Hand-made", Year: 2025, License: "CC0-1.0"}
	d, err := footprint.NewDataset("small", "1", []footprint.Factor{
		{ID: "w", Measure: "x.grid", Region: "WORLD", Basis: footprint.PerKWh, Amount: dsDec("0.5"), GWP: footprint.AR6, Source: src},
		{ID: "eu", Measure: "x.grid", Region: "EU", Basis: footprint.PerKWh, Amount: dsDec("0.2"), GWP: footprint.AR6, Source: src},
		{ID: "in", Measure: "x.grid", Region: "IN", Basis: footprint.PerKWh, Amount: dsDec("0.7"), GWP: footprint.AR6, Source: src},
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFallbackChain(t *testing.T) {
	d := smallDataset(t)
	cases := []struct {
		why    string
		region string
		noFB   bool
		id     string
		path   string
		err    error
	}{
		{"exact country", "IN", false, "in", "", nil},
		{"EU member → EU row", "FR", false, "eu", "FR,EU", nil},
		{"non-member in Europe skips EU → WORLD", "CH", false, "w", "CH,WORLD", nil},
		{"EU itself", "EU", false, "eu", "", nil},
		{"EU member, fallback disabled", "FR", true, "", "", footprint.ErrFactorNotFound},
		{"exact match with fallback disabled", "IN", true, "in", "", nil},
		{"unknown code is an error even with fallback", "XX", false, "", "", footprint.ErrUnknownRegion},
		{"lower case is not silently accepted", "in", false, "", "", footprint.ErrUnknownRegion},
		{"alpha-3 is not a query region", "IND", false, "", "", footprint.ErrUnknownRegion},
		{"unknown code with fallback disabled", "ZZ", true, "", "", footprint.ErrUnknownRegion},
	}
	for _, tc := range cases {
		r, err := d.Lookup(footprint.Query{Measure: "x.grid", Region: tc.region, NoFallback: tc.noFB})
		if tc.err != nil {
			var fe *footprint.FieldError
			if !errors.Is(err, tc.err) || !errors.Is(err, footprint.ErrFactorNotFound) || !errors.As(err, &fe) || fe.Field != "region" {
				t.Errorf("%s: err = %v, want %v on field region", tc.why, err, tc.err)
			}
			continue
		}
		if err != nil || r.Factor.ID != tc.id || strings.Join(r.FallbackPath, ",") != tc.path {
			t.Errorf("%s: %s %v %v", tc.why, r.Factor.ID, r.FallbackPath, err)
		}
	}
	// Misses name the field that matched nothing.
	for _, tc := range []struct {
		why   string
		q     footprint.Query
		field string
	}{
		{"unknown measure", footprint.Query{Measure: "x.nothing"}, "measure"},
		{"empty measure", footprint.Query{}, "measure"},
		{"boundary the measure does not have", footprint.Query{Measure: "x.grid", Boundary: footprint.TTW}, "boundary"},
		{"RF choice the measure does not have", footprint.Query{Measure: "x.grid", RadiativeForcing: footprint.RFIncluded}, "radiativeForcing"},
	} {
		_, err := d.Lookup(tc.q)
		var fe *footprint.FieldError
		if !errors.Is(err, footprint.ErrFactorNotFound) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: %v, want field %s", tc.why, err, tc.field)
		}
	}
}

func TestNewDatasetRejects(t *testing.T) {
	src := footprint.Source{Publisher: "P", Title: "T", Year: 2025, License: "CC0-1.0"}
	good := footprint.Factor{ID: "a", Measure: "m.x", Region: "WORLD", Basis: footprint.PerKg, Amount: dsDec("1"), GWP: footprint.AR5, Source: src}
	mod := func(f func(*footprint.Factor)) footprint.Factor { g := good; f(&g); return g }
	cases := []struct {
		why      string
		factors  []footprint.Factor
		field    string
		sentinel error
	}{
		{"missing ID", []footprint.Factor{mod(func(f *footprint.Factor) { f.ID = "" })}, "factors[0].id", footprint.ErrInvalidFactor},
		{"duplicate ID", []footprint.Factor{good, mod(func(f *footprint.Factor) { f.Region = "IN" })}, "factors[1].id", footprint.ErrInvalidDataset},
		{"same key twice", []footprint.Factor{good, mod(func(f *footprint.Factor) { f.ID = "b" })}, "factors[1].id", footprint.ErrInvalidDataset},
		{"missing measure", []footprint.Factor{mod(func(f *footprint.Factor) { f.Measure = "" })}, "factors[0].measure", footprint.ErrInvalidFactor},
		{"upper-case measure", []footprint.Factor{mod(func(f *footprint.Factor) { f.Measure = "Grid" })}, "factors[0].measure", footprint.ErrInvalidFactor},
		{"missing region", []footprint.Factor{mod(func(f *footprint.Factor) { f.Region = "" })}, "factors[0].region", footprint.ErrInvalidFactor},
		{"unknown region", []footprint.Factor{mod(func(f *footprint.Factor) { f.Region = "XX" })}, "factors[0].region", footprint.ErrInvalidFactor},
		{"missing basis", []footprint.Factor{mod(func(f *footprint.Factor) { f.Basis = "" })}, "factors[0].per", footprint.ErrInvalidFactor},
		{"zero amount", []footprint.Factor{mod(func(f *footprint.Factor) { f.Amount = decimal.Zero })}, "factors[0].amount", footprint.ErrInvalidFactor},
		{"unset amount", []footprint.Factor{mod(func(f *footprint.Factor) { f.Amount = decimal.Decimal{} })}, "factors[0].amount", footprint.ErrInvalidFactor},
		{"intercept without attribute", []footprint.Factor{mod(func(f *footprint.Factor) { f.Intercept = dsDec("1") })}, "factors[0].intercept", footprint.ErrInvalidFactor},
		{"divisor without attribute", []footprint.Factor{mod(func(f *footprint.Factor) { f.Divisor = "density" })}, "factors[0].divisor", footprint.ErrInvalidFactor},
		{"bad boundary", []footprint.Factor{mod(func(f *footprint.Factor) { f.Boundary = "XYZ" })}, "factors[0].boundary", footprint.ErrInvalidFactor},
		{"bad RF", []footprint.Factor{mod(func(f *footprint.Factor) { f.RadiativeForcing = "yes" })}, "factors[0].radiativeForcing", footprint.ErrInvalidFactor},
		{"missing GWP", []footprint.Factor{mod(func(f *footprint.Factor) { f.GWP = "" })}, "factors[0].gwp", footprint.ErrInvalidFactor},
		{"GWP AR3", []footprint.Factor{mod(func(f *footprint.Factor) { f.GWP = "AR3" })}, "factors[0].gwp", footprint.ErrInvalidFactor},
		{"relative ≥ 1", []footprint.Factor{mod(func(f *footprint.Factor) { f.Uncertainty.Relative = dsDec("1") })}, "factors[0].uncertainty.relative", footprint.ErrInvalidFactor},
		{"relative < 0", []footprint.Factor{mod(func(f *footprint.Factor) { f.Uncertainty.Relative = dsDec("-0.1") })}, "factors[0].uncertainty.relative", footprint.ErrInvalidFactor},
		{"low above amount", []footprint.Factor{mod(func(f *footprint.Factor) { f.Uncertainty.Low, f.Uncertainty.High = dsDec("2"), dsDec("3") })}, "factors[0].uncertainty.low", footprint.ErrInvalidFactor},
		{"high below amount", []footprint.Factor{mod(func(f *footprint.Factor) { f.Uncertainty.Low, f.Uncertainty.High = dsDec("0.5"), dsDec("0.9") })}, "factors[0].uncertainty.high", footprint.ErrInvalidFactor},
		{"high alone (not a range down to 0)", []footprint.Factor{mod(func(f *footprint.Factor) { f.Uncertainty.High = dsDec("2") })}, "factors[0].uncertainty.low", footprint.ErrInvalidFactor},
		{"low alone", []footprint.Factor{mod(func(f *footprint.Factor) { f.Uncertainty.Low = dsDec("0.5") })}, "factors[0].uncertainty.high", footprint.ErrInvalidFactor},
		{"negative amount, low alone (not a range up to 0)", []footprint.Factor{mod(func(f *footprint.Factor) {
			f.Measure, f.Amount, f.Uncertainty.Low = "eol.recycling-credit", dsDec("-1"), dsDec("-2")
		})}, "factors[0].uncertainty.high", footprint.ErrInvalidFactor},
		{"relative and range", []footprint.Factor{mod(func(f *footprint.Factor) { f.Uncertainty.Relative, f.Uncertainty.High = dsDec("0.1"), dsDec("2") })}, "factors[0].uncertainty.relative", footprint.ErrInvalidFactor},
		{"no source publisher", []footprint.Factor{mod(func(f *footprint.Factor) { f.Source.Publisher = "" })}, "factors[0].source.publisher", footprint.ErrInvalidFactor},
		{"no source title", []footprint.Factor{mod(func(f *footprint.Factor) { f.Source.Title = " " })}, "factors[0].source.title", footprint.ErrInvalidFactor},
		{"no source year", []footprint.Factor{mod(func(f *footprint.Factor) { f.Source.Year = 0 })}, "factors[0].source.year", footprint.ErrInvalidFactor},
		{"no licence", []footprint.Factor{mod(func(f *footprint.Factor) { f.Source.License = "" })}, "factors[0].source.license", footprint.ErrInvalidFactor},
		{"non-http URL", []footprint.Factor{mod(func(f *footprint.Factor) { f.Source.URL = "javascript:alert(1)" })}, "factors[0].source.url", footprint.ErrInvalidFactor},
		{"overlong description", []footprint.Factor{mod(func(f *footprint.Factor) { f.Description = strings.Repeat("x", 5000) })}, "factors[0].description", footprint.ErrInvalidFactor},
		{"control character in ID", []footprint.Factor{mod(func(f *footprint.Factor) { f.ID = "a\x00b" })}, "factors[0].id", footprint.ErrInvalidFactor},
	}
	for _, tc := range cases {
		_, err := footprint.NewDataset("n", "1", tc.factors)
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, tc.sentinel) {
			t.Errorf("%s: got %v, want field %s wrapping %v", tc.why, err, tc.field, tc.sentinel)
		}
	}
	if _, err := footprint.NewDataset("", "1", nil); !errors.Is(err, footprint.ErrInvalidDataset) {
		t.Errorf("empty name: %v", err)
	}
	// A linear factor may have a zero slope when its intercept is set, and a
	// negative amount is allowed (a recycling credit).
	ok := []footprint.Factor{
		mod(func(f *footprint.Factor) { f.Attribute, f.Amount, f.Intercept = "mass", decimal.Zero, dsDec("2") }),
		mod(func(f *footprint.Factor) {
			f.ID, f.Measure, f.Amount = "credit", "eol.recycling-credit", dsDec("-0.5")
			f.Uncertainty.Low, f.Uncertainty.High = dsDec("-0.6"), dsDec("-0.4")
		}),
	}
	if _, err := footprint.NewDataset("n", "1", ok); err != nil {
		t.Errorf("valid factors refused: %v", err)
	}
}

func TestDatasetImmutable(t *testing.T) {
	d := smallDataset(t)
	fs := d.Factors()
	fs[0].Amount = dsDec("999")
	if f, _ := d.Factor(fs[0].ID); f.Amount.Equal(dsDec("999")) {
		t.Fatal("Factors exposes internal state")
	}
	in := []footprint.Factor{fs[1]}
	d2, err := footprint.NewDataset("c", "1", in)
	if err != nil {
		t.Fatal(err)
	}
	in[0].Amount = dsDec("123")
	if f, _ := d2.Factor(in[0].ID); f.Amount.Equal(dsDec("123")) {
		t.Fatal("NewDataset keeps the caller's slice")
	}
	r, _ := d.Lookup(footprint.Query{Measure: "x.grid", Region: "FR"})
	r.FallbackPath[0] = "ZZ"
	if r2, _ := d.Lookup(footprint.Query{Measure: "x.grid", Region: "FR"}); r2.FallbackPath[0] != "FR" {
		t.Fatal("FallbackPath shares memory between lookups")
	}
}

// TestConcurrentLookups runs under -race in CI.
func TestConcurrentLookups(t *testing.T) {
	d := footprint.DefaultDataset().Over(smallDataset(t))
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				if _, err := d.Lookup(footprint.Query{Measure: "electricity.grid", Region: "DE"}); err != nil {
					t.Error(err)
					return
				}
				if _, err := footprint.DefaultDataset().Lookup(footprint.Query{Measure: "x.grid", Region: "FR"}); err == nil {
					t.Error("layering changed the default dataset")
					return
				}
			}
		}()
	}
	wg.Wait()
}
