package offset

import (
	"errors"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// TestApplyRefusesLinesWhoseSerialsOrAmountDisagree: an inventory takes a
// line's Grams while a certificate names its Serials and Amount. A plan
// whose serials or amounts were changed after matching must not apply, or
// the grams it certifies would stay free and be sold again.
func TestApplyRefusesLinesWhoseSerialsOrAmountDisagree(t *testing.T) {
	inv := SampleInventory()
	d := Demand{Serial: "PF-1", Amount: kgQ("259.647"), Preferences: Preferences{Filter: Filter{Projects: []string{"sample-in-wind"}}}}
	plan, err := Match(inv, d)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(plan) + " " + spansString(plan.Lines[0].Serials); got != "IN-WIND-2021:0-259647 200001 g[0,259647)" {
		t.Fatalf("plan = %s", got)
	}
	tests := []struct {
		name         string
		change       func(p *Plan)
		field, value string
		rule         string
	}{
		{"serials moved to other grams", func(p *Plan) {
			p.Lines[0].Serials = []SerialSpan{{First: 200001, Last: 200001, FromGram: 500000, ToGram: 759647}}
		}, "lines[0].serials", "200001 g[500000,759647)",
			"must name the credits of grams 0-259647 in block 200001-200001, which are 200001 g[0,259647)"},
		{"fewer grams, serials and amount as they were", func(p *Plan) {
			p.Lines[0].Grams = GramRange{0, 1000}
		}, "lines[0].serials", "200001 g[0,259647)",
			"must name the credits of grams 0-1000 in block 200001-200001, which are 200001 g[0,1000)"},
		{"no serials", func(p *Plan) { p.Lines[0].Serials = nil }, "lines[0].serials", "none",
			"must name the credits of grams 0-259647 in block 200001-200001, which are 200001 g[0,259647)"},
		{"fewer grams and serials, amount as it was", func(p *Plan) {
			p.Lines[0].Grams = GramRange{0, 1000}
			p.Lines[0].Serials = []SerialSpan{{First: 200001, Last: 200001, FromGram: 0, ToGram: 1000}}
		}, "lines[0].amount", "259.647 kg CO2e", "must equal the line's grams 0-1000 (1 kg CO2e)"},
		{"line amount changed with the plan's", func(p *Plan) {
			p.Lines[0].Amount, p.Amount = kgQ("300"), kgQ("300")
		}, "lines[0].amount", "300 kg CO2e", "must equal the line's grams 0-259647 (259.647 kg CO2e)"},
		{"plan amount alone changed", func(p *Plan) { p.Amount = kgQ("1000") },
			"amount", "1000 kg CO2e", "must be the sum of the lines' amounts (259.647 kg CO2e)"},
	}
	taken, err := inv.After(plan)
	if err != nil {
		t.Fatalf("the plan as matched: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plan
			p.Lines = append([]Line(nil), plan.Lines...)
			tt.change(&p)
			check := func(op string, err error) {
				t.Helper()
				wantConflict(t, op, err, tt.field, tt.value, tt.rule)
			}
			_, err := inv.After(p)
			check("After", err)
			_, err = taken.Release(p)
			check("Release", err)
			m := NewMatcher(inv)
			check("Matcher.Apply", m.Apply(p))
			if m.Inventory().TotalFreeGrams() != inv.TotalFreeGrams() {
				t.Error("Matcher.Apply changed the Matcher")
			}
			m = NewMatcher(taken)
			check("Matcher.Release", m.Release(p))
		})
	}
}

// TestLineValidate: every line Match makes is consistent, including lines
// over several credits that start and end part-way (three spans) of
// Verra and Gold Standard blocks; a changed line is refused with
// ErrInvalidPlan on the field that disagrees.
func TestLineValidate(t *testing.T) {
	inv := SampleInventory()
	for _, d := range []Demand{
		{Serial: "a", Amount: kgQ("0.001"), Preferences: Preferences{Currency: "USD"}},
		{Serial: "b", Amount: kgQ("2500.5"), Preferences: Preferences{Filter: Filter{Projects: []string{"sample-br-redd"}}}},
		{Serial: "c", Amount: kgQ("33333.333"), Preferences: Preferences{Strategy: Oldest}},
		{Serial: "d", Amount: kgQ("7777.7"), Preferences: Preferences{Filter: Filter{Projects: []string{"sample-ke-cookstoves"}}}},
	} {
		p, err := Match(inv, d)
		if err != nil {
			t.Fatal(err)
		}
		for k, ln := range p.Lines {
			if err := ln.Validate(); err != nil {
				t.Errorf("%s line %d (%s): %v", d.Serial, k, ln, err)
			}
		}
	}
	// Grams 500,000-2,500,000 of the Verra lot: serials 500000001 (half),
	// 500000002 and 500000003 (half).
	lot, _ := inv.Lot("BR-REDD-2019")
	lot.Allocated = []GramRange{{0, 500000}}
	one, err := NewInventory(inv.Projects(), []Lot{lot})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Match(one, Demand{Serial: "e", Amount: kgQ("2000")})
	if err != nil {
		t.Fatal(err)
	}
	ln := p.Lines[0]
	if got := spansString(ln.Serials); got != "500000001 g[500000,1000000), 500000002, 500000003 g[0,500000)" {
		t.Fatalf("serials %s", got)
	}
	if err := ln.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := one.After(p); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name   string
		change func(l *Line)
		field  string
	}{
		{"empty grams", func(l *Line) { l.Grams = GramRange{5, 5} }, "grams"},
		{"negative grams", func(l *Line) { l.Grams = GramRange{-1, 5} }, "grams"},
		{"block one credit short", func(l *Line) { l.Block.End-- }, "block"},
		{"block shifted", func(l *Line) { l.Block.Start++; l.Block.End++ }, "serials"},
		{"middle span dropped", func(l *Line) { l.Serials = []SerialSpan{l.Serials[0], l.Serials[2]} }, "serials"},
		{"grams shifted by a quarter tonne", func(l *Line) { l.Grams = GramRange{750000, 2750000} }, "serials"},
		{"amount in other units, one gram off", func(l *Line) { l.Amount = kgQ("2000.001") }, "amount"},
	}
	for _, tt := range bad {
		l := ln
		l.Serials = append([]SerialSpan(nil), ln.Serials...)
		tt.change(&l)
		var fe *footprint.FieldError
		err := l.Validate()
		if !errors.Is(err, ErrInvalidPlan) || !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%s: %v, want ErrInvalidPlan on %s", tt.name, err, tt.field)
		}
	}
	// The same amount written with another exponent is the same amount.
	l := ln
	l.Amount = kgQ("2000.000000")
	if err := l.Validate(); err != nil {
		t.Errorf("2000 kg written as %s: %v", l.Amount, err)
	}
}
