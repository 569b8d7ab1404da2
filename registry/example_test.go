package registry_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// A retailer's book of record: stock the sample lots, allocate credits to a
// laptop sold, retry the same checkout safely, then take the laptop back.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	reg, err := registry.Open(ctx, registry.NewMemStore(), registry.Options{
		Now: func() time.Time { return now },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		fmt.Println(err)
		return
	}
	d := offset.Demand{
		Serial: "PF-3X7Y2Z",
		Amount: kg("236.54"),
		Preferences: offset.Preferences{
			Filter: offset.Filter{Projects: []string{"sample-in-wind"}},
		},
	}
	a, err := reg.Allocate(ctx, d)
	if err != nil {
		fmt.Println(err)
		return
	}
	// 236.54 kg at 9.50 USD/t is 2.24713 USD, charged 2.25 (rounded up).
	fmt.Println("entry", a.Seq, a.Plan)
	again, _ := reg.Allocate(ctx, d) // a retried checkout
	fmt.Println("retry gives entry", again.Seq)

	if _, err := reg.Release(ctx, "PF-3X7Y2Z", "returned"); err != nil {
		fmt.Println(err)
		return
	}
	_, err = reg.Release(ctx, "PF-3X7Y2Z", "returned")
	fmt.Println("second release:", errors.Is(err, registry.ErrNotAllocated))
	fmt.Println("free in IN-WIND-2021:", reg.Inventory().FreeGrams("IN-WIND-2021"), "g")
	seq, _ := reg.Head()
	fmt.Println("journal entries:", seq)
	// Output:
	// entry 2 PF-3X7Y2Z: 236.54 kg CO2e from 1 line, 2.25 USD
	// retry gives entry 2
	// second release: true
	// free in IN-WIND-2021: 20000000 g
	// journal entries: 3
}

// Open replays a store's journal and refuses one that was changed.
func ExampleOpen() {
	ctx := context.Background()
	store := registry.NewMemStore()
	reg, _ := registry.Open(ctx, store, registry.Options{})
	_ = reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots())
	_, _ = reg.Allocate(ctx, offset.Demand{Serial: "PF-1", Amount: kg("10"), Preferences: offset.Preferences{Currency: "USD"}})

	// Another process opens the same store and sees the allocation.
	other, err := registry.Open(ctx, store, registry.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, ok := other.Allocation("PF-1")
	fmt.Println(ok, a.Plan.Amount)

	// A copy of the journal with one body changed is refused.
	es, _ := store.Read(ctx, 1, 10)
	es[1].Body = []byte(strings.Replace(string(es[1].Body), `"10 kg CO2e"`, `"1 kg CO2e"`, 1))
	tampered := registry.NewMemStore()
	for _, e := range es {
		_ = tampered.Append(ctx, []registry.Entry{e})
	}
	_, err = registry.Open(ctx, tampered, registry.Options{})
	fmt.Println(errors.Is(err, registry.ErrJournal))
	// Output:
	// true 10 kg CO2e
	// true
}

// An ERP batch: three laptops in one call, one store append; the demand
// the inventory cannot meet fails alone.
func ExampleRegistry_AllocateBatch() {
	ctx := context.Background()
	reg, _ := registry.Open(ctx, registry.NewMemStore(), registry.Options{})
	_ = reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots())
	wind := offset.Preferences{Filter: offset.Filter{Projects: []string{"sample-in-wind"}}}
	results, err := reg.AllocateBatch(ctx, []offset.Demand{
		{Serial: "PF-1", Amount: kg("236.54"), Preferences: wind},
		{Serial: "PF-2", Amount: kg("99999"), Preferences: wind},
		{Serial: "PF-3", Amount: kg("236.54"), Preferences: wind},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		if r.Err != nil {
			fmt.Println("unmet:", errors.Is(r.Err, offset.ErrUnmet))
			continue
		}
		fmt.Println("entry", r.Allocation.Seq, r.Allocation.Plan.Lines[0].Serials[0])
	}
	// Output:
	// entry 2 200001 g[0,236540)
	// unmet: true
	// entry 3 200001 g[236540,473080)
}
