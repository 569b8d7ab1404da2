package offset_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

// A demand's amount is recorded exactly in its plan, and a plan's JSON
// reads a CO2e of at most 512 characters, so a longer amount is refused
// before matching (before, it matched, and a registry's journal that
// recorded it could not be opened again). 512 characters still match.
func TestDemandAmountMustReadBack(t *testing.T) {
	inv := offset.SampleInventory()
	demand := func(kg string) offset.Demand {
		return offset.Demand{Serial: "S-1", Amount: footprint.KgCO2e(decimal.RequireFromString(kg)), Preferences: offset.Preferences{Currency: "USD"}}
	}
	ok := "1." + strings.Repeat("3", 510) // 512 characters
	p, err := offset.Match(inv, demand(ok))
	if err != nil {
		t.Fatalf("512 characters: %v", err)
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back offset.Plan
	if err := back.UnmarshalJSON(js); err != nil {
		t.Fatalf("the plan's own JSON: %v", err)
	}
	for _, kg := range []string{ok + "3", "0." + strings.Repeat("0", 600) + "1"} {
		_, err := offset.Match(inv, demand(kg))
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != "amount" || !strings.Contains(fe.Rule, "at most 512 characters") {
			t.Errorf("%d characters: %v, want an error naming amount", len(kg), err)
		}
	}
}

// The decimals of a demand's preferences are recorded in a registry's
// journal and read back by the demand's JSON decoder, which takes at most
// 48 characters. Validate refuses longer ones, naming the field (before,
// one was accepted and journaled, and the journal could not be opened
// again); 48 characters are accepted and read back.
func TestPreferenceDecimalsMustReadBack(t *testing.T) {
	long := "1000." + strings.Repeat("0", 50) + "1" // 56 characters
	fits := "1000." + strings.Repeat("0", 42) + "1" // 48 characters
	tiny := "0." + strings.Repeat("0", 50) + "1"
	rest := decimal.NewFromInt(100).Sub(decimal.RequireFromString(tiny)).String()
	cases := []struct {
		name, field string
		prefs       offset.Preferences
	}{
		{"max price", "preferences.maxPrice.amount", offset.Preferences{MaxPrice: &offset.Price{Amount: decimal.RequireFromString(long), Currency: "USD"}}},
		{"split", "preferences.split[0].percent", offset.Preferences{Currency: "USD", Split: []offset.Share{
			{Percent: decimal.RequireFromString(tiny)}, {Percent: decimal.RequireFromString(rest)}}}},
	}
	for _, c := range cases {
		d := offset.Demand{Serial: "S-1", Amount: footprint.KgCO2e(decimal.NewFromInt(5)), Preferences: c.prefs}
		err := d.Validate()
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Rule, "at most 48 characters") {
			t.Errorf("%s: %v, want an error naming %s", c.name, err, c.field)
		}
	}
	d := offset.Demand{Serial: "S-1", Amount: footprint.KgCO2e(decimal.NewFromInt(5)),
		Preferences: offset.Preferences{MaxPrice: &offset.Price{Amount: decimal.RequireFromString(fits), Currency: "USD"}}}
	if err := d.Validate(); err != nil {
		t.Fatalf("48 characters: %v", err)
	}
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back offset.Demand
	if err := back.UnmarshalJSON(js); err != nil {
		t.Fatalf("the demand's own JSON: %v", err)
	}
	if !back.Preferences.MaxPrice.Amount.Equal(d.Preferences.MaxPrice.Amount) {
		t.Errorf("read back %s, want %s", back.Preferences.MaxPrice.Amount, fits)
	}
}
