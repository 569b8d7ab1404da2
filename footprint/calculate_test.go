package footprint

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// laptopBase is a minimal valid spec the tests modify.
func laptopBase() ProductSpec {
	return ProductSpec{
		Manufacturer: "Acme", Model: "Book 14",
		Mass:        mustMass("2.5 kg"),
		Manufacture: Manufacture{Declared: &DeclaredFigure{Amount: KgCO2e(d("200")), Source: "Acme PCF sheet 2025"}},
	}
}

func calcOK(t *testing.T, s ProductSpec) Footprint {
	t.Helper()
	fp, err := Calculate(s, calcDataset(t))
	if err != nil {
		t.Fatalf("Calculate: %v", err)
	}
	checkInvariants(t, fp)
	return fp
}

func wantKg(t *testing.T, what string, got CO2e, want string) {
	t.Helper()
	if !got.Kg().Equal(d(want)) {
		t.Errorf("%s = %s, want %s kg", what, got, want)
	}
}

func TestEnergyStarTEC(t *testing.T) {
	// Older ENERGY STAR notebook weighting: off 0.60 at 1 W, sleep 0.10 at
	// 1.7 W, idle 0.30 at 10 W.
	//   E_TEC = 8760/1000 × (1×0.60 + 1.7×0.10 + 10×0.30)
	//         = 8.76 × (0.6 + 0.17 + 3.0) = 8.76 × 3.77 = 33.0252 kWh/y
	// Five years in India at 0.70896 kg/kWh, no trajectory:
	//   33.0252 × 5 = 165.126 kWh; 165.126 × 0.70896 = 117.06772896 kg
	s := laptopBase()
	s.Use = &Use{
		Modes: []PowerMode{
			{Name: "off", Power: mustPower("1 W"), Share: d("0.60")},
			{Name: "sleep", Power: mustPower("1.7 W"), Share: d("0.10")},
			{Name: "idle", Power: mustPower("10 W"), Share: d("0.30")},
		},
		Country: "IN",
	}
	if got := s.Use.yearlyKWh().dec(); !got.Equal(d("33.0252")) {
		t.Fatalf("E_TEC = %s kWh/y, want 33.0252", got)
	}
	fp := calcOK(t, s)
	use := fp.Stage(StageUse)
	if len(use.Lines) != 1 {
		t.Fatalf("use lines = %d, want 1", len(use.Lines))
	}
	if a := use.Lines[0].Activity; !a.Amount.Equal(d("165.126")) || a.Basis != PerKWh {
		t.Errorf("activity = %v, want 165.126 kWh", a)
	}
	wantKg(t, "use", use.CO2e, "117.06772896")
	if fp.Method.Lifetime.Cmp(DefaultLifetime) != 0 || fp.Method.Country != "IN" || fp.Method.Grid != "dataset" {
		t.Errorf("method = %+v", fp.Method)
	}
	// Average power instead: 10 W for 8 h a day = 10 × 8 × 365 / 1000
	// = 29.2 kWh/y.
	s.Use = &Use{AveragePower: mustPower("10 W"), HoursPerDay: d("8"), Country: "IN"}
	if got := s.Use.yearlyKWh().dec(); !got.Equal(d("29.2")) {
		t.Errorf("average power: %s kWh/y, want 29.2", got)
	}
}

func TestShippingLegs(t *testing.T) {
	// 2.5 kg by sea 20,000 km then road 500 km (DEFRA 2025, kg/tkm):
	//   sea  2.5 × 20000 / 1000 = 50 tkm;  TTW 50 × 0.01612 = 0.806
	//                                        WTT 50 × 0.00365 = 0.1825
	//   road 2.5 × 500 / 1000 = 1.25 tkm;  TTW 1.25 × 0.10163 = 0.1270375
	//                                        WTT 1.25 × 0.02359 = 0.0294875
	//   WTW = 0.806 + 0.1825 + 0.1270375 + 0.0294875 = 1.145025
	//   TTW = 0.806 + 0.1270375 = 0.9330375
	s := laptopBase()
	s.Shipping.Legs = []Leg{{Mode: Sea, Distance: mustDist("20000 km")}, {Mode: Road, Distance: mustDist("500 km")}}
	fp := calcOK(t, s)
	tr := fp.Stage(StageTransport)
	wantKg(t, "sea+road WTW", tr.CO2e, "1.145025")
	if len(tr.Lines) != 4 || tr.Lines[0].Factor.Boundary != TTW || tr.Lines[1].Factor.Boundary != WTT {
		t.Errorf("WTW legs should show a TTW and a WTT line each: %+v", tr.Lines)
	}
	if !tr.Lines[0].Activity.Amount.Equal(d("50")) || tr.Lines[0].Activity.Basis != PerTonneKm {
		t.Errorf("sea activity = %v, want 50 tkm", tr.Lines[0].Activity)
	}
	s.Shipping.Boundary = TTW
	wantKg(t, "sea+road TTW", calcOK(t, s).Stage(StageTransport).CO2e, "0.9330375")

	// Air long-haul 8000 km, 2.5 kg: 20 tkm.
	//   with RF:    TTW 20 × 0.89939 = 17.9878; WTT 20 × 0.13516 = 2.7032
	//               WTW = 20.691; TTW only = 17.9878
	//   without RF: TTW 20 × 0.53130 = 10.626;  WTW = 10.626 + 2.7032 = 13.3292
	s.Shipping = Shipping{Legs: []Leg{{Mode: AirLongHaul, Distance: mustDist("8000 km")}}}
	fp = calcOK(t, s)
	wantKg(t, "air WTW RF (defaults)", fp.Stage(StageTransport).CO2e, "20.691")
	if fp.Method.Boundary != WTW || fp.Method.RadiativeForcing != RFIncluded {
		t.Errorf("defaults not recorded: %+v", fp.Method)
	}
	s.Shipping.RadiativeForcing = RFExcluded
	fp = calcOK(t, s)
	wantKg(t, "air WTW no RF", fp.Stage(StageTransport).CO2e, "13.3292")
	if fp.Method.RadiativeForcing != RFExcluded {
		t.Error("RF choice not recorded")
	}
	s.Shipping = Shipping{Boundary: TTW, RadiativeForcing: RFIncluded, Legs: s.Shipping.Legs}
	wantKg(t, "air TTW RF", calcOK(t, s).Stage(StageTransport).CO2e, "17.9878")

	// A WTT factor published without the radiative-forcing choice is found
	// too (short-haul in the test dataset): 1 kg × 1000 km = 1 tkm;
	// 1.27835 + 0.20515 = 1.4835.
	s.Shipping = Shipping{Legs: []Leg{{Mode: AirShortHaul, Mass: mustMass("1 kg"), Distance: mustDist("1000 km")}}}
	wantKg(t, "air short-haul WTW", calcOK(t, s).Stage(StageTransport).CO2e, "1.4835")
}

