package footprint

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/geo"
	"github.com/lifecarbon/lifecarbon/internal/strictjson"
	"github.com/lifecarbon/lifecarbon/internal/validate"
	"github.com/shopspring/decimal"
)

// ProductSpec describes one manufactured product for Calculate: who made it,
// what it weighs, how its manufacture is accounted for (a declared figure or
// a bill of materials), how it was shipped, how it is used and for how long,
// and optionally its end of life.
//
// Its JSON form uses the field names below; quantities are strings with a
// unit ("1.4 kg", "800 km", "5 y", "45 W", "20 kWh") and plain decimals are
// strings ("0.25"). Omitted options take the defaults documented on each
// field, and stating a default explicitly gives exactly the same footprint
// and the same input digest as leaving it out. In JSON an option is left
// out by leaving its member out: a lifetime or a mass whose default is
// another mass (packagedMass, a leg's mass, an end of life's mass) given
// as zero is refused, not read as the default.
//
// A ProductSpec is a plain value. Calculate does not modify it; it is safe
// to share between goroutines as long as nobody modifies it.
type ProductSpec struct {
	// Manufacturer, Model and SKU identify the product; Serial optionally
	// identifies one unit, and must not start or end with white space
	// (which would make "PF-1 " another unit than "PF-1") or hold an
	// invisible format character (a zero-width space, a bidi override).
	// Manufacturer and Model are required.
	Manufacturer string `json:"manufacturer" validate:"required,max=200"`
	Model        string `json:"model" validate:"required,max=200"`
	SKU          string `json:"sku,omitempty" validate:"max=200"`
	Serial       string `json:"serial,omitempty" validate:"max=200"`

	// Mass is the product's own mass, without packaging (> 0).
	Mass Mass `json:"mass" validate:"dpos"`
	// PackagedMass is the mass with packaging, as shipped; it defaults to
	// Mass and may not be less than it.
	PackagedMass Mass `json:"packagedMass,omitzero" validate:"dnonneg"`

	// Manufacture is required: a declared figure or a bill of materials.
	Manufacture Manufacture `json:"manufacture"`
	// Shipping lists the freight legs; it may be empty.
	Shipping Shipping `json:"shipping,omitzero"`
	// Use is the use phase; nil means the product uses no energy.
	Use *Use `json:"use,omitempty"`
	// EndOfLife is optional; nil leaves the end-of-life stage empty.
	EndOfLife *EndOfLife `json:"endOfLife,omitempty"`
}

// Manufacture accounts for making the product: exactly one of Declared (a
// manufacturer's product carbon footprint, cradle to gate) or BOM (a bill of
// materials priced with the dataset's factors).
type Manufacture struct {
	Declared *DeclaredFigure  `json:"declared,omitempty"`
	BOM      *BillOfMaterials `json:"bom,omitempty"`
}

// DeclaredFigure is a figure someone else computed: a manufacturer's PCF for
// the manufacture stage, or a fixed end-of-life figure. Source (who
// published it, where) is required. Uncertainty is optional: a Relative ±
// (0.186 = ±18.6 %), or Low and High in kg CO2e around Amount.
type DeclaredFigure struct {
	Amount      CO2e        `json:"amount" validate:"dnonneg"`
	Source      string      `json:"source" validate:"required,max=500"`
	Uncertainty Uncertainty `json:"uncertainty,omitzero"`
}

// BillOfMaterials prices the product part by part. Each component is priced
// with the dataset factor of its measure; packaging materials by mass; and
// Assembly, when true, adds one "component.assembly" per product.
type BillOfMaterials struct {
	Components []Component `json:"components" validate:"required,min=1,max=1000,dive"`
	Packaging  []Material  `json:"packaging,omitempty" validate:"max=100,dive"`
	Assembly   bool        `json:"assembly,omitempty"`
	// Region is where the parts were made, for factor lookup: an ISO
	// 3166-1 alpha-2 code, "EU" or "WORLD"; default "WORLD". Lookups fall
	// back to WORLD and report it.
	Region string `json:"region,omitempty"`
}

// Component is one line of a bill of materials.
//
// Kind selects the factor: a bare kind such as "cpu" means the measure
// "component.cpu"; a kind with a dot is a measure as is ("device.laptop",
// "material.aluminium"). Material is a shorthand for Kind
// "material.<name>". Give exactly one of Kind or Material.
//
// How the factor applies depends on the factor found:
//   - a linear factor (an attribute such as "die_area"): per item
//     slope × attribute [÷ divisor attribute] + intercept, times Quantity;
//     the attributes it names must be in Attributes;
//   - a factor per kg: Mass (per item) × Quantity;
//   - a factor per item: Quantity.
//
// Attributes are plain decimal strings in the factor's unit
// ({"die_area": "120"} for mm², {"capacity": "16", "density": "1.79"},
// {"area": "0.0568"} for m² of a display), ≥ 0; an attribute the factor
// multiplies or divides by must be > 0.
type Component struct {
	Kind       string            `json:"kind,omitempty" validate:"max=128"`
	Material   string            `json:"material,omitempty" validate:"max=128"`
	Name       string            `json:"name,omitempty" validate:"max=200"`
	Quantity   decimal.Decimal   `json:"quantity" validate:"dpos"`
	Mass       Mass              `json:"mass,omitzero" validate:"dnonneg"`
	Attributes map[string]string `json:"attributes,omitempty" validate:"max=32"`
}

