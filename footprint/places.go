package footprint

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/geo"
	"github.com/shopspring/decimal"
)

// Kinds of known place (Place.Kind).
const (
	PlaceAirport = "airport" // a cargo airport, coded by its 3-letter IATA code
	PlaceSeaport = "seaport" // a container seaport, coded by its 5-character UN/LOCODE
)

// ErrUnknownPlace: a place code is not in the table of known places.
// LookupPlace wraps it in a *FieldError naming the field "place".
var ErrUnknownPlace = errors.New("footprint: unknown place")

// Place is a known freight place: a major cargo airport or container
// seaport with its position, from the table embedded in the module
// (footprint/data/places/places.csv, human-readable, each row with its
// source and licence).
//
// Code is the place's code in upper case: the 3-letter IATA code of an
// airport ("HKG", "FRA", "MEM") or the 5-character UN/LOCODE of a seaport
// ("CNSHA", "NLRTM", "SGSIN"; two letters of country, then three letters or
// digits 2–9). The two forms have different lengths, so an airport and a
// seaport code never collide. Kind is PlaceAirport or PlaceSeaport. Name is
// the name the source gives (shortened or clarified for a few seaports, as
// the table's header records). Country is the ISO 3166-1 alpha-2 code; for
// a seaport it is the first two letters of its UN/LOCODE.
//
// At is the position in decimal degrees (WGS 84), exact decimals as
// written in the table, at most 6 decimal places. Airports are OurAirports'
// airport reference points (public domain). Seaports are the US National
// Geospatial-Intelligence Agency's World Port Index (Pub. 150) positions
// (public domain). Either is meant for great-circle leg distances (see
// GreatCircle), not for navigation.
//
// Source records where the position comes from: Publisher names the data
// set ("OurAirports", "NGA World Port Index (Pub. 150)"), URL its home
// and License its terms; Title and Year are empty, the table's header
// comment giving the file, commit and the conversions made. Place is a plain
// value; copies are independent.
type Place struct {
	Code    string      `json:"code"`
	Kind    string      `json:"kind"`
	Name    string      `json:"name"`
	Country string      `json:"country"`
	At      Coordinates `json:"at"`
	Source  Source      `json:"source"`
}

//go:embed data/places/places.csv
var placesCSV []byte

// placesFile names the embedded table in errors.
const placesFile = "data/places/places.csv"

// placeTable is the parsed table: places sorted by code, and an index from
// code to position.
type placeTable struct {
	list   []Place
	byCode map[string]int
}

// knownPlaces parses the embedded table once, on first use. A bad table is
// an error returned to every caller (and fails the package tests), never a
// panic.
var knownPlaces = sync.OnceValues(func() (*placeTable, error) {
	t, err := parsePlaces(placesCSV)
	if err != nil {
		return nil, fielderr.Prefix(placesFile, err)
	}
	return t, nil
})

// LookupPlace returns the known place with the given code: a 3-letter IATA
// airport code such as "HKG" or a 5-character UN/LOCODE such as "CNSHA".
// The code is matched without regard to case ("hkg" finds HKG) but
// otherwise exactly: no spaces, no separator inside a UN/LOCODE ("CN SHA"
// is not found). Places lists every known place.
//
// A code that is not in the table returns a *FieldError with Field
// "place", the code as Value and the rule broken, wrapping ErrUnknownPlace;
// the table is not a complete list of the world's airports and ports, so
// a leg between other places gives coordinates or a distance instead. The
// position of the place is p.At, and the distance between two places is
// GreatCircle(a.At, b.At), adjusted for the mode of transport by the caller
// of the calculation.
//
// The table is embedded in the module and parsed once, on first use; it is
// read-only, so LookupPlace is safe for concurrent use. Should the embedded
// table ever be malformed (a build defect the package tests catch) the
// error names its file, row and column and wraps ErrInvalidDataset.
func LookupPlace(code string) (Place, error) {
	t, err := knownPlaces()
	if err != nil {
		return Place{}, err
	}
	if code == "" {
		return Place{}, fielderr.New("place", code, "is required: a 3-letter IATA airport code or a 5-character UN/LOCODE", ErrUnknownPlace)
	}
	if key, ok := placeKey(code); ok {
		if i, found := t.byCode[key]; found {
			return t.list[i], nil
		}
	}
	return Place{}, fielderr.New("place", code,
		"must be a known place: a 3-letter IATA airport code or a 5-character UN/LOCODE from footprint.Places", ErrUnknownPlace)
}

// Places returns every known place, sorted by code. The slice is a copy.
// It is empty only if the embedded table is malformed, which LookupPlace
// reports as an error.
func Places() []Place {
	t, err := knownPlaces()
	if err != nil {
		return nil
	}
	out := make([]Place, len(t.list))
	copy(out, t.list)
	return out
}

// placeKey upper-cases an ASCII code of letters and digits; any other byte
// (a space, a separator, a non-ASCII letter) makes the code unknown.
func placeKey(code string) (string, bool) {
	if len(code) != 3 && len(code) != 5 {
		return "", false
	}
	b := []byte(code)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return "", false
		}
	}
	return string(b), true
}

// placesHeader is the required header of the places table.
var placesHeader = []string{"code", "kind", "name", "country", "lat", "lon", "source", "source_url", "licence"}

// maxPlaceDecimals is the most decimal places a coordinate may have
// (6 places of a degree is about 0.1 m).
const maxPlaceDecimals = 6

