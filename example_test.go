package lifecarbon_test

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
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
	// footprint: 236.54 kg CO2e
	// plan: PF-3X7Y2Z: 500 kg CO2e from 1 line, 4.75 USD
	// tier: 500 kg
	// verify: <nil>
	// wind credits left: 19500 kg
}
