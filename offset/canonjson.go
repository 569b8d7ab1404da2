package offset

// A fast path for decoding plans and demands in the one form json.Marshal
// writes them: every member in its struct's order, under its own name, no
// white space, decimals as plain strings. A registry's journal holds a plan
// and a demand in every allocation entry, all written that way, and
// replaying it decoded each of them about three times over (the strict
// member walk, the decimals as written, then encoding/json).
//
// The fast path decodes only what it recognises, and gives up (ok false)
// at the first byte it does not expect: a member out of order, unknown,
// repeated or in another case, white space, a value of another JSON type,
// a number not written as encoding/json writes an integer, a value its
// type's parser refuses. The caller then runs the strict decoder, which
// accepts or refuses the input and names the fault as it always has. So
// the fast path never refuses anything and never reports an error: what
// it accepts, the strict decoder accepts too, with the same value, and it
// decodes every value with the same function the strict decoder ends in
// (footprint.ParseCO2e, ParseSerialBlock, dec.Parse,
// decimal.NewFromString). TestCanonMatchesStrict and FuzzCanonPlan check
// that against the strict decoders.

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/strictjson"
	"github.com/shopspring/decimal"
)

// canon reads JSON in json.Marshal's form. bad is sticky: once set, every
// read returns a zero value and the result is thrown away.
type canon struct {
	b   []byte
	i   int
	bad bool
}

// done reports whether the whole input was read without a surprise.
func (c *canon) done() bool { return !c.bad && c.i == len(c.b) }

// lit consumes s, which must come next.
func (c *canon) lit(s string) {
	if c.bad || len(c.b)-c.i < len(s) || string(c.b[c.i:c.i+len(s)]) != s {
		c.bad = true
		return
	}
	c.i += len(s)
}

// maybe consumes s if it comes next, and reports whether it did.
func (c *canon) maybe(s string) bool {
	if c.bad || len(c.b)-c.i < len(s) || string(c.b[c.i:c.i+len(s)]) != s {
		return false
	}
	c.i += len(s)
	return true
}

// member consumes the member name `"name":` of an object whose members are
// all optional, with the comma before it unless it is the first; it
// reports whether the member comes next.
func (c *canon) member(name string, first *bool) bool {
	j := c.i
	if !*first {
		if j >= len(c.b) || c.b[j] != ',' {
			return false
		}
		j++
	}
	if c.bad || len(c.b)-j < len(name)+3 || c.b[j] != '"' || string(c.b[j+1:j+1+len(name)]) != name ||
		c.b[j+1+len(name)] != '"' || c.b[j+2+len(name)] != ':' {
		return false
	}
	c.i, *first = j+len(name)+3, false
	return true
}

// rawStr returns the bytes between the quotes of the string that comes
// next, which must hold no escape, no control character and only valid
// UTF-8: bytes encoding/json decodes to themselves.
func (c *canon) rawStr() []byte {
	if c.bad || c.i >= len(c.b) || c.b[c.i] != '"' {
		c.bad = true
		return nil
	}
	start, ascii := c.i+1, true
	for j := start; j < len(c.b); j++ {
		switch ch := c.b[j]; {
		case ch == '"':
			s := c.b[start:j]
			if !ascii && !utf8.Valid(s) {
				c.bad = true
				return nil
			}
			c.i = j + 1
			return s
		case ch == '\\' || ch < 0x20:
			c.bad = true
			return nil
		case ch >= 0x80:
			ascii = false
		}
	}
	c.bad = true
	return nil
}