func TestShippingFromCoordinates(t *testing.T) {
	// One degree of longitude on the equator: 2π × 6371.009 km / 360 =
	// 111.195 km (rounded to 111,195 m). Sea: × 1.15 = 127,874.25 m;
	// air: + 95 km = 206,195 m. Mass 1 kg.
	//   sea tkm = 1 × 127.87425 / 1000 = 0.12787425
	//   sea WTW = 0.12787425 × (0.01612 + 0.00365) = 0.0025280739225
	//   air tkm = 0.206195; air WTW RF = 0.206195 × 1.03455 = 0.21331903725
	from, to := &Coordinates{Lat: d("0"), Lon: d("0")}, &Coordinates{Lat: d("0"), Lon: d("1")}
	s := laptopBase()
	s.Shipping.Legs = []Leg{{Mode: Sea, Mass: mustMass("1 kg"), From: from, To: to}}
	fp := calcOK(t, s)
	if a := fp.Stage(StageTransport).Lines[0].Activity; !a.Amount.Equal(d("0.12787425")) {
		t.Errorf("sea tkm = %s, want 0.12787425", a.Amount)
	}
	wantKg(t, "sea from coordinates", fp.Stage(StageTransport).CO2e, "0.0025280739225")
	s.Shipping.Legs[0].Mode = AirLongHaul
	wantKg(t, "air from coordinates", calcOK(t, s).Stage(StageTransport).CO2e, "0.21331903725")
	if got := Road.AdjustedDistance(Km(d("100"))); !got.Km().Equal(d("105")) {
		t.Errorf("road detour: %s, want 105 km", got)
	}
}

func TestBillOfMaterialsLinear(t *testing.T) {
	// UBA component model (kg CO2e):
	//   CPU 150 mm² die:  150 × 0.0197 + 9.14 = 2.955 + 9.14 = 12.095
	//   RAM 2 × (8 GB ÷ 1.6 GB/cm² = 5 cm²): 2 × (5 × 2.20 + 5.22) = 2 × 16.22 = 32.44
	//   SSD 512 GB ÷ 51.2 GB/cm² = 10 cm²: 10 × 2.20 + 6.34 = 28.34
	//   mainboard 66.10 (± 20 %: 52.88 to 79.32)
	//   PSU 0.3 kg × 24.30 = 7.29
	//   assembly 6.68
	//   total 12.095 + 32.44 + 28.34 + 66.10 + 7.29 + 6.68 = 152.945
	//   range: 152.945 − 13.22 = 139.725 to 152.945 + 13.22 = 166.165
	s := laptopBase()
	s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{
		{Kind: "cpu", Quantity: d("1"), Attributes: map[string]string{"die_area": "150"}},
		{Kind: "ram", Quantity: d("2"), Attributes: map[string]string{"capacity": "8", "density": "1.6"}},
		{Kind: "ssd", Quantity: d("1"), Attributes: map[string]string{"capacity": "512", "density": "51.2"}},
		{Kind: "mainboard", Quantity: d("1")},
		{Kind: "psu", Quantity: d("1"), Attributes: map[string]string{"mass": "0.3"}},
	}, Assembly: true}}
	fp := calcOK(t, s)
	m := fp.Stage(StageManufacture)
	for i, want := range []string{"12.095", "32.44", "28.34", "66.10", "7.29", "6.68"} {
		wantKg(t, "line "+m.Lines[i].Label, m.Lines[i].CO2e, want)
	}
	wantKg(t, "manufacture", m.CO2e, "152.945")
	wantKg(t, "low", m.Low, "139.725")
	wantKg(t, "high", m.High, "166.165")

	// Per-kg material, per-m² display with a low/high range, packaging:
	//   aluminium 0.5 kg × 2 × 8.6 = 8.6; display 0.06 m² × 200 = 12
	//   (150..300: 9 to 18); cardboard 0.6 kg × 1.2 = 0.72; total 21.32,
	//   range 18.32 to 27.32.
	s.Manufacture = Manufacture{BOM: &BillOfMaterials{
		Components: []Component{
			{Material: "aluminium", Quantity: d("2"), Mass: mustMass("0.5 kg")},
			{Kind: "display", Quantity: d("1"), Attributes: map[string]string{"area": "0.06"}},
		},
		Packaging: []Material{{Material: "cardboard", Mass: mustMass("0.6 kg")}},
	}}
	fp = calcOK(t, s)
	m = fp.Stage(StageManufacture)
	wantKg(t, "materials", m.CO2e, "21.32")
	wantKg(t, "materials low", m.Low, "18.32")
	wantKg(t, "materials high", m.High, "27.32")
	if !m.Lines[2].Packaging || m.Lines[0].Packaging {
		t.Error("packaging lines must be marked")
	}
}

