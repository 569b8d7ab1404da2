package lifecarbon_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/shopspring/decimal"
)

func sampleRegistry(t *testing.T) (*registry.Registry, *registry.MemStore) {
	t.Helper()
	st := registry.NewMemStore()
	reg, err := registry.Open(context.Background(), st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.AddStock(context.Background(), offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	return reg, st
}

// Recording the sale in a registry gives the plan and the certificate, byte
// for byte, that Checkout gives on the same inventory; a retry gives them
// again without a second allocation.
func TestCheckoutRecordedMatchesCheckout(t *testing.T) {
	ctx := context.Background()
	reg, st := sampleRegistry(t)
	want, err := lifecarbon.Checkout(offset.SampleInventory(), sale("SN-R1"), testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := want.Certificate.MarshalJSON()
	for try := range 2 {
		got, err := lifecarbon.CheckoutRecorded(ctx, reg, sale("SN-R1"), testKey, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Seq != 2 { // the stock is entry 1
			t.Fatalf("try %d: allocation recorded in entry %d, want 2", try, got.Seq)
		}
		js, _ := got.Certificate.MarshalJSON()
		if string(js) != string(wantJSON) {
			t.Fatalf("try %d: certificate differs from Checkout's:\n%s\n%s", try, js, wantJSON)
		}
		if st.Len() != 2 {
			t.Fatalf("try %d: journal has %d entries, want 2 (stock, one allocation)", try, st.Len())
		}
	}
	if got := reg.Inventory().FreeGrams("IN-WIND-2021"); got != want.Inventory.FreeGrams("IN-WIND-2021") {
		t.Fatalf("registry's wind lot has %d g free, Checkout's inventory %d g", got, want.Inventory.FreeGrams("IN-WIND-2021"))
	}
}

func TestCheckoutRecordedErrors(t *testing.T) {
	ctx := context.Background()
	reg, _ := sampleRegistry(t)
	s := sale("SN-R2")
	s.Preferences.Filter.Projects = []string{"no-such-project"}
	_, err := lifecarbon.CheckoutRecorded(ctx, reg, s, testKey, nil)
	if !errors.Is(err, offset.ErrInvalidDemand) || !strings.HasPrefix(err.Error(), "registry: ") {
		t.Fatalf("unknown project: err = %v, want offset.ErrInvalidDemand under \"registry: \"", err)
	}
	if _, err := lifecarbon.CheckoutRecorded(ctx, reg, sale("SN-R2"), testKey, nil); err != nil {
		t.Fatal(err)
	}
	other := sale("SN-R2")
	other.Preferences.Rounding = offset.Rounding{}
	_, err = lifecarbon.CheckoutRecorded(ctx, reg, other, testKey, nil)
	if !errors.Is(err, registry.ErrAllocated) || strings.HasPrefix(err.Error(), "registry: registry:") {
		t.Fatalf("another sale of the same serial: err = %v, want ErrAllocated, prefixed once", err)
	}
	if _, err := lifecarbon.CheckoutRecorded(ctx, nil, sale("SN-R3"), testKey, nil); err == nil {
		t.Fatal("nil registry accepted")
	}
	if _, err := lifecarbon.CheckoutRecorded(ctx, reg, sale("SN-R3"), nil, nil); !errors.Is(err, certificate.ErrKey) {
		t.Fatalf("no key: err = %v, want certificate.ErrKey", err)
	}
	if _, ok := reg.Allocation("SN-R3"); ok {
		t.Fatal("a checkout without a key allocated credits")
	}
}

// Many checkouts at once on one registry: each certificate verifies and no
// two plans share a gram.
func TestCheckoutRecordedConcurrent(t *testing.T) {
	ctx := context.Background()
	reg, _ := sampleRegistry(t)
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: testKey.Public()}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	plans := make([]offset.Plan, 16)
	for i := range plans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := sale(fmt.Sprint("SN-C", i))
			s.Preferences = offset.Preferences{Currency: "USD"}
			r, err := lifecarbon.CheckoutRecorded(ctx, reg, s, testKey, nil)
			if err != nil {
				t.Error(err)
				return
			}
			if err := r.Certificate.Verify(certificate.VerifyOptions{Keys: keys}); err != nil {
				t.Error(err)
			}
			plans[i] = r.Plan
		}()
	}
	wg.Wait()
	seen := map[string][]offset.GramRange{}
	for _, p := range plans {
		for _, ln := range p.Lines {
			for _, g := range seen[ln.Lot] {
				if g.From < ln.Grams.To && ln.Grams.From < g.To {
					t.Fatalf("grams %v and %v of lot %s sold twice", g, ln.Grams, ln.Lot)
				}
			}
			seen[ln.Lot] = append(seen[ln.Lot], ln.Grams)
		}
	}
}

// A unit returned and sold again gets a new journal entry (Seq), and a
// certificate with a later issue time gets a new ID.
func TestCheckoutRecordedResale(t *testing.T) {
	ctx := context.Background()
	reg, _ := sampleRegistry(t)
	first, err := lifecarbon.CheckoutRecorded(ctx, reg, sale("SN-RS"), testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Release(ctx, "SN-RS", "returned"); err != nil {
		t.Fatal(err)
	}
	s := sale("SN-RS")
	s.Certificate.IssuedAt = s.Certificate.IssuedAt.Add(time.Second)
	again, err := lifecarbon.CheckoutRecorded(ctx, reg, s, testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	// entries: 1 stock, 2 the first sale, 3 the release, 4 the resale
	if first.Seq != 2 || again.Seq != 4 || again.Certificate.ID == first.Certificate.ID {
		t.Fatalf("sale in entry %d, resale in entry %d; certificate IDs %s, %s", first.Seq, again.Seq, first.Certificate.ID, again.Certificate.ID)
	}
}

// A footprint whose exact total is longer than an input decimal may be
// (60 characters with its unit; see footprint's TestLongFiguresReadBack)
// goes through the whole chain: the journal that records its allocation
// opens again, and its certificate's JSON parses. Before, the plan in the
// journal held a figure no decoder would read, and the store could not be
// opened again.
func TestLongFigureRecordedAndReopened(t *testing.T) {
	ctx := context.Background()
	reg, st := sampleRegistry(t)
	s := sale("SN-LONG")
	spec, err := footprint.DecodeProductSpec(strings.NewReader(`{"manufacturer":"A","model":"Server","serial":"SN-LONG","mass":"25 kg",
		"manufacture":{"declared":{"amount":"1500 kg CO2e","source":"PCF sheet"}},
		"use":{"yearlyEnergy":"2350 kWh","lifetime":"1500 d","grid":{"kgPerKWh":"0.38512","source":"utility 2025"},
		"trajectory":{"yearlyDecline":"0.0325"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s.Product = spec
	s.Preferences = offset.Preferences{Currency: "USD"}
	r, err := lifecarbon.CheckoutRecorded(ctx, reg, s, testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.Footprint.CO2e.String()); n <= 48 {
		t.Fatalf("the total %s is not longer than an input decimal may be", r.Footprint.CO2e)
	}
	again, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatalf("opening the journal again: %v", err)
	}
	if got, want := again.Inventory().FreeGrams("IN-WIND-2021"), reg.Inventory().FreeGrams("IN-WIND-2021"); got != want {
		t.Errorf("reopened: %d g free, want %d", got, want)
	}
	js, err := r.Certificate.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := certificate.Parse(js); err != nil {
		t.Errorf("the certificate's own JSON: %v", err)
	}
}

// bigStock is one project of 12,000 one-tonne lots, each a single credit
// of its own vintage, so that a plan for 10,000 t names 10,000 lots and
// its signed certificate is larger than certificate.MaxSize (1 MiB).
func bigStock(t *testing.T) *registry.Registry {
	t.Helper()
	ps := []offset.Project{{ID: "p", Name: "P", Standard: "CDM", Type: "wind", UnitType: offset.Avoidance, Country: "IN"}}
	ls := make([]offset.Lot, 12_000)
	for i := range ls {
		b, err := offset.ParseSerialBlock(fmt.Sprintf("%d-%d", 2*i+1, 2*i+1))
		if err != nil {
			t.Fatal(err)
		}
		ls[i] = offset.Lot{ID: fmt.Sprintf("L%05d", i), Project: "p", Vintage: 1900 + i%8000, Block: b, Tonnes: 1,
			Status: offset.Retired, Price: offset.MustPrice("5", "USD")}
	}
	reg, err := registry.Open(context.Background(), registry.NewMemStore(), registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.AddStock(context.Background(), ps, ls); err != nil {
		t.Fatal(err)
	}
	return reg
}

// A plan whose certificate would be larger than certificate.MaxSize fails
// with certificate.ErrTooLarge after its allocation is recorded, and the
// allocation stays, as documented: the registry cannot tell it from an
// allocation another call has certified (the same sale with shorter
// certificate texts, say), so releasing it is the caller's decision; once
// released, its grams are free again.
func TestTooLargeCertificateKeepsAllocation(t *testing.T) {
	ctx := context.Background()
	reg := bigStock(t)
	s := sale("BIG-1")
	s.Product.Manufacture.BOM = nil
	s.Product.Manufacture.Declared = &footprint.DeclaredFigure{Amount: footprint.KgCO2e(decimal.NewFromInt(10_000_000)), Source: "PCF sheet"}
	s.Preferences = offset.Preferences{}
	free := reg.Inventory().FreeGrams("L00000")
	_, err := lifecarbon.CheckoutRecorded(ctx, reg, s, testKey, nil)
	if !errors.Is(err, certificate.ErrTooLarge) {
		t.Fatalf("CheckoutRecorded: %v, want certificate.ErrTooLarge", err)
	}
	if _, held := reg.Allocation("BIG-1"); !held {
		t.Fatal("the allocation was released; the caller decides that")
	}
	if _, err := reg.Release(ctx, "BIG-1", "certificate too large"); err != nil {
		t.Fatal(err)
	}
	if got := reg.Inventory().FreeGrams("L00000"); got != free {
		t.Errorf("after the release, lot L00000 has %d g free, want %d", got, free)
	}
}
