package footprint

import (
	"encoding/json"

	"github.com/shopspring/decimal"
)

// StageName names a life-cycle stage.
type StageName string

// The four stages, in the order Footprint.Stages lists them.
const (
	StageManufacture StageName = "manufacture"
	StageTransport   StageName = "transport"
	StageUse         StageName = "use"
	StageEndOfLife   StageName = "end-of-life"
)

// Stages lists the stage names in order.
func Stages() []StageName {
	return []StageName{StageManufacture, StageTransport, StageUse, StageEndOfLife}
}

// Footprint is the result of Calculate: the product's cradle-to-grave
// emissions, stage by stage and line by line, with the provenance of every
// factor and the digest of the input it was computed from.
//
// Every figure is exact: nothing is rounded until it is displayed (Table,
// Shares, the PACT export), and the stored values never change. (A
// quotient that does not terminate, such as the part of a year in a
// lifetime of 913 days or a die area of 16 GB ÷ 3 GB/cm², is kept to 30
// decimal places, as the package documentation says.) Invariants,
// at every level: Low ≤ CO2e ≤ High; a stage's CO2e, Low and High are the
// exact sums of its lines'; the Footprint's are the exact sums of its
// stages'. A recycling credit is never part of the total: it is reported
// in RecyclingCredit.
//
// Low and High come from the factors' stated uncertainties by interval
// arithmetic: each line's range is its activity times the factor's low and
// high values, and ranges add. That assumes errors fully correlated, so the
// range is wider (more conservative) than a root-sum-square estimate, but it
// is exact and needs no square root. A factor without a stated uncertainty
// gives a line whose range is its value.
//
// Its JSON form is deterministic: the same inputs give byte-identical JSON.
// It adds each stage's share of the total ("shares", see MarshalJSON).
// A Footprint is safe for concurrent reads. Its lines' FactorRefs are shared
// (see Line.Factor) and must not be modified.
type Footprint struct {
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	SKU          string `json:"sku,omitempty"`
	Serial       string `json:"serial,omitempty"`
	Mass         Mass   `json:"mass"`
	PackagedMass Mass   `json:"packagedMass"`

	// CO2e is the total; Low and High bound it.
	CO2e CO2e `json:"co2e"`
	Low  CO2e `json:"low"`
	High CO2e `json:"high"`
	// Stages always holds the four stages in the order of Stages(); a
	// stage with no lines has zero figures.
	Stages []Stage `json:"stages"`
	// RecyclingCredit, when the spec asked for it, is the end-of-life
	// recycling credit (negative), reported beside the total, never in it.
	RecyclingCredit *Line `json:"recyclingCredit,omitempty"`

	// Method records the choices the figures depend on.
	Method Method `json:"method"`
	// Dataset names the factor dataset used.
	Dataset DatasetLayer `json:"dataset"`
	// InputDigest is "sha256:" and the hex SHA-256 of the canonical input
	// (ProductSpec.CanonicalJSON): anyone holding the spec and the dataset
	// can recompute it, and the figures.
	InputDigest string `json:"inputDigest"`
}

// Method records the calculation choices that a footprint depends on.
type Method struct {
	// Boundary of freight factors: TTW or WTW.
	Boundary Boundary `json:"boundary"`
	// RadiativeForcing of air freight: included or excluded.
	RadiativeForcing RadiativeForcing `json:"radiativeForcing"`
	// Lifetime of use (zero when the spec has no use phase).
	Lifetime Duration `json:"lifetime,omitzero"`
	// Country of use as the spec gives it ("" when none). It selects the
	// dataset's grid factor unless the spec gives an explicit grid
	// intensity or a per-year trajectory; then it only labels that
	// intensity's region.
	Country string `json:"country,omitempty"`
	// Grid describes the use-phase grid intensity: "dataset", "explicit",
	// "trajectory" (one intensity per year) or "decline" (yearly decline).
	Grid string `json:"grid,omitempty"`
	// Uncertainty is the propagation method: "interval".
	Uncertainty string `json:"uncertainty"`
}

// Stage is one life-cycle stage: its total, its range and its lines.
type Stage struct {
	Name  StageName `json:"name"`
	CO2e  CO2e      `json:"co2e"`
	Low   CO2e      `json:"low"`
	High  CO2e      `json:"high"`
	Lines []Line    `json:"lines"`
}

