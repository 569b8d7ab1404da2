package registry_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// ambiguousStore is a database that commits an append and then reports an
// error (a deadline ending during COMMIT, a connection lost before the
// answer): on append number failOn it stores the entries (unless store is
// false), then cancels the caller's context and returns its error if
// cancel is set, or returns err. While readErr is set, Read fails after
// that append. The append before it waits delay first.
type ambiguousStore struct {
	*registry.MemStore
	failOn int64
	store  bool
	err    error
	cancel context.CancelFunc
	delay  time.Duration

	readErr atomic.Pointer[error]
	// After the failing append, Read ends its goroutine (readGoexit, once)
	// or blocks until its context ends (readBlock).
	readGoexit, readBlock atomic.Bool
	goexits               atomic.Int64
	appends               atomic.Int64
	failed                atomic.Bool
	size                  atomic.Int64 // entries in the failing append
}

func (s *ambiguousStore) Append(ctx context.Context, es []registry.Entry) error {
	n := s.appends.Add(1)
	if n == s.failOn-1 {
		time.Sleep(s.delay) // the calls after this one queue meanwhile
	}
	if n != s.failOn {
		return s.MemStore.Append(ctx, es)
	}
	s.size.Store(int64(len(es)))
	if s.store {
		if err := s.MemStore.Append(ctx, es); err != nil {
			return err
		}
	}
	s.failed.Store(true)
	if s.cancel != nil {
		s.cancel()
		return ctx.Err()
	}
	return s.err
}

func (s *ambiguousStore) Read(ctx context.Context, from uint64, max int) ([]registry.Entry, error) {
	if p := s.readErr.Load(); p != nil && s.failed.Load() {
		return nil, *p
	}
	if s.failed.Load() && s.readGoexit.CompareAndSwap(true, false) {
		s.goexits.Add(1)
		runtime.Goexit()
	}
	if s.failed.Load() && s.readBlock.Load() {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return nil, err // as a database driver does
	}
	return s.MemStore.Read(ctx, from, max)
}

var errLost = errors.New("connection lost before the answer")

// reopened is a registry replayed from what st actually stored.
func reopened(t *testing.T, st *ambiguousStore) *registry.Registry {
	t.Helper()
	re, err := registry.Open(context.Background(), st.MemStore, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return re
}

// An Append that stored its entries but reported an error is a success:
// Allocate returns the allocation the journal holds, whether the store
// said "connection lost" with the caller's context alive or the caller's
// context ended during the append (the registry then reads back under a
// context of its own). An append that did not store, or one whose entries
// cannot be read back, still fails with the store's error; the same
// Allocate again then returns the stored allocation, or makes one.
func TestAllocateStoredDespiteError(t *testing.T) {
	for _, tc := range []struct {
		name     string
		store    bool
		cancel   bool // the caller's context ends during the append
		readFail bool // reading back fails too
		confirm  time.Duration
		wantErr  error // nil: allocated at once
	}{
		{name: "stored, connection lost", store: true},
		{name: "stored, context ended during the append", store: true, cancel: true},
		{name: "stored, context ended, read-back off", store: true, cancel: true, confirm: -1, wantErr: context.Canceled},
		{name: "stored, read-back fails", store: true, readFail: true, wantErr: errLost},
		{name: "not stored", wantErr: errLost},
		{name: "not stored, context ended", cancel: true, wantErr: context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Append 1 is the stock, append 2 the allocation.
			st := &ambiguousStore{MemStore: registry.NewMemStore(), failOn: 2, store: tc.store, err: errLost}
			if tc.readFail {
				e := errors.New("database down")
				st.readErr.Store(&e)
			}
			r, err := registry.Open(context.Background(), st, registry.Options{ConfirmTimeout: tc.confirm})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.AddStock(context.Background(), offset.SampleProjects(), offset.SampleLots()); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel {
				st.cancel = cancel
			}
			d := windDemand("PF-AMB", "236.54")
			a, err := r.Allocate(ctx, d)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("Allocate: %v, want the stored allocation", err)
				}
			} else {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Allocate: %v, want %v", err, tc.wantErr)
				}
				// The store recovers; the same sale again.
				st.readErr.Store(nil)
				if a, err = r.Allocate(context.Background(), d); err != nil {
					t.Fatalf("Allocate again: %v", err)
				}
			}
			// Stored at append 2 (entry 2) when the failing append
			// stored; otherwise made by the retry, entry 2 too, since
			// nothing took the number.
			if a.Seq != 2 || st.appends.Load() != map[bool]int64{true: 2, false: 3}[tc.store] {
				t.Errorf("allocation in entry %d after %d appends", a.Seq, st.appends.Load())
			}
			// The journal holds exactly what the caller was told.
			re := reopened(t, st)
			got, ok := re.Allocation("PF-AMB")
			if !ok || got.Seq != a.Seq || !got.Plan.Amount.Equal(a.Plan.Amount) || len(got.Plan.Lines) != len(a.Plan.Lines) ||
				got.Plan.Lines[0].Grams != a.Plan.Lines[0].Grams {
				t.Errorf("journal holds %+v (%v), caller was told %+v", got, ok, a)
			}
		})
	}
}

