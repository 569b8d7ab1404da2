package footprint_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

func placeLegSpec(legs ...footprint.Leg) footprint.ProductSpec {
	s := footprint.ReferenceLaptop()
	s.Shipping.Legs = legs
	return s
}

// A leg between two known places: HKG → BOM air freight.
//
// By hand (places_test.go works the haversine out): the airports' reference
// points are 4 271 908 m apart on the 6371.009 km sphere; air freight adds
// 95 km, so the leg is 4 366 908 m. The reference laptop ships 2.1 kg
// packaged: 2.1 kg × 4366.908 km = 9170.5068 kg·km = 9.1705068 t·km.
func TestLegBetweenKnownPlaces(t *testing.T) {
	spec := placeLegSpec(footprint.Leg{Mode: footprint.AirLongHaul, FromPlace: "HKG", ToPlace: "BOM"})
	fp, err := footprint.Calculate(spec, footprint.DefaultDataset())
	if err != nil {
		t.Fatal(err)
	}
	tr := fp.Stage(footprint.StageTransport)
	if len(tr.Lines) != 2 { // TTW and WTT
		t.Fatalf("transport lines: %d, want 2", len(tr.Lines))
	}
	want := decimal.RequireFromString("9.1705068")
	for _, l := range tr.Lines {
		if !l.Activity.Amount.Equal(want) {
			t.Errorf("%s: activity %s t·km, want %s", l.Label, l.Activity.Amount, want)
		}
		if l.Label != "HKG → BOM" {
			t.Errorf("label %q, want %q", l.Label, "HKG → BOM")
		}
	}

	// The same leg given by the places' coordinates gives the same figures.
	hkg, _ := footprint.LookupPlace("HKG")
	bom, _ := footprint.LookupPlace("BOM")
	byCoords := placeLegSpec(footprint.Leg{Mode: footprint.AirLongHaul, From: &hkg.At, To: &bom.At, Label: "HKG → BOM"})
	fp2, err := footprint.Calculate(byCoords, footprint.DefaultDataset())
	if err != nil {
		t.Fatal(err)
	}
	if !fp2.CO2e.Equal(fp.CO2e) {
		t.Errorf("by coordinates %s, by places %s", fp2.CO2e, fp.CO2e)
	}

	// Codes match without regard to case, and so does the input digest.
	lower := placeLegSpec(footprint.Leg{Mode: footprint.AirLongHaul, FromPlace: "hkg", ToPlace: "bom"})
	fp3, err := footprint.Calculate(lower, footprint.DefaultDataset())
	if err != nil {
		t.Fatal(err)
	}
	if fp3.InputDigest != fp.InputDigest || !fp3.CO2e.Equal(fp.CO2e) {
		t.Errorf("lower-case codes: digest %s / %s", fp3.InputDigest, fp.InputDigest)
	}
}

func TestLegPlaceErrors(t *testing.T) {
	hkg, _ := footprint.LookupPlace("HKG")
	tests := []struct {
		why   string
		leg   footprint.Leg
		field string
	}{
		{"unknown place", footprint.Leg{Mode: footprint.Sea, FromPlace: "XXXXX", ToPlace: "NLRTM"}, "shipping.legs[0].fromPlace"},
		{"both coordinates and a place for one end", footprint.Leg{Mode: footprint.AirLongHaul, From: &hkg.At, FromPlace: "HKG", ToPlace: "BOM"}, "shipping.legs[0].fromPlace"},
		{"a from place without a to", footprint.Leg{Mode: footprint.AirLongHaul, FromPlace: "HKG"}, "shipping.legs[0].to"},
		{"a to place without a from", footprint.Leg{Mode: footprint.AirLongHaul, ToPlace: "BOM"}, "shipping.legs[0].from"},
		{"places and a distance", footprint.Leg{Mode: footprint.AirLongHaul, FromPlace: "HKG", ToPlace: "BOM", Distance: footprint.Km(decimal.NewFromInt(10))}, "shipping.legs[0].distance"},
	}
	for _, tc := range tests {
		_, err := footprint.Calculate(placeLegSpec(tc.leg), footprint.DefaultDataset())
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, footprint.ErrInvalidProduct) {
			t.Errorf("%s: %v, want a field error on %s", tc.why, err, tc.field)
		}
	}
}

func TestLegPlacesJSON(t *testing.T) {
	const doc = `{"manufacturer":"Example","model":"M","mass":"1 kg",
	"manufacture":{"declared":{"amount":"100 kg CO2e","source":"datasheet"}},
	"shipping":{"legs":[{"mode":"sea","fromPlace":"CNSHA","toPlace":"NLRTM"}]}}`
	spec, err := footprint.DecodeProductSpec(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if l := spec.Shipping.Legs[0]; l.FromPlace != "CNSHA" || l.ToPlace != "NLRTM" {
		t.Fatalf("decoded leg %+v", l)
	}
	if _, err := footprint.Calculate(spec, footprint.DefaultDataset()); err != nil {
		t.Fatal(err)
	}
}
