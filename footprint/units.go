package footprint

import (
	"strconv"
	"strings"

	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

// dimension describes one physical dimension: its base unit and, for every
// unit spelling accepted, the exact decimal that converts one of that unit
// into the base unit.
type dimension struct {
	name  string
	units map[string]decimal.Decimal // spelling → base units per unit
	// canonical maps a spelling to the canonical unit symbol.
	canonical map[string]string
	// suffix and prefs say how a value prints (see format): String of the
	// dimension's type prints in the first of prefs that is exact.
	suffix string
	prefs  []string
	// figure marks the dimension of computed figures (CO2e): its decimals
	// may be dec.MaxFigureLen long, not dec.MaxLen, so that every figure
	// Calculate returns parses back.
	figure bool
}

// maxDecimal is the longest decimal a quantity of d may have.
func (d *dimension) maxDecimal() int {
	if d.figure {
		return dec.MaxFigureLen
	}
	return dec.MaxLen
}

// figures marks d as the dimension of computed figures (see figure).
func (d *dimension) figures() *dimension {
	d.figure = true
	return d
}

// printsAs sets how the dimension's values print.
func (d *dimension) printsAs(suffix string, prefs ...string) *dimension {
	d.suffix, d.prefs = suffix, prefs
	return d
}

// print is the String form of a value of the dimension.
func (d *dimension) print(base decimal.Decimal) string { return d.format(base, d.suffix, d.prefs...) }

func newDimension(name string, defs ...unitDef) *dimension {
	d := &dimension{name: name, units: map[string]decimal.Decimal{}, canonical: map[string]string{}}
	for _, u := range defs {
		f := decimal.RequireFromString(u.toBase)
		for _, s := range append([]string{u.symbol}, u.aliases...) {
			d.units[s] = f
			d.canonical[s] = u.symbol
		}
	}
	return d
}

type unitDef struct {
	symbol  string
	toBase  string
	aliases []string
}

var (
	// Conversion tables are immutable after package initialisation.
	dimCO2e = newDimension("mass of CO2e",
		unitDef{"g", "0.001", []string{"gCO2e", "g CO2e", "gCO2eq"}},
		unitDef{"kg", "1", []string{"kgCO2e", "kg CO2e", "kgCO2eq"}},
		unitDef{"t", "1000", []string{"tCO2e", "t CO2e", "tCO2eq"}},
	).printsAs(" CO2e", "kg", "g").figures()
	dimMass = newDimension("mass",
		unitDef{"g", "0.001", nil},
		unitDef{"kg", "1", nil},
		unitDef{"t", "1000", nil},
		unitDef{"lb", "0.45359237", nil},
	).printsAs("", "kg", "g")
	dimEnergy = newDimension("energy", // base: joule
		unitDef{"J", "1", nil},
		unitDef{"kJ", "1000", nil},
		unitDef{"MJ", "1000000", nil},
		unitDef{"GJ", "1000000000", nil},
		unitDef{"Wh", "3600", nil},
		unitDef{"kWh", "3600000", nil},
		unitDef{"MWh", "3600000000", nil},
		unitDef{"GWh", "3600000000000", nil},
	).printsAs("", "kWh", "Wh", "J")
	dimPower = newDimension("power", // base: watt
		unitDef{"mW", "0.001", nil},
		unitDef{"W", "1", nil},
		unitDef{"kW", "1000", nil},
		unitDef{"MW", "1000000", nil},
	).printsAs("", "W", "mW")
	dimDistance = newDimension("distance", // base: metre
		unitDef{"m", "1", nil},
		unitDef{"km", "1000", nil},
		unitDef{"mi", "1609.344", nil},
		unitDef{"nmi", "1852", nil},
	).printsAs("", "km", "m")
	dimDuration = newDimension("duration", // base: hour
		unitDef{"h", "1", nil},
		unitDef{"d", "24", nil},
		unitDef{"y", "8760", []string{"yr", "a"}},
	).printsAs("", "y", "d", "h")
	dimFreight = newDimension("freight activity", // base: tonne-kilometre
		unitDef{"tkm", "1", []string{"t·km", "t km", "tonne-km"}},
		unitDef{"kgkm", "0.001", []string{"kg·km", "kg km"}},
	).printsAs("", "tkm")
	// (mass before mass of CO2e: a unit of the wrong dimension such as "kg"
	// is reported as a mass)
	allDimensions = []*dimension{dimMass, dimCO2e, dimEnergy, dimPower, dimDistance, dimDuration, dimFreight}
)

// unitRoom is how much longer than its decimal a quantity string may be:
// spaces and the unit.
const unitRoom = 32

// parse splits "12.5 kWh" (or "12.5kWh") into value and unit and converts the
// value into the dimension's base unit. field names the input in errors.
func (d *dimension) parse(field, s string) (decimal.Decimal, error) {
	if max := d.maxDecimal() + unitRoom; len(s) > max {
		return decimal.Decimal{}, fielderr.New(field, s, "quantity longer than "+strconv.Itoa(max)+" characters", ErrInvalidQuantity)
	}
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] == '+' || t[i] == '-' || t[i] == '.' || (t[i] >= '0' && t[i] <= '9')) {
		i++
	}
	num, unit := t[:i], strings.TrimSpace(t[i:])
	if unit == "" {
		return decimal.Decimal{}, fielderr.New(field, s, "must be a decimal followed by a "+d.name+" unit ("+d.unitList()+")", ErrInvalidQuantity)
	}
	if !knownUnit(unit) && numberGoesOn(unit) {
		// "1e5 kg", "0x10 kg", "1,000 kg": the number continues into what
		// would otherwise be read as the unit.
		return decimal.Decimal{}, fielderr.New(field, s, "must start with a plain decimal (no exponent, hex or separators) followed by a "+d.name+" unit", ErrInvalidQuantity)
	}
	if num == "" { // "NaN kg", "kg", "Inf kg"
		return decimal.Decimal{}, fielderr.New(field, s, "must start with a plain decimal (digits with an optional sign and point) followed by a "+d.name+" unit", ErrInvalidQuantity)
	}
	var v decimal.Decimal
	var err error
	if d.figure {
		v, err = dec.ParseFigure(num)
	} else {
		v, err = dec.Parse(num)
	}
	if err != nil {
		return decimal.Decimal{}, fielderr.New(field, s, "must start with a plain decimal: "+err.Error(), ErrInvalidQuantity)
	}
	b, err := d.toBase(field, s, v, unit)
	if err != nil {
		return decimal.Decimal{}, err
	}
	// Every value accepted must print in a form that parses back: converted
	// to the unit it prints in, its decimal may not be longer either.
	if p := d.print(b); strings.IndexByte(p, ' ') > d.maxDecimal() {
		in := p[strings.IndexByte(p, ' ')+1:]
		return decimal.Decimal{}, fielderr.New(field, s, "has too many digits: in "+in+", the unit it prints in, the decimal would be longer than "+strconv.Itoa(d.maxDecimal())+" characters", ErrInvalidQuantity)
	}
	return b, nil
}

