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
