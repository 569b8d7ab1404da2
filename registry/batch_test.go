package registry_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// countStore counts Append calls and the entries they store, and fails
// them with fail when it is set.
type countStore struct {
	*registry.MemStore
	appends, entries int
	fail             error
	failOn           int // when > 0, only the failOn-th Append fails
}

func (s *countStore) Append(ctx context.Context, es []registry.Entry) error {
	s.appends++
	if s.fail != nil && (s.failOn == 0 || s.failOn == s.appends) {
		return s.fail
	}
	s.entries += len(es)
	return s.MemStore.Append(ctx, es)
}

// countingRegistry opens a registry, on a countStore, stocked with the
// sample lots; the store's counts start after the stock entry.
func countingRegistry(t *testing.T, retries int) (*registry.Registry, *countStore) {
	t.Helper()
	cs := &countStore{MemStore: registry.NewMemStore()}
	r, err := registry.Open(context.Background(), cs, registry.Options{Retries: retries})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddStock(context.Background(), offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	cs.appends, cs.entries = 0, 0
	return r, cs
}

func fixedClock() func() time.Time {
	return func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }
}

// batchDemands mixes 12 good demands with 4 invalid ones, 4 unmet ones,
// 4 for serial B-0 with another amount, and B-0's own demand again.
func batchDemands() []offset.Demand {
	var ds []offset.Demand
	for i := range 24 {
		d := windDemand(fmt.Sprint("B-", i), fmt.Sprint(100*(i+1), ".25"))
		switch i % 6 {
		case 1:
			d.Amount = kg("0") // invalid
		case 3:
			d.Amount = kg("40000") // more than the wind project holds
		case 5:
			d.Serial = "B-0" // B-0 again, for another amount: ErrAllocated
		}
		ds = append(ds, d)
	}
	ds = append(ds, windDemand("B-0", "100.25")) // B-0 again, the same demand
	return ds
}

