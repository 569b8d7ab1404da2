package offset

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/geo"
	"github.com/shopspring/decimal"
)

// MaxDemandGrams bounds one demand (10^15 g, a million tonnes).
const MaxDemandGrams = 1_000_000_000_000_000

// MaxBeneficiaryLen bounds Demand.Beneficiary in bytes: the bound a
// certificate puts on its beneficiary, so that a demand accepted here
// never names one the certificate refuses.
const MaxBeneficiaryLen = 512

// MaxDemandJSON is the most input DecodeDemand reads (1 MiB); a longer
// document is refused.
const MaxDemandJSON = 1 << 20

// Strategy is the order in which lots are used.
type Strategy string

// Strategies. Every strategy breaks ties deterministically, ending with the
// lot ID, so the same inventory and demand always give the same plan.
const (
	// Cheapest uses the lowest price per tonne first; ties by oldest
	// vintage, then lot ID. All candidate lots must share one currency
	// (name it with Preferences.Currency or MaxPrice when they do not).
	Cheapest Strategy = "cheapest"
	// Oldest uses the oldest vintage first (stock before it ages); ties by
	// currency code, price, then lot ID.
	Oldest Strategy = "oldest"
	// Closest uses projects nearest to the country of use first: the
	// great-circle distance between the country's representative point and
	// that of the project's country; ties by project ID; within a project,
	// oldest vintage, then currency, price, lot ID. Demand.Country is
	// required.
	Closest Strategy = "closest"
	// BuyerOrder uses the named projects in the order the buyer listed
	// them; within a project, oldest vintage, then currency, price, lot ID.
	BuyerOrder Strategy = "buyer-order"
)

// RoundingMode says how a demand is rounded up to what is sold.
type RoundingMode string

// Rounding modes. Offsets always round up: a plan never covers less than
// the demand.
const (
	// RoundGram rounds up to the whole gram (the default).
	RoundGram RoundingMode = "gram"
	// RoundKg rounds up to the whole kilogram.
	RoundKg RoundingMode = "kg"
	// RoundStep rounds up to a multiple of Rounding.Step.
	RoundStep RoundingMode = "step"
	// RoundTier rounds up to the smallest of Rounding.Tiers that is at
	// least the demand; a demand above the largest tier is an error.
	RoundTier RoundingMode = "tier"
)

// Rounding is the rule for what is sold. The zero value rounds up to the
// gram.
type Rounding struct {
	Mode  RoundingMode     `json:"mode,omitempty"`
	Step  footprint.CO2e   `json:"step,omitzero"`
	Tiers []footprint.CO2e `json:"tiers,omitempty"`
}

// RoundToTiers returns a tier rule: the demand is sold as the smallest tier
// at least as large (508 kg with tiers 500, 1000, 1500 kg → 1000 kg).
// The rule keeps its own copy of the tiers: changing the caller's slice
// later does not change it.
func RoundToTiers(tiers ...footprint.CO2e) Rounding {
	return Rounding{Mode: RoundTier, Tiers: slices.Clone(tiers)}
}

// RoundToStep returns a rule that rounds up to a multiple of step.
func RoundToStep(step footprint.CO2e) Rounding { return Rounding{Mode: RoundStep, Step: step} }

// Filter selects projects. Each non-empty list allows only projects whose
// attribute is in it; empty lists allow everything. Projects also gives the
// buyer's order of choice.
type Filter struct {
	// Projects names project IDs in order of choice.
	Projects []string `json:"projects,omitempty"`
	// Types allows project types (wind, biomass, ...), lower-case as
	// ProjectType requires.
	Types []ProjectType `json:"types,omitempty"`
	// Countries allows host countries (ISO 3166-1 alpha-2).
	Countries []string `json:"countries,omitempty"`
	// Continents allows continents (AS, OC, ...; see AsiaPacific).
	Continents []string `json:"continents,omitempty"`
	// Hemispheres allows N and/or S.
	Hemispheres []Hemisphere `json:"hemispheres,omitempty"`
	// Standards allows standards (CDM, VCS, Gold Standard, ...).
	Standards []Standard `json:"standards,omitempty"`
	// UnitTypes allows avoidance, reduction and/or removal.
	UnitTypes []UnitType `json:"unitTypes,omitempty"`
}

