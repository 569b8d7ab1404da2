package registry_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// slowStore is a MemStore whose Append takes a while, as a database
// commit does, honours its context, and counts the calls. gate, when set,
// holds the next Append until it is closed.
type slowStore struct {
	*registry.MemStore
	delay   time.Duration
	appends atomic.Int64
	gate    chan struct{}
	entered chan struct{} // receives once an Append waits at the gate
}

func (s *slowStore) Append(ctx context.Context, es []registry.Entry) error {
	s.appends.Add(1)
	if s.gate != nil {
		gate := s.gate
		s.gate = nil
		s.entered <- struct{}{}
		<-gate
	}
	time.Sleep(s.delay)
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.MemStore.Append(ctx, es)
}

func slowRegistry(t *testing.T, delay time.Duration) (*registry.Registry, *slowStore) {
	t.Helper()
	st := &slowStore{MemStore: registry.NewMemStore(), delay: delay}
	r := stockedOn(t, st)
	st.appends.Store(0)
	return r, st
}

// stockedOn opens a registry on st and stocks it with the sample lots.
func stockedOn(t *testing.T, st registry.Store) *registry.Registry {
	t.Helper()
	r, err := registry.Open(context.Background(), st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddStock(context.Background(), offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	return r
}

// Many Allocate calls at once on a slow store share appends (group
// commit): 64 allocations take far fewer than 64 appends, each call gets
// its own allocation, no gram is held twice, and a registry reopened from
// the journal holds exactly what the calls were told.
func TestAllocateGroupCommit(t *testing.T) {
	ctx := context.Background()
	r, st := slowRegistry(t, 2*time.Millisecond)
	const n = 64
	got := make([]registry.Allocation, n)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := r.Allocate(ctx, windDemand(fmt.Sprintf("SN-G%02d", i), "150"))
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = a
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if a := st.appends.Load(); a >= n/2 {
		t.Fatalf("%d allocations took %d appends; concurrent calls should share them", n, a)
	}
	back, err := registry.Open(ctx, st.MemStore, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seqs := map[uint64]bool{}
	held := map[string][]offset.GramRange{}
	for i, a := range got {
		if a.Serial != fmt.Sprintf("SN-G%02d", i) || seqs[a.Seq] {
			t.Fatalf("call %d got the allocation of %s, entry %d", i, a.Serial, a.Seq)
		}
		seqs[a.Seq] = true
		b, ok := back.Allocation(a.Serial)
		if !ok || b.Seq != a.Seq || !b.Plan.Amount.Equal(a.Plan.Amount) {
			t.Fatalf("call %d was told entry %d, the journal says %v", i, a.Seq, b.Seq)
		}
		for _, ln := range a.Plan.Lines {
			for _, g := range held[ln.Lot] {
				if g.From < ln.Grams.To && ln.Grams.From < g.To {
					t.Fatalf("grams %v and %v of lot %s held twice", g, ln.Grams, ln.Lot)
				}
			}
			held[ln.Lot] = append(held[ln.Lot], ln.Grams)
		}
	}
}

// A call whose context ends while it waits takes nothing and gets its
// context's error; the calls that waited with it are not hurt by that,
// whichever of them handles the group (the call whose context ended may
// have been the one writing for the others: they are tried again).
func TestAllocateGroupContext(t *testing.T) {
	for round := 0; round < 20; round++ {
		r, st := slowRegistry(t, 0)
		// Hold the store with a first call, so that the others queue.
		st.gate, st.entered = make(chan struct{}), make(chan struct{}, 1)
		gate := st.gate
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.Allocate(context.Background(), windDemand("SN-FIRST", "100")); err != nil {
				t.Error(err)
			}
		}()
		<-st.entered
		ctxA, cancel := context.WithCancel(context.Background())
		errs := make([]error, 3)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := context.Background()
				if i == 0 {
					ctx = ctxA
				}
				_, errs[i] = r.Allocate(ctx, windDemand(fmt.Sprintf("SN-C%d", i), "100"))
			}()
		}
		waitQueued(t, r, 3)
		cancel()
		close(gate)
		wg.Wait()
		if !errors.Is(errs[0], context.Canceled) {
			t.Fatalf("round %d: the call whose context ended: %v", round, errs[0])
		}
		if errs[1] != nil || errs[2] != nil {
			t.Fatalf("round %d: the other calls: %v, %v", round, errs[1], errs[2])
		}
		if _, held := r.Allocation("SN-C0"); held {
			t.Fatalf("round %d: the cancelled call was allocated", round)
		}
	}
}