// Material is a mass of one material, priced with "material.<name>" per kg
// (packaging: "cardboard", "paper", "plastic-abs", ...).
type Material struct {
	Material string `json:"material" validate:"required,max=128"`
	Mass     Mass   `json:"mass" validate:"dpos"`
}

// Shipping is the freight of the finished product, leg by leg.
type Shipping struct {
	// Boundary is TTW (direct) or WTW (direct plus upstream fuel);
	// default WTW. WTW legs show a TTW line and a WTT line.
	Boundary Boundary `json:"boundary,omitempty"`
	// RadiativeForcing for air legs: "included" (default) or "excluded".
	// Legs by other modes ignore it.
	RadiativeForcing RadiativeForcing `json:"radiativeForcing,omitempty"`
	Legs             []Leg            `json:"legs,omitempty" validate:"max=100,dive"`
}

// Mode is a freight transport mode.
type Mode string

// Freight modes and the dataset measures they use.
const (
	AirLongHaul  Mode = "air-long-haul"  // freight.air.long-haul
	AirShortHaul Mode = "air-short-haul" // freight.air.short-haul
	AirDomestic  Mode = "air-domestic"   // freight.air.domestic
	Sea          Mode = "sea"            // freight.sea.container
	Road         Mode = "road"           // freight.road.hgv
	Rail         Mode = "rail"           // freight.rail
)

// Measure returns the dataset measure of the mode ("" for an unknown mode).
func (m Mode) Measure() string {
	switch m {
	case AirLongHaul:
		return "freight.air.long-haul"
	case AirShortHaul:
		return "freight.air.short-haul"
	case AirDomestic:
		return "freight.air.domestic"
	case Sea:
		return "freight.sea.container"
	case Road:
		return "freight.road.hgv"
	case Rail:
		return "freight.rail"
	}
	return ""
}

// IsAir reports whether the mode is air freight.
func (m Mode) IsAir() bool { return m == AirLongHaul || m == AirShortHaul || m == AirDomestic }

// Distance adjustments applied when a leg's distance is computed from its
// endpoints (the great-circle distance understates the route actually
// travelled). They follow the distance adjustment factors of the GLEC
// Framework (Smart Freight Centre, v3) and ISO 14083 for a great-circle
// distance: air + 95 km; sea × 1.15; road × 1.05. Rail takes the road
// factor, 1.05, as a land mode. A leg given with an explicit Distance is
// used as is.
//
// Known overlap: the default dataset's air factors are DESNZ's, which
// already include DESNZ's 8 % uplift for non-direct routing and are meant
// for the great-circle distance (their descriptions say so), so an air leg
// computed from its endpoints counts both that uplift and the GLEC 95 km
// (95 km on a 4,272 km leg is 2.2 % more; on 1,000 km, 9.5 %). Give the
// leg's Distance as the great-circle distance to apply DESNZ's rule alone.
var (
	airDistanceAddKm = decimal.NewFromInt(95)
	seaDetour        = decimal.RequireFromString("1.15")
	landDetour       = decimal.RequireFromString("1.05")
)

// AdjustedDistance returns the distance used for a leg of mode m whose
// great-circle distance is gcd: air + 95 km, sea × 1.15, road and rail ×
// 1.05. It is exact (the great-circle distance is a whole number of metres).
func (m Mode) AdjustedDistance(gcd Distance) Distance {
	switch {
	case m.IsAir():
		return gcd.Add(Km(airDistanceAddKm))
	case m == Sea:
		return gcd.Mul(seaDetour)
	default:
		return gcd.Mul(landDetour)
	}
}

// adjustedMetres is AdjustedDistance of a great-circle distance of gcd
// metres, in metres, without building decimals.
func (m Mode) adjustedMetres(gcd int64) num {
	d := numInt(gcd)
	switch {
	case m.IsAir():
		return d.add(numInt(95_000))
	case m == Sea:
		return d.mul(numE(115, -2))
	default:
		return d.mul(numE(105, -2))
	}
}

// Leg is one freight leg: a mode, the mass carried (default: the product's
// packaged mass) and either a Distance or both ends, from which the distance
// is the great-circle distance adjusted for the mode (see
// Mode.AdjustedDistance). Each end is either coordinates (From, To) or the
// code of a known place (FromPlace, ToPlace: an IATA airport code such as
// "HKG" or a UN/LOCODE such as "CNSHA"; see LookupPlace), not both; the
// two ends must be different places (a great-circle distance of at least
// one metre), so no leg is charged only the mode's adjustment. Region
// selects regional freight factors (default "WORLD"). A leg between two
// known places without a Label is labelled "FROM → TO".
type Leg struct {
	Mode     Mode         `json:"mode" validate:"required"`
	Mass     Mass         `json:"mass,omitzero" validate:"dnonneg"`
	Distance Distance     `json:"distance,omitzero" validate:"dnonneg"`
	From     *Coordinates `json:"from,omitempty"`
	To       *Coordinates `json:"to,omitempty"`
	// FromPlace and ToPlace name known places (LookupPlace) instead of
	// coordinates.
	FromPlace string `json:"fromPlace,omitempty"`
	ToPlace   string `json:"toPlace,omitempty"`
	Region    string `json:"region,omitempty"`
	Label     string `json:"label,omitempty" validate:"max=200"`
}

