package registry_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/shopspring/decimal"
)

func kg(s string) footprint.CO2e { return footprint.KgCO2e(decimal.RequireFromString(s)) }

// clock returns a Now that starts at a fixed instant and moves one second
// per call, so entries are reproducible.
func clock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// stocked opens a registry on a new MemStore holding the sample inventory.
func stocked(t testing.TB) (*registry.Registry, *registry.MemStore) {
	t.Helper()
	st := registry.NewMemStore()
	r, err := registry.Open(context.Background(), st, registry.Options{Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddStock(context.Background(), offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	return r, st
}

func windDemand(serial, amount string) offset.Demand {
	return offset.Demand{
		Serial: serial, Amount: kg(amount), Country: "IN",
		Preferences: offset.Preferences{Filter: offset.Filter{Projects: []string{"sample-in-wind"}}},
	}
}

func invJSON(t *testing.T, inv offset.Inventory) string {
	t.Helper()
	b, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The whole life of one sale: allocate, look up, release, and the lot's
// free grams before, between and after, worked out by hand.
func TestAllocateRelease(t *testing.T) {
	ctx := context.Background()
	r, st := stocked(t)
	// IN-WIND-2021 holds 20 t = 20,000,000 g, all free (SampleLots).
	const lot = "IN-WIND-2021"
	if got := r.Inventory().FreeGrams(lot); got != 20_000_000 {
		t.Fatalf("free grams before = %d, want 20000000", got)
	}
	a, err := r.Allocate(ctx, windDemand("PF-1", "236.54"))
	if err != nil {
		t.Fatal(err)
	}
	// 236.54 kg rounded up to the gram is 236,540 g, from the lowest grams.
	if len(a.Plan.Lines) != 1 || a.Plan.Lines[0].Lot != lot || a.Plan.Lines[0].Grams != (offset.GramRange{From: 0, To: 236_540}) {
		t.Fatalf("plan lines = %+v, want one line of %s grams 0-236540", a.Plan.Lines, lot)
	}
	if a.Seq != 2 || a.Serial != "PF-1" {
		t.Fatalf("allocation seq %d serial %q, want 2 (after the stock entry) and PF-1", a.Seq, a.Serial)
	}
	if got := r.Inventory().FreeGrams(lot); got != 20_000_000-236_540 {
		t.Fatalf("free grams after allocating = %d, want %d", got, 20_000_000-236_540)
	}
	got, ok := r.Allocation("PF-1")
	if !ok || got.Seq != 2 {
		t.Fatalf("Allocation(PF-1) = %+v, %v", got, ok)
	}
	// The next serial gets the next grams.
	b, err := r.Allocate(ctx, windDemand("PF-2", "1"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Plan.Lines[0].Grams != (offset.GramRange{From: 236_540, To: 237_540}) {
		t.Fatalf("PF-2 grams = %v, want 236540-237540", b.Plan.Lines[0].Grams)
	}
	rel, err := r.Release(ctx, "PF-1", "returned")
	if err != nil {
		t.Fatal(err)
	}
	if rel.Seq != 2 {
		t.Fatalf("released allocation seq = %d, want 2", rel.Seq)
	}
	if got := r.Inventory().FreeGrams(lot); got != 20_000_000-1_000 {
		t.Fatalf("free grams after release = %d, want %d", got, 20_000_000-1_000)
	}
	if _, ok := r.Allocation("PF-1"); ok {
		t.Fatal("PF-1 still holds an allocation after Release")
	}
	if _, err := r.Release(ctx, "PF-1", "again"); !errors.Is(err, registry.ErrNotAllocated) {
		t.Fatalf("second release: err = %v, want ErrNotAllocated", err)
	}
	// Resold: the released grams are the lowest free ones again.
	c, err := r.Allocate(ctx, windDemand("PF-1", "2"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Plan.Lines[0].Grams != (offset.GramRange{From: 0, To: 2_000}) {
		t.Fatalf("resold PF-1 grams = %v, want 0-2000", c.Plan.Lines[0].Grams)
	}
	// stock, allocate PF-1, allocate PF-2, release PF-1, allocate PF-1.
	if st.Len() != 5 {
		t.Fatalf("journal has %d entries, want 5", st.Len())
	}
}

func TestAllocateIsIdempotent(t *testing.T) {
	ctx := context.Background()
	r, st := stocked(t)
	a, err := r.Allocate(ctx, windDemand("PF-1", "10"))
	if err != nil {
		t.Fatal(err)
	}
	n := st.Len()
	again, err := r.Allocate(ctx, windDemand("PF-1", "10"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Len() != n {
		t.Fatalf("a repeated demand wrote %d entries", st.Len()-n)
	}
	if x, y := mustJSON(t, a), mustJSON(t, again); x != y {
		t.Fatalf("repeated demand gave another allocation:\nfirst %s\nagain %s", x, y)
	}
	if _, err := r.Allocate(ctx, windDemand("PF-1", "11")); !errors.Is(err, registry.ErrAllocated) {
		t.Fatalf("another demand for PF-1: err = %v, want ErrAllocated", err)
	}
	// Changing what Allocate returned does not change the record.
	again.Plan.Lines[0].Grams = offset.GramRange{From: 5, To: 6}
	again.Demand.Preferences.Filter.Projects[0] = "changed"
	kept, _ := r.Allocation("PF-1")
	if x, y := mustJSON(t, a), mustJSON(t, kept); x != y {
		t.Fatalf("the caller's change reached the registry:\nwant %s\ngot  %s", x, y)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAllocateErrorsLeaveNothing(t *testing.T) {
	ctx := context.Background()
	r, st := stocked(t)
	before := invJSON(t, r.Inventory())
	n := st.Len()
	// More than the wind project holds: 20 t (IN-WIND-2021) + 10 t (IN-WIND-2022).
	if _, err := r.Allocate(ctx, windDemand("PF-1", "30000.001")); !errors.Is(err, offset.ErrUnmet) {
		t.Fatalf("err = %v, want offset.ErrUnmet", err)
	}
	if _, err := r.Allocate(ctx, offset.Demand{Serial: "", Amount: kg("1")}); !errors.Is(err, offset.ErrInvalidDemand) {
		t.Fatalf("err = %v, want offset.ErrInvalidDemand", err)
	}
	if st.Len() != n || invJSON(t, r.Inventory()) != before {
		t.Fatal("a failed Allocate changed the journal or the inventory")
	}
}

// Reopening a store gives the same registry: the same head, inventory and
// allocations.
func TestOpenReplays(t *testing.T) {
	ctx := context.Background()
	r, st := stocked(t)
	for i := range 20 {
		if _, err := r.Allocate(ctx, windDemand(fmt.Sprint("PF-", i), fmt.Sprint(i+1, ".5"))); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{"PF-3", "PF-7", "PF-19"} {
		if _, err := r.Release(ctx, s, "returned"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Allocate(ctx, windDemand("PF-7", "3")); err != nil {
		t.Fatal(err)
	}
	again, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s1, h1 := r.Head()
	s2, h2 := again.Head()
	if s1 != s2 || h1 != h2 || s1 != 1+20+3+1 {
		t.Fatalf("heads %d %s and %d %s, want equal at 25", s1, h1, s2, h2)
	}
	if invJSON(t, r.Inventory()) != invJSON(t, again.Inventory()) {
		t.Fatal("reopened inventory differs")
	}
	if x, y := mustJSON(t, r.Allocations()), mustJSON(t, again.Allocations()); x != y {
		t.Fatalf("reopened allocations differ:\nlive     %s\nreopened %s", x, y)
	}
	if got := len(again.Allocations()); got != 20-3+1 {
		t.Fatalf("%d allocations, want 18", got)
	}
}

func TestAddStockRefusesOverlapAndKeepsState(t *testing.T) {
	ctx := context.Background()
	r, st := stocked(t)
	n := st.Len()
	lots := offset.SampleLots()
	lot := lots[0]
	lot.ID = "COPY"
	err := r.AddStock(ctx, nil, []offset.Lot{lot})
	if !errors.Is(err, offset.ErrInvalidInventory) {
		t.Fatalf("a lot with another lot's serials: err = %v, want offset.ErrInvalidInventory", err)
	}
	if st.Len() != n {
		t.Fatal("a refused AddStock wrote an entry")
	}
}
