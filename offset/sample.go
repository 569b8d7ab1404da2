package offset

import (
	"bytes"
	_ "embed"
	"sync"
)

// The sample catalogue is SAMPLE DATA: invented projects and lots that
// resemble what per-product offset services sell (sugar-mill biomass power,
// wind and waste-to-energy in Asia-Pacific, and projects on other
// continents and in both hemispheres), for examples, tests and the
// quickstart. The projects do not exist; their registry links point to
// example.org. Do not sell from it.
//
//go:embed data/sample_inventory.json
var sampleJSON []byte

var sample = sync.OnceValue(func() Inventory {
	inv, err := DecodeInventory(bytes.NewReader(sampleJSON))
	if err != nil {
		panic("offset: embedded sample inventory: " + err.Error()) // caught by the package tests
	}
	return inv
})

// SampleInventory returns the embedded SAMPLE inventory: eight invented
// projects (India biomass and wind, Thailand waste-to-energy, Kenya
// cookstoves, Brazil REDD+, Chile solar, US landfill gas, Australia
// reforestation) and ten lots of 10 to 40 t, priced in USD except the
// Chile solar lot (EUR). Everything is free. The data is sample data, not
// real projects or credits.
func SampleInventory() Inventory { return sample() }

// SampleProjects returns the SAMPLE projects (see SampleInventory).
func SampleProjects() []Project { return sample().Projects() }

// SampleLots returns the SAMPLE lots (see SampleInventory).
func SampleLots() []Lot { return sample().Lots() }