// Use is the use phase: how much electricity the product draws per year,
// for how many years, and on which grid.
//
// Exactly one energy model: YearlyEnergy (kWh per year, such as an ENERGY
// STAR typical energy consumption); Modes (power per mode with the share of
// time in each, E = 8760 h × Σ P × share; shares must sum to exactly 1); or
// AveragePower with HoursPerDay (E = P × hours × 365).
//
// The grid: Country (its electricity.grid factor from the dataset, with
// WORLD as a reported fallback) or Grid, an explicit intensity. Trajectory
// optionally makes the intensity change year by year.
type Use struct {
	YearlyEnergy Energy          `json:"yearlyEnergy,omitzero" validate:"dnonneg"`
	Modes        []PowerMode     `json:"modes,omitempty" validate:"max=16,dive"`
	AveragePower Power           `json:"averagePower,omitzero" validate:"dnonneg"`
	HoursPerDay  decimal.Decimal `json:"hoursPerDay,omitzero" validate:"dnonneg,dmax=24"`
	// Lifetime defaults to 5 years (the zero Duration; in JSON, leave the
	// member out: an explicit "0 y" is refused); it must be > 0 and ≤ 30
	// years.
	Lifetime Duration `json:"lifetime,omitzero"`
	// Country of use, ISO 3166-1 alpha-2: it selects the dataset's grid
	// factor. With an explicit Grid (or a per-year trajectory) it is
	// optional and only labels the intensity's region.
	Country string `json:"country,omitempty"`
	// Grid is an explicit grid intensity instead of the dataset's. It
	// cannot be combined with a Trajectory's KgPerKWh (which gives every
	// year's intensity); with a YearlyDecline it is the base that declines.
	Grid *GridIntensity `json:"grid,omitempty"`
	// Trajectory makes the intensity change year by year.
	Trajectory *Trajectory `json:"trajectory,omitempty"`
}

// PowerMode is one operating mode of a product (off, sleep, idle, on) with
// its power and the share of the year spent in it (0 to 1).
type PowerMode struct {
	Name  string          `json:"name" validate:"required,max=64"`
	Power Power           `json:"power" validate:"dnonneg"`
	Share decimal.Decimal `json:"share" validate:"dnonneg,dmax=1"`
}

// GridIntensity is an explicit grid carbon intensity in kg CO2e per kWh
// with its source and optional uncertainty.
type GridIntensity struct {
	KgPerKWh    decimal.Decimal `json:"kgPerKWh" validate:"dpos"`
	Source      string          `json:"source" validate:"required,max=500"`
	Uncertainty Uncertainty     `json:"uncertainty,omitzero"`
}

// Trajectory is a grid intensity that changes year by year, so a
// multi-year use phase on a decarbonising grid is summed year by year.
// Give exactly one of:
//   - KgPerKWh: one intensity per year of use (kg CO2e per kWh), as many
//     as the lifetime has years, a partial final year counting as a year;
//     Source is then required, and Use.Grid must be nil;
//   - YearlyDecline: a fraction in (0, 1) by which the base intensity
//     (the country's factor or Grid) falls each year: year k (from 1) uses
//     base × (1 − YearlyDecline)^(k−1).
//
// A lifetime that is not a whole number of years ends with a partial year:
// its energy is the yearly energy times the fraction of the year, at that
// year's intensity.
type Trajectory struct {
	KgPerKWh      []decimal.Decimal `json:"kgPerKWh,omitempty" validate:"max=30"`
	YearlyDecline decimal.Decimal   `json:"yearlyDecline,omitzero" validate:"dnonneg"`
	Source        string            `json:"source,omitempty" validate:"max=500"`
}

// EndOfLife is the optional end-of-life stage: either PerKg (the dataset's
// "eol.weee" factor per kg of the product's mass, or of Mass when given) or
// Declared (a fixed figure with its source). RecyclingCredit, when true,
// looks up "eol.recycling-credit" per kg and reports it separately in
// Footprint.RecyclingCredit: it is never netted from the total. The default
// dataset has no recycling-credit factor (no openly licensed figure for
// recovering the materials of electronics was found), so a credit needs a
// caller's layer holding one (measure "eol.recycling-credit", per kg, a
// negative amount); without it Calculate returns an error wrapping
// ErrFactorNotFound that names endOfLife.recyclingCredit.
type EndOfLife struct {
	PerKg           bool            `json:"perKg,omitempty"`
	Mass            Mass            `json:"mass,omitzero" validate:"dnonneg"`
	Declared        *DeclaredFigure `json:"declared,omitempty"`
	RecyclingCredit bool            `json:"recyclingCredit,omitempty"`
	Region          string          `json:"region,omitempty"`
}

// Defaults applied by Normalize.
var (
	// DefaultLifetime is the lifetime of a product whose Use gives none.
	DefaultLifetime = Years(decimal.NewFromInt(5))
	maxLifetime     = Years(decimal.NewFromInt(30))
)

// Limits on a spec.
const (
	// MaxSpecJSON is the largest JSON document DecodeProductSpec reads.
	MaxSpecJSON = 1 << 20
	// maxPlaces bounds the decimal places of any number in a spec (in the
	// quantity's base unit), so that printing and hashing stay exact and
	// cheap.
	maxPlaces = 24
	// maxDigits bounds the significant digits of any number in a spec.
	maxDigits = 40
)

