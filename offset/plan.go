package offset

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

// Plan is the answer to one demand: which grams of which credits cover it.
// Amount is what is sold (the demand rounded up; never less than the
// demand) and is exactly the sum of the lines' amounts. Plan is a plain
// value; it refers to nothing in the inventory.
type Plan struct {
	// Serial is the product serial of the demand.
	Serial string `json:"serial"`
	// Demand is the amount asked, before rounding.
	Demand footprint.CO2e `json:"demand"`
	// Amount is what the plan covers: the demand rounded up under its
	// rounding rule, equal to the sum of the lines.
	Amount footprint.CO2e `json:"amount"`
	// Shares describes the portfolio split (one share of 100 % when the
	// demand has none).
	Shares []PlanShare `json:"shares"`
	// Lines are the allocations, in the order they were made.
	Lines []Line `json:"lines"`
	// Costs is the price of the plan per currency, sorted by currency code.
	Costs []Cost `json:"costs"`
	// Remaining gives, for every lot the plan draws from, the grams still
	// free in it once the plan is allocated; all other lots are unchanged.
	// Inventory.After returns the whole remaining inventory.
	Remaining []LotBalance `json:"remaining"`
}

// ErrInvalidPlan: plan JSON is malformed, has a value of the wrong type or
// a decimal that is not a plain decimal string, or has an unknown member,
// a member given twice or a member named in another case than its own; or
// a plan line does not agree with itself (Line.Validate).
var ErrInvalidPlan = errors.New("offset: invalid plan")

// UnmarshalJSON decodes a plan strictly: unknown members are refused, as
// are a member given twice and a member name in another case than its own
// ("Lines" for "lines"), at any depth; decimals are plain decimal strings
// of at most 128 characters, written without escapes ("2.5987595"; an
// exponent such as "1e999999999" would print a billion digits when the
// plan is written again). Errors are field errors with
// JSON paths ("lines[0].price.amount") wrapping ErrInvalidPlan. It does not
// validate the values (Matcher.Apply checks the lines against an
// inventory). A plan json.Marshal wrote decodes to the same JSON.
func (p *Plan) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	// A plan as json.Marshal writes it (every plan a journal holds) is
	// read in one pass; anything else by the strict decoder.
	if q, ok := canonPlan(b); ok {
		*p = q
		return nil
	}
	return p.unmarshalStrict(b)
}

