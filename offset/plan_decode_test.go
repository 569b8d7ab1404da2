package offset

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// samplePlans matches a few demands against the sample inventory.
func samplePlans(t testing.TB) []Plan {
	t.Helper()
	d, err := DecodeDemand(strings.NewReader(laptopDemandJSON))
	if err != nil {
		t.Fatal(err)
	}
	demands := []Demand{
		d,
		{Serial: "PF-ONE", Amount: kgQ("508.2"), Country: "IN", Preferences: Preferences{Strategy: Closest}},
		{Serial: "PF-SPLIT", Amount: kgQ("315.0005"), Preferences: Preferences{Split: []Share{
			{Percent: decimal.NewFromInt(50), Filter: Filter{Types: []ProjectType{TypeWind}}},
			{Percent: decimal.NewFromInt(50), Filter: Filter{Types: []ProjectType{TypeBiomass}}},
		}}},
		{Serial: "PF-BIG", Amount: kgQ("40000"), Preferences: Preferences{Strategy: Cheapest, Currency: "USD"}},
	}
	var plans []Plan
	for _, d := range demands {
		p, err := Match(SampleInventory(), d)
		if err != nil {
			t.Fatalf("%s: %v", d.Serial, err)
		}
		plans = append(plans, p)
	}
	return plans
}

// TestPlanJSONRoundTrip: a plan json.Marshal wrote decodes, and marshals
// again to the same bytes.
func TestPlanJSONRoundTrip(t *testing.T) {
	for _, p := range samplePlans(t) {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var q Plan
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatalf("%s: %v", p.Serial, err)
		}
		c, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != string(c) {
			t.Errorf("%s: round trip changed the plan:\n%s\n%s", p.Serial, b, c)
		}
		if q.String() != p.String() || len(q.Lines) != len(p.Lines) || len(q.Lines) == 0 {
			t.Errorf("%s: decoded %v, want %v", p.Serial, q, p)
		}
	}
}

// TestPlanJSONNull: null leaves a plan as it is, as encoding/json does.
func TestPlanJSONNull(t *testing.T) {
	p := Plan{Serial: "S"}
	if err := json.Unmarshal([]byte("null"), &p); err != nil || p.Serial != "S" {
		t.Errorf("null: %v, %v", p, err)
	}
}

