package footprint

// This file is the one place in lifecarbon where floating point is used:
// the trigonometry of great-circle distances. Its result is rounded to whole
// metres before it becomes a decimal, so no float reaches an accounting sum.

import (
	"math"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

// EarthRadiusKm is the mean Earth radius (IUGG, 6371.0088 km rounded to the
// metre: 6371.009 km) used for great-circle distances.
const EarthRadiusKm = 6371.009

// Coordinates are a point on the Earth in decimal degrees (WGS 84):
// latitude in [-90, 90], longitude in [-180, 180]. JSON carries them as
// decimal strings.
type Coordinates struct {
	Lat decimal.Decimal `json:"lat"`
	Lon decimal.Decimal `json:"lon"`
}

var (
	deg90  = decimal.NewFromInt(90)
	deg180 = decimal.NewFromInt(180)
)

// Validate checks that the coordinates are in range; errors name the field
// "lat" or "lon".
func (c Coordinates) Validate() error {
	if c.Lat.Abs().GreaterThan(deg90) {
		return fielderr.New("lat", c.Lat.String(), "must be between -90 and 90 degrees", ErrInvalidProduct)
	}
	if c.Lon.Abs().GreaterThan(deg180) {
		return fielderr.New("lon", c.Lon.String(), "must be between -180 and 180 degrees", ErrInvalidProduct)
	}
	return nil
}

// GreatCircle returns the great-circle (haversine) distance between a and b
// on a sphere of radius EarthRadiusKm, rounded to whole metres. Invalid
// coordinates give an error naming "lat" or "lon".
func GreatCircle(a, b Coordinates) (Distance, error) {
	if err := a.Validate(); err != nil {
		return Distance{}, fielderr.Prefix("from", err)
	}
	if err := b.Validate(); err != nil {
		return Distance{}, fielderr.Prefix("to", err)
	}
	lat1, lon1 := radians(a.Lat), radians(a.Lon)
	lat2, lon2 := radians(b.Lat), radians(b.Lon)
	sdLat := math.Sin((lat2 - lat1) / 2)
	sdLon := math.Sin((lon2 - lon1) / 2)
	h := sdLat*sdLat + math.Cos(lat1)*math.Cos(lat2)*sdLon*sdLon
	if h > 1 {
		h = 1
	}
	metres := math.Round(2 * EarthRadiusKm * 1000 * math.Asin(math.Sqrt(h)))
	return Distance{decimal.NewFromInt(int64(metres))}, nil
}

func radians(d decimal.Decimal) float64 {
	f, _ := d.Float64()
	return f * math.Pi / 180
}