func TestDecliningGridYearByYear(t *testing.T) {
	// 20 kWh a year for 5 years in India (0.70896 kg/kWh), falling 5 % a
	// year: year k uses 0.70896 × 0.95^(k−1).
	//   y1 20 × 0.70896              = 14.1792
	//   y2 20 × 0.70896 × 0.95       = 13.47024
	//   y3 20 × 0.70896 × 0.9025     = 12.796728
	//   y4 20 × 0.70896 × 0.857375   = 12.1568916
	//   y5 20 × 0.70896 × 0.81450625 = 11.54904702
	//   sum                          = 64.15210662
	s := laptopBase()
	s.Use = &Use{YearlyEnergy: mustEnergy("20 kWh"), Lifetime: mustDur("5 y"), Country: "IN", Trajectory: &Trajectory{YearlyDecline: d("0.05")}}
	fp := calcOK(t, s)
	use := fp.Stage(StageUse)
	want := []string{"14.1792", "13.47024", "12.796728", "12.1568916", "11.54904702"}
	if len(use.Lines) != 5 {
		t.Fatalf("lines = %d, want 5", len(use.Lines))
	}
	for i, w := range want {
		wantKg(t, use.Lines[i].Label, use.Lines[i].CO2e, w)
	}
	wantKg(t, "use", use.CO2e, "64.15210662")
	if fp.Method.Grid != "decline" || !use.Lines[4].Factor.Scale.Equal(d("0.81450625")) {
		t.Errorf("trajectory not recorded: %s, scale %s", fp.Method.Grid, use.Lines[4].Factor.Scale)
	}

	// A partial final year: 2.5 y, 10 kWh/y, explicit 0.5 kg/kWh falling
	// 10 % a year: y1 10 × 0.5 = 5; y2 10 × 0.45 = 4.5;
	// y3 (half a year) 5 × 0.405 = 2.025; total 11.525.
	s.Use = &Use{YearlyEnergy: mustEnergy("10 kWh"), Lifetime: mustDur("2.5 y"), Grid: &GridIntensity{KgPerKWh: d("0.5"), Source: "utility"}, Trajectory: &Trajectory{YearlyDecline: d("0.1")}}
	fp = calcOK(t, s)
	wantKg(t, "partial year", fp.Stage(StageUse).CO2e, "11.525")
	if n := len(fp.Stage(StageUse).Lines); n != 3 {
		t.Errorf("partial: %d lines, want 3", n)
	}

	// One intensity per year given: 10 kWh/y × (0.6 + 0.5) = 11.
	s.Use = &Use{YearlyEnergy: mustEnergy("10 kWh"), Lifetime: mustDur("2 y"), Country: "IN", Trajectory: &Trajectory{KgPerKWh: []decimalT{d("0.6"), d("0.5")}, Source: "national plan"}}
	fp = calcOK(t, s)
	wantKg(t, "explicit trajectory", fp.Stage(StageUse).CO2e, "11")
	if fp.Method.Grid != "trajectory" {
		t.Errorf("grid = %q", fp.Method.Grid)
	}
}

func TestEndOfLifeAndCredit(t *testing.T) {
	// e-waste 2.5 kg × 0.5 = 1.25 kg; the credit 2.5 × −2 = −5 (±50 %:
	// −7.5 to −2.5) is reported apart and not in the total.
	s := laptopBase()
	s.EndOfLife = &EndOfLife{PerKg: true, RecyclingCredit: true}
	fp := calcOK(t, s)
	wantKg(t, "eol", fp.Stage(StageEndOfLife).CO2e, "1.25")
	wantKg(t, "total", fp.CO2e, "201.25")
	if c := fp.RecyclingCredit; c == nil {
		t.Fatal("credit missing")
	} else {
		wantKg(t, "credit", c.CO2e, "-5")
		wantKg(t, "credit low", c.Low, "-7.5")
		wantKg(t, "credit high", c.High, "-2.5")
	}
	s.EndOfLife = &EndOfLife{Declared: &DeclaredFigure{Amount: KgCO2e(d("3")), Source: "take-back scheme"}}
	wantKg(t, "declared eol", calcOK(t, s).Stage(StageEndOfLife).CO2e, "3")
}

