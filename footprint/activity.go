package footprint

import (
	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/shopspring/decimal"
)

// Basis is the unit of activity an emission factor is expressed per: a
// factor of 0.70896 kgCO2e per kWh has Basis "kWh". For a linear component
// factor it is the unit of the component attribute the slope multiplies
// (for example "mm2" of CPU die, "cm2" of memory die, "Wh" of battery).
// Bases are compared exactly: "GB" and "GiB" are different bases, so a factor
// per GB applied to GiB is an error, never a silent conversion.
type Basis string

// Bases used by the default dataset. Any other non-empty string names a
// component attribute unit.
const (
	PerKWh     Basis = "kWh"  // electricity
	PerTonneKm Basis = "tkm"  // freight
	PerKg      Basis = "kg"   // a mass of a material or product
	PerItem    Basis = "item" // one unit of a component or device
	PerMm2     Basis = "mm2"  // square millimetres (CPU die area)
	PerCm2     Basis = "cm2"  // square centimetres (memory and storage die area)
	PerM2      Basis = "m2"   // square metres (display panel area)
	PerWh      Basis = "Wh"   // watt-hours of battery capacity
)

// Activity is an amount of something a factor can multiply: an energy in
// kWh, a freight activity in tkm, a mass in kg, a count of items, or an
// attribute amount. The zero value is zero of no basis, which no factor
// accepts.
type Activity struct {
	Amount decimal.Decimal `json:"amount"`
	Basis  Basis           `json:"basis"`
}

// Activity returns the energy as an activity in kWh.
func (q Energy) Activity() Activity {
	return Activity{Amount: dec.Div(q.v, dimEnergy.units["kWh"]), Basis: PerKWh}
}

// Activity returns the freight activity in tkm.
func (q FreightActivity) Activity() Activity { return Activity{Amount: q.v, Basis: PerTonneKm} }

// Activity returns the mass as an activity in kg.
func (q Mass) Activity() Activity { return Activity{Amount: q.v, Basis: PerKg} }

// Items returns a count of n items as an activity.
func Items(n decimal.Decimal) Activity { return Activity{Amount: n, Basis: PerItem} }

// Over returns the energy used by drawing power p for duration d
// (W × h = Wh).
func (p Power) Over(d Duration) Energy {
	return Energy{p.v.Mul(d.v).Mul(dimEnergy.units["Wh"])}
}

// Over returns the freight activity of carrying mass m over distance d
// (kg × m ÷ 1,000,000 = tkm; exact).
func (m Mass) Over(d Distance) FreightActivity {
	return FreightActivity{m.v.Mul(d.v).Shift(-6)}
}

// KgCO2e returns a CO2e of v kilograms; a shorthand for
// NewCO2e(v, Kilogram) that cannot fail.
func KgCO2e(v decimal.Decimal) CO2e { return CO2e{v} }

// Kg returns a goods mass of v kilograms; a shorthand for
// NewMass(v, Kilogram) that cannot fail.
func Kg(v decimal.Decimal) Mass { return Mass{v} }

// KWh returns an energy of v kilowatt-hours.
func KWh(v decimal.Decimal) Energy { return Energy{v.Mul(dimEnergy.units["kWh"])} }

// Watts returns a power of v watts.
func Watts(v decimal.Decimal) Power { return Power{v} }

// Km returns a distance of v kilometres.
func Km(v decimal.Decimal) Distance { return Distance{v.Shift(3)} }

// Years returns a duration of v years of 8760 hours.
func Years(v decimal.Decimal) Duration { return Duration{v.Mul(dimDuration.units["y"])} }

// Hours returns a duration of v hours.
func Hours(v decimal.Decimal) Duration { return Duration{v} }

// Hours returns the duration in hours.
func (q Duration) Hours() decimal.Decimal { return q.v }

// Grams returns the mass of CO2e in grams.
func (q CO2e) Grams() decimal.Decimal { return q.v.Shift(3) }
