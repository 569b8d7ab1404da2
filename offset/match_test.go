package offset

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

func kgQ(s string) footprint.CO2e { return footprint.KgCO2e(decimal.RequireFromString(s)) }

func tproj(id string, typ ProjectType, country string, std Standard, unit UnitType) Project {
	return Project{ID: id, Name: "Test " + id, Standard: std, Type: typ, UnitType: unit, Country: country}
}

func tlot(id, project string, vintage int, first uint64, tonnes int64, price, cur string) Lot {
	return Lot{ID: id, Project: project, Vintage: vintage, Block: RangeBlock(first, first+uint64(tonnes)-1),
		Tonnes: tonnes, Status: Retired, Price: Price{decimal.RequireFromString(price), cur}}
}

// strategyInventory: four projects on four continents.
//
//	lot  project        vintage  tonnes  price
//	A1   A wind IN      2022     2       10 USD
//	B1   B solar CL     2019     2        8 USD
//	C1   C cookst. KE   2021     2        5 USD
//	D1   D landfill US  2020     1        5 USD
//	D2   D landfill US  2018     1       12 USD
func strategyInventory(t testing.TB) Inventory {
	inv, err := NewInventory(
		[]Project{
			tproj("A", TypeWind, "IN", StandardCDM, Avoidance),
			tproj("B", TypeSolar, "CL", StandardGoldStandard, Avoidance),
			tproj("C", TypeCookstoves, "KE", StandardGoldStandard, Reduction),
			tproj("D", TypeLandfillMethane, "US", "Climate Action Reserve", Reduction),
		},
		[]Lot{
			tlot("A1", "A", 2022, 1000, 2, "10", "USD"),
			tlot("B1", "B", 2019, 2000, 2, "8", "USD"),
			tlot("C1", "C", 2021, 3000, 2, "5", "USD"),
			tlot("D1", "D", 2020, 4000, 1, "5", "USD"),
			tlot("D2", "D", 2018, 4001, 1, "12", "USD"),
		})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// summary prints a plan's lines as "lot:from-to" joined by spaces.
func summary(p Plan) string {
	var parts []string
	for _, l := range p.Lines {
		parts = append(parts, l.Lot+":"+itoa(l.Grams.From)+"-"+itoa(l.Grams.To))
	}
	return strings.Join(parts, " ")
}

func TestMatchStrategies(t *testing.T) {
	inv := strategyInventory(t)
	tests := []struct {
		name     string
		country  string
		prefs    Preferences
		want     string
		wantCost string
	}{
		// Price 5 twice: D1 (2020) before C1 (2021) by vintage. 1 t of D1 +
		// 0.5 t of C1: 5 + 2.5 = 7.50 USD.
		{"cheapest, tie broken by vintage", "", Preferences{Strategy: Cheapest},
			"D1:0-1000000 C1:0-500000", "7.5"},
		// 2018 (D2, 12 USD) then 2019 (B1, 8 USD): 12 + 4 = 16 USD.
		{"oldest vintage first", "", Preferences{Strategy: Oldest},
			"D2:0-1000000 B1:0-500000", "16"},
		// India's own project A is 0 km away: 1.5 t × 10 = 15 USD.
		{"closest to India", "IN", Preferences{Strategy: Closest},
			"A1:0-1500000", "15"},
		// From the US, D first (D2 older than D1 within the project).
		// 12 + 2.5 = 14.50.
		{"closest to the US", "US", Preferences{Strategy: Closest},
			"D2:0-1000000 D1:0-500000", "14.5"},
		// Buyer lists B then C: B has 2 t, enough. 1.5 × 8 = 12.
		{"buyer order", "", Preferences{Filter: Filter{Projects: []string{"B", "C"}}},
			"B1:0-1500000", "12"},
		// Buyer lists D then B: D has 2 t over two lots, oldest first.
		{"buyer order across lots", "", Preferences{Filter: Filter{Projects: []string{"D", "B"}}},
			"D2:0-1000000 D1:0-500000", "14.5"},
		// Only Africa and South America, cheapest: C1 5 USD.
		{"continent filter", "", Preferences{Filter: Filter{Continents: []string{Africa, SouthAmerica}}},
			"C1:0-1500000", "7.5"},
		// Southern hemisphere: Chile (−35.7°) and Kenya (−0.02°): C then B.
		// 2 t of C1 would cover it all: 1.5 t × 5.
		{"southern hemisphere", "", Preferences{Filter: Filter{Hemispheres: []Hemisphere{South}}, Strategy: Oldest},
			"B1:0-1500000", "12"},
		// Reductions only, price ≤ 6: C1 and D1. Cheapest: D1 then C1.
		{"unit type and price cap", "", Preferences{Filter: Filter{UnitTypes: []UnitType{Reduction}}, MaxPrice: &Price{decimal.NewFromInt(6), "USD"}},
			"D1:0-1000000 C1:0-500000", "7.5"},
		// Vintage 2020–2021 oldest: D1 (2020) then C1 (2021).
		{"vintage range", "", Preferences{VintageFrom: 2020, VintageTo: 2021, Strategy: Oldest},
			"D1:0-1000000 C1:0-500000", "7.5"},
		// Max age 3 from 2024: vintage ≥ 2021: C1 (5), A1 (10). Cheapest.
		{"max age", "", Preferences{MaxAge: 3, ReferenceYear: 2024},
			"C1:0-1500000", "7.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Demand{Serial: "S1", Amount: kgQ("1500"), Country: tt.country, Preferences: tt.prefs}
			p, err := Match(inv, d)
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(p); got != tt.want {
				t.Errorf("lines %q, want %q", got, tt.want)
			}
			if len(p.Costs) != 1 || !p.Costs[0].Exact.Equal(decimal.RequireFromString(tt.wantCost)) {
				t.Errorf("cost %v, want %s USD", p.Costs, tt.wantCost)
			}
			if !p.Amount.Equal(kgQ("1500")) {
				t.Errorf("amount %v", p.Amount)
			}
			// Matching is deterministic.
			p2, _ := Match(inv, d)
			if summary(p2) != summary(p) {
				t.Error("second match differs")
			}
		})
	}
}