// Line is one activity times one factor.
//
// For a simple factor CO2e = Activity.Amount × Factor.Amount. For a linear
// component factor the activity is a count of items and CO2e = Activity ×
// (Factor.Amount × AttributeValue + Factor.Intercept), where AttributeValue
// is the component's attribute [÷ divisor] the line records. For a declared figure
// the activity is 1 item and the factor is the figure.
type Line struct {
	// Label says what the line is: the component's name or kind, the
	// leg's label or mode, "year 3", "declared", ...
	Label    string   `json:"label"`
	Activity Activity `json:"activity"`
	// Factor records the factor the line used. Calculate never returns a
	// nil Factor. It is shared and read-only: a line that used a dataset
	// factor found without fallback points to a FactorRef the dataset
	// keeps for that factor (one per factor, and one per year and rate of
	// a declining grid), the same in every footprint computed with the
	// dataset, so a FactorRef must not be modified (copy it first).
	// Sharing keeps a footprint small: the record, with its Source, is not
	// copied into each line.
	Factor *FactorRef `json:"factor"`
	// AttributeValue, on a line priced by a linear factor, is the
	// attribute value each item was priced at, in the factor's Basis: the
	// component's Factor.Attribute, divided by its Factor.Divisor attribute
	// when the factor has one (a memory die's area is capacity ÷ density,
	// kept to 30 decimal places). Then CO2e = Activity × (Factor.Amount ×
	// AttributeValue + Factor.Intercept). Zero (and left out of the JSON) on
	// every other line.
	AttributeValue decimal.Decimal `json:"attributeValue,omitzero"`
	CO2e           CO2e            `json:"co2e"`
	Low            CO2e            `json:"low"`
	High           CO2e            `json:"high"`
	// Packaging marks the packaging lines of a bill of materials.
	Packaging bool `json:"packaging,omitempty"`
}

// FactorRef records which factor a line used and how it was found. The
// FactorRefs of a Footprint are shared and read-only (see Line.Factor).
type FactorRef struct {
	ID        string          `json:"id"`
	Measure   string          `json:"measure"`
	Region    string          `json:"region,omitempty"`
	Basis     Basis           `json:"per"`
	Amount    decimal.Decimal `json:"amount"`
	Intercept decimal.Decimal `json:"intercept,omitzero"`
	// Scale, when set, multiplied Amount for this line: a declining grid
	// trajectory's (1 − decline)^(year − 1).
	Scale     decimal.Decimal  `json:"scale,omitzero"`
	Attribute string           `json:"attribute,omitempty"`
	Divisor   string           `json:"divisor,omitempty"`
	Boundary  Boundary         `json:"boundary,omitempty"`
	RF        RadiativeForcing `json:"radiativeForcing,omitempty"`
	GWP       GWP              `json:"gwp,omitempty"`
	Source    Source           `json:"source"`
	// RequestedRegion, Fallback and FallbackPath report a regional
	// fallback (["IN", "WORLD"]); Layer names the dataset layer.
	RequestedRegion string   `json:"requestedRegion,omitempty"`
	Fallback        bool     `json:"fallback,omitempty"`
	FallbackPath    []string `json:"fallbackPath,omitempty"`
	Layer           string   `json:"layer,omitempty"`
}

// Stage returns the named stage (the zero Stage if absent).
func (f Footprint) Stage(name StageName) Stage {
	for _, s := range f.Stages {
		if s.Name == name {
			return s
		}
	}
	return Stage{Name: name}
}

// Share is a stage's share of the total, for display.
type Share struct {
	Stage StageName `json:"stage"`
	// Percent is 100 × stage ÷ total rounded half away from zero to one
	// decimal place; zero when the total is zero. Rounded shares need not
	// add up to exactly 100.
	Percent decimal.Decimal `json:"percent"`
}

// MarshalJSON encodes the footprint's fields and, as "shares", the stages'
// shares of the total (Shares: percent strings rounded to one place, for
// display; the stored figures stay exact). Decoding ignores "shares".
func (f Footprint) MarshalJSON() ([]byte, error) {
	type plain Footprint // without this method
	return json.Marshal(struct {
		plain
		Shares []Share `json:"shares"`
	}{plain(f), f.Shares()})
}

// Shares returns each stage's share of the total in percent, rounded for
// display (see Share). The stored figures are not changed.
func (f Footprint) Shares() []Share {
	out := make([]Share, len(f.Stages))
	for i, s := range f.Stages {
		out[i] = Share{Stage: s.Name, Percent: sharePercent(s.CO2e, f.CO2e)}
	}
	return out
}

var hundred = decimal.NewFromInt(100)

func sharePercent(part, total CO2e) decimal.Decimal {
	if total.IsZero() {
		return decimal.Zero
	}
	// one rounding, on the exact quotient (DivRound compares the exact
	// remainder); dividing to 30 places first and then rounding rounded
	// twice (12.34999…9|6 became 12.35, then 12.4)
	return part.v.Mul(hundred).DivRound(total.v, 1)
}

// Display rounding: figures are printed rounded half away from zero to
// DisplayPlaces decimal places of a kilogram.
const DisplayPlaces = 2

// RoundForDisplay rounds a CO2e to DisplayPlaces decimal places of a kg,
// half away from zero. Reporting uses it once; stored figures stay exact.
func RoundForDisplay(c CO2e) decimal.Decimal { return c.v.Round(DisplayPlaces) }
