// Package geo is lifecarbon's table of countries: every ISO 3166-1 code
// (alpha-2, alpha-3, numeric), an English short name, the continent, EU
// membership and a representative point (latitude and longitude as exact
// decimals, never floats) for distance estimates. It also lists Kosovo under
// the user-assigned code XK / XKX in common use, since grid data is
// published for it.
//
// The table is embedded (countries.csv, whose header names its sources and
// licences) and parsed once on first use. It is immutable and safe for
// concurrent use; lookups return copies.
//
// Region codes: besides country codes, lifecarbon uses "WORLD" for the whole
// world and "EU" for the European Union (27 members); see IsRegion.
package geo