// Share is one part of a portfolio split: Percent of the demand (after
// rounding) is covered by projects its Filter allows, on top of the
// demand's own preferences.
type Share struct {
	// Percent is this share's part, > 0 and ≤ 100; shares add up to 100.
	Percent decimal.Decimal `json:"percent"`
	Filter
}

// Preferences constrain and order the lots a demand may use. The zero value
// allows every lot, cheapest first, rounded up to the gram; cheapest first
// compares prices in one currency, so when the lots allowed are priced in
// several (the sample inventory's are in EUR and USD) the zero value is
// refused with an error naming preferences.currency: set Currency (or
// MaxPrice), or another Strategy.
type Preferences struct {
	Filter
	// VintageFrom and VintageTo bound the vintage year (0 = open).
	VintageFrom int `json:"vintageFrom,omitempty"`
	VintageTo   int `json:"vintageTo,omitempty"`
	// MaxAge, when > 0, allows only vintages ≥ ReferenceYear − MaxAge;
	// it is 0 (no limit) to 8000 years. The library has no clock:
	// ReferenceYear is required with MaxAge.
	MaxAge        int `json:"maxAge,omitempty"`
	ReferenceYear int `json:"referenceYear,omitempty"`
	// Currency, when set, allows only lots priced in it (ISO 4217).
	Currency string `json:"currency,omitempty"`
	// MaxPrice, when set, allows only lots priced in its currency at or
	// below its amount per tonne. No exchange rates are applied: lots in
	// other currencies are excluded.
	MaxPrice *Price `json:"maxPrice,omitempty"`
	// RetiredOnly allows only lots already retired into the seller's pool.
	RetiredOnly bool `json:"retiredOnly,omitempty"`
	// Split divides the demand between shares; empty means one share of
	// 100 %.
	Split []Share `json:"split,omitempty"`
	// Strategy orders the lots; empty means BuyerOrder when projects are
	// named, else Cheapest.
	Strategy Strategy `json:"strategy,omitempty"`
	// Rounding is the rule for what is sold.
	Rounding Rounding `json:"rounding,omitzero"`
}

// Demand asks for offsets for one product.
type Demand struct {
	// Serial is the product's serial number: required, without white
	// space at either end and without invisible format characters.
	Serial string `json:"serial"`
	// Amount is the CO2e to cover, normally a footprint's total; > 0.
	Amount footprint.CO2e `json:"amount"`
	// Country is the country of use (ISO 3166-1 alpha-2), needed by the
	// Closest strategy.
	Country string `json:"country,omitempty"`
	// Beneficiary is the party in whose name the credits are retired
	// (optional; valid UTF-8 of at most MaxBeneficiaryLen bytes, the
	// rule a certificate's beneficiary follows). Matching ignores it, but
	// it is part of what is recorded: a registry keeps it with the
	// allocation, and a repeat of the demand with another beneficiary is
	// another demand (registry.ErrAllocated), so that two parties cannot
	// each claim the same credits. Empty, it is left out of the JSON.
	Beneficiary string `json:"beneficiary,omitempty"`
	// Preferences constrain and order the lots used.
	Preferences Preferences `json:"preferences,omitzero"`
}

// Validate checks the demand without an inventory (project IDs are checked
// by Match). Errors are field errors wrapping ErrInvalidDemand,
// ErrUnknownCurrency or ErrUnknownCountry, with paths such as
// "preferences.split[1].percent".
func (d Demand) Validate() error {
	_, err := d.target()
	return err
}

func badDemand(field, value, rule string) error {
	return fielderr.New(field, value, rule, ErrInvalidDemand)
}

var hundred = decimal.NewFromInt(100)

// target validates d and returns the grams to cover after rounding.
func (d Demand) target() (int64, error) {
	g, _, _, err := d.rounded()
	return g, err
}

