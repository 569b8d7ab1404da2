package footprint

import (
	"bytes"
	"testing"
)

// Stating a default gives the same footprint and the same input digest as
// leaving it out (ProductSpec's doc), for every default, by each of the
// three ways the canonical bytes are made: Calculate's digest (from the
// unnormalised view), CanonicalJSON (from Normalize) and the reference
// definition (encoding/json and RFC 8785 of the normalised spec).
func TestStatedDefaultsSameDigest(t *testing.T) {
	plain := ReferenceLaptop()
	want, err := Calculate(plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantCanon, err := plain.CanonicalJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(s *ProductSpec){
		"bom region WORLD":   func(s *ProductSpec) { s.Manufacture.BOM.Region = RegionWorld },
		"leg region WORLD":   func(s *ProductSpec) { s.Shipping.Legs[1].Region = RegionWorld },
		"end-of-life region": func(s *ProductSpec) { s.EndOfLife.Region = RegionWorld },
		"end-of-life mass":   func(s *ProductSpec) { s.EndOfLife.Mass = s.Mass },
		"leg mass":           func(s *ProductSpec) { s.Shipping.Legs[0].Mass = s.PackagedMass },
		"lifetime":           func(s *ProductSpec) { s.Use.Lifetime = DefaultLifetime },
		"boundary and RF":    func(s *ProductSpec) { s.Shipping.Boundary, s.Shipping.RadiativeForcing = WTW, RFIncluded },
	} {
		s := ReferenceLaptop()
		bom := *s.Manufacture.BOM // the reference's BOM and end of life are its own, but copy to be sure
		s.Manufacture.BOM = &bom
		eol := *s.EndOfLife
		s.EndOfLife = &eol
		s.Shipping.Legs = append([]Leg(nil), s.Shipping.Legs...)
		u := *s.Use
		s.Use = &u
		edit(&s)
		got, err := Calculate(s, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.InputDigest != want.InputDigest || !got.CO2e.Equal(want.CO2e) {
			t.Errorf("%s: digest %s and total %s, want %s and %s", name, got.InputDigest, got.CO2e, want.InputDigest, want.CO2e)
		}
		canon, err := s.CanonicalJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(canon, wantCanon) {
			t.Errorf("%s: CanonicalJSON\n%s\nwant\n%s", name, canon, wantCanon)
		}
		n, err := s.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		ref, err := n.canonicalReflect(DefaultDatasetName, DefaultDatasetVersion)
		if err != nil || !bytes.Equal(ref, wantCanon) {
			t.Errorf("%s: reference definition\n%s\nwant\n%s (%v)", name, ref, wantCanon, err)
		}
	}
}
