package footprint_test

import (
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// BenchmarkFootprintReferenceLaptop computes the reference laptop's
// footprint with the default dataset (bill of materials, three legs from
// coordinates and a distance, a five-year declining-grid use phase, end of
// life). Targets: at most 0.25 × BenchmarkEd25519Sign1KiB of the same run,
// at most 150 allocations.
func BenchmarkFootprintReferenceLaptop(b *testing.B) {
	spec := footprint.ReferenceLaptop()
	ds := footprint.DefaultDataset()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := footprint.Calculate(spec, ds); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCalculateBatch computes 1024 reference laptops (with different
// serial numbers) per op. Run with -cpu 1,2: the 2-CPU figure should be at
// least 1.7 times the 1-CPU throughput.
func BenchmarkCalculateBatch(b *testing.B) {
	specs := make([]footprint.ProductSpec, 1024)
	for i := range specs {
		specs[i] = footprint.ReferenceLaptop()
		specs[i].Serial = "PF-" + string(rune('A'+i%26)) + string(rune('A'+i/26%26))
	}
	ds := footprint.DefaultDataset()
	b.ReportAllocs()
	for b.Loop() {
		res := footprint.CalculateBatch(specs, ds)
		if res[0].Err != nil {
			b.Fatal(res[0].Err)
		}
	}
	b.ReportMetric(float64(len(specs)*b.N)/b.Elapsed().Seconds(), "footprints/s")
}