// rounded validates d and returns the grams to cover after rounding and,
// when known is true, the same amount as a quantity d already holds: its
// own amount when it is whole grams that the rounding keeps, or the tier
// it rounds up to. (Decimals are immutable, so a plan can share it.)
func (d *Demand) rounded() (grams int64, q footprint.CO2e, known bool, err error) {
	if d.Serial == "" || len(d.Serial) > maxIDLen {
		return 0, q, false, badDemand("serial", d.Serial, "is required (at most 200 bytes)")
	}
	if !utf8.ValidString(d.Serial) || strings.ContainsFunc(d.Serial, unicode.IsControl) {
		return 0, q, false, badDemand("serial", d.Serial, "must be valid UTF-8 without control characters")
	}
	if strings.TrimSpace(d.Serial) != d.Serial {
		return 0, q, false, badDemand("serial", d.Serial, `must not start or end with white space ("PF-1 " and "PF-1" would name two units)`)
	}
	if strings.ContainsFunc(d.Serial, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) {
		return 0, q, false, badDemand("serial", d.Serial, `must not contain invisible format characters (zero-width spaces, bidi overrides: "PF-1\u200b" would print as "PF-1" and name another unit)`)
	}
	if d.Amount.Sign() <= 0 {
		return 0, q, false, badDemand("amount", d.Amount.String(), "must be > 0")
	}
	if !figureFits(d.Amount) {
		return 0, q, false, badDemand("amount", d.Amount.String(), "must be at most "+strconv.Itoa(dec.MaxFigureLen)+" characters long as a decimal of kg (a plan that records a longer one would not read back)")
	}
	g, exact, ok := ceilGrams(d.Amount)
	if !ok || g > MaxDemandGrams {
		return 0, q, false, badDemand("amount", d.Amount.String(), "must be at most 10^15 g")
	}
	if d.Country != "" && !geo.IsCountry(d.Country) {
		return 0, q, false, fielderr.New("country", d.Country, "must be an ISO 3166-1 alpha-2 country code", ErrUnknownCountry)
	}
	if len(d.Beneficiary) > MaxBeneficiaryLen {
		return 0, q, false, badDemand("beneficiary", d.Beneficiary, "must be at most 512 bytes")
	}
	if !utf8.ValidString(d.Beneficiary) {
		return 0, q, false, badDemand("beneficiary", d.Beneficiary, "must be valid UTF-8")
	}
	p := &d.Preferences
	if err := p.validate(d.Country, false); err != nil {
		return 0, q, false, fielderr.Prefix("preferences", err)
	}
	grams, tier, err := p.Rounding.apply(g)
	if err != nil {
		return 0, q, false, fielderr.Prefix("preferences.rounding", err)
	}
	switch {
	case tier >= 0:
		return grams, p.Rounding.Tiers[tier], true, nil
	case exact && grams == g:
		return grams, d.Amount, true, nil
	}
	return grams, q, false, nil
}

// readBackRule is the rule for a decimal of the preferences too long for
// the demand's JSON decoder to read back (a registry's journal that
// recorded it could not be opened again).
const readBackRule = "must be at most 48 characters as a plain decimal (as the demand's JSON decoder requires)"

