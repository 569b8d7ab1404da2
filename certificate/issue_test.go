package certificate

import (
	"errors"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

// referenceLaptop computes a footprint (a declared manufacture figure of
// 400 kg, so the total is 400 kg) and matches it in the sample inventory
// to the wind project, sold in 500/1000/1500 kg tiers (400 kg → 500 kg).
func referenceLaptop(t testing.TB) (footprint.Footprint, offset.Plan) {
	spec := footprint.ProductSpec{
		Manufacturer: "Lenovo", Model: "ThinkPad X1 Carbon Gen 9", Serial: "PF-3X7Y2Z",
		Mass: footprint.Kg(decimal.RequireFromString("1.13")),
		Manufacture: footprint.Manufacture{Declared: &footprint.DeclaredFigure{
			Amount: co2("400 kg"), Source: "test figure",
		}},
	}
	fp, err := footprint.Calculate(spec, footprint.DefaultDataset())
	if err != nil {
		t.Fatal(err)
	}
	plan, err := offset.Match(offset.SampleInventory(), offset.Demand{
		Serial: fp.Serial, Amount: fp.CO2e,
		Preferences: offset.Preferences{
			Filter:   offset.Filter{Projects: []string{"sample-in-wind"}},
			Rounding: offset.RoundToTiers(co2("500 kg"), co2("1000 kg"), co2("1500 kg")),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return fp, plan
}

func TestIssue(t *testing.T) {
	fp, plan := referenceLaptop(t)
	at := time.Date(2025, 3, 14, 9, 26, 53, 0, time.FixedZone("IST", 5*3600+1800))
	opts := IssueOptions{Issuer: Issuer{Name: "Retail"}, IssuedAt: at, Tier: "500 kg", Beneficiary: "Customer"}
	c, err := Issue(fp, plan, opts, testKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(VerifyOptions{Keys: testKeys(t)}); err != nil {
		t.Fatal(err)
	}
	// Hand check: footprint 400 kg → tier 500 kg, all from the wind lot.
	if !c.Footprint.Total.Equal(co2("400 kg")) || !c.TotalOffset.Equal(co2("500 kg")) || c.Tier.Amount.String() != "500 kg CO2e" {
		t.Errorf("total %s, offset %s, tier %+v", c.Footprint.Total, c.TotalOffset, c.Tier)
	}
	if c.IssuedAt.Location() != time.UTC || !c.IssuedAt.Equal(at) {
		t.Errorf("issuedAt %v", c.IssuedAt)
	}
	if len(c.Footprint.Stages) != 4 || c.Footprint.InputDigest != fp.InputDigest || c.Product.Serial != "PF-3X7Y2Z" {
		t.Errorf("summary %+v", c.Footprint)
	}
	if len(c.Offsets) != 1 || c.Offsets[0].Project != "sample-in-wind" || c.Offsets[0].Credits[0].Grams.String() != "500000" {
		t.Errorf("offsets %+v", c.Offsets)
	}
	// Same inputs, same bytes.
	d, _ := Issue(fp, plan, opts, testKey(), nil)
	if string(must(d.MarshalJSON())) != string(must(c.MarshalJSON())) {
		t.Error("Issue is not deterministic")
	}

	cases := []struct {
		name   string
		change func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions)
		field  string
	}{
		{"plan for another serial", func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions) { p.Serial = "OTHER" }, "plan.serial"},
		{"plan for another demand", func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions) { p.Demand = co2("300 kg") }, "plan.demand"},
		{"no issue time", func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions) { o.IssuedAt = time.Time{} }, "issuedAt"},
		{"no issuer", func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions) { o.Issuer.Name = "" }, "issuer.name"},
	}
	for _, tc := range cases {
		fp2, plan2, o := fp, plan, opts
		tc.change(&fp2, &plan2, &o)
		_, err := Issue(fp2, plan2, o, testKey(), nil)
		var fe *footprint.FieldError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: got %v, want ErrInvalid on %s", tc.name, err, tc.field)
		}
	}
}
