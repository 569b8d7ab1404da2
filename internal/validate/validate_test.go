package validate

import (
	"errors"
	"testing"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

var errBad = errors.New("test: invalid")

type item struct {
	Name   string          `json:"name" validate:"required"`
	Amount decimal.Decimal `json:"amount" validate:"dpos"`
	Share  decimal.Decimal `json:"share" validate:"dmin=0,dmax=1"`
	Extra  decimal.Decimal `json:"extra" validate:"dnonneg"`
}

type order struct {
	Items []item `json:"items" validate:"dive"`
}

func TestStructDecimalRules(t *testing.T) {
	d := decimal.RequireFromString
	ok := item{Name: "a", Amount: d("0.000000000000000000000000000001"), Share: d("1"), Extra: d("0")}
	if err := Struct(order{Items: []item{ok}}, errBad); err != nil {
		t.Fatalf("valid input refused: %v", err)
	}
	tests := []struct {
		why   string
		mod   func(*item)
		field string
		rule  string
	}{
		{"zero where a positive is needed (a missing value)", func(i *item) { i.Amount = d("0") }, "items[0].amount", "is required (must be > 0)"},
		{"negative where a positive is needed", func(i *item) { i.Amount = d("-1") }, "items[0].amount", "must be > 0"},
		// 1.0000…01 is above 1 only beyond float64 precision: the rule is exact.
		{"just above the maximum", func(i *item) { i.Share = d("1.000000000000000000000000000001") }, "items[0].share", "must be ≤ 1"},
		{"just below the minimum", func(i *item) { i.Share = d("-0.000000000000000000000000000001") }, "items[0].share", "must be ≥ 0"},
		{"negative where ≥ 0 is needed", func(i *item) { i.Extra = d("-0.5") }, "items[0].extra", "must be ≥ 0"},
		{"missing name", func(i *item) { i.Name = "" }, "items[0].name", "is required"},
	}
	for _, tc := range tests {
		it := ok
		tc.mod(&it)
		err := Struct(order{Items: []item{ok, it}[1:]}, errBad)
		var fe *fielderr.Error
		if !errors.As(err, &fe) || fe.Field != tc.field || fe.Rule != tc.rule || !errors.Is(err, errBad) {
			t.Errorf("%s: %v, want %s: %s", tc.why, err, tc.field, tc.rule)
		}
	}
}