type ctxName struct{}

// leaderStore hands the first Append that carries a named context to the
// test (which ctx writes for the group), waits for the test's go, and
// then honours that ctx; panicOn and failOn make one Append panic or fail.
type leaderStore struct {
	*registry.MemStore
	mu       sync.Mutex
	gated    bool
	leader   chan string
	proceed  chan struct{}
	panicOn  int  // the Append (1, 2, ...) that panics, 0 for none
	wrote    bool // panicOn panics after storing the entries
	failOn   int  // the Append that fails, 0 for none
	poison   string
	bomb     string // an append with an entry whose serial starts so panics
	onPanic  func() // called just before panicOn panics
	failRead bool   // Read fails
	goexitOn int    // the Append that calls runtime.Goexit (after storing, with wrote)
	appends  int
}

var errRead = errors.New("read timed out")

func (s *leaderStore) Read(ctx context.Context, from uint64, max int) ([]registry.Entry, error) {
	s.mu.Lock()
	fail := s.failRead
	s.mu.Unlock()
	if fail {
		return nil, errRead
	}
	return s.MemStore.Read(ctx, from, max)
}

var (
	errTransient = errors.New("connection reset by peer")
	errPoison    = errors.New("the store refuses this entry")
)

func (s *leaderStore) Append(ctx context.Context, es []registry.Entry) error {
	s.mu.Lock()
	s.appends++
	n := s.appends
	gate := false
	if name, ok := ctx.Value(ctxName{}).(string); ok && !s.gated && s.leader != nil {
		s.gated, gate = true, true
		s.leader <- name
	}
	s.mu.Unlock()
	if gate {
		<-s.proceed
	}
	switch {
	case n == s.goexitOn:
		if s.wrote {
			if err := s.MemStore.Append(ctx, es); err != nil {
				return err
			}
		}
		runtime.Goexit()
	case n == s.panicOn && s.wrote:
		if err := s.MemStore.Append(ctx, es); err != nil {
			return err
		}
		panic("store broke after writing")
	case n == s.panicOn:
		if s.onPanic != nil {
			s.onPanic()
		}
		panic("store broke")
	case n == s.failOn:
		return errTransient
	}
	for _, e := range es {
		if s.poison != "" && strings.HasPrefix(e.Serial, s.poison) {
			return errPoison
		}
		if s.bomb != "" && strings.HasPrefix(e.Serial, s.bomb) {
			panic("the store cannot take " + e.Serial)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.MemStore.Append(ctx, es)
}

func leaderRegistry(t *testing.T, st *leaderStore) *registry.Registry {
	t.Helper()
	return stockedOn(t, st)
}

// holdRegistry starts an Allocate (of serial, under a ctx named name) whose
// append waits at st's gate, so that calls made meanwhile queue behind it;
// it returns once that append waits. Close st.proceed (or send on it) to
// let the append go on; wg is done when the call has returned.
func holdRegistry(t *testing.T, r *registry.Registry, st *leaderStore, wg *sync.WaitGroup, name, serial string) {
	t.Helper()
	st.leader, st.proceed = make(chan string, 1), make(chan struct{})
	ctx := context.WithValue(context.Background(), ctxName{}, name)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := r.Allocate(ctx, windDemand(serial, "1")); err != nil {
			t.Errorf("the holding call %s: %v", name, err)
		}
	}()
	if got := <-st.leader; got != name {
		t.Fatalf("the first append is %q's, want %q's", got, name)
	}
}

// waitQueued waits until n Allocate calls are queued behind a held
// registry (holdRegistry), instead of sleeping and hoping they are: on a
// loaded machine a sleep is sometimes too short.
func waitQueued(t *testing.T, r *registry.Registry, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for registry.Waiting(r) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued after 30 s, want %d", registry.Waiting(r), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// The call writing for a group has its context end during the append:
// it fails with its context's error, and the others of its group, whose
// contexts are fine, are tried again and allocated. The store tells the
// test which call writes, so this path runs every time.
func TestAllocateLeaderContextEnds(t *testing.T) {
	st := &leaderStore{MemStore: registry.NewMemStore()}
	r := leaderRegistry(t, st)
	// A first call holds the registry while three more queue behind it.
	var wg sync.WaitGroup
	holdRegistry(t, r, st, &wg, "first", "SN-0")
	// Three calls queue; whichever writes for them, its ctx ends mid-append.
	cancels := map[string]context.CancelFunc{}
	errs := map[string]error{}
	var mu sync.Mutex
	st.mu.Lock()
	st.gated = false // gate the group's append too
	st.mu.Unlock()
	for _, name := range []string{"a", "b", "c"} {
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxName{}, name))
		cancels[name] = cancel
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.Allocate(ctx, windDemand("SN-"+name, "100"))
			mu.Lock()
			errs[name] = err
			mu.Unlock()
		}()
	}
	waitQueued(t, r, 3)
	st.proceed <- struct{}{} // the first call's append goes on
	leader := <-st.leader    // the group's append, under its leader's ctx
	cancels[leader]()
	close(st.proceed)
	wg.Wait()
	for name, err := range errs {
		if name == leader {
			if !errors.Is(err, context.Canceled) {
				t.Errorf("the leader %s: %v, want context.Canceled", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s, in the leader's group: %v", name, err)
		}
	}
	if _, held := r.Allocation("SN-" + leader); held {
		t.Error("the cancelled leader was allocated")
	}
}

// One failed append fails only the call that wrote it: the others of its
// group are tried again and allocated.
func TestAllocateGroupStoreFailsOnce(t *testing.T) {
	for round := 0; round < 10; round++ {
		st := &leaderStore{MemStore: registry.NewMemStore(), failOn: 3} // 1 stock, 2 the first call, 3 a group
		r := leaderRegistry(t, st)
		var wg sync.WaitGroup
		var failed atomic.Int64
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := r.Allocate(context.Background(), windDemand(fmt.Sprint("SN-F", i), "100")); err != nil {
					if !errors.Is(err, errTransient) {
						t.Error(err)
					}
					failed.Add(1)
				}
			}()
		}
		wg.Wait()
		if f := failed.Load(); f > 1 {
			t.Fatalf("round %d: one failed append failed %d calls", round, f)
		}
	}
}

