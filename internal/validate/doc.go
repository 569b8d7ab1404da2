// Package validate holds the one go-playground/validator instance that all
// lifecarbon packages share, with exact decimal rules, and turns its errors
// into *fielderr.Error values so the validator's types never reach callers.
//
// Decimal rules (exact comparisons on shopspring decimals and on any value
// with a Sign() int method, such as the footprint quantities):
//
//	dpos        > 0
//	dnonneg     ≥ 0
//	dmin=X      ≥ X   (X a plain decimal)
//	dmax=X      ≤ X
//
// Field paths use the json tag names: "shipping.legs[1].distance".
package validate
