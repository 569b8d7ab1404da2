package footprint

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/geo"
	"github.com/shopspring/decimal"
)

// TestPlacesEmbeddedTableParses fails the build's tests if the embedded
// table has any bad row: LookupPlace would otherwise return the error.
func TestPlacesEmbeddedTableParses(t *testing.T) {
	tab, err := knownPlaces()
	if err != nil {
		t.Fatalf("embedded %s: %v", placesFile, err)
	}
	if len(tab.list) != len(tab.byCode) {
		t.Fatalf("%d places but %d codes indexed", len(tab.list), len(tab.byCode))
	}
}

// TestLookupPlaceSourceFigures checks lookups against the figures in the
// sources, written out here by hand.
func TestLookupPlaceSourceFigures(t *testing.T) {
	const wpi = "NGA World Port Index (Pub. 150)"
	cases := []struct {
		why                 string
		code                string
		kind, name, country string
		lat, lon            string
		publisher           string
	}{
		{"OurAirports VHHH (HKG) latitude_deg 22.308901, longitude_deg 113.915001: verbatim",
			"HKG", PlaceAirport, "Hong Kong International Airport", "HK", "22.308901", "113.915001", "OurAirports"},
		{"OurAirports KMIA 25.79319953918457, -80.29060363769531: rounded half away from zero at 6 places " +
			"(25.793199|539… → 25.793200; -80.290603|637… → -80.290604)",
			"MIA", PlaceAirport, "Miami International Airport", "US", "25.7932", "-80.290604", "OurAirports"},
		{"OurAirports FAOR (JNB) -26.1392, 28.246: southern hemisphere, verbatim",
			"JNB", PlaceAirport, "O.R. Tambo International Airport", "ZA", "-26.1392", "28.246", "OurAirports"},
		{"OurAirports EDDP (LEJ) 51.420657, 12.232705",
			"LEJ", PlaceAirport, "Leipzig/Halle Airport", "DE", "51.420657", "12.232705", "OurAirports"},
		{"WPI 59970 Shanghai (its UN/LOCODE column says CN SGH: matched by name): Latitude 31.216667, Longitude 121.5",
			"CNSHA", PlaceSeaport, "Shanghai", "CN", "31.216667", "121.5", wpi},
		{"WPI 31140 Rotterdam, NL RTM: Latitude 51.9, Longitude 4.483333",
			"NLRTM", PlaceSeaport, "Rotterdam", "NL", "51.9", "4.483333", wpi},
		{"WPI 12970 Santos, BR SSZ: Latitude -23.95, Longitude -46.3 (south and west)",
			"BRSSZ", PlaceSeaport, "Santos", "BR", "-23.95", "-46.3", wpi},
		{"WPI 57857 Yantian, CN YTN: Latitude 22.583333, Longitude 114.266667; the table's name",
			"CNYTN", PlaceSeaport, "Yantian (Shenzhen)", "CN", "22.583333", "114.266667", wpi},
		{"WPI 48230 Mina Raysut, OM SLL: Latitude 16.95111111, Longitude 54.02916667: rounded half away from zero " +
			"at 6 places (16.951111|11 → 16.951111; 54.029166|67 → 54.029167)",
			"OMSLL", PlaceSeaport, "Salalah", "OM", "16.951111", "54.029167", wpi},
		{"WPI 50000 Keppel - (East Singapore), SG KEP (no row carries SG SIN: matched by name): Latitude 1.283333, Longitude 103.85",
			"SGSIN", PlaceSeaport, "Singapore", "SG", "1.283333", "103.85", wpi},
	}
	for _, tc := range cases {
		p, err := LookupPlace(tc.code)
		if err != nil {
			t.Errorf("%s: %v", tc.why, err)
			continue
		}
		if p.Code != tc.code || p.Kind != tc.kind || p.Name != tc.name || p.Country != tc.country {
			t.Errorf("%s: got %s %s %q %s", tc.why, p.Code, p.Kind, p.Name, p.Country)
		}
		if !p.At.Lat.Equal(decimal.RequireFromString(tc.lat)) || !p.At.Lon.Equal(decimal.RequireFromString(tc.lon)) {
			t.Errorf("%s: got %s, %s want %s, %s", tc.why, p.At.Lat, p.At.Lon, tc.lat, tc.lon)
		}
		if p.Source.Publisher != tc.publisher || !strings.HasPrefix(p.Source.URL, "https://") || p.Source.License == "" {
			t.Errorf("%s: source %+v", tc.why, p.Source)
		}
	}
}