// parsePlaces reads and checks a places table. Every cell is checked
// strictly; errors are *FieldError values naming "row N.column" (N the line
// number in the file) and wrapping ErrInvalidDataset.
func parsePlaces(b []byte) (*placeTable, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	r.FieldsPerRecord = len(placesHeader)
	header, err := r.Read()
	if err == io.EOF {
		return nil, fielderr.New("header", "", "is required: "+strings.Join(placesHeader, ","), ErrInvalidDataset)
	}
	if err != nil {
		return nil, csvError(err)
	}
	if strings.Join(header, ",") != strings.Join(placesHeader, ",") {
		return nil, fielderr.New("header", strings.Join(header, ","), "must be "+strings.Join(placesHeader, ","), ErrInvalidDataset)
	}
	t := &placeTable{byCode: map[string]int{}}
	rowOf := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		row := "row " + strconv.Itoa(line)
		p, err := placeFromRecord(rec)
		if err != nil {
			return nil, fielderr.Prefix(row, err)
		}
		if first, dup := rowOf[p.Code]; dup {
			return nil, fielderr.New(row+".code", p.Code, "must be unique: already on row "+strconv.Itoa(first), ErrInvalidDataset)
		}
		rowOf[p.Code] = line
		t.list = append(t.list, p)
	}
	if len(t.list) == 0 {
		return nil, fielderr.New("rows", "", "at least one place is required", ErrInvalidDataset)
	}
	sort.Slice(t.list, func(i, j int) bool { return t.list[i].Code < t.list[j].Code })
	for i, p := range t.list {
		t.byCode[p.Code] = i
	}
	return t, nil
}

// placeFromRecord builds a place from one CSV record; errors name the
// column.
func placeFromRecord(rec []string) (Place, error) {
	cell := map[string]string{}
	for i, col := range placesHeader {
		v := rec[i]
		if strings.TrimSpace(v) != v {
			return Place{}, fielderr.New(col, v, "must not start or end with spaces", ErrInvalidDataset)
		}
		cell[col] = v
	}
	p := Place{
		Code:    cell["code"],
		Kind:    cell["kind"],
		Name:    cell["name"],
		Country: cell["country"],
		Source:  Source{Publisher: cell["source"], URL: cell["source_url"], License: cell["licence"]},
	}
	switch p.Kind {
	case PlaceAirport:
		if !isIATACode(p.Code) {
			return Place{}, fielderr.New("code", p.Code, "an airport must have a 3-letter upper-case IATA code", ErrInvalidDataset)
		}
	case PlaceSeaport:
		if !isUNLocode(p.Code) {
			return Place{}, fielderr.New("code", p.Code, "a seaport must have a 5-character upper-case UN/LOCODE (2 letters, then 3 letters or digits 2-9)", ErrInvalidDataset)
		}
		if p.Country != p.Code[:2] {
			return Place{}, fielderr.New("country", p.Country, "must be the first two letters of the UN/LOCODE "+p.Code, ErrInvalidDataset)
		}
	default:
		return Place{}, fielderr.New("kind", p.Kind, "must be "+PlaceAirport+" or "+PlaceSeaport, ErrInvalidDataset)
	}
	if err := checkText("name", p.Name, maxTextLen, true, ErrInvalidDataset); err != nil {
		return Place{}, err
	}
	if !geo.IsCountry(p.Country) {
		return Place{}, fielderr.New("country", p.Country, "must be an upper-case ISO 3166-1 alpha-2 country code", ErrInvalidDataset)
	}
	var err error
	if p.At.Lat, err = placeDegrees("lat", cell["lat"]); err != nil {
		return Place{}, err
	}
	if p.At.Lon, err = placeDegrees("lon", cell["lon"]); err != nil {
		return Place{}, err
	}
	if err := p.At.Validate(); err != nil {
		var fe *fielderr.Error
		if errors.As(err, &fe) {
			return Place{}, fielderr.New(fe.Field, fe.Value, fe.Rule, ErrInvalidDataset)
		}
		return Place{}, err
	}
	if err := checkText("source", p.Source.Publisher, maxTextLen, true, ErrInvalidDataset); err != nil {
		return Place{}, err
	}
	if u, err := url.Parse(p.Source.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Place{}, fielderr.New("source_url", p.Source.URL, "is required: an http or https URL", ErrInvalidDataset)
	}
	if err := checkText("licence", p.Source.License, maxTextLen, true, ErrInvalidDataset); err != nil {
		return Place{}, err
	}
	return p, nil
}

// placeDegrees parses a coordinate with the package's strict decimal rules
// and at most maxPlaceDecimals decimal places; the range is checked by
// Coordinates.Validate.
func placeDegrees(field, s string) (decimal.Decimal, error) {
	d, err := dec.Parse(s)
	if err != nil {
		return decimal.Decimal{}, fielderr.New(field, s, "must be a plain decimal number of degrees: "+err.Error(), ErrInvalidDataset)
	}
	if d.Exponent() < -maxPlaceDecimals {
		return decimal.Decimal{}, fielderr.New(field, s, "must have at most "+strconv.Itoa(maxPlaceDecimals)+" decimal places", ErrInvalidDataset)
	}
	return d, nil
}

// isIATACode reports whether s is three upper-case ASCII letters.
func isIATACode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// isUNLocode reports whether s is a UN/LOCODE: two upper-case letters (the
// country) and three upper-case letters or digits 2–9.
func isUNLocode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < 5; i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z'
		if i < 2 && !letter {
			return false
		}
		if i >= 2 && !letter && (c < '2' || c > '9') {
			return false
		}
	}
	return true
}
