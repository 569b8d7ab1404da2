package registry_test

import (
	"context"
	"errors"
	"testing"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// Two instances sharing one store both stock it with the same sample
// stock as they start: the second finds it held and succeeds, writing
// nothing (it failed with "duplicate project ID"). Stock that differs
// from what is held, or only partly held, is still refused.
func TestAddStockAgain(t *testing.T) {
	ctx := context.Background()
	st := registry.NewMemStore()
	a, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Allocate(ctx, windDemand("PF-1", "10")); err != nil {
		t.Fatal(err)
	}
	if err := b.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Errorf("the same stock again: %v", err)
	}
	if seq, _ := b.Head(); seq != 2 {
		t.Errorf("journal at entry %d, want 2 (nothing written)", seq)
	}
	if _, ok := b.Allocation("PF-1"); !ok {
		t.Error("the second registry does not see the allocation")
	}
	changed := offset.SampleLots()
	changed[0].Price.Amount = changed[0].Price.Amount.Add(changed[0].Price.Amount)
	partly := append(offset.SampleLots(), offset.Lot{})
	for name, lots := range map[string][]offset.Lot{"a price changed": changed, "one lot more": partly} {
		if err := b.AddStock(ctx, nil, lots); err == nil || errors.Is(err, registry.ErrJournal) {
			t.Errorf("%s: %v, want a refusal", name, err)
		}
	}
	if err := b.AddStock(ctx, nil, nil); err != nil {
		t.Errorf("empty stock: %v", err)
	}
}