// validate checks p; the rounding tiers are checked too when checkTiers,
// else left to Rounding.apply (which checks them while it looks for the
// tier).
func (p *Preferences) validate(useCountry string, checkTiers bool) error {
	if err := p.Filter.validate(); err != nil {
		return err
	}
	yearOK := func(y int) bool { return y == 0 || (y >= 1900 && y <= 9999) }
	switch {
	case !yearOK(p.VintageFrom):
		return badDemand("vintageFrom", strconv.Itoa(p.VintageFrom), "must be 0 or a year from 1900 to 9999")
	case !yearOK(p.VintageTo):
		return badDemand("vintageTo", strconv.Itoa(p.VintageTo), "must be 0 or a year from 1900 to 9999")
	case p.VintageFrom != 0 && p.VintageTo != 0 && p.VintageFrom > p.VintageTo:
		return badDemand("vintageTo", strconv.Itoa(p.VintageTo), "must be ≥ vintageFrom ("+strconv.Itoa(p.VintageFrom)+")")
	case p.MaxAge < 0 || p.MaxAge > 8000:
		return badDemand("maxAge", strconv.Itoa(p.MaxAge), "must be from 0 to 8000 years (0 = no limit)")
	case p.MaxAge > 0 && (p.ReferenceYear < 1900 || p.ReferenceYear > 9999):
		return badDemand("referenceYear", strconv.Itoa(p.ReferenceYear), "is required with maxAge: the year ages are counted from (1900–9999)")
	case p.MaxAge == 0 && p.ReferenceYear != 0 && !yearOK(p.ReferenceYear):
		return badDemand("referenceYear", strconv.Itoa(p.ReferenceYear), "must be 0 or a year from 1900 to 9999")
	}
	if p.Currency != "" {
		if err := checkCurrency("currency", p.Currency); err != nil {
			return err
		}
	}
	if p.MaxPrice != nil {
		if err := checkCurrency("currency", p.MaxPrice.Currency); err != nil {
			return fielderr.Prefix("maxPrice", err)
		}
		if p.MaxPrice.Amount.Sign() < 0 {
			return badDemand("maxPrice.amount", p.MaxPrice.Amount.String(), "must be ≥ 0")
		}
		if s := p.MaxPrice.Amount.String(); len(s) > dec.MaxLen {
			return badDemand("maxPrice.amount", s, readBackRule)
		}
		if p.Currency != "" && p.Currency != p.MaxPrice.Currency {
			return badDemand("maxPrice.currency", p.MaxPrice.Currency, "must equal currency ("+p.Currency+")")
		}
	}
	if len(p.Split) > 0 {
		if len(p.Split) > 100 {
			return badDemand("split", strconv.Itoa(len(p.Split)), "must have at most 100 shares")
		}
		sum := decimal.Zero
		for i, s := range p.Split {
			path := "split[" + strconv.Itoa(i) + "]"
			if s.Percent.Sign() <= 0 || s.Percent.GreaterThan(hundred) {
				return badDemand(path+".percent", s.Percent.String(), "must be > 0 and ≤ 100")
			}
			if v := s.Percent.String(); len(v) > dec.MaxLen {
				return badDemand(path+".percent", v, readBackRule)
			}
			if err := s.Filter.validate(); err != nil {
				return fielderr.Prefix(path, err)
			}
			sum = sum.Add(s.Percent)
		}
		if !sum.Equal(hundred) {
			return badDemand("split", sum.String()+" %", "percentages must add up to exactly 100")
		}
	}
	switch p.Strategy {
	case "", Cheapest, Oldest:
	case Closest:
		if useCountry == "" {
			return badDemand("strategy", string(p.Strategy), "closest needs the demand's country of use")
		}
	case BuyerOrder:
		if len(p.Projects) == 0 {
			for i, s := range p.Split {
				if len(s.Projects) == 0 {
					return badDemand("split["+strconv.Itoa(i)+"].projects", "", "buyer-order needs named projects")
				}
			}
			if len(p.Split) == 0 {
				return badDemand("projects", "", "buyer-order needs named projects")
			}
		}
	default:
		return badDemand("strategy", string(p.Strategy), "must be one of cheapest, oldest, closest, buyer-order")
	}
	return p.Rounding.validate(checkTiers)
}

