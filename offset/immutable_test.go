package offset

import (
	"slices"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// TestInventoryProjectsAreCopies: an inventory never changes once built,
// so neither a project it returns nor the caller's own project (its
// Location and SDGs, which a copy of a Project shares) can change it.
func TestInventoryProjectsAreCopies(t *testing.T) {
	// Through Project and Projects, on the package-level sample.
	q, ok := SampleInventory().Project("sample-in-biomass")
	if !ok || !slices.Equal(q.SDGs, []int{7, 8, 13}) || q.Location == nil || q.Location.Lat.String() != "18.52" {
		t.Fatalf("sample-in-biomass: %+v", q)
	}
	q.SDGs[0] = 1
	q.Location.Lat = decimal.NewFromInt(-45)
	all := SampleInventory().Projects()
	k := slices.IndexFunc(all, func(p Project) bool { return p.ID == "sample-in-biomass" })
	all[k].SDGs[1] = 2
	all[k].Location.Lon = decimal.NewFromInt(0)
	again, _ := SampleInventory().Project("sample-in-biomass")
	if !slices.Equal(again.SDGs, []int{7, 8, 13}) || again.Location.Lat.String() != "18.52" || again.Location.Lon.String() != "73.86" {
		t.Errorf("the sample changed: SDGs %v, location %v", again.SDGs, *again.Location)
	}
	if p := SampleProjects()[k]; p.ID != "sample-in-biomass" || !slices.Equal(p.SDGs, []int{7, 8, 13}) || p.Location.Lat.String() != "18.52" {
		t.Errorf("SampleProjects: %+v", p)
	}

	// Through the caller's own values after NewInventory.
	p := tproj("P", TypeWind, "IN", StandardCDM, Avoidance)
	p.SDGs = []int{7, 13}
	p.Location = &footprint.Coordinates{Lat: decimal.NewFromInt(10), Lon: decimal.NewFromInt(77)}
	l := tlot("L1", "P", 2020, 1, 10, "5", "USD")
	l.Allocated = []GramRange{{0, 1000}}
	ps, ls := []Project{p}, []Lot{l}
	inv, err := NewInventory(ps, ls)
	if err != nil {
		t.Fatal(err)
	}
	ps[0].SDGs[0] = 1
	ps[0].Location.Lat = decimal.NewFromInt(-10)
	ls[0].Allocated[0] = GramRange{0, 5000}
	got, _ := inv.Project("P")
	if !slices.Equal(got.SDGs, []int{7, 13}) || got.Location.Lat.String() != "10" || got.Hemisphere != North {
		t.Errorf("the inventory changed with the caller's project: %+v %v", got, *got.Location)
	}
	if lot, _ := inv.Lot("L1"); inv.FreeGrams("L1") != 10*GramsPerTonne-1000 || !slices.Equal(lot.Allocated, []GramRange{{0, 1000}}) {
		t.Errorf("the inventory changed with the caller's lot: free %d, allocated %v", inv.FreeGrams("L1"), lot.Allocated)
	}
	// The returned lot is a copy too.
	lot, _ := inv.Lot("L1")
	lot.Allocated[0] = GramRange{0, 9000}
	if again, _ := inv.Lot("L1"); !slices.Equal(again.Allocated, []GramRange{{0, 1000}}) {
		t.Errorf("Lot returned the inventory's slice: %v", again.Allocated)
	}
}

// TestRoundToTiersCopiesTiers: the rule keeps its own tiers.
func TestRoundToTiersCopiesTiers(t *testing.T) {
	tiers := []footprint.CO2e{kgQ("500"), kgQ("1000")}
	r := RoundToTiers(tiers...)
	tiers[0] = kgQ("2000")
	p, err := Match(SampleInventory(), Demand{Serial: "S", Amount: kgQ("400"), Preferences: Preferences{Currency: "USD", Rounding: r}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Amount.Equal(kgQ("500")) || !r.Tiers[0].Equal(kgQ("500")) {
		t.Errorf("sold %v, tiers %v", p.Amount, r.Tiers)
	}
}
