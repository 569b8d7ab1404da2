package footprint_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

// Text that is not UTF-8 (a Latin-1 export: "M\xfcller") is refused with
// its path, by both JSON decoders, as Calculate and LoadFactorsCSV refuse
// it. Before, encoding/json read each bad byte as U+FFFD: "PF-\xe9" and
// "PF-\xe8" became one serial "PF-\ufffd", and the replacement character
// went into signed certificates.
func TestDecodersRefuseTextThatIsNotUTF8(t *testing.T) {
	spec := func(manufacturer, serial string) string {
		return `{"manufacturer":"` + manufacturer + `","model":"X","serial":"` + serial +
			`","mass":"1 kg","manufacture":{"declared":{"amount":"1 kg CO2e","source":"s"}}}`
	}
	if _, err := footprint.DecodeProductSpec(strings.NewReader(spec("Müller", "PF-1"))); err != nil {
		t.Fatalf("UTF-8 text: %v", err)
	}
	for _, c := range []struct{ json, field string }{
		{spec("M\xfcller", "PF-1"), "manufacturer"},
		{spec("M", "PF-\xe9"), "serial"},
		{spec("M", `PF-\udce9`), "serial"}, // a lone surrogate escape reads as U+FFFD too
	} {
		_, err := footprint.DecodeProductSpec(strings.NewReader(c.json))
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Rule, "valid UTF-8") || !errors.Is(err, footprint.ErrInvalidProduct) {
			t.Errorf("%q: %v, want an error naming %s", c.json, err, c.field)
		}
	}
	dataset := func(publisher string) string {
		return `{"name":"acme","version":"1","factors":[{"id":"acme.al","measure":"material.aluminium","region":"CN","per":"kg",` +
			`"amount":"8.6","gwp":"AR6","source":{"publisher":"` + publisher + `","title":"t","year":2025,"license":"CC-BY-4.0"}}]}`
	}
	if _, err := footprint.LoadDatasetJSON(strings.NewReader(dataset("Müller"))); err != nil {
		t.Fatalf("UTF-8 text: %v", err)
	}
	_, err := footprint.LoadDatasetJSON(strings.NewReader(dataset("M\xfcller")))
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || fe.Field != "factors[0].source.publisher" || !strings.Contains(fe.Rule, "valid UTF-8") {
		t.Errorf("dataset: %v, want an error naming factors[0].source.publisher", err)
	}
}

// A nil reader is an error, not a panic (as LoadDatasetJSON and
// LoadFactorsCSV already answered).
func TestDecodeNilReader(t *testing.T) {
	_, err := footprint.DecodeProductSpec(nil)
	if !errors.Is(err, footprint.ErrInvalidProduct) || !strings.Contains(err.Error(), "nil reader") {
		t.Errorf("DecodeProductSpec(nil): %v", err)
	}
}

// A serial with white space at either end (a padded, fixed-width ERP
// export) is refused: "PF-1 " and "PF-1" would be two units, each offset,
// and a serial of spaces names no unit at all. Spaces inside are kept.
func TestSerialWithoutSurroundingSpace(t *testing.T) {
	for _, serial := range []string{"PF-1 ", " PF-1", "   ", "PF-1\u00a0", "\u3000PF-1"} {
		p := footprint.ReferenceLaptop()
		p.Serial = serial
		_, err := footprint.Calculate(p, nil)
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != "serial" || fe.Value != serial || !strings.Contains(fe.Rule, "white space") {
			t.Errorf("serial %q: %v, want an error naming serial", serial, err)
		}
	}
	p := footprint.ReferenceLaptop()
	p.Serial = "PF 1"
	if _, err := footprint.Calculate(p, nil); err != nil {
		t.Errorf("serial %q: %v", p.Serial, err)
	}
}