func TestReferenceLaptop(t *testing.T) {
	// Published laptop footprints lie between 150 and 600 kg CO2e, with
	// manufacture the largest stage.
	fp, err := Calculate(ReferenceLaptop(), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, fp)
	if fp.CO2e.Kg().LessThan(d("150")) || fp.CO2e.Kg().GreaterThan(d("600")) {
		t.Errorf("total %s outside 150–600 kg", fp.CO2e)
	}
	m := fp.Stage(StageManufacture).CO2e
	for _, s := range fp.Stages {
		if s.CO2e.Cmp(m) > 0 {
			t.Errorf("stage %s (%s) larger than manufacture (%s)", s.Name, s.CO2e, m)
		}
	}
	if n := len(fp.Stage(StageUse).Lines); n != 5 {
		t.Errorf("use lines = %d, want 5 (one per year)", n)
	}
	if n := len(fp.Stage(StageTransport).Lines); n != 6 {
		t.Errorf("transport lines = %d, want 6 (3 legs × TTW, WTT)", n)
	}
}

// TestReferenceLaptopByHand works the reference laptop out line by line
// from the published figures of the default dataset (kg CO2e), without the
// code under test. Quotients that do not terminate keep 30 decimal places.
//
// Manufacture (UBA component model; DESNZ 2025 materials per kg; battery
// per Wh):
//
//	CPU 150 mm² × 0.0197 + 9.14                          = 12.095
//	RAM 8 GB ÷ 1.79 GB/cm² = 4.469273743016759776536312849162 cm²
//	    × 2.20 + 5.22 = 15.0524022346368715083798882681564; × 2 modules
//	                                                     = 30.1048044692737430167597765363128
//	SSD 512 GB ÷ 50.6 GB/cm² = 10.118577075098814229249011857708 cm²
//	    × 2.20 + 6.34                                    = 28.6008695652173913043478260869576
//	mainboard                                            = 66.10
//	display 14-inch 16:10: 14² × 160/356 in² = 88.09 in²
//	    = 0.0568 m² (as given) × 406.83 (low 406.83, high 2,172.15)
//	                                                     = 23.107944 (to 123.37812)
//	chassis, aluminium 0.5 kg × 9.11590131 (9,115.90131 per t)
//	                                                     = 4.557950655
//	plastic parts 0.2 kg × 3.17249932 (3,172.49932 per t) = 0.634499864
//	power adapter 0.3 kg × 24.30                         = 7.29
//	battery 56 Wh × 0.074 (low 0.059, high 0.115)        = 4.144 (3.304 to 6.44)
//	cardboard 0.35 kg × 1.19972542 (1,199.72542 per t)   = 0.419903897
//	plastic film 0.05 kg × 2.91650513 (2,916.50513 per t) = 0.1458252565
//	assembly                                             = 6.68
//	manufacture = 183.8807977069911343211076026232704
//	    low  = 183.8807977069911343211076026232704 − 4.144 + 3.304
//	         = 183.0407977069911343211076026232704
//	    high = 183.8807977069911343211076026232704 − 4.144 + 6.44
//	           − 23.107944 + 123.37812
//	         = 286.4469737069911343211076026232704
//
// Transport, 2.1 kg packaged, DESNZ 2025 (TTW + WTT; air with RF):
//
//	road 45 km: 0.0945 tkm × 0.10163 = 0.009604035; × 0.02359 = 0.002229255
//	air 4367.5 km: 9.17175 tkm × 0.89939 = 8.2489802325; × 0.13516 = 1.23965373
//	road 980 km: 2.058 tkm × 0.10163 = 0.20915454; × 0.02359 = 0.04854822
//	transport = 9.7581700125
//
// Use, 19.1406 kWh a year in India (0.70896 kg/kWh), falling 3 % a year:
//
//	y1 19.1406 × 0.70896              = 13.569919776
//	y2 13.569919776 × 0.97            = 13.16282218272
//	y3 13.569919776 × 0.9409          = 12.7679375172384
//	y4 13.569919776 × 0.912673        = 12.384899391721248
//	y5 13.569919776 × 0.88529281      = 12.01335240996961056
//	use = 63.89893127764925856
//
// End of life: 1.4 kg of e-waste × 1.5062 = 2.10868.
//
// Total = 183.8807977069911343211076026232704 + 9.7581700125
// + 63.89893127764925856 + 2.10868 = 259.6465789971403928811076026232704;
// low = total − 0.84 = 258.8065789971403928811076026232704,
// high = total + 2.296 + 100.270176 = 362.2127549971403928811076026232704.
func TestReferenceLaptopByHand(t *testing.T) {
	fp, err := Calculate(ReferenceLaptop(), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, fp)
	for _, st := range []struct {
		stage StageName
		lines []string
		total string
	}{
		{StageManufacture, []string{"12.095", "30.1048044692737430167597765363128", "28.6008695652173913043478260869576",
			"66.10", "23.107944", "4.557950655", "0.634499864", "7.29", "4.144", "0.419903897", "0.1458252565", "6.68"},
			"183.8807977069911343211076026232704"},
		{StageTransport, []string{"0.009604035", "0.002229255", "8.2489802325", "1.23965373", "0.20915454", "0.04854822"},
			"9.7581700125"},
		{StageUse, []string{"13.569919776", "13.16282218272", "12.7679375172384", "12.384899391721248", "12.01335240996961056"},
			"63.89893127764925856"},
		{StageEndOfLife, []string{"2.10868"}, "2.10868"},
	} {
		s := fp.Stage(st.stage)
		if len(s.Lines) != len(st.lines) {
			t.Errorf("%s: %d lines, want %d", st.stage, len(s.Lines), len(st.lines))
			continue
		}
		for i, want := range st.lines {
			wantKg(t, string(st.stage)+" "+s.Lines[i].Label, s.Lines[i].CO2e, want)
		}
		wantKg(t, string(st.stage), s.CO2e, st.total)
	}
	man := fp.Stage(StageManufacture)
	wantKg(t, "manufacture low", man.Low, "183.0407977069911343211076026232704")
	wantKg(t, "manufacture high", man.High, "286.4469737069911343211076026232704")
	wantKg(t, "total", fp.CO2e, "259.6465789971403928811076026232704")
	wantKg(t, "total low", fp.Low, "258.8065789971403928811076026232704")
	wantKg(t, "total high", fp.High, "362.2127549971403928811076026232704")
	// Each line priced by a linear factor records the attribute per item:
	// CPU die 150 mm2; memory 8 GB ÷ 1.79 GB/cm2 and SSD 512 ÷ 50.6, both
	// rounded half away from zero at 30 places; display 0.0568 m2; power
	// adapter 0.3 kg; battery 56 Wh. The other lines record none. With it,
	// the line's figure is Activity × (Factor.Amount × Attribute +
	// Factor.Intercept) exactly, as Line's doc says.
	for i, want := range []string{"150", "4.469273743016759776536312849162", "10.118577075098814229249011857708",
		"", "0.0568", "", "", "0.3", "56", "", "", ""} {
		l := man.Lines[i]
		if want == "" {
			if !l.AttributeValue.IsZero() {
				t.Errorf("line %s: attribute %s, want none", l.Label, l.AttributeValue)
			}
			continue
		}
		if l.AttributeValue.String() != want {
			t.Errorf("line %s: attribute %s, want %s", l.Label, l.AttributeValue, want)
		}
		per := l.Factor.Amount.Mul(l.AttributeValue).Add(l.Factor.Intercept)
		if got := l.Activity.Amount.Mul(per); !got.Equal(l.CO2e.Kg()) {
			t.Errorf("line %s: activity × (amount × attribute + intercept) = %s, line says %s", l.Label, got, l.CO2e.Kg())
		}
	}
	// Packaging lines are marked as such, the others are not.
	for i, l := range man.Lines {
		if want := i == 9 || i == 10; l.Packaging != want {
			t.Errorf("line %d %s: packaging %v, want %v", i, l.Label, l.Packaging, want)
		}
	}
	// The material lines cite DESNZ 2025 under the Open Government Licence.
	for _, i := range []int{5, 6, 9, 10} {
		src := man.Lines[i].Factor.Source
		if src.Year != 2025 || src.License != "OGL-UK-3.0" || !strings.Contains(src.Publisher, "DESNZ") {
			t.Errorf("line %s: source %+v", man.Lines[i].Label, src)
		}
	}
}