// DecodeProductSpec reads one JSON product specification (at most
// MaxSpecJSON bytes), refusing unknown fields, a member given twice, a
// member name in another case ("MODEL" for "model"), text that is not
// valid UTF-8 (which encoding/json would read as U+FFFD) and trailing
// data, and validates it. A nil reader is an error; a leading UTF-8 byte
// order mark is skipped. A member that is null is read as absent. Every decimal
// must be a JSON string holding a plain decimal ("0.25"; not 0.25, "1e2"
// or ".25"); quantities are strings with a unit.
// Errors are *FieldError values naming the value's full path
// ("shipping.legs[1].distance"), wrapping ErrInvalidProduct (or the
// quantity sentinels for a malformed quantity).
func DecodeProductSpec(r io.Reader) (ProductSpec, error) {
	if r == nil {
		return ProductSpec{}, fielderr.New("", "", "no input (nil reader)", ErrInvalidProduct)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxSpecJSON+1))
	if err != nil {
		return ProductSpec{}, err
	}
	if len(b) > MaxSpecJSON {
		return ProductSpec{}, fielderr.New("", strconv.Itoa(len(b))+" bytes", "product specification larger than 1 MiB", ErrInvalidProduct)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark, as Windows tools write (RFC 8259 §8.1)
	// The members first: none unknown, none given twice, none in another
	// case (internal/strictjson, by full path). Then every value is
	// checked where it is (plain decimals of at most 48 characters,
	// quantities) before the decoder reads it: the decimal package's own
	// decoder would spend seconds on a decimal of a million digits.
	if err := strictjson.Check(b, typeProductSpec, ErrInvalidProduct); err != nil {
		return ProductSpec{}, err
	}
	if err := checkJSON(b, typeProductSpec, ""); err != nil {
		return ProductSpec{}, err
	}
	var s ProductSpec
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&s); err != nil {
		return ProductSpec{}, jsonError(err)
	}
	if d.More() {
		return ProductSpec{}, fielderr.New("", "", "data after the product specification", ErrInvalidProduct)
	}
	if _, err := d.Token(); err != io.EOF {
		return ProductSpec{}, fielderr.New("", "", "data after the product specification", ErrInvalidProduct)
	}
	if err := s.Validate(); err != nil {
		return ProductSpec{}, err
	}
	return s, nil
}

var typeProductSpec = reflect.TypeFor[ProductSpec]()

func jsonError(err error) error {
	var fe *fielderr.Error
	if errors.As(err, &fe) {
		return fe
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fielderr.New(te.Field, te.Value, "must be a JSON "+jsonKind(te.Type.Kind().String()), ErrInvalidProduct)
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		k := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), "\"")
		return fielderr.New(k, k, "unknown field", ErrInvalidProduct)
	}
	return fielderr.New("", "", "malformed JSON: "+msg, ErrInvalidProduct)
}

func jsonKind(k string) string {
	switch k {
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "bool":
		return "boolean"
	}
	return "string"
}

// Validate checks the specification and returns the first problem as a
// *FieldError naming the field ("shipping.legs[1].distance"), the value and
// the rule, wrapping ErrInvalidProduct. Calculate validates too; Validate
// lets a caller check a spec without a dataset. Problems a dataset reveals
// (a factor that needs an attribute the component lacks, a material without
// a factor) are reported by Calculate.
//
// Validate runs the struct rules (the validate tags, through the shared
// validator) and then the rules Normalize applies; Calculate applies the
// same rules by hand, without reflection.
func (s ProductSpec) Validate() error {
	if err := validate.Struct(&s, ErrInvalidProduct); err != nil {
		return err
	}
	_, err := s.Normalize()
	return err
}

// Normalize validates the specification and returns it with every default
// filled in: PackagedMass, each leg's Mass, Boundary, RadiativeForcing,
// Lifetime, and known place codes spelled as the table spells them ("hkg"
// → "HKG"); two defaults that are not values to compute with are left out
// instead when stated: a factor region of WORLD (manufacture.bom.region, a
// leg's region, endOfLife.region) and an end-of-life mass equal to the
// product's mass. The normalised form is what Calculate computes from and
// what the input digest covers, so a spec that states the defaults and one
// that leaves them out normalise to the same value.
func (s ProductSpec) Normalize() (ProductSpec, error) {
	var n ProductSpec
	err := s.normalize(&n)
	return n, err
}

func bad(field, value, rule string) error {
	return fielderr.New(field, value, rule, ErrInvalidProduct)
}

// normalize writes the normalised spec to out. Slices and maps of the
// caller's spec are shared, not copied, except the legs (whose masses are
// filled in) and the use phase (its lifetime).
func (s ProductSpec) normalize(out *ProductSpec) error {
	if err := s.normalizeView(out, nil); err != nil {
		return err
	}
	if len(s.Shipping.Legs) > 0 {
		legs := make([]Leg, len(s.Shipping.Legs))
		for i := range legs {
			legs[i] = s.Shipping.Legs[i]
			legs[i].Mass = legs[i].mass(out.PackagedMass)
			legs[i].FromPlace = placeCode(legs[i].FromPlace)
			legs[i].ToPlace = placeCode(legs[i].ToPlace)
		}
		out.Shipping.Legs = legs
	}
	if s.Use != nil {
		u := *s.Use
		u.Lifetime = u.lifetime()
		out.Use = &u
	}
	// Defaults stated explicitly are left out, as the canonical writer
	// leaves them out: a region of WORLD, an end-of-life mass equal to the
	// product's mass.
	if b := s.Manufacture.BOM; b != nil && b.Region != regionOpt(b.Region) {
		c := *b
		c.Region = ""
		out.Manufacture.BOM = &c
	}
	for i := range out.Shipping.Legs {
		out.Shipping.Legs[i].Region = regionOpt(out.Shipping.Legs[i].Region)
	}
	if e := s.EndOfLife; e != nil {
		c := *e
		c.Region = regionOpt(c.Region)
		c.Mass = c.massOpt(s.Mass)
		out.EndOfLife = &c
	}
	return nil
}

