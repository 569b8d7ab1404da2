package pgstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/lifecarbon/lifecarbon/registry/pgstore"
	"github.com/shopspring/decimal"
)

// The tests need a PostgreSQL server: LIFECARBON_POSTGRES_URL names a
// database the tests may create tables in (CI starts one with
// .ci/postgres.sh). Without it they skip, unless
// LIFECARBON_REQUIRE_INTEROP=1 (CI), where they fail.
func pool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	url := os.Getenv("LIFECARBON_POSTGRES_URL")
	if url == "" {
		if os.Getenv("LIFECARBON_REQUIRE_INTEROP") == "1" {
			t.Fatal("LIFECARBON_POSTGRES_URL is not set, and LIFECARBON_REQUIRE_INTEROP=1 requires the PostgreSQL tests to run")
		}
		t.Skip("PostgreSQL tests skipped: set LIFECARBON_POSTGRES_URL=postgres://user:password@host/db (CI starts a server with .ci/postgres.sh)")
	}
	p, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

var tables atomic.Int64

// store returns a Store on a new table, dropped when the test ends.
func store(t *testing.T, p *pgxpool.Pool) (*pgstore.Store, string) {
	t.Helper()
	name := fmt.Sprintf("journal_test_%d_%d", os.Getpid(), tables.Add(1))
	s, err := pgstore.New(context.Background(), p, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = p.Exec(context.Background(), "DROP TABLE "+name) })
	return s, name
}

func kg(s string) footprint.CO2e { return footprint.KgCO2e(decimal.RequireFromString(s)) }

func entry(seq uint64, prev string, body string) registry.Entry {
	e := registry.Entry{
		Seq: seq, Time: time.Date(2026, 11, 29, 10, 0, 0, 123456000, time.UTC),
		Kind: registry.KindRelease, Serial: "PF-ü", Body: json.RawMessage(body), Prev: prev,
	}
	e.Hash = e.ComputeHash()
	return e
}

