package lifecarbon_test

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

var testKey = ed25519.NewKeyFromSeed([]byte("checkout-test-key-seed-32-bytes!"))

func sale(serial string) lifecarbon.Sale {
	p := footprint.ReferenceLaptop()
	p.Serial = serial
	return lifecarbon.Sale{
		Product: p,
		Preferences: offset.Preferences{
			Filter:   offset.Filter{Projects: []string{"sample-in-wind"}},
			Rounding: offset.RoundToTiers(kg(500), kg(1000), kg(1500)),
		},
		Certificate: certificate.IssueOptions{
			Issuer:   certificate.Issuer{Name: "Test Retail"},
			IssuedAt: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
		},
	}
}

// The receipt's parts agree with each other and with the inventory: the
// grams that left the wind lot are exactly the plan's amount, the plan
// covers the footprint, the certificate verifies and names the tier.
func TestCheckoutConservesAndCovers(t *testing.T) {
	inv := offset.SampleInventory()
	before := inv.TotalFreeGrams()
	r, err := lifecarbon.Checkout(inv, sale("SN-1"), testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Plan.Amount.Cmp(r.Footprint.CO2e) < 0 {
		t.Errorf("plan %s below footprint %s", r.Plan.Amount, r.Footprint.CO2e)
	}
	taken := decimal.NewFromInt(before - r.Inventory.TotalFreeGrams())
	if !taken.Equal(r.Plan.Amount.Grams()) {
		t.Errorf("inventory lost %s g, plan allocates %s g", taken, r.Plan.Amount.Grams())
	}
	if inv.TotalFreeGrams() != before {
		t.Error("Checkout modified the inventory passed in")
	}
	// The footprint (≈ 150–600 kg) falls in the 500 kg tier or above; the
	// tier is named after the amount sold.
	if r.Certificate.Tier == nil || r.Certificate.Tier.Name != r.Plan.Amount.Kg().String()+" kg" {
		t.Errorf("tier = %+v, plan amount %s", r.Certificate.Tier, r.Plan.Amount)
	}
	for _, l := range r.Plan.Lines {
		if l.Project != "sample-in-wind" {
			t.Errorf("line from %s, buyer picked sample-in-wind", l.Project)
		}
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: testKey.Public()}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Certificate.Verify(certificate.VerifyOptions{Keys: keys}); err != nil {
		t.Errorf("verify: %v", err)
	}
	if r.Certificate.Product.Serial != "SN-1" || !r.Certificate.Footprint.Total.Equal(r.Footprint.CO2e) {
		t.Errorf("certificate %s / %s does not match the footprint", r.Certificate.Product.Serial, r.Certificate.Footprint.Total)
	}

	// Two sales in a row never draw the same grams.
	r2, err := lifecarbon.Checkout(r.Inventory, sale("SN-2"), testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range r.Plan.Lines {
		for _, b := range r2.Plan.Lines {
			if a.Lot == b.Lot && a.Grams.From < b.Grams.To && b.Grams.From < a.Grams.To {
				t.Errorf("SN-1 and SN-2 share grams of lot %s: %v and %v", a.Lot, a.Grams, b.Grams)
			}
		}
	}
}

func TestCheckoutErrorsNameTheStep(t *testing.T) {
	inv := offset.SampleInventory()

	noSerial := sale("")
	_, err := lifecarbon.Checkout(inv, noSerial, testKey, nil)
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || fe.Field != "serial" || !errors.Is(err, footprint.ErrInvalidProduct) {
		t.Errorf("no serial: %v", err)
	}

	badSpec := sale("SN-3")
	badSpec.Product.Use.Lifetime = footprint.Years(decimal.NewFromInt(31))
	_, err = lifecarbon.Checkout(inv, badSpec, testKey, nil)
	if !errors.Is(err, footprint.ErrInvalidProduct) || !strings.HasPrefix(err.Error(), "footprint: ") {
		t.Errorf("lifetime 31 y: %v", err)
	}

	capped := sale("SN-4")
	capped.Preferences.Rounding = offset.Rounding{}
	maxPrice := offset.MustPrice("0.01", "USD")
	capped.Preferences.MaxPrice = &maxPrice
	_, err = lifecarbon.Checkout(inv, capped, testKey, nil)
	var unmet *offset.UnmetError
	if !errors.As(err, &unmet) || !strings.HasPrefix(err.Error(), "offset: ") || strings.HasPrefix(err.Error(), "offset: offset: ") {
		t.Errorf("price cap 0.01 USD/t: %v", err)
	}

	_, err = lifecarbon.Checkout(inv, sale("SN-5"), nil, nil)
	if !errors.Is(err, certificate.ErrKey) || !strings.HasPrefix(err.Error(), "certificate: ") {
		t.Errorf("nil key: %v, want certificate.ErrKey", err)
	}

	noIssuer := sale("SN-6")
	noIssuer.Certificate.Issuer.Name = ""
	_, err = lifecarbon.Checkout(inv, noIssuer, testKey, nil)
	if !errors.Is(err, certificate.ErrInvalid) {
		t.Errorf("no issuer: %v", err)
	}
}

// Checkout keeps no state: concurrent calls on one inventory give the same
// receipt as a lone call (run with -race).
func TestCheckoutConcurrent(t *testing.T) {
	inv := offset.SampleInventory()
	want, err := lifecarbon.Checkout(inv, sale("SN-C"), testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := want.Certificate.MarshalJSON()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := lifecarbon.Checkout(inv, sale("SN-C"), testKey, nil)
			if err != nil {
				errs <- err
				return
			}
			js, _ := got.Certificate.MarshalJSON()
			if string(js) != string(wantJSON) {
				errs <- errors.New("concurrent checkout gave another certificate")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