func (f *Filter) validate() error {
	for i, id := range f.Projects {
		if id == "" || len(id) > maxIDLen {
			return badDemand("projects["+strconv.Itoa(i)+"]", id, "must be a project ID")
		}
		for _, prev := range f.Projects[:i] {
			if prev == id {
				return badDemand("projects["+strconv.Itoa(i)+"]", id, "is named twice")
			}
		}
	}
	for i, t := range f.Types {
		if t == "" || len(t) > maxIDLen {
			return badDemand("types["+strconv.Itoa(i)+"]", string(t), "must be a project type")
		}
		if !lowerCase(string(t)) {
			return badDemand("types["+strconv.Itoa(i)+"]", string(t), "must be a lower-case project type (wind, biomass, ...): types are compared exactly")
		}
	}
	for i, c := range f.Countries {
		if !geo.IsCountry(c) {
			return fielderr.New("countries["+strconv.Itoa(i)+"]", c, "must be an ISO 3166-1 alpha-2 country code", ErrUnknownCountry)
		}
	}
	for i, c := range f.Continents {
		switch c {
		case Africa, Antarctica, Asia, Europe, NorthAmerica, Oceania, SouthAmerica:
		default:
			return badDemand("continents["+strconv.Itoa(i)+"]", c, "must be one of AF, AN, AS, EU, NA, OC, SA")
		}
	}
	for i, h := range f.Hemispheres {
		if h != North && h != South {
			return badDemand("hemispheres["+strconv.Itoa(i)+"]", string(h), "must be N or S")
		}
	}
	for i, s := range f.Standards {
		if s == "" || len(s) > maxIDLen {
			return badDemand("standards["+strconv.Itoa(i)+"]", string(s), "must be a standard")
		}
	}
	for i, u := range f.UnitTypes {
		if u != Avoidance && u != Reduction && u != Removal {
			return badDemand("unitTypes["+strconv.Itoa(i)+"]", string(u), "must be one of avoidance, reduction, removal")
		}
	}
	return nil
}

// wholeGrams returns q in grams when it is a positive whole number of grams
// no larger than MaxDemandGrams.
func wholeGrams(q footprint.CO2e) (int64, bool) {
	s, ok := gramsOf(q)
	if !ok { // a coefficient beyond int64: trailing zeros ("5.000…0 kg"), or too large
		g := q.Grams()
		if !g.IsInteger() || g.Sign() <= 0 || g.GreaterThan(decimal.NewFromInt(MaxDemandGrams)) {
			return 0, false
		}
		return g.IntPart(), true
	}
	g, ok := exactInt(s)
	if !ok || g <= 0 || g > MaxDemandGrams {
		return 0, false
	}
	return g, true
}

func (r Rounding) validate(checkTiers bool) error {
	switch r.Mode {
	case "", RoundGram, RoundKg:
		if !r.Step.IsZero() || len(r.Tiers) > 0 {
			return badDemand("rounding.mode", string(r.Mode), "takes no step and no tiers")
		}
	case RoundStep:
		if _, ok := wholeGrams(r.Step); !ok || len(r.Tiers) > 0 {
			return badDemand("rounding.step", r.Step.String(), "must be a positive whole number of grams (and no tiers)")
		}
	case RoundTier:
		if len(r.Tiers) == 0 || len(r.Tiers) > 1000 || !r.Step.IsZero() {
			return badDemand("rounding.tiers", "", "must list 1 to 1000 tiers (and no step)")
		}
		if checkTiers {
			if _, _, err := r.apply(0); err != nil {
				return fielderr.Prefix("rounding", err)
			}
		}
	default:
		return badDemand("rounding.mode", string(r.Mode), "must be one of gram, kg, step, tier")
	}
	return nil
}

// apply rounds g grams up under r (r is valid); for a tier, it also
// returns the tier's index (else -1).
func (r Rounding) apply(g int64) (int64, int, error) {
	ceilTo := func(g, step int64) (int64, int, error) {
		n := (g + step - 1) / step * step
		if n > MaxDemandGrams {
			return 0, -1, badDemand("", itoa(g)+" g", "rounded up exceeds 10^15 g")
		}
		return n, -1, nil
	}
	switch r.Mode {
	case RoundKg:
		return ceilTo(g, 1000)
	case RoundStep:
		s, _ := wholeGrams(r.Step)
		return ceilTo(g, s)
	case RoundTier:
		// Check every tier (positive whole grams, increasing) while
		// looking for the first one ≥ g.
		prev, found := int64(0), -1
		for i, t := range r.Tiers {
			tg, ok := wholeGrams(t)
			if !ok || tg <= prev {
				return 0, -1, badDemand("tiers["+strconv.Itoa(i)+"]", t.String(), "tiers must be positive whole grams in increasing order")
			}
			if found < 0 && tg >= g {
				found = i
				g = tg
			}
			prev = tg
		}
		if found < 0 {
			return 0, -1, badDemand("tiers", r.Tiers[len(r.Tiers)-1].String(),
				"the demand ("+footprint.KgCO2e(decimal.New(g, -3)).String()+") exceeds the largest tier")
		}
		return g, found, nil
	}
	return g, -1, nil
}

