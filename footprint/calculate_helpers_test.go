package footprint

import (
	"testing"

	"github.com/shopspring/decimal"
)

// d parses a decimal in tests.
func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func mustMass(s string) Mass {
	m, err := ParseMass(s)
	if err != nil {
		panic(err)
	}
	return m
}

func mustDist(s string) Distance {
	m, err := ParseDistance(s)
	if err != nil {
		panic(err)
	}
	return m
}

func mustPower(s string) Power {
	m, err := ParsePower(s)
	if err != nil {
		panic(err)
	}
	return m
}

func mustEnergy(s string) Energy {
	m, err := ParseEnergy(s)
	if err != nil {
		panic(err)
	}
	return m
}

func mustDur(s string) Duration {
	m, err := ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return m
}

// testSource is the provenance of the test factors.
var defra = Source{Publisher: "DESNZ/DEFRA", Title: "Greenhouse gas reporting: conversion factors 2025", Year: 2025, License: "OGL-3.0"}
var uba = Source{Publisher: "Umweltbundesamt", Title: "Green Cloud Computing", Year: 2021, License: "test"}
var testSrc = Source{Publisher: "lifecarbon tests", Title: "test factors", Year: 2026, License: "Apache-2.0"}

// calcDataset is an independent dataset for hand calculations: the DEFRA
// 2025 freight figures of REFERENCES.md, the UBA component model, a few
// grid factors and made-up material and end-of-life factors.
func calcDataset(t testing.TB) *Dataset {
	t.Helper()
	fr := func(id, measure string, b Boundary, rf RadiativeForcing, amt string) Factor {
		return Factor{ID: id, Measure: measure, Region: "WORLD", Basis: PerTonneKm, Amount: d(amt), Boundary: b, RadiativeForcing: rf, GWP: AR5, Description: id, Source: defra}
	}
	fs := []Factor{
		{ID: "grid.IN", Measure: "electricity.grid", Region: "IN", Basis: PerKWh, Amount: d("0.70896"), GWP: AR5, Description: "India", Source: testSrc},
		{ID: "grid.WORLD", Measure: "electricity.grid", Region: "WORLD", Basis: PerKWh, Amount: d("0.47294"), GWP: AR5, Description: "World", Source: testSrc},
		{ID: "grid.DE", Measure: "electricity.grid", Region: "DE", Basis: PerKWh, Amount: d("0.34206"), Uncertainty: Uncertainty{Relative: d("0.1")}, GWP: AR5, Description: "Germany", Source: testSrc},
		fr("air.lh.ttw.rf", "freight.air.long-haul", TTW, RFIncluded, "0.89939"),
		fr("air.lh.ttw.norf", "freight.air.long-haul", TTW, RFExcluded, "0.53130"),
		fr("air.lh.wtt.rf", "freight.air.long-haul", WTT, RFIncluded, "0.13516"),
		fr("air.lh.wtt.norf", "freight.air.long-haul", WTT, RFExcluded, "0.13516"),
		fr("air.sh.ttw.rf", "freight.air.short-haul", TTW, RFIncluded, "1.27835"),
		fr("air.sh.ttw.norf", "freight.air.short-haul", TTW, RFExcluded, "0.75539"),
		fr("air.sh.wtt", "freight.air.short-haul", WTT, "", "0.20515"),
		fr("sea.ttw", "freight.sea.container", TTW, "", "0.01612"),
		fr("sea.wtt", "freight.sea.container", WTT, "", "0.00365"),
		fr("road.ttw", "freight.road.hgv", TTW, "", "0.10163"),
		fr("road.wtt", "freight.road.hgv", WTT, "", "0.02359"),
		fr("rail.ttw", "freight.rail", TTW, "", "0.02779"),
		fr("rail.wtt", "freight.rail", WTT, "", "0.00691"),
		{ID: "cpu", Measure: "component.cpu", Region: "WORLD", Basis: PerMm2, Amount: d("0.0197"), Intercept: d("9.14"), Attribute: "die_area", GWP: AR5, Description: "CPU", Source: uba},
		{ID: "ram", Measure: "component.ram", Region: "WORLD", Basis: PerCm2, Amount: d("2.20"), Intercept: d("5.22"), Attribute: "capacity", Divisor: "density", GWP: AR5, Description: "RAM", Source: uba},
		{ID: "ssd", Measure: "component.ssd", Region: "WORLD", Basis: PerCm2, Amount: d("2.20"), Intercept: d("6.34"), Attribute: "capacity", Divisor: "density", GWP: AR5, Description: "SSD", Source: uba},
		{ID: "hdd", Measure: "component.hdd", Region: "WORLD", Basis: PerItem, Amount: d("31.11"), GWP: AR5, Description: "HDD", Source: uba},
		{ID: "mainboard", Measure: "component.mainboard", Region: "WORLD", Basis: PerItem, Amount: d("66.10"), Uncertainty: Uncertainty{Relative: d("0.2")}, GWP: AR5, Description: "mainboard", Source: uba},
		{ID: "psu", Measure: "component.psu", Region: "WORLD", Basis: PerKg, Amount: d("24.30"), Attribute: "mass", GWP: AR5, Description: "PSU", Source: uba},
		{ID: "assembly", Measure: "component.assembly", Region: "WORLD", Basis: PerItem, Amount: d("6.68"), GWP: AR5, Description: "assembly", Source: uba},
		{ID: "display", Measure: "component.display", Region: "WORLD", Basis: PerM2, Amount: d("200"), Attribute: "area", Uncertainty: Uncertainty{Low: d("150"), High: d("300")}, GWP: AR5, Description: "display", Source: testSrc},
		{ID: "aluminium", Measure: "material.aluminium", Region: "WORLD", Basis: PerKg, Amount: d("8.6"), GWP: AR5, Description: "aluminium", Source: testSrc},
		{ID: "cardboard", Measure: "material.cardboard", Region: "WORLD", Basis: PerKg, Amount: d("1.2"), GWP: AR5, Description: "cardboard", Source: testSrc},
		{ID: "battery", Measure: "component.battery", Region: "WORLD", Basis: PerWh, Amount: d("0.1"), GWP: AR5, Description: "per Wh but not linear: unusable for a component", Source: testSrc},
		{ID: "laptop", Measure: "device.laptop", Region: "WORLD", Basis: PerItem, Amount: d("181"), GWP: AR5, Description: "laptop", Source: testSrc},
		{ID: "weee", Measure: "eol.weee", Region: "WORLD", Basis: PerKg, Amount: d("0.5"), GWP: AR5, Description: "e-waste", Source: testSrc},
		{ID: "credit", Measure: "eol.recycling-credit", Region: "WORLD", Basis: PerKg, Amount: d("-2"), Uncertainty: Uncertainty{Relative: d("0.5")}, GWP: AR5, Description: "credit", Source: testSrc},
	}
	ds, err := NewDataset("calc-test", "1", fs)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

type decimalT = decimal.Decimal
