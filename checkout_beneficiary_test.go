package lifecarbon_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// saleFor returns sale(serial) with the certificate naming beneficiary.
func saleFor(serial, beneficiary string) lifecarbon.Sale {
	s := sale(serial)
	s.Certificate.Beneficiary = beneficiary
	return s
}

// TestCheckoutRecordedBeneficiary: one serial's credits are certified for
// one beneficiary. The same sale for another beneficiary (or for none) is
// refused with registry.ErrAllocated instead of getting a second signed
// certificate for the same credits; the same beneficiary again gets the
// same allocation, also at a later issue time; the beneficiary is
// journaled with the allocation and named by the certificate.
func TestCheckoutRecordedBeneficiary(t *testing.T) {
	ctx := context.Background()
	reg, st := sampleRegistry(t)
	a, err := lifecarbon.CheckoutRecorded(ctx, reg, saleFor("SN-BEN1", "Customer A Ltd"), testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Certificate.Beneficiary != "Customer A Ltd" {
		t.Errorf("certificate names %q", a.Certificate.Beneficiary)
	}
	if held, _ := reg.Allocation("SN-BEN1"); held.Demand.Beneficiary != "Customer A Ltd" {
		t.Errorf("the registry recorded beneficiary %q", held.Demand.Beneficiary)
	}
	for _, other := range []string{"Customer B GmbH", ""} {
		b, err := lifecarbon.CheckoutRecorded(ctx, reg, saleFor("SN-BEN1", other), testKey, nil)
		if !errors.Is(err, registry.ErrAllocated) || !strings.HasPrefix(err.Error(), "registry: ") {
			t.Errorf("the same serial for %q: err = %v, want registry.ErrAllocated", other, err)
		}
		if b.Certificate != nil {
			t.Errorf("the same serial for %q got a certificate for %s", other, b.Certificate.Offsets[0].Credits[0].Serial)
		}
	}
	again, err := lifecarbon.CheckoutRecorded(ctx, reg, saleFor("SN-BEN1", "Customer A Ltd"), testKey, nil)
	if err != nil || again.Seq != a.Seq {
		t.Fatalf("retry for the same beneficiary: seq %d, %v; want %d", again.Seq, err, a.Seq)
	}
	aj, _ := a.Certificate.MarshalJSON()
	if gj, _ := again.Certificate.MarshalJSON(); string(gj) != string(aj) {
		t.Errorf("retry's certificate differs:\n%s\n%s", gj, aj)
	}
	later := saleFor("SN-BEN1", "Customer A Ltd")
	later.Certificate.IssuedAt = later.Certificate.IssuedAt.Add(time.Hour)
	if l, err := lifecarbon.CheckoutRecorded(ctx, reg, later, testKey, nil); err != nil || l.Seq != a.Seq || l.Certificate.Beneficiary != "Customer A Ltd" {
		t.Errorf("retry at a later time: seq %d, %v", l.Seq, err)
	}
	if st.Len() != 2 {
		t.Errorf("journal has %d entries, want 2 (stock, one allocation)", st.Len())
	}
	es, _ := st.Read(ctx, 2, 1)
	if len(es) != 1 || !strings.Contains(string(es[0].Body), `"beneficiary":"Customer A Ltd"`) {
		t.Errorf("the journal does not record the beneficiary: %s", es[0].Body)
	}
	// Released (a return), the serial may be sold to another beneficiary.
	if _, err := reg.Release(ctx, "SN-BEN1", "returned"); err != nil {
		t.Fatal(err)
	}
	resold := saleFor("SN-BEN1", "Customer B GmbH")
	resold.Certificate.IssuedAt = later.Certificate.IssuedAt.Add(time.Hour)
	if b, err := lifecarbon.CheckoutRecorded(ctx, reg, resold, testKey, nil); err != nil || b.Seq == a.Seq || b.Certificate.Beneficiary != "Customer B GmbH" {
		t.Errorf("resold to B: seq %d, %v", b.Seq, err)
	}
}

// TestCheckoutBatchBeneficiary: in a batch, and across a batch and
// CheckoutRecorded, one serial sold for two beneficiaries gets one
// certificate: the other sale fails with registry.ErrAllocated.
func TestCheckoutBatchBeneficiary(t *testing.T) {
	ctx := context.Background()
	reg, st := sampleRegistry(t)
	sales := []lifecarbon.Sale{
		saleFor("SN-BEN2", "Customer A Ltd"),
		saleFor("SN-BEN2", "Customer B GmbH"),
		saleFor("SN-BEN2", "Customer A Ltd"),
		saleFor("SN-BEN2", ""),
		saleFor("SN-BEN3", "Customer B GmbH"),
	}
	got, err := lifecarbon.CheckoutBatch(ctx, reg, sales, testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Err != nil || got[4].Err != nil {
		t.Fatalf("sales 0 and 4: %v, %v", got[0].Err, got[4].Err)
	}
	if got[0].Certificate.Beneficiary != "Customer A Ltd" || got[4].Certificate.Beneficiary != "Customer B GmbH" {
		t.Errorf("certificates name %q and %q", got[0].Certificate.Beneficiary, got[4].Certificate.Beneficiary)
	}
	for _, i := range []int{1, 3} {
		if !errors.Is(got[i].Err, registry.ErrAllocated) || got[i].Certificate != nil {
			t.Errorf("sale %d (%q for the serial of sale 0): err = %v, want registry.ErrAllocated and no certificate", i, sales[i].Certificate.Beneficiary, got[i].Err)
		}
	}
	if got[2].Err != nil || got[2].Seq != got[0].Seq {
		t.Errorf("sale 2 (sale 0 again): seq %d, %v; want %d", got[2].Seq, got[2].Err, got[0].Seq)
	} else {
		j0, _ := got[0].Certificate.MarshalJSON()
		if j2, _ := got[2].Certificate.MarshalJSON(); string(j2) != string(j0) {
			t.Errorf("sale 2's certificate differs from sale 0's")
		}
	}
	if st.Len() != 3 {
		t.Errorf("journal has %d entries, want 3 (stock, two allocations)", st.Len())
	}
	// The batch again, and the other API, decide alike.
	again, err := lifecarbon.CheckoutBatch(ctx, reg, sales, testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sales {
		if (again[i].Err == nil) != (got[i].Err == nil) || again[i].Seq != got[i].Seq {
			t.Errorf("sale %d again: seq %d, %v; first %d, %v", i, again[i].Seq, again[i].Err, got[i].Seq, got[i].Err)
		}
	}
	if _, err := lifecarbon.CheckoutRecorded(ctx, reg, saleFor("SN-BEN3", "Customer A Ltd"), testKey, nil); !errors.Is(err, registry.ErrAllocated) {
		t.Errorf("CheckoutRecorded for another beneficiary of a serial the batch sold: %v", err)
	}
	if st.Len() != 3 {
		t.Errorf("journal has %d entries after the retries, want 3", st.Len())
	}
}

// TestBeneficiaryRulesAgree: the offset package and the certificate accept
// the same beneficiaries, so a sale's beneficiary is refused (on the field
// "beneficiary", before anything is allocated) or recorded and certified;
// never recorded and then refused by the certificate.
func TestBeneficiaryRulesAgree(t *testing.T) {
	ctx := context.Background()
	reg, st := sampleRegistry(t)
	for _, b := range []string{
		"", "Customer A Ltd", strings.Repeat("x", 512), strings.Repeat("x", 513),
		strings.Repeat("x", 511) + "é", "A\xffB", "tab\there", "nul\x00", "line\u2028sep", "\x7f",
	} {
		opts := sale("SN-X").Certificate
		opts.Beneficiary = b
		certErr := opts.Validate()
		demErr := offset.Demand{Serial: "SN-X", Amount: kg(1), Beneficiary: b}.Validate()
		if (certErr == nil) != (demErr == nil) {
			t.Errorf("%q: certificate says %v, offset says %v", b, certErr, demErr)
			continue
		}
		for _, err := range []error{certErr, demErr} {
			var fe *footprint.FieldError
			if err != nil && (!errors.As(err, &fe) || fe.Field != "beneficiary") {
				t.Errorf("%q: %v is not a field error on \"beneficiary\"", b, err)
			}
		}
		n := st.Len()
		_, err := lifecarbon.CheckoutRecorded(ctx, reg, saleFor("SN-AGREE-"+string(rune('a'+n)), b), testKey, nil)
		var fe *footprint.FieldError
		switch {
		case certErr != nil && (!errors.Is(err, certificate.ErrInvalid) || !errors.As(err, &fe) || fe.Field != "beneficiary"):
			t.Errorf("%q: CheckoutRecorded: %v, want a certificate field error on \"beneficiary\"", b, err)
		case certErr != nil && st.Len() != n:
			t.Errorf("%q: refused, but allocated", b)
		case certErr == nil && err != nil:
			t.Errorf("%q: CheckoutRecorded: %v", b, err)
		}
	}
}

// CheckoutBatch on a Registry not made by Open reports the error for each
// sale (it indexed an empty result and panicked).
func TestCheckoutBatchRegistryNotOpened(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	p := footprint.ReferenceLaptop()
	p.Serial = "SN-Z"
	sale := lifecarbon.Sale{Product: p, Preferences: offset.Preferences{Currency: "USD"},
		Certificate: certificate.IssueOptions{Issuer: certificate.Issuer{Name: "ERP"}, IssuedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}}
	out, err := lifecarbon.CheckoutBatch(context.Background(), &registry.Registry{}, []lifecarbon.Sale{sale}, key, nil)
	if err == nil || len(out) != 1 || out[0].Err == nil || !strings.Contains(out[0].Err.Error(), "Open") {
		t.Errorf("CheckoutBatch on a zero Registry: %v, %+v", err, out)
	}
}