// A zero written out is named in the error, not reported as a missing
// value (before: `mass: is required (must be > 0), got ""`, which sent
// an ERP user looking for an absent column).
func TestExplicitZeroIsNamed(t *testing.T) {
	const head = `{"manufacturer":"M","model":"X",`
	const declared = `"manufacture":{"declared":{"amount":"1 kg CO2e","source":"s"}}`
	for _, c := range []struct{ json, field, value string }{
		{head + `"mass":"0 kg",` + declared + `}`, "mass", "0 kg"},
		{head + `"mass":"1 kg","manufacture":{"bom":{"components":[{"kind":"mainboard","quantity":"0"}]}}}`, "manufacture.bom.components[0].quantity", "0"},
		{head + `"mass":"1 kg",` + declared + `,"shipping":{"legs":[{"mode":"road","distance":"0 km"}]}}`, "shipping.legs[0].distance", "0 km"},
	} {
		_, err := footprint.DecodeProductSpec(strings.NewReader(c.json))
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || fe.Value != c.value || !strings.Contains(fe.Rule, "> 0") {
			t.Errorf("%s: %v, want %s naming %q", c.json, err, c.field, c.value)
		}
	}
	const sheet = "id,measure,region,per,amount,gwp,source_publisher,source_title,source_year,source_license\n" +
		"acme.al,material.aluminium,CN,kg,8.6,AR6,p,t,%s,CC-BY-4.0\n"
	for _, year := range []string{"0000", "0025", "2201"} {
		_, err := footprint.LoadFactorsCSV("s.csv", "1", strings.NewReader(strings.Replace(sheet, "%s", year, 1)))
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Value != year || !strings.Contains(fe.Rule, "1900 to 2200") {
			t.Errorf("source_year %s: %v, want an error naming %s", year, err, year)
		}
	}
}

// A leading UTF-8 byte order mark (Notepad and Excel write one) is
// skipped by both JSON decoders, as LoadFactorsCSV skips it; one anywhere
// else is still an error.
func TestJSONDecodersSkipByteOrderMark(t *testing.T) {
	const bom = "\xef\xbb\xbf"
	spec := `{"manufacturer":"M","model":"X","mass":"1 kg","manufacture":{"declared":{"amount":"1 kg CO2e","source":"s"}}}`
	if _, err := footprint.DecodeProductSpec(strings.NewReader(bom + spec)); err != nil {
		t.Errorf("product with a BOM: %v", err)
	}
	if _, err := footprint.DecodeProductSpec(strings.NewReader(bom + bom + spec)); err == nil {
		t.Error("product with two BOMs: accepted")
	}
	ds := `{"name":"acme","version":"1","factors":[{"id":"acme.al","measure":"material.aluminium","region":"CN","per":"kg",` +
		`"amount":"8.6","gwp":"AR6","source":{"publisher":"p","title":"t","year":2025,"license":"CC-BY-4.0"}}]}`
	if _, err := footprint.LoadDatasetJSON(strings.NewReader(bom + ds)); err != nil {
		t.Errorf("dataset with a BOM: %v", err)
	}
}

// An unknown or repeated key is named as the value too, not reported as
// an empty value (`weight: unknown field, got ""`).
func TestUnknownKeysNamed(t *testing.T) {
	_, err := footprint.DecodeProductSpec(strings.NewReader(`{"manufacturer":"M","model":"X","mass":"1 kg","weight":"2 kg",` +
		`"manufacture":{"declared":{"amount":"1 kg CO2e","source":"s"}}}`))
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || fe.Field != "weight" || fe.Value != "weight" {
		t.Errorf("product: %v, want the key weight named", err)
	}
	factor := `{"id":"acme.al","measure":"material.aluminium","region":"CN","per":"kg","amount":"8.6","gwp":"AR6",` +
		`"source":{"publisher":"p","title":"t","year":2025,"license":"CC-BY-4.0"}%s}`
	for _, c := range []struct{ extra, field, value string }{
		{`,"unit":"kg"`, "factors[0].unit", "unit"},
		{`,"region":"DE"`, "factors[0].region", "region"},
	} {
		js := `{"name":"n","version":"1","factors":[` + strings.Replace(factor, "%s", c.extra, 1) + `]}`
		_, err := footprint.LoadDatasetJSON(strings.NewReader(js))
		if !errors.As(err, &fe) || fe.Field != c.field || fe.Value != c.value {
			t.Errorf("%s: %v, want %s naming %q", c.extra, err, c.field, c.value)
		}
	}
}

// A country of use written otherwise than its alpha-2 code gets the code
// meant, as a dataset region does: "de" → "DE", "DEU" → "DE", "UK" → "GB".
func TestUseCountryHints(t *testing.T) {
	for _, c := range []struct{ country, hint string }{
		{"de", `(did you mean "DE"?)`},
		{"DEU", `(use "DE" for Germany)`},
		{"UK", `(use "GB" for the United Kingdom)`},
	} {
		p := footprint.ReferenceLaptop()
		p.Use.Country = c.country
		_, err := footprint.Calculate(p, nil)
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != "use.country" || !strings.HasSuffix(fe.Rule, c.hint) {
			t.Errorf("%s: %v, want a rule ending %s", c.country, err, c.hint)
		}
	}
	if _, err := footprint.DefaultDataset().Lookup(footprint.Query{Measure: "electricity.grid", Region: "UK"}); err == nil || !strings.Contains(err.Error(), `"GB"`) {
		t.Errorf("Lookup UK: %v, want a hint to GB", err)
	}
}

