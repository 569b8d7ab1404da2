package footprint_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

func loadCSVFile(t *testing.T, path string) *footprint.Dataset {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := footprint.LoadFactorsCSV("acme-csv", "3", f)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLoadCSVLayeredOverDefault(t *testing.T) {
	sup := loadCSVFile(t, "testdata/supplier_factors.csv")
	if len(sup.Factors()) != 3 {
		t.Fatalf("factors = %d", len(sup.Factors()))
	}
	al, ok := sup.Factor("acme.al")
	if !ok || !al.Amount.Equal(dsDec("8.6")) || !al.Uncertainty.Relative.Equal(dsDec("0.2")) || al.Description != "Aluminium, 50 % recycled content" {
		t.Fatalf("acme.al = %+v", al)
	}
	d := sup.Over(footprint.DefaultDataset())
	if d.Name() != "acme-csv over lifecarbon-default" || d.Version() != "3 over 2026.2" {
		t.Errorf("name %q version %q", d.Name(), d.Version())
	}
	cases := []struct {
		why    string
		q      footprint.Query
		id     string
		amount string
		layer  string
	}{
		{"the caller's India factor wins over the default 0.70896", footprint.Query{Measure: "electricity.grid", Region: "IN"}, "acme.grid.IN", "0.65", "acme-csv"},
		{"a country only the default has: the default's, not the caller's WORLD (most specific region wins)",
			footprint.Query{Measure: "electricity.grid", Region: "DE"}, "grid.DE", "0.34206", "lifecarbon-default"},
		{"WORLD itself: the caller's", footprint.Query{Measure: "electricity.grid", Region: "WORLD"}, "acme.grid.WORLD", "0.5", "acme-csv"},
		{"a country nobody has: falls back to the caller's WORLD", footprint.Query{Measure: "electricity.grid", Region: "CF"}, "acme.grid.WORLD", "0.5", "acme-csv"},
		{"the caller's CN row is more specific than the default's WORLD row", footprint.Query{Measure: "material.aluminium", Region: "CN"}, "acme.al", "8.6", "acme-csv"},
		{"elsewhere the default's WORLD aluminium applies", footprint.Query{Measure: "material.aluminium", Region: "DE"}, "material.aluminium", "9.11590131", "lifecarbon-default"},
		{"a measure only the default has", footprint.Query{Measure: "device.laptop"}, "device.laptop", "181", "lifecarbon-default"},
	}
	for _, tc := range cases {
		r, err := d.Lookup(tc.q)
		if err != nil || r.Factor.ID != tc.id || !r.Factor.Amount.Equal(dsDec(tc.amount)) || r.Layer != tc.layer {
			t.Errorf("%s: %s %s %s %v", tc.why, r.Factor.ID, r.Factor.Amount, r.Layer, err)
		}
	}
	if f, ok := d.Factor("grid.IN"); ok {
		t.Errorf("the default's grid.IN (%s), shadowed by acme.grid.IN, is still found by ID", f.Amount)
	}
	// Factors lists the caller's 3, then the default's minus the 2 shadowed
	// (grid.IN and grid.WORLD share measure, region and boundary).
	if got, want := len(d.Factors()), 3+len(footprint.DefaultDataset().Factors())-2; got != want {
		t.Errorf("layered factors = %d, want %d", got, want)
	}
	// Layering does not change either layer.
	if r, _ := footprint.DefaultDataset().Lookup(footprint.Query{Measure: "electricity.grid", Region: "IN"}); r.Factor.ID != "grid.IN" {
		t.Error("default changed")
	}
	if d.Over(nil) != d {
		t.Error("Over(nil) must return the receiver")
	}
	var none *footprint.Dataset
	if none.Over(d) != d {
		t.Error("a nil dataset over d must give d")
	}
}

func TestLoadJSONAndThreeLayers(t *testing.T) {
	f, err := os.Open("testdata/supplier_dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	j, err := footprint.LoadDatasetJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	psu, _ := j.Factor("acme.psu")
	// A JSON number literal is read from its text: 20.5 exactly.
	if !psu.Amount.Equal(dsDec("20.5")) || psu.Attribute != "mass" {
		t.Errorf("psu %+v", psu)
	}
	d := j.Over(loadCSVFile(t, "testdata/supplier_factors.csv").Over(footprint.DefaultDataset()))
	if len(d.Layers()) != 3 || d.Layers()[0].Name != "acme-json" || d.Layers()[2].Version != "2026.2" {
		t.Errorf("layers %+v", d.Layers())
	}
	r, err := d.Lookup(footprint.Query{Measure: "electricity.grid", Region: "DE"})
	if err != nil || r.Factor.ID != "acme.grid.DE" || r.Layer != "acme-json" || r.LayerVersion != "7" {
		t.Errorf("DE: %+v %v", r, err)
	}
	r, _ = d.Lookup(footprint.Query{Measure: "electricity.grid", Region: "IN"})
	if r.Layer != "acme-csv" {
		t.Errorf("IN from %s", r.Layer)
	}
	r, _ = d.Lookup(footprint.Query{Measure: "electricity.grid", Region: "FR"})
	if r.Factor.ID != "grid.FR" || r.Layer != "lifecarbon-default" {
		t.Errorf("FR from %s %s", r.Factor.ID, r.Layer)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	d := footprint.DefaultDataset()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := footprint.LoadDatasetJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if d2.Name() != d.Name() || d2.Version() != d.Version() || len(d2.Factors()) != len(d.Factors()) {
		t.Fatal("round trip lost data")
	}
	for i, f := range d.Factors() {
		g := d2.Factors()[i]
		if f.ID != g.ID || !f.Amount.Equal(g.Amount) || !f.Intercept.Equal(g.Intercept) || f.Source != g.Source ||
			!f.Uncertainty.Low.Equal(g.Uncertainty.Low) || f.Description != g.Description || f.Divisor != g.Divisor {
			t.Fatalf("factor %d differs: %+v vs %+v", i, f, g)
		}
	}
}

const csvHeader = "id,measure,region,per,amount,gwp,source_publisher,source_title,source_year,source_license\n"

func TestLoadCSVRejects(t *testing.T) {
	row := func(amount string) string {
		return csvHeader + "a,m.x,WORLD,kg," + amount + ",AR5,P,T,2025,CC0-1.0\n"
	}
	cases := []struct {
		why      string
		src      string
		field    string
		sentinel error
	}{
		{"exponent", row("1e5"), "row 2.amount", footprint.ErrInvalidFactor},
		{"huge exponent", row("1e999999"), "row 2.amount", footprint.ErrInvalidFactor},
		{"NaN", row("NaN"), "row 2.amount", footprint.ErrInvalidFactor},
		{"hex", row("0x10"), "row 2.amount", footprint.ErrInvalidFactor},
		{"empty amount", row(""), "row 2.amount", footprint.ErrInvalidFactor},
		{"overlong decimal", row(strings.Repeat("9", 60)), "row 2.amount", footprint.ErrInvalidFactor},
		{"thousands separator", row(`"1,000"`), "row 2.amount", footprint.ErrInvalidFactor},
		{"zero amount", row("0"), "row 2.amount", footprint.ErrInvalidFactor},
		{"negative grid factor", csvHeader + "a,electricity.grid,IN,kWh,-5,AR6,P,T,2025,L\n", "row 2.amount", footprint.ErrInvalidFactor},
		{"negative low bound", strings.Replace(csvHeader, "gwp", "gwp,uncertainty_low,uncertainty_high", 1) + "a,m.x,WORLD,kg,1,AR5,-1,2,P,T,2025,L\n", "row 2.uncertainty_low", footprint.ErrInvalidFactor},
		{"recycling credit that adds", csvHeader + "a,eol.recycling-credit,WORLD,kg,2,AR5,P,T,2025,L\n", "row 2.amount", footprint.ErrInvalidFactor},
		{"comment lines count in row numbers", "# note\n" + row("x"), "row 3.amount", footprint.ErrInvalidFactor},
		{"duplicate ID", csvHeader + "a,m.x,WORLD,kg,1,AR5,P,T,2025,L\na,m.x,IN,kg,1,AR5,P,T,2025,L\n", "row 3.id", footprint.ErrInvalidDataset},
		{"missing publisher", csvHeader + "a,m.x,WORLD,kg,1,AR5,,T,2025,L\n", "row 2.source_publisher", footprint.ErrInvalidFactor},
		{"missing licence", csvHeader + "a,m.x,WORLD,kg,1,AR5,P,T,2025,\n", "row 2.source_license", footprint.ErrInvalidFactor},
		{"year not a year", csvHeader + "a,m.x,WORLD,kg,1,AR5,P,T,20x5,L\n", "row 2.source_year", footprint.ErrInvalidFactor},
		{"unknown country", csvHeader + "a,m.x,QQ,kg,1,AR5,P,T,2025,L\n", "row 2.region", footprint.ErrInvalidFactor},
		{"bad GWP", csvHeader + "a,m.x,WORLD,kg,1,SAR,P,T,2025,L\n", "row 2.gwp", footprint.ErrInvalidFactor},
		{"bad radiative forcing", strings.Replace(csvHeader, "gwp", "gwp,radiative_forcing", 1) + "a,m.x,WORLD,kg,1,AR5,maybe,P,T,2025,L\n", "row 2.radiative_forcing", footprint.ErrInvalidFactor},
		{"bad uncertainty", strings.Replace(csvHeader, "gwp", "gwp,uncertainty_relative", 1) + "a,m.x,WORLD,kg,1,AR5,1.5,P,T,2025,L\n", "row 2.uncertainty_relative", footprint.ErrInvalidFactor},
		{"unknown column", strings.Replace(csvHeader, "gwp", "gwp,ammount", 1) + "a,m.x,WORLD,kg,1,AR5,2,P,T,2025,L\n", "header", footprint.ErrInvalidDataset},
		{"repeated column", strings.Replace(csvHeader, "gwp", "gwp,id", 1) + "a,m.x,WORLD,kg,1,AR5,b,P,T,2025,L\n", "header", footprint.ErrInvalidDataset},
		{"missing required column", "id,measure,region,per,amount,gwp\na,m.x,WORLD,kg,1,AR5\n", "header", footprint.ErrInvalidDataset},
		{"empty input", "", "header", footprint.ErrInvalidDataset},
		{"a header and no rows", csvHeader, "", footprint.ErrInvalidDataset},
		{"a header and a comment", csvHeader + "# nothing yet\n", "", footprint.ErrInvalidDataset},
		{"wrong number of fields", csvHeader + "a,m.x\n", "row 2", footprint.ErrInvalidDataset},
		{"bad quoting", csvHeader + "a,\"m.x,WORLD,kg,1,AR5,P,T,2025,L\n", "row 2", footprint.ErrInvalidDataset},
	}
	for _, tc := range cases {
		_, err := footprint.LoadFactorsCSV("s", "1", strings.NewReader(tc.src))
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, tc.sentinel) {
			t.Errorf("%s: got %v, want field %q wrapping %v", tc.why, err, tc.field, tc.sentinel)
		}
	}
	// The message reads as the issue asks: row, column, rule, value.
	_, err := footprint.LoadFactorsCSV("s", "1", strings.NewReader(row("1e5")))
	if err == nil || !strings.HasPrefix(err.Error(), `row 2.amount: in dataset "s": must be a plain decimal: digits`) || !strings.HasSuffix(err.Error(), `got "1e5"`) {
		t.Errorf("message: %v", err)
	}
	// A header with a trailing comma (as spreadsheets export a stray
	// empty column) names the empty column by its number.
	hdr := strings.TrimSuffix(csvHeader, "\n") + ",\n"
	_, err = footprint.LoadFactorsCSV("s", "1", strings.NewReader(hdr+"a,m.x,WORLD,kg,1,AR5,P,T,2025,L,\n"))
	if n := strings.Count(hdr, ","); err == nil || !strings.Contains(err.Error(), "column "+strconv.Itoa(n+1)+": empty column name") {
		t.Errorf("trailing comma in the header: %v", err)
	}
	// Only a recycling credit may be negative.
	if _, err := footprint.LoadFactorsCSV("s", "1", strings.NewReader(csvHeader+"a,eol.recycling-credit,WORLD,kg,-2,AR5,P,T,2025,L\n")); err != nil {
		t.Errorf("negative recycling credit: %v", err)
	}
	_, err = footprint.LoadFactorsCSV("s", "1", strings.NewReader(csvHeader+"a,electricity.grid,IN,kWh,-5,AR6,P,T,2025,L\n"))
	if err == nil || !strings.Contains(err.Error(), "must be ≥ 0: only eol.recycling-credit factors may be negative") || !strings.HasSuffix(err.Error(), `got "-5"`) {
		t.Errorf("negative grid message: %v", err)
	}
	// A byte-order mark from a spreadsheet export is ignored.
	if _, err := footprint.LoadFactorsCSV("s", "1", strings.NewReader("\xef\xbb\xbf"+row("1"))); err != nil {
		t.Errorf("BOM: %v", err)
	}
	// An empty dataset name is refused.
	if _, err := footprint.LoadFactorsCSV("", "1", strings.NewReader(row("1"))); !errors.Is(err, footprint.ErrInvalidDataset) {
		t.Errorf("empty name: %v", err)
	}
}

// endless is a reader that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestLoadOverlong(t *testing.T) {
	_, err := footprint.LoadFactorsCSV("s", "1", io.LimitReader(endless{}, footprint.MaxDatasetBytes+10))
	if !errors.Is(err, footprint.ErrInvalidDataset) || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("CSV: %v", err)
	}
	_, err = footprint.LoadDatasetJSON(endless{})
	if !errors.Is(err, footprint.ErrInvalidDataset) || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("JSON: %v", err)
	}
	if _, err := footprint.LoadDatasetJSON(nil); !errors.Is(err, footprint.ErrInvalidDataset) {
		t.Errorf("nil reader: %v", err)
	}
}