// str returns the string that comes next, as encoding/json decodes it.
// One with escapes (json.Marshal writes "&" as \u0026) is decoded by
// encoding/json itself.
func (c *canon) str() string {
	if c.bad || c.i >= len(c.b) || c.b[c.i] != '"' {
		c.bad = true
		return ""
	}
	start := c.i
	if s := c.rawStr(); !c.bad {
		return string(s)
	}
	// The end of the string, if it is one: encoding/json says whether it
	// is, and what it holds.
	c.bad = false
	j := start + 1
	for j < len(c.b) && c.b[j] != '"' {
		if c.b[j] == '\\' {
			j++
		}
		j++
	}
	if j >= len(c.b) {
		c.bad = true
		return ""
	}
	var s string
	if !strictjson.ValidString(c.b[start:j+1], true) || json.Unmarshal(c.b[start:j+1], &s) != nil {
		c.bad = true // a bad byte or lone surrogate is the strict decoder's to refuse
		return ""
	}
	c.i = j + 1
	return s
}

// number returns the integer that comes next, written as encoding/json
// writes one (an optional minus, then 0 or digits not starting with 0),
// as its magnitude and sign.
func (c *canon) number() (n uint64, neg bool) {
	if c.bad {
		return 0, false
	}
	j := c.i
	if j < len(c.b) && c.b[j] == '-' {
		neg = true
		j++
	}
	start := j
	for ; j < len(c.b) && c.b[j] >= '0' && c.b[j] <= '9'; j++ {
		d := uint64(c.b[j] - '0')
		if n > (1<<64-1-d)/10 {
			c.bad = true
			return 0, false
		}
		n = n*10 + d
	}
	if j == start || (c.b[start] == '0' && j > start+1) {
		c.bad = true
		return 0, false
	}
	c.i = j
	return n, neg
}

// int64 returns the integer that comes next, as encoding/json decodes it
// into an int64 (strconv.ParseInt: "-0" is 0, out of range is refused).
func (c *canon) int64() int64 {
	n, neg := c.number()
	switch {
	case neg && n <= 1<<63:
		return int64(-n) // -n wraps to the negative value; 1<<63 to MinInt64
	case !neg && n < 1<<63:
		return int64(n)
	}
	c.bad = true
	return 0
}

// int returns the integer that comes next, as encoding/json decodes it into
// an int (refused when it overflows int).
func (c *canon) int() int {
	n := c.int64()
	if int64(int(n)) != n {
		c.bad = true
		return 0
	}
	return int(n)
}

// uint64 returns the integer that comes next, as encoding/json decodes it
// into a uint64 (strconv.ParseUint: no minus).
func (c *canon) uint64() uint64 {
	n, neg := c.number()
	if neg {
		c.bad = true
		return 0
	}
	return n
}

// co2e returns the quantity that comes next, as footprint.CO2e's
// UnmarshalJSON decodes it.
func (c *canon) co2e() footprint.CO2e {
	s := c.str()
	if c.bad {
		return footprint.CO2e{}
	}
	q, err := footprint.ParseCO2e(s)
	if err != nil {
		c.bad = true
	}
	return q
}

// planDecimal returns the decimal that comes next in a plan, as
// Plan.UnmarshalJSON decodes it: a plain decimal string of at most
// maxPlanDecimal characters, as written, then decimal.Decimal's
// UnmarshalJSON (decimal.NewFromString).
func (c *canon) planDecimal() decimal.Decimal {
	raw := c.rawStr()
	if c.bad || len(raw) > maxPlanDecimal {
		c.bad = true
		return decimal.Decimal{}
	}
	s := string(raw)
	if !plainDecimal(s) {
		c.bad = true
		return decimal.Decimal{}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		c.bad = true
	}
	return d
}

// plainStr returns the plain decimal string that comes next, as dec.Parse
// reads it (Price's and a demand's decimals).
func (c *canon) plainStr() decimal.Decimal {
	s := c.str()
	if c.bad {
		return decimal.Decimal{}
	}
	d, err := dec.Parse(s)
	if err != nil {
		c.bad = true
	}
	return d
}

// price returns the price that comes next, as Price's UnmarshalJSON
// decodes it.
func (c *canon) price() Price {
	c.lit(`{"amount":`)
	a := c.plainStr()
	c.lit(`,"currency":`)
	cur := c.str()
	c.lit(`}`)
	return Price{Amount: a, Currency: cur}
}

