package offset

import (
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// TestDecodeErrorPaths: every error of DecodeInventory and DecodeDemand
// names the full JSON path of the bad value and wraps the decoder's
// sentinel (and the value's own sentinel, when it has one).
func TestDecodeErrorPaths(t *testing.T) {
	const proj = `{"id": "P", "name": "P", "standard": "CDM", "type": "wind", "unitType": "avoidance", "country": "IN"}`
	const good = `{"id": "L1", "project": "P", "vintage": 2020, "block": "1-10", "tonnes": 10, "status": "retired", "price": {"amount": "5", "currency": "USD"}}`
	// lot returns lots [good, the second lot with member m replaced by v
	// (or, for an empty v, m added)].
	inventory := func(second string) string {
		return `{"projects": [` + proj + `], "lots": [` + good + `, ` + second + `]}`
	}
	lot2 := func(edit func(string) string) string {
		return inventory(edit(`{"id": "L2", "project": "P", "vintage": 2020, "block": "11-20", "tonnes": 10, "status": "retired", "price": {"amount": "5", "currency": "USD"}}`))
	}
	repl := func(old, new string) func(string) string {
		return func(s string) string { return strings.Replace(s, old, new, 1) }
	}
	type tc struct {
		name, json   string
		field, value string
		rule         string
		also         error // a second sentinel the error must wrap, or nil
	}
	inv := []tc{
		{"bad block", lot2(repl(`"11-20"`, `"x-20"`)), "lots[1].block", "x-20",
			"first and last serial must be decimal numbers without leading zeros, below 10^19", ErrInvalidSerial},
		{"bad price amount", lot2(repl(`"amount": "5"`, `"amount": "5e3"`)), "lots[1].price.amount", "5e3",
			"must be a plain decimal string: not a plain decimal (digits with an optional sign and point; no exponent, NaN, Inf or hex)", ErrInvalidLot},
		{"unknown member of a lot", lot2(repl(`"status"`, `"colour": 1, "status"`)), "lots[1].colour", "colour", "is not a known field", nil},
		{"unknown member of a price", lot2(repl(`"currency": "USD"}`, `"currency": "USD", "x": 1}`)), "lots[1].price.x", "x", "is not a known field", nil},
		{"vintage as a string", lot2(repl(`"vintage": 2020`, `"vintage": "2020"`)), "lots[1].vintage", `"2020"`, "has the wrong JSON type (want int)", nil},
		{"tonnes with a fraction", lot2(repl(`"tonnes": 10`, `"tonnes": 10.5`)), "lots[1].tonnes", `10.5`, "has the wrong JSON type (want int64)", nil},
		{"allocated bound as a string", lot2(repl(`"status"`, `"allocated": [{"from": 0, "to": "5"}], "status"`)), "lots[1].allocated[0].to", `"5"`, "has the wrong JSON type (want int64)", nil},
		{"bad project location", `{"projects": [` + proj + `, {"id": "Q", "name": "Q", "standard": "CDM", "type": "wind", "unitType": "avoidance", "country": "IN", "location": {"lat": "x", "lon": "1"}}], "lots": [` + good + `]}`,
			"projects[1].location.lat", `"x"`, "is not a valid value: error decoding string 'x': can't convert x to decimal", nil},
		{"unknown top-level member", `{"projects": [], "lots": [], "extra": 1}`, "extra", "extra", "is not a known field", nil},
		// NewInventory's own errors wrap ErrInvalidInventory too.
		{"unknown currency", lot2(repl(`"USD"`, `"XXQ"`)), "lots[1].price.currency", "XXQ", "", ErrUnknownCurrency},
	}
	for _, tt := range inv {
		t.Run("inventory/"+tt.name, func(t *testing.T) {
			_, err := DecodeInventory(strings.NewReader(tt.json))
			checkPathError(t, err, ErrInvalidInventory, tt.also, tt.field, tt.value, tt.rule)
		})
	}
	dem := []tc{
		{"unknown preference", `{"serial": "S", "amount": "1 kg", "preferences": {"bogus": 1}}`, "preferences.bogus", "bogus", "is not a known field", nil},
		{"unknown member of maxPrice", `{"serial": "S", "amount": "1 kg", "preferences": {"maxPrice": {"amount": "1", "currency": "USD", "x": 1}}}`,
			"preferences.maxPrice.x", "x", "is not a known field", nil},
		{"unknown member of a share", `{"serial": "S", "amount": "1 kg", "preferences": {"split": [{"percent": "100", "typez": []}]}}`,
			"preferences.split[0].typez", "typez", "is not a known field", nil},
		{"share projects as a string", `{"serial": "S", "amount": "1 kg", "preferences": {"split": [{"percent": "60"}, {"percent": "40", "projects": "x"}]}}`,
			"preferences.split[1].projects", `"x"`, "has the wrong JSON type (want []string)", nil},
		{"vintageFrom as a string", `{"serial": "S", "amount": "1 kg", "preferences": {"vintageFrom": "x"}}`,
			"preferences.vintageFrom", `"x"`, "has the wrong JSON type (want int)", nil},
		{"unknown currency", `{"serial": "S", "amount": "1 kg", "preferences": {"currency": "XXQ"}}`,
			"preferences.currency", "XXQ", "", ErrUnknownCurrency},
	}
	for _, tt := range dem {
		t.Run("demand/"+tt.name, func(t *testing.T) {
			_, err := DecodeDemand(strings.NewReader(tt.json))
			checkPathError(t, err, ErrInvalidDemand, tt.also, tt.field, tt.value, tt.rule)
		})
	}
}

// checkPathError checks that err is a field error on field with value and
// rule (rule "": not checked) wrapping sentinel and also (when not nil).
func checkPathError(t *testing.T, err, sentinel, also error, field, value, rule string) {
	t.Helper()
	var fe *footprint.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v (%T), want a field error", err, err)
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("err = %v does not wrap %v", err, sentinel)
	}
	if also != nil && !errors.Is(err, also) {
		t.Errorf("err = %v does not wrap %v", err, also)
	}
	if fe.Field != field || fe.Value != value || (rule != "" && fe.Rule != rule) {
		t.Errorf("got field %q value %q rule %q\nwant field %q value %q rule %q", fe.Field, fe.Value, fe.Rule, field, value, rule)
	}
}