// Rounded returns what the demand is sold as: its amount rounded up under
// its rounding rule (508 kg with tiers 500/1000/1500 kg → 1000 kg). It
// validates the demand first.
func (d Demand) Rounded() (footprint.CO2e, error) {
	g, err := d.target()
	if err != nil {
		return footprint.CO2e{}, err
	}
	return gramsCO2e(g), nil
}

func gramsCO2e(g int64) footprint.CO2e { return footprint.KgCO2e(decimal.New(g, -3)) }

// ---- JSON ----

type shareJSON struct {
	Percent string `json:"percent"`
	Filter
}

type roundingJSON struct {
	Mode  RoundingMode `json:"mode"`
	Step  string       `json:"step"`
	Tiers []string     `json:"tiers"`
}

type preferencesJSON struct {
	Filter
	VintageFrom   int           `json:"vintageFrom"`
	VintageTo     int           `json:"vintageTo"`
	MaxAge        int           `json:"maxAge"`
	ReferenceYear int           `json:"referenceYear"`
	Currency      string        `json:"currency"`
	MaxPrice      *priceJSON    `json:"maxPrice"`
	RetiredOnly   bool          `json:"retiredOnly"`
	Split         []shareJSON   `json:"split"`
	Strategy      Strategy      `json:"strategy"`
	Rounding      *roundingJSON `json:"rounding"`
}

type demandJSON struct {
	Serial      string           `json:"serial"`
	Amount      string           `json:"amount"`
	Country     string           `json:"country"`
	Beneficiary string           `json:"beneficiary"`
	Preferences *preferencesJSON `json:"preferences"`
}

// UnmarshalJSON decodes a demand strictly: unknown fields are refused, as
// are a member given twice and a member name in another case than its
// own ("SERIAL" for "serial"), at any depth; quantities are strings with
// units ("508.2 kg CO2e"), decimals are plain decimal strings. Errors are
// field errors with JSON paths wrapping ErrInvalidDemand. It does not
// validate the values; DecodeDemand does.
func (d *Demand) UnmarshalJSON(b []byte) error {
	// A demand as json.Marshal writes it (every demand a journal holds)
	// is read in one pass; anything else by the strict decoder.
	if q, ok := canonDemand(b); ok {
		*d = q
		return nil
	}
	return d.unmarshalStrict(b)
}