// unmarshalStrict is UnmarshalJSON without its fast path: it decides what
// is accepted, and how a refusal is reported.
func (p *Plan) unmarshalStrict(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	// The members first, and the decimals as written, before anything
	// decodes a value: a decimal's own decoder would spend seconds on one
	// of a million digits.
	if err := planSchema.Check(b, ErrInvalidPlan); err != nil {
		return err
	}
	var d struct { // the decimals as written
		Shares []struct {
			Percent json.RawMessage `json:"percent"`
		} `json:"shares"`
		Lines []struct {
			Cost json.RawMessage `json:"cost"`
		} `json:"lines"`
		Costs []struct {
			Exact  json.RawMessage `json:"exact"`
			Amount json.RawMessage `json:"amount"`
		} `json:"costs"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return fielderr.New("", "", "is not valid JSON: "+err.Error(), ErrInvalidPlan)
	}
	check := func(path string, raw json.RawMessage) error {
		s := string(raw)
		if s == "" || s == "null" {
			return nil
		}
		if len(s) > 1 && s[0] == '"' {
			if s = s[1 : len(s)-1]; len(s) <= maxPlanDecimal && plainDecimal(s) {
				return nil
			}
		}
		return fielderr.New(path, s, "must be a plain decimal string of at most 128 characters (digits with an optional minus and point; no exponent, no escapes)", ErrInvalidPlan)
	}
	var errs []error // the first is reported
	for i, s := range d.Shares {
		errs = append(errs, check("shares["+itoa(int64(i))+"].percent", s.Percent))
	}
	for i, l := range d.Lines {
		errs = append(errs, check("lines["+itoa(int64(i))+"].cost", l.Cost))
	}
	for i, c := range d.Costs {
		errs = append(errs, check("costs["+itoa(int64(i))+"].exact", c.Exact), check("costs["+itoa(int64(i))+"].amount", c.Amount))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	var v planJSON
	if err := strictUnmarshal(b, &v, ErrInvalidPlan); err != nil {
		return err
	}
	*p = Plan(v)
	return nil
}

// planJSON is Plan without its UnmarshalJSON method.
type planJSON Plan

// maxPlanDecimal bounds a plan's decimals as JSON. A cost is exact: an
// amount of up to 16 digits of grams, over 10^6, times a price of up to 48
// characters, so it can be longer than the 48 characters a price may have.
const maxPlanDecimal = 128

// plainDecimal reports whether s is a decimal as decimal.Decimal.String
// writes it: an optional minus, digits, and optionally a point and digits.
func plainDecimal(s string) bool {
	digits := func(s string) bool {
		return s != "" && strings.Trim(s, "0123456789") == ""
	}
	whole, frac, point := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	return digits(whole) && (!point || digits(frac))
}

// PlanShare is one share of a plan's portfolio split.
type PlanShare struct {
	// Percent is the share's part of the plan.
	Percent decimal.Decimal `json:"percent"`
	// Amount is the share's part of Plan.Amount: the gram-exact
	// largest-remainder apportionment, within one gram of Percent.
	Amount footprint.CO2e `json:"amount"`
	// Strategy is the order the share's lots were used in.
	Strategy Strategy `json:"strategy"`
}

// Line is one allocation: a contiguous range of grams of one lot.
type Line struct {
	// Share is the index of the plan share the line belongs to.
	Share int `json:"share"`
	// Lot is the lot's ID.
	Lot string `json:"lot"`
	// Project and the fields after it describe the lot's project.
	Project     string      `json:"project"`
	ProjectName string      `json:"projectName"`
	Standard    Standard    `json:"standard"`
	Type        ProjectType `json:"type"`
	UnitType    UnitType    `json:"unitType"`
	Country     string      `json:"country"`
	RegistryURL string      `json:"registryUrl,omitempty"`
	// Vintage is the lot's vintage year.
	Vintage int `json:"vintage"`
	// Status is the lot's status (retired or held).
	Status LotStatus `json:"status"`
	// Block is the sub-block of serials the line draws from (wholly or in
	// part), printed in the registry's form.
	Block SerialBlock `json:"block"`
	// Grams is the line's range of grams within the lot.
	Grams GramRange `json:"grams"`
	// Serials names the credits drawn: whole credits, and for part of a
	// credit, which of its grams.
	Serials []SerialSpan `json:"serials"`
	// Amount is the CO2e the line covers (Grams.Len() grams).
	Amount footprint.CO2e `json:"amount"`
	// Price is the lot's price per tonne.
	Price Price `json:"price"`
	// Cost is Amount in tonnes × Price, exact (not rounded).
	Cost decimal.Decimal `json:"cost"`
}

// Validate checks that the line agrees with itself, as every line the
// package makes does: Grams is a non-empty range of grams from 0; Block is
// the sub-block of serials those grams fall in (as many credits as the
// grams touch, its first serial holding gram Grams.From); Serials are
// exactly the spans those grams give in Block (appendSpans: part of a
// credit at either end, whole credits between); and Amount is
// Grams.Len() grams. An inventory takes a line's Grams (After,
// Matcher.Apply) while a certificate names its Serials and Amount, so a
// line whose serials or amount disagree with its grams would certify grams
// the inventory never took, and let them be sold again. Validate does not
// check the line against an inventory (After does that, and this too).
// Errors are field errors on "grams", "block", "serials" or "amount"
// wrapping ErrInvalidPlan.
func (l Line) Validate() error {
	if err := l.check(ErrInvalidPlan); err != nil {
		return err
	}
	return nil
}

// check is Validate with the given sentinel (ErrConflict when a plan is
// applied to an inventory).
func (l Line) check(sentinel error) *fielderr.Error {
	g := l.Grams
	grams := itoa(g.From) + "-" + itoa(g.To)
	if g.From < 0 || g.From >= g.To {
		return fielderr.New("grams", grams, "must be a non-empty range of grams from 0 (from < to)", sentinel)
	}
	off := g.From % GramsPerTonne // the first gram's place in Block.Start
	rel := GramRange{off, off + g.Len()}
	credits := uint64((rel.To-1)/GramsPerTonne) + 1
	if l.Block.Count() != credits {
		return fielderr.New("block", l.Block.String(), "must hold the "+strconv.FormatUint(credits, 10)+
			" credits that grams "+grams+" fall in (from the credit of gram "+itoa(g.From)+")", sentinel)
	}
	var buf [3]SerialSpan
	want := appendSpans(buf[:0], l.Block.Start, rel)
	if !slices.Equal(l.Serials, want) {
		return fielderr.New("serials", spansString(l.Serials), "must name the credits of grams "+grams+
			" in block "+l.Block.String()+", which are "+spansString(want), sentinel)
	}
	if !isGrams(l.Amount, g.Len()) {
		return fielderr.New("amount", l.Amount.String(), "must equal the line's grams "+grams+" ("+
			gramsCO2e(g.Len()).String()+")", sentinel)
	}
	return nil
}

// isGrams reports whether q is exactly n grams, without decimal
// arithmetic when q's coefficient fits in an int64.
func isGrams(q footprint.CO2e, n int64) bool {
	if s, ok := gramsOf(q); ok {
		return cmpScaled(s, scaled{n, 0}) == 0
	}
	return q.Equal(gramsCO2e(n))
}

// spansString prints serial spans as Line.String does ("1-2, 3 g[0,5)").
func spansString(spans []SerialSpan) string {
	if len(spans) == 0 {
		return "none"
	}
	var b strings.Builder
	for i, s := range spans {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// LotBalance is the free grams of one lot.
type LotBalance struct {
	Lot       string `json:"lot"`
	FreeGrams int64  `json:"freeGrams"`
}

// String prints a short summary: "PF-3X7Y2Z: 1000 kg CO2e from 1 line, 12.00 USD".
func (p Plan) String() string {
	var b strings.Builder
	b.WriteString(p.Serial)
	b.WriteString(": ")
	b.WriteString(p.Amount.String())
	b.WriteString(" from ")
	b.WriteString(itoa(int64(len(p.Lines))))
	if len(p.Lines) == 1 {
		b.WriteString(" line")
	} else {
		b.WriteString(" lines")
	}
	for i, c := range p.Costs {
		if i == 0 {
			b.WriteString(", ")
		} else {
			b.WriteString(" + ")
		}
		b.WriteString(c.String())
	}
	return b.String()
}

// String prints the line: "1400 kg CO2e of lot L1 (sample-in-wind, 2021):
// 941467010 g[250000,1000000), 941467011 g[0,650000) at 12.00 USD/t"
// (750,000 g of one credit and 650,000 g of the next).
func (l Line) String() string {
	var b strings.Builder
	b.WriteString(l.Amount.String())
	b.WriteString(" of lot ")
	b.WriteString(l.Lot)
	b.WriteString(" (")
	b.WriteString(l.Project)
	b.WriteString(", ")
	b.WriteString(itoa(int64(l.Vintage)))
	b.WriteString("): ")
	for i, s := range l.Serials {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.String())
	}
	b.WriteString(" at ")
	b.WriteString(l.Price.String())
	return b.String()
}