// regionOpt returns a factor region as a normalised spec holds it: the
// default, WORLD, as "".
func regionOpt(r string) string {
	if r == RegionWorld {
		return ""
	}
	return r
}

// massOpt returns the end-of-life mass as a normalised spec holds it: the
// default, the product's mass, as zero.
func (e *EndOfLife) massOpt(product Mass) Mass {
	// (compared as nums: shopspring's Cmp allocates, and the canonical
	// writer calls this for every footprint)
	if e.Mass.IsZero() || numOf(e.Mass.v).cmp(numOf(product.v)) == 0 {
		return Mass{}
	}
	return e.Mass
}

// normalizeView validates the spec like normalize and writes it to out with
// the defaults that are plain values filled in (PackagedMass, Boundary,
// RadiativeForcing), but copies nothing: out shares the caller's legs and
// use phase, whose defaults are read through Leg.mass and Use.lifetime.
// Calculate works from this view. When sc is not nil, the components'
// attributes are recorded in it.
func (s ProductSpec) normalizeView(out *ProductSpec, sc *attrScratch) error {
	if err := s.checkFields(); err != nil {
		return err
	}
	if err := checkNum("mass", s.Mass.v); err != nil {
		return err
	}
	if err := checkNum("packagedMass", s.PackagedMass.v); err != nil {
		return err
	}
	*out = s
	if s.PackagedMass.IsZero() {
		out.PackagedMass = s.Mass
	} else if s.PackagedMass.Cmp(s.Mass) < 0 {
		return bad("packagedMass", s.PackagedMass.String(), "must be ≥ mass "+s.Mass.String())
	}
	if err := s.Manufacture.check(sc); err != nil {
		return fielderr.Prefix("manufacture", err)
	}
	if err := out.Shipping.normalize(); err != nil {
		return fielderr.Prefix("shipping", err)
	}
	if s.Use != nil {
		if err := s.Use.check(); err != nil {
			return fielderr.Prefix("use", err)
		}
	}
	if s.EndOfLife != nil {
		if err := s.EndOfLife.check(); err != nil {
			return fielderr.Prefix("endOfLife", err)
		}
	}
	return nil
}

// checkNum refuses numbers too long or too finely divided to be a real
// input (such as "1e-999999" decoded by the decimal package).
func checkNum(field string, d decimal.Decimal) error {
	if numOK(d) {
		return nil
	}
	return numErr(field, d)
}

// numOK reports whether d is within the limits of a spec number.
func numOK(d decimal.Decimal) bool {
	const _ = uint(maxDigits - 39) // a 128-bit coefficient has at most 39 digits
	n := numOf(d)
	if n.bd == nil {
		// zero, or a coefficient of at most 128 bits: at most 39 digits
		return (n.hi == 0 && n.lo == 0) || (n.exp >= -maxPlaces && n.exp <= maxDigits)
	}
	return d.Exponent() >= -maxPlaces && d.Exponent() <= maxDigits && numDigits(d) <= maxDigits
}

// shortDecimal prints a decimal for an error message: in exponent form
// when its exponent is far from zero (1e999999 would print a million
// digits), and with the middle of a long string left out.
func shortDecimal(v decimal.Decimal) string {
	var s string
	if e := v.Exponent(); e > 48 || e < -48 {
		s = v.Coefficient().String() + "e" + strconv.Itoa(int(e))
	} else {
		s = v.String()
	}
	if len(s) > 64 {
		s = s[:30] + "…" + s[len(s)-30:]
	}
	return s
}

func numErr(field string, v decimal.Decimal) error {
	return bad(field, shortDecimal(v), "number out of range: at most "+strconv.Itoa(maxDigits)+" significant digits and "+strconv.Itoa(maxPlaces)+" decimal places")
}

func checkUncertainty(field string, u Uncertainty, amount decimal.Decimal) error {
	for _, x := range []struct {
		f string
		d decimal.Decimal
	}{{"relative", u.Relative}, {"low", u.Low}, {"high", u.High}} {
		if err := checkNum(field+"."+x.f, x.d); err != nil {
			return err
		}
	}
	if err := u.validate(amount); err != nil {
		if fe, ok := err.(*fielderr.Error); ok {
			c := *fe
			c.Field = strings.Replace(c.Field, "uncertainty", field, 1)
			c.Err = ErrInvalidProduct
			return &c
		}
		return err
	}
	return nil
}

func (d DeclaredFigure) check() error {
	if err := checkNum("amount", d.Amount.v); err != nil {
		return err
	}
	return checkUncertainty("uncertainty", d.Uncertainty, d.Amount.v)
}

