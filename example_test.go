package lifecarbon_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/shopspring/decimal"
)

func kg(n int64) footprint.CO2e { return footprint.KgCO2e(decimal.NewFromInt(n)) }

// A laptop sold in India: the customer picks the wind project, the offset
// is sold in tiers, and the certificate is verified with the issuer's
// public key alone.
func Example() {
	// A fixed key keeps the output reproducible; a real issuer's key lives
	// in an HSM or KMS behind crypto.Signer.
	key := ed25519.NewKeyFromSeed([]byte("example-issuer-key-seed-32-bytes"))

	laptop := footprint.ReferenceLaptop()
	laptop.Serial = "PF-3X7Y2Z"
	r, err := lifecarbon.Checkout(offset.SampleInventory(), lifecarbon.Sale{
		Product: laptop,
		Preferences: offset.Preferences{
			Filter:   offset.Filter{Projects: []string{"sample-in-wind"}},
			Rounding: offset.RoundToTiers(kg(500), kg(1000), kg(1500)),
		},
		Certificate: certificate.IssueOptions{
			Issuer:   certificate.Issuer{Name: "Example Retail"},
			IssuedAt: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
		},
	}, key, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("footprint:", footprint.RoundForDisplay(r.Footprint.CO2e), "kg CO2e")
	fmt.Println("plan:", r.Plan)
	fmt.Println("tier:", r.Certificate.Tier.Name)

	keys, err := certificate.NewKeySet([]certificate.Key{{Public: key.Public()}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("verify:", r.Certificate.Verify(certificate.VerifyOptions{Keys: keys}))
	fmt.Println("wind credits left:", r.Inventory.FreeGrams("IN-WIND-2021")/1000, "kg")
	// Output:
	// footprint: 259.65 kg CO2e
	// plan: PF-3X7Y2Z: 500 kg CO2e from 1 line, 4.75 USD
	// tier: 500 kg
	// verify: <nil>
	// wind credits left: 19500 kg
}

// The same sale recorded in a registry, the book of record: a retried
// checkout gets the same allocation, and a returned laptop frees it.
func ExampleCheckoutRecorded() {
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed([]byte("example-issuer-key-seed-32-bytes"))
	reg, err := registry.Open(ctx, registry.NewMemStore(), registry.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		fmt.Println(err)
		return
	}
	laptop := footprint.ReferenceLaptop()
	laptop.Serial = "PF-3X7Y2Z"
	sale := lifecarbon.Sale{
		Product: laptop,
		Preferences: offset.Preferences{
			Filter:   offset.Filter{Projects: []string{"sample-in-wind"}},
			Rounding: offset.RoundToTiers(kg(500), kg(1000), kg(1500)),
		},
		Certificate: certificate.IssueOptions{
			Issuer:   certificate.Issuer{Name: "Example Retail"},
			IssuedAt: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
		},
	}
	first, err := lifecarbon.CheckoutRecorded(ctx, reg, sale, key, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	retry, _ := lifecarbon.CheckoutRecorded(ctx, reg, sale, key, nil)
	fmt.Println("plan:", first.Plan)
	fmt.Println("same certificate on retry:", first.Certificate.ID == retry.Certificate.ID)
	fmt.Println("wind credits left:", reg.Inventory().FreeGrams("IN-WIND-2021")/1000, "kg")

	// The laptop comes back: free its credits and revoke the certificate
	// (its ID goes on the revocation list given to Verify).
	if _, err := reg.Release(ctx, "PF-3X7Y2Z", "returned"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("after the return:", reg.Inventory().FreeGrams("IN-WIND-2021")/1000, "kg")
	// Output:
	// plan: PF-3X7Y2Z: 500 kg CO2e from 1 line, 4.75 USD
	// same certificate on retry: true
	// wind credits left: 19500 kg
	// after the return: 20000 kg
}

// An ERP batch: three laptops sold in one go, one of them without a serial
// number. The two good sales are allocated in one store append and get
// their certificates; the bad one reports its field and takes nothing.
// Each laptop's 259.6465… kg rounds up to 259.647 kg of credits; at 9.50
// USD a tonne that is 2.4666… USD, charged 2.47 (rounded up).
func ExampleCheckoutBatch() {
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed([]byte("example-issuer-key-seed-32-bytes"))
	reg, err := registry.Open(ctx, registry.NewMemStore(), registry.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		fmt.Println(err)
		return
	}
	var sales []lifecarbon.Sale
	for _, serial := range []string{"PF-0001", "", "PF-0003"} {
		laptop := footprint.ReferenceLaptop()
		laptop.Serial = serial
		sales = append(sales, lifecarbon.Sale{
			Product:     laptop,
			Preferences: offset.Preferences{Filter: offset.Filter{Projects: []string{"sample-in-wind"}}},
			Certificate: certificate.IssueOptions{
				Issuer:   certificate.Issuer{Name: "Example Retail"},
				IssuedAt: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
			},
		})
	}
	receipts, err := lifecarbon.CheckoutBatch(ctx, reg, sales, key, nil)
	if err != nil {
		fmt.Println(err) // the store failed: see the receipts
	}
	for i, r := range receipts {
		if r.Err != nil {
			fmt.Println(i, "error:", r.Err)
			continue
		}
		fmt.Println(i, r.Plan, "certificate", r.Certificate.ShortID())
	}
	// Output:
	// 0 PF-0001: 259.647 kg CO2e from 1 line, 2.47 USD certificate NJUJNWZR
	// 1 error: footprint: serial: required: a certificate names one unit sold, got ""
	// 2 PF-0003: 259.647 kg CO2e from 1 line, 2.47 USD certificate POBEYKOX
}