func TestDefaultDatasetExplicit(t *testing.T) {
	a, err := Calculate(ReferenceLaptop(), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Calculate(ReferenceLaptop(), DefaultDataset())
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Error("nil dataset and DefaultDataset() differ")
	}
}

func TestExplicitDefaults(t *testing.T) {
	// Stating every default gives byte-identical JSON and the same digest.
	omitted := ReferenceLaptop()
	omitted.PackagedMass = Mass{}
	omitted.Use.Lifetime = Duration{}
	explicit := ReferenceLaptop()
	explicit.PackagedMass = explicit.Mass
	explicit.Shipping.Boundary = WTW
	explicit.Shipping.RadiativeForcing = RFIncluded
	explicit.Use.Lifetime = mustDur("43800 h") // 5 y written another way
	legs := append([]Leg(nil), explicit.Shipping.Legs...)
	for i := range legs {
		legs[i].Mass = explicit.Mass // packaged mass = mass here
	}
	explicit.Shipping.Legs = legs
	a, err := Calculate(omitted, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Calculate(explicit, nil)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("explicit defaults changed the result:\n%s\n%s", ja, jb)
	}
}

func TestBadInputs(t *testing.T) {
	type mod func(s *ProductSpec)
	cases := []struct {
		name, field string
		sentinel    error
		mod         mod
	}{
		{"no manufacture data", "manufacture", ErrInvalidProduct, func(s *ProductSpec) { s.Manufacture = Manufacture{} }},
		{"both declared and BOM", "manufacture", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture.BOM = &BillOfMaterials{Components: []Component{{Kind: "hdd", Quantity: d("1")}}}
		}},
		{"leg with neither distance nor endpoints", "shipping.legs[1].distance", ErrInvalidProduct, func(s *ProductSpec) {
			s.Shipping.Legs = []Leg{{Mode: Sea, Distance: mustDist("10 km")}, {Mode: Road}}
		}},
		{"leg with only an origin", "shipping.legs[0].to", ErrInvalidProduct, func(s *ProductSpec) {
			s.Shipping.Legs = []Leg{{Mode: Sea, From: &Coordinates{}}}
		}},
		{"latitude out of range", "shipping.legs[0].to.lat", ErrInvalidProduct, func(s *ProductSpec) {
			s.Shipping.Legs = []Leg{{Mode: Sea, From: &Coordinates{}, To: &Coordinates{Lat: d("91"), Lon: d("0")}}}
		}},
		{"longitude out of range", "shipping.legs[0].from.lon", ErrInvalidProduct, func(s *ProductSpec) {
			s.Shipping.Legs = []Leg{{Mode: Sea, From: &Coordinates{Lon: d("-180.5")}, To: &Coordinates{}}}
		}},
		{"leg from a place to itself", "shipping.legs[0].toPlace", ErrInvalidProduct, func(s *ProductSpec) {
			s.Shipping.Legs = []Leg{{Mode: AirLongHaul, FromPlace: "HKG", ToPlace: "hkg"}}
		}},
		{"leg between two names of one point", "shipping.legs[0].to", ErrInvalidProduct, func(s *ProductSpec) {
			s.Shipping.Legs = []Leg{{Mode: Sea, From: &Coordinates{Lat: d("10"), Lon: d("180")}, To: &Coordinates{Lat: d("10"), Lon: d("-180")}}}
		}},
		{"unknown mode", "shipping.legs[0].mode", ErrInvalidProduct, func(s *ProductSpec) {
			s.Shipping.Legs = []Leg{{Mode: "barge", Distance: mustDist("1 km")}}
		}},
		{"negative leg distance", "shipping.legs[0].distance", ErrInvalidProduct, func(s *ProductSpec) {
			s.Shipping.Legs = []Leg{{Mode: Sea, Distance: mustDist("-5 km")}}
		}},
		{"mode shares not summing to 1", "use.modes", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{Country: "IN", Modes: []PowerMode{{Name: "on", Power: mustPower("10 W"), Share: d("0.5")}, {Name: "off", Power: mustPower("1 W"), Share: d("0.49")}}}
		}},
		{"lifetime zero", "use.lifetime", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{Country: "IN", YearlyEnergy: mustEnergy("20 kWh"), Lifetime: mustDur("-1 y")}
		}},
		{"lifetime above 30 years", "use.lifetime", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{Country: "IN", YearlyEnergy: mustEnergy("20 kWh"), Lifetime: mustDur("31 y")}
		}},
		{"negative mass", "mass", ErrInvalidProduct, func(s *ProductSpec) { s.Mass = mustMass("-1 kg") }},
		{"negative component mass", "manufacture.bom.components[0].mass", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Material: "aluminium", Quantity: d("1"), Mass: mustMass("-1 kg")}}}}
		}},
		{"packaged lighter than product", "packagedMass", ErrInvalidProduct, func(s *ProductSpec) { s.PackagedMass = mustMass("1 kg") }},
		{"unknown country without explicit factor", "use.country", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{Country: "XX", YearlyEnergy: mustEnergy("20 kWh")}
		}},
		{"no country and no grid", "use.country", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{YearlyEnergy: mustEnergy("20 kWh")}
		}},
		{"two energy models", "use.yearlyEnergy", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{Country: "IN", YearlyEnergy: mustEnergy("20 kWh"), AveragePower: mustPower("5 W"), HoursPerDay: d("2")}
		}},
		{"hours per day above 24", "use.hoursPerDay", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{Country: "IN", AveragePower: mustPower("5 W"), HoursPerDay: d("25")}
		}},
		{"trajectory of the wrong length", "use.trajectory.kgPerKWh", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{Country: "IN", YearlyEnergy: mustEnergy("20 kWh"), Trajectory: &Trajectory{KgPerKWh: []decimalT{d("0.5")}, Source: "x"}}
		}},
		{"grid and a per-year trajectory", "use.grid", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{YearlyEnergy: mustEnergy("20 kWh"), Lifetime: mustDur("2 y"), Grid: &GridIntensity{KgPerKWh: d("5"), Source: "x"}, Trajectory: &Trajectory{KgPerKWh: []decimalT{d("0.1"), d("0.1")}, Source: "y"}}
		}},
		{"decline of 100 %", "use.trajectory.yearlyDecline", ErrInvalidProduct, func(s *ProductSpec) {
			s.Use = &Use{Country: "IN", YearlyEnergy: mustEnergy("20 kWh"), Trajectory: &Trajectory{YearlyDecline: d("1")}}
		}},
		{"component missing its attribute", "manufacture.bom.components[0].attributes.die_area", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Kind: "cpu", Quantity: d("1")}}}}
		}},
		{"component missing its divisor", "manufacture.bom.components[1].attributes.density", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Kind: "hdd", Quantity: d("1")}, {Kind: "ram", Quantity: d("1"), Attributes: map[string]string{"capacity": "8"}}}}}
		}},
		{"malformed attribute", "manufacture.bom.components[0].attributes.die_area", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Kind: "cpu", Quantity: d("1"), Attributes: map[string]string{"die_area": "1e3"}}}}}
		}},
		// A zero attribute is not a zero line: the component would be priced
		// at its intercept, or (a display) at nothing.
		{"display of zero area", "manufacture.bom.components[0].attributes.area", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Kind: "display", Quantity: d("1"), Attributes: map[string]string{"area": "0"}}}}}
		}},
		{"CPU of zero die area", "manufacture.bom.components[0].attributes.die_area", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Kind: "cpu", Quantity: d("1"), Attributes: map[string]string{"die_area": "0.000"}}}}}
		}},
		{"zero divisor", "manufacture.bom.components[0].attributes.density", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Kind: "ram", Quantity: d("1"), Attributes: map[string]string{"capacity": "8", "density": "0"}}}}}
		}},
		{"zero area past the recorded attributes", "manufacture.bom.components[16].attributes.area", ErrInvalidProduct, func(s *ProductSpec) {
			cs := make([]Component, 17)
			for i := range cs {
				cs[i] = Component{Kind: "display", Quantity: d("1"), Attributes: map[string]string{"area": "0.05"}}
			}
			cs[16].Attributes = map[string]string{"area": "0"}
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: cs}}
		}},
		{"zero quantity", "manufacture.bom.components[0].quantity", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Kind: "hdd"}}}}
		}},
		{"unknown component kind", "manufacture.bom.components[0].kind", ErrFactorNotFound, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Kind: "flux-capacitor", Quantity: d("1")}}}}
		}},
		{"material without mass", "manufacture.bom.components[0].mass", ErrInvalidProduct, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Material: "aluminium", Quantity: d("1")}}}}
		}},
		{"factor of an unusable basis", "manufacture.bom.components[0].kind", ErrWrongDimension, func(s *ProductSpec) {
			s.Manufacture = Manufacture{BOM: &BillOfMaterials{Components: []Component{{Kind: "battery", Quantity: d("1")}}}}
		}},
		{"declared figure without source", "manufacture.declared.source", ErrInvalidProduct, func(s *ProductSpec) { s.Manufacture.Declared.Source = "" }},
		{"end of life without a method", "endOfLife.perKg", ErrInvalidProduct, func(s *ProductSpec) { s.EndOfLife = &EndOfLife{} }},
		{"missing model", "model", ErrInvalidProduct, func(s *ProductSpec) { s.Model = "" }},
		{"unknown region", "shipping.legs[0].region", ErrInvalidProduct, func(s *ProductSpec) {
			s.Shipping.Legs = []Leg{{Mode: Sea, Distance: mustDist("1 km"), Region: "Asia"}}
		}},
	}
	ds := calcDataset(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := laptopBase()
			c.mod(&s)
			_, err := Calculate(s, ds)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FieldError", err, err)
			}
			if fe.Field != c.field {
				t.Errorf("field = %q, want %q (%v)", fe.Field, c.field, err)
			}
			if !errors.Is(err, c.sentinel) {
				t.Errorf("error %v does not wrap %v", err, c.sentinel)
			}
			// Validate (struct tags + rules) refuses what Calculate refuses,
			// unless only the dataset can tell.
			if errors.Is(err, ErrInvalidProduct) && !strings.Contains(fe.Rule, "factor") {
				if s.Validate() == nil {
					t.Errorf("Validate accepted a spec Calculate refused: %v", err)
				}
			}
		})
	}
}

