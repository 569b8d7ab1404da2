package offset

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// TestCheapestCurrenciesOfUsableLots: cheapest first needs one currency
// among the lots the demand can use, not among every lot of the allowed
// projects: lots excluded by vintage, by RetiredOnly or because they have
// no free grams do not make the currencies mixed.
func TestCheapestCurrenciesOfUsableLots(t *testing.T) {
	// The sample's only EUR lot is CL-SOLAR-2023.
	p, err := Match(SampleInventory(), Demand{Serial: "S1", Amount: kgQ("10"), Preferences: Preferences{VintageTo: 2022}})
	if err != nil {
		t.Errorf("VintageTo 2022 leaves only USD lots: %v", err)
	}
	if got := summary(p); got != "US-LFG-2020:0-10000" { // 5.50 USD, the cheapest of vintage ≤ 2022 (BR-REDD-2019 is 6.00)
		t.Errorf("plan %s", got)
	}

	proj := []Project{tproj("P", TypeWind, "IN", StandardCDM, Avoidance), tproj("Q", TypeSolar, "CL", StandardCDM, Avoidance)}
	eur := tlot("E", "Q", 2023, 100, 1, "3", "EUR")
	usd := tlot("U", "P", 2020, 1, 5, "9", "USD")
	build := func(ls ...Lot) Inventory {
		inv, err := NewInventory(proj, ls)
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	held := eur
	held.Status = Held
	spent := eur
	spent.Allocated = []GramRange{{0, GramsPerTonne}}
	old := eur
	old.Vintage = 2010
	mixed := build(usd, eur)
	tests := []struct {
		name string
		inv  Inventory
		p    Preferences
	}{
		{"vintage from", mixed, Preferences{VintageFrom: 2015, VintageTo: 2021}},
		{"max age", build(usd, old), Preferences{MaxAge: 5, ReferenceYear: 2022}},
		{"retired only", build(usd, held), Preferences{RetiredOnly: true}},
		{"EUR lot used up", build(usd, spent), Preferences{}},
		{"EUR lot used up, one project", build(usd, spent, tlot("U2", "Q", 2020, 200, 1, "8", "USD")), Preferences{Filter: Filter{Projects: []string{"Q", "P"}}, Strategy: Cheapest}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Match(tt.inv, Demand{Serial: "S", Amount: kgQ("500"), Preferences: tt.p})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range p.Lines {
				if l.Price.Currency != "USD" {
					t.Errorf("line %s", l)
				}
			}
		})
	}

	// Still mixed when both currencies have usable lots, naming both.
	_, err = Match(mixed, Demand{Serial: "S", Amount: kgQ("500"), Preferences: Preferences{VintageTo: 2023}})
	if !errors.Is(err, ErrMixedCurrencies) || err.Error() != `preferences.currency: cheapest first needs one currency: the allowed lots are priced in EUR, USD; set currency or maxPrice, got ""` {
		t.Errorf("err = %v", err)
	}

	// A Matcher that uses up the EUR lot (priced by a cap in EUR) then
	// matches cheapest first without a currency: only USD is left.
	m := NewMatcher(mixed)
	a, err := m.Match(Demand{Serial: "a", Amount: kgQ("1000"), Preferences: Preferences{MaxPrice: &Price{decimal.NewFromInt(5), "EUR"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Match(Demand{Serial: "b", Amount: kgQ("1000")})
	if err != nil || summary(b) != "U:0-1000000" {
		t.Fatalf("after the EUR lot is used up: %s %v", summary(b), err)
	}
	// Released again, the EUR lot counts again.
	if err := m.Release(a); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Match(Demand{Serial: "c", Amount: kgQ("1")}); !errors.Is(err, ErrMixedCurrencies) {
		t.Fatalf("after the EUR lot is released: %v", err)
	}
	// Within one demand, the first share uses up the EUR lot, so the
	// second, cheapest first, sees USD only.
	split := Preferences{Split: []Share{
		{Percent: decimal.NewFromInt(50), Filter: Filter{Projects: []string{"Q"}}},
		{Percent: decimal.NewFromInt(50)},
	}, Strategy: Cheapest}
	_, err = Match(mixed, Demand{Serial: "d", Amount: kgQ("2000"), Preferences: split})
	if err != nil {
		t.Fatalf("split: %v", err)
	}
}
