package footprint

import "github.com/shopspring/decimal"

// ReferenceLaptop returns the specification of a reference 14-inch laptop
// used by the examples, the quickstart and the benchmarks: a 1.4 kg laptop
// (2.1 kg packaged) made in Shenzhen, China, trucked 45 km to Hong Kong
// airport, flown to Mumbai (4367.5 km: the 4272.5 km great-circle distance
// between the airports plus the 95 km air adjustment, as
// Mode.AdjustedDistance computes it) and trucked 980 km by road to
// Bengaluru, then used for five years in India on a grid whose intensity
// falls 3 % a year, and treated as e-waste.
//
// Its bill of materials uses the default dataset: the UBA "Green Cloud
// Computing" component model for a 150 mm² CPU die, two 8 GB memory modules
// (1.79 GB/cm²), a 512 GB SSD (50.6 GB/cm²), a mainboard and a 0.3 kg power
// adapter; a 14-inch 16:10 display of 0.0568 m² priced by area (the default
// dataset's monitor-derived factor, whose range is wide); a 56 Wh battery
// (per Wh); a 0.5 kg aluminium chassis and 0.2 kg of plastic parts, and
// packaging of 0.35 kg of cardboard and 0.05 kg of plastic film, priced per
// kg with UK DESNZ 2025 material factors; and assembly. Its use phase is
// an ENERGY STAR typical energy consumption from the version 8 notebook
// weightings (off 0.25 at 0.3 W, sleep 0.35 at 0.6 W, long idle 0.10 at
// 4 W, short idle 0.30 at 5 W: 8.76 × 2.185 = 19.1406 kWh a year).
//
// With the default dataset its footprint is about 259.65 kg CO2e (range
// 258.81–362.21, the display's range being most of it), in the 150–600 kg
// band of published laptop footprints, manufacture (about 183.88 kg) being
// the largest stage. The figures are illustrative, not a
// real product's.
func ReferenceLaptop() ProductSpec {
	dd := decimal.RequireFromString
	kg := func(s string) Mass { return Kg(dd(s)) }
	w := func(s string) Power { return Watts(dd(s)) }
	return ProductSpec{
		Manufacturer: "Example Computers",
		Model:        "Reference 14 laptop",
		SKU:          "REF-14-16-512",
		Mass:         kg("1.4"),
		PackagedMass: kg("2.1"),
		Manufacture: Manufacture{BOM: &BillOfMaterials{
			Components: []Component{
				{Kind: "cpu", Name: "CPU (150 mm² die)", Quantity: decimal.NewFromInt(1), Attributes: map[string]string{"die_area": "150"}},
				{Kind: "ram", Name: "memory 2 × 8 GB", Quantity: decimal.NewFromInt(2), Attributes: map[string]string{"capacity": "8", "density": "1.79"}},
				{Kind: "ssd", Name: "SSD 512 GB", Quantity: decimal.NewFromInt(1), Attributes: map[string]string{"capacity": "512", "density": "50.6"}},
				{Kind: "mainboard", Name: "mainboard", Quantity: decimal.NewFromInt(1)},
				{Kind: "display", Name: "display 14-inch 16:10", Quantity: decimal.NewFromInt(1), Attributes: map[string]string{"area": "0.0568"}},
				{Material: "aluminium", Name: "chassis, aluminium 0.5 kg", Quantity: decimal.NewFromInt(1), Mass: kg("0.5")},
				{Material: "plastic", Name: "plastic parts 0.2 kg", Quantity: decimal.NewFromInt(1), Mass: kg("0.2")},
				{Kind: "psu", Name: "power adapter 0.3 kg", Quantity: decimal.NewFromInt(1), Attributes: map[string]string{"mass": "0.3"}},
				{Kind: "battery", Name: "battery 56 Wh", Quantity: decimal.NewFromInt(1), Attributes: map[string]string{"capacity": "56"}},
			},
			Packaging: []Material{
				{Material: "cardboard", Mass: kg("0.35")},
				{Material: "plastic-film", Mass: kg("0.05")},
			},
			Assembly: true,
		}},
		Shipping: Shipping{Legs: []Leg{
			{Mode: Road, Label: "factory Shenzhen → HKG airport", Distance: Km(dd("45"))},
			{Mode: AirLongHaul, Label: "HKG → BOM air freight", Distance: Km(dd("4367.5"))},
			{Mode: Road, Label: "Mumbai → Bengaluru", Distance: Km(dd("980"))},
		}},
		Use: &Use{
			Modes: []PowerMode{
				{Name: "off", Power: w("0.3"), Share: dd("0.25")},
				{Name: "sleep", Power: w("0.6"), Share: dd("0.35")},
				{Name: "long idle", Power: w("4"), Share: dd("0.10")},
				{Name: "short idle", Power: w("5"), Share: dd("0.30")},
			},
			Lifetime:   Years(decimal.NewFromInt(5)),
			Country:    "IN",
			Trajectory: &Trajectory{YearlyDecline: dd("0.03")},
		},
		EndOfLife: &EndOfLife{PerKg: true},
	}
}