// checkInvariants checks low ≤ value ≤ high everywhere and that parts add
// up exactly.
func checkInvariants(t testing.TB, fp Footprint) {
	t.Helper()
	ordered := func(what string, v, lo, hi CO2e) {
		if lo.Cmp(v) > 0 || v.Cmp(hi) > 0 {
			t.Errorf("%s: low %s ≤ %s ≤ high %s broken", what, lo, v, hi)
		}
	}
	var tv, tl, th CO2e
	if len(fp.Stages) != 4 {
		t.Fatalf("stages = %d", len(fp.Stages))
	}
	for i, s := range fp.Stages {
		if s.Name != Stages()[i] {
			t.Errorf("stage %d is %s", i, s.Name)
		}
		var sv, sl, sh CO2e
		for _, l := range s.Lines {
			ordered(string(s.Name)+"/"+l.Label, l.CO2e, l.Low, l.High)
			// a line that records an attribute is linear in it, as Line's
			// doc says; only lines priced by a linear factor record one
			if f := l.Factor; (f.Attribute != "") != !l.AttributeValue.IsZero() {
				t.Errorf("%s/%s: factor attribute %q, line attribute %s", s.Name, l.Label, f.Attribute, l.AttributeValue)
			} else if f.Attribute != "" {
				if got := l.Activity.Amount.Mul(f.Amount.Mul(l.AttributeValue).Add(f.Intercept)); !got.Equal(l.CO2e.Kg()) {
					t.Errorf("%s/%s: activity × (amount × attribute + intercept) = %s, line says %s", s.Name, l.Label, got, l.CO2e.Kg())
				}
			}
			sv, sl, sh = sv.Add(l.CO2e), sl.Add(l.Low), sh.Add(l.High)
		}
		if !sv.Equal(s.CO2e) || !sl.Equal(s.Low) || !sh.Equal(s.High) {
			t.Errorf("stage %s: lines add to %s [%s, %s], stage says %s [%s, %s]", s.Name, sv, sl, sh, s.CO2e, s.Low, s.High)
		}
		ordered(string(s.Name), s.CO2e, s.Low, s.High)
		tv, tl, th = tv.Add(s.CO2e), tl.Add(s.Low), th.Add(s.High)
	}
	if !tv.Equal(fp.CO2e) || !tl.Equal(fp.Low) || !th.Equal(fp.High) {
		t.Errorf("stages add to %s [%s, %s], total says %s [%s, %s]", tv, tl, th, fp.CO2e, fp.Low, fp.High)
	}
	ordered("total", fp.CO2e, fp.Low, fp.High)
	if c := fp.RecyclingCredit; c != nil {
		ordered("credit", c.CO2e, c.Low, c.High)
	}
}

