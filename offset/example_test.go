package offset_test

import (
	"errors"
	"fmt"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

func kg(s string) footprint.CO2e {
	return footprint.KgCO2e(decimal.RequireFromString(s))
}

// A customer buying a laptop in India picks the wind project; the 508.2 kg
// footprint is sold in the 1000 kg tier.
func Example_customerPicksProject() {
	inv := offset.SampleInventory()
	d := offset.Demand{
		Serial:  "PF-3X7Y2Z",
		Amount:  kg("508.2"),
		Country: "IN",
		Preferences: offset.Preferences{
			Filter:   offset.Filter{Projects: []string{"sample-in-wind"}},
			Rounding: offset.RoundToTiers(kg("500"), kg("1000"), kg("1500")),
		},
	}
	plan, err := offset.Match(inv, d)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan)
	for _, l := range plan.Lines {
		fmt.Println(l.ProjectName, "|", l.Block)
		fmt.Println(l)
	}
	next, _ := inv.After(plan)
	fmt.Println("free in IN-WIND-2021:", next.FreeGrams("IN-WIND-2021"), "g")
	// Output:
	// PF-3X7Y2Z: 1000 kg CO2e from 1 line, 9.50 USD
	// SAMPLE Wind power, Tamil Nadu | 200001-200001
	// 1000 kg CO2e of lot IN-WIND-2021 (sample-in-wind, 2021): 200001 at 9.50 USD/t
	// free in IN-WIND-2021: 19000000 g
}

// Half wind, half biomass: each share is filled from its own project type.
func Example_portfolioSplit() {
	d := offset.Demand{
		Serial: "PF-SPLIT-1",
		Amount: kg("315.0005"),
		Preferences: offset.Preferences{
			Split: []offset.Share{
				{Percent: decimal.NewFromInt(50), Filter: offset.Filter{Types: []offset.ProjectType{offset.TypeWind}}},
				{Percent: decimal.NewFromInt(50), Filter: offset.Filter{Types: []offset.ProjectType{offset.TypeBiomass}}},
			},
		},
	}
	plan, err := offset.Match(offset.SampleInventory(), d)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan)
	for _, l := range plan.Lines {
		fmt.Println(l.Share, l)
	}
	for _, c := range plan.Costs {
		fmt.Println("exact", c.Exact, "charged", c)
	}
	// Output:
	// PF-SPLIT-1: 315.001 kg CO2e from 2 lines, 2.60 USD
	// 0 157.501 kg CO2e of lot IN-WIND-2021 (sample-in-wind, 2021): 200001 g[0,157501) at 9.50 USD/t
	// 1 157.5 kg CO2e of lot IN-BIO-2020 (sample-in-biomass, 2020): 100001 g[0,157500) at 7.00 USD/t
	// exact 2.5987595 charged 2.60 USD
}

// Tier rounding: 508 kg is sold as 1000 kg; above the largest tier is an
// error.
func Example_tierRounding() {
	tiers := offset.RoundToTiers(kg("500"), kg("1000"), kg("1500"))
	for _, amount := range []string{"300", "500", "508", "1500.001"} {
		d := offset.Demand{Serial: "X", Amount: kg(amount), Preferences: offset.Preferences{Rounding: tiers}}
		sold, err := d.Rounded()
		var fe *footprint.FieldError
		if errors.As(err, &fe) {
			fmt.Println(amount, "kg →", fe.Field+":", fe.Rule)
			continue
		}
		fmt.Println(amount, "kg →", sold)
	}
	// Output:
	// 300 kg → 500 kg CO2e
	// 500 kg → 500 kg CO2e
	// 508 kg → 1000 kg CO2e
	// 1500.001 kg → preferences.rounding.tiers: the demand (1500.001 kg CO2e) exceeds the largest tier
}
