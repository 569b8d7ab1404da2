package footprint_test

import (
	"fmt"
	"strings"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// Parse a quantity with its unit, convert it, and combine it with another
// dimension where the product means something.
func ExampleParseEnergy() {
	e, err := footprint.ParseEnergy("3.6 MJ")
	if err != nil {
		panic(err)
	}
	fmt.Println(e, "=", e.KWh(), "kWh")

	p, _ := footprint.ParsePower("45 W")
	y, _ := footprint.ParseDuration("1 y")
	fmt.Println(p, "for", y, "=", p.Over(y))

	_, err = footprint.ParseMass("5 kWh")
	fmt.Println(err)
	// Output:
	// 1 kWh = 1 kWh
	// 45 W for 1 y = 394.2 kWh
	// mass: unit "kWh" measures energy, not mass (use g, lb, kg, t), got "5 kWh"
}

// Look up India's grid intensity in the default dataset and apply it to a
// year of use; a country without its own row falls back, and says so.
func ExampleDataset_Lookup() {
	d := footprint.DefaultDataset()
	r, err := d.Lookup(footprint.Query{Measure: "electricity.grid", Region: "IN"})
	if err != nil {
		panic(err)
	}
	f := r.Factor
	fmt.Println(f.ID, f.Amount, "kgCO2e per", f.Basis, "from", f.Source.Publisher[:5], f.Source.License)

	use, _ := footprint.ParseEnergy("20 kWh")
	co2, _ := f.Apply(use.Activity())
	fmt.Println(use, "in India:", co2)

	r, _ = d.Lookup(footprint.Query{Measure: "electricity.grid", Region: "AQ"})
	fmt.Println(r.Factor.ID, "fallback:", r.Fallback, r.FallbackPath)
	// Output:
	// grid.IN 0.70896 kgCO2e per kWh from Ember CC-BY-4.0
	// 20 kWh in India: 14.1792 kg CO2e
	// grid.WORLD fallback: true [AQ WORLD]
}

// Load a supplier's factor sheet from CSV and layer it over the default
// dataset: the supplier's factor wins where it has one, and the result says
// which layer supplied each factor.
func ExampleLoadFactorsCSV() {
	sheet := `id,measure,region,per,amount,gwp,source_publisher,source_title,source_year,source_license
acme.grid.IN,electricity.grid,IN,kWh,0.65,AR6,Acme Ltd,Acme factor sheet,2025,CC-BY-4.0
`
	acme, err := footprint.LoadFactorsCSV("acme", "3", strings.NewReader(sheet))
	if err != nil {
		panic(err)
	}
	d := acme.Over(footprint.DefaultDataset())
	fmt.Println(d.Name(), d.Version())
	for _, country := range []string{"IN", "DE"} {
		r, _ := d.Lookup(footprint.Query{Measure: "electricity.grid", Region: country})
		fmt.Println(country, r.Factor.Amount, r.Layer)
	}

	_, err = footprint.LoadFactorsCSV("bad", "1", strings.NewReader(strings.Replace(sheet, "0.65", "1e5", 1)))
	fmt.Println(err)
	// Output:
	// acme over lifecarbon-default 3 over 2026.1
	// IN 0.65 acme
	// DE 0.34206 lifecarbon-default
	// row 2.amount: in dataset "bad": must be a plain decimal: digits with an optional sign and point (no exponent, NaN, Inf or hex), got "1e5"
}