// TestPlanJSONRefused: unknown, repeated and other-case members, values of
// the wrong type and bad values are refused with their paths.
func TestPlanJSONRefused(t *testing.T) {
	b, err := json.Marshal(samplePlans(t)[2]) // two shares, lines of two lots
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	exact := regexp.MustCompile(`"exact":"[^"]*"`).FindString(good)
	cost := regexp.MustCompile(`"cost":"[^"]*"`).FindString(good)
	price := regexp.MustCompile(`"price":\{"amount":"[^"]*"`).FindString(good)
	vintage := regexp.MustCompile(`"vintage":[0-9]+`).FindString(good)
	tests := []struct {
		name, old, new string
		field, value   string
		rule           string // a prefix of the rule
		// value "": not checked
	}{
		{"unknown top-level member", `"serial":`, `"colour":1,"serial":`, "colour", "colour", "is not a known field"},
		{"unknown member of a line", `"lot":`, `"lotz":"x","lot":`, "lines[0].lotz", "lotz", "is not a known field"},
		{"unknown member of a gram range", `"grams":{"from":`, `"grams":{"x":1,"from":`, "lines[0].grams.x", "x", "is not a known field"},
		{"unknown member of a price", `"currency":"USD"}`, `"currency":"USD","fx":1}`, "lines[0].price.fx", "fx", "is not a known field"},
		{"repeated top-level member", `"serial":`, `"serial":"X","serial":`, "serial", "serial", "is given twice: each member may appear once"},
		{"repeated member of a share", `"strategy":`, `"amount":"1 kg","strategy":`, "shares[0].amount", "amount", "is given twice: each member may appear once"},
		{"repeated member of a serial span", `"fromGram":`, `"first":1,"fromGram":`, "lines[0].serials[0].first", "first", "is given twice: each member may appear once"},
		{"other-case top-level member", `"lines":`, `"Lines":`, "Lines", "Lines", `member names are case-sensitive: write "lines"`},
		{"other-case member beside its own", `"serial":`, `"SERIAL":"X","serial":`, "SERIAL", "SERIAL", `member names are case-sensitive: write "serial"`},
		{"other-case member of a balance", `"freeGrams":`, `"freegrams":`, "remaining[0].freegrams", "freegrams", `member names are case-sensitive: write "freeGrams"`},
		{"other-case member of a cost", `"exact":`, `"Exact":`, "costs[0].Exact", "Exact", `member names are case-sensitive: write "exact"`},
		{"wrong JSON type", vintage, `"vintage":"` + strings.TrimPrefix(vintage, `"vintage":`) + `"`, "lines[0].vintage", "", "has the wrong JSON type (want int)"},
		{"bad price amount", price, `"price":{"amount":"5e3"`, "lines[0].price.amount", "5e3", "must be a plain decimal string: "},
		{"decimal with an exponent", exact, `"exact":"1e999999999"`, "costs[0].exact", "1e999999999", "must be a plain decimal string"},
		{"decimal as a JSON number", cost, `"cost":2.5`, "lines[0].cost", "2.5", "must be a plain decimal string"},
		{"decimal with a plus", `"percent":"`, `"percent":"+`, "shares[0].percent", "", "must be a plain decimal string"},
		{"decimal of 129 characters", cost, `"cost":"` + strings.Repeat("1", 129) + `"`, "lines[0].cost", strings.Repeat("1", 129), "must be a plain decimal string of at most 128"},
		{"bad amount", `"amount":"`, `"amount":"x`, "amount", "", "must start with a plain decimal "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := strings.Replace(good, tt.old, tt.new, 1)
			if js == good {
				t.Fatal("test input unchanged")
			}
			var p Plan
			err := json.Unmarshal([]byte(js), &p)
			var fe *footprint.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, ErrInvalidPlan) {
				t.Fatalf("err = %v, want a field error wrapping ErrInvalidPlan", err)
			}
			if fe.Field != tt.field || (tt.value != "" && fe.Value != tt.value) || !strings.HasPrefix(fe.Rule, tt.rule) {
				t.Errorf("err = %v (field %q, value %q, rule %q), want field %q, value %q, rule %q", err, fe.Field, fe.Value, fe.Rule, tt.field, tt.value, tt.rule)
			}
			if p.Serial != "" {
				t.Errorf("a refused plan was decoded: %v", p)
			}
		})
	}
}

// FuzzPlanJSON: decoding a plan never panics; an error is a field error
// wrapping ErrInvalidPlan; an accepted plan marshals, and that JSON decodes
// again to the same JSON.
func FuzzPlanJSON(f *testing.F) {
	for _, p := range samplePlans(f) {
		b, err := json.Marshal(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add(`{"serial":"S","SERIAL":"T"}`)
	f.Add(`{"lines":[{"grams":{"from":1,"from":2}}]}`)
	f.Add(`{"costs":[{"currency":"USD","exact":"1.005","amount":"1.01"}],"demand":"1 kg"}`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, s string) {
		var p Plan
		if err := p.UnmarshalJSON([]byte(s)); err != nil {
			var fe *footprint.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, ErrInvalidPlan) {
				t.Fatalf("%q: %v is not a field error wrapping ErrInvalidPlan", s, err)
			}
			return
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("%q: marshal: %v", s, err)
		}
		var q Plan
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatalf("%q: re-decoding %s: %v", s, b, err)
		}
		c, err := json.Marshal(q)
		if err != nil || string(b) != string(c) {
			t.Fatalf("%q: round trip changed the plan:\n%s\n%s (%v)", s, b, c, err)
		}
	})
}