func TestMatchTieBreakByLotID(t *testing.T) {
	inv, err := NewInventory([]Project{tproj("P", TypeWind, "IN", StandardCDM, Avoidance)},
		[]Lot{tlot("L2", "P", 2020, 10, 1, "5", "USD"), tlot("L1", "P", 2020, 20, 1, "5", "USD")})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Strategy{Cheapest, Oldest, BuyerOrder, Closest} {
		d := Demand{Serial: "S", Amount: kgQ("1"), Country: "IN", Preferences: Preferences{Strategy: s, Filter: Filter{Projects: []string{"P"}}}}
		p, err := Match(inv, d)
		if err != nil {
			t.Fatal(s, err)
		}
		if p.Lines[0].Lot != "L1" {
			t.Errorf("%s: first lot %s, want L1 (same price and vintage: by ID)", s, p.Lines[0].Lot)
		}
	}
}

func TestRounding(t *testing.T) {
	tiers := RoundToTiers(kgQ("500"), kgQ("1000"), kgQ("1500"))
	tests := []struct {
		name   string
		amount string
		r      Rounding
		want   string
	}{
		{"gram: 0.0001 g rounds up to 1 g", "0.0000001", Rounding{}, "0.001"},
		{"gram: exact grams stay", "508.123", Rounding{Mode: RoundGram}, "508.123"},
		{"gram: 508.1231 → 508.124", "508.1231", Rounding{}, "508.124"},
		{"kg: 508.001 → 509", "508.001", Rounding{Mode: RoundKg}, "509"},
		{"kg: 508 stays", "508", Rounding{Mode: RoundKg}, "508"},
		{"tier: 508 → 1000 (the reference laptop)", "508", tiers, "1000"},
		{"tier: 500 stays 500", "500", tiers, "500"},
		{"tier: 0.001 → 500", "0.001", tiers, "500"},
		{"tier: 1000.0001 → 1500", "1000.0001", tiers, "1500"},
		{"step 250 kg: 508 → 750", "508", RoundToStep(kgQ("250")), "750"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Demand{Serial: "S", Amount: kgQ(tt.amount), Preferences: Preferences{Rounding: tt.r}}
			got, err := d.Rounded()
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(kgQ(tt.want)) {
				t.Errorf("got %v, want %s kg", got, tt.want)
			}
		})
	}
}