// array returns the array that comes next, each element read by elem, as
// encoding/json decodes it into a slice: null is nil, [] is empty but not
// nil.
func array[T any](c *canon, elem func(*canon) T) []T {
	if c.maybe("null") {
		return nil
	}
	c.lit("[")
	if c.maybe("]") {
		return []T{}
	}
	var out []T
	for !c.bad {
		out = append(out, elem(c))
		if !c.maybe(",") {
			break
		}
	}
	c.lit("]")
	if c.bad {
		return nil
	}
	return out
}

// canonPlan decodes b, a plan as json.Marshal writes it; ok is false when
// b is in any other form (see the top of the file).
func canonPlan(b []byte) (p Plan, ok bool) {
	c := &canon{b: b}
	c.lit(`{"serial":`)
	p.Serial = c.str()
	c.lit(`,"demand":`)
	p.Demand = c.co2e()
	c.lit(`,"amount":`)
	p.Amount = c.co2e()
	c.lit(`,"shares":`)
	p.Shares = array(c, func(c *canon) (s PlanShare) {
		c.lit(`{"percent":`)
		s.Percent = c.planDecimal()
		c.lit(`,"amount":`)
		s.Amount = c.co2e()
		c.lit(`,"strategy":`)
		s.Strategy = Strategy(c.str())
		c.lit(`}`)
		return s
	})
	c.lit(`,"lines":`)
	p.Lines = array(c, canonLine)
	c.lit(`,"costs":`)
	p.Costs = array(c, func(c *canon) (k Cost) {
		c.lit(`{"currency":`)
		k.Currency = c.str()
		c.lit(`,"exact":`)
		k.Exact = c.planDecimal()
		c.lit(`,"amount":`)
		k.Amount = c.planDecimal()
		c.lit(`}`)
		return k
	})
	c.lit(`,"remaining":`)
	p.Remaining = array(c, func(c *canon) (r LotBalance) {
		c.lit(`{"lot":`)
		r.Lot = c.str()
		c.lit(`,"freeGrams":`)
		r.FreeGrams = c.int64()
		c.lit(`}`)
		return r
	})
	c.lit(`}`)
	if !c.done() {
		return Plan{}, false
	}
	return p, true
}

// canonLine reads one line of a plan.
func canonLine(c *canon) (l Line) {
	c.lit(`{"share":`)
	l.Share = c.int()
	c.lit(`,"lot":`)
	l.Lot = c.str()
	c.lit(`,"project":`)
	l.Project = c.str()
	c.lit(`,"projectName":`)
	l.ProjectName = c.str()
	c.lit(`,"standard":`)
	l.Standard = Standard(c.str())
	c.lit(`,"type":`)
	l.Type = ProjectType(c.str())
	c.lit(`,"unitType":`)
	l.UnitType = UnitType(c.str())
	c.lit(`,"country":`)
	l.Country = c.str()
	if c.maybe(`,"registryUrl":`) {
		l.RegistryURL = c.str()
	}
	c.lit(`,"vintage":`)
	l.Vintage = c.int()
	c.lit(`,"status":`)
	l.Status = LotStatus(c.str())
	c.lit(`,"block":`)
	if s := c.str(); !c.bad {
		blk, err := ParseSerialBlock(s)
		if err != nil {
			c.bad = true
		}
		l.Block = blk
	}
	c.lit(`,"grams":{"from":`)
	l.Grams.From = c.int64()
	c.lit(`,"to":`)
	l.Grams.To = c.int64()
	c.lit(`},"serials":`)
	l.Serials = array(c, func(c *canon) (s SerialSpan) {
		c.lit(`{"first":`)
		s.First = c.uint64()
		c.lit(`,"last":`)
		s.Last = c.uint64()
		c.lit(`,"fromGram":`)
		s.FromGram = c.int64()
		c.lit(`,"toGram":`)
		s.ToGram = c.int64()
		c.lit(`}`)
		return s
	})
	c.lit(`,"amount":`)
	l.Amount = c.co2e()
	c.lit(`,"price":`)
	l.Price = c.price()
	c.lit(`,"cost":`)
	l.Cost = c.planDecimal()
	c.lit(`}`)
	return l
}