// AddStock and Release read back too: a stored append that reports an
// error is their success.
func TestStockAndReleaseStoredDespiteError(t *testing.T) {
	st := &ambiguousStore{MemStore: registry.NewMemStore(), failOn: 1, store: true, err: errLost}
	r, err := registry.Open(context.Background(), st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddStock(context.Background(), offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatalf("AddStock: %v, want the stored stock", err)
	}
	if _, err := r.Allocate(context.Background(), windDemand("PF-R", "10")); err != nil {
		t.Fatal(err)
	}
	st.appends.Store(0)
	if _, err := r.Release(context.Background(), "PF-R", "returned"); err != nil {
		t.Fatalf("Release: %v, want the stored release", err)
	}
	re := reopened(t, st)
	_, rh := r.Head()
	_, jh := re.Head()
	if _, ok := re.Allocation("PF-R"); ok || jh != rh || len(re.Inventory().Lots()) == 0 {
		t.Errorf("journal: allocation held %v, head %s vs %s, %d lots", ok, jh, rh, len(re.Inventory().Lots()))
	}
}

// A group append that is stored but reports an error answers every call
// in the group with its allocation, and the journal holds each. (Before
// the read-back this held too, more slowly: each call of a failed group
// tries again alone, loses its number to its own stored entry, reads it
// and returns it.)
func TestAllocateGroupStoredDespiteError(t *testing.T) {
	// Append 1 is the stock, 2 the first call, held while the others
	// queue; 3, the group of the others, is stored and reports an error.
	st := &ambiguousStore{MemStore: registry.NewMemStore(), failOn: 3, store: true, err: errLost, delay: 50 * time.Millisecond}
	r := stockedOn(t, st)
	var wg sync.WaitGroup
	got := make([]registry.Allocation, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := r.Allocate(context.Background(), windDemand(fmt.Sprint("SN-G", i), "100"))
			if err != nil {
				t.Errorf("call %d: %v", i, err)
			}
			got[i] = a
		}()
	}
	wg.Wait()
	if n := st.size.Load(); n < 2 {
		t.Fatalf("the failing append held %d entries, want a group", n)
	}
	re := reopened(t, st)
	for i, a := range got {
		j, ok := re.Allocation(fmt.Sprint("SN-G", i))
		if !ok || j.Seq != a.Seq || a.Seq == 0 {
			t.Errorf("call %d told entry %d; journal has %d (%v)", i, a.Seq, j.Seq, ok)
		}
	}
}

// AllocateBatch reads back too: a run stored but reported as failed is
// allocated.
func TestAllocateBatchStoredDespiteError(t *testing.T) {
	st := &ambiguousStore{MemStore: registry.NewMemStore(), failOn: 2, store: true, err: errLost}
	r := stockedOn(t, st)
	res, err := r.AllocateBatch(context.Background(), []offset.Demand{windDemand("PF-B1", "10"), windDemand("PF-B2", "20"), windDemand("PF-B3", "30")})
	if err != nil {
		t.Fatalf("AllocateBatch: %v, want the stored run", err)
	}
	re := reopened(t, st)
	for i, x := range res {
		j, ok := re.Allocation(fmt.Sprint("PF-B", i+1))
		if x.Err != nil || !ok || j.Seq != x.Allocation.Seq {
			t.Errorf("demand %d: %v, entry %d; journal %d (%v)", i, x.Err, x.Allocation.Seq, j.Seq, ok)
		}
	}
}

