package footprint

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

// TestDegreesNearest checks the direct decimal → float64 conversion
// against strconv.ParseFloat (which rounds to the nearest float64) and the
// decimal package's own exact conversion, on coordinates of every usual
// precision and on values past the direct path's limits.
func TestDegreesNearest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var cases []string
	for range 20000 {
		places := r.IntN(12)
		v := r.Int64N(180_000_000_000_000) - 90_000_000_000_000
		cases = append(cases, decimal.New(v, -int32(places)).String())
	}
	cases = append(cases,
		"0", "90", "-90", "180", "-180", "0.1", "-0.1", "22.3", "1e22", "1e23",
		"9007199254740993",                // 2^53 + 1: past the direct path
		"0.00000000000000000000001",       // 10^-23: past the direct path
		"-12.345678901234567890123456789", // coefficient beyond 64 bits
		"51.91667", "4.5", "-23.95", "114.26667",
	)
	for _, s := range cases {
		d, err := decimal.NewFromString(s)
		if err != nil {
			t.Fatal(err)
		}
		want, err := strconv.ParseFloat(d.String(), 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := degrees(d); got != want {
			t.Fatalf("degrees(%s) = %v, want %v (ParseFloat)", s, got, want)
		}
		if exact, _ := d.Float64(); degrees(d) != exact {
			t.Fatalf("degrees(%s) = %v, decimal.Float64 gives %v", s, degrees(d), exact)
		}
	}
}

// TestCoordinatesValidateBounds checks the range rule at and just past each
// bound, with decimals of different exponents.
func TestCoordinatesValidateBounds(t *testing.T) {
	for _, c := range []struct {
		lat, lon string
		field    string // "" when valid
	}{
		{"90", "180", ""},
		{"-90.000", "-180.0", ""},
		{"0", "0", ""},
		{"90.0000000001", "0", "lat"},
		{"-90.0000000001", "0", "lat"},
		{"0", "180.000000001", "lon"},
		{"0", "-180.1", "lon"},
		{"1e3", "0", "lat"},
		{"12.345678901234567890123456789", "-179.99999999999999999999999", ""},
		{"90.000000000000000000000000001", "0", "lat"},
	} {
		co := Coordinates{Lat: decimal.RequireFromString(c.lat), Lon: decimal.RequireFromString(c.lon)}
		err := co.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("(%s, %s): %v, want valid", c.lat, c.lon, err)
			}
			continue
		}
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, ErrInvalidProduct) {
			t.Errorf("(%s, %s): %v, want a FieldError on %s wrapping ErrInvalidProduct", c.lat, c.lon, err, c.field)
		}
	}
}

// TestAdjustedMetresAgrees checks the calculation's own adjustment of a
// great-circle distance against the exported Mode.AdjustedDistance, and
// both against the rule written out: air + 95 km, sea × 1.15, road and
// rail × 1.05.
func TestAdjustedMetresAgrees(t *testing.T) {
	rule := map[Mode]func(m int64) string{
		AirLongHaul: func(m int64) string { return strconv.FormatInt(m+95_000, 10) },
		Sea:         func(m int64) string { return decimal.New(m*115, -2).String() },
		Road:        func(m int64) string { return decimal.New(m*105, -2).String() },
		Rail:        func(m int64) string { return decimal.New(m*105, -2).String() },
	}
	for _, m := range []int64{0, 1, 999, 45_000, 4_367_512, 20_015_087} {
		for mode, want := range rule {
			got := mode.adjustedMetres(m).dec()
			pub := mode.AdjustedDistance(Distance{decimal.NewFromInt(m)})
			if !got.Equal(pub.v) || got.String() != decimal.RequireFromString(want(m)).String() {
				t.Errorf("%s, %d m: adjustedMetres %s, AdjustedDistance %s m, rule %s", mode, m, got, pub.v, want(m))
			}
		}
	}
}