// TestRecyclingCreditNeedsALayer checks the documented behaviour of a
// recycling credit with the default dataset, which has no credit factor:
// an error naming the field and wrapping ErrFactorNotFound, not a silent
// zero.
func TestRecyclingCreditNeedsALayer(t *testing.T) {
	s := ReferenceLaptop()
	s.EndOfLife = &EndOfLife{PerKg: true, RecyclingCredit: true}
	_, err := Calculate(s, nil)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "endOfLife.recyclingCredit" || !errors.Is(err, ErrFactorNotFound) {
		t.Errorf("got %v, want a FieldError on endOfLife.recyclingCredit wrapping ErrFactorNotFound", err)
	}
}

// TestFootprintJSONHasShares checks the "shares" member against the
// reference laptop's stages worked out by hand (TestReferenceLaptopByHand):
// 100 × 183.88079… ÷ 259.64657… = 70.820 → 70.8; 100 × 9.75817 ÷ 259.64657
// = 3.758 → 3.8; 100 × 63.89893 ÷ 259.64657 = 24.610 → 24.6; 100 × 2.10868
// ÷ 259.64657 = 0.812 → 0.8.
func TestFootprintJSONHasShares(t *testing.T) {
	fp, err := Calculate(ReferenceLaptop(), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(fp)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Shares []struct{ Stage, Percent string }
		CO2e   string
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"manufacture 70.8", "transport 3.8", "use 24.6", "end-of-life 0.8"}
	if len(m.Shares) != len(want) {
		t.Fatalf("shares %v", m.Shares)
	}
	for i, s := range m.Shares {
		if got := s.Stage + " " + s.Percent; got != want[i] {
			t.Errorf("share %d = %q, want %q", i, got, want[i])
		}
	}
	if m.CO2e == "" {
		t.Error("the footprint's own fields are missing from its JSON")
	}
	var back Footprint // decoding ignores "shares"
	if err := json.Unmarshal(b, &back); err != nil || !back.CO2e.Equal(fp.CO2e) {
		t.Errorf("decoding back: %v, %v", err, back.CO2e)
	}
}

