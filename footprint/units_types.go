package footprint

// MassUnit names a unit of mass: g, kg, t, or (for goods) lb. CO2e amounts
// accept g, kg and t, with an optional "CO2e" suffix ("kgCO2e",
// "508.2 kg CO2e"); not lb.
type MassUnit string

// EnergyUnit names a unit of energy.
type EnergyUnit string

// PowerUnit names a unit of power.
type PowerUnit string

// DistanceUnit names a unit of distance.
type DistanceUnit string

// DurationUnit names a unit of time of use.
type DurationUnit string

// FreightUnit names a unit of freight activity.
type FreightUnit string

// Units of mass.
const (
	Gram     MassUnit = "g"
	Kilogram MassUnit = "kg"
	Tonne    MassUnit = "t"
	Pound    MassUnit = "lb" // 0.45359237 kg exactly; goods only
)

// Units of energy. A kilowatt-hour is 3.6 MJ exactly.
const (
	Joule        EnergyUnit = "J"
	Kilojoule    EnergyUnit = "kJ"
	Megajoule    EnergyUnit = "MJ"
	Gigajoule    EnergyUnit = "GJ"
	WattHour     EnergyUnit = "Wh"
	KilowattHour EnergyUnit = "kWh"
	MegawattHour EnergyUnit = "MWh"
	GigawattHour EnergyUnit = "GWh"
)

// Units of power.
const (
	Milliwatt PowerUnit = "mW"
	Watt      PowerUnit = "W"
	Kilowatt  PowerUnit = "kW"
	Megawatt  PowerUnit = "MW"
)

// Units of distance. A statute mile is 1609.344 m and a nautical mile
// 1852 m, both exactly.
const (
	Metre        DistanceUnit = "m"
	Kilometre    DistanceUnit = "km"
	Mile         DistanceUnit = "mi"
	NauticalMile DistanceUnit = "nmi"
)

// Units of time of use. A year is 365 days of 24 hours (8760 h), as in the
// ENERGY STAR typical energy consumption formula; leap days are not counted.
const (
	Hour DurationUnit = "h"
	Day  DurationUnit = "d"
	Year DurationUnit = "y"
)

// Units of freight activity.
const (
	TonneKm    FreightUnit = "tkm"
	KilogramKm FreightUnit = "kgkm"
)
