package footprint_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
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
