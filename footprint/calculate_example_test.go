package footprint_test

import (
	"fmt"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// A laptop whose manufacturer publishes its own cradle-to-gate footprint,
// shipped by sea and truck and used for four years in Germany.
func ExampleCalculate_declaredPCF() {
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
	for _, s := range fp.Stages {
		fmt.Printf("%-12s %8s kg\n", s.Name, footprint.RoundForDisplay(s.CO2e).StringFixed(2))
	}
	fmt.Printf("total        %8s kg (%s to %s)\n", footprint.RoundForDisplay(fp.CO2e).StringFixed(2),
		footprint.RoundForDisplay(fp.Low).StringFixed(2), footprint.RoundForDisplay(fp.High).StringFixed(2))
	// Output:
	// manufacture    210.00 kg
	// transport        0.86 kg
	// use             24.63 kg
	// end-of-life      0.00 kg
	// total          235.49 kg (196.43 to 274.55)
}

// A laptop priced from its bill of materials with the default dataset's
// component factors.
func ExampleCalculate_billOfMaterials() {
	dd := decimal.RequireFromString
	one := decimal.NewFromInt(1)
	spec := footprint.ProductSpec{
		Manufacturer: "Acme",
		Model:        "Book 14",
		Mass:         footprint.Kg(dd("1.4")),
		Manufacture: footprint.Manufacture{BOM: &footprint.BillOfMaterials{
			Components: []footprint.Component{
				{Kind: "cpu", Quantity: one, Attributes: map[string]string{"die_area": "150"}},
				{Kind: "ram", Quantity: decimal.NewFromInt(2), Attributes: map[string]string{"capacity": "8", "density": "1.6"}},
				{Kind: "ssd", Quantity: one, Attributes: map[string]string{"capacity": "512", "density": "51.2"}},
				{Kind: "mainboard", Quantity: one},
				{Kind: "battery", Quantity: one, Attributes: map[string]string{"capacity": "56"}},
			},
			Assembly: true,
		}},
	}
	fp, err := footprint.Calculate(spec, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range fp.Stage(footprint.StageManufacture).Lines {
		fmt.Printf("%-10s %s\n", l.Label, l.CO2e)
	}
	fmt.Println("manufacture", fp.Stage(footprint.StageManufacture).CO2e)
	// Output:
	// cpu        12.095 kg CO2e
	// ram        32.44 kg CO2e
	// ssd        28.34 kg CO2e
	// mainboard  66.1 kg CO2e
	// battery    4.144 kg CO2e
	// assembly   6.68 kg CO2e
	// manufacture 149.799 kg CO2e
}

// A leg given by its endpoints: the distance is the great-circle distance
// plus the mode's adjustment (air: + 95 km).
func ExampleCalculate_shippingFromCoordinates() {
	dd := decimal.RequireFromString
	spec := footprint.ProductSpec{
		Manufacturer: "Acme",
		Model:        "Book 14",
		Mass:         footprint.Kg(dd("2")),
		Manufacture:  footprint.Manufacture{Declared: &footprint.DeclaredFigure{Amount: footprint.KgCO2e(dd("200")), Source: "Acme"}},
		Shipping: footprint.Shipping{
			RadiativeForcing: footprint.RFExcluded,
			Legs: []footprint.Leg{{
				Mode: footprint.AirLongHaul,
				From: &footprint.Coordinates{Lat: dd("22.308"), Lon: dd("113.9185")}, // Hong Kong airport
				To:   &footprint.Coordinates{Lat: dd("19.0896"), Lon: dd("72.8656")}, // Mumbai airport
			}},
		},
	}
	fp, err := footprint.Calculate(spec, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range fp.Stage(footprint.StageTransport).Lines {
		fmt.Printf("%s %s × %s = %s\n", l.Factor.Boundary, l.Activity.Amount.Round(4), l.Factor.Amount, footprint.RoundForDisplay(l.CO2e))
	}
	// Output:
	// TTW 8.735 × 0.5313 = 4.64
	// WTT 8.735 × 0.13516 = 1.18
}

// The reference laptop with the default dataset: a bill of materials of
// components (UBA via Boavizta), a display by area (ADEME/Arcep),
// materials per kg (UK DESNZ 2025), a battery per Wh and assembly; three
// shipping legs; five years of use in India on a grid falling 3 % a year;
// e-waste at end of life.
func ExampleReferenceLaptop() {
	fp, err := footprint.Calculate(footprint.ReferenceLaptop(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range fp.Stage(footprint.StageManufacture).Lines {
		fmt.Printf("%-26s %7s kg\n", l.Label, footprint.RoundForDisplay(l.CO2e).StringFixed(2))
	}
	fmt.Println()
	for _, s := range fp.Stages {
		fmt.Printf("%-26s %7s kg\n", s.Name, footprint.RoundForDisplay(s.CO2e).StringFixed(2))
	}
	fmt.Printf("%-26s %7s kg\n", "total", footprint.RoundForDisplay(fp.CO2e).StringFixed(2))
	// Output:
	// CPU (150 mm² die)            12.10 kg
	// memory 2 × 8 GB              30.10 kg
	// SSD 512 GB                   28.60 kg
	// mainboard                    66.10 kg
	// display 14-inch 16:10        23.11 kg
	// chassis, aluminium 0.5 kg     4.56 kg
	// plastic parts 0.2 kg          0.63 kg
	// power adapter 0.3 kg          7.29 kg
	// battery 56 Wh                 4.14 kg
	// cardboard                     0.42 kg
	// plastic-film                  0.15 kg
	// assembly                      6.68 kg
	//
	// manufacture                 183.88 kg
	// transport                     9.76 kg
	// use                          63.90 kg
	// end-of-life                   2.11 kg
	// total                       259.65 kg
}
