package registry_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// Two registries on one store, as two processes would be: the one that
// writes second reads the first one's entry and matches again.
func TestTwoWritersOneStore(t *testing.T) {
	ctx := context.Background()
	r1, st := stocked(t)
	r2, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := r1.Allocate(ctx, windDemand("PF-1", "100"))
	if err != nil {
		t.Fatal(err)
	}
	// r2 has not seen PF-1: its first try takes grams 0-100000 too, loses
	// the race for entry 3, reads entry 2 and takes the next grams.
	b, err := r2.Allocate(ctx, windDemand("PF-2", "100"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Plan.Lines[0].Grams != (offset.GramRange{From: 0, To: 100_000}) || b.Plan.Lines[0].Grams != (offset.GramRange{From: 100_000, To: 200_000}) {
		t.Fatalf("grams %v and %v, want 0-100000 and 100000-200000", a.Plan.Lines[0].Grams, b.Plan.Lines[0].Grams)
	}
	if b.Seq != 3 {
		t.Fatalf("PF-2 at entry %d, want 3", b.Seq)
	}
	// r2 asking for PF-1 with r1's demand gets r1's allocation.
	if _, err := r1.Allocate(ctx, windDemand("PF-3", "1")); err != nil {
		t.Fatal(err)
	}
	again, err := r2.Allocate(ctx, windDemand("PF-1", "100"))
	if err != nil || again.Seq != a.Seq {
		t.Fatalf("r2 repeating PF-1: seq %d, %v; want %d", again.Seq, err, a.Seq)
	}
	// r1 releases PF-2, which r2 allocated.
	if err := r1.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r1.Release(ctx, "PF-2", "cancelled"); err != nil {
		t.Fatal(err)
	}
	if _, err := r2.Release(ctx, "PF-2", "cancelled twice"); !errors.Is(err, registry.ErrNotAllocated) {
		t.Fatalf("second release from the other writer: err = %v, want ErrNotAllocated", err)
	}
}

// Many goroutines on two registries sharing a store allocate and release;
// afterwards no gram is held twice, and the inventory's free grams account
// for every allocation.
func TestConcurrentCheckouts(t *testing.T) {
	ctx := context.Background()
	r0, st := stocked(t)
	total := r0.Inventory().TotalFreeGrams()
	// The test is about what is kept, not about how long a writer may
	// lose races (TestStoreFailureAllocatesNothing checks ErrBusy): let
	// both retry as long as they need.
	opt := registry.Options{Retries: 1 << 20}
	r1, err := registry.Open(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := registry.Open(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var failures atomic.Int64
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := r1
			if g%2 == 1 {
				r = r2
			}
			for i := range 40 {
				serial := fmt.Sprintf("G%d-%d", g, i)
				d := offset.Demand{Serial: serial, Amount: kg(fmt.Sprintf("%d.%03d", 1+i%7, g*37+i)), Preferences: offset.Preferences{Currency: "USD"}}
				if _, err := r.Allocate(ctx, d); err != nil {
					failures.Add(1)
					t.Error(serial, err)
					return
				}
				if i%5 == 0 {
					if _, err := r.Release(ctx, serial, "returned"); err != nil {
						failures.Add(1)
						t.Error(serial, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if failures.Load() > 0 {
		return
	}
	r, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := r.Allocations()
	if len(all) != 8*(40-8) {
		t.Fatalf("%d allocations, want %d", len(all), 8*32)
	}
	type span struct {
		lot      string
		from, to int64
		serial   string
	}
	var spans []span
	var held int64
	for _, a := range all {
		var grams int64
		for _, ln := range a.Plan.Lines {
			spans = append(spans, span{ln.Lot, ln.Grams.From, ln.Grams.To, a.Serial})
			grams += ln.Grams.Len()
		}
		// Each demand is whole grams: the plan holds exactly that many.
		if want := a.Demand.Amount.Grams().IntPart(); grams != want {
			t.Errorf("%s holds %d g for a demand of %d g", a.Serial, grams, want)
		}
		held += grams
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].lot != spans[j].lot {
			return spans[i].lot < spans[j].lot
		}
		return spans[i].from < spans[j].from
	})
	for i := 1; i < len(spans); i++ {
		if p, s := spans[i-1], spans[i]; p.lot == s.lot && p.to > s.from {
			t.Fatalf("%s and %s both hold grams %d-%d of lot %s", p.serial, s.serial, s.from, min(p.to, s.to), s.lot)
		}
	}
	if free := r.Inventory().TotalFreeGrams(); free != total-held {
		t.Fatalf("free grams %d, want %d − %d = %d", free, total, held, total-held)
	}
}

func TestStoreFailureAllocatesNothing(t *testing.T) {
	ctx := context.Background()
	r, fs := countingRegistry(t, 3)
	before := invJSON(t, r.Inventory())
	disk := errors.New("disk full")
	fs.fail = disk
	if _, err := r.Allocate(ctx, windDemand("PF-1", "100")); !errors.Is(err, disk) {
		t.Fatalf("err = %v, want it to wrap the store's error", err)
	}
	if _, ok := r.Allocation("PF-1"); ok || invJSON(t, r.Inventory()) != before {
		t.Fatal("a failed write left an allocation behind")
	}
	// Another writer always first: ErrBusy after the retries, nothing kept.
	fs.fail, fs.appends = registry.ErrSeqTaken, 0
	if _, err := r.Allocate(ctx, windDemand("PF-1", "100")); !errors.Is(err, registry.ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	if fs.appends != 4 {
		t.Fatalf("%d appends, want 4 (one and three retries)", fs.appends)
	}
	if invJSON(t, r.Inventory()) != before {
		t.Fatal("a busy store left grams taken")
	}
	fs.fail = nil
	a, err := r.Allocate(ctx, windDemand("PF-1", "100"))
	if err != nil || a.Seq != 2 || a.Plan.Lines[0].Grams.From != 0 {
		t.Fatalf("after the store recovers: %+v, %v", a.Plan.Lines, err)
	}
	fs.fail = disk
	if _, err := r.Release(ctx, "PF-1", "returned"); !errors.Is(err, disk) {
		t.Fatalf("release: err = %v, want the store's error", err)
	}
	if _, ok := r.Allocation("PF-1"); !ok {
		t.Fatal("a release that was not stored freed the serial")
	}
}