// A store that panics once, before or after storing the entries: the
// registry is not left locked; the calls are allocated (those already
// stored get their stored allocation) but for at most one, whose own
// append panicked; later calls work; and the registry's state is the
// journal's (it is rebuilt from the store).
func TestAllocateGroupPanic(t *testing.T) {
	for round := 0; round < 20; round++ {
		st := &leaderStore{MemStore: registry.NewMemStore(), panicOn: 3, wrote: round%2 == 1}
		r := leaderRegistry(t, st)
		var wg sync.WaitGroup
		var panics, ok atomic.Int64
		told := make([]registry.Allocation, 16)
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if p := recover(); p != nil {
						panics.Add(1)
					}
				}()
				a, err := r.Allocate(context.Background(), windDemand(fmt.Sprint("SN-P", i), "100"))
				if err != nil {
					t.Error(err)
					return
				}
				told[i] = a
				ok.Add(1)
			}()
		}
		wg.Wait()
		// A panic in an append of several calls is not the writer's to
		// raise: they all write again alone, and the store (which panics
		// once) lets them. A panic in a call's own append is its own.
		if p, n := panics.Load(), ok.Load(); p > 1 || p+n != 16 {
			t.Fatalf("round %d: %d panics, %d allocations; want at most one panic and the rest allocated", round, p, n)
		}
		if _, err := r.Allocate(context.Background(), windDemand("SN-AFTER", "100")); err != nil {
			t.Fatal(err)
		}
		back, err := registry.Open(context.Background(), st.MemStore, registry.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.Inventory().TotalFreeGrams(), back.Inventory().TotalFreeGrams(); got != want {
			t.Fatalf("round %d: the registry has %d g free, its journal says %d", round, got, want)
		}
		if got, want := len(r.Allocations()), len(back.Allocations()); got != want {
			t.Fatalf("round %d: the registry holds %d allocations, its journal %d", round, got, want)
		}
		for i, a := range told {
			if a.Serial == "" {
				continue // the call that panicked
			}
			b, held := back.Allocation(a.Serial)
			if a.Seq == 0 || a.Serial != fmt.Sprint("SN-P", i) || !held || b.Seq != a.Seq {
				t.Fatalf("round %d: call %d was told entry %d for %q; the journal: entry %d, held %v", round, i, a.Seq, a.Serial, b.Seq, held)
			}
		}
	}
}

