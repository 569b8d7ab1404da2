package registry

import "github.com/lifecarbon/lifecarbon/offset"

// For the tests in package registry_test: an allocate body read by the
// fast path alone, and by the strict path alone.
var (
	FastAllocate   = fastAllocate
	StrictAllocate = func(body []byte) (offset.Demand, offset.Plan, []byte, error) { return strictAllocate(1, body) }
)

// Waiting returns how many Allocate calls are queued for r's next turn.
func Waiting(r *Registry) int {
	r.qmu.Lock()
	defer r.qmu.Unlock()
	return len(r.waiting)
}