func (m Manufacture) check(sc *attrScratch) error {
	switch {
	case m.Declared == nil && m.BOM == nil:
		return bad("", "", "needs manufacture data: a declared figure (declared) or a bill of materials (bom)")
	case m.Declared != nil && m.BOM != nil:
		return bad("", "", "give either a declared figure or a bill of materials, not both")
	case m.Declared != nil:
		return fielderr.Prefix("declared", m.Declared.check())
	}
	b := m.BOM
	if err := checkRegion("bom.region", b.Region); err != nil {
		return err
	}
	if sc != nil {
		sc.ok = len(b.Components) <= len(sc.end)
	}
	for i := range b.Components {
		if err := b.Components[i].check(sc, i); err != nil {
			return fielderr.Prefix("bom.components["+strconv.Itoa(i)+"]", err)
		}
	}
	for i, p := range b.Packaging {
		if err := checkToken("material", p.Material, true); err != nil {
			return fielderr.Prefix("bom.packaging["+strconv.Itoa(i)+"]", reSentinel(err))
		}
		if !numOK(p.Mass.v) {
			return numErr(at("bom.packaging", i, "mass"), p.Mass.v)
		}
	}
	return nil
}

// reSentinel turns a factor-validation error into a product error.
func reSentinel(err error) error {
	if fe, ok := err.(*fielderr.Error); ok {
		c := *fe
		c.Err = ErrInvalidProduct
		return &c
	}
	return err
}

// attrScratch records the attributes of a bill of materials as
// normalizeView checks them (name, value and parsed value), so that the
// digest and the calculation read the maps no more. It holds up to 24
// attributes of up to 16 components; when a bill of materials has more,
// ok is false and the maps are read.
type attrScratch struct {
	a   [24]attr
	end [16]int32 // component i's attributes are a[end[i-1]:end[i]]
	n   int32
	ok  bool
}

type attr struct {
	k, v string
	n    num
}

// of returns component i's attributes, in no particular order.
func (sc *attrScratch) of(i int) []attr {
	start := int32(0)
	if i > 0 {
		start = sc.end[i-1]
	}
	return sc.a[start:sc.end[i]]
}

// check checks a component; its attributes are recorded in sc (when not
// nil) as component i's.
func (c *Component) check(sc *attrScratch, i int) error {
	switch {
	case c.Kind == "" && c.Material == "":
		return bad("kind", "", "is required (or material)")
	case c.Kind != "" && c.Material != "":
		return bad("material", c.Material, "give either kind or material, not both")
	case c.Kind != "":
		if err := checkToken("kind", c.Kind, true); err != nil {
			return reSentinel(err)
		}
	default:
		if err := checkToken("material", c.Material, true); err != nil {
			return reSentinel(err)
		}
		if c.Mass.IsZero() {
			return bad("mass", "", "is required for a material component")
		}
	}
	if err := checkNum("quantity", c.Quantity); err != nil {
		return err
	}
	if err := checkNum("mass", c.Mass.v); err != nil {
		return err
	}
	for k, v := range c.Attributes {
		if err := checkToken("attributes", k, true); err != nil {
			return reSentinel(err)
		}
		n, err := parseNum(v)
		if err != nil {
			return bad("attributes."+k, v, "must be a plain decimal string: "+err.Error())
		}
		if n.sign() < 0 {
			return bad("attributes."+k, v, "must be ≥ 0")
		}
		if sc != nil && sc.ok {
			if int(sc.n) == len(sc.a) {
				sc.ok = false
			} else {
				sc.a[sc.n] = attr{k, v, n}
				sc.n++
			}
		}
	}
	if sc != nil && sc.ok {
		sc.end[i] = sc.n
	}
	return nil
}

// measure returns the dataset measure the component is priced with.
func (c *Component) measure() string {
	if c.Material != "" {
		return materialMeasure(c.Material)
	}
	if strings.IndexByte(c.Kind, '.') >= 0 {
		return c.Kind
	}
	if m, ok := knownMeasures[c.Kind]; ok {
		return m
	}
	return "component." + c.Kind
}

func materialMeasure(name string) string {
	if m, ok := knownMaterials[name]; ok {
		return m
	}
	return "material." + name
}

// knownMeasures maps the component kinds and materials of the default
// dataset to their measure names, so that the common case builds no string.
// It is never modified after initialisation.
var knownMeasures = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"cpu", "ram", "ssd", "hdd", "mainboard", "display", "battery", "psu", "assembly", "gpu", "keyboard", "chassis", "camera", "speaker", "fan", "wifi"} {
		m[k] = "component." + k
	}
	return m
}()

// knownMaterials maps material names to their measures, likewise.
var knownMaterials = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"aluminium", "steel", "plastic-abs", "plastic-pc", "magnesium", "cardboard", "paper", "glass", "copper", "lithium-ion", "pulp"} {
		m[k] = "material." + k
	}
	return m
}()

func checkRegion(field, r string) error {
	if r == "" || r == RegionWorld || r == RegionEU {
		return nil
	}
	if geo.IsCountry(r) {
		return nil
	}
	return bad(field, r, "must be an upper-case ISO 3166-1 alpha-2 country code, \"EU\" or \"WORLD\"")
}

