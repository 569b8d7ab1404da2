package footprint

import (
	"errors"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
)

// FieldError is the error type every lifecarbon package returns for bad
// input. It names the field (as a JSON path such as
// "shipping.legs[1].distance"), the offending value and the rule that was
// broken, and wraps a package sentinel so errors.Is works:
//
//	var fe *footprint.FieldError
//	if errors.As(err, &fe) { log.Print(fe.Field, fe.Value, fe.Rule) }
//	if errors.Is(err, footprint.ErrUnknownUnit) { ... }
type FieldError = fielderr.Error

// Sentinels wrapped by the errors of this package.
var (
	// ErrInvalidQuantity: a quantity string or value is malformed (bad
	// decimal, missing unit, out of range).
	ErrInvalidQuantity = errors.New("footprint: invalid quantity")
	// ErrUnknownUnit: a unit is not one this library knows at all.
	ErrUnknownUnit = errors.New("footprint: unknown unit")
	// ErrWrongDimension: a unit is known but measures another dimension
	// (a kWh where a mass was expected), or a factor was applied to an
	// activity of another basis.
	ErrWrongDimension = errors.New("footprint: unit of the wrong dimension")
	// ErrInvalidFactor: an emission factor fails validation.
	ErrInvalidFactor = errors.New("footprint: invalid emission factor")
	// ErrInvalidDataset: a dataset fails validation (for example a
	// duplicate factor ID).
	ErrInvalidDataset = errors.New("footprint: invalid dataset")
	// ErrFactorNotFound: no factor matches a lookup and no fallback was
	// allowed or available. The library never substitutes a silent zero.
	ErrFactorNotFound = errors.New("footprint: emission factor not found")
	// ErrInvalidProduct: a product specification fails validation.
	ErrInvalidProduct = errors.New("footprint: invalid product specification")
)