// Tier rounding through Match: the plan covers the tier, not the demand.
func TestMatchTier(t *testing.T) {
	d := Demand{Serial: "PF-3X7Y2Z", Amount: kgQ("508"), Preferences: Preferences{
		Filter: Filter{Projects: []string{"sample-in-wind"}}, Rounding: RoundToTiers(kgQ("500"), kgQ("1000"), kgQ("1500"))}}
	p, err := Match(SampleInventory(), d)
	if err != nil {
		t.Fatal(err)
	}
	// 1000 kg = exactly serial 200001 of IN-WIND-2021, at 9.50 USD/t.
	if !p.Amount.Equal(kgQ("1000")) || !p.Demand.Equal(kgQ("508")) || summary(p) != "IN-WIND-2021:0-1000000" {
		t.Errorf("plan %v: %s", p, summary(p))
	}
	if p.Costs[0].Amount.String() != "9.5" || p.Lines[0].Serials[0] != (SerialSpan{200001, 200001, 0, GramsPerTonne}) {
		t.Errorf("cost %v serials %v", p.Costs, p.Lines[0].Serials)
	}
}

func TestMatchSplit(t *testing.T) {
	inv := strategyInventory(t)
	// 1000.001 kg = 1,000,001 g split 1/3 each: 333,333.67 g exact; floors
	// 333,333 × 3 = 999,999, two grams left go to the first two shares
	// (equal remainders): 333,334 + 333,334 + 333,333.
	third := decimal.RequireFromString("33.333333333333333333")
	last := decimal.NewFromInt(100).Sub(third).Sub(third)
	d := Demand{Serial: "S", Amount: kgQ("1000.001"), Preferences: Preferences{Split: []Share{
		{Percent: third, Filter: Filter{Projects: []string{"A"}}},
		{Percent: third, Filter: Filter{Types: []ProjectType{TypeSolar}}},
		{Percent: last, Filter: Filter{Countries: []string{"US", "KE"}}},
	}}}
	p, err := Match(inv, d)
	if err != nil {
		t.Fatal(err)
	}
	// Share 2 (US or KE, cheapest): D1 5 USD 2020 before C1 5 USD 2021.
	if got, want := summary(p), "A1:0-333334 B1:0-333333 D1:0-333334"; got != want {
		t.Logf("shares %+v", p.Shares)
		t.Errorf("lines %q, want %q", got, want)
	}
	// Shares: the third one's percent is 33.333333333333333334, the
	// largest remainder, so it gets a leftover gram before the second.
	for s, want := range []int64{333334, 333333, 333334} {
		if g, _ := wholeGrams(p.Shares[s].Amount); g != want {
			t.Errorf("share %d: %d g, want %d", s, g, want)
		}
	}
	if !p.Amount.Equal(kgQ("1000.001")) {
		t.Errorf("amount %v", p.Amount)
	}
}