// A batch gives what Allocate gives one by one, and the same journal, in
// one append.
func TestAllocateBatchMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	ds := batchDemands()

	cs := &countStore{MemStore: registry.NewMemStore()}
	rb, err := registry.Open(ctx, cs, registry.Options{Now: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	one := registry.NewMemStore()
	r1, err := registry.Open(ctx, one, registry.Options{Now: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*registry.Registry{rb, r1} {
		if err := r.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
			t.Fatal(err)
		}
	}
	cs.appends, cs.entries = 0, 0
	res, err := rb.AllocateBatch(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	if cs.appends != 1 {
		t.Fatalf("%d appends for one batch, want 1", cs.appends)
	}
	seqs := map[uint64]bool{} // the entries the allocations came from
	for i, d := range ds {
		a, err := r1.Allocate(ctx, d)
		got := res[i]
		if (err == nil) != (got.Err == nil) {
			t.Fatalf("demand %d: batch error %v, one by one %v", i, got.Err, err)
		}
		if err != nil {
			for _, sentinel := range []error{offset.ErrInvalidDemand, offset.ErrUnmet, registry.ErrAllocated} {
				if errors.Is(err, sentinel) != errors.Is(got.Err, sentinel) {
					t.Fatalf("demand %d: batch error %v, one by one %v", i, got.Err, err)
				}
			}
			continue
		}
		if x, y := mustJSON(t, a), mustJSON(t, got.Allocation); x != y {
			t.Fatalf("demand %d:\none by one %s\nbatch      %s", i, x, y)
		}
		seqs[a.Seq] = true
	}
	if made := len(seqs); cs.entries != made || made != 12 {
		// 24 demands: 4 invalid, 4 unmet, 4 for B-0 with another amount,
		// then B-0 again with its own: 12 new allocations.
		t.Fatalf("batch wrote %d entries, one by one %d; want 12", cs.entries, made)
	}
	es1, _ := one.Read(ctx, 1, 100)
	esb, _ := cs.Read(ctx, 1, 100)
	if len(es1) != len(esb) {
		t.Fatalf("journals of %d and %d entries", len(es1), len(esb))
	}
	for i := range es1 {
		if es1[i].Hash != esb[i].Hash {
			t.Fatalf("entry %d differs:\n%s\n%s", i+1, es1[i].Body, esb[i].Body)
		}
	}
}

func TestAllocateBatchStoreFailureKeepsNothing(t *testing.T) {
	ctx := context.Background()
	r, cs := countingRegistry(t, 2)
	before := invJSON(t, r.Inventory())
	disk := errors.New("disk full")
	cs.fail = disk
	if _, err := r.AllocateBatch(ctx, batchDemands()); !errors.Is(err, disk) {
		t.Fatalf("err = %v, want the store's error", err)
	}
	cs.fail = registry.ErrSeqTaken
	if _, err := r.AllocateBatch(ctx, batchDemands()); !errors.Is(err, registry.ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	if invJSON(t, r.Inventory()) != before || len(r.Allocations()) != 0 {
		t.Fatal("a batch that was not stored left grams taken")
	}
	cs.fail = nil
	res, err := r.AllocateBatch(ctx, batchDemands())
	if err != nil || res[0].Err != nil || res[0].Allocation.Plan.Lines[0].Grams.From != 0 {
		t.Fatalf("after the store recovers: %v, %+v", err, res[0])
	}
}

// Two registries on one store: a batch that loses the race reads the
// other's entry and redoes its work on it.
func TestAllocateBatchLosesRace(t *testing.T) {
	ctx := context.Background()
	r1, st := stocked(t)
	// r2 reads the store before it matches, so r1 must write between r2's
	// read and its append: a store that lets r1 in on r2's first append.
	hook := &hookStore{MemStore: st}
	r2, err := registry.Open(ctx, hook, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hook.before = func() {
		if _, err := r1.Allocate(ctx, windDemand("OTHER", "100")); err != nil {
			t.Error(err)
		}
	}
	res, err := r2.AllocateBatch(ctx, []offset.Demand{windDemand("X", "100"), windDemand("Y", "100")})
	if err != nil {
		t.Fatal(err)
	}
	if hook.calls != 2 {
		t.Fatalf("%d appends, want 2 (one lost, one stored)", hook.calls)
	}
	if g := res[0].Allocation.Plan.Lines[0].Grams; g != (offset.GramRange{From: 100_000, To: 200_000}) {
		t.Fatalf("X got %v, want the grams after OTHER's: 100000-200000", g)
	}
	if g := res[1].Allocation.Plan.Lines[0].Grams; g != (offset.GramRange{From: 200_000, To: 300_000}) {
		t.Fatalf("Y got %v, want 200000-300000", g)
	}
}

// hookStore runs before once, just before the first Append goes through.
type hookStore struct {
	*registry.MemStore
	before func()
	calls  int
}

func (s *hookStore) Append(ctx context.Context, es []registry.Entry) error {
	s.calls++
	if s.before != nil {
		f := s.before
		s.before = nil
		f()
	}
	return s.MemStore.Append(ctx, es)
}

// A long batch is recorded in runs of 256 entries; when a run fails, the
// runs before it stay recorded and the rest of the batch reports the error.
func TestAllocateBatchRuns(t *testing.T) {
	ctx := context.Background()
	r, cs := countingRegistry(t, 0)
	var ds []offset.Demand
	for i := range 600 {
		ds = append(ds, windDemand(fmt.Sprint("R-", i), "1"))
	}
	res, err := r.AllocateBatch(ctx, ds[:300])
	if err != nil || cs.appends != 2 || cs.entries != 300 {
		t.Fatalf("300 demands: %d appends of %d entries, %v; want 2 appends (256 + 44)", cs.appends, cs.entries, err)
	}
	for i, x := range res {
		if x.Err != nil || x.Allocation.Seq != uint64(2+i) {
			t.Fatalf("demand %d: entry %d, %v", i, x.Allocation.Seq, x.Err)
		}
	}
	disk := errors.New("disk full")
	cs.appends, cs.entries, cs.fail, cs.failOn = 0, 0, disk, 2
	res, err = r.AllocateBatch(ctx, ds[300:])
	if !errors.Is(err, disk) || cs.entries != 256 {
		t.Fatalf("second run failing: %d entries stored, err %v; want 256 and the store's error", cs.entries, err)
	}
	for i, x := range res {
		if recorded := i < 256; recorded != (x.Err == nil) {
			t.Fatalf("demand %d: %v; want the first 256 recorded and the rest failed", 300+i, x.Err)
		}
	}
	reopened, err := registry.Open(ctx, cs, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(reopened.Allocations()); n != 300+256 {
		t.Fatalf("%d allocations recorded, want 556", n)
	}
}

// A price as long as a price may be gives costs longer than a price; the
// journal holding them still opens.
func TestLongPriceReopens(t *testing.T) {
	ctx := context.Background()
	st := registry.NewMemStore()
	r, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lots := offset.SampleLots()
	for i := range lots {
		lots[i].Price = offset.MustPrice("1.234567890123456789012345678901234567890123456", lots[i].Price.Currency)
	}
	if err := r.AddStock(ctx, offset.SampleProjects(), lots); err != nil {
		t.Fatal(err)
	}
	a, err := r.Allocate(ctx, windDemand("PF-1", "100.25"))
	if err != nil {
		t.Fatal(err)
	}
	if c := a.Plan.Lines[0].Cost.String(); len(c) <= 48 {
		t.Fatalf("cost %s: want one longer than a price may be", c)
	}
	if _, err := registry.Open(ctx, st, registry.Options{}); err != nil {
		t.Fatalf("reopening: %v", err)
	}
}
