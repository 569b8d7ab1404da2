package offset_test

import (
	"fmt"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

// Match a day's sales in one call: each demand is matched against what the
// ones before it left, and a demand that cannot be met is reported by its
// index without stopping the batch.
func ExampleMatchBatch() {
	// Cheapest first compares prices in one currency; the sample inventory
	// has a lot in EUR, so the demands name USD.
	usd := offset.Preferences{Currency: "USD"}
	kenyaUnder10 := offset.Preferences{
		Filter:   offset.Filter{Countries: []string{"KE"}},
		MaxPrice: &offset.Price{Amount: decimal.NewFromInt(10), Currency: "USD"},
	}
	demands := []offset.Demand{
		{Serial: "PF-1001", Amount: kg("300"), Preferences: usd},
		{Serial: "PF-1002", Amount: kg("250"), Preferences: kenyaUnder10}, // the Kenyan lot costs 14 USD/t
		{Serial: "PF-1003", Amount: kg("420.5"), Preferences: usd},
	}
	res := offset.MatchBatch(offset.SampleInventory(), demands)
	for i, p := range res.Plans {
		if p.Serial == "" {
			continue // failed: see res.Failures
		}
		fmt.Println(i, p)
		for _, l := range p.Lines {
			fmt.Println("  ", l)
		}
	}
	for _, f := range res.Failures {
		fmt.Println("failed:", f.Index, demands[f.Index].Serial, f.Err)
	}
	// By hand: the cheapest USD lot, US-LFG-2020 at 5.50 USD/t, holds
	// 40 t = 40000000 g; the two plans take 300000 g + 420500 g, leaving
	// 39279500 g. Costs: 0.3 t × 5.50 = 1.65 USD; 0.4205 t × 5.50 =
	// 2.31275 USD, charged rounded up to the cent: 2.32 USD.
	fmt.Println("free in US-LFG-2020:", res.Remaining.FreeGrams("US-LFG-2020"), "g")
	// Output:
	// 0 PF-1001: 300 kg CO2e from 1 line, 1.65 USD
	//    300 kg CO2e of lot US-LFG-2020 (sample-us-landfill, 2020): 400001 g[0,300000) at 5.50 USD/t
	// 2 PF-1003: 420.5 kg CO2e from 1 line, 2.32 USD
	//    420.5 kg CO2e of lot US-LFG-2020 (sample-us-landfill, 2020): 400001 g[300000,720500) at 5.50 USD/t
	// failed: 1 PF-1002 offset: preferences cannot be met for PF-1002: asked 250 kg CO2e, available 0 kg CO2e; binding constraint maxPrice (price ≤ 10.00 USD/t; lots in other currencies are excluded (no exchange rates)) leaves 0 kg CO2e
	// free in US-LFG-2020: 39279500 g
}

// Match demands as they arrive, without holding them or their plans; emit
// sees each demand's index with its plan or its error.
func ExampleMatchStream() {
	amounts := []string{"12000", "9000", "15000"} // kg: three pallets of servers
	i := 0
	next := func() (offset.Demand, bool) {
		if i == len(amounts) {
			return offset.Demand{}, false
		}
		i++
		return offset.Demand{
			Serial:      fmt.Sprintf("PALLET-%d", i),
			Amount:      kg(amounts[i-1]),
			Preferences: offset.Preferences{Currency: "USD", Filter: offset.Filter{Types: []offset.ProjectType{offset.TypeWind}}},
		}, true
	}
	left, err := offset.MatchStream(offset.SampleInventory(), next, func(index int, p offset.Plan, err error) error {
		if err != nil {
			fmt.Println(index, "error:", err)
			return nil // go on with the next demand
		}
		fmt.Println(index, p)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// By hand: the wind lots hold 20 t (IN-WIND-2021, 9.50 USD/t) + 10 t
	// (IN-WIND-2022, 10.00 USD/t) = 30000 kg. Pallet 1 takes 12000 kg of
	// the cheaper lot (12 t × 9.50 = 114.00 USD); pallet 2 takes its last
	// 8000 kg and 1000 kg of the other (8 × 9.50 + 1 × 10.00 = 86.00 USD);
	// pallet 3 (15000 kg) finds 30000 − 21000 = 9000 kg and fails, taking
	// nothing.
	fmt.Println("wind left:", (left.FreeGrams("IN-WIND-2021")+left.FreeGrams("IN-WIND-2022"))/1000, "kg")
	// Output:
	// 0 PALLET-1: 12000 kg CO2e from 1 line, 114.00 USD
	// 1 PALLET-2: 9000 kg CO2e from 2 lines, 86.00 USD
	// 2 error: offset: preferences cannot be met for PALLET-3: asked 15000 kg CO2e, available 9000 kg CO2e; binding constraint types (type in [wind]) leaves 9000 kg CO2e
	// wind left: 9000 kg
}