// normalize fills in the boundary and radiative forcing defaults and checks
// the legs (without changing them).
func (s *Shipping) normalize() error {
	switch s.Boundary {
	case "":
		s.Boundary = WTW
	case TTW, WTW:
	default:
		return bad("boundary", string(s.Boundary), "must be TTW or WTW")
	}
	switch s.RadiativeForcing {
	case "":
		s.RadiativeForcing = RFIncluded
	case RFIncluded, RFExcluded:
	default:
		return bad("radiativeForcing", string(s.RadiativeForcing), "must be \"included\" or \"excluded\"")
	}
	if len(s.Legs) == 0 {
		return nil
	}
	for i := range s.Legs {
		if err := s.Legs[i].check(); err != nil {
			return fielderr.Prefix("legs["+strconv.Itoa(i)+"]", err)
		}
	}
	return nil
}

// mass returns the mass carried: Mass, or the packaged mass by default.
func (l *Leg) mass(packaged Mass) Mass {
	if l.Mass.IsZero() {
		return packaged
	}
	return l.Mass
}

// check checks a leg.
func (l *Leg) check() error {
	if l.Mode.Measure() == "" {
		return bad("mode", string(l.Mode), "must be one of air-long-haul, air-short-haul, air-domestic, sea, road, rail")
	}
	if err := checkRegion("region", l.Region); err != nil {
		return err
	}
	if err := checkNum("mass", l.Mass.v); err != nil {
		return err
	}
	if err := checkNum("distance", l.Distance.v); err != nil {
		return err
	}
	hasFrom := l.From != nil || l.FromPlace != ""
	hasTo := l.To != nil || l.ToPlace != ""
	hasEnds := hasFrom || hasTo
	switch {
	case l.Distance.IsZero() && !hasEnds:
		return bad("distance", "", "a leg needs a distance or both ends (from/fromPlace and to/toPlace)")
	case !l.Distance.IsZero() && hasEnds:
		return bad("distance", l.Distance.String(), "give either a distance or the two ends, not both")
	case l.From != nil && l.FromPlace != "":
		return bad("fromPlace", l.FromPlace, "give from coordinates or a fromPlace, not both")
	case l.To != nil && l.ToPlace != "":
		return bad("toPlace", l.ToPlace, "give to coordinates or a toPlace, not both")
	case hasEnds && !hasFrom:
		return bad("from", "", "is required with to (coordinates, or fromPlace)")
	case hasEnds && !hasTo:
		return bad("to", "", "is required with from (coordinates, or toPlace)")
	case hasEnds:
		from, err := checkEnd("from", "fromPlace", l.From, l.FromPlace)
		if err != nil {
			return err
		}
		to, err := checkEnd("to", "toPlace", l.To, l.ToPlace)
		if err != nil {
			return err
		}
		if greatCircleMetres(from.At, to.At) == 0 {
			field, value := "toPlace", l.ToPlace
			if l.To != nil {
				field, value = "to", l.To.Lat.String()+", "+l.To.Lon.String()
			}
			return bad(field, value, "is where the leg starts: a leg's two ends must be different places")
		}
	}
	return nil
}

// checkEnd checks one end of a leg, coordinates or a known place, and
// returns it.
func checkEnd(coordField, placeField string, c *Coordinates, place string) (Place, error) {
	if c != nil {
		return Place{At: *c}, checkCoords(coordField, c)
	}
	p, err := LookupPlace(place)
	if err != nil {
		return p, bad(placeField, place, "must be a known place code (an IATA airport code or a UN/LOCODE listed by footprint.Places)")
	}
	return p, nil
}

// ends returns the leg's two ends: the known places, or places with only
// At set for ends given by coordinates. The leg must have passed check.
func (l *Leg) ends() (from, to Place, err error) {
	from, err = endAt(l.From, l.FromPlace)
	if err != nil {
		return from, to, err
	}
	to, err = endAt(l.To, l.ToPlace)
	return from, to, err
}

func endAt(c *Coordinates, place string) (Place, error) {
	if c != nil {
		return Place{At: *c}, nil
	}
	return LookupPlace(place)
}

func checkCoords(field string, c *Coordinates) error {
	if !numOK(c.Lat) {
		return numErr(field+".lat", c.Lat)
	}
	if !numOK(c.Lon) {
		return numErr(field+".lon", c.Lon)
	}
	if err := c.Validate(); err != nil {
		return fielderr.Prefix(field, reSentinel(err))
	}
	return nil
}

// lifetime returns Lifetime, or DefaultLifetime by default.
func (u *Use) lifetime() Duration {
	if u.Lifetime.IsZero() {
		return DefaultLifetime
	}
	return u.Lifetime
}

