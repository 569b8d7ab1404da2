package footprint_test

import (
	"fmt"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// The table of ExampleCalculate_declaredPCF's laptop: one row per line,
// a subtotal per stage, the total with its range, and the dataset and
// input digest the figures can be recomputed from.
func ExampleFootprint_Table() {
	dd := decimal.RequireFromString
	spec := footprint.ProductSpec{
		Manufacturer: "Acme",
		Model:        "Book 14",
		Mass:         footprint.Kg(dd("1.5")),
		PackagedMass: footprint.Kg(dd("2")),
		Manufacture: footprint.Manufacture{Declared: &footprint.DeclaredFigure{
			Amount:      footprint.KgCO2e(dd("210")),
			Source:      "Acme product carbon footprint sheet, 2025",
			Uncertainty: footprint.Uncertainty{Relative: dd("0.186")},
		}},
		Shipping: footprint.Shipping{Legs: []footprint.Leg{
			{Mode: footprint.Sea, Distance: footprint.Km(dd("18000"))},
			{Mode: footprint.Road, Distance: footprint.Km(dd("600"))},
		}},
		Use: &footprint.Use{
			YearlyEnergy: footprint.KWh(dd("18")),
			Lifetime:     footprint.Years(dd("4")),
			Country:      "DE",
		},
	}
	fp, err := footprint.Calculate(spec, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(fp.Table())
	// Output:
	// Acme Book 14
	// stage        line         activity  factor                           kg CO2e  share
	// manufacture  declared     1 item    declared.manufacture             210.00   89.2 %
	// manufacture  subtotal                                                210.00   89.2 %
	// transport    sea          36 tkm    freight.sea.container.ttw (TTW)  0.58     0.2 %
	// transport    sea          36 tkm    freight.sea.container.wtt (WTT)  0.13     0.1 %
	// transport    road         1.2 tkm   freight.road.hgv.ttw (TTW)       0.12     0.1 %
	// transport    road         1.2 tkm   freight.road.hgv.wtt (WTT)       0.03     0.0 %
	// transport    subtotal                                                0.86     0.4 %
	// use          electricity  72 kWh    grid.DE                          24.63    10.5 %
	// use          subtotal                                                24.63    10.5 %
	// end-of-life  subtotal                                                0.00     0.0 %
	// total                                                                235.49   100.0 %
	// range                                                                196.43 – 274.55
	// dataset lifecarbon-default 2026.2; WTW, radiative forcing included; input sha256:d066592826482e5bd8981cb46faf155b558aa0db54436eee100cc77040ae8e96
}
