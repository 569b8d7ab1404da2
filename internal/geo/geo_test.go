package geo

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestTableComplete(t *testing.T) {
	all := All()
	// ISO 3166-1 has 249 officially assigned codes; the table adds XK.
	if len(all) != 250 {
		t.Fatalf("got %d countries, want 250 (249 ISO codes + XK)", len(all))
	}
	eu := 0
	for i, c := range all {
		if i > 0 && all[i-1].Alpha2 >= c.Alpha2 {
			t.Errorf("not sorted at %s", c.Alpha2)
		}
		if c.EUMember {
			eu++
			if c.Continent != Europe {
				t.Errorf("%s: EU member outside Europe: %s", c.Alpha2, c.Continent)
			}
		}
		if c.Alpha2 != strings.ToUpper(c.Alpha2) || c.Alpha3 != strings.ToUpper(c.Alpha3) {
			t.Errorf("%s: codes must be upper case", c.Alpha2)
		}
	}
	if eu != 27 {
		t.Errorf("EU members = %d, want 27", eu)
	}
}

func TestLookups(t *testing.T) {
	cases := []struct {
		code      string
		alpha2    string
		name      string
		continent string
		eu        bool
		lat, lon  string
		hemi      string
	}{
		// Figures as in countries.csv (Google DSPL canonical countries).
		{"IN", "IN", "India", Asia, false, "20.593684", "78.96288", "N"},
		{"IND", "IN", "India", Asia, false, "20.593684", "78.96288", "N"},
		{"DE", "DE", "Germany", Europe, true, "51.165691", "10.451526", "N"},
		{"BRA", "BR", "Brazil", SouthAmerica, false, "-14.235004", "-51.92528", "S"},
		{"AU", "AU", "Australia", Oceania, false, "-25.274398", "133.775136", "S"},
		{"GB", "GB", "United Kingdom", Europe, false, "55.378051", "-3.435973", "N"},
		{"KE", "KE", "Kenya", Africa, false, "-0.023559", "37.906193", "S"},
		{"XK", "XK", "Kosovo", Europe, false, "42.602636", "20.902977", "N"},
	}
	for _, tc := range cases {
		var c Country
		var ok bool
		if len(tc.code) == 2 {
			c, ok = ByAlpha2(tc.code)
		} else {
			c, ok = ByAlpha3(tc.code)
		}
		if !ok {
			t.Fatalf("%s not found", tc.code)
		}
		if c.Alpha2 != tc.alpha2 || c.Name != tc.name || c.Continent != tc.continent || c.EUMember != tc.eu {
			t.Errorf("%s: got %+v", tc.code, c)
		}
		if !c.HasPoint || !c.Lat.Equal(decimal.RequireFromString(tc.lat)) || !c.Lon.Equal(decimal.RequireFromString(tc.lon)) {
			t.Errorf("%s: point %s,%s want %s,%s", tc.code, c.Lat, c.Lon, tc.lat, tc.lon)
		}
		if c.Hemisphere() != tc.hemi {
			t.Errorf("%s: hemisphere %q want %q", tc.code, c.Hemisphere(), tc.hemi)
		}
	}
	if c, ok := ByNumeric("356"); !ok || c.Alpha2 != "IN" {
		t.Errorf("ByNumeric(356) = %v %v", c.Alpha2, ok)
	}
	for _, bad := range []string{"", "in", "XX", "EU", "WORLD", "INDX", "ZZZ", "I"} {
		if _, ok := ByAlpha2(bad); ok {
			t.Errorf("ByAlpha2(%q) found", bad)
		}
		if _, ok := ByAlpha3(bad); ok {
			t.Errorf("ByAlpha3(%q) found", bad)
		}
		if IsCountry(bad) {
			t.Errorf("IsCountry(%q)", bad)
		}
	}
	if !IsRegion("EU") || !IsRegion("WORLD") || IsRegion("IN") {
		t.Error("IsRegion")
	}
	if !IsEUMember("FR") || IsEUMember("GB") || IsEUMember("CH") {
		t.Error("IsEUMember")
	}
	if c, _ := ByAlpha2("UM"); c.HasPoint || c.Hemisphere() != "" {
		t.Error("UM has no point in the source")
	}
}

func TestAllIsACopy(t *testing.T) {
	a := All()
	a[0].Name = "changed"
	if All()[0].Name == "changed" {
		t.Fatal("All exposes the table")
	}
}

func TestParseRejects(t *testing.T) {
	const h = "alpha2,alpha3,numeric,name,continent,eu,lat,lon\n"
	for _, tc := range []struct{ why, src string }{
		{"bad header", "a,b,c,d,e,f,g,h\n"},
		{"duplicate alpha-2", h + "IN,IND,356,India,AS,,,\nIN,INX,357,X,AS,,,\n"},
		{"bad continent", h + "IN,IND,356,India,XX,,,\n"},
		{"latitude out of range", h + "IN,IND,356,India,AS,,91,0\n"},
		{"bad decimal", h + "IN,IND,356,India,AS,,x,0\n"},
		{"short alpha-3", h + "IN,IN,356,India,AS,,,\n"},
	} {
		if _, err := parse(tc.src); err == nil {
			t.Errorf("%s: accepted", tc.why)
		}
	}
}

func BenchmarkByAlpha2(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ByAlpha2("IN"); !ok {
			b.Fatal()
		}
	}
}
