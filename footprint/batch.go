package footprint

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// BatchResult is the outcome of one product of a batch: its index in the
// input, and either its Footprint or the error that stopped it.
type BatchResult struct {
	Index     int
	Footprint Footprint
	Err       error
}

// CalculateBatch computes the footprints of many products with the factors
// of ds (nil means DefaultDataset()), spreading the work over GOMAXPROCS
// goroutines. Results come back in input order, one per spec; a bad
// product's result carries its error (its Index says which spec) and does
// not stop the others. Each result equals what Calculate returns for the
// same spec. CalculateBatch is safe for concurrent use.
func CalculateBatch(specs []ProductSpec, ds *Dataset) []BatchResult {
	if ds == nil {
		ds = DefaultDataset()
	}
	out := make([]BatchResult, len(specs))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(specs) {
		workers = len(specs)
	}
	if workers <= 1 {
		for i := range specs {
			out[i] = batchOne(i, &specs[i], ds)
		}
		return out
	}
	// Workers claim chunks of consecutive specs from a shared counter, so a
	// slow product does not hold up the rest.
	const chunk = 16
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(specs) {
					return
				}
				end := min(start+chunk, len(specs))
				for i := start; i < end; i++ {
					out[i] = batchOne(i, &specs[i], ds)
				}
			}
		}()
	}
	wg.Wait()
	return out
}

func batchOne(i int, s *ProductSpec, ds *Dataset) BatchResult {
	fp, err := Calculate(*s, ds)
	return BatchResult{Index: i, Footprint: fp, Err: err}
}
