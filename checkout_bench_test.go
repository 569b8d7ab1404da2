package lifecarbon_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// benchSales returns 512 reference laptops, each covered exactly from any
// lot (about 133 t of the sample's 200 t).
func benchSales() []lifecarbon.Sale {
	sales := make([]lifecarbon.Sale, 512)
	for i := range sales {
		sales[i] = sale(fmt.Sprintf("SN-%04d", i))
		sales[i].Preferences = offset.Preferences{Currency: "USD"}
	}
	return sales
}

// freshRegistry opens a registry on a new MemStore holding the sample stock.
func freshRegistry(b *testing.B) *registry.Registry {
	ctx := context.Background()
	reg, err := registry.Open(ctx, registry.NewMemStore(), registry.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		b.Fatal(err)
	}
	return reg
}

// BenchmarkCheckoutRecorded512 is the baseline for BenchmarkCheckoutBatch512:
// the same 512 sales, one CheckoutRecorded after another, on a MemStore.
func BenchmarkCheckoutRecorded512(b *testing.B) {
	sales := benchSales()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		reg := freshRegistry(b)
		b.StartTimer()
		for _, s := range sales {
			if _, err := lifecarbon.CheckoutRecorded(context.Background(), reg, s, testKey, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(sales)*b.N)/b.Elapsed().Seconds(), "sales/s")
}

// BenchmarkCheckoutBatch512 checks out the same 512 sales in one
// CheckoutBatch call (footprints and signatures on all cores, two store
// appends).
func BenchmarkCheckoutBatch512(b *testing.B) {
	sales := benchSales()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		reg := freshRegistry(b)
		b.StartTimer()
		rs, err := lifecarbon.CheckoutBatch(context.Background(), reg, sales, testKey, nil)
		if err != nil || rs[len(rs)-1].Err != nil {
			b.Fatal(err, rs[len(rs)-1].Err)
		}
	}
	b.ReportMetric(float64(len(sales)*b.N)/b.Elapsed().Seconds(), "sales/s")
}
