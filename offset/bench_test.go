package offset

import (
	"crypto/ed25519"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

// BenchmarkEd25519Sign1KiB is the baseline of the ratio targets: one
// Ed25519 signature of a 1 KiB message.
func BenchmarkEd25519Sign1KiB(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	msg := make([]byte, 1024)
	b.ReportAllocs()
	for b.Loop() {
		ed25519.Sign(priv, msg)
	}
}

var benchTypes = []ProjectType{TypeWind, TypeSolar, TypeBiomass, TypeHydro, TypeWasteToEnergy, TypeLandfillMethane, TypeCookstoves, TypeForestry}
var benchCountries = []string{"IN", "CN", "TH", "VN", "ID", "KE", "UG", "RW", "BR", "CL", "PE", "CO", "US", "MX", "TR", "DE", "AU", "NZ", "ZA", "EG"}

// benchInventory builds nLots lots over nProjects projects, all in USD,
// each of a million tonnes so a benchmark never exhausts them.
func benchInventory(b *testing.B, nProjects, nLots int) Inventory {
	ps, ls := benchLots(nProjects, nLots)
	inv, err := NewInventory(ps, ls)
	if err != nil {
		b.Fatal(err)
	}
	return inv
}

// benchLots returns the projects and lots benchInventory builds from.
func benchLots(nProjects, nLots int) ([]Project, []Lot) {
	r := rand.New(rand.NewPCG(7, uint64(nLots)))
	ps := make([]Project, nProjects)
	for i := range ps {
		ps[i] = tproj("P"+strconv.Itoa(i), benchTypes[i%len(benchTypes)], benchCountries[r.IntN(len(benchCountries))], StandardCDM, Avoidance)
	}
	ps[0].Type, ps[0].Country = TypeWind, "IN" // the buyer's pick
	ls := make([]Lot, nLots)
	for i := range ls {
		ls[i] = tlot("L"+strconv.Itoa(i), ps[r.IntN(nProjects)].ID, 2010+r.IntN(15), uint64(i)*1_000_000+1, 1_000_000,
			decimal.New(int64(300+r.IntN(2000)), -2).String(), "USD")
	}
	return ps, ls
}

// BenchmarkNewInventory measures building (validating and indexing) an
// inventory of 1,000, 10,000 and 100,000 lots over 100 projects.
func BenchmarkNewInventory(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		ps, ls := benchLots(100, n)
		b.Run("lots="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewInventory(ps, ls); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchDemands() map[string]Demand {
	tiers := RoundToTiers(kgQ("500"), kgQ("1000"), kgQ("1500"))
	return map[string]Demand{
		// The quickstart: the buyer picks a project; tier rounding.
		"named": {Serial: "PF-3X7Y2Z", Amount: kgQ("508.2"), Country: "IN",
			Preferences: Preferences{Filter: Filter{Projects: []string{"P0"}}, Rounding: tiers}},
		// One project type (1/8 of the projects), cheapest first.
		"type-cheapest": {Serial: "PF-1", Amount: kgQ("508.2"),
			Preferences: Preferences{Filter: Filter{Types: []ProjectType{TypeWind}}}},
		// No preference: cheapest lot of the whole inventory.
		"any-cheapest": {Serial: "PF-2", Amount: kgQ("508.2")},
		// Oldest vintage within a vintage window and a price cap.
		"oldest-window": {Serial: "PF-3", Amount: kgQ("508.2"),
			Preferences: Preferences{Strategy: Oldest, VintageFrom: 2018, MaxPrice: &Price{decimal.NewFromInt(15), "USD"}}},
		// Closest to India.
		"closest": {Serial: "PF-4", Amount: kgQ("508.2"), Country: "IN", Preferences: Preferences{Strategy: Closest}},
	}
}

// BenchmarkMatch measures one demand against inventories of 1,000, 10,000
// and 100,000 lots over 100 projects (Match on an unchanged snapshot).
func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		inv := benchInventory(b, 100, n)
		for _, name := range []string{"named", "type-cheapest", "any-cheapest", "oldest-window", "closest"} {
			d := benchDemands()[name]
			if _, err := Match(inv, d); err != nil {
				b.Fatal(err)
			}
			b.Run(name+"/lots="+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Match(inv, d); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkMatchProjectsGrow is BenchmarkMatch with the number of projects
// growing with the lots (one project per 50 lots: 20 to 2,000).
func BenchmarkMatchProjectsGrow(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		inv := benchInventory(b, n/50, n)
		for _, name := range []string{"named", "type-cheapest", "any-cheapest"} {
			d := benchDemands()[name]
			b.Run(name+"/lots="+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Match(inv, d); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkMatcher measures successive allocations with a Matcher (each
// demand takes grams the next cannot).
func BenchmarkMatcher(b *testing.B) {
	inv := benchInventory(b, 100, 10000)
	for _, name := range []string{"named", "type-cheapest", "any-cheapest"} {
		d := benchDemands()[name]
		b.Run(name+"/lots=10000", func(b *testing.B) {
			m := NewMatcher(inv)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Match(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMatchStream streams b.N demands through MatchStream against
// 10,000 lots, discarding the plans, and reports the peak live heap
// (sampled every 10,000 demands after a GC) next to the heap the
// inventory alone takes. Run with -benchtime=1000000x for a batch of a
// million demands.
func BenchmarkMatchStream(b *testing.B) {
	inv := benchInventory(b, 100, 10000)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	d := benchDemands()["type-cheapest"]
	var peak uint64
	i := 0
	b.ReportAllocs()
	b.ResetTimer()
	_, err := MatchStream(inv, func() (Demand, bool) {
		if i == b.N {
			return Demand{}, false
		}
		i++
		return d, true
	}, func(k int, p Plan, err error) error {
		if err != nil {
			return err
		}
		if k%10000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	runtime.KeepAlive(inv)
	b.ReportMetric(float64(base)/(1<<20), "inventory-heap-MiB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
