package footprint_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// referenceJSON returns the reference laptop as a generic JSON tree to
// edit.
func referenceJSON(t *testing.T) map[string]any {
	t.Helper()
	b, err := json.Marshal(footprint.ReferenceLaptop())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func obj(v any, keys ...any) map[string]any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

// TestDecodeNamesThePath checks that a bad value anywhere in a product's
// JSON is reported with its full path, its value and the rule, including
// values whose own decoder (a quantity, a decimal) knows nothing of where
// it is.
func TestDecodeNamesThePath(t *testing.T) {
	cases := []struct {
		why      string
		edit     func(m map[string]any)
		field    string
		value    string // "" when not checked
		rule     string // a part of the message
		sentinel error
	}{
		{"explicit zero lifetime is not the default", func(m map[string]any) { obj(m, "use")["lifetime"] = "0 y" },
			"use.lifetime", "0 y", "must be > 0", footprint.ErrInvalidProduct},
		{"zero lifetime in hours", func(m map[string]any) { obj(m, "use")["lifetime"] = "0 h" },
			"use.lifetime", "0 y", "must be > 0", footprint.ErrInvalidProduct},
		{"explicit zero packaged mass is not the default", func(m map[string]any) { m["packagedMass"] = "0 kg" },
			"packagedMass", "0 kg", "must be > 0", footprint.ErrInvalidProduct},
		{"explicit zero leg mass is not the default", func(m map[string]any) { obj(m, "shipping", "legs", 1)["mass"] = "0 g" },
			"shipping.legs[1].mass", "0 kg", "must be > 0", footprint.ErrInvalidProduct},
		{"explicit zero end-of-life mass is not the default", func(m map[string]any) { obj(m, "endOfLife")["mass"] = "0 t" },
			"endOfLife.mass", "0 kg", "must be > 0", footprint.ErrInvalidProduct},
		{"a zero yearly energy beside modes is not left out", func(m map[string]any) { obj(m, "use")["yearlyEnergy"] = "0 kWh" },
			"use.yearlyEnergy", "0 kWh", "must be > 0", footprint.ErrInvalidProduct},
		{"every mode at 0 W", func(m map[string]any) {
			for i := range 4 {
				obj(m, "use", "modes", i)["power"] = "0 W"
			}
		}, "use.modes", "0 W", "draw no power", footprint.ErrInvalidProduct},
		{"power only in modes of no time", func(m map[string]any) {
			obj(m, "use", "modes", 0)["power"], obj(m, "use", "modes", 0)["share"] = "10 W", "0"
			obj(m, "use", "modes", 1)["share"] = "0.6"
			for i := 1; i < 4; i++ {
				obj(m, "use", "modes", i)["power"] = "0 W"
			}
		}, "use.modes", "0 W", "draw no power", footprint.ErrInvalidProduct},
		{"a mode named with spaces only", func(m map[string]any) { obj(m, "use", "modes", 2)["name"] = "  " },
			"use.modes[2].name", "  ", "is required", footprint.ErrInvalidProduct},
		{"manufacturer of spaces only", func(m map[string]any) { m["manufacturer"] = "   " },
			"manufacturer", "   ", "is required", footprint.ErrInvalidProduct},
		{"an escape sequence in the model (it would act in a terminal's table)", func(m map[string]any) { m["model"] = "X\u001b[31m" },
			"model", "X\x1b[31m", "control characters", footprint.ErrInvalidProduct},
		{"a tab in a leg's label (it would break the table's columns)", func(m map[string]any) { obj(m, "shipping", "legs", 0)["label"] = "a\tb" },
			"shipping.legs[0].label", "a\tb", "control characters", footprint.ErrInvalidProduct},
		{"a C1 control in a component's name", func(m map[string]any) { obj(m, "manufacture", "bom", "components", 1)["name"] = "RAM\u0085" },
			"manufacture.bom.components[1].name", "RAM\u0085", "control characters", footprint.ErrInvalidProduct},
		{"unknown unit in a nested quantity", func(m map[string]any) { obj(m, "use")["lifetime"] = "5 parsecs" },
			"use.lifetime", "5 parsecs", "unknown unit", footprint.ErrUnknownUnit},
		{"wrong dimension in a leg", func(m map[string]any) { obj(m, "shipping", "legs", 1)["distance"] = "5 kg" },
			"shipping.legs[1].distance", "5 kg", "measures mass", footprint.ErrWrongDimension},
		{"exponent in a decimal", func(m map[string]any) { obj(m, "manufacture", "bom", "components", 0)["quantity"] = "1e2" },
			"manufacture.bom.components[0].quantity", "1e2", "plain decimal", footprint.ErrInvalidProduct},
		{"no integer digit", func(m map[string]any) { obj(m, "use", "modes", 0)["share"] = ".25" },
			"use.modes[0].share", ".25", "plain decimal", footprint.ErrInvalidProduct},
		{"NaN", func(m map[string]any) { obj(m, "use", "modes", 2)["share"] = "NaN" },
			"use.modes[2].share", "NaN", "plain decimal", footprint.ErrInvalidProduct},
		{"hex", func(m map[string]any) { obj(m, "use", "trajectory")["yearlyDecline"] = "0x10" },
			"use.trajectory.yearlyDecline", "0x10", "plain decimal", footprint.ErrInvalidProduct},
		{"huge exponent", func(m map[string]any) { obj(m, "use", "trajectory")["yearlyDecline"] = "1e999999" },
			"use.trajectory.yearlyDecline", "1e999999", "plain decimal", footprint.ErrInvalidProduct},
		{"900,000 digits (read before the decimal package parses them)", func(m map[string]any) {
			obj(m, "manufacture", "bom", "components", 0)["quantity"] = strings.Repeat("7", 900_000)
		}, "manufacture.bom.components[0].quantity", "", "longer than 48", footprint.ErrInvalidProduct},
		{"empty decimal", func(m map[string]any) { obj(m, "use", "modes", 0)["share"] = "" },
			"use.modes[0].share", "", "plain decimal", footprint.ErrInvalidProduct},
		{"bare JSON number", func(m map[string]any) { obj(m, "use", "modes", 0)["share"] = 0.25 },
			"use.modes[0].share", "0.25", "JSON string", footprint.ErrInvalidProduct},
		{"coordinates without latitude", func(m map[string]any) {
			l := obj(m, "shipping", "legs", 0)
			delete(l, "distance")
			l["from"] = map[string]any{"lon": "113.9"}
			l["to"] = map[string]any{"lat": "22.3", "lon": "114.2"}
		}, "shipping.legs[0].from.lat", "", "is required", footprint.ErrInvalidProduct},
		{"empty coordinates", func(m map[string]any) {
			l := obj(m, "shipping", "legs", 2)
			delete(l, "distance")
			l["from"] = map[string]any{"lat": "19.1", "lon": "72.9"}
			l["to"] = map[string]any{}
		}, "shipping.legs[2].to.lat", "", "is required", footprint.ErrInvalidProduct},
		{"unknown member inside the use phase", func(m map[string]any) { obj(m, "use")["lifetme"] = "5 y" },
			"use.lifetme", "", "unknown field", footprint.ErrInvalidProduct},
		// The whole path, not "use.quantity" as the decoder's own
		// message would give.
		{"unknown member inside a power mode", func(m map[string]any) { obj(m, "use", "modes", 3)["quantity"] = "1" },
			"use.modes[3].quantity", "quantity", "is not a known field", footprint.ErrInvalidProduct},
		{"attribute that is not a string", func(m map[string]any) {
			obj(m, "manufacture", "bom", "components", 0, "attributes")["die_area"] = 150
		}, "manufacture.bom.components[0].attributes.die_area", "150", "JSON string", footprint.ErrInvalidProduct},
	}
	for _, c := range cases {
		m := referenceJSON(t)
		c.edit(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		_, err = footprint.DecodeProductSpec(bytes.NewReader(b))
		var fe *footprint.FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a *FieldError", c.why, err)
			continue
		}
		if fe.Field != c.field || !errors.Is(err, c.sentinel) || !strings.Contains(fe.Rule, c.rule) {
			t.Errorf("%s: got field %q rule %q (%v), want field %q, a rule containing %q, wrapping %v", c.why, fe.Field, fe.Rule, err, c.field, c.rule, c.sentinel)
		}
		if c.value != "" && fe.Value != c.value {
			t.Errorf("%s: value %q, want %q", c.why, fe.Value, c.value)
		}
	}
}

// TestDecodeKeepsGoodSpecs checks that the stricter decoding still accepts
// what it should: the reference laptop, a lifetime left out (the default),
// coordinates with both members, null for an optional decimal.
func TestDecodeKeepsGoodSpecs(t *testing.T) {
	m := referenceJSON(t)
	delete(obj(m, "use"), "lifetime")
	l := obj(m, "shipping", "legs", 1)
	delete(l, "distance")
	l["from"] = map[string]any{"lat": "22.308901", "lon": "113.915001"}
	l["to"] = map[string]any{"lat": "19.0887", "lon": "72.8679"}
	obj(m, "use")["hoursPerDay"] = nil
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	s, err := footprint.DecodeProductSpec(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("a good spec was refused: %v", err)
	}
	if !s.Use.Lifetime.IsZero() || s.Shipping.Legs[1].From == nil || s.Shipping.Legs[1].From.Lat.String() != "22.308901" {
		t.Errorf("decoded %+v", s.Use)
	}
	fp, err := footprint.Calculate(s, nil)
	if err != nil || fp.Method.Lifetime.String() != "5 y" {
		t.Errorf("lifetime %v, %v; want the default 5 y", fp.Method.Lifetime, err)
	}
}

// TestDecodeRepeatedAndMiscasedMembers checks that a member given twice or
// spelled in another case is refused with its path: encoding/json would
// keep the last of two (other JSON tools keep the first) and match names
// without regard to case.
func TestDecodeRepeatedAndMiscasedMembers(t *testing.T) {
	good, err := json.Marshal(footprint.ReferenceLaptop())
	if err != nil {
		t.Fatal(err)
	}
	doc := string(good)
	cases := []struct{ why, doc, field, rule string }{
		{"repeated top-level member", strings.Replace(doc, `"model":`, `"model":"X","model":`, 1), "model", "given twice"},
		{"repeated member in a leg", strings.Replace(doc, `"mode":"air-long-haul"`, `"mode":"air-long-haul","mode":"sea"`, 1), "shipping.legs[1].mode", "given twice"},
		{"repeated attribute", strings.Replace(doc, `"die_area":"150"`, `"die_area":"150","die_area":"1"`, 1), "manufacture.bom.components[0].attributes.die_area", "given twice"},
		{"member in upper case", strings.Replace(doc, `"model":`, `"MODEL":`, 1), "MODEL", `write "model"`},
		{"member beside its upper-case twin", strings.Replace(doc, `"model":`, `"Model":"X","model":`, 1), "Model", `write "model"`},
		{"nested member in another case", strings.Replace(doc, `"lifetime":`, `"Lifetime":`, 1), "use.Lifetime", `write "lifetime"`},
	}
	for _, c := range cases {
		if c.doc == doc {
			t.Fatalf("%s: the edit did not apply", c.why)
		}
		_, err := footprint.DecodeProductSpec(strings.NewReader(c.doc))
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(err.Error(), c.rule) || !errors.Is(err, footprint.ErrInvalidProduct) {
			t.Errorf("%s: err = %v, want field %q with %q", c.why, err, c.field, c.rule)
		}
	}
}

// TestDecodeNullQuantity checks that null leaves a quantity unset, as
// encoding/json does for its own types: an optional one takes its
// default, a required one is reported missing by its own name.
func TestDecodeNullQuantity(t *testing.T) {
	m := referenceJSON(t)
	m["packagedMass"] = nil
	obj(m, "use")["lifetime"] = nil
	obj(m, "shipping", "legs", 0)["mass"] = nil
	b, _ := json.Marshal(m)
	s, err := footprint.DecodeProductSpec(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("null optional quantities: %v", err)
	}
	if !s.PackagedMass.IsZero() || !s.Use.Lifetime.IsZero() || !s.Shipping.Legs[0].Mass.IsZero() {
		t.Errorf("null did not leave the quantities unset: %v, %v, %v", s.PackagedMass, s.Use.Lifetime, s.Shipping.Legs[0].Mass)
	}
	m["mass"] = nil
	b, _ = json.Marshal(m)
	_, err = footprint.DecodeProductSpec(bytes.NewReader(b))
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || fe.Field != "mass" || !strings.Contains(fe.Rule, "is required") {
		t.Errorf("null mass: err = %v, want mass reported as required", err)
	}
}

// A declared figure with only a high bound is refused, not read as a range
// from 0 (a zero bound is the absent one); so is one with only a low bound,
// with a message that says so rather than comparing 0 with the amount.
func TestDeclaredHalfRangeRefused(t *testing.T) {
	for unc, field := range map[string]string{`{"high":"12"}`: "manufacture.declared.uncertainty.low", `{"low":"8"}`: "manufacture.declared.uncertainty.high"} {
		s, err := footprint.DecodeProductSpec(strings.NewReader(`{"manufacturer":"A","model":"B","mass":"2 kg",
			"manufacture":{"declared":{"amount":"10 kg CO2e","source":"x","uncertainty":` + unc + `}}}`))
		if err == nil {
			_, err = footprint.Calculate(s, nil)
		}
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != field || !strings.Contains(fe.Rule, "give both low and high") || !errors.Is(err, footprint.ErrInvalidProduct) {
			t.Errorf("uncertainty %s: %v, want an error naming %s", unc, err, field)
		}
	}
}

// Text given through Go (not JSON, whose decoder replaces invalid bytes)
// must be valid UTF-8: the canonical input and the table print it as it is.
func TestInvalidUTF8Refused(t *testing.T) {
	s := footprint.ReferenceLaptop()
	s.Shipping.Legs = append([]footprint.Leg(nil), s.Shipping.Legs...)
	s.Shipping.Legs[2].Label = "Mumbai \xff Bengaluru"
	_, err := footprint.Calculate(s, nil)
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || fe.Field != "shipping.legs[2].label" || !strings.Contains(fe.Rule, "UTF-8") {
		t.Errorf("Calculate: %v, want an error naming shipping.legs[2].label", err)
	}
}
