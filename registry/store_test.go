package registry_test

import (
	"context"
	"errors"
	"testing"

	"github.com/lifecarbon/lifecarbon/registry"
)

// MemStore.Append is a compare-and-set on the chain: a run whose first
// entry's prev is not the hash of the entry before it is refused with
// ErrSeqTaken, and nothing of it is stored.
func TestMemStoreRefusesWrongPrev(t *testing.T) {
	ctx := context.Background()
	es := journal(t)[:3]
	st := registry.NewMemStore()
	e1 := es[0]
	e1.Prev = es[1].Hash
	e1.Hash = e1.ComputeHash()
	if err := st.Append(ctx, []registry.Entry{e1}); !errors.Is(err, registry.ErrSeqTaken) {
		t.Fatalf("entry 1 whose prev is not the genesis hash: err = %v, want ErrSeqTaken", err)
	}
	if err := st.Append(ctx, es[:1]); err != nil {
		t.Fatal(err)
	}
	e2 := es[1]
	e2.Prev = registry.GenesisHash
	e2.Hash = e2.ComputeHash()
	if err := st.Append(ctx, []registry.Entry{e2, es[2]}); !errors.Is(err, registry.ErrSeqTaken) {
		t.Fatalf("entry 2 whose prev is not entry 1's hash: err = %v, want ErrSeqTaken", err)
	}
	if st.Len() != 1 {
		t.Fatalf("the store holds %d entries after a refused run, want 1", st.Len())
	}
	if err := st.Append(ctx, es[1:3]); err != nil {
		t.Fatalf("the run that chains on: %v", err)
	}
}
