package footprint_test

import (
	"fmt"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// Compute a catalogue in one call: results come back in input order, and a
// bad product carries its own error without stopping the others.
func ExampleCalculateBatch() {
	dd := decimal.RequireFromString
	product := func(model, declared, country string) footprint.ProductSpec {
		return footprint.ProductSpec{
			Manufacturer: "Acme",
			Model:        model,
			Mass:         footprint.Kg(dd("0.5")),
			Manufacture: footprint.Manufacture{Declared: &footprint.DeclaredFigure{
				Amount: footprint.KgCO2e(dd(declared)), Source: "Acme PCF sheet (illustrative)",
			}},
			// 10 kWh a year for the default lifetime of 5 years
			Use: &footprint.Use{YearlyEnergy: footprint.KWh(dd("10")), Country: country},
		}
	}
	specs := []footprint.ProductSpec{
		product("Phone 6", "60", "DE"),
		product("Phone 6 UK", "60", "UK"), // the ISO code of the United Kingdom is GB
		product("Phone 6 Pro", "75", "IN"),
	}
	// By hand: 10 kWh/y × 5 y = 50 kWh of use.
	//   Phone 6:     60 + 50 kWh × 0.34206 (grid.DE) = 60 + 17.103 = 77.103 kg
	//   Phone 6 Pro: 75 + 50 kWh × 0.70896 (grid.IN) = 75 + 35.448 = 110.448 kg
	for _, r := range footprint.CalculateBatch(specs, nil) {
		if r.Err != nil {
			fmt.Println(r.Index, specs[r.Index].Model, "error:", r.Err)
			continue
		}
		fmt.Println(r.Index, r.Footprint.Model, r.Footprint.CO2e)
	}
	// Output:
	// 0 Phone 6 77.103 kg CO2e
	// 1 Phone 6 UK error: use.country: must be an upper-case ISO 3166-1 alpha-2 country code such as "IN" (use "GB" for the United Kingdom), got "UK"
	// 2 Phone 6 Pro 110.448 kg CO2e
}
