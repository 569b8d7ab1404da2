package footprint

// This file is the one place in lifecarbon where floating point is used:
// the trigonometry of great-circle distances. Its result is rounded to whole
// metres before it becomes a decimal, so no float reaches an accounting sum.

import (
	"math"
	"strconv"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

// EarthRadiusKm is the mean Earth radius (IUGG, 6371.0088 km rounded to the
// metre: 6371.009 km) used for great-circle distances.
const EarthRadiusKm = 6371.009

// Coordinates are a point on the Earth in decimal degrees (WGS 84):
// latitude in [-90, 90], longitude in [-180, 180]. JSON carries them as
// decimal strings, and both members are required.
type Coordinates struct {
	Lat decimal.Decimal `json:"lat"`
	Lon decimal.Decimal `json:"lon"`
}

var deg90, deg180 = numInt(90), numInt(180)

// Validate checks that the coordinates are in range; errors name the field
// "lat" or "lon".
func (c Coordinates) Validate() error {
	if outside(c.Lat, deg90) {
		return fielderr.New("lat", c.Lat.String(), "must be between -90 and 90 degrees", ErrInvalidProduct)
	}
	if outside(c.Lon, deg180) {
		return fielderr.New("lon", c.Lon.String(), "must be between -180 and 180 degrees", ErrInvalidProduct)
	}
	return nil
}

// outside reports whether |d| > limit, exactly.
func outside(d decimal.Decimal, limit num) bool {
	n := numOf(d)
	if n.sign() < 0 {
		n = n.negate()
	}
	return n.cmp(limit) > 0
}

// GreatCircle returns the great-circle (haversine) distance between a and b
// on a sphere of radius EarthRadiusKm, rounded to whole metres. Invalid
// coordinates give an error naming "lat" or "lon".
func GreatCircle(a, b Coordinates) (Distance, error) {
	if err := checkEnds(a, b); err != nil {
		return Distance{}, err
	}
	return Distance{decimal.NewFromInt(greatCircleMetres(a, b))}, nil
}

// checkEnds validates both ends of a great circle; errors name "from.lat",
// "to.lon", ...
func checkEnds(a, b Coordinates) error {
	if err := a.Validate(); err != nil {
		return fielderr.Prefix("from", err)
	}
	if err := b.Validate(); err != nil {
		return fielderr.Prefix("to", err)
	}
	return nil
}

// greatCircleMetres is GreatCircle in whole metres, for valid coordinates.
func greatCircleMetres(a, b Coordinates) int64 {
	lat1, lon1 := radians(a.Lat), radians(a.Lon)
	lat2, lon2 := radians(b.Lat), radians(b.Lon)
	sdLat := math.Sin((lat2 - lat1) / 2)
	sdLon := math.Sin((lon2 - lon1) / 2)
	// The explicit float64 conversions round each product, so that no
	// platform fuses a multiplication and an addition into one FMA
	// instruction (the Go specification allows that, and it can change the
	// last bit): the distance is the same on every architecture.
	h := float64(sdLat*sdLat) + float64(math.Cos(lat1)*math.Cos(lat2)*sdLon*sdLon)
	if h > 1 {
		h = 1
	}
	return int64(math.Round(2 * EarthRadiusKm * 1000 * math.Asin(math.Sqrt(h))))
}

// radians converts degrees to radians. The degrees become the float64
// nearest to the decimal (as strconv.ParseFloat rounds): directly when the
// coefficient and the power of ten are both exact in a float64 (below 2^53
// and at most 10^22), where one division or multiplication rounds
// correctly, else through ParseFloat.
func radians(d decimal.Decimal) float64 {
	return degrees(d) * math.Pi / 180
}

// exact10 holds the powers of ten a float64 represents exactly.
var exact10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

func degrees(d decimal.Decimal) float64 {
	n := numOf(d)
	if n.bd == nil && n.hi == 0 && n.lo < 1<<53 && n.exp > -int32(len(exact10)) && n.exp < int32(len(exact10)) {
		f := float64(n.lo)
		if n.exp < 0 {
			f /= exact10[-n.exp]
		} else {
			f *= exact10[n.exp]
		}
		if n.neg {
			f = -f
		}
		return f
	}
	f, err := strconv.ParseFloat(d.String(), 64)
	if err != nil { // out of float64 range: not a valid coordinate anyway
		f, _ = d.Float64()
	}
	return f
}