func TestLoadJSONRejects(t *testing.T) {
	const src = `"source":{"publisher":"P","title":"T","year":2025,"license":"L"}`
	fac := func(body string) string {
		return `{"name":"j","version":"1","factors":[{"id":"a","measure":"m.x","region":"WORLD","per":"kg","gwp":"AR5",` + body + `}]}`
	}
	cases := []struct {
		why      string
		src      string
		field    string
		sentinel error
	}{
		{"exponent string", fac(`"amount":"1e5",` + src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"exponent number", fac(`"amount":1e5,` + src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"huge exponent", fac(`"amount":"1e999999",` + src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"NaN", fac(`"amount":"NaN",` + src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"hex", fac(`"amount":"0x10",` + src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"empty string", fac(`"amount":"",` + src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"boolean", fac(`"amount":true,` + src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"null", fac(`"amount":null,` + src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"missing amount", fac(src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"missing source", fac(`"amount":"1"`), "factors[0].source.publisher", footprint.ErrInvalidFactor},
		{"source without licence", fac(`"amount":"1","source":{"publisher":"P","title":"T","year":2025}`), "factors[0].source.license", footprint.ErrInvalidFactor},
		{"year as string", fac(`"amount":"1","source":{"publisher":"P","title":"T","year":"2025","license":"L"}`), "factors[0].source.year", footprint.ErrInvalidFactor},
		{"unknown key", fac(`"amount":"1","amout":"2",` + src), "factors[0].amout", footprint.ErrInvalidFactor},
		{"repeated key", fac(`"amount":"1","amount":"2",` + src), "factors[0].amount", footprint.ErrInvalidFactor},
		{"bad uncertainty", fac(`"amount":"1","uncertainty":{"relative":"-1"},` + src), "factors[0].uncertainty.relative", footprint.ErrInvalidFactor},
		{"unknown uncertainty key", fac(`"amount":"1","uncertainty":{"sd":"1"},` + src), "factors[0].uncertainty.sd", footprint.ErrInvalidFactor},
		{"id as number", `{"name":"j","factors":[{"id":5}]}`, "factors[0].id", footprint.ErrInvalidFactor},
		{"factor not an object", `{"name":"j","factors":[5]}`, "factors[0]", footprint.ErrInvalidFactor},
		{"duplicate IDs", `{"name":"j","version":"1","factors":[` + strings.Repeat(`{"id":"a","measure":"m.x","region":"WORLD","per":"kg","gwp":"AR5","amount":"1",`+src+`},`, 1) +
			`{"id":"a","measure":"m.x","region":"IN","per":"kg","gwp":"AR5","amount":"1",` + src + `}]}`, "factors[1].id", footprint.ErrInvalidDataset},
		{"no factors", `{"name":"j"}`, "factors", footprint.ErrInvalidDataset},
		{"missing version", `{"name":"j","factors":[]}`, "version", footprint.ErrInvalidDataset},
		{"factors not an array", `{"name":"j","factors":{}}`, "factors", footprint.ErrInvalidDataset},
		{"missing name", `{"factors":[]}`, "name", footprint.ErrInvalidDataset},
		{"unknown top-level key", `{"name":"j","factors":[],"extra":1}`, "extra", footprint.ErrInvalidDataset},
		{"not an object", `[1,2]`, "", footprint.ErrInvalidDataset},
		{"trailing data", `{"name":"j","factors":[]} {}`, "", footprint.ErrInvalidDataset},
		{"truncated", `{"name":"j","factors":[`, "", footprint.ErrInvalidDataset},
		{"empty", ``, "", footprint.ErrInvalidDataset},
	}
	for _, tc := range cases {
		_, err := footprint.LoadDatasetJSON(strings.NewReader(tc.src))
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, tc.sentinel) {
			t.Errorf("%s: got %v, want field %q wrapping %v", tc.why, err, tc.field, tc.sentinel)
		}
	}
}

func FuzzLoadDatasetJSON(f *testing.F) {
	b, _ := os.ReadFile("testdata/supplier_dataset.json")
	f.Add(b)
	f.Add([]byte(`{"name":"j","factors":[{"id":"a","measure":"m.x","region":"WORLD","per":"kg","gwp":"AR5","amount":"1e5"}]}`))
	f.Add([]byte(`{"name":"j","factors":[]}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := footprint.LoadDatasetJSON(bytes.NewReader(data))
		if err != nil {
			var fe *footprint.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FieldError: %v", err)
			}
			return
		}
		// A dataset that loads writes out and loads back to the same factors.
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		d2, err := footprint.LoadDatasetJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("reload: %v\n%s", err, out)
		}
		if len(d2.Factors()) != len(d.Factors()) {
			t.Fatal("reload changed the factor count")
		}
		for i, f := range d.Factors() {
			if g := d2.Factors()[i]; g.ID != f.ID || !g.Amount.Equal(f.Amount) {
				t.Fatalf("reload changed factor %d", i)
			}
		}
	})
}

func FuzzLoadFactorsCSV(f *testing.F) {
	b, _ := os.ReadFile("testdata/supplier_factors.csv")
	f.Add(b)
	f.Add([]byte(csvHeader + "a,m.x,WORLD,kg,1e5,AR5,P,T,2025,L\n"))
	f.Add([]byte(csvHeader + "a,m.x,WORLD,kg,0x10,AR5,P,T,2025,L\n"))
	f.Add([]byte("\xef\xbb\xbf" + csvHeader))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := footprint.LoadFactorsCSV("fuzz", "1", bytes.NewReader(data))
		if err != nil {
			var fe *footprint.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FieldError: %v", err)
			}
			return
		}
		for _, f := range d.Factors() {
			if _, err := d.Lookup(footprint.Query{Measure: f.Measure, Region: f.Region, Boundary: f.Boundary, RadiativeForcing: f.RadiativeForcing, NoFallback: true}); err != nil {
				t.Fatalf("a loaded factor is not found: %v", err)
			}
		}
	})
}

// TestNegativeIntercept checks that a linear factor may have a negative
// intercept (a fitted line's may) but that a component whose figure comes
// out negative is an error naming the attribute: with 1 kg per mm² and
// −2 kg per item, 5 mm² gives 5 × 1 − 2 = 3 kg and 1 mm² would give −1 kg.
func TestNegativeIntercept(t *testing.T) {
	src := strings.Replace(csvHeader, "gwp", "gwp,intercept,attribute", 1) + "w,component.widget,WORLD,mm2,1,AR5,-2,die_area,P,T,2025,L\n"
	layer, err := footprint.LoadFactorsCSV("s", "1", strings.NewReader(src))
	if err != nil {
		t.Fatalf("negative intercept refused: %v", err)
	}
	ds := layer.Over(footprint.DefaultDataset())
	spec := func(area string) footprint.ProductSpec {
		return footprint.ProductSpec{
			Manufacturer: "Acme", Model: "W", Mass: footprint.Kg(decimal.NewFromInt(1)),
			Manufacture: footprint.Manufacture{BOM: &footprint.BillOfMaterials{Components: []footprint.Component{
				{Kind: "component.widget", Quantity: decimal.NewFromInt(1), Attributes: map[string]string{"die_area": area}},
			}}},
		}
	}
	fp, err := footprint.Calculate(spec("5"), ds)
	if err != nil || !fp.CO2e.Kg().Equal(decimal.NewFromInt(3)) {
		t.Errorf("5 mm²: %v, %v; want 3 kg", fp.CO2e, err)
	}
	_, err = footprint.Calculate(spec("1"), ds)
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || fe.Field != "manufacture.bom.components[0].attributes.die_area" || !strings.Contains(fe.Rule, "negative") {
		t.Errorf("1 mm²: %v, want a negative-figure error naming the attribute", err)
	}
	f, _ := layer.Factor("w")
	if _, err := f.ApplyLinear(map[string]decimal.Decimal{"die_area": decimal.NewFromInt(1)}); !errors.As(err, &fe) || fe.Field != "attributes.die_area" {
		t.Errorf("ApplyLinear at 1 mm²: %v", err)
	}
	// With a range of 0.2 to 1.5 kg per mm², 5 mm² gives 3 kg but a low
	// bound of 5 × 0.2 − 2 = −1 kg: a negative low bound, which no
	// footprint may have (a certificate refuses one), so it is refused
	// here too, naming the attribute. 12 mm² gives 12 × 0.2 − 2 = 0.4.
	src = strings.Replace(csvHeader, "gwp", "gwp,intercept,attribute,uncertainty_low,uncertainty_high", 1) +
		"w,component.widget,WORLD,mm2,1,AR5,-2,die_area,0.2,1.5,P,T,2025,L\n"
	layer, err = footprint.LoadFactorsCSV("s", "1", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	ds = layer.Over(footprint.DefaultDataset())
	_, err = footprint.Calculate(spec("5"), ds)
	if !errors.As(err, &fe) || fe.Field != "manufacture.bom.components[0].attributes.die_area" || !strings.Contains(fe.Rule, "low bound") {
		t.Errorf("5 mm² with a range: %v, want a negative-low-bound error naming the attribute", err)
	}
	fp, err = footprint.Calculate(spec("12"), ds)
	if err != nil || fp.Low.Kg().String() != "0.4" {
		t.Errorf("12 mm² with a range: low %v, %v; want 0.4 kg", fp.Low, err)
	}
}

// layeredCSV loads a one-layer CSV dataset named name with the rows given.
func layeredCSV(t *testing.T, name, rows string) *footprint.Dataset {
	t.Helper()
	d, err := footprint.LoadFactorsCSV(name, "1", strings.NewReader(csvHeader+rows))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkConsistent checks that Factor, Factors and Lookup agree on d: every
// listed factor has a unique ID, Factor finds it by that ID, and an exact
// lookup of its key returns it.
func checkConsistent(t *testing.T, d *footprint.Dataset) {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range d.Factors() {
		if seen[f.ID] {
			t.Errorf("%s: Factors lists ID %s twice", d.Name(), f.ID)
		}
		seen[f.ID] = true
		if g, ok := d.Factor(f.ID); !ok || g.Region != f.Region || !g.Amount.Equal(f.Amount) {
			t.Errorf("%s: Factor(%q) = %s %s, %v; Factors lists %s %s", d.Name(), f.ID, g.Region, g.Amount, ok, f.Region, f.Amount)
		}
		r, err := d.Lookup(footprint.Query{Measure: f.Measure, Region: f.Region, Boundary: f.Boundary, RadiativeForcing: f.RadiativeForcing, NoFallback: true})
		if err != nil || r.Factor.ID != f.ID {
			t.Errorf("%s: lookup of %s's key gives %s, %v", d.Name(), f.ID, r.Factor.ID, err)
		}
	}
}

// TestOverHidesShadowedFactorsByID checks that a base factor shadowed by
// the upper layer (same key) is gone from Factor too, not only from
// Lookup and Factors.
func TestOverHidesShadowedFactorsByID(t *testing.T) {
	top := layeredCSV(t, "supplier.csv", "grid-IN,electricity.grid,IN,kWh,0.5,AR6,Me,T,2025,CC0\n")
	l := top.Over(footprint.DefaultDataset())
	r, err := l.Lookup(footprint.Query{Measure: "electricity.grid", Region: "IN"})
	if err != nil || r.Factor.ID != "grid-IN" || !r.Factor.Amount.Equal(dsDec("0.5")) {
		t.Fatalf("IN: %s %s %v", r.Factor.ID, r.Factor.Amount, err)
	}
	if f, ok := l.Factor("grid.IN"); ok {
		t.Errorf("Factor(grid.IN) = %s, a factor no lookup returns", f.Amount)
	}
	if f, ok := l.Factor("grid-IN"); !ok || !f.Amount.Equal(dsDec("0.5")) {
		t.Errorf("Factor(grid-IN) = %s, %v", f.Amount, ok)
	}
	if got, want := len(l.Factors()), len(footprint.DefaultDataset().Factors()); got != want {
		t.Errorf("factors = %d, want %d (one added, one shadowed)", got, want)
	}
	checkConsistent(t, l)
}

// TestOverIDCollision checks the rule for an upper factor that reuses a
// base factor's ID under another key: the upper factor wins the ID and the
// base factor is hidden everywhere, so a lookup for its key falls back (and
// says so), and the IDs stay unique.
func TestOverIDCollision(t *testing.T) {
	top := layeredCSV(t, "supplier.csv", "grid.FR,electricity.grid,IN,kWh,0.5,AR6,Me,T,2025,CC0\n")
	l := top.Over(footprint.DefaultDataset())
	if f, ok := l.Factor("grid.FR"); !ok || f.Region != "IN" || !f.Amount.Equal(dsDec("0.5")) {
		t.Errorf("Factor(grid.FR) = %s %s, %v; want the supplier's IN factor", f.Region, f.Amount, ok)
	}
	r, err := l.Lookup(footprint.Query{Measure: "electricity.grid", Region: "IN"})
	if err != nil || r.Factor.ID != "grid.FR" || r.Layer != "supplier.csv" {
		t.Errorf("IN: %s from %s, %v", r.Factor.ID, r.Layer, err)
	}
	r, err = l.Lookup(footprint.Query{Measure: "electricity.grid", Region: "FR"})
	if err != nil || r.Factor.ID != "grid.EU" || !r.Fallback || strings.Join(r.FallbackPath, ",") != "FR,EU" {
		t.Errorf("FR: %s fallback %v %v, %v; want grid.EU by fallback FR,EU", r.Factor.ID, r.Fallback, r.FallbackPath, err)
	}
	if _, err := l.Lookup(footprint.Query{Measure: "electricity.grid", Region: "FR", NoFallback: true}); !errors.Is(err, footprint.ErrFactorNotFound) {
		t.Errorf("FR without fallback: %v, want ErrFactorNotFound", err)
	}
	// the default's grid.FR (ID) and grid.IN (key) are both hidden
	if got, want := len(l.Factors()), len(footprint.DefaultDataset().Factors())-1; got != want {
		t.Errorf("factors = %d, want %d", got, want)
	}
	checkConsistent(t, l)
}

// TestLayeredJSONRoundTrip checks that what MarshalJSON writes for a
// layered dataset is read back by LoadDatasetJSON, with the same factors in
// the same order and the same lookups.
func TestLayeredJSONRoundTrip(t *testing.T) {
	def := footprint.DefaultDataset()
	j, err := footprint.LoadDatasetJSON(strings.NewReader(`{"name": "j", "version": "2", "factors": [
		{"id": "grid.IN", "measure": "electricity.grid", "region": "DE", "per": "kWh", "amount": "0.3", "gwp": "AR6",
		 "source": {"publisher": "P", "title": "T", "year": 2025, "license": "L"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []*footprint.Dataset{
		layeredCSV(t, "key", "grid-IN,electricity.grid,IN,kWh,0.5,AR6,Me,T,2025,CC0\n").Over(def),
		layeredCSV(t, "id", "grid.FR,electricity.grid,IN,kWh,0.5,AR6,Me,T,2025,CC0\n").Over(def),
		// the same ID in all three layers, under three keys
		j.Over(layeredCSV(t, "id", "grid.IN,electricity.grid,FR,kWh,0.5,AR6,Me,T,2025,CC0\n").Over(def)),
		j.Over(layeredCSV(t, "id", "grid.IN,electricity.grid,FR,kWh,0.5,AR6,Me,T,2025,CC0\n")).Over(def),
		loadCSVFile(t, "testdata/supplier_factors.csv").Over(def),
	}
	for _, d := range cases {
		checkConsistent(t, d)
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		back, err := footprint.LoadDatasetJSON(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s: its own JSON is refused: %v", d.Name(), err)
			continue
		}
		b2, _ := json.Marshal(back)
		if !bytes.Equal(b, b2) {
			t.Errorf("%s: the reloaded dataset writes different JSON", d.Name())
		}
		for _, f := range d.Factors() {
			for _, region := range []string{f.Region, "FR", "IN", "DE"} {
				q := footprint.Query{Measure: f.Measure, Region: region, Boundary: f.Boundary, RadiativeForcing: f.RadiativeForcing}
				r1, err1 := d.Lookup(q)
				r2, err2 := back.Lookup(q)
				if r1.Factor.ID != r2.Factor.ID || (err1 == nil) != (err2 == nil) {
					t.Errorf("%s: %+v gives %s (%v) layered, %s (%v) reloaded", d.Name(), q, r1.Factor.ID, err1, r2.Factor.ID, err2)
				}
			}
		}
	}
	// the upper layer's grid.IN (DE) wins over the middle layer's (FR)
	// and the default's (IN)
	d := cases[2]
	if f, _ := d.Factor("grid.IN"); f.Region != "DE" {
		t.Errorf("grid.IN is the %s factor, want j's DE factor", f.Region)
	}
	// Grouping does not matter: the default's grid.FR stays hidden by the
	// middle layer's FR factor, itself hidden by j's grid.IN.
	for i, d := range cases[2:4] {
		for region, want := range map[string]string{"DE": "grid.IN", "FR": "grid.EU", "IN": "grid.WORLD"} {
			if r, _ := d.Lookup(footprint.Query{Measure: "electricity.grid", Region: region}); r.Factor.ID != want {
				t.Errorf("grouping %d: %s: %s, want %s", i, region, r.Factor.ID, want)
			}
		}
	}
	b2, _ := json.Marshal(cases[2])
	b3, _ := json.Marshal(cases[3])
	if !bytes.Equal(b2, b3) {
		t.Error("a.Over(b.Over(c)) and a.Over(b).Over(c) hold different factors")
	}
}