// numberGoesOn reports whether unit, what follows the digits of a
// quantity, is the rest of a number written in a form not accepted: an
// exponent ("e5 kg"), hex ("x10 kg"), a separator (",000 kg", "_000 kg",
// "'000 kg", or a space: "000 kg" after "1 ") or a second point or sign.
// A misspelt unit with a digit in it ("kgco2e", "kg CO2-e") is not: it is
// reported as an unknown unit.
func numberGoesOn(unit string) bool {
	switch c := unit[0]; {
	case strings.IndexByte(".,+-_'", c) >= 0, c >= '0' && c <= '9': // "1 000 kg", "1'000 kg"
		return true
	case c == 'e' || c == 'E' || c == 'x' || c == 'X':
		return len(unit) > 1 && (unit[1] >= '0' && unit[1] <= '9' || unit[1] == '+' || unit[1] == '-')
	}
	return false
}

// knownUnit reports whether any dimension knows the unit spelling.
func knownUnit(unit string) bool {
	for _, o := range allDimensions {
		if _, ok := o.units[unit]; ok {
			return true
		}
	}
	return false
}

func (d *dimension) toBase(field, input string, v decimal.Decimal, unit string) (decimal.Decimal, error) {
	f, ok := d.units[unit]
	if !ok {
		for _, o := range allDimensions {
			if _, known := o.units[unit]; known {
				return decimal.Decimal{}, fielderr.New(field, input, "unit "+quote(unit)+" measures "+o.name+", not "+d.name+" (use "+d.unitList()+")", ErrWrongDimension)
			}
		}
		return decimal.Decimal{}, fielderr.New(field, input, "unknown unit "+quote(unit)+" for "+d.name+" (use "+d.unitList()+")", ErrUnknownUnit)
	}
	return v.Mul(f), nil
}

// from converts a value in the given unit to base units; used by the New*
// constructors.
func (d *dimension) from(v decimal.Decimal, unit string) (decimal.Decimal, error) {
	return d.toBase("unit", unit, v, unit)
}

// in converts a base value to unit u, exactly when the quotient terminates
// within dec.DivPrecision places.
func (d *dimension) in(base decimal.Decimal, unit string) (decimal.Decimal, error) {
	f, ok := d.units[unit]
	if !ok {
		_, err := d.toBase("unit", unit, decimal.Zero, unit)
		return decimal.Decimal{}, err
	}
	if f.Equal(one) {
		return base, nil
	}
	return dec.Div(base, f), nil
}

// exactIn reports base expressed in unit when that is exact.
func (d *dimension) exactIn(base decimal.Decimal, unit string) (decimal.Decimal, bool) {
	f := d.units[unit]
	if f.Equal(one) {
		return base, true // the base unit itself: always exact, whatever the scale
	}
	q := dec.Div(base, f)
	return q, q.Mul(f).Equal(base)
}

// format prints base in the first of the preferred units that expresses it
// exactly; the last preference must divide every base value exactly.
func (d *dimension) format(base decimal.Decimal, suffix string, prefs ...string) string {
	for _, u := range prefs {
		if q, ok := d.exactIn(base, u); ok {
			return q.String() + " " + u + suffix
		}
	}
	last := prefs[len(prefs)-1]
	q, _ := d.exactIn(base, last)
	return q.String() + " " + last + suffix
}

func (d *dimension) unitList() string {
	seen := map[string]bool{}
	var out []string
	for _, c := range d.order() {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return strings.Join(out, ", ")
}

// order lists canonical symbols, smallest first.
func (d *dimension) order() []string {
	syms := make([]string, 0, len(d.canonical))
	for s, c := range d.canonical {
		if s == c {
			syms = append(syms, s)
		}
	}
	// insertion sort by size of unit
	for i := 1; i < len(syms); i++ {
		for j := i; j > 0 && d.units[syms[j]].LessThan(d.units[syms[j-1]]); j-- {
			syms[j], syms[j-1] = syms[j-1], syms[j]
		}
	}
	return syms
}

func quote(s string) string { return "\"" + s + "\"" }
