package footprint_test

import (
	"fmt"
	"strings"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
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
	// acme over lifecarbon-default 3 over 2026.2
	// IN 0.65 acme
	// DE 0.34206 lifecarbon-default
	// row 2.amount: in dataset "bad": must be a plain decimal: digits with an optional sign and point (no exponent, NaN, Inf or hex), got "1e5"
}

// The default dataset prices a display by its area with a factor derived
// from whole computer monitors (ADEME/Arcep 2022), and reports the wide
// range its two sources give; a supplier's factor sheet for the actual
// panel, layered over the defaults, wins, and the line says which factor
// and which layer priced it. (Acme and its figure are illustrative.)
func ExampleDataset_Over_display() {
	spec := footprint.ProductSpec{
		Manufacturer: "Acme", Model: "Book 14", Mass: footprint.Kg(decimal.RequireFromString("1.4")),
		Manufacture: footprint.Manufacture{BOM: &footprint.BillOfMaterials{Components: []footprint.Component{
			// 14-inch 16:10 panel: 11.87 × 7.42 inches = 0.0568 m²
			{Kind: "display", Name: "14-inch panel", Quantity: decimal.NewFromInt(1), Attributes: map[string]string{"area": "0.0568"}},
		}}},
	}
	fp, err := footprint.Calculate(spec, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	l := fp.Stage(footprint.StageManufacture).Lines[0]
	fmt.Printf("%s: 0.0568 m² × %s (%s, %s) = %s (%s – %s)\n", l.Label, l.Factor.Amount, l.Factor.ID, l.Factor.Layer, l.CO2e, l.Low, l.High)

	sheet := `id,measure,region,per,amount,attribute,gwp,source_publisher,source_title,source_year,source_license
acme.display,component.display,WORLD,m2,250,area,AR6,Acme Panels Ltd,Acme panel PCF sheet (illustrative),2026,CC-BY-4.0
`
	acme, err := footprint.LoadFactorsCSV("acme", "1", strings.NewReader(sheet))
	if err != nil {
		fmt.Println(err)
		return
	}
	fp, err = footprint.Calculate(spec, acme.Over(footprint.DefaultDataset()))
	if err != nil {
		fmt.Println(err)
		return
	}
	l = fp.Stage(footprint.StageManufacture).Lines[0]
	fmt.Printf("%s: 0.0568 m² × %s (%s, %s) = %s\n", l.Label, l.Factor.Amount, l.Factor.ID, l.Factor.Layer, l.CO2e)
	// Output:
	// 14-inch panel: 0.0568 m² × 406.83 (component.display, lifecarbon-default) = 23.107944 kg CO2e (23.107944 kg CO2e – 123.37812 kg CO2e)
	// 14-inch panel: 0.0568 m² × 250 (acme.display, acme) = 14.2 kg CO2e
}
