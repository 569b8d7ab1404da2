package offset

import (
	"errors"
	"strconv"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// TestInventoryTotalFitsInt64: the lots together may hold at most
// math.MaxInt64 = 9,223,372,036,854,775,807 grams, i.e. 9,223,372,036,854
// whole tonnes, so sums over the inventory cannot overflow.
func TestInventoryTotalFitsInt64(t *testing.T) {
	p := tproj("P", TypeWind, "IN", StandardCDM, Avoidance)
	// Nine lots of 10^12 t = 9 × 10^18 g, then 223,372,036,854 t makes
	// 9,223,372,036,854 t = 9,223,372,036,854,000,000 g: the most allowed.
	var lots []Lot
	for i := range 9 {
		lots = append(lots, tlot("L"+strconv.Itoa(i), "P", 2020, uint64(i)*MaxLotTonnes+1, MaxLotTonnes, "5", "USD"))
	}
	lots = append(lots, tlot("L9", "P", 2020, 9*MaxLotTonnes+1, 223_372_036_854, "5", "USD"))
	inv, err := NewInventory([]Project{p}, lots)
	if err != nil {
		t.Fatal(err)
	}
	const most = 9_223_372_036_854_000_000
	if got := inv.TotalFreeGrams(); got != most {
		t.Fatalf("TotalFreeGrams = %d, want %d", got, most)
	}
	// A demand in EUR: the free stock is there, the currency binds.
	_, err = Match(inv, Demand{Serial: "S", Amount: kgQ("1000"), Preferences: Preferences{Currency: "EUR"}})
	var ue *UnmetError
	if !errors.As(err, &ue) || ue.Binding != "currency" || ue.Constraints[0].Alone.Kg().String() != "9223372036854000" {
		t.Fatalf("err = %v", err)
	}
	// One tonne more, in an eleventh lot, passes 2^63 − 1 grams.
	over := append(lots, tlot("L10", "P", 2020, 10*MaxLotTonnes+1, 1, "5", "USD"))
	_, err = NewInventory([]Project{p}, over)
	var fe *footprint.FieldError
	if !errors.Is(err, ErrInvalidInventory) || !errors.As(err, &fe) || fe.Field != "lots[10].tonnes" || fe.Value != "1" {
		t.Fatalf("err = %v, want ErrInvalidInventory on lots[10].tonnes", err)
	}
	// The reviewer's case: ten lots of 10^12 t (10^19 g) fail at the tenth.
	ten := lots[:9:9]
	ten = append(ten, tlot("L9", "P", 2020, 9*MaxLotTonnes+1, MaxLotTonnes, "5", "USD"))
	_, err = NewInventory([]Project{p}, ten)
	if !errors.Is(err, ErrInvalidInventory) || !errors.As(err, &fe) || fe.Field != "lots[9].tonnes" {
		t.Fatalf("ten lots of 10^12 t: err = %v", err)
	}
	want := `lots[9].tonnes: brings the inventory's total above 9,223,372,036,854 t (2^63 − 1 grams, the most one inventory may hold; split the stock into several inventories), got "1000000000000"`
	if err.Error() != want {
		t.Errorf("message\n got %s\nwant %s", err, want)
	}
}