// A store that refuses one kind of entry for good (a bad row, say) fails
// the calls of that kind and only them, however they were grouped.
func TestAllocateGroupPoisonEntry(t *testing.T) {
	for round := 0; round < 5; round++ {
		st := &leaderStore{MemStore: registry.NewMemStore(), poison: "BAD"}
		r := leaderRegistry(t, st)
		var wg sync.WaitGroup
		var goodFailed, badPassed atomic.Int64
		for i := 0; i < 32; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				serial := fmt.Sprint("OK-", i)
				if i%2 == 1 {
					serial = fmt.Sprint("BAD-", i)
				}
				_, err := r.Allocate(context.Background(), windDemand(serial, "100"))
				switch {
				case i%2 == 0 && err != nil:
					goodFailed.Add(1)
				case i%2 == 1 && !errors.Is(err, errPoison):
					badPassed.Add(1)
				}
			}()
		}
		wg.Wait()
		if goodFailed.Load() != 0 || badPassed.Load() != 0 {
			t.Fatalf("round %d: %d good calls failed, %d bad calls did not fail with the store's error", round, goodFailed.Load(), badPassed.Load())
		}
	}
}

// A store that refuses every append: every call ends with the store's
// error, after at most a group's try and one of its own.
func TestAllocateGroupStoreAlwaysFails(t *testing.T) {
	st := &leaderStore{MemStore: registry.NewMemStore(), poison: "SN-"}
	r := leaderRegistry(t, st)
	st.mu.Lock()
	st.appends = 0
	st.mu.Unlock()
	const n = 32
	var wg sync.WaitGroup
	var wrong atomic.Int64
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.Allocate(context.Background(), windDemand(fmt.Sprint("SN-", i), "100")); !errors.Is(err, errPoison) {
				wrong.Add(1)
			}
		}()
	}
	wg.Wait()
	st.mu.Lock()
	appends := st.appends
	st.mu.Unlock()
	if wrong.Load() != 0 || appends > 2*n {
		t.Fatalf("%d calls did not get the store's error; %d appends for %d calls", wrong.Load(), appends, n)
	}
}

// A store that panics on one kind of entry, every time: the calls of that
// kind get the panic, on their own goroutines, and the others never do,
// however the calls were grouped; the state stays the journal's.
func TestAllocateGroupPanickingEntry(t *testing.T) {
	for round := 0; round < 5; round++ {
		st := &leaderStore{MemStore: registry.NewMemStore(), bomb: "BAD"}
		r := leaderRegistry(t, st)
		var wg sync.WaitGroup
		var wrong atomic.Int64
		for i := 0; i < 32; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				bad := i%8 == 0
				serial := fmt.Sprint("OK-", i)
				if bad {
					serial = fmt.Sprint("BAD-", i)
				}
				defer func() {
					if p := recover(); (p != nil) != bad {
						wrong.Add(1)
					}
				}()
				if _, err := r.Allocate(context.Background(), windDemand(serial, "100")); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if wrong.Load() != 0 {
			t.Fatalf("round %d: %d calls got a panic that was not their own, or none when it was", round, wrong.Load())
		}
		back, err := registry.Open(context.Background(), st.MemStore, registry.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got, want := r.Inventory().TotalFreeGrams(), back.Inventory().TotalFreeGrams(); got != want {
			t.Fatalf("round %d: the registry has %d g free, its journal says %d", round, got, want)
		}
	}
}

// Calls told their allocation before a later run of their group panics
// keep it: a group of 300 whose second run (of 256 + 44) panics after the
// first is stored, with the callers' contexts ending as it panics; the
// first run's callers are told what the journal records, never an error.
func TestAllocateGroupPanicKeepsRecorded(t *testing.T) {
	st := &leaderStore{MemStore: registry.NewMemStore()}
	r := leaderRegistry(t, st)
	var wg sync.WaitGroup
	holdRegistry(t, r, st, &wg, "hold", "SN-HOLD") // while 300 calls queue
	ctx, cancel := context.WithCancel(context.Background())
	st.mu.Lock()
	st.panicOn = st.appends + 2 // after the hold's append: the group's first run stores, its second panics
	st.onPanic = cancel         // and the callers' contexts end as it does
	st.mu.Unlock()
	got := make([]registry.Allocation, 300)
	errs := make([]error, 300)
	panicked := make([]bool, 300)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panicked[i] = recover() != nil }() // a call alone may meet the panic
			got[i], errs[i] = r.Allocate(ctx, windDemand(fmt.Sprintf("SN-K%03d", i), "1"))
		}()
	}
	waitQueued(t, r, len(got))
	close(st.proceed)
	wg.Wait()
	cancel()
	back, err := registry.Open(context.Background(), st.MemStore, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	told := 0
	for i := range got {
		a, held := back.Allocation(fmt.Sprintf("SN-K%03d", i))
		switch {
		case panicked[i]:
		case errs[i] == nil && (got[i].Seq == 0 || !held || a.Seq != got[i].Seq):
			t.Fatalf("call %d was told entry %d; the journal says %v (held %v)", i, got[i].Seq, a.Seq, held)
		case errs[i] != nil && held:
			t.Fatalf("call %d was told %v; the journal records its allocation in entry %d", i, errs[i], a.Seq)
		case errs[i] == nil:
			told++
		}
	}
	if told < 256 {
		t.Fatalf("%d calls told their allocation; the first run of 256 was stored", told)
	}
}

