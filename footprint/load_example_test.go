package footprint_test

import (
	"fmt"
	"strings"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// Load a one-factor dataset from JSON (a retailer's own figure for the
// German grid; the figure is illustrative), look the factor up, and layer
// the dataset over the default one so that its factor wins where it has
// one and the defaults supply the rest.
func ExampleLoadDatasetJSON() {
	const doc = `{
		"name": "acme-grid",
		"version": "2026.1",
		"factors": [{
			"id": "acme.grid.DE",
			"measure": "electricity.grid",
			"region": "DE",
			"per": "kWh",
			"amount": "0.3",
			"gwp": "AR6",
			"source": {"publisher": "Acme Retail", "title": "Grid factor memo (illustrative)", "year": 2026, "license": "CC-BY-4.0"}
		}]
	}`
	acme, err := footprint.LoadDatasetJSON(strings.NewReader(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := acme.Lookup(footprint.Query{Measure: "electricity.grid", Region: "DE"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(acme.Name(), acme.Version(), "|", r.Factor.ID, r.Factor.Amount, "kg CO2e per", r.Factor.Basis)
	// On its own the dataset has nothing for France, not even a WORLD row
	// to fall back to.
	_, err = acme.Lookup(footprint.Query{Measure: "electricity.grid", Region: "FR"})
	fmt.Println(err)

	d := acme.Over(footprint.DefaultDataset())
	for _, country := range []string{"DE", "FR"} {
		r, _ := d.Lookup(footprint.Query{Measure: "electricity.grid", Region: country})
		fmt.Println(country, r.Factor.ID, r.Factor.Amount, r.Layer)
	}

	dd := decimal.RequireFromString
	spec := footprint.ProductSpec{
		Manufacturer: "Acme", Model: "Tab 10", Mass: footprint.Kg(dd("0.5")),
		Manufacture: footprint.Manufacture{Declared: &footprint.DeclaredFigure{Amount: footprint.KgCO2e(dd("60")), Source: "Acme PCF sheet (illustrative)"}},
		Use:         &footprint.Use{YearlyEnergy: footprint.KWh(dd("20")), Lifetime: footprint.Years(dd("4")), Country: "DE"},
	}
	fp, err := footprint.Calculate(spec, d)
	if err != nil {
		fmt.Println(err)
		return
	}
	// By hand: 20 kWh/y × 4 y = 80 kWh × 0.3 kg CO2e/kWh (acme.grid.DE) = 24 kg.
	use := fp.Stage(footprint.StageUse)
	fmt.Println("use:", use.CO2e, "with", use.Lines[0].Factor.ID, "from", fp.Dataset.Name)
	// Output:
	// acme-grid 2026.1 | acme.grid.DE 0.3 kg CO2e per kWh
	// region: no factor for measure "electricity.grid" in this region or its fallbacks (tried FR, EU, WORLD), got "FR"
	// DE acme.grid.DE 0.3 acme-grid
	// FR grid.FR 0.04418 lifecarbon-default
	// use: 24 kg CO2e with acme.grid.DE from acme-grid over lifecarbon-default
}
