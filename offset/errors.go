package offset

import (
	"errors"
	"strings"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// Sentinels wrapped by the errors of this package; match them with
// errors.Is. Input errors are *footprint.FieldError values (field path,
// value, rule) wrapping one of them.
var (
	// ErrInvalidProject: a project fails validation.
	ErrInvalidProject = errors.New("offset: invalid project")
	// ErrInvalidLot: a credit lot fails validation.
	ErrInvalidLot = errors.New("offset: invalid credit lot")
	// ErrInvalidSerial: a serial block is malformed.
	ErrInvalidSerial = errors.New("offset: malformed serial block")
	// ErrSerialCount: a serial block's count (end − start + 1) disagrees
	// with the lot's tonnes.
	ErrSerialCount = errors.New("offset: serial block count disagrees with the quantity")
	// ErrUnknownCurrency: a currency is not an ISO 4217 code a price can be
	// stated in.
	ErrUnknownCurrency = errors.New("offset: unknown currency")
	// ErrUnknownCountry: a country code is not ISO 3166-1 alpha-2, or the
	// country table has no point for a country whose distance is needed.
	ErrUnknownCountry = errors.New("offset: unknown country")
	// ErrInvalidInventory: projects and lots do not fit together (a
	// duplicate ID, a lot of an unknown project, two lots sharing a
	// serial), or inventory JSON is malformed or too large.
	ErrInvalidInventory = errors.New("offset: invalid inventory")
	// ErrInvalidDemand: a demand or its preferences fail validation.
	ErrInvalidDemand = errors.New("offset: invalid demand")
	// ErrMixedCurrencies: "cheapest first" would have to compare prices in
	// different currencies; name one with Preferences.Currency or MaxPrice.
	ErrMixedCurrencies = errors.New("offset: cheapest first across several currencies")
	// ErrConflict: a plan applied to an inventory draws grams that are no
	// longer free there (or, released, not allocated there), names a lot
	// whose project, vintage or serials differ there, or does not agree
	// with itself (a line's serials or amount are not what its grams give,
	// or the plan's amount is not the sum of its lines').
	ErrConflict = errors.New("offset: plan conflicts with the inventory")
	// ErrUnmet: the preferences cannot be met from the inventory. The error
	// is an *UnmetError with the detail.
	ErrUnmet = errors.New("offset: preferences cannot be met")
)

// Constraint is one preference's effect on what the inventory can supply,
// as reported by UnmetError.
type Constraint struct {
	// Name is the preference's JSON path: "types", "vintage", "maxPrice",
	// "split[1].projects", ... or "inventory" for the free stock itself.
	Name string `json:"name"`
	// Rule describes it: "type in [wind]", "price ≤ 5 USD/t".
	Rule string `json:"rule"`
	// Alone is what is free among the lots this constraint alone allows.
	Alone footprint.CO2e `json:"alone"`
	// Cumulative is what is free under this constraint and every one
	// listed before it.
	Cumulative footprint.CO2e `json:"cumulative"`
}

// UnmetError reports a demand the inventory cannot cover under its
// preferences: how much was asked, how much each constraint leaves, and
// which one bound. It wraps ErrUnmet:
//
//	var ue *offset.UnmetError
//	if errors.As(err, &ue) { log.Print(ue.Binding, ue.Asked, ue.Available) }
type UnmetError struct {
	// Serial is the product serial of the demand.
	Serial string `json:"serial"`
	// Share is the index of the portfolio share that could not be filled,
	// or -1 when the demand has no split.
	Share int `json:"share"`
	// Asked is what had to be covered (after rounding; for a share, the
	// share's part).
	Asked footprint.CO2e `json:"asked"`
	// Available is what is free under all the constraints together.
	Available footprint.CO2e `json:"available"`
	// Constraints lists every constraint in force, in a fixed order,
	// starting with "inventory" (the whole free stock).
	Constraints []Constraint `json:"constraints"`
	// Binding names the first constraint whose cumulative availability
	// falls below Asked ("inventory" when the free stock itself is short).
	Binding string `json:"binding"`
}

// Error says what was asked, what was available and which constraint bound.
func (e *UnmetError) Error() string {
	var b strings.Builder
	b.WriteString("offset: preferences cannot be met for ")
	b.WriteString(e.Serial)
	if e.Share >= 0 {
		b.WriteString(" (split[")
		b.WriteString(itoa(int64(e.Share)))
		b.WriteString("])")
	}
	b.WriteString(": asked ")
	b.WriteString(e.Asked.String())
	b.WriteString(", available ")
	b.WriteString(e.Available.String())
	for _, c := range e.Constraints {
		if c.Name == e.Binding {
			b.WriteString("; binding constraint ")
			b.WriteString(c.Name)
			b.WriteString(" (")
			b.WriteString(c.Rule)
			b.WriteString(") leaves ")
			b.WriteString(c.Cumulative.String())
			break
		}
	}
	return b.String()
}

// Unwrap returns ErrUnmet.
func (e *UnmetError) Unwrap() error { return ErrUnmet }
