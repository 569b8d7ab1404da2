package pact_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/footprint/pact"
	"github.com/shopspring/decimal"
)

const csvHeader = "id,measure,region,per,amount,gwp,source_publisher,source_title,source_year,source_license\n"

func layer(t *testing.T, name, version, rows string) *footprint.Dataset {
	t.Helper()
	d, err := footprint.LoadFactorsCSV(name, version, strings.NewReader(csvHeader+rows))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// declared is a product whose manufacture is a declared figure: no dataset
// factor inside the default gate.
func declared() footprint.ProductSpec {
	return footprint.ProductSpec{
		Manufacturer: "Acme", Model: "D", Mass: footprint.Kg(decimal.NewFromInt(2)),
		Manufacture: footprint.Manufacture{Declared: &footprint.DeclaredFigure{
			Amount: footprint.KgCO2e(decimal.NewFromInt(50)), Source: "supplier EPD",
		}},
		Shipping: footprint.Shipping{Legs: []footprint.Leg{{Mode: footprint.Road, Distance: footprint.Km(decimal.NewFromInt(100))}}},
	}
}

func export(t *testing.T, spec footprint.ProductSpec, ds *footprint.Dataset, o pact.Options) (pact.ProductFootprint, map[string]any) {
	t.Helper()
	fp, err := footprint.Calculate(spec, ds)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := pact.Export(fp, o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(pf)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return pf, m["pcf"].(map[string]any)
}

// TestExportSecondarySources checks secondaryEmissionFactorSources (PACT
// v2.3: required when secondary data was used, an array of {name,
// version}; absent otherwise).
func TestExportSecondarySources(t *testing.T) {
	def := footprint.DefaultDataset()
	defSrc := pact.EmissionFactorDS{Name: footprint.DefaultDatasetName, Version: footprint.DefaultDatasetVersion}

	// a bill of materials priced with the default dataset
	_, pcf := export(t, footprint.ReferenceLaptop(), def, options())
	want := []any{map[string]any{"name": footprint.DefaultDatasetName, "version": footprint.DefaultDatasetVersion}}
	if got := pcf["secondaryEmissionFactorSources"]; !reflect.DeepEqual(got, want) {
		t.Errorf("secondaryEmissionFactorSources = %#v, want %#v", got, want)
	}

	// layered: the parts layer prices the chassis (inside the gate); the
	// grid layer prices the use phase only (after the gate), so it is not
	// listed
	parts := layer(t, "acme-parts", "5", "acme.al,material.aluminium,WORLD,kg,8.6,AR6,Acme,Sheet,2025,CC0\n")
	grid := layer(t, "acme-grid", "9", "acme.grid.IN,electricity.grid,IN,kWh,0.6,AR6,Acme,Sheet,2025,CC0\n")
	pf, _ := export(t, footprint.ReferenceLaptop(), grid.Over(parts.Over(def)), options())
	if got, want := pf.PCF.SecondaryEmissionFactorSources, []pact.EmissionFactorDS{{Name: "acme-parts", Version: "5"}, defSrc}; !reflect.DeepEqual(got, want) {
		t.Errorf("layered: %+v, want %+v", got, want)
	}

	// a layer name that contains " over " cannot be told from the joined
	// name: the dataset is listed as a whole
	odd := layer(t, "parts over there", "5", "acme.al,material.aluminium,WORLD,kg,8.6,AR6,Acme,Sheet,2025,CC0\n")
	pf, _ = export(t, footprint.ReferenceLaptop(), odd.Over(def), options())
	if got, want := pf.PCF.SecondaryEmissionFactorSources, []pact.EmissionFactorDS{{Name: "parts over there over " + footprint.DefaultDatasetName, Version: "5 over " + footprint.DefaultDatasetVersion}}; !reflect.DeepEqual(got, want) {
		t.Errorf("ambiguous layer name: %+v, want %+v", got, want)
	}

	// only a declared figure inside the gate: no secondary data, no key
	o := options()
	o.DeclaredGWP = footprint.AR6
	_, pcf = export(t, declared(), def, o)
	if v, ok := pcf["secondaryEmissionFactorSources"]; ok {
		t.Errorf("declared figure only: secondaryEmissionFactorSources = %v, want it left out", v)
	}
	// ... unless the caller names the databases behind the figure
	o.SecondaryEmissionFactorSources = []pact.EmissionFactorDS{{Name: "ecoinvent", Version: "3.9.1"}}
	pf, _ = export(t, declared(), def, o)
	if got := pf.PCF.SecondaryEmissionFactorSources; !reflect.DeepEqual(got, o.SecondaryEmissionFactorSources) {
		t.Errorf("declared with caller's sources: %+v", got)
	}
	// the transport legs inside the gate are priced with the dataset
	o = options()
	o.DeclaredGWP = footprint.AR6
	o.IncludeTransport = true
	pf, _ = export(t, declared(), def, o)
	if got := pf.PCF.SecondaryEmissionFactorSources; !reflect.DeepEqual(got, []pact.EmissionFactorDS{defSrc}) {
		t.Errorf("declared with transport in the gate: %+v", got)
	}
	// a source the caller repeats is listed once
	o.SecondaryEmissionFactorSources = []pact.EmissionFactorDS{defSrc, {Name: "ecoinvent", Version: "3.9.1"}}
	pf, _ = export(t, declared(), def, o)
	if got := pf.PCF.SecondaryEmissionFactorSources; !reflect.DeepEqual(got, o.SecondaryEmissionFactorSources) {
		t.Errorf("repeated source: %+v", got)
	}
}

func TestValidateSecondarySources(t *testing.T) {
	pf, err := pact.Export(reference(t), options())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		field   string
		sources []pact.EmissionFactorDS
	}{
		{"pcf.secondaryEmissionFactorSources", []pact.EmissionFactorDS{}},
		{"pcf.secondaryEmissionFactorSources[1].name", []pact.EmissionFactorDS{{Name: "a", Version: "1"}, {Version: "1"}}},
		{"pcf.secondaryEmissionFactorSources[0].version", []pact.EmissionFactorDS{{Name: "a"}}},
	}
	for _, c := range cases {
		p := pf
		p.PCF.SecondaryEmissionFactorSources = c.sources
		err := p.Validate()
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, pact.ErrInvalid) {
			t.Errorf("%+v: %v, want an error on %s", c.sources, err, c.field)
		}
	}
	o := options()
	o.SecondaryEmissionFactorSources = []pact.EmissionFactorDS{{Name: "ecoinvent"}}
	var fe *footprint.FieldError
	if _, err := pact.Export(reference(t), o); !errors.As(err, &fe) || fe.Field != "pcf.secondaryEmissionFactorSources[1].version" {
		t.Errorf("a caller's source without a version: %v", err)
	}
}

