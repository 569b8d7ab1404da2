package footprint_test

import (
	"fmt"
	"strings"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// Decode a product from its JSON form (quantities are strings with a unit,
// unknown members are refused) and compute its footprint with the default
// dataset.
func ExampleDecodeProductSpec() {
	const doc = `{
		"manufacturer": "Acme",
		"model": "Tab 10",
		"serial": "TB-0001",
		"mass": "1.2 kg",
		"packagedMass": "1.5 kg",
		"manufacture": {"declared": {"amount": "120 kg CO2e", "source": "Acme PCF sheet (illustrative)"}},
		"shipping": {"legs": [{"mode": "road", "distance": "500 km"}]},
		"use": {"yearlyEnergy": "20 kWh", "lifetime": "4 y", "country": "DE"}
	}`
	spec, err := footprint.DecodeProductSpec(strings.NewReader(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec.Manufacturer, spec.Model, spec.Mass, "packed", spec.PackagedMass)

	fp, err := footprint.Calculate(spec, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// By hand, from the default dataset's factors:
	//   manufacture: declared                                     120 kg
	//   transport:   1.5 kg = 0.0015 t × 500 km = 0.75 tkm,
	//                road WTW: 0.75 × (0.10163 + 0.02359) = 0.093915 kg
	//   use:         20 kWh/y × 4 y = 80 kWh × 0.34206 (grid.DE) = 27.3648 kg
	//   total:       120 + 0.093915 + 27.3648 = 147.458715 kg
	fmt.Println("total:", fp.CO2e)

	// A bad value is reported with its full path.
	_, err = footprint.DecodeProductSpec(strings.NewReader(strings.Replace(doc, `"500 km"`, `"500 miles"`, 1)))
	fmt.Println(err)
	// Output:
	// Acme Tab 10 1.2 kg packed 1.5 kg
	// total: 147.458715 kg CO2e
	// shipping.legs[0].distance: unknown unit "miles" for distance (use m, km, mi, nmi), got "500 miles"
}
