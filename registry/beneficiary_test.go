package registry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// TestAllocateBeneficiary: the beneficiary is part of the demand a serial's
// allocation is recorded for. The same demand again gets the same
// allocation; the same serial for another beneficiary (or none) is another
// demand and fails with ErrAllocated, so two parties never hold the same
// credits, also after the journal is replayed.
func TestAllocateBeneficiary(t *testing.T) {
	ctx := context.Background()
	r, st := stocked(t)
	forA := windDemand("PF-1", "100")
	forA.Beneficiary = "Customer A Ltd"
	forB := forA
	forB.Beneficiary = "Customer B GmbH"
	none := forA
	none.Beneficiary = ""

	a, err := r.Allocate(ctx, forA)
	if err != nil {
		t.Fatal(err)
	}
	if a.Demand.Beneficiary != "Customer A Ltd" {
		t.Errorf("allocation's demand names %q", a.Demand.Beneficiary)
	}
	check := func(r *registry.Registry, when string) {
		t.Helper()
		again, err := r.Allocate(ctx, forA)
		if err != nil || again.Seq != a.Seq || jsonOf(t, again.Plan) != jsonOf(t, a.Plan) {
			t.Errorf("%s: the same beneficiary again: seq %d, %v; want seq %d and the same plan", when, again.Seq, err, a.Seq)
		}
		for _, d := range []struct {
			name string
			b    string
		}{{"another beneficiary", forB.Beneficiary}, {"no beneficiary", ""}} {
			other := forA
			other.Beneficiary = d.b
			if _, err := r.Allocate(ctx, other); !errors.Is(err, registry.ErrAllocated) {
				t.Errorf("%s: %s for the same serial: %v, want ErrAllocated", when, d.name, err)
			}
		}
		held, ok := r.Allocation("PF-1")
		if !ok || held.Seq != a.Seq || held.Demand.Beneficiary != "Customer A Ltd" {
			t.Errorf("%s: Allocation = seq %d, beneficiary %q, %v", when, held.Seq, held.Demand.Beneficiary, ok)
		}
	}
	check(r, "live")

	// The journal records it, and a registry replaying the journal
	// decides alike.
	es, err := st.Read(ctx, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	last := es[len(es)-1]
	if last.Kind != registry.KindAllocate || !bytes.Contains(last.Body, []byte(`"beneficiary":"Customer A Ltd"`)) {
		t.Fatalf("journal entry %d does not name the beneficiary: %s", last.Seq, last.Body)
	}
	if len(es) != 2 {
		t.Fatalf("%d entries, want the stock and one allocation", len(es))
	}
	r2, err := registry.Open(ctx, st, registry.Options{Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	check(r2, "replayed")
	if !sameAllocate(t, last.Body) {
		t.Errorf("the fast path does not read the body the registry wrote: %s", last.Body)
	}

	// After a release the serial may be sold to another beneficiary.
	if _, err := r2.Release(ctx, "PF-1", "returned"); err != nil {
		t.Fatal(err)
	}
	b, err := r2.Allocate(ctx, forB)
	if err != nil || b.Seq == a.Seq || b.Demand.Beneficiary != forB.Beneficiary {
		t.Errorf("sold again to B: seq %d, beneficiary %q, %v", b.Seq, b.Demand.Beneficiary, err)
	}
}

// TestAllocateBatchBeneficiary: in a batch too, a serial given again for
// another beneficiary fails with ErrAllocated and for the same one gets
// the same allocation.
func TestAllocateBatchBeneficiary(t *testing.T) {
	r, _ := stocked(t)
	forA := windDemand("PF-1", "100")
	forA.Beneficiary = "Customer A Ltd"
	forB := forA
	forB.Beneficiary = "Customer B GmbH"
	res, err := r.AllocateBatch(context.Background(), []offset.Demand{forA, forB, forA, windDemand("PF-1", "100")})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if !errors.Is(res[1].Err, registry.ErrAllocated) || !errors.Is(res[3].Err, registry.ErrAllocated) {
		t.Errorf("another beneficiary, or none, for PF-1: %v, %v; want ErrAllocated", res[1].Err, res[3].Err)
	}
	if res[2].Err != nil || res[2].Allocation.Seq != res[0].Allocation.Seq || jsonOf(t, res[2].Allocation.Plan) != jsonOf(t, res[0].Allocation.Plan) {
		t.Errorf("the same demand again: seq %d, %v; want seq %d", res[2].Allocation.Seq, res[2].Err, res[0].Allocation.Seq)
	}
}

// TestJournalBeforeBeneficiary: a journal written before demands named a
// beneficiary (testdata/journal-before-beneficiary.json, written by the
// registry of commit 7f8ff98: a stock, three allocations, a release)
// replays; its demands name no beneficiary and are written as they were
// stored, so a retry of such a demand (naming no beneficiary) still gets
// its allocation, and the same serial for a beneficiary is another demand
// (so a checkout retried with the sale's beneficiary after the upgrade
// fails with ErrAllocated: see the package documentation).
func TestJournalBeforeBeneficiary(t *testing.T) {
	ctx := context.Background()
	b, err := os.ReadFile("testdata/journal-before-beneficiary.json")
	if err != nil {
		t.Fatal(err)
	}
	var es []registry.Entry
	if err := json.Unmarshal(b, &es); err != nil {
		t.Fatal(err)
	}
	if _, err := registry.Verify(es, registry.GenesisHash); err != nil {
		t.Fatal(err)
	}
	r, err := registry.Open(ctx, storeOf(t, es), registry.Options{Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if seq, head := r.Head(); seq != 5 || head != es[4].Hash {
		t.Fatalf("head %d %s", seq, head)
	}
	for _, e := range es[1:4] {
		if !sameAllocate(t, e.Body) {
			t.Errorf("entry %d does not take the fast path: %s", e.Seq, e.Body)
		}
		var body struct{ Demand json.RawMessage }
		if err := json.Unmarshal(e.Body, &body); err != nil {
			t.Fatal(err)
		}
		d, _, _, err := registry.StrictAllocate(e.Body)
		if err != nil {
			t.Fatal(err)
		}
		if out, _ := json.Marshal(d); d.Beneficiary != "" || string(out) != string(body.Demand) {
			t.Errorf("entry %d: demand %s written again as %s (beneficiary %q)", e.Seq, body.Demand, out, d.Beneficiary)
		}
	}
	a, err := r.Allocate(ctx, windDemand("PF-1", "100"))
	if err != nil || a.Seq != 2 {
		t.Errorf("retry of PF-1: seq %d, %v; want entry 2", a.Seq, err)
	}
	forA := windDemand("PF-3", "100")
	forA.Beneficiary = "Customer A Ltd"
	if _, err := r.Allocate(ctx, forA); !errors.Is(err, registry.ErrAllocated) {
		t.Errorf("PF-3 for a beneficiary: %v, want ErrAllocated", err)
	}
	if n, _ := r.Head(); n != 5 {
		t.Errorf("%d entries after retries, want 5", n)
	}
}

// jsonOf returns v's JSON (plans compare by it: a replayed plan's
// decimals are the same numbers, not the same Go values).
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
