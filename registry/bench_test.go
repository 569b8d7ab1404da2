package registry_test

import (
	"context"
	"crypto/ed25519"
	"strconv"
	"testing"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// BenchmarkAllocate records one 236.54 kg allocation per op in a MemStore
// (match, JSON body, entry hash, append), from a registry holding the
// sample lots plus one large lot. BenchmarkEd25519Sign1KiB, in the same
// run, is the yardstick the other packages use.
func BenchmarkAllocate(b *testing.B) {
	ctx := context.Background()
	r, err := registry.Open(ctx, registry.NewMemStore(), registry.Options{})
	if err != nil {
		b.Fatal(err)
	}
	lots := offset.SampleLots()
	big := offset.Lot{ID: "BIG", Project: lots[0].Project, Vintage: 2022, Block: offset.RangeBlock(900_000_001, 901_000_000),
		Tonnes: 1_000_000, Status: offset.Retired, Price: offset.MustPrice("1.00", "USD")}
	if err := r.AddStock(ctx, offset.SampleProjects(), append(lots, big)); err != nil {
		b.Fatal(err)
	}
	d := offset.Demand{Amount: kg("236.54"), Preferences: offset.Preferences{Currency: "USD"}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Serial = "PF-" + strconv.Itoa(i)
		if _, err := r.Allocate(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEd25519Sign1KiB(b *testing.B) {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	msg := make([]byte, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ed25519.Sign(key, msg)
	}
}

// BenchmarkOpen10k replays a journal of one stock entry and 10,000
// allocations (verifying every hash and applying every plan); ns/entry is
// the cost per entry.
func BenchmarkOpen10k(b *testing.B) {
	ctx := context.Background()
	st := registry.NewMemStore()
	r, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := r.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		b.Fatal(err)
	}
	d := offset.Demand{Amount: kg("1.5"), Preferences: offset.Preferences{Currency: "USD"}}
	for i := range 10_000 {
		d.Serial = "PF-" + strconv.Itoa(i)
		if _, err := r.Allocate(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := registry.Open(ctx, st, registry.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10_001, "ns/entry")
}
