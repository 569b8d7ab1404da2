package registry_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// A registry that is behind must not answer from its stale state: the
// serial it remembers as allocated was released and its grams resold
// elsewhere.
func TestStaleRegistryRereadsBeforeDeciding(t *testing.T) {
	ctx := context.Background()
	a, st := stocked(t)
	b, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s1, err := a.Allocate(ctx, windDemand("S", "100"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Release(ctx, "S", "returned"); err != nil {
		t.Fatal(err)
	}
	tt, err := a.Allocate(ctx, windDemand("T", "100"))
	if err != nil {
		t.Fatal(err)
	}
	// T now holds S's old grams 0-100000.
	if tt.Plan.Lines[0].Grams != s1.Plan.Lines[0].Grams {
		t.Fatalf("T got %v, want S's released %v", tt.Plan.Lines[0].Grams, s1.Plan.Lines[0].Grams)
	}
	again, err := b.Allocate(ctx, windDemand("S", "100"))
	if err != nil {
		t.Fatal(err)
	}
	if again.Seq == s1.Seq || again.Plan.Lines[0].Grams != (offset.GramRange{From: 100_000, To: 200_000}) {
		t.Fatalf("stale registry answered entry %d grams %v; want a new allocation of grams 100000-200000",
			again.Seq, again.Plan.Lines[0].Grams)
	}
	// And a stale registry can release what another allocated.
	c, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Allocate(ctx, windDemand("U", "1")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Release(ctx, "U", "returned"); err != nil {
		t.Fatalf("release through a registry opened before the allocation: %v", err)
	}
}

// The same demand is recognised after a reopen even when its JSON does not
// survive a decode and re-encode unchanged (an empty, non-nil tier list).
func TestIdempotentAcrossReopen(t *testing.T) {
	ctx := context.Background()
	r, st := stocked(t)
	d := windDemand("PF-1", "10")
	d.Preferences.Rounding.Tiers = []footprint.CO2e{}
	first, err := r.Allocate(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := r2.Allocate(ctx, d)
	if err != nil || again.Seq != first.Seq {
		t.Fatalf("retry after reopen: seq %d, %v; want %d", again.Seq, err, first.Seq)
	}
}

func TestVerifyRefusesEmptyHashAndLoneEntries(t *testing.T) {
	bad := registry.Entry{Seq: 1, Kind: registry.KindStock, Body: json.RawMessage("garbage"), Prev: registry.GenesisHash}
	_, err := registry.Verify([]registry.Entry{bad}, registry.GenesisHash)
	checkJournalErr(t, err, 1, "body", nil)

	es := journal(t)
	_, err = registry.Verify(es[2:], registry.GenesisHash)
	checkJournalErr(t, err, 3, "seq", nil)
}

// zoneStore returns every entry's time in another zone, as a database
// session in India might.
type zoneStore struct{ *registry.MemStore }

func (s zoneStore) Read(ctx context.Context, from uint64, max int) ([]registry.Entry, error) {
	es, err := s.MemStore.Read(ctx, from, max)
	for i := range es {
		es[i].Time = es[i].Time.In(time.FixedZone("IST", 5*3600+1800))
	}
	return es, err
}

func TestReplayedTimesAreUTC(t *testing.T) {
	ctx := context.Background()
	r, st := stocked(t)
	a, err := r.Allocate(ctx, windDemand("PF-1", "1"))
	if err != nil {
		t.Fatal(err)
	}
	r2, err := registry.Open(ctx, zoneStore{st}, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r2.Allocation("PF-1")
	if b.Time.Location() != time.UTC || !b.Time.Equal(a.Time) {
		t.Fatalf("replayed time %v, want %v in UTC", b.Time, a.Time)
	}
}

func TestErrorsNameTheCallersInput(t *testing.T) {
	ctx := context.Background()
	r, _ := stocked(t)
	p := offset.SampleProjects()[0]
	p.Name += " (renamed)" // the same project again would be the same stock again, accepted
	err := r.AddStock(ctx, []offset.Project{p}, nil)
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || !errors.Is(err, offset.ErrInvalidInventory) || !strings.HasPrefix(fe.Field, "projects[0]") {
		t.Fatalf("a project ID the registry holds, passed again with another name: err = %v, want a field error at projects[0]", err)
	}
	if !strings.HasPrefix(err.Error(), "registry: ") {
		t.Fatalf("error %q does not start with the package name", err)
	}
	_, err = r.Allocate(ctx, windDemand("PF-\xff", "1"))
	if !errors.Is(err, offset.ErrInvalidDemand) || !errors.As(err, &fe) || fe.Field != "serial" {
		t.Fatalf("a serial that is not UTF-8: err = %v, want a field error at serial", err)
	}
	if _, err := r.Allocate(ctx, windDemand("PF-1", "1000000")); !errors.Is(err, offset.ErrUnmet) || !strings.HasPrefix(err.Error(), "registry: ") {
		t.Fatalf("unmet demand: err = %v, want offset.ErrUnmet under \"registry: \"", err)
	}
	st := registry.NewMemStore()
	if err := st.Append(ctx, []registry.Entry{{Seq: 2}}); err == nil || errors.Is(err, registry.ErrJournal) || errors.Is(err, registry.ErrSeqTaken) {
		t.Fatalf("MemStore gap: err = %v, want a plain error", err)
	}
}

// What AddStock applies is what a reopened journal applies: the stock as
// read back from its JSON form (here, a name whose bytes are not UTF-8
// reads back with U+FFFD).
func TestAddStockAppliesWhatReplayApplies(t *testing.T) {
	ctx := context.Background()
	st := registry.NewMemStore()
	r, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := offset.SampleProjects()
	ps[0].Name = "SAMPLE \xff project"
	if err := r.AddStock(ctx, ps, offset.SampleLots()); err != nil {
		t.Skipf("the offset package refuses the name itself: %v", err)
	}
	again, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p1, _ := r.Inventory().Project(ps[0].ID)
	p2, _ := again.Inventory().Project(ps[0].ID)
	if p1.Name != p2.Name || p1.Name != "SAMPLE \ufffd project" {
		t.Fatalf("live registry holds %q, reopened %q; want both %q", p1.Name, p2.Name, "SAMPLE \ufffd project")
	}
}
