package offset

import (
	"errors"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// TestProjectTypeLowerCase: a project type is a lower-case name and types
// are compared exactly, so "Wind" is refused where it is given (a project
// or a filter) instead of matching nothing.
func TestProjectTypeLowerCase(t *testing.T) {
	fieldErr := func(err error, sentinel error, field, value string) {
		t.Helper()
		var fe *footprint.FieldError
		if !errors.Is(err, sentinel) || !errors.As(err, &fe) || fe.Field != field || fe.Value != value {
			t.Errorf("err = %v, want %v on %s = %q", err, sentinel, field, value)
		}
	}
	for _, typ := range []ProjectType{"Wind", "WIND", "waste-To-energy", "ǅ", "wİnd"} {
		_, err := NewInventory([]Project{tproj("P", typ, "IN", StandardCDM, Avoidance)}, nil)
		fieldErr(err, ErrInvalidProject, "projects[0].type", string(typ))

		d := Demand{Serial: "S", Amount: kgQ("1"), Preferences: Preferences{Filter: Filter{Types: []ProjectType{TypeSolar, typ}}}}
		_, err = Match(SampleInventory(), d)
		fieldErr(err, ErrInvalidDemand, "preferences.types[1]", string(typ))

		d.Preferences = Preferences{Split: []Share{
			{Percent: decimal.NewFromInt(50)},
			{Percent: decimal.NewFromInt(50), Filter: Filter{Types: []ProjectType{typ}}},
		}}
		_, err = Match(SampleInventory(), d)
		fieldErr(err, ErrInvalidDemand, "preferences.split[1].types[0]", string(typ))
	}
	// Lower-case names of any kind are accepted as given.
	for _, typ := range []ProjectType{"wind", "direct air capture", "blue-carbon 2", "éolien", "风能"} {
		if _, err := NewInventory([]Project{tproj("P", typ, "IN", StandardCDM, Avoidance)}, nil); err != nil {
			t.Errorf("%q: %v", typ, err)
		}
		d := Demand{Serial: "S", Amount: kgQ("1"), Preferences: Preferences{Filter: Filter{Types: []ProjectType{typ}}}}
		_, err := Match(SampleInventory(), d)
		if (typ == "wind" && err != nil) || (typ != "wind" && !errors.Is(err, ErrUnmet)) {
			t.Errorf("%q: %v", typ, err)
		}
	}
}
