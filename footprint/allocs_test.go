//go:build !race

package footprint

import "testing"

// TestReferenceLaptopAllocations holds Calculate to its five allocations
// for the reference laptop (the lines, the coefficients of the result's
// exact decimals and their words, the stages, the digest string; see
// BENCHMARKS.md). An allocation in a per-field check or in the canonical
// writer shows here at once, where a benchmark would need reading. (Not
// under the race detector, whose sync.Pool drops items at random.)
func TestReferenceLaptopAllocations(t *testing.T) {
	spec := ReferenceLaptop()
	ds := DefaultDataset()
	if n := testing.AllocsPerRun(50, func() {
		if _, err := Calculate(spec, ds); err != nil {
			t.Fatal(err)
		}
	}); n > 5 {
		t.Errorf("Calculate of the reference laptop: %v allocations, want at most 5", n)
	}
}
