package footprint_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// TestLongFiguresReadBack: exact figures are often longer than the 48
// characters an input decimal may have, and each must parse back. A server
// of 2350 kWh a year on a 0.38512 kg/kWh grid declining 3.25 % a year, for
// 1500 days (4 years and 960 hours), after a declared 1500 kg:
//
//	years 1–4: 2350 × 0.38512 × 0.9675^(y−1) = 905.032, 875.61846,
//	           847.16086005, 819.628132098375
//	part year: 2350 × 960 ÷ 8760 = 257.534246575342465753424657534247
//	           (30 places, half away from zero) × 0.38512 × 0.9675^4
//	           = 86.90303756769071917808219178082206110578112480625
//	total:     1500 + the five = 5034.34248971606571917808219178082206110578112480625
//
// (60 characters with its unit). Before, ParseCO2e refused it, and so did
// the decoders of the footprint's, plan's and certificate's JSON and the
// registry's replay.
func TestLongFiguresReadBack(t *testing.T) {
	s, err := footprint.DecodeProductSpec(strings.NewReader(`{"manufacturer":"A","model":"Server","mass":"25 kg",
		"manufacture":{"declared":{"amount":"1500 kg CO2e","source":"PCF sheet"}},
		"use":{"yearlyEnergy":"2350 kWh","lifetime":"1500 d","grid":{"kgPerKWh":"0.38512","source":"utility 2025"},
		"trajectory":{"yearlyDecline":"0.0325"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	fp, err := footprint.Calculate(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	const want = "5034.34248971606571917808219178082206110578112480625"
	if got := fp.CO2e.Kg().String(); got != want {
		t.Fatalf("total %s, want %s", got, want)
	}
	readBack := func(what string, c footprint.CO2e) {
		t.Helper()
		back, err := footprint.ParseCO2e(c.String())
		if err != nil || !back.Equal(c) {
			t.Errorf("%s %s: parsed back as %s, %v", what, c, back, err)
		}
	}
	readBack("total", fp.CO2e)
	for _, st := range fp.Stages {
		readBack(string(st.Name), st.CO2e)
		for _, l := range st.Lines {
			readBack(l.Label, l.CO2e)
		}
	}
	b, err := json.Marshal(fp)
	if err != nil {
		t.Fatal(err)
	}
	var back footprint.Footprint
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("the footprint's own JSON: %v", err)
	}
	if !back.CO2e.Equal(fp.CO2e) {
		t.Errorf("JSON round trip: %s, want %s", back.CO2e, fp.CO2e)
	}
}

// TestFiguresTooLongRefused: a figure longer than 512 characters could not
// be read back, so Calculate refuses the spec, naming the stage and line.
// A decline rate of 24 decimal places (the most a spec may give) over 30
// years scales year 30 by (1 − rate)^29, which has 24 × 29 = 696 decimal
// places.
func TestFiguresTooLongRefused(t *testing.T) {
	s := footprint.ReferenceLaptop()
	s.Use.Lifetime = footprint.Years(decimal.NewFromInt(30))
	s.Use.Trajectory = &footprint.Trajectory{YearlyDecline: decimal.RequireFromString("0.012345678901234567890123")}
	_, err := footprint.Calculate(s, nil)
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || !errors.Is(err, footprint.ErrInvalidProduct) {
		t.Fatalf("Calculate: %v, want a *FieldError wrapping ErrInvalidProduct", err)
	}
	if fe.Field != "use" || !strings.HasPrefix(fe.Value, "year ") || !strings.Contains(fe.Rule, "longer than 512 characters") {
		t.Errorf("error %q: field %q, value %q", err, fe.Field, fe.Value)
	}
}