func TestLookupPlaceIgnoresCase(t *testing.T) {
	for _, code := range []string{"hkg", "Hkg", "hKG", "cnsha", "CnShA", "nlrtm", "sgSIN"} {
		p, err := LookupPlace(code)
		if err != nil {
			t.Errorf("%q: %v", code, err)
			continue
		}
		if p.Code != strings.ToUpper(code) {
			t.Errorf("%q: got %s", code, p.Code)
		}
	}
}

func TestLookupPlaceUnknown(t *testing.T) {
	for _, code := range []string{
		"", "XXX", "ZZZZZ", "HK", "HKGX", "CN SHA", "CN-SHA", " HKG", "HKG ", "HKG\n",
		"ǅǅǅ", "HKG\x00", "CNSZX", // Shenzhen's generic code: the table has CNYTN and CNSHK
		strings.Repeat("A", 200),
	} {
		p, err := LookupPlace(code)
		if err == nil {
			t.Errorf("%q: found %+v", code, p)
			continue
		}
		if !errors.Is(err, ErrUnknownPlace) {
			t.Errorf("%q: %v does not wrap ErrUnknownPlace", code, err)
		}
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%q: %T is not a *FieldError", code, err)
			continue
		}
		if fe.Field != "place" || fe.Value != code || fe.Rule == "" {
			t.Errorf("%q: field %q value %q rule %q", code, fe.Field, fe.Value, fe.Rule)
		}
		if p != (Place{}) {
			t.Errorf("%q: non-zero place with an error", code)
		}
	}
}

// TestPlacesTable checks every row of the embedded table.
func TestPlacesTable(t *testing.T) {
	ps := Places()
	kinds := map[string]int{}
	continents := map[string]map[string]bool{PlaceAirport: {}, PlaceSeaport: {}}
	for i, p := range ps {
		kinds[p.Kind]++
		if i > 0 && ps[i-1].Code >= p.Code {
			t.Errorf("not sorted by code, or duplicate: %s then %s", ps[i-1].Code, p.Code)
		}
		switch p.Kind {
		case PlaceAirport:
			if !isIATACode(p.Code) {
				t.Errorf("%s: not an IATA code", p.Code)
			}
		case PlaceSeaport:
			if !isUNLocode(p.Code) || p.Country != p.Code[:2] {
				t.Errorf("%s: not a UN/LOCODE of country %s", p.Code, p.Country)
			}
		default:
			t.Errorf("%s: kind %q", p.Code, p.Kind)
		}
		c, ok := geo.ByAlpha2(p.Country)
		if !ok {
			t.Errorf("%s: country %q is not an ISO 3166-1 alpha-2 code", p.Code, p.Country)
		} else {
			continents[p.Kind][c.Continent] = true
		}
		if p.At.Lat.Abs().GreaterThan(decimal.NewFromInt(90)) || p.At.Lon.Abs().GreaterThan(decimal.NewFromInt(180)) {
			t.Errorf("%s: %s, %s out of range", p.Code, p.At.Lat, p.At.Lon)
		}
		if p.At.Lat.Exponent() < -6 || p.At.Lon.Exponent() < -6 {
			t.Errorf("%s: more than 6 decimal places", p.Code)
		}
		if p.At.Lat.IsZero() && p.At.Lon.IsZero() {
			t.Errorf("%s: 0, 0 is a missing position, not a place", p.Code)
		}
		if strings.TrimSpace(p.Name) == "" || p.Source.Publisher == "" || p.Source.License == "" ||
			!strings.HasPrefix(p.Source.URL, "https://") {
			t.Errorf("%s: incomplete %+v", p.Code, p)
		}
		got, err := LookupPlace(p.Code)
		if err != nil || got.Code != p.Code || !got.At.Lat.Equal(p.At.Lat) || !got.At.Lon.Equal(p.At.Lon) {
			t.Errorf("%s: lookup gives %+v, %v", p.Code, got, err)
		}
	}
	if kinds[PlaceAirport] < 40 || kinds[PlaceSeaport] < 30 || len(kinds) != 2 {
		t.Errorf("kinds %v: want at least 40 airports and 30 seaports", kinds)
	}
	// Every inhabited continent has a cargo airport and a container port.
	for kind, seen := range continents {
		for _, c := range []string{geo.Africa, geo.Asia, geo.Europe, geo.NorthAmerica, geo.Oceania, geo.SouthAmerica} {
			if !seen[c] {
				t.Errorf("no %s on continent %s", kind, c)
			}
		}
	}
	// Places returns a copy.
	ps[0].Code, ps[0].At.Lat = "ZZZ", decimal.NewFromInt(1)
	if again := Places(); again[0].Code == "ZZZ" || again[0].At.Lat.Equal(decimal.NewFromInt(1)) {
		t.Error("Places returned the table itself, not a copy")
	}
	if len(ps) < 70 {
		t.Errorf("%d places", len(ps))
	}
}

