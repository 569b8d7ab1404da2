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
	// slow product does not hold up the rest. Chunks shrink as the work runs
	// out (a quarter of each worker's share of what is left, at most 16), so
	// that the workers finish together. Each worker writes only its own
	// results; nothing else is shared but the read-only dataset.
	n := int64(len(specs))
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for {
				chunk := min(16, max(1, (n-next.Load())/int64(4*workers)))
				start := next.Add(chunk) - chunk
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					out[i] = batchOne(int(i), &specs[i], ds)
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
