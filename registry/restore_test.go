package registry_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// backupStore is a MemStore that can be restored from a backup: restore
// keeps only its first entries, as a database restored from an old backup
// does. before, if set, runs once just before the next Append goes through.
type backupStore struct {
	mu     sync.Mutex
	st     *registry.MemStore
	before func()
}

func newBackupStore() *backupStore { return &backupStore{st: registry.NewMemStore()} }

func (s *backupStore) cur() *registry.MemStore {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

func (s *backupStore) Append(ctx context.Context, es []registry.Entry) error {
	s.mu.Lock()
	f := s.before
	s.before = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	return s.cur().Append(ctx, es)
}

func (s *backupStore) Read(ctx context.Context, from uint64, max int) ([]registry.Entry, error) {
	return s.cur().Read(ctx, from, max)
}

// restore keeps the first n entries and loses the rest.
func (s *backupStore) restore(t *testing.T, n int) {
	t.Helper()
	ctx := context.Background()
	es, err := s.cur().Read(ctx, 1, n)
	if err != nil || len(es) != n {
		t.Fatalf("backup of %d entries: read %d, %v", n, len(es), err)
	}
	st := registry.NewMemStore()
	if err := st.Append(ctx, es); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
}

// checkNoGramTwice fails if two allocate entries of the store hold
// overlapping grams of one lot, and if the journal does not open.
func checkNoGramTwice(t *testing.T, st registry.Store) {
	t.Helper()
	ctx := context.Background()
	es, err := st.Read(ctx, 1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	type held struct {
		seq uint64
		g   offset.GramRange
	}
	byLot := map[string][]held{}
	for _, e := range es {
		if e.Kind != registry.KindAllocate {
			continue
		}
		var b struct {
			Plan offset.Plan `json:"plan"`
		}
		if err := json.Unmarshal(e.Body, &b); err != nil {
			t.Fatal(err)
		}
		for _, ln := range b.Plan.Lines {
			for _, h := range byLot[ln.Lot] {
				if ln.Grams.From < h.g.To && h.g.From < ln.Grams.To {
					t.Fatalf("entries %d and %d hold overlapping grams of lot %s: %+v and %+v", h.seq, e.Seq, ln.Lot, h.g, ln.Grams)
				}
			}
			byLot[ln.Lot] = append(byLot[ln.Lot], held{e.Seq, ln.Grams})
		}
	}
	if _, err := registry.Open(ctx, st, registry.Options{}); err != nil {
		t.Fatalf("the journal no longer opens: %v", err)
	}
}

// checkDiverged fails unless err is the ErrJournal of a registry whose
// store's journal no longer matches its own.
func checkDiverged(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, registry.ErrJournal) || !strings.Contains(err.Error(), "no longer matches this registry's") {
		t.Fatalf("%s: err = %v, want ErrJournal saying the store's journal no longer matches", what, err)
	}
}

// restoredAndRewritten sets up the scenario: registries A and B share a
// store; A stocks it (entry 1) and allocates X1, 1 kg (entry 2). It returns A,
// B (opened after entry 1) and the store.
func restoredAndRewritten(t *testing.T) (a, b *registry.Registry, st *backupStore) {
	t.Helper()
	ctx := context.Background()
	st = newBackupStore()
	a = stockedOn(t, st)
	b, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Allocate(ctx, windDemand("X1", "1")); err != nil {
		t.Fatal(err)
	}
	return a, b, st
}

// The store is restored from a backup taken after entry 1 (A's X1, entry
// 2, is lost) and B writes its own entry 2: A, which never read it, must
// not write on, or Y1 and X3 would hold the same grams.
func TestRestoredStoreStopsStaleRegistry(t *testing.T) {
	ctx := context.Background()
	a, b, st := restoredAndRewritten(t)
	st.restore(t, 1)
	if _, err := b.Allocate(ctx, windDemand("Y1", "5")); err != nil {
		t.Fatal(err)
	}
	_, err := a.Allocate(ctx, windDemand("X3", "1"))
	checkDiverged(t, "A's Allocate after the restore", err)
	_, err = a.AllocateBatch(ctx, []offset.Demand{windDemand("X4", "1")})
	checkDiverged(t, "A's AllocateBatch after the restore", err)
	err = a.AddStock(ctx, nil, nil)
	checkDiverged(t, "A's AddStock after the restore", err)
	_, err = a.Release(ctx, "X1", "returned")
	checkDiverged(t, "A's Release after the restore", err)
	checkDiverged(t, "A's Sync after the restore", a.Sync(ctx))
	if n := st.cur().Len(); n != 2 {
		t.Fatalf("the store holds %d entries, want 2 (stock, Y1)", n)
	}
	checkNoGramTwice(t, st)
}

// restoreBeforeAppend makes st, just before the next append, restore
// itself to its first entry and have b allocate Y1 (5 kg) on it.
func restoreBeforeAppend(t *testing.T, st *backupStore, b *registry.Registry) {
	t.Helper()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.before = func() {
		st.restore(t, 1)
		if _, err := b.Allocate(context.Background(), windDemand("Y1", "5")); err != nil {
			t.Error(err)
		}
	}
}

// The same, with the store restored and B's entry written between A's
// read of the store and its append: the store refuses A's entry, whose
// prev is the hash of the lost X1 (ErrSeqTaken), and A, reading the store
// again, finds it diverged instead of trying again and again.
func TestRestoredStoreBetweenReadAndAppend(t *testing.T) {
	ctx := context.Background()
	a, b, st := restoredAndRewritten(t)
	restoreBeforeAppend(t, st, b)
	_, err := a.Allocate(ctx, windDemand("X3", "1"))
	checkDiverged(t, "A's Allocate", err)
	if n := st.cur().Len(); n != 2 {
		t.Fatalf("the store holds %d entries, want 2 (stock, Y1)", n)
	}
	checkNoGramTwice(t, st)

	// AddStock, which does not read the store first, is refused too.
	a, b, st = restoredAndRewritten(t)
	restoreBeforeAppend(t, st, b)
	checkDiverged(t, "A's AddStock", a.AddStock(ctx, nil, nil))
	if n := st.cur().Len(); n != 2 {
		t.Fatalf("the store holds %d entries, want 2 (stock, Y1)", n)
	}
	checkNoGramTwice(t, st)
}

// A store restored to before the registry's last entry, with nothing
// written since, is shorter than the journal the registry holds: the
// registry writes nothing more either.
func TestRestoredStoreShorter(t *testing.T) {
	ctx := context.Background()
	a, _, st := restoredAndRewritten(t)
	st.restore(t, 1)
	_, err := a.Allocate(ctx, windDemand("X3", "1"))
	checkDiverged(t, "A's Allocate", err)
	if n := st.cur().Len(); n != 1 {
		t.Fatalf("the store holds %d entries, want 1", n)
	}
	checkNoGramTwice(t, st)
}