// After a panic the state is rebuilt from the journal at the next
// operation; while the store cannot be read, the operation fails and the
// registry keeps the state it had (its head never goes back), and once the
// store reads again the state is the journal's.
func TestRebuildAfterPanic(t *testing.T) {
	ctx := context.Background()
	st := &leaderStore{MemStore: registry.NewMemStore()}
	r := leaderRegistry(t, st)
	for i := 0; i < 5; i++ {
		if _, err := r.Allocate(ctx, windDemand(fmt.Sprint("SN-", i), "100")); err != nil {
			t.Fatal(err)
		}
	}
	st.mu.Lock()
	st.panicOn, st.wrote = st.appends+1, true // the next append is stored, then panics
	st.mu.Unlock()
	func() {
		defer func() { recover() }()
		r.Allocate(ctx, windDemand("SN-PANIC", "100"))
	}()
	seq, head := r.Head()
	free := r.Inventory().TotalFreeGrams()
	st.mu.Lock()
	st.failRead = true
	st.mu.Unlock()
	if _, err := r.Allocate(ctx, windDemand("SN-NEXT", "100")); !errors.Is(err, errRead) {
		t.Fatalf("an operation while the rebuild cannot read: %v, want the store's error", err)
	}
	if s2, h2 := r.Head(); s2 != seq || h2 != head || r.Inventory().TotalFreeGrams() != free {
		t.Fatalf("a failed rebuild changed the state: head %d → %d, %d g free → %d", seq, s2, free, r.Inventory().TotalFreeGrams())
	}
	st.mu.Lock()
	st.failRead = false
	st.mu.Unlock()
	if _, err := r.Allocate(ctx, windDemand("SN-NEXT", "100")); err != nil {
		t.Fatal(err)
	}
	back, err := registry.Open(ctx, st.MemStore, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bs, bh := back.Head()
	if s3, h3 := r.Head(); s3 != bs || h3 != bh || r.Inventory().TotalFreeGrams() != back.Inventory().TotalFreeGrams() || len(r.Allocations()) != 7 {
		t.Fatalf("after the rebuild: head %d, %d allocations; the journal: head %d", s3, len(r.Allocations()), bs)
	}
	if _, held := r.Allocation("SN-PANIC"); !held {
		t.Fatal("the allocation stored before the panic is not held after the rebuild")
	}
}

// A store that ends the writing goroutine (runtime.Goexit, as t.FailNow in
// a test double does), before or after storing a group's entries: the
// calls it wrote for are not told a success they did not get; each is
// written alone and told what the journal records; the state stays the
// journal's.
func TestAllocateGroupGoexit(t *testing.T) {
	for round := 0; round < 10; round++ {
		st := &leaderStore{MemStore: registry.NewMemStore(), wrote: round%2 == 1}
		r := leaderRegistry(t, st)
		var wg sync.WaitGroup
		holdRegistry(t, r, st, &wg, "hold", "SN-HOLD")
		st.mu.Lock()
		st.goexitOn = st.appends + 1 // the group's append, after the hold's
		st.mu.Unlock()
		const n = 8
		got := make([]registry.Allocation, n)
		errs := make([]error, n)
		returned := make([]bool, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = r.Allocate(context.Background(), windDemand(fmt.Sprint("SN-X", i), "1"))
				returned[i] = true
			}()
		}
		waitQueued(t, r, n)
		close(st.proceed)
		wg.Wait()
		if err := r.Sync(context.Background()); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		back, err := registry.Open(context.Background(), st.MemStore, registry.Options{})
		if err != nil {
			t.Fatal(err)
		}
		exited := 0
		for i := 0; i < n; i++ {
			if !returned[i] {
				exited++
				continue
			}
			a, held := back.Allocation(fmt.Sprint("SN-X", i))
			if errs[i] != nil || got[i].Seq == 0 || !held || a.Seq != got[i].Seq {
				t.Fatalf("round %d: call %d was told entry %d (err %v); the journal: %d, held %v", round, i, got[i].Seq, errs[i], a.Seq, held)
			}
		}
		if exited > 1 {
			t.Fatalf("round %d: %d calls ended with the store's Goexit, want at most the writer", round, exited)
		}
		if got, want := r.Inventory().TotalFreeGrams(), back.Inventory().TotalFreeGrams(); got != want {
			t.Fatalf("round %d: the registry has %d g free, its journal says %d", round, got, want)
		}
	}
}