func TestStoreContract(t *testing.T) {
	ctx := context.Background()
	s, _ := store(t, pool(t))
	// Bytes the database must not touch: spacing, escapes, non-ASCII.
	e1 := entry(1, registry.GenesisHash, `{"allocation":1, "reason":"zurück \u00e9 <x>"}`)
	if err := s.Append(ctx, []registry.Entry{e1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, []registry.Entry{entry(1, registry.GenesisHash, `{}`)}); !errors.Is(err, registry.ErrSeqTaken) {
		t.Fatalf("seq 1 again: err = %v, want ErrSeqTaken", err)
	}
	if err := s.Append(ctx, []registry.Entry{entry(3, e1.Hash, `{}`)}); err == nil || errors.Is(err, registry.ErrSeqTaken) {
		t.Fatalf("seq 3 after 1: err = %v, want a gap error", err)
	}
	if err := s.Append(ctx, []registry.Entry{entry(0, e1.Hash, `{}`)}); err == nil {
		t.Fatal("seq 0 accepted")
	}
	e2 := entry(2, e1.Hash, `{"allocation":1}`)
	if err := s.Append(ctx, []registry.Entry{e2}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Read(ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("read %d entries, want 2", len(got))
	}
	for i, want := range []registry.Entry{e1, e2} {
		g := got[i]
		if g.Seq != want.Seq || !g.Time.Equal(want.Time) || g.Time.Location() != time.UTC || g.Kind != want.Kind ||
			g.Serial != want.Serial || string(g.Body) != string(want.Body) || g.Prev != want.Prev || g.Hash != want.Hash {
			t.Fatalf("entry %d read back as %+v, want %+v", i+1, g, want)
		}
	}
	if _, err := registry.Verify(got, registry.GenesisHash); err != nil {
		t.Fatalf("entries read back do not verify: %v", err)
	}
	if got, _ := s.Read(ctx, 2, 10); len(got) != 1 || got[0].Seq != 2 {
		t.Fatalf("Read(2) = %+v", got)
	}
	if got, _ := s.Read(ctx, 3, 10); len(got) != 0 {
		t.Fatalf("Read past the end = %+v", got)
	}
	if got, _ := s.Read(ctx, 1, 1); len(got) != 1 {
		t.Fatalf("Read(max 1) gave %d", len(got))
	}
	if _, err := pgstore.New(ctx, pool(t), "journal; DROP TABLE x"); err == nil {
		t.Fatal("a table name that is not an identifier was accepted")
	}
}

func windDemand(serial, amount string) offset.Demand {
	return offset.Demand{Serial: serial, Amount: kg(amount), Preferences: offset.Preferences{Currency: "USD"}}
}

// A registry on PostgreSQL: what one process records, another opens.
func TestRegistryReopens(t *testing.T) {
	ctx := context.Background()
	p := pool(t)
	s, name := store(t, p)
	r, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if _, err := r.Allocate(ctx, windDemand(fmt.Sprint("PF-", i), "12.345")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Release(ctx, "PF-4", "returned"); err != nil {
		t.Fatal(err)
	}
	// Another process: its own pool, its own Store value on the table.
	s2, err := pgstore.New(ctx, pool(t), name)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := registry.Open(ctx, s2, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q1, h1 := r.Head()
	q2, h2 := r2.Head()
	if q1 != 12 || q1 != q2 || h1 != h2 {
		t.Fatalf("heads %d %s and %d %s, want both at 12", q1, h1, q2, h2)
	}
	j1, _ := json.Marshal(r.Inventory())
	j2, _ := json.Marshal(r2.Inventory())
	if string(j1) != string(j2) {
		t.Fatal("reopened inventory differs")
	}
	if n := len(r2.Allocations()); n != 9 {
		t.Fatalf("%d allocations, want 9", n)
	}
	// A row changed in the database is found.
	if _, err := p.Exec(ctx, "UPDATE "+name+" SET serial = 'PF-X' WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	_, err = registry.Open(ctx, s2, registry.Options{})
	var je *registry.JournalError
	if !errors.As(err, &je) || je.Seq != 3 {
		t.Fatalf("after changing row 3: err = %v, want a JournalError at entry 3", err)
	}
}

// Two processes (two pools, two registries) allocating at once on one
// table: every gram is held once, and the free grams account for all.
func TestTwoProcessesOneTable(t *testing.T) {
	ctx := context.Background()
	s, name := store(t, pool(t))
	r0, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r0.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	total := r0.Inventory().TotalFreeGrams()
	var regs [2]*registry.Registry
	for i := range regs {
		si, err := pgstore.New(ctx, pool(t), name)
		if err != nil {
			t.Fatal(err)
		}
		if regs[i], err = registry.Open(ctx, si, registry.Options{Retries: 1 << 20}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				if _, err := regs[g%2].Allocate(ctx, windDemand(fmt.Sprintf("G%d-%d", g, i), fmt.Sprintf("%d.5", 1+i))); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	r, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := r.Allocations()
	if len(all) != 6*15 {
		t.Fatalf("%d allocations, want 90", len(all))
	}
	type span struct {
		lot      string
		from, to int64
	}
	var spans []span
	var held int64
	for _, a := range all {
		for _, ln := range a.Plan.Lines {
			spans = append(spans, span{ln.Lot, ln.Grams.From, ln.Grams.To})
			held += ln.Grams.Len()
		}
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].lot != spans[j].lot {
			return spans[i].lot < spans[j].lot
		}
		return spans[i].from < spans[j].from
	})
	for i := 1; i < len(spans); i++ {
		if spans[i-1].lot == spans[i].lot && spans[i-1].to > spans[i].from {
			t.Fatalf("grams %v and %v held twice", spans[i-1], spans[i])
		}
	}
	// Demands 1.5 … 15.5 kg, six times: 6 × (15 × 16 / 2 + 7.5) kg.
	if want := int64(6 * (120_000 + 7_500)); held != want {
		t.Fatalf("held %d g, want %d", held, want)
	}
	if free := r.Inventory().TotalFreeGrams(); free != total-held {
		t.Fatalf("free %d g, want %d", free, total-held)
	}
}

// BenchmarkAllocatePostgres records one 1.5 kg allocation per op in a
// PostgreSQL table on loopback: the registry's work plus one read (other
// writers' entries) and one insert.
func BenchmarkAllocatePostgres(b *testing.B) {
	ctx := context.Background()
	r := benchRegistry(b, "journal_bench")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.Allocate(ctx, windDemand(fmt.Sprint("PF-", i), "1.5")); err != nil {
			b.Fatal(err)
		}
	}
}

// benchRegistry opens a registry on a new table (dropped when the
// benchmark ends) stocked with the sample lots and a lot of a million
// tonnes; it skips without a server.
func benchRegistry(b *testing.B, prefix string) *registry.Registry {
	b.Helper()
	url := os.Getenv("LIFECARBON_POSTGRES_URL")
	if url == "" {
		b.Skip("set LIFECARBON_POSTGRES_URL to run")
	}
	ctx := context.Background()
	p, err := pgxpool.New(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.Close)
	name := fmt.Sprintf("%s_%d", prefix, os.Getpid())
	s, err := pgstore.New(ctx, p, name)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = p.Exec(context.Background(), "DROP TABLE "+name) })
	r, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		b.Fatal(err)
	}
	lots := offset.SampleLots()
	big := offset.Lot{ID: "BIG", Project: lots[0].Project, Vintage: 2022, Block: offset.RangeBlock(900_000_001, 901_000_000),
		Tonnes: 1_000_000, Status: offset.Retired, Price: offset.MustPrice("1.00", "USD")}
	if err := r.AddStock(ctx, offset.SampleProjects(), append(lots, big)); err != nil {
		b.Fatal(err)
	}
	return r
}

// A batch is one transaction: its entries are stored together, and the
// journal reopens with every allocation.
func TestBatchOnPostgres(t *testing.T) {
	ctx := context.Background()
	s, _ := store(t, pool(t))
	r, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	var ds []offset.Demand
	for i := range 40 {
		ds = append(ds, windDemand(fmt.Sprint("B-", i), "2.5"))
	}
	res, err := r.AllocateBatch(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range res {
		if x.Err != nil || x.Allocation.Seq != uint64(2+i) {
			t.Fatalf("demand %d: entry %d, %v", i, x.Allocation.Seq, x.Err)
		}
	}
	r2, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r2.Allocations()); n != 40 {
		t.Fatalf("%d allocations after reopening, want 40", n)
	}
	es, err := s.Read(ctx, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := registry.Verify(es, registry.GenesisHash); err != nil || len(es) != 41 {
		t.Fatalf("%d entries: %v", len(es), err)
	}
}

// BenchmarkAllocateBatch100Postgres records 100 allocations per op in one
// transaction; ns/allocation is the cost of each.
func BenchmarkAllocateBatch100Postgres(b *testing.B) {
	ctx := context.Background()
	r := benchRegistry(b, "journal_bench_batch")
	ds := make([]offset.Demand, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range ds {
			ds[k] = windDemand(fmt.Sprint("PF-", i, "-", k), "1.5")
		}
		if _, err := r.AllocateBatch(ctx, ds); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ds)), "ns/allocation")
}

