package offset_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

// A price longer than its JSON decoder accepts is refused where it is
// made, so an inventory never holds a price it could not read back.
func TestPriceLengthMatchesItsDecoder(t *testing.T) {
	long := "1." + strings.Repeat("1", 47) // 49 characters
	p := offset.Price{Amount: decimal.RequireFromString(long), Currency: "USD"}
	if err := p.Validate(); !errors.Is(err, offset.ErrInvalidLot) {
		t.Fatalf("49-character price: err = %v, want ErrInvalidLot", err)
	}
	var back offset.Price
	if err := back.UnmarshalJSON([]byte(`{"amount":"` + long + `","currency":"USD"}`)); err == nil {
		t.Fatal("the decoder accepted a 49-character price; the two limits should agree")
	}
	lots := offset.SampleLots()
	lots[0].Price = p
	if _, err := offset.NewInventory(offset.SampleProjects(), lots); !errors.Is(err, offset.ErrInvalidLot) {
		t.Fatalf("inventory with a 49-character price: err = %v, want ErrInvalidLot", err)
	}
	if _, err := offset.NewPrice(long[:48], "USD"); err != nil {
		t.Fatalf("48 characters: %v", err)
	}
}

func TestDemandSerialWithoutControlCharacters(t *testing.T) {
	for _, s := range []string{"PF-\x002", "PF-\n", "PF-\x7f", "PF-\xff"} {
		d := offset.Demand{Serial: s, Amount: kg("1")}
		if err := d.Validate(); !errors.Is(err, offset.ErrInvalidDemand) || !strings.HasPrefix(err.Error(), "serial:") {
			t.Errorf("serial %q: err = %v, want a serial error wrapping ErrInvalidDemand", s, err)
		}
	}
	if err := (offset.Demand{Serial: "PF-ü 1", Amount: kg("1")}).Validate(); err != nil {
		t.Errorf("serial with a space and non-ASCII letter: %v", err)
	}
}
