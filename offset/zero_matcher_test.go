package offset_test

import (
	"errors"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

// The zero Matcher holds the empty inventory, as NewMatcher(Inventory{})
// does: Match finds nothing to cover a demand with (ErrUnmet, the same
// answer Match gives on the zero Inventory), and Apply refuses a plan for
// lots it does not hold. Before, each panicked on a nil pointer.
func TestZeroMatcher(t *testing.T) {
	var m offset.Matcher
	d := offset.Demand{Serial: "S-1", Amount: footprint.KgCO2e(decimal.NewFromInt(5))}
	_, err := m.Match(d)
	_, want := offset.Match(offset.Inventory{}, d)
	if err == nil || want == nil || err.Error() != want.Error() {
		t.Errorf("zero Matcher: %v; Match on the zero Inventory: %v", err, want)
	}
	if n := len(m.Inventory().Lots()); n != 0 {
		t.Errorf("zero Matcher holds %d lots", n)
	}
	p, err := offset.Match(offset.SampleInventory(), offset.Demand{Serial: "S-1", Amount: d.Amount, Preferences: offset.Preferences{Currency: "USD"}})
	if err != nil {
		t.Fatal(err)
	}
	var z offset.Matcher
	if err := z.Apply(p); !errors.Is(err, offset.ErrConflict) {
		t.Errorf("zero Matcher Apply: %v, want ErrConflict", err)
	}
}
