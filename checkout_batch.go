package lifecarbon

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// BatchReceipt is one sale's outcome in CheckoutBatch: its Receipt when Err
// is nil, or the error that stopped the sale. Receipt.Inventory is always
// empty (the registry holds the inventory). It is a plain value, safe for
// concurrent reads.
type BatchReceipt struct {
	Receipt
	// Err says why the sale got no certificate; it reads like
	// CheckoutRecorded's errors ("footprint: ...", "registry: ...",
	// "certificate: ...").
	Err error
}

// CheckoutBatch runs CheckoutRecorded's flow for many sales at once, as an
// ERP plugin or a nightly job wants it: the footprints are computed on all
// cores, the allocations are recorded with reg.AllocateBatch (one store
// append per run of up to 256 sales, not one per sale) and the
// certificates are issued on all cores. The receipts are in input order,
// one per sale, and each is what CheckoutRecorded would return for its sale
// run after the ones before it: the same plan and, for an Ed25519 key, the
// same certificate byte for byte.
//
// A sale that fails (bad product, bad certificate options, unmet demand, a
// serial that holds an allocation for another sale, another beneficiary
// included: registry.ErrAllocated) has its error in its receipt and takes
// nothing; the others go on. (The exceptions are a signer that fails to
// sign, and a plan whose certificate would be larger than
// certificate.MaxSize: the allocation is then
// recorded, as with CheckoutRecorded; the same batch again issues the
// certificate in the first case, and in the second the receipt's Err wraps
// certificate.ErrTooLarge and the serial is the caller's to release.) A
// serial given twice with the same sale gets the same allocation both
// times, as a retry would; given again for another beneficiary, the later
// sale fails with registry.ErrAllocated.
//
// The error is for the batch as a whole (and the receipts are then nil
// unless the store failed): a nil reg, a key (with rand)
// certificate.CheckSigner refuses, a done ctx, or a run of allocations the
// store could not record (registry.ErrBusy, a store error). In the last
// case the runs before it are recorded and have their certificates, and
// every sale still to be allocated has the error in its receipt (a sale
// refused before allocation keeps its own error). Calling CheckoutBatch
// again with the same sales is safe: those recorded get their allocations
// back, the rest are allocated.
//
// Footprints and signatures are computed on several goroutines; a panic
// in one (from the caller's crypto.Signer, say) is raised again in the
// caller's goroutine once they have all stopped, and a runtime.Goexit in
// one ends the caller's goroutine, as if the calls had been made in it.
// rand (for ECDSA keys; Ed25519 ignores it) is read under a lock, so any
// io.Reader will do. ctx bounds the store calls. CheckoutBatch is safe for
// concurrent use, also with CheckoutRecorded on the same registry.
func CheckoutBatch(ctx context.Context, reg *registry.Registry, sales []Sale, key crypto.Signer, rand io.Reader) ([]BatchReceipt, error) {
	if reg == nil {
		return nil, errors.New("registry: CheckoutBatch: nil Registry")
	}
	if err := certificate.CheckSigner(key, rand); err != nil {
		return nil, stepErr("certificate", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	out := make([]BatchReceipt, len(sales))
	demands := make([]offset.Demand, len(sales))
	parallel(len(sales), func(i int) {
		out[i].Footprint, demands[i], out[i].Err = saleDemand(sales[i])
	})

	// Allocate the sales whose footprint was computed, in input order.
	ok := make([]int, 0, len(sales))
	for i := range out {
		if out[i].Err == nil {
			ok = append(ok, i)
		}
	}
	want := make([]offset.Demand, len(ok))
	for j, i := range ok {
		want[j] = demands[i]
	}
	res, err := reg.AllocateBatch(ctx, want)
	beneficiary := make([]string, len(sales)) // as recorded
	for j, i := range ok {
		if res[j].Err != nil {
			out[i].Err = res[j].Err
			continue
		}
		out[i].Plan, out[i].Seq = res[j].Allocation.Plan, res[j].Allocation.Seq
		beneficiary[i] = res[j].Allocation.Demand.Beneficiary
	}

	if rand != nil {
		rand = &lockedReader{r: rand}
	}
	parallel(len(ok), func(j int) {
		i := ok[j]
		if out[i].Err != nil {
			return
		}
		out[i].Certificate, out[i].Err = issue(out[i].Footprint, out[i].Plan, beneficiary[i], sales[i], key, rand)
	})
	return out, err
}

// parallel calls f(0) … f(n-1) on up to GOMAXPROCS goroutines, each index
// once, and returns when all have returned. If f panics, or ends its
// goroutine (runtime.Goexit), on one of them, the others finish and the
// same happens here, in the caller's goroutine, as if the calls had been
// made in it: the panic is raised again (the first, if several), or the
// caller's goroutine exits.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var stopped bool // a worker did not return normally
	var panicked any // what it panicked with (nil for runtime.Goexit)
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			normal := false
			defer func() {
				if !normal {
					p := recover()
					once.Do(func() { stopped, panicked = true, p })
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					break
				}
				f(i)
			}
			normal = true
		}()
	}
	wg.Wait()
	if stopped {
		if panicked != nil {
			panic(panicked)
		}
		runtime.Goexit()
	}
}

// lockedReader lets several signing goroutines share the caller's reader.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

// Read reads from the caller's reader under the lock.
func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