func TestMatchFailures(t *testing.T) {
	inv := strategyInventory(t)
	empty, _ := NewInventory(nil, nil)
	mixed, err := NewInventory([]Project{tproj("P", TypeWind, "IN", StandardCDM, Avoidance)},
		[]Lot{tlot("E", "P", 2020, 1, 5, "9", "EUR"), tlot("U", "P", 2020, 10, 5, "9", "USD")})
	if err != nil {
		t.Fatal(err)
	}
	d := func(amount string, p Preferences) Demand {
		return Demand{Serial: "S", Amount: kgQ(amount), Preferences: p}
	}
	tests := []struct {
		name      string
		inv       Inventory
		d         Demand
		sentinel  error
		binding   string // for UnmetError
		available string // kg, for UnmetError
	}{
		{"empty inventory", empty, d("1", Preferences{}), ErrUnmet, "inventory", "0"},
		{"zero Inventory value", Inventory{}, d("1", Preferences{}), ErrUnmet, "inventory", "0"},
		// Total stock 8 t < 9 t.
		{"more than the whole stock", inv, d("9000", Preferences{}), ErrUnmet, "inventory", "8000"},
		{"price cap below every lot", inv, d("1", Preferences{MaxPrice: &Price{decimal.RequireFromString("4.99"), "USD"}}), ErrUnmet, "maxPrice", "0"},
		{"vintage range excluding all", inv, d("1", Preferences{VintageFrom: 2023, VintageTo: 2030}), ErrUnmet, "vintage", "0"},
		// Wind has 2 t; the cap of 9 leaves none of it.
		{"type then cap", inv, d("1", Preferences{Filter: Filter{Types: []ProjectType{TypeWind}}, MaxPrice: &Price{decimal.NewFromInt(9), "USD"}}), ErrUnmet, "maxPrice", "0"},
		// Wind alone has 2 t < 3 t: types binds first.
		{"type short", inv, d("3000", Preferences{Filter: Filter{Types: []ProjectType{TypeWind}}}), ErrUnmet, "types", "2000"},
		{"mixed currencies, cap in a third", mixed, d("1", Preferences{MaxPrice: &Price{decimal.NewFromInt(100), "GBP"}}), ErrUnmet, "maxPrice", "0"},
		{"mixed currencies, cheapest without a currency", mixed, d("1", Preferences{}), ErrMixedCurrencies, "", ""},
		{"zero demand", inv, d("0", Preferences{}), ErrInvalidDemand, "", ""},
		{"negative demand", inv, d("-1", Preferences{}), ErrInvalidDemand, "", ""},
		{"unknown currency in cap", inv, d("1", Preferences{MaxPrice: &Price{decimal.NewFromInt(1), "usd"}}), ErrUnknownCurrency, "", ""},
		{"metal is not a currency", inv, d("1", Preferences{Currency: "XAU"}), ErrUnknownCurrency, "", ""},
		{"unknown project", inv, d("1", Preferences{Filter: Filter{Projects: []string{"Z"}}}), ErrInvalidDemand, "", ""},
		{"closest without a country", inv, d("1", Preferences{Strategy: Closest}), ErrInvalidDemand, "", ""},
		{"above the largest tier", inv, d("1501", Preferences{Rounding: RoundToTiers(kgQ("500"), kgQ("1500"))}), ErrInvalidDemand, "", ""},
		{"split not adding up", inv, d("1", Preferences{Split: []Share{{Percent: decimal.NewFromInt(60)}, {Percent: decimal.NewFromInt(30)}}}), ErrInvalidDemand, "", ""},
		{"split share unmet", inv, d("4002", Preferences{Split: []Share{{Percent: decimal.NewFromInt(50), Filter: Filter{Types: []ProjectType{TypeWind}}}, {Percent: decimal.NewFromInt(50)}}}), ErrUnmet, "split[0].types", "2000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Match(tt.inv, tt.d)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			var ue *UnmetError
			if tt.binding == "" {
				var fe *footprint.FieldError
				if !errors.As(err, &fe) {
					t.Errorf("%v is not a FieldError", err)
				}
				return
			}
			if !errors.As(err, &ue) {
				t.Fatalf("%v is not an UnmetError", err)
			}
			if ue.Binding != tt.binding || !ue.Available.Equal(kgQ(tt.available)) {
				t.Errorf("binding %q available %v, want %q %s kg: %v", ue.Binding, ue.Available, tt.binding, tt.available, err)
			}
			if ue.Constraints[0].Name != "inventory" {
				t.Errorf("constraints %+v", ue.Constraints)
			}
		})
	}
}