// check checks the use phase (without changing it).
func (u *Use) check() error {
	models := 0
	if !u.YearlyEnergy.IsZero() {
		models++
		if err := checkNum("yearlyEnergy", u.YearlyEnergy.v); err != nil {
			return err
		}
	}
	if len(u.Modes) > 0 {
		models++
		sum := num{}
		for i, m := range u.Modes {
			if !numOK(m.Power.v) {
				return numErr(at("modes", i, "power"), m.Power.v)
			}
			if !numOK(m.Share) {
				return numErr(at("modes", i, "share"), m.Share)
			}
			sum = sum.add(numOf(m.Share))
		}
		if sum.cmp(numInt(1)) != 0 {
			return bad("modes", sum.dec().String(), "the shares of time must sum to exactly 1")
		}
		if !slices.ContainsFunc(u.Modes, func(m PowerMode) bool { return !m.Power.IsZero() && !m.Share.IsZero() }) {
			return bad("modes", "0 W", "draw no power in any mode with a share of time: the use phase would use no energy (leave use out for a product that uses none)")
		}
	}
	if !u.AveragePower.IsZero() || !u.HoursPerDay.IsZero() {
		models++
		if u.AveragePower.IsZero() {
			return bad("averagePower", "", "is required with hoursPerDay")
		}
		if u.HoursPerDay.IsZero() {
			return bad("hoursPerDay", "", "is required with averagePower (0 < hours ≤ 24)")
		}
		if err := checkNum("averagePower", u.AveragePower.v); err != nil {
			return err
		}
		if err := checkNum("hoursPerDay", u.HoursPerDay); err != nil {
			return err
		}
	}
	switch {
	case models == 0:
		return bad("yearlyEnergy", "", "the use phase needs one energy model: yearlyEnergy, modes, or averagePower with hoursPerDay")
	case models > 1:
		return bad("yearlyEnergy", "", "give only one energy model: yearlyEnergy, modes, or averagePower with hoursPerDay")
	}
	lt := u.lifetime()
	if err := checkNum("lifetime", lt.v); err != nil {
		return err
	}
	if lt.Sign() <= 0 || numOf(lt.v).cmp(numOf(maxLifetime.v)) > 0 {
		return bad("lifetime", lt.String(), "must be > 0 and ≤ 30 y")
	}
	if u.Country != "" && !geo.IsCountry(u.Country) {
		return bad("country", u.Country, "must be an upper-case ISO 3166-1 alpha-2 country code such as \"IN\""+countryHint(u.Country, false))
	}
	if u.Grid != nil {
		if err := checkNum("grid.kgPerKWh", u.Grid.KgPerKWh); err != nil {
			return err
		}
		if err := checkUncertainty("grid.uncertainty", u.Grid.Uncertainty, u.Grid.KgPerKWh); err != nil {
			return err
		}
	}
	t := u.Trajectory
	explicitYears := t != nil && len(t.KgPerKWh) > 0
	if u.Country == "" && u.Grid == nil && !explicitYears {
		return bad("country", "", "is required: the country of use, or an explicit grid intensity (grid)")
	}
	if t != nil {
		switch {
		case explicitYears && u.Grid != nil:
			return bad("grid", u.Grid.KgPerKWh.String()+" kg/kWh", "give either grid or trajectory.kgPerKWh, not both: the trajectory gives every year's intensity")
		case explicitYears && !t.YearlyDecline.IsZero():
			return bad("trajectory.yearlyDecline", t.YearlyDecline.String(), "give either kgPerKWh (one per year) or yearlyDecline, not both")
		case explicitYears:
			if strings.TrimSpace(t.Source) == "" {
				return bad("trajectory.source", t.Source, "is required with kgPerKWh (more than spaces)")
			}
			want := u.years()
			if len(t.KgPerKWh) != want {
				return bad("trajectory.kgPerKWh", strconv.Itoa(len(t.KgPerKWh))+" values", "needs one intensity per year of use: "+strconv.Itoa(want)+" for a lifetime of "+lt.String())
			}
			for i, k := range t.KgPerKWh {
				if !numOK(k) {
					return numErr("trajectory.kgPerKWh["+strconv.Itoa(i)+"]", k)
				}
				if k.Sign() <= 0 {
					return bad("trajectory.kgPerKWh["+strconv.Itoa(i)+"]", k.String(), "must be > 0")
				}
			}
		case t.YearlyDecline.IsZero():
			return bad("trajectory", "", "needs kgPerKWh (one per year) or a yearlyDecline")
		default:
			if err := checkNum("trajectory.yearlyDecline", t.YearlyDecline); err != nil {
				return err
			}
			if numOf(t.YearlyDecline).cmp(numInt(1)) >= 0 {
				return bad("trajectory.yearlyDecline", t.YearlyDecline.String(), "must be > 0 and < 1 (0.03 means 3 % a year)")
			}
		}
	}
	return nil
}

// years returns the number of years of use, a partial final year counting
// as one.
func (u *Use) years() int {
	full, rem := u.split()
	if rem.isZero() {
		return full
	}
	return full + 1
}

// split returns the whole years of the lifetime (at most 31) and the
// remaining hours.
func (u *Use) split() (int, num) {
	const year = 8760
	h := numOf(u.lifetime().v)
	if h.bd == nil && !h.neg && h.hi == 0 && h.exp <= 0 && h.exp > -19 {
		// h = lo × 10^exp: whole hours lo ÷ 10^-exp
		p := pow10[-h.exp][1]
		full := min(h.lo/p/year, 31)
		h.lo -= full * year * p
		if h.lo == 0 {
			h = num{}
		}
		return int(full), h
	}
	full := 0
	y := numInt(year)
	for full < 31 && h.cmp(y) >= 0 {
		h = h.sub(y)
		full++
	}
	return full, h
}

func (e *EndOfLife) check() error {
	switch {
	case e.PerKg && e.Declared != nil:
		return bad("declared", "", "give either perKg or a declared figure, not both")
	case !e.PerKg && e.Declared == nil:
		return bad("perKg", "", "end of life needs perKg: true or a declared figure")
	case e.Declared != nil:
		if !e.Mass.IsZero() {
			return bad("mass", e.Mass.String(), "applies only with perKg")
		}
		if err := e.Declared.check(); err != nil {
			return fielderr.Prefix("declared", err)
		}
	}
	if err := checkNum("mass", e.Mass.v); err != nil {
		return err
	}
	return checkRegion("region", e.Region)
}
