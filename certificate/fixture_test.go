package certificate

import (
	"crypto/ed25519"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testSeed is a fixed Ed25519 seed so that signatures are reproducible.
var testSeed = []byte("lifecarbon-test-key-seed-32bytes")

func testKey() ed25519.PrivateKey { return ed25519.NewKeyFromSeed(testSeed) }

func testKeys(t testing.TB) *KeySet {
	ks, err := NewKeySet([]Key{{Public: testKey().Public()}})
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func co2(s string) footprint.CO2e {
	q, err := footprint.ParseCO2e(s)
	if err != nil {
		panic(err)
	}
	return q
}

// sampleCertificate is the reference laptop: 508.2 kg footprint, a
// 1000 kg tier split over two projects. Names carry non-ASCII letters,
// quotes and characters RFC 8785 must escape.
//
// Hand check: stages 337.8 + 35.6 + 131.3 + 3.5 = 508.2 kg; lines
// 600 kg (400000 g + 200000 g) + 400 kg (400000 g) = 1000 kg ≥ 508.2 kg.
func sampleCertificate() *Certificate {
	c := &Certificate{
		Schema:   SchemaV1,
		Issuer:   Issuer{Name: "Ünïcode Retail GmbH \"Grün\"", URL: "https://retail.example/certificates"},
		Product:  Product{Manufacturer: "Lenovo", Model: "ThinkPad X1 Carbon Gen 9", Serial: "PF-3X7Y2Z"},
		IssuedAt: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		Footprint: Summary{
			Total: co2("508.2 kg"), Low: co2("413.6 kg"), High: co2("602.8 kg"),
			Stages: []StageTotal{
				{"manufacture", co2("337.8 kg")}, {"shipping", co2("35.6 kg")},
				{"use", co2("131.3 kg")}, {"end-of-life", co2("3.5 kg")},
			},
			Dataset:     Dataset{Name: "lifecarbon-default", Version: "2025.1"},
			InputDigest: "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
		},
		Offsets: []Line{
			{
				Project: "CDM-1234", ProjectName: "Tamil Nadu wind — Tirunelveli\tcluster", Standard: "CDM", Type: "wind",
				Country: "IN", Vintage: 2021, Amount: co2("600 kg"),
				Credits: []Credit{
					{Serial: "IN-5-123456789-1-1-0-1234", Grams: decimal.RequireFromString("400000")},
					{Serial: "IN-5-123456790-1-1-0-1234", Grams: decimal.RequireFromString("200000")},
				},
			},
			{
				Project: "GS11603", ProjectName: "Biomass 🌱 cogeneration \\ \u0007", Standard: "Gold Standard", Type: "biomass",
				Country: "KE", Vintage: 2022, Amount: co2("400 kg"),
				Credits: []Credit{{Serial: "GS1-1-KE-GS11603-16-2022-30256-110-5463", Grams: decimal.RequireFromString("400000")}},
			},
		},
		TotalOffset: co2("1000 kg"),
		Tier:        &Tier{Name: "1000 kg", Amount: co2("1000 kg")},
		Beneficiary: "Aïcha Ñúñez <customer>",
	}
	c.ID = DeriveID(c)
	return c
}

func signedSample(t testing.TB) *Certificate {
	c := sampleCertificate()
	if err := c.Sign(testKey(), nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}
