package offset

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// manyLots: 40 lots of 1 t, L00..L39 priced 1..40 USD (so cheapest first
// takes them in order); L00..L29 belong to project P, L30..L39 to Q.
func manyLots(t testing.TB) Inventory {
	p := tproj("P", TypeWind, "IN", StandardCDM, Avoidance)
	q := tproj("Q", TypeWind, "IN", StandardCDM, Avoidance)
	var lots []Lot
	for i := range 40 {
		proj := "P"
		if i >= 30 {
			proj = "Q"
		}
		lots = append(lots, tlot(fmt.Sprintf("L%02d", i), proj, 2020, uint64(i+1), 1, strconv.Itoa(i+1), "USD"))
	}
	inv, err := NewInventory([]Project{p, q}, lots)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// wholeLots is the summary of one whole-tonne line for each of lots
// L<from>..L<to>.
func wholeLots(from, to int) string {
	var parts []string
	for i := from; i <= to; i++ {
		parts = append(parts, fmt.Sprintf("L%02d:0-1000000", i))
	}
	return strings.Join(parts, " ")
}

// TestMatchManyLots: a match that draws from more lots than ovScan keeps
// its per-lot bookkeeping right (a second share sees what the first took,
// an unmet share reports availability from before it, a Matcher carries
// the grams over). Expectations are worked by hand from the prices.
func TestMatchManyLots(t *testing.T) {
	inv := manyLots(t)
	// 25 t cheapest first: L00..L24, costing 1 + 2 + ... + 25 = 325 USD.
	p, err := Match(inv, Demand{Serial: "A", Amount: kgQ("25000")})
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(p); got != wholeLots(0, 24) {
		t.Errorf("plan = %s", got)
	}
	if len(p.Costs) != 1 || p.Costs[0].Amount.String() != "325" || len(p.Remaining) != 25 {
		t.Errorf("costs %v, remaining %d lots", p.Costs, len(p.Remaining))
	}
	// 40 t split 50/50: share 0 (any lot) takes L00..L19; share 1 (project
	// P only) must skip them and takes L20..L29 (10 t) — short of 20 t.
	half := decimal.NewFromInt(50)
	d := Demand{Serial: "B", Amount: kgQ("40000"), Preferences: Preferences{Split: []Share{
		{Percent: half}, {Percent: half, Filter: Filter{Projects: []string{"P"}}}}}}
	_, err = Match(inv, d)
	var ue *UnmetError
	if !errors.As(err, &ue) || ue.Share != 1 || ue.Binding != "split[1].projects" ||
		ue.Asked.Kg().String() != "20000" || ue.Available.Kg().String() != "10000" {
		t.Fatalf("err = %v (%+v)", err, ue)
	}
	// 30 t split 50/50: share 1 takes L15..L29 after share 0's L00..L14.
	d.Amount = kgQ("30000")
	p, err = Match(inv, d)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(p); got != wholeLots(0, 29) {
		t.Errorf("split plan = %s", got)
	}
	// A Matcher: 25 t (L00..L24), then 10 t (L25..L34), then 6 t fails
	// with 5 t free (L35..L39).
	m := NewMatcher(inv)
	if p, err := m.Match(Demand{Serial: "C1", Amount: kgQ("25000")}); err != nil || summary(p) != wholeLots(0, 24) {
		t.Fatalf("C1: %v %s", err, summary(p))
	}
	if p, err := m.Match(Demand{Serial: "C2", Amount: kgQ("10000")}); err != nil || summary(p) != wholeLots(25, 34) {
		t.Fatalf("C2: %v %s", err, summary(p))
	}
	_, err = m.Match(Demand{Serial: "C3", Amount: kgQ("6000")})
	if !errors.As(err, &ue) || ue.Available.Kg().String() != "5000" || ue.Binding != "inventory" {
		t.Fatalf("C3: err = %v", err)
	}
}

// BenchmarkMatchManyLots: one Match drawing from every one of n one-tonne
// lots (n lines), which was quadratic in n.
func BenchmarkMatchManyLots(b *testing.B) {
	p := tproj("P", TypeWind, "IN", StandardCDM, Avoidance)
	for _, n := range []int{1000, 20000, 80000} {
		lots := make([]Lot, n)
		for i := range lots {
			lots[i] = tlot("L"+strconv.Itoa(i), "P", 2020, uint64(i+1), 1, "5", "USD")
		}
		inv, err := NewInventory([]Project{p}, lots)
		if err != nil {
			b.Fatal(err)
		}
		d := Demand{Serial: "S", Amount: footprint.KgCO2e(decimal.NewFromInt(int64(n) * 1000))}
		b.Run("lots="+strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Match(inv, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
