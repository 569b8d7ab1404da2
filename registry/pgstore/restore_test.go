package pgstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/lifecarbon/lifecarbon/registry/pgstore"
)

// Append is a compare-and-set on the chain: a run whose first entry's
// prev is not the hash of the row before it is refused with ErrSeqTaken,
// and none of it is inserted.
func TestAppendRefusesWrongPrev(t *testing.T) {
	ctx := context.Background()
	s, _ := store(t, pool(t))
	if err := s.Append(ctx, []registry.Entry{entry(1, strings.Repeat("1", 64), `{}`)}); !errors.Is(err, registry.ErrSeqTaken) {
		t.Fatalf("entry 1 whose prev is not the genesis hash: err = %v, want ErrSeqTaken", err)
	}
	e1 := entry(1, registry.GenesisHash, `{"allocation":1}`)
	if err := s.Append(ctx, []registry.Entry{e1}); err != nil {
		t.Fatal(err)
	}
	bad := entry(2, registry.GenesisHash, `{"allocation":2}`)
	if err := s.Append(ctx, []registry.Entry{bad}); !errors.Is(err, registry.ErrSeqTaken) {
		t.Fatalf("entry 2 whose prev is not entry 1's hash: err = %v, want ErrSeqTaken", err)
	}
	// A run (the rows after the first go in by COPY): refused whole.
	if err := s.Append(ctx, []registry.Entry{bad, entry(3, bad.Hash, `{}`)}); !errors.Is(err, registry.ErrSeqTaken) {
		t.Fatalf("a run whose first prev is not entry 1's hash: err = %v, want ErrSeqTaken", err)
	}
	if got, err := s.Read(ctx, 1, 10); err != nil || len(got) != 1 {
		t.Fatalf("after refused appends the table holds %d rows (%v), want 1", len(got), err)
	}
	e2 := entry(2, e1.Hash, `{"allocation":2}`)
	if err := s.Append(ctx, []registry.Entry{e2, entry(3, e2.Hash, `{}`)}); err != nil {
		t.Fatalf("the run that chains on: %v", err)
	}
}

// hookStore runs before once, just before the next Append goes through.
type hookStore struct {
	*pgstore.Store
	before func()
}

func (s *hookStore) Append(ctx context.Context, es []registry.Entry) error {
	if f := s.before; f != nil {
		s.before = nil
		f()
	}
	return s.Store.Append(ctx, es)
}

// Registries A and B share a table; A stocks it and allocates X1. The
// table is restored from a backup taken after the stock (X1 lost), and B
// allocates Y1 as entry 2, between A's read of the table and its append
// of X3: the table refuses A's entry (its prev is the hash of the lost
// X1), and A, reading the table again, fails with ErrJournal instead of
// writing X3 on grams Y1 holds. The journal still opens.
func TestRestoredTableStopsStaleRegistry(t *testing.T) {
	ctx := context.Background()
	p := pool(t)
	s, name := store(t, p)
	hs := &hookStore{Store: s}
	a, err := registry.Open(ctx, hs, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	b, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Allocate(ctx, windDemand("X1", "1")); err != nil {
		t.Fatal(err)
	}
	hs.before = func() {
		if _, err := p.Exec(ctx, "DELETE FROM "+name+" WHERE seq > 1"); err != nil {
			t.Error(err)
		}
		if _, err := b.Allocate(ctx, windDemand("Y1", "5")); err != nil {
			t.Error(err)
		}
	}
	_, err = a.Allocate(ctx, windDemand("X3", "1"))
	if !errors.Is(err, registry.ErrJournal) || !strings.Contains(err.Error(), "no longer matches this registry's") {
		t.Fatalf("A's Allocate after the restore: err = %v, want ErrJournal saying the table's journal no longer matches", err)
	}
	if err := a.AddStock(ctx, nil, nil); !errors.Is(err, registry.ErrJournal) {
		t.Fatalf("A's AddStock after the restore: err = %v, want ErrJournal", err)
	}
	r, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatalf("the journal no longer opens: %v", err)
	}
	if q, _ := r.Head(); q != 2 {
		t.Fatalf("the journal ends at %d, want 2 (the stock, Y1)", q)
	}
	if _, ok := r.Allocation("X3"); ok {
		t.Fatal("X3 was stored")
	}
	if _, ok := r.Allocation("Y1"); !ok {
		t.Fatal("Y1 was not stored")
	}
}