func TestUnmetErrorDetail(t *testing.T) {
	inv := strategyInventory(t)
	_, err := Match(inv, Demand{Serial: "PF-1", Amount: kgQ("500"), Preferences: Preferences{
		Filter:   Filter{Types: []ProjectType{TypeWind, TypeSolar}},
		MaxPrice: &Price{decimal.NewFromInt(9), "USD"}, VintageFrom: 2020}})
	var ue *UnmetError
	if !errors.As(err, &ue) {
		t.Fatal(err)
	}
	// Free stock 8 t; wind+solar 4 t (A1, B1); vintage ≥ 2020 alone: A1,
	// C1, D1 = 5 t, cumulative A1 = 2 t; price ≤ 9 alone: B1, C1, D1 = 5 t,
	// cumulative: A1 costs 10 → 0.
	want := []struct{ name, alone, cum string }{
		{"inventory", "8000", "8000"}, {"types", "4000", "4000"}, {"vintage", "5000", "2000"}, {"maxPrice", "5000", "0"},
	}
	if len(ue.Constraints) != len(want) {
		t.Fatalf("constraints %+v", ue.Constraints)
	}
	for i, w := range want {
		c := ue.Constraints[i]
		if c.Name != w.name || !c.Alone.Equal(kgQ(w.alone)) || !c.Cumulative.Equal(kgQ(w.cum)) {
			t.Errorf("constraint %d = %+v, want %v", i, c, w)
		}
	}
	msg := err.Error()
	for _, s := range []string{"PF-1", "asked 500 kg CO2e", "available 0 kg CO2e", "binding constraint maxPrice", "9.00 USD/t"} {
		if !strings.Contains(msg, s) {
			t.Errorf("message %q lacks %q", msg, s)
		}
	}
}

func TestInventoryErrors(t *testing.T) {
	p := tproj("P", TypeWind, "IN", StandardCDM, Avoidance)
	good := tlot("L", "P", 2020, 1, 3, "5", "USD")
	with := func(f func(*Lot)) []Lot { l := good; f(&l); return []Lot{l} }
	verra, _ := ParseSerialBlock("19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1")
	tests := []struct {
		name     string
		projects []Project
		lots     []Lot
		sentinel error
		field    string
	}{
		{"count disagrees with block", []Project{p}, with(func(l *Lot) { l.Tonnes = 4 }), ErrSerialCount, "lots[0].block"},
		{"Verra block 425 credits for 400 t", []Project{p}, with(func(l *Lot) { l.Block, l.Tonnes = verra, 400 }), ErrSerialCount, "lots[0].block"},
		{"unknown currency", []Project{p}, with(func(l *Lot) { l.Price.Currency = "ABC" }), ErrUnknownCurrency, "lots[0].price.currency"},
		{"negative price", []Project{p}, with(func(l *Lot) { l.Price.Amount = decimal.NewFromInt(-1) }), ErrInvalidLot, "lots[0].price.amount"},
		{"unknown project", []Project{p}, with(func(l *Lot) { l.Project = "Q" }), ErrInvalidInventory, "lots[0].project"},
		{"duplicate lot", []Project{p}, []Lot{good, good}, ErrInvalidInventory, "lots[1].id"},
		{"duplicate project", []Project{p, p}, nil, ErrInvalidInventory, "projects[1].id"},
		{"bad status", []Project{p}, with(func(l *Lot) { l.Status = "cancelled" }), ErrInvalidLot, "lots[0].status"},
		{"vintage outside the Verra period", []Project{tproj("P", TypeWind, "ET", StandardVCS, Avoidance)},
			with(func(l *Lot) { l.Block, l.Tonnes, l.Vintage = verra, 425, 2021 }), ErrInvalidLot, "lots[0].vintage"},
		{"serial country differs from project's", []Project{p}, with(func(l *Lot) { l.Block, l.Tonnes = verra, 425 }), ErrInvalidLot, "lots[0].block"},
		{"overlapping allocations", []Project{p}, with(func(l *Lot) { l.Allocated = []GramRange{{0, 10}, {5, 20}} }), ErrInvalidLot, "lots[0].allocated"},
		{"allocation outside the lot", []Project{p}, with(func(l *Lot) { l.Allocated = []GramRange{{0, 3000001}} }), ErrInvalidLot, "lots[0].allocated[0]"},
		{"unknown country", []Project{tproj("P", TypeWind, "XX", StandardCDM, Avoidance)}, nil, ErrUnknownCountry, "projects[0].country"},
		{"bad unit type", []Project{tproj("P", TypeWind, "IN", StandardCDM, "offset")}, nil, ErrInvalidProject, "projects[0].unitType"},
		{"SDG out of range", []Project{func() Project { q := p; q.SDGs = []int{7, 18}; return q }()}, nil, ErrInvalidProject, "projects[0].sdgs[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewInventory(tt.projects, tt.lots)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			var fe *footprint.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("field %q, want %q (%v)", fe.Field, tt.field, err)
			}
		})
	}
}

