package geo

import (
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"

	"github.com/shopspring/decimal"
)

// Region codes that are not countries.
const (
	World = "WORLD" // the whole world
	EU    = "EU"    // the European Union (27 member states)
)

// Continent codes.
const (
	Africa       = "AF"
	Antarctica   = "AN"
	Asia         = "AS"
	Europe       = "EU"
	NorthAmerica = "NA" // including Central America and the Caribbean
	Oceania      = "OC"
	SouthAmerica = "SA"
)

// Country is one row of the ISO 3166-1 table.
type Country struct {
	Alpha2    string // "IN"
	Alpha3    string // "IND"
	Numeric   string // "356", three digits; "" for XK (Kosovo, not in ISO 3166-1)
	Name      string // English short name, "India"
	Continent string // AF, AN, AS, EU, NA, OC or SA
	EUMember  bool   // member of the European Union
	// Lat and Lon are a representative point of the country in decimal
	// degrees (WGS 84), suitable for "which is closer" comparisons and
	// rough distances, not for navigation. Zero with HasPoint false when
	// the source gives none.
	Lat, Lon decimal.Decimal
	HasPoint bool
}

// Hemisphere returns "N" or "S" from the representative latitude (a point on
// the equator counts as northern), and "" when the country has no point.
func (c Country) Hemisphere() string {
	if !c.HasPoint {
		return ""
	}
	if c.Lat.Sign() < 0 {
		return "S"
	}
	return "N"
}

//go:embed countries.csv
var countriesCSV string

type table struct {
	rows    []Country
	byCode  map[string]int // alpha-2 and alpha-3 → index
	numeric map[string]int
}

var load = sync.OnceValue(func() *table {
	t, err := parse(countriesCSV)
	if err != nil {
		panic("geo: embedded countries.csv: " + err.Error()) // caught by the package tests
	}
	return t
})

// ByAlpha2 returns the country with ISO 3166-1 alpha-2 code code (upper
// case, such as "IN").
func ByAlpha2(code string) (Country, bool) {
	if len(code) != 2 {
		return Country{}, false
	}
	t := load()
	i, ok := t.byCode[code]
	if !ok {
		return Country{}, false
	}
	return t.rows[i], true
}

// ByAlpha3 returns the country with ISO 3166-1 alpha-3 code code (upper
// case, such as "IND").
func ByAlpha3(code string) (Country, bool) {
	if len(code) != 3 {
		return Country{}, false
	}
	t := load()
	i, ok := t.byCode[code]
	if !ok {
		return Country{}, false
	}
	return t.rows[i], true
}

// ByNumeric returns the country with ISO 3166-1 numeric code code ("356").
func ByNumeric(code string) (Country, bool) {
	t := load()
	i, ok := t.numeric[code]
	if !ok {
		return Country{}, false
	}
	return t.rows[i], true
}

// IsCountry reports whether code is a known upper-case alpha-2 code.
func IsCountry(code string) bool {
	if len(code) != 2 {
		return false
	}
	_, ok := load().byCode[code]
	return ok
}

// IsEUMember reports whether alpha-2 code names a member of the European
// Union.
func IsEUMember(code string) bool {
	c, ok := ByAlpha2(code)
	return ok && c.EUMember
}

// IsRegion reports whether code is a region code lifecarbon knows that is
// not a country: World or EU.
func IsRegion(code string) bool { return code == World || code == EU }

// All returns every country, sorted by alpha-2 code. The slice is a copy.
func All() []Country {
	t := load()
	out := make([]Country, len(t.rows))
	copy(out, t.rows)
	return out
}

func parse(src string) (*table, error) {
	r := csv.NewReader(strings.NewReader(src))
	r.Comment = '#'
	r.FieldsPerRecord = 8
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "alpha2,alpha3,numeric,name,continent,eu,lat,lon" {
		return nil, errHeader
	}
	t := &table{byCode: map[string]int{}, numeric: map[string]int{}}
	for _, rec := range recs[1:] {
		c := Country{Alpha2: rec[0], Alpha3: rec[1], Numeric: rec[2], Name: rec[3], Continent: rec[4], EUMember: rec[5] == "1"}
		if rec[6] != "" || rec[7] != "" {
			lat, err1 := decimal.NewFromString(rec[6])
			lon, err2 := decimal.NewFromString(rec[7])
			if err1 != nil || err2 != nil {
				return nil, &rowError{c.Alpha2, "bad lat/lon"}
			}
			c.Lat, c.Lon, c.HasPoint = lat, lon, true
		}
		if len(c.Alpha2) != 2 || len(c.Alpha3) != 3 || (c.Numeric != "" && len(c.Numeric) != 3) || c.Name == "" {
			return nil, &rowError{c.Alpha2, "bad codes or name"}
		}
		if !strings.Contains(" AF AN AS EU NA OC SA ", " "+c.Continent+" ") || len(c.Continent) != 2 {
			return nil, &rowError{c.Alpha2, "bad continent"}
		}
		if c.HasPoint && (c.Lat.Abs().GreaterThan(decimal.NewFromInt(90)) || c.Lon.Abs().GreaterThan(decimal.NewFromInt(180))) {
			return nil, &rowError{c.Alpha2, "lat/lon out of range"}
		}
		for _, k := range []string{c.Alpha2, c.Alpha3} {
			if _, dup := t.byCode[k]; dup {
				return nil, &rowError{k, "duplicate code"}
			}
			t.byCode[k] = len(t.rows)
		}
		if c.Numeric != "" {
			if _, dup := t.numeric[c.Numeric]; dup {
				return nil, &rowError{c.Numeric, "duplicate numeric code"}
			}
			t.numeric[c.Numeric] = len(t.rows)
		}
		t.rows = append(t.rows, c)
	}
	return t, nil
}

type rowError struct{ code, msg string }

func (e *rowError) Error() string { return e.code + ": " + e.msg }

var errHeader = &rowError{"header", "want alpha2,alpha3,numeric,name,continent,eu,lat,lon"}
