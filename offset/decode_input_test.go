package offset

import (
	"encoding/json"
	"errors"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
	"strings"
	"testing"
)

// A demand's serial, or an inventory's text, that is not UTF-8 is refused
// with its path: encoding/json would read "PF-\xe9" and "PF-\xe8" as the
// same serial "PF-\ufffd". A nil reader is an error, not a panic.
func TestDecodersRefuseBadTextAndNilReaders(t *testing.T) {
	_, err := DecodeDemand(strings.NewReader("{\"serial\":\"PF-\xe9\",\"amount\":\"1 kg\"}"))
	wantFieldErr(t, err, ErrInvalidDemand, "serial", "PF-\xe9", "must be valid UTF-8 (encoding/json would read each bad byte or lone surrogate as U+FFFD, so two different texts could be one)")
	inv := strings.Replace(oneLotInventory, `"name": "P"`, "\"name\": \"P\xfc\"", 1)
	_, err = DecodeInventory(strings.NewReader(inv))
	if err == nil || !errors.Is(err, ErrInvalidInventory) || !strings.Contains(err.Error(), "projects[0].name") {
		t.Errorf("inventory: %v, want an error naming projects[0].name", err)
	}
	if _, err := DecodeDemand(nil); !errors.Is(err, ErrInvalidDemand) || !strings.Contains(err.Error(), "nil reader") {
		t.Errorf("DecodeDemand(nil): %v", err)
	}
	if _, err := DecodeInventory(nil); !errors.Is(err, ErrInvalidInventory) || !strings.Contains(err.Error(), "nil reader") {
		t.Errorf("DecodeInventory(nil): %v", err)
	}
}

// A demand's serial with white space at either end is refused (see
// footprint's serial rule): a registry would hold "PF-1 " and "PF-1" as
// two units.
func TestDemandSerialWithoutSurroundingSpace(t *testing.T) {
	for _, serial := range []string{"PF-1 ", "\u00a0PF-1", "  "} {
		d := Demand{Serial: serial, Amount: footprint.KgCO2e(decimal.NewFromInt(5)), Preferences: Preferences{Currency: "USD"}}
		wantFieldErr(t, d.Validate(), ErrInvalidDemand, "serial", serial, `must not start or end with white space ("PF-1 " and "PF-1" would name two units)`)
	}
}

// A leading UTF-8 byte order mark is skipped by DecodeDemand and
// DecodeInventory.
func TestOffsetDecodersSkipByteOrderMark(t *testing.T) {
	if _, err := DecodeDemand(strings.NewReader("\xef\xbb\xbf" + `{"serial":"a","amount":"1 kg"}`)); err != nil {
		t.Errorf("demand with a BOM: %v", err)
	}
	if _, err := DecodeInventory(strings.NewReader("\xef\xbb\xbf" + oneLotInventory)); err != nil {
		t.Errorf("inventory with a BOM: %v", err)
	}
}

// A tier or step written with trailing zeros beyond what an int64
// coefficient holds ("5.000…0 kg", 60 zeros) is still a whole number of
// grams, and is accepted as one (it was refused as not whole grams).
func TestWholeGramsWithTrailingZeros(t *testing.T) {
	five := footprint.KgCO2e(decimal.RequireFromString("5." + strings.Repeat("0", 60)))
	for _, r := range []Rounding{RoundToTiers(five), {Mode: RoundStep, Step: five}} {
		d := Demand{Serial: "a", Amount: footprint.KgCO2e(decimal.NewFromInt(1)), Preferences: Preferences{Currency: "USD", Rounding: r}}
		p, err := Match(SampleInventory(), d)
		if err != nil || p.Amount.Grams().IntPart() != 5000 {
			t.Errorf("%s: %v, %s; want 5000 g", r.Mode, err, p.Amount)
		}
	}
	half := footprint.KgCO2e(decimal.RequireFromString("0.0005" + strings.Repeat("0", 60)))
	d := Demand{Serial: "a", Amount: footprint.KgCO2e(decimal.NewFromInt(1)), Preferences: Preferences{Currency: "USD", Rounding: RoundToTiers(half)}}
	if err := d.Validate(); err == nil {
		t.Error("a tier of half a gram: accepted")
	}
}

// A batch's failures written as JSON say why each demand failed.
func TestBatchFailureJSON(t *testing.T) {
	good := Demand{Serial: "a", Amount: footprint.KgCO2e(decimal.NewFromInt(1)), Preferences: Preferences{Currency: "USD"}}
	bad := Demand{Serial: "b", Amount: footprint.KgCO2e(decimal.NewFromInt(1))} // two currencies, none named
	res := MatchBatch(SampleInventory(), []Demand{good, bad})
	if len(res.Failures) != 1 {
		t.Fatalf("failures: %+v", res.Failures)
	}
	js, err := json.Marshal(res.Failures)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := json.Marshal(res.Failures[0].Err.Error())
	want := `[{"index":1,"error":` + string(msg) + `}]`
	if string(js) != want || !strings.Contains(string(js), "preferences.currency") {
		t.Errorf("JSON %s, want %s", js, want)
	}
}

// The same rule holds for a demand's serial.
func TestDemandSerialWithoutFormatCharacters(t *testing.T) {
	d := Demand{Serial: "PF-1\u200b", Amount: footprint.KgCO2e(decimal.NewFromInt(5)), Preferences: Preferences{Currency: "USD"}}
	if err := d.Validate(); err == nil || !strings.Contains(err.Error(), "format characters") {
		t.Errorf("Validate: %v", err)
	}
}