func TestPartialYearDividesOnce(t *testing.T) {
	// Modes averaging 0.3×0.25 + 0.6×0.35 + 4×0.1 + 5×0.3 = 2.185 W, so
	// 2.185 × 8.76 = 19.1406 kWh a year. 12,000 h is one year and 3,240 h:
	// the partial year uses 2.185 W × 3,240 h = 7.0794 kWh exactly
	// (19.1406 × 3240 ÷ 8760), and the whole life 19.1406 + 7.0794 = 26.22
	// kWh. One hour uses 0.002185 kWh. Dividing the hours by 8760 first
	// would round the fraction at 30 places and leave digits past the 30th.
	modes := []PowerMode{
		{Name: "off", Power: mustPower("0.3 W"), Share: d("0.25")},
		{Name: "sleep", Power: mustPower("0.6 W"), Share: d("0.35")},
		{Name: "long idle", Power: mustPower("4 W"), Share: d("0.1")},
		{Name: "short idle", Power: mustPower("5 W"), Share: d("0.3")},
	}
	grid := &GridIntensity{KgPerKWh: d("1"), Source: "test grid"}
	s := laptopBase()
	s.Use = &Use{Modes: modes, Lifetime: mustDur("12000 h"), Grid: grid}
	use := calcOK(t, s).Stage(StageUse)
	if a := use.Lines[0].Activity.Amount; !a.Equal(d("26.22")) {
		t.Errorf("whole life = %s kWh, want 26.22", a)
	}
	s.Use.Trajectory = &Trajectory{YearlyDecline: d("0.1")}
	use = calcOK(t, s).Stage(StageUse)
	if len(use.Lines) != 2 {
		t.Fatalf("lines = %d, want 2", len(use.Lines))
	}
	if a := use.Lines[1].Activity.Amount; !a.Equal(d("7.0794")) {
		t.Errorf("partial year = %s kWh, want 7.0794", a)
	}
	s.Use = &Use{Modes: modes, Lifetime: mustDur("1 h"), Grid: grid}
	if a := calcOK(t, s).Stage(StageUse).Lines[0].Activity.Amount; !a.Equal(d("0.002185")) {
		t.Errorf("one hour = %s kWh, want 0.002185", a)
	}
}