// The caller's clock runs after a match has taken grams. A clock that
// ends the goroutine (runtime.Goexit) or panics there, in Allocate, in a
// group or in AllocateBatch, leaves the registry stale: after Sync its
// state is the journal's.
func TestClockDoesNotReturn(t *testing.T) {
	for _, how := range []string{"goexit", "panic"} {
		for _, batch := range []bool{false, true} {
			st := &leaderStore{MemStore: registry.NewMemStore()}
			var calls atomic.Int64
			var armed atomic.Bool
			now := func() time.Time {
				if armed.Load() && calls.Add(1) == 2 {
					if how == "goexit" {
						runtime.Goexit()
					}
					panic("clock broke")
				}
				return time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
			}
			r, err := registry.Open(context.Background(), st, registry.Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.AddStock(context.Background(), offset.SampleProjects(), offset.SampleLots()); err != nil {
				t.Fatal(err)
			}
			armed.Store(true)
			done := make(chan struct{})
			go func() {
				defer close(done)
				defer func() { recover() }()
				if batch {
					r.AllocateBatch(context.Background(), []offset.Demand{windDemand("SN-B1", "100"), windDemand("SN-B2", "100")})
				} else {
					r.Allocate(context.Background(), windDemand("SN-A1", "100"))
					r.Allocate(context.Background(), windDemand("SN-A2", "100"))
				}
			}()
			<-done
			if err := r.Sync(context.Background()); err != nil {
				t.Fatalf("%s, batch %v: %v", how, batch, err)
			}
			back, err := registry.Open(context.Background(), st.MemStore, registry.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := r.Inventory().TotalFreeGrams(), back.Inventory().TotalFreeGrams(); got != want {
				t.Fatalf("%s, batch %v: the registry has %d g free, its journal says %d", how, batch, got, want)
			}
		}
	}
}

// A store that stores an entry and then ends the goroutine (Goexit), in a
// call alone: the registry's state is marked stale, and Sync brings it to
// the journal's (the allocation or the release counted once) instead of
// refusing the journal.
func TestStoreGoexitAfterWriting(t *testing.T) {
	ctx := context.Background()
	for _, op := range []string{"allocate", "batch", "release"} {
		st := &leaderStore{MemStore: registry.NewMemStore()}
		r := leaderRegistry(t, st)
		if _, err := r.Allocate(ctx, windDemand("SN-R", "100")); err != nil {
			t.Fatal(err)
		}
		st.mu.Lock()
		st.goexitOn, st.wrote = st.appends+1, true
		st.mu.Unlock()
		done := make(chan struct{})
		go func() {
			defer close(done)
			switch op {
			case "release":
				r.Release(ctx, "SN-R", "returned")
			case "batch":
				r.AllocateBatch(ctx, []offset.Demand{windDemand("SN-S", "100")})
			default:
				r.Allocate(ctx, windDemand("SN-S", "100"))
			}
		}()
		<-done
		if err := r.Sync(ctx); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		_, heldR := r.Allocation("SN-R")
		_, heldS := r.Allocation("SN-S")
		if heldR != (op != "release") || heldS != (op != "release") {
			t.Fatalf("%s: after Sync SN-R held %v, SN-S held %v", op, heldR, heldS)
		}
		back, err := registry.Open(ctx, st.MemStore, registry.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.Inventory().TotalFreeGrams(), back.Inventory().TotalFreeGrams(); got != want {
			t.Fatalf("%s: the registry has %d g free, its journal says %d", op, got, want)
		}
	}
}