// unmarshalStrict is UnmarshalJSON without its fast path: it decides what
// is accepted, and how a refusal is reported.
func (d *Demand) unmarshalStrict(b []byte) error {
	var raw demandJSON
	if err := strictUnmarshal(b, &raw, ErrInvalidDemand); err != nil {
		return err
	}
	if err := demandSchema.Check(b, ErrInvalidDemand); err != nil {
		return err
	}
	var out Demand
	out.Serial, out.Country, out.Beneficiary = raw.Serial, raw.Country, raw.Beneficiary
	q, err := footprint.ParseCO2e(raw.Amount)
	if err != nil {
		return badDemand("amount", raw.Amount, "must be a CO2e mass such as \"508.2 kg CO2e\"")
	}
	out.Amount = q
	if p := raw.Preferences; p != nil {
		op := &out.Preferences
		op.Filter = p.Filter
		op.VintageFrom, op.VintageTo, op.MaxAge, op.ReferenceYear = p.VintageFrom, p.VintageTo, p.MaxAge, p.ReferenceYear
		op.Currency, op.RetiredOnly, op.Strategy = p.Currency, p.RetiredOnly, p.Strategy
		if p.MaxPrice != nil {
			a, err := dec.Parse(p.MaxPrice.Amount)
			if err != nil {
				return badDemand("preferences.maxPrice.amount", p.MaxPrice.Amount, "must be a plain decimal string: "+err.Error())
			}
			op.MaxPrice = &Price{Amount: a, Currency: p.MaxPrice.Currency}
		}
		for i, s := range p.Split {
			v, err := dec.Parse(s.Percent)
			if err != nil {
				return badDemand("preferences.split["+strconv.Itoa(i)+"].percent", s.Percent, "must be a plain decimal string: "+err.Error())
			}
			op.Split = append(op.Split, Share{Percent: v, Filter: s.Filter})
		}
		if r := p.Rounding; r != nil {
			op.Rounding.Mode = r.Mode
			if r.Step != "" {
				if op.Rounding.Step, err = footprint.ParseCO2e(r.Step); err != nil {
					return badDemand("preferences.rounding.step", r.Step, "must be a CO2e mass such as \"500 kg\"")
				}
			}
			for i, t := range r.Tiers {
				q, err := footprint.ParseCO2e(t)
				if err != nil {
					return badDemand("preferences.rounding.tiers["+strconv.Itoa(i)+"]", t, "must be a CO2e mass such as \"500 kg\"")
				}
				op.Rounding.Tiers = append(op.Rounding.Tiers, q)
			}
		}
	}
	*d = out
	return nil
}

// DecodeDemand reads one demand from JSON (at most MaxDemandJSON bytes)
// and validates it (a leading UTF-8 byte order mark is skipped). Errors
// are field errors with full JSON paths
// ("preferences.maxPrice.currency", "preferences.split[0].projects")
// wrapping ErrInvalidDemand, together with ErrUnknownCurrency or
// ErrUnknownCountry when that is the fault (errors.Is matches both).
//
//	{"serial": "PF-3X7Y2Z", "amount": "508.2 kg CO2e", "country": "IN",
//	 "beneficiary": "Customer A Ltd",
//	 "preferences": {"projects": ["sample-in-wind"],
//	                 "rounding": {"mode": "tier", "tiers": ["500 kg", "1000 kg", "1500 kg"]}}}
func DecodeDemand(r io.Reader) (Demand, error) {
	if r == nil {
		return Demand{}, badDemand("", "", "no input (nil reader)")
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxDemandJSON+1))
	if err != nil {
		return Demand{}, err
	}
	if len(b) > MaxDemandJSON {
		return Demand{}, badDemand("", "", "demand JSON larger than 1 MiB (MaxDemandJSON)")
	}
	b = bytes.TrimPrefix(b, utf8BOM)
	var d Demand
	if err := json.Unmarshal(b, &d); err != nil {
		var fe *fielderr.Error
		if errors.As(err, &fe) {
			return Demand{}, withSentinel(fe, ErrInvalidDemand)
		}
		return Demand{}, jsonFieldError(err, ErrInvalidDemand)
	}
	if err := d.Validate(); err != nil {
		return Demand{}, withSentinel(err, ErrInvalidDemand)
	}
	return d, nil
}

// jsonFieldError turns an encoding/json error into a field error.
func jsonFieldError(err, sentinel error) error {
	bad := func(field, value, rule string) error { return fielderr.New(field, value, rule, sentinel) }
	var fe *fielderr.Error
	if errors.As(err, &fe) {
		return fe
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return bad(te.Field, te.Value, "has the wrong JSON type (want "+te.Type.String()+")")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return bad("", "offset "+itoa(se.Offset), "is not valid JSON: "+se.Error())
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name, _ := strconv.Unquote(rest)
		return bad(name, name, "is not a known field")
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return bad("", "", "is not valid JSON: unexpected end of input")
	}
	return bad("", "", "is not valid JSON: "+msg)
}
