package footprint_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// signInput is the fixed key and 1 KiB message of the Ed25519 baselines.
func signInput() (ed25519.PrivateKey, []byte) {
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i)
	}
	msg := make([]byte, 1024)
	for i := range msg {
		msg[i] = byte(i * 7)
	}
	return ed25519.NewKeyFromSeed(seed), msg
}

// BenchmarkEd25519Sign1KiB is the baseline for the ratio targets of this
// package: one Ed25519 signature of a 1 KiB message.
func BenchmarkEd25519Sign1KiB(b *testing.B) {
	key, msg := signInput()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ { // not b.Loop: see calculate_bench_test.go
		_ = ed25519.Sign(key, msg)
	}
}

// BenchmarkEd25519Sign1KiBParallel signs on every CPU (b.RunParallel):
// with -cpu 1,2 it shows how much a CPU-bound, allocation-free job gains
// from a second CPU on the machine at hand, the yardstick for the scaling
// of BenchmarkCalculateBatch.
func BenchmarkEd25519Sign1KiBParallel(b *testing.B) {
	key, msg := signInput()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = ed25519.Sign(key, msg)
		}
	})
}

// BenchmarkFactorLookup measures lookups in the default dataset: an exact
// country row, a reported fallback to WORLD, and a freight row with boundary
// and radiative forcing. Target: at most 1/50 of BenchmarkEd25519Sign1KiB.
func BenchmarkFactorLookup(b *testing.B) {
	d := footprint.DefaultDataset()
	cases := []struct {
		name string
		q    footprint.Query
	}{
		{"grid-IN", footprint.Query{Measure: "electricity.grid", Region: "IN"}},
		{"grid-AQ-fallback", footprint.Query{Measure: "electricity.grid", Region: "AQ"}},
		{"air-TTW-RF", footprint.Query{Measure: "freight.air.long-haul", Boundary: footprint.TTW, RadiativeForcing: footprint.RFIncluded}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.Lookup(c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	layered := smallDatasetB(b).Over(d)
	b.Run("layered-grid-FR", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := layered.Lookup(footprint.Query{Measure: "electricity.grid", Region: "FR"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func smallDatasetB(b *testing.B) *footprint.Dataset {
	src := footprint.Source{Publisher: "Test", Title: "Hand-made", Year: 2025, License: "CC0-1.0"}
	d, err := footprint.NewDataset("small", "1", []footprint.Factor{
		{ID: "eu", Measure: "electricity.grid", Region: "EU", Basis: footprint.PerKWh, Amount: dsDec("0.2"), GWP: footprint.AR6, Source: src},
	})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkParseQuantity parses one quantity of each of the seven types
// (parsing only; printing is not included).
func BenchmarkParseQuantity(b *testing.B) {
	cases := []struct {
		name, in string
		parse    func(string) error
	}{
		{"CO2e", "508.2 kg CO2e", func(s string) error { _, err := footprint.ParseCO2e(s); return err }},
		{"Mass", "2.2 kg", parseMass},
		{"Energy", "12.5 kWh", parseEnergy},
		{"Power", "45 W", func(s string) error { _, err := footprint.ParsePower(s); return err }},
		{"Distance", "800 km", func(s string) error { _, err := footprint.ParseDistance(s); return err }},
		{"Duration", "5 y", parseDuration},
		{"FreightActivity", "1.76 tkm", func(s string) error { _, err := footprint.ParseFreightActivity(s); return err }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.parse(c.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