// A Store.Read that ends its goroutine (runtime.Goexit) during the
// read-back leaves the registry to rebuild its state from the journal, as
// an Append that does not return does: afterwards its state is the
// journal's, whether the entries were stored or not.
func TestReadBackGoexit(t *testing.T) {
	for _, batch := range []bool{false, true} {
		for _, stored := range []bool{true, false} {
			t.Run(fmt.Sprintf("batch %v, stored %v", batch, stored), func(t *testing.T) {
				st := &ambiguousStore{MemStore: registry.NewMemStore(), failOn: 2, store: stored, err: errLost}
				st.readGoexit.Store(true)
				r := stockedOn(t, st)
				done := make(chan struct{})
				go func() {
					defer close(done)
					if batch {
						_, _ = r.AllocateBatch(context.Background(), []offset.Demand{windDemand("PF-X", "100")})
					} else {
						_, _ = r.Allocate(context.Background(), windDemand("PF-X", "100"))
					}
				}()
				<-done
				if st.goexits.Load() != 1 {
					t.Fatal("the read-back did not run")
				}
				if err := r.Sync(context.Background()); err != nil {
					t.Fatalf("Sync: %v", err)
				}
				re := reopened(t, st)
				if got, want := invJSON(t, r.Inventory()), invJSON(t, re.Inventory()); got != want {
					t.Errorf("inventory after Sync:\n%s\nthe journal's:\n%s", got, want)
				}
				_, held := r.Allocation("PF-X")
				if held != stored {
					t.Errorf("PF-X held %v, stored %v", held, stored)
				}
			})
		}
	}
}

// The read-back is bounded by Options.ConfirmTimeout even when the
// caller's context has no deadline: a Read that hangs does not hold the
// registry for ever.
func TestReadBackBounded(t *testing.T) {
	st := &ambiguousStore{MemStore: registry.NewMemStore(), failOn: 2, err: errLost}
	st.readBlock.Store(true)
	r, err := registry.Open(context.Background(), st, registry.Options{ConfirmTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddStock(context.Background(), offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := r.Allocate(context.Background(), windDemand("PF-H", "10"))
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, errLost) {
			t.Errorf("Allocate: %v, want the store's error", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Allocate still waits for a hanging read-back after 5 s (ConfirmTimeout 100 ms)")
	}
}

// A store whose driver retries an append whose answer was lost finds the
// number taken, by the first attempt, and says so as the Store contract
// requires (ErrSeqTaken). The entry is the registry's own: AddStock,
// Allocate and Release report it stored, and Release returns the
// allocation it released (before, Release answered ErrNotAllocated for
// the release it had just stored, and AddStock failed on its own lots).
func TestStoredThenSeqTaken(t *testing.T) {
	taken := fmt.Errorf("retried after a lost answer: %w", registry.ErrSeqTaken)
	for _, step := range []string{"stock", "allocate", "release"} {
		t.Run(step, func(t *testing.T) {
			failOn := map[string]int64{"stock": 1, "allocate": 2, "release": 3}[step]
			st := &ambiguousStore{MemStore: registry.NewMemStore(), failOn: failOn, store: true, err: taken}
			r, err := registry.Open(context.Background(), st, registry.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.AddStock(context.Background(), offset.SampleProjects(), offset.SampleLots()); err != nil {
				t.Fatalf("AddStock: %v, want the stored stock", err)
			}
			a, err := r.Allocate(context.Background(), windDemand("PF-T", "10"))
			if err != nil {
				t.Fatalf("Allocate: %v, want the stored allocation", err)
			}
			got, err := r.Release(context.Background(), "PF-T", "returned")
			if err != nil || got.Seq != a.Seq {
				t.Fatalf("Release: allocation %d, %v; want allocation %d released", got.Seq, err, a.Seq)
			}
			re := reopened(t, st)
			seq, rh := r.Head()
			jseq, jh := re.Head()
			if seq != 3 || jseq != 3 || jh != rh {
				t.Errorf("registry at %d (%s), journal at %d (%s); want both at 3, the same", seq, rh, jseq, jh)
			}
		})
	}
}
