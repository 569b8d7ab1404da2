package offset

import (
	"strings"

	"github.com/lifecarbon/lifecarbon/footprint"
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

// String prints the line: "400 kg CO2e of lot L1 (sample-in-wind, 2021):
// 941467010 g[250000,1000000), 941467011 ... at 12 USD/t".
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