func TestDerivedPlace(t *testing.T) {
	inv := SampleInventory()
	for id, want := range map[string]string{
		"sample-in-wind": "AS N", "sample-br-redd": "SA S", "sample-cl-solar": "SA S",
		"sample-us-landfill": "NA N", "sample-au-reforestation": "OC S", "sample-ke-cookstoves": "AF S",
	} {
		p, _ := inv.Project(id)
		if got := p.Continent + " " + string(p.Hemisphere); got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
	// Location wins over the country's point; explicit values win over both.
	p := tproj("P", TypeWind, "KE", StandardCDM, Avoidance)
	p.Location = &footprint.Coordinates{Lat: decimal.RequireFromString("1.5"), Lon: decimal.RequireFromString("37")}
	r, err := p.Resolved()
	if err != nil || r.Hemisphere != North || r.Continent != Africa {
		t.Errorf("%+v %v", r, err)
	}
	p.Hemisphere, p.Continent = South, Asia
	if r, _ := p.Resolved(); r.Hemisphere != South || r.Continent != Asia {
		t.Errorf("override lost: %+v", r)
	}
}

func TestAfterAndRelease(t *testing.T) {
	inv := strategyInventory(t)
	p, err := Match(inv, Demand{Serial: "S", Amount: kgQ("1500"), Preferences: Preferences{Strategy: Oldest}})
	if err != nil {
		t.Fatal(err)
	}
	next, err := inv.After(p)
	if err != nil {
		t.Fatal(err)
	}
	if next.FreeGrams("D2") != 0 || next.FreeGrams("B1") != 1500000 || inv.FreeGrams("D2") != 1000000 {
		t.Errorf("after: D2 %d B1 %d; original D2 %d", next.FreeGrams("D2"), next.FreeGrams("B1"), inv.FreeGrams("D2"))
	}
	for _, b := range p.Remaining {
		if next.FreeGrams(b.Lot) != b.FreeGrams {
			t.Errorf("Remaining %v disagrees with After: %d", b, next.FreeGrams(b.Lot))
		}
	}
	if _, err := next.After(p); !errors.Is(err, ErrConflict) {
		t.Errorf("applying twice: %v", err)
	}
	back, err := next.Release(p)
	if err != nil {
		t.Fatal(err)
	}
	if back.TotalFreeGrams() != inv.TotalFreeGrams() || len(back.Lots()[1].Allocated) != 0 {
		t.Errorf("release: %d vs %d", back.TotalFreeGrams(), inv.TotalFreeGrams())
	}
	if _, err := back.Release(p); !errors.Is(err, ErrConflict) {
		t.Errorf("releasing twice: %v", err)
	}
	// The next demand on the remaining inventory picks up where the first
	// left off: B1 from gram 500000.
	p2, _ := Match(next, Demand{Serial: "S2", Amount: kgQ("1"), Preferences: Preferences{Strategy: Oldest}})
	if summary(p2) != "B1:500000-501000" {
		t.Errorf("second plan %s", summary(p2))
	}
	// Lots() reports the allocation, and a new inventory built from it
	// matches the same way.
	rebuilt, err := NewInventory(next.Projects(), next.Lots())
	if err != nil {
		t.Fatal(err)
	}
	p3, _ := Match(rebuilt, Demand{Serial: "S2", Amount: kgQ("1"), Preferences: Preferences{Strategy: Oldest}})
	if summary(p3) != summary(p2) {
		t.Errorf("rebuilt inventory: %s", summary(p3))
	}
}

// A lot whose free grams are fragmented (a middle allocation released)
// yields one line per free range, lowest first.
func TestFragmentedLot(t *testing.T) {
	l := tlot("L", "P", 2020, 500, 3, "5", "USD")
	l.Allocated = []GramRange{{0, 250000}, {1000000, 2000000}}
	inv, err := NewInventory([]Project{tproj("P", TypeWind, "IN", StandardCDM, Avoidance)}, []Lot{l})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Match(inv, Demand{Serial: "S", Amount: kgQ("1000"), Preferences: Preferences{}})
	if err != nil {
		t.Fatal(err)
	}
	// Free: [250000, 1000000) = 750 kg of serial 500, then [2000000, 3000000)
	// = serial 502; 250 kg more from serial 502.
	if got := summary(p); got != "L:250000-1000000 L:2000000-2250000" {
		t.Errorf("lines %s", got)
	}
	if s := p.Lines[0].Serials[0].String() + " " + p.Lines[1].Serials[0].String(); s != "500 g[250000,1000000) 502 g[0,250000)" {
		t.Errorf("serials %s", s)
	}
}

func TestSampleInventory(t *testing.T) {
	inv := SampleInventory()
	if len(inv.Projects()) != 8 || inv.Len() != 10 {
		t.Fatalf("%d projects, %d lots", len(inv.Projects()), inv.Len())
	}
	for _, p := range inv.Projects() {
		if !strings.HasPrefix(p.Name, "SAMPLE ") || !strings.Contains(p.Description, "SAMPLE DATA") {
			t.Errorf("%s is not labelled as sample data", p.ID)
		}
	}
	// The quickstart: a laptop of 300–600 kg against the wind project.
	for _, amount := range []string{"300", "508.2", "600"} {
		if _, err := Match(inv, Demand{Serial: "Q", Amount: kgQ(amount), Country: "IN",
			Preferences: Preferences{Filter: Filter{Projects: []string{"sample-in-wind"}}}}); err != nil {
			t.Error(amount, err)
		}
	}
	// JSON round trip of the snapshot.
	b, err := inv.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeInventory(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := back.MarshalJSON()
	if string(b) != string(b2) {
		t.Error("inventory JSON round trip differs")
	}
}

func TestCostRounding(t *testing.T) {
	tests := []struct {
		price, cur, kg, exact, amount string
	}{
		// 0.333 t × 10.01 USD = 3.33333 → 3.34 (up, not half-even 3.33).
		{"10.01", "USD", "333", "3.33333", "3.34"},
		// 0.5 t × 999 JPY = 499.5 → 500 (no minor unit).
		{"999", "JPY", "500", "499.5", "500"},
		// 0.001 t × 1.234 KWD = 0.001234 → 0.002 (3 places).
		{"1.234", "KWD", "1", "0.001234", "0.002"},
		// Exact: 2 t × 7 = 14.
		{"7", "EUR", "2000", "14", "14"},
	}
	for _, tt := range tests {
		t.Run(tt.cur, func(t *testing.T) {
			inv, err := NewInventory([]Project{tproj("P", TypeWind, "IN", StandardCDM, Avoidance)},
				[]Lot{tlot("L", "P", 2020, 1, 5, tt.price, tt.cur)})
			if err != nil {
				t.Fatal(err)
			}
			p, err := Match(inv, Demand{Serial: "S", Amount: kgQ(tt.kg), Preferences: Preferences{}})
			if err != nil {
				t.Fatal(err)
			}
			c := p.Costs[0]
			if c.Currency != tt.cur || c.Exact.String() != tt.exact || c.Amount.String() != tt.amount {
				t.Errorf("cost %+v, want exact %s amount %s", c, tt.exact, tt.amount)
			}
		})
	}
}

func TestMultiCurrencyPlan(t *testing.T) {
	// No cheapest-first comparison needed: buyer order over lots in two
	// currencies gives one cost per currency, sorted by code.
	inv, _ := NewInventory([]Project{tproj("P", TypeWind, "IN", StandardCDM, Avoidance), tproj("Q", TypeSolar, "CL", StandardCDM, Avoidance)},
		[]Lot{tlot("U", "P", 2020, 1, 1, "10", "USD"), tlot("E", "Q", 2020, 10, 1, "8", "EUR")})
	p, err := Match(inv, Demand{Serial: "S", Amount: kgQ("1500"), Preferences: Preferences{Filter: Filter{Projects: []string{"P", "Q"}}}})
	if err != nil {
		t.Fatal(err)
	}
	// 1 t × 10 USD, 0.5 t × 8 EUR = 4 EUR.
	if len(p.Costs) != 2 || p.Costs[0].String() != "4.00 EUR" || p.Costs[1].String() != "10.00 USD" {
		t.Errorf("costs %v", p.Costs)
	}
	// With a currency named, cheapest works on the mixed inventory.
	p, err = Match(inv, Demand{Serial: "S", Amount: kgQ("500"), Preferences: Preferences{Currency: "EUR"}})
	if err != nil || summary(p) != "E:0-500000" {
		t.Errorf("%v %s", err, summary(p))
	}
	_ = strconv.Itoa
}

// Match is safe for concurrent use on one inventory: goroutines matching
// at once (building the attribute lists on first use, sharing the
// inventory's working memory pool) get the plans sequential calls get.
func TestMatchConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	inv := randomInventoryN(t, r, 60, 300)
	var demands []Demand
	for i := range 200 {
		demands = append(demands, randomDemand(r, inv, i))
	}
	// Sequential answers, from a separate copy, so that inv's attribute
	// lists are built while the goroutines race.
	want := make([]Plan, len(demands))
	wantErr := make([]error, len(demands))
	seq, err := NewInventory(inv.Projects(), inv.Lots())
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range demands {
		want[i], wantErr[i] = Match(seq, d)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range demands {
				i := (k + g*25) % len(demands)
				p, err := Match(inv, demands[i])
				if (err == nil) != (wantErr[i] == nil) || (err != nil && err.Error() != wantErr[i].Error()) || !reflect.DeepEqual(p, want[i]) {
					t.Errorf("demand %d: concurrent %v %v, sequential %v %v", i, summary(p), err, summary(want[i]), wantErr[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

// A filter may list a value twice; its lots are used once.
func TestMatchRepeatedFilterValue(t *testing.T) {
	inv := strategyInventory(t)
	once, err := Match(inv, Demand{Serial: "S", Amount: kgQ("3000"), Preferences: Preferences{Filter: Filter{Types: []ProjectType{TypeSolar, TypeCookstoves}}}})
	if err != nil {
		t.Fatal(err)
	}
	twice, err := Match(inv, Demand{Serial: "S", Amount: kgQ("3000"), Preferences: Preferences{Filter: Filter{Types: []ProjectType{TypeSolar, TypeCookstoves, TypeSolar}}}})
	if err != nil || summary(twice) != summary(once) || summary(once) != "C1:0-2000000 B1:0-1000000" {
		t.Errorf("%v: %s, want %s", err, summary(twice), summary(once))
	}
}