// TestExportDeclaredGWP checks the GWP basis of a declared figure: the
// figure records none, PACT requires ipccCharacterizationFactorsSources
// and characterizationFactors, so the caller states it and the export
// refuses to guess.
func TestExportDeclaredGWP(t *testing.T) {
	fp, err := footprint.Calculate(declared(), footprint.DefaultDataset())
	if err != nil {
		t.Fatal(err)
	}
	var fe *footprint.FieldError
	if _, err := pact.Export(fp, options()); !errors.As(err, &fe) || fe.Field != "pcf.ipccCharacterizationFactorsSources" || !errors.Is(err, pact.ErrInvalid) || !strings.Contains(fe.Rule, "DeclaredGWP") {
		t.Errorf("declared figure without a GWP basis: %v, want an error naming Options.DeclaredGWP", err)
	}
	o := options()
	o.DeclaredGWP = "AR7"
	if _, err := pact.Export(fp, o); !errors.As(err, &fe) || fe.Field != "pcf.ipccCharacterizationFactorsSources" || fe.Value != "AR7" {
		t.Errorf("DeclaredGWP AR7: %v", err)
	}
	cases := []struct {
		gwp       footprint.GWP
		transport bool
		cf        string
		sources   []string
	}{
		{footprint.AR6, false, "AR6", []string{"AR6"}},
		{footprint.AR5, false, "AR5", []string{"AR5"}},
		{footprint.AR4, false, "AR5", []string{"AR4"}},
		// the road leg's DESNZ factors are AR5
		{footprint.AR6, true, "AR5", []string{"AR5", "AR6"}},
	}
	for _, c := range cases {
		o := options()
		o.DeclaredGWP, o.IncludeTransport = c.gwp, c.transport
		pf, err := pact.Export(fp, o)
		if err != nil || pf.PCF.CharacterizationFactors != c.cf || !reflect.DeepEqual(pf.PCF.IPCCCharacterizationFactorsSources, c.sources) {
			t.Errorf("%s, transport %v: %s %v, %v; want %s %v", c.gwp, c.transport, pf.PCF.CharacterizationFactors, pf.PCF.IPCCCharacterizationFactorsSources, err, c.cf, c.sources)
		}
	}
	// a bill of materials has its factors' bases; DeclaredGWP is not used
	o = options()
	o.DeclaredGWP = footprint.AR4
	pf, err := pact.Export(reference(t), o)
	if err != nil || !reflect.DeepEqual(pf.PCF.IPCCCharacterizationFactorsSources, []string{"AR5", "AR6"}) {
		t.Errorf("bill of materials: %v, %v", pf.PCF.IPCCCharacterizationFactorsSources, err)
	}
}
