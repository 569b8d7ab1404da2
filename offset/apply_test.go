package offset

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// TestAfterRefusesAPlanOfAnotherInventory: lot L1 holds serials 1-10 in
// one inventory and 101-110 in another; a plan matched against the first
// must not be applied to (or released into) the second.
func TestAfterRefusesAPlanOfAnotherInventory(t *testing.T) {
	p := tproj("P", TypeWind, "IN", StandardCDM, Avoidance)
	q := tproj("Q", TypeWind, "IN", StandardCDM, Avoidance)
	build := func(l Lot, ps ...Project) Inventory {
		inv, err := NewInventory(ps, []Lot{l})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	a := build(tlot("L1", "P", 2020, 1, 10, "5", "USD"), p)
	// 2.5 t: grams 0-2,500,000 of L1, serials 1-3 (the third in part).
	plan, err := Match(a, Demand{Serial: "PF-1", Amount: kgQ("2500")})
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(plan) + " " + plan.Lines[0].Block.String(); got != "L1:0-2500000 1-3" {
		t.Fatalf("plan = %s", got)
	}
	// The plan applies to its own inventory, also after a JSON round trip.
	js, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if _, err := a.After(back); err != nil {
		t.Fatalf("own inventory: %v", err)
	}

	rule := func(what, want string) string {
		return "differs from lot L1's " + what + " " + want + " in this inventory (the plan was made against another inventory)"
	}
	tests := []struct {
		name         string
		inv          Inventory
		field, value string
		rule         string
	}{
		{"serials 101-110", build(tlot("L1", "P", 2020, 101, 10, "5", "USD"), p),
			"lines[0].block", "1-3", rule("serials for grams 0-2500000,", "101-103")},
		{"another project", build(tlot("L1", "Q", 2020, 1, 10, "5", "USD"), q),
			"lines[0].project", "P", rule("project", "Q")},
		{"another vintage", build(tlot("L1", "P", 2021, 1, 10, "5", "USD"), p),
			"lines[0].vintage", "2020", rule("vintage", "2021")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(op string, err error) {
				t.Helper()
				wantConflict(t, op, err, tt.field, tt.value, tt.rule)
			}
			_, err := tt.inv.After(plan)
			check("After", err)
			if tt.inv.FreeGrams("L1") != 10*GramsPerTonne {
				t.Errorf("After changed the inventory")
			}
			// Allocate the same grams in the other inventory by its own
			// plan, then try to release them with the first one's.
			own, err := Match(tt.inv, Demand{Serial: "PF-1", Amount: kgQ("2500")})
			if err != nil {
				t.Fatal(err)
			}
			taken, err := tt.inv.After(own)
			if err != nil {
				t.Fatal(err)
			}
			_, err = taken.Release(plan)
			check("Release", err)
			if _, err := taken.Release(own); err != nil {
				t.Errorf("Release of its own plan: %v", err)
			}
		})
	}
}

// TestAfterChecksBlockOfEveryLine: a later line with a wrong sub-block is
// caught too, with its index, and a block naming the right serials in
// another namespace (Verra vs range) is a mismatch.
func TestAfterChecksBlockOfEveryLine(t *testing.T) {
	inv, err := NewInventory([]Project{tproj("P", TypeWind, "IN", StandardCDM, Avoidance)},
		[]Lot{tlot("L1", "P", 2020, 1, 1, "5", "USD"), tlot("L2", "P", 2020, 2, 3, "9", "USD")})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Match(inv, Demand{Serial: "PF-1", Amount: kgQ("2000")})
	if err != nil {
		t.Fatal(err)
	}
	// Cheapest first: all of L1 (serial 1), then 1 t of L2 (serial 2).
	if got := summary(plan); got != "L1:0-1000000 L2:0-1000000" {
		t.Fatalf("plan = %s", got)
	}
	plan.Lines[1].Block = RangeBlock(3, 3)
	_, err = inv.After(plan)
	var fe *footprint.FieldError
	if !errors.Is(err, ErrConflict) || !errors.As(err, &fe) || fe.Field != "lines[1].block" || fe.Value != "3-3" {
		t.Fatalf("err = %v", err)
	}
	plan.Lines[1].Block = SerialBlock{Format: FormatVerra, Prefix: "1-", Start: 2, End: 2, Suffix: "-VCS-VCU-1-VER-IN-1-1-01012020-31122020-1"}
	if _, err = inv.After(plan); !errors.Is(err, ErrConflict) {
		t.Fatalf("Verra block with the same numbers: err = %v", err)
	}
}

// wantConflict fails t unless err is a field error wrapping ErrConflict
// with exactly the field, value and rule given.
func wantConflict(t *testing.T, op string, err error, field, value, rule string) {
	t.Helper()
	var fe *footprint.FieldError
	if !errors.Is(err, ErrConflict) || !errors.As(err, &fe) {
		t.Fatalf("%s: err = %v, want ErrConflict", op, err)
	}
	if fe.Field != field || fe.Value != value || fe.Rule != rule {
		t.Errorf("%s: got %s %q %q\nwant %s %q %q", op, fe.Field, fe.Value, fe.Rule, field, value, rule)
	}
}
