package pact

import (
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// The per-kg figures are rounded once, half away from zero, at 6 places.
// Rounding first at 8 places and then at 6 would turn 0.00000049999999
// into 0.0000005 and then 0.000001: the cases below catch that.
func TestPerKgRoundsOnce(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		kg, mass, want string
		why            string
	}{
		{"0.00000049999999", "1", "0", "just below half: down (double rounding would give 0.000001)"},
		{"0.0000005", "1", "0.000001", "exactly half: away from zero"},
		{"230.78", "1.4", "164.842857", "230.78 / 1.4 = 164.8428571428...: down"},
		{"1", "3", "0.333333", "1/3 = 0.3333333...: down"},
		{"2", "3", "0.666667", "2/3 = 0.6666666...: up"},
		{"3.9999995", "2", "2", "1.99999975: 7th digit 7, up to 2.000000"},
	}
	for _, tc := range tests {
		got := perKgString(footprint.KgCO2e(d(tc.kg)), d(tc.mass))
		if !d(got).Equal(d(tc.want)) {
			t.Errorf("%s: %s kg / %s kg = %s, want %s", tc.why, tc.kg, tc.mass, got, tc.want)
		}
	}
}