// A serial with an invisible format character (zero-width space, bidi
// override) is refused: on a badge or a receipt it prints as another
// unit's serial.
func TestSerialWithoutFormatCharacters(t *testing.T) {
	for _, serial := range []string{"PF-3X7Y2Z\u200b", "PF-\u202eZ2Y7X3", "PF\u2060-1", "\ufeffPF-1"} {
		p := footprint.ReferenceLaptop()
		p.Serial = serial
		_, err := footprint.Calculate(p, nil)
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || fe.Field != "serial" || !strings.Contains(fe.Rule, "format characters") {
			t.Errorf("serial %q: %v, want an error naming serial", serial, err)
		}
	}
}

// A relative uncertainty on a linear factor spreads its slope, as
// Factor.Bounds says and as a stated low and high do; the intercept stays
// exact. By hand, a CPU of 150 mm² at 0.0197 kg/mm² ± 10 % + 9.14 kg:
// value 0.0197 × 150 + 9.14 = 12.095; low 0.01773 × 150 + 9.14 = 11.7995;
// high 0.02167 × 150 + 9.14 = 12.3905 (it gave 12.095 ∓ 10 %: 10.8855 to
// 13.3045, the intercept varied too).
func TestLinearFactorRelativeUncertainty(t *testing.T) {
	src := footprint.Source{Publisher: "p", Title: "t", Year: 2025, License: "CC-BY-4.0"}
	cpu := func(u footprint.Uncertainty) footprint.Factor {
		return footprint.Factor{ID: "t.cpu", Measure: "component.cpu", Region: "WORLD", Basis: "mm2", Attribute: "die_area",
			Amount: decimal.RequireFromString("0.0197"), Intercept: decimal.RequireFromString("9.14"), GWP: "AR6", Uncertainty: u, Source: src}
	}
	rel := cpu(footprint.Uncertainty{Relative: decimal.RequireFromString("0.1")})
	lo, hi := rel.Bounds()
	stated := cpu(footprint.Uncertainty{Low: lo, High: hi})
	for name, f := range map[string]footprint.Factor{"relative": rel, "low and high": stated} {
		layer, err := footprint.NewDataset("t", "1", []footprint.Factor{f})
		if err != nil {
			t.Fatal(err)
		}
		p := footprint.ProductSpec{Manufacturer: "M", Model: "X", Mass: footprint.Kg(decimal.NewFromInt(1)),
			Manufacture: footprint.Manufacture{BOM: &footprint.BillOfMaterials{Components: []footprint.Component{
				{Kind: "cpu", Quantity: decimal.NewFromInt(1), Attributes: map[string]string{"die_area": "150"}}}}}}
		fp, err := footprint.Calculate(p, layer.Over(footprint.DefaultDataset()))
		if err != nil {
			t.Fatal(err)
		}
		l := fp.Stages[0].Lines[0]
		if l.CO2e.Kg().String() != "12.095" || l.Low.Kg().String() != "11.7995" || l.High.Kg().String() != "12.3905" {
			t.Errorf("%s: %s [%s, %s], want 12.095 [11.7995, 12.3905]", name, l.CO2e, l.Low, l.High)
		}
	}
}

// A stage's share is rounded once. By hand: with a total T = 2^28 kg and
// a manufacture stage P = 33151778.815999999999999999999999 kg,
// 100 × P ÷ T = 12.35 − 10^-22 ÷ 2^28 ≈ 12.35 − 3.7 × 10^-31, which rounds
// to 12.3 (dividing to 30 places first made it 12.35, then 12.4).
func TestShareRoundedOnce(t *testing.T) {
	p := decimal.RequireFromString("33151778.815999999999999999999999")
	total := decimal.NewFromInt(1 << 28)
	spec := footprint.ProductSpec{Manufacturer: "M", Model: "X", Mass: footprint.Kg(decimal.NewFromInt(1)),
		Manufacture: footprint.Manufacture{Declared: &footprint.DeclaredFigure{Amount: footprint.KgCO2e(p), Source: "s"}},
		EndOfLife:   &footprint.EndOfLife{Declared: &footprint.DeclaredFigure{Amount: footprint.KgCO2e(total.Sub(p)), Source: "s"}}}
	fp, err := footprint.Calculate(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !fp.CO2e.Kg().Equal(total) {
		t.Fatalf("total %s, want %s", fp.CO2e, total)
	}
	if got := fp.Shares()[0].Percent.String(); got != "12.3" {
		t.Errorf("manufacture share %s %%, want 12.3", got)
	}
}