// TestPlacesGreatCircleHKGBOM checks the distance between two known places
// against a hand calculation.
//
// HKG (22.308901 N, 113.915001 E) to BOM (19.088699 N, 72.867897 E), on a
// sphere of radius EarthRadiusKm = 6371.009 km, by the haversine formula
// (worked to 40 significant digits, shown here to 10):
//
//	Δφ = 19.088699 − 22.308901 = −3.220202°  = −0.05620312748 rad
//	Δλ = 72.867897 − 113.915001 = −41.047104° = −0.7164071132 rad
//	sin(Δφ/2) = −0.02809786526   sin(Δλ/2) = −0.3505923801
//	cos φ1 = 0.9251507580        cos φ2 = 0.9450134341
//	h = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2) = 0.1082516182
//	c = 2 asin √h = 0.6705230311 rad (38.41813975°)
//	d = 6371.009 km × c = 4271.908266 km → 4 271 908 m
//
// The spherical law of cosines gives the same 4271908.266 m. GreatCircle
// computes in float64 and rounds to the metre, so ±1 m is allowed.
func TestPlacesGreatCircleHKGBOM(t *testing.T) {
	hkg, err := LookupPlace("HKG")
	if err != nil {
		t.Fatal(err)
	}
	bom, err := LookupPlace("BOM")
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]Place{{hkg, bom}, {bom, hkg}} {
		d, err := GreatCircle(pair[0].At, pair[1].At)
		if err != nil {
			t.Fatal(err)
		}
		m, err := d.In("m")
		if err != nil {
			t.Fatal(err)
		}
		if diff := m.Sub(decimal.NewFromInt(4271908)).Abs(); diff.GreaterThan(decimal.NewFromInt(1)) {
			t.Errorf("%s→%s: %s m, want 4271908 ± 1", pair[0].Code, pair[1].Code, m)
		}
	}
}