// canonDemand decodes b, a demand as json.Marshal writes it (members left
// out when empty); ok is false when b is in any other form.
func canonDemand(b []byte) (d Demand, ok bool) {
	c := &canon{b: b}
	c.lit(`{"serial":`)
	d.Serial = c.str()
	c.lit(`,"amount":`)
	d.Amount = c.co2e()
	if c.maybe(`,"country":`) {
		d.Country = c.str()
	}
	if c.maybe(`,"beneficiary":`) {
		d.Beneficiary = c.str()
	}
	if c.maybe(`,"preferences":{`) {
		p := &d.Preferences
		first := true
		canonFilter(c, &p.Filter, &first)
		if c.member("vintageFrom", &first) {
			p.VintageFrom = c.int()
		}
		if c.member("vintageTo", &first) {
			p.VintageTo = c.int()
		}
		if c.member("maxAge", &first) {
			p.MaxAge = c.int()
		}
		if c.member("referenceYear", &first) {
			p.ReferenceYear = c.int()
		}
		if c.member("currency", &first) {
			p.Currency = c.str()
		}
		if c.member("maxPrice", &first) {
			mp := c.price()
			p.MaxPrice = &mp
		}
		if c.member("retiredOnly", &first) {
			switch {
			case c.maybe("true"):
				p.RetiredOnly = true
			case c.maybe("false"):
			default:
				c.bad = true
			}
		}
		if c.member("split", &first) {
			// Demand's decoder appends the shares one by one: [] is nil.
			p.Split = array(c, func(c *canon) (s Share) {
				c.lit(`{"percent":`)
				s.Percent = c.plainStr()
				first := false
				canonFilter(c, &s.Filter, &first)
				c.lit(`}`)
				return s
			})
			if len(p.Split) == 0 {
				c.bad = true // null or []: left to the strict decoder
			}
		}
		if c.member("strategy", &first) {
			p.Strategy = Strategy(c.str())
		}
		if c.member("rounding", &first) {
			c.lit("{")
			r := &p.Rounding
			first := true
			if c.member("mode", &first) {
				r.Mode = RoundingMode(c.str())
			}
			if c.member("step", &first) {
				r.Step = c.co2e()
			}
			if c.member("tiers", &first) {
				r.Tiers = array(c, (*canon).co2e)
				if len(r.Tiers) == 0 {
					c.bad = true // null or []: left to the strict decoder
				}
			}
			c.lit("}")
		}
		c.lit("}")
	}
	c.lit("}")
	if !c.done() {
		return Demand{}, false
	}
	return d, true
}

// canonFilter reads the members of a Filter, each optional, in order.
func canonFilter(c *canon, f *Filter, first *bool) {
	strs := func() []string { return array(c, (*canon).str) }
	if c.member("projects", first) {
		f.Projects = strs()
	}
	if c.member("types", first) {
		f.Types = array(c, func(c *canon) ProjectType { return ProjectType(c.str()) })
	}
	if c.member("countries", first) {
		f.Countries = strs()
	}
	if c.member("continents", first) {
		f.Continents = strs()
	}
	if c.member("hemispheres", first) {
		f.Hemispheres = array(c, func(c *canon) Hemisphere { return Hemisphere(c.str()) })
	}
	if c.member("standards", first) {
		f.Standards = array(c, func(c *canon) Standard { return Standard(c.str()) })
	}
	if c.member("unitTypes", first) {
		f.UnitTypes = array(c, func(c *canon) UnitType { return UnitType(c.str()) })
	}
}