// A database whose transactions default to SERIALIZABLE: racing writers
// still see a lost race as ErrSeqTaken (Append runs at read committed),
// so registries retry instead of failing; a table named by a reserved
// word works.
func TestSerializableDefaultAndReservedName(t *testing.T) {
	ctx := context.Background()
	base := pool(t) // skips without a server
	url := os.Getenv("LIFECARBON_POSTGRES_URL")
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	ser, err := pgxpool.New(ctx, url+sep+"options=-c%20default_transaction_isolation%3Dserializable")
	if err != nil {
		t.Fatal(err)
	}
	defer ser.Close()
	var level string
	if err := ser.QueryRow(ctx, "SHOW default_transaction_isolation").Scan(&level); err != nil || level != "serializable" {
		t.Fatalf("isolation %q, %v", level, err)
	}
	_, _ = base.Exec(ctx, `DROP TABLE IF EXISTS "order"`)
	t.Cleanup(func() { _, _ = base.Exec(context.Background(), `DROP TABLE "order"`) })
	s, err := pgstore.New(ctx, ser, "order")
	if err != nil {
		t.Fatal(err)
	}
	r0, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r0.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		r, err := registry.Open(ctx, s, registry.Options{Retries: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				if _, err := r.Allocate(ctx, windDemand(fmt.Sprintf("S%d-%d", g, i), "1")); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	r, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.Allocations()); n != 60 {
		t.Fatalf("%d allocations, want 60", n)
	}
}

// Processes starting at once may all create the table: none fails.
func TestNewRacesCreateTable(t *testing.T) {
	ctx := context.Background()
	p := pool(t)
	for round := range 10 {
		name := fmt.Sprintf("journal_race_%d_%d", os.Getpid(), round)
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := pgstore.New(ctx, p, name); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		_, _ = p.Exec(ctx, "DROP TABLE "+name)
		for err := range errs {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// A table name that another kind of object holds (here an enum type)
// is an error, not taken for the race of two processes creating the table,
// which New retries.
func TestNewNameTakenByAType(t *testing.T) {
	ctx := context.Background()
	p := pool(t)
	name := fmt.Sprintf("journal_taken_%d", os.Getpid())
	if _, err := p.Exec(ctx, "CREATE TYPE "+name+" AS ENUM ('a')"); err != nil {
		t.Fatal(err)
	}
	defer p.Exec(ctx, "DROP TYPE "+name)
	if _, err := pgstore.New(ctx, p, name); err == nil || !strings.Contains(err.Error(), "42710") {
		t.Fatalf("New over a type of the same name: %v, want the duplicate-object error", err)
	}
}

// BenchmarkAllocatePostgresParallel is BenchmarkAllocatePostgres with 32
// goroutines (16 per core on 2 cores) allocating at once on one registry,
// as a checkout backend's request handlers do.
func BenchmarkAllocatePostgresParallel(b *testing.B) {
	ctx := context.Background()
	r := benchRegistry(b, "journal_bench_par")
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Allocate(ctx, windDemand(fmt.Sprint("PF-", n.Add(1)), "1.5")); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "allocations/s")
}

// ambiguityCounter wraps a Store and counts the Appends that reported an
// error although their entries were stored (read back with a context of
// its own): what the registry must not report as failures.
type ambiguityCounter struct {
	*pgstore.Store
	ambiguous atomic.Int64
}

func (a *ambiguityCounter) Append(ctx context.Context, es []registry.Entry) error {
	err := a.Store.Append(ctx, es)
	if err != nil {
		got, rerr := a.Store.Read(context.Background(), es[0].Seq, len(es))
		if rerr == nil && len(got) == len(es) && got[0].Hash == es[0].Hash {
			a.ambiguous.Add(1)
		}
	}
	return err
}

// Deadlines that end at every point of an allocation on PostgreSQL,
// COMMIT included: afterwards the journal holds exactly the allocations
// whose callers were told success. A commit that succeeds while the
// driver reports the deadline is read back and answered as the success
// it was.
func TestDeadlinesTellTheTruth(t *testing.T) {
	ctx := context.Background()
	p := pool(t)
	s, _ := store(t, p)
	st := &ambiguityCounter{Store: s}
	r, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	// How long one allocation takes here, to spread the deadlines over it.
	start := time.Now()
	for i := range 20 {
		if _, err := r.Allocate(ctx, windDemand(fmt.Sprint("PF-W", i), "1")); err != nil {
			t.Fatal(err)
		}
	}
	per := time.Since(start) / 20
	told := map[string]bool{}
	var failed int
	for i := range 150 {
		serial := fmt.Sprint("PF-D", i)
		dctx, cancel := context.WithTimeout(ctx, per*time.Duration(i%40)/10)
		_, err := r.Allocate(dctx, windDemand(serial, "1"))
		cancel()
		told[serial] = err == nil
		if err != nil {
			failed++
			if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
				t.Errorf("%s: %v, want a deadline error", serial, err)
			}
			// A query cut short closes its connection: let the pool open
			// a new one without a deadline, so the next call starts as
			// the others did.
			if err := r.Sync(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	re, err := registry.Open(ctx, s, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for serial, ok := range told {
		if _, held := re.Allocation(serial); held != ok {
			t.Errorf("%s: told success %v, journal holds it %v", serial, ok, held)
		}
	}
	t.Logf("one allocation ≈ %v; %d of 150 told failure; %d appends reported an error although stored", per, failed, st.ambiguous.Load())
	if failed == 0 || failed == 150 {
		t.Errorf("%d of 150 failed: the deadlines did not spread over the allocation", failed)
	}
}