// TestParsePlacesStrict feeds the parser bad tables: each must be refused
// with an error naming the row and column, never a panic or a silent skip.
func TestParsePlacesStrict(t *testing.T) {
	const head = "code,kind,name,country,lat,lon,source,source_url,licence\n"
	good := "HKG,airport,Hong Kong International Airport,HK,22.308901,113.915001,OurAirports,https://ourairports.com/data/,Public-Domain\n" +
		"NLRTM,seaport,Rotterdam,NL,51.9,4.483333,NGA World Port Index (Pub. 150),https://msi.nga.mil/Publications/WPI,Public-Domain\n"
	if tab, err := parsePlaces([]byte("# a comment\n" + head + good)); err != nil || len(tab.list) != 2 || tab.list[0].Code != "HKG" {
		t.Fatalf("good table: %v", err)
	}
	row := func(cells ...string) string { return strings.Join(cells, ",") + "\n" }
	air := func(code, kind, name, country, lat, lon string) string {
		return row(code, kind, name, country, lat, lon, "OurAirports", "https://ourairports.com/data/", "Public-Domain")
	}
	cases := []struct {
		why   string
		table string
		field string
	}{
		{"empty file", "", "header"},
		{"only comments", "# nothing\n", "header"},
		{"wrong header", "code,kind,name,country,latitude,lon,source,source_url,licence\n" + good, "header"},
		{"no rows", head, "rows"},
		{"too few fields", head + "HKG,airport,Hong Kong,HK,22.3,113.9\n", "row 2"},
		{"duplicate code", head + good + air("HKG", "airport", "Again", "HK", "22", "114"), "row 4.code"},
		{"lower-case code in the table", head + air("hkg", "airport", "Hong Kong", "HK", "22", "114"), "row 2.code"},
		{"airport with a 5-character code", head + air("HKGGG", "airport", "Hong Kong", "HK", "22", "114"), "row 2.code"},
		{"seaport with an IATA code", head + air("HKG", "seaport", "Hong Kong", "HK", "22", "114"), "row 2.code"},
		{"UN/LOCODE with a 1", head + air("CNSH1", "seaport", "Shanghai", "CN", "31", "121"), "row 2.code"},
		{"seaport of another country", head + air("CNSHA", "seaport", "Shanghai", "HK", "31", "121"), "row 2.country"},
		{"unknown kind", head + air("HKG", "heliport", "Hong Kong", "HK", "22", "114"), "row 2.kind"},
		{"empty name", head + air("HKG", "airport", "", "HK", "22", "114"), "row 2.name"},
		{"not a country", head + air("HKG", "airport", "Hong Kong", "XX", "22", "114"), "row 2.country"},
		{"lower-case country", head + air("HKG", "airport", "Hong Kong", "hk", "22", "114"), "row 2.country"},
		{"latitude beyond 90", head + air("HKG", "airport", "Hong Kong", "HK", "90.000001", "114"), "row 2.lat"},
		{"longitude beyond -180", head + air("HKG", "airport", "Hong Kong", "HK", "22", "-180.5"), "row 2.lon"},
		{"exponent", head + air("HKG", "airport", "Hong Kong", "HK", "2.2e1", "114"), "row 2.lat"},
		{"no integer digit", head + air("HKG", "airport", "Hong Kong", "HK", ".5", "114"), "row 2.lat"},
		{"NaN", head + air("HKG", "airport", "Hong Kong", "HK", "22", "NaN"), "row 2.lon"},
		{"empty latitude", head + air("HKG", "airport", "Hong Kong", "HK", "", "114"), "row 2.lat"},
		{"seven decimal places", head + air("HKG", "airport", "Hong Kong", "HK", "22.3089013", "114"), "row 2.lat"},
		{"degrees and minutes, not converted", head + air("HKG", "airport", "Hong Kong", "HK", "2218N", "11355E"), "row 2.lat"},
		{"padded cell", head + air("HKG", "airport", "Hong Kong", "HK", " 22", "114"), "row 2.lat"},
		{"no source", head + row("HKG", "airport", "Hong Kong", "HK", "22", "114", "", "https://ourairports.com/data/", "Public-Domain"), "row 2.source"},
		{"source URL not http", head + row("HKG", "airport", "Hong Kong", "HK", "22", "114", "OurAirports", "ftp://x/", "Public-Domain"), "row 2.source_url"},
		{"no licence", head + row("HKG", "airport", "Hong Kong", "HK", "22", "114", "OurAirports", "https://ourairports.com/data/", ""), "row 2.licence"},
		{"bare quote", head + "HKG,airport,Hong \"Kong,HK,22,114,OurAirports,https://ourairports.com/data/,Public-Domain\n", "row 2"},
	}
	for _, tc := range cases {
		tab, err := parsePlaces([]byte(tc.table))
		if err == nil {
			t.Errorf("%s: accepted %d places", tc.why, len(tab.list))
			continue
		}
		if !errors.Is(err, ErrInvalidDataset) {
			t.Errorf("%s: %v does not wrap ErrInvalidDataset", tc.why, err)
		}
		var fe *fielderr.Error
		if !errors.As(err, &fe) {
			t.Errorf("%s: %T is not a *FieldError", tc.why, err)
			continue
		}
		if !strings.HasPrefix(fe.Field, tc.field) {
			t.Errorf("%s: field %q, want %q (%v)", tc.why, fe.Field, tc.field, err)
		}
	}
}

func ExampleLookupPlace() {
	hkg, err := LookupPlace("hkg") // case does not matter
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(hkg.Code, hkg.Kind, hkg.Country, hkg.At.Lat, hkg.At.Lon, hkg.Source.Publisher)

	rtm, _ := LookupPlace("NLRTM")
	fmt.Println(rtm.Code, rtm.Kind, rtm.Name, rtm.At.Lat, rtm.At.Lon)

	bom, _ := LookupPlace("BOM")
	d, _ := GreatCircle(hkg.At, bom.At)
	fmt.Println("HKG to BOM:", d)

	_, err = LookupPlace("QQQ")
	fmt.Println(errors.Is(err, ErrUnknownPlace))
	fmt.Println(err)
	// Output:
	// HKG airport HK 22.308901 113.915001 OurAirports
	// NLRTM seaport Rotterdam 51.9 4.483333
	// HKG to BOM: 4271.908 km
	// true
	// place: must be a known place: a 3-letter IATA airport code or a 5-character UN/LOCODE from footprint.Places, got "QQQ"
}
