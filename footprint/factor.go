package footprint

import (
	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

// Boundary says which part of a fuel's life cycle a factor covers.
type Boundary string

// Boundaries. Well-to-wheel is tank-to-wheel plus well-to-tank.
const (
	TTW Boundary = "TTW" // tank-to-wheel: direct combustion
	WTT Boundary = "WTT" // well-to-tank: upstream fuel supply
	WTW Boundary = "WTW" // well-to-wheel: TTW + WTT
)

// RadiativeForcing records whether an air-freight factor includes the
// non-CO2 warming of emissions at altitude. Empty means not applicable.
type RadiativeForcing string

// Radiative forcing choices for air freight.
const (
	RFIncluded RadiativeForcing = "included"
	RFExcluded RadiativeForcing = "excluded"
)

// GWP names the IPCC assessment report whose 100-year global warming
// potentials turn gases into CO2e.
type GWP string

// GWP bases.
const (
	AR4 GWP = "AR4"
	AR5 GWP = "AR5"
	AR6 GWP = "AR6"
)

// Source is the provenance of a factor: who published it, where, when, and
// under which licence it may be redistributed.
type Source struct {
	Publisher string `json:"publisher"`
	Title     string `json:"title"`
	Year      int    `json:"year"`
	URL       string `json:"url,omitempty"`
	License   string `json:"license"`
}

// Uncertainty is a factor's spread. Either Relative is set (0.186 means
// ±18.6 % of the factor's Amount), or Low and High bound the Amount itself
// (in the factor's own unit, Low ≤ Amount ≤ High). For a linear factor
// both spread the slope (Amount); the Intercept is exact. The zero value means no stated
// uncertainty: the range collapses to the value. A zero bound reads as not
// given, so a range gives both bounds, on the amount's side of zero (Low > 0
// for a positive amount, High < 0 for a negative one): High alone is
// refused, not read as a range down to zero.
type Uncertainty struct {
	Relative decimal.Decimal `json:"relative,omitzero"`
	Low      decimal.Decimal `json:"low,omitzero"`
	High     decimal.Decimal `json:"high,omitzero"`
}

// Factor is an emission factor: kgCO2e per one unit of an activity.
//
// A simple factor multiplies an activity of its Basis (kWh, tkm, kg, item).
// A linear component factor computes, per item,
//
//	kgCO2e = Amount × attribute + Intercept
//
// where attribute is the component's attribute named Attribute, in Basis
// units, divided by the attribute named Divisor when Divisor is set (for
// memory: capacity GB ÷ density GB/cm² = cm² of die).
//
// Measure says what is measured ("electricity.grid", "freight.sea.container",
// "component.cpu", "material.aluminium", "device.laptop"); Region is an ISO
// 3166-1 alpha-2 country code, a region code such as "EU", or "WORLD".
// A factor measures an emission: Amount and Uncertainty.Low are ≥ 0 (a
// linear factor's Intercept may be negative, as a fitted line's may, but a
// component whose figure comes out negative is an error). The one
// exception is MeasureRecyclingCredit, a credit, whose Amount is < 0. A
// dataset refuses a factor of the wrong sign.
// Factor is a plain value; copies are independent.
type Factor struct {
	ID               string           `json:"id"`
	Measure          string           `json:"measure"`
	Region           string           `json:"region"`
	Basis            Basis            `json:"per"`
	Amount           decimal.Decimal  `json:"amount"`
	Intercept        decimal.Decimal  `json:"intercept,omitzero"`
	Attribute        string           `json:"attribute,omitempty"`
	Divisor          string           `json:"divisor,omitempty"`
	Boundary         Boundary         `json:"boundary,omitempty"`
	RadiativeForcing RadiativeForcing `json:"radiativeForcing,omitempty"`
	GWP              GWP              `json:"gwp"`
	Uncertainty      Uncertainty      `json:"uncertainty,omitzero"`
	Description      string           `json:"description"`
	Source           Source           `json:"source"`
}

// IsLinear reports whether the factor is a linear attribute factor.
func (f Factor) IsLinear() bool { return f.Attribute != "" }

// Apply multiplies an activity by the factor. The activity's basis must
// equal the factor's; otherwise the error wraps ErrWrongDimension. Apply is
// for simple factors; use ApplyLinear for linear ones.
func (f Factor) Apply(a Activity) (CO2e, error) {
	if f.IsLinear() {
		return CO2e{}, fielderr.New("factor "+f.ID, string(a.Basis), "is a linear attribute factor; use ApplyLinear", ErrWrongDimension)
	}
	if a.Basis != f.Basis {
		return CO2e{}, fielderr.New("factor "+f.ID, string(a.Basis), "activity basis must be "+quote(string(f.Basis)), ErrWrongDimension)
	}
	return CO2e{a.Amount.Mul(f.Amount)}, nil
}

// ApplyLinear computes the per-item amount of a linear factor
// (Amount × attribute [÷ divisor] + Intercept) from a component's attribute
// values, which must be in the factor's Basis; the divisor must be > 0.
// A missing attribute is an error naming it, never a zero.
func (f Factor) ApplyLinear(attrs map[string]decimal.Decimal) (CO2e, error) {
	if !f.IsLinear() {
		return CO2e{}, fielderr.New("factor "+f.ID, "", "is not a linear attribute factor", ErrWrongDimension)
	}
	x, ok := attrs[f.Attribute]
	if !ok {
		return CO2e{}, fielderr.New("attributes."+f.Attribute, "", "required by factor "+f.ID+" (in "+string(f.Basis)+")", ErrInvalidProduct)
	}
	if f.Divisor != "" {
		d, ok := attrs[f.Divisor]
		if !ok {
			return CO2e{}, fielderr.New("attributes."+f.Divisor, "", "required by factor "+f.ID, ErrInvalidProduct)
		}
		if d.Sign() <= 0 {
			return CO2e{}, fielderr.New("attributes."+f.Divisor, d.String(), "must be > 0", ErrInvalidProduct)
		}
		x = dec.Div(x, d)
	}
	v := x.Mul(f.Amount).Add(f.Intercept)
	if v.Sign() < 0 {
		return CO2e{}, fielderr.New("attributes."+f.Attribute, attrs[f.Attribute].String(), negativeLinearRule(f.ID), ErrInvalidProduct)
	}
	return CO2e{v}, nil
}

// negativeLinearRule is the rule a linear factor breaks when its intercept
// (which may be negative, as a regression's may) makes a figure negative.
func negativeLinearRule(id string) string {
	return "gives a negative figure with factor " + id + " (amount × attribute + intercept < 0): outside the range the factor was fitted for"
}

// Bounds returns the low and high values of the factor's Amount implied by
// its Uncertainty (Amount ∓ Relative × Amount, or Low and High). With no
// stated uncertainty both equal Amount. For a negative amount (a credit) the
// bounds are ordered so that low ≤ high.
func (f Factor) Bounds() (low, high decimal.Decimal) {
	u := f.Uncertainty
	switch {
	case !u.Relative.IsZero():
		d := f.Amount.Mul(u.Relative).Abs()
		return f.Amount.Sub(d), f.Amount.Add(d)
	case !u.Low.IsZero() || !u.High.IsZero():
		return u.Low, u.High
	default:
		return f.Amount, f.Amount
	}
}
