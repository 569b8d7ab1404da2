package footprint_test

import (
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// The benchmarks that are run with -cpu 1,2 loop over b.N rather than use
// b.Loop: a b.Loop benchmark does all its iterations in the testing
// package's first probe run, which happens before -cpu sets GOMAXPROCS, so
// the first -cpu value of each benchmark would be measured with the
// previous setting.

// BenchmarkFootprintReferenceLaptop computes the reference laptop's
// footprint with the default dataset (bill of materials of nine components
// and two packaging materials, three legs by distance, a five-year
// declining-grid use phase, end of life). Targets: at most 0.25 ×
// BenchmarkEd25519Sign1KiB of the same run, at most 150 allocations.
func BenchmarkFootprintReferenceLaptop(b *testing.B) {
	spec := footprint.ReferenceLaptop()
	benchCalculate(b, spec)
}

// BenchmarkCalculateBatch computes 1024 reference laptops (with different
// serial numbers) per op. Run with -cpu 1,2: the 2-CPU figure should be at
// least 1.7 times the 1-CPU throughput (compare with
// BenchmarkEd25519Sign1KiBParallel, which shows what the machine gives).
func BenchmarkCalculateBatch(b *testing.B) {
	specs := make([]footprint.ProductSpec, 1024)
	for i := range specs {
		specs[i] = footprint.ReferenceLaptop()
		specs[i].Serial = "PF-" + string(rune('A'+i%26)) + string(rune('A'+i/26%26))
	}
	ds := footprint.DefaultDataset()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := footprint.CalculateBatch(specs, ds)
		if res[0].Err != nil {
			b.Fatal(res[0].Err)
		}
	}
	b.ReportMetric(float64(len(specs)*b.N)/b.Elapsed().Seconds(), "footprints/s")
}

// BenchmarkFootprintFromPlaces is BenchmarkFootprintReferenceLaptop with
// the three legs given by known places instead of distances (Yantian →
// HKG by road, HKG → BOM by air, BOM → BLR by road), so each leg adds a
// table lookup, a great-circle distance and the mode's adjustment.
func BenchmarkFootprintFromPlaces(b *testing.B) {
	spec := footprint.ReferenceLaptop()
	ends := [3][2]string{{"CNYTN", "HKG"}, {"HKG", "BOM"}, {"BOM", "BLR"}}
	for i := range spec.Shipping.Legs {
		l := &spec.Shipping.Legs[i]
		l.Distance = footprint.Distance{}
		l.FromPlace, l.ToPlace = ends[i][0], ends[i][1]
	}
	benchCalculate(b, spec)
}

// benchCalculate measures Calculate of spec with the default dataset.
func benchCalculate(b *testing.B, spec footprint.ProductSpec) {
	ds := footprint.DefaultDataset()
	if _, err := footprint.Calculate(spec, ds); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := footprint.Calculate(spec, ds); err != nil {
			b.Fatal(err)
		}
	}
}
