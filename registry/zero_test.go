package registry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// A Registry not made by Open (zero, or nil) answers every operation with
// an error saying to use Open, and its reads with nothing; before, each
// panicked on a nil pointer.
func TestRegistryNotOpened(t *testing.T) {
	ctx := context.Background()
	for name, r := range map[string]*registry.Registry{"zero": {}, "nil": nil} {
		errs := map[string]error{}
		errs["Sync"] = r.Sync(ctx)
		errs["AddStock"] = r.AddStock(ctx, offset.SampleProjects(), offset.SampleLots())
		_, errs["Allocate"] = r.Allocate(ctx, windDemand("PF-1", "10"))
		res, err := r.AllocateBatch(ctx, []offset.Demand{windDemand("PF-1", "10"), windDemand("PF-2", "10")})
		errs["AllocateBatch"] = err
		if len(res) != 2 || res[0].Err == nil || res[1].Err == nil {
			t.Errorf("%s Registry: AllocateBatch results %+v, want one per demand, each with the error", name, res)
		}
		_, errs["Release"] = r.Release(ctx, "PF-1", "returned")
		for op, err := range errs {
			if err == nil || !strings.Contains(err.Error(), "Open") {
				t.Errorf("%s Registry: %s: %v, want an error saying to use Open", name, op, err)
			}
		}
		if _, ok := r.Allocation("PF-1"); ok {
			t.Errorf("%s Registry: Allocation found one", name)
		}
		if n := len(r.Allocations()); n != 0 {
			t.Errorf("%s Registry: %d allocations", name, n)
		}
		if n := len(r.Inventory().Lots()); n != 0 {
			t.Errorf("%s Registry: %d lots", name, n)
		}
		if seq, h := r.Head(); seq != 0 || h != registry.GenesisHash {
			t.Errorf("%s Registry: head %d %s", name, seq, h)
		}
	}
}
