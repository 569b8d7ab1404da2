// Package footprint computes the carbon footprint of one manufactured product
// in exact decimal arithmetic: quantities with units, emission factors with
// their provenance, named datasets of factors (an embedded default with
// sources and licences, and the caller's own, layered over it), and the
// stage calculations that turn a product description into a Footprint.
//
// # Quantities
//
// CO2e, Mass, Energy, Power, Distance, Duration and FreightActivity are value
// types that carry their dimension: adding a kWh to a kg does not compile.
// Each parses and prints with its unit ("12.5 kWh", "2.2 kg", "5 y",
// "1.76 tkm"), converts between the units of its dimension (g/kg/t/lb;
// Wh/kWh/MWh/J/MJ; m/km/mi/nmi; h/d/y; tkm/kgkm) and marshals to JSON as a
// string with its unit. Products across dimensions exist only where they
// mean something: Power.Over(Duration) is an Energy, Mass.Over(Distance) a
// FreightActivity, and a Factor applied to an Activity is a CO2e. A year is
// 365 days of 24 hours (8760 h), as in the ENERGY STAR typical energy
// consumption formula. The zero value of each type is a valid zero.
//
// # Emission factors
//
// A Factor is kgCO2e per one unit of an activity (its Basis: kWh, tkm, kg,
// item, or a component attribute unit such as mm2 of die or Wh of battery),
// or, for a linear component factor, Amount × attribute [÷ divisor] +
// Intercept per item. Every factor records what it measures, the region it
// applies to, its GWP basis (AR4/AR5/AR6), its boundary (TTW/WTT/WTW) and
// radiative-forcing choice where they matter, its uncertainty (a relative ±
// or a low/high pair) and its Source: publisher, title, year, URL, licence.
//
// # Datasets
//
// A Dataset is a named, versioned, validated set of factors with a
// precomputed index. Dataset.Lookup finds the factor for a measure, a
// region, a boundary and a radiative-forcing choice, falling back from a
// country to "EU" (for a member state, when the dataset has an EU row) and
// then to "WORLD"; every fallback is reported in Resolved (Fallback,
// FallbackPath), never silent, and an unknown region code is an error even
// when fallback is allowed. DefaultDataset is embedded in the module (CSV
// files under footprint/data, each row with its source and licence): grid
// electricity intensity for about 210 countries from Ember (CC-BY-4.0) with
// the world average as the fallback, UK DESNZ 2025 freight factors (TTW and
// WTT, air with and without radiative forcing), component factors from UBA
// via Boavizta, materials per kg (aluminium, steel, plastics, plastic
// film, board, paper, glass: DESNZ 2025 "Material use", for chassis parts
// and packaging), a display-by-area factor derived from ADEME/Arcep's
// average 24-inch monitor (a whole monitor per m² of screen; no per-panel
// figure was found to cite; its range reaches Dell's monitor figure, 5.3
// times as high), whole-device fallbacks from ADEME, a battery factor and
// an end-of-life factor. Callers load their own factors with LoadDatasetJSON
// or LoadFactorsCSV (a supplier's factor sheet) and layer them with Over:
// their factor wins where both have one (the same key, or the same ID),
// and Resolved.Layer says which dataset supplied each factor.
//
// # Calculating a footprint
//
// A ProductSpec describes one product: identity, mass, manufacture (a
// declared figure or a bill of materials priced per item, per kg or
// linearly in a component attribute), shipping legs (a distance, or
// coordinates whose great-circle distance is adjusted per mode: air + 95 km,
// sea × 1.15, road and rail × 1.05), the use phase (a yearly energy, ENERGY
// STAR mode powers and time shares, or an average power; a lifetime of 5
// years by default; a country's grid factor or an explicit intensity,
// optionally declining year by year) and an optional end of life.
// Calculate(spec, dataset) returns a Footprint: four stages of lines, each
// line an activity times a factor with the factor's ID, source and any
// fallback (and, for a component priced by a linear factor, the attribute
// value each item was priced at, so the line can be recomputed from the
// line alone), a low/high range propagated by interval arithmetic, the dataset
// name and version, and the SHA-256 digest of the canonical input
// (ProductSpec.CanonicalJSON). Stage totals are exact sums of lines and the
// total the exact sum of stages; Table renders it, CalculateBatch computes
// many on all cores, and the sub-package pact exports it as a PACT v2.3
// ProductFootprint. ReferenceLaptop is a worked example.
//
// # Known places
//
// A shipping leg's ends may be known places instead of coordinates
// (Leg.FromPlace, Leg.ToPlace). LookupPlace finds one by code, without
// regard to case: 63 major cargo airports by 3-letter IATA code
// (OurAirports, public domain) and 55 container seaports by 5-character
// UN/LOCODE (NGA World Port Index, public domain),
// embedded in footprint/data/places/places.csv with each row's source. A
// Place carries its name, ISO 3166-1 country and position as exact
// Coordinates, so a leg between two known places gets its distance as
// GreatCircle(from.At, to.At) with the mode's adjustment. An unknown code
// is a *FieldError wrapping ErrUnknownPlace (LookupPlace) or
// ErrInvalidProduct (a leg); Places lists the whole table.
//
// # Precision and rounding
//
// All accounting arithmetic uses shopspring/decimal and is exact. Division
// (unit conversions that do not terminate, ratios of attributes) keeps 30
// decimal places, rounding half away from zero only beyond them; quotients that
// terminate within 30 places are exact. Decimal input must be plain: an
// optional sign, digits and an optional point, at most 48 characters; no
// exponent, NaN, Inf, hex or thousands separator. A quantity of CO2e may
// be longer, up to 512 characters, because exact figures are: the product
// of a few 6-place inputs and a declining grid's powers has more than 48
// characters, and every figure Calculate returns must read back (in a
// footprint's, plan's or certificate's JSON, or a journal). Calculate
// refuses, with an error naming the stage and line, a spec whose exact
// figures would be longer than that. JSON carries decimals as strings. The package never reads or writes shopspring's package-level
// settings. Figures are rounded only where they are reported, by the
// caller's choice of rounding; the stored values stay exact.
//
// # Errors
//
// Bad input returns an error, never a panic and never a silent zero. Errors
// are *FieldError values naming the field (as a path: "factors[2].amount",
// "row 3.source_license", "shipping.legs[1].distance"), the offending value
// and the rule it broke, and wrap a sentinel of this package for errors.Is:
// ErrInvalidQuantity, ErrUnknownUnit, ErrWrongDimension, ErrInvalidFactor,
// ErrInvalidDataset, ErrFactorNotFound (with ErrUnknownRegion for a region
// code that is not a country, "EU" or "WORLD"), ErrInvalidProduct,
// ErrUnknownPlace.
//
// # Concurrency
//
// Quantities, Factors and Resolved results are plain values. A Dataset is
// immutable once built (Over returns a new one; Factors returns a copy), so
// one Dataset, including DefaultDataset, is safe for concurrent use by any
// number of goroutines. The package has no mutable package-level state.
package footprint
