// Package syms holds the symbols of lifecarbon's packages for the yaegi
// interpreter: `go generate` writes them next to this file (yaegi
// extract); they are not committed.
package syms

import "reflect"

//go:generate go tool yaegi extract github.com/lifecarbon/lifecarbon github.com/lifecarbon/lifecarbon/footprint github.com/lifecarbon/lifecarbon/offset github.com/lifecarbon/lifecarbon/registry github.com/lifecarbon/lifecarbon/certificate github.com/shopspring/decimal

// Symbols maps an import path to its exported symbols.
var Symbols = map[string]map[string]reflect.Value{}
