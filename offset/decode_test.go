package offset

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// wantFieldErr checks err is a field error wrapping sentinel with the
// given field, value and rule.
func wantFieldErr(t *testing.T, err, sentinel error, field, value, rule string) {
	t.Helper()
	var fe *footprint.FieldError
	if !errors.Is(err, sentinel) || !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a field error wrapping %v", err, sentinel)
	}
	if fe.Field != field || fe.Value != value || fe.Rule != rule {
		t.Errorf("got  %q %q %q\nwant %q %q %q", fe.Field, fe.Value, fe.Rule, field, value, rule)
	}
}

// TestMaxAgeMessage: the rule states the real bounds, 0 to 8000 years.
func TestMaxAgeMessage(t *testing.T) {
	for _, age := range []string{"9000", "-1", "8001"} {
		_, err := DecodeDemand(strings.NewReader(`{"serial":"a","amount":"1 kg","preferences":{"maxAge":` + age + `,"referenceYear":2025}}`))
		wantFieldErr(t, err, ErrInvalidDemand, "preferences.maxAge", age, "must be from 0 to 8000 years (0 = no limit)")
	}
	if _, err := DecodeDemand(strings.NewReader(`{"serial":"a","amount":"1 kg","preferences":{"maxAge":8000,"referenceYear":2025}}`)); err != nil {
		t.Errorf("maxAge 8000: %v", err)
	}
}

const oneLotInventory = `{"projects": [{"id": "P", "name": "P", "standard": "CDM", "type": "wind", "unitType": "avoidance", "country": "IN"}],
 "lots": [{"id": "L1", "project": "P", "vintage": 2020, "block": "1-10", "tonnes": 10, "status": "retired", "price": {"amount": "5", "currency": "USD"}}]}`

// TestDecodeInventoryLimit: input beyond the limit is refused with
// ErrInvalidInventory; input of exactly the limit is read.
func TestDecodeInventoryLimit(t *testing.T) {
	n := int64(len(oneLotInventory))
	if _, err := decodeInventory(strings.NewReader(oneLotInventory), n); err != nil {
		t.Fatalf("exactly the limit: %v", err)
	}
	_, err := decodeInventory(strings.NewReader(oneLotInventory+" "), n)
	wantFieldErr(t, err, ErrInvalidInventory, "", "", "inventory JSON larger than "+itoa(n)+" bytes (MaxInventoryJSON)")
	// An endless input is read up to limit+1 bytes, not to the end (so
	// DecodeInventory reads at most MaxInventoryJSON+1 bytes; a test of
	// that limit itself would hold 1 GiB).
	var cr countingReader
	if _, err := decodeInventory(&cr, 1000); !errors.Is(err, ErrInvalidInventory) || cr.n != 1001 {
		t.Errorf("read %d bytes of an endless input, err %v; want 1001 and ErrInvalidInventory", cr.n, err)
	}
	if MaxInventoryJSON != 1<<30 || MaxDemandJSON != 1<<20 {
		t.Errorf("limits %d, %d", MaxInventoryJSON, MaxDemandJSON)
	}
}

// countingReader is an endless input of spaces that counts what is read.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	c.n += int64(len(p))
	return len(p), nil
}

// TestDecodeDemandLimit: the demand's cap is MaxDemandJSON.
func TestDecodeDemandLimit(t *testing.T) {
	doc := `{"serial":"a","amount":"1 kg"}`
	pad := strings.Repeat(" ", MaxDemandJSON-len(doc))
	if _, err := DecodeDemand(strings.NewReader(doc + pad)); err != nil {
		t.Fatalf("exactly MaxDemandJSON: %v", err)
	}
	_, err := DecodeDemand(io.MultiReader(strings.NewReader(doc+pad), strings.NewReader(" ")))
	wantFieldErr(t, err, ErrInvalidDemand, "", "", "demand JSON larger than 1 MiB (MaxDemandJSON)")
}

// TestDecodeDemandStrictMembers: a member given twice, or named in another
// case, is refused at any depth with its path (encoding/json would keep the
// last, or match without regard to case).
func TestDecodeDemandStrictMembers(t *testing.T) {
	const twice = "is given twice: each member may appear once"
	caseRule := func(name string) string { return "member names are case-sensitive: write \"" + name + "\"" }
	tests := []struct {
		name, json, field, value, rule string
	}{
		{"serial twice", `{"serial":"S","amount":"1 kg","serial":"T"}`, "serial", "serial", twice},
		{"SERIAL", `{"SERIAL":"S","amount":"1 kg"}`, "SERIAL", "SERIAL", caseRule("serial")},
		{"Amount", `{"serial":"S","Amount":"1 kg"}`, "Amount", "Amount", caseRule("amount")},
		{"escaped duplicate", `{"serial":"S","amount":"1 kg","\u0073erial":"T"}`, "serial", "serial", twice},
		{"embedded filter member twice", `{"serial":"S","amount":"1 kg","preferences":{"types":["wind"],"types":["solar"]}}`,
			"preferences.types", "types", twice},
		{"in a split share", `{"serial":"S","amount":"1 kg","preferences":{"split":[{"percent":"100"},{"percent":"100","Projects":["x"]}]}}`,
			"preferences.split[1].Projects", "Projects", caseRule("projects")},
		{"in maxPrice", `{"serial":"S","amount":"1 kg","preferences":{"maxPrice":{"amount":"1","currency":"USD","currency":"EUR"}}}`,
			"preferences.maxPrice.currency", "currency", twice},
		{"in rounding", `{"serial":"S","amount":"1 kg","preferences":{"rounding":{"mode":"kg","MODE":"gram"}}}`,
			"preferences.rounding.MODE", "MODE", caseRule("mode")},
		{"preferences twice", `{"serial":"S","amount":"1 kg","preferences":{},"preferences":{"maxAge":1}}`, "preferences", "preferences", twice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeDemand(strings.NewReader(tt.json))
			wantFieldErr(t, err, ErrInvalidDemand, tt.field, tt.value, tt.rule)
			var d Demand
			err = d.UnmarshalJSON([]byte(tt.json))
			wantFieldErr(t, err, ErrInvalidDemand, tt.field, tt.value, tt.rule)
		})
	}
	// The same members once each, in their own case, are read.
	d, err := DecodeDemand(strings.NewReader(`{"serial":"S","amount":"1 kg","preferences":{"types":["wind"],"maxPrice":{"amount":"1","currency":"USD"},
		"split":[{"percent":"50","projects":["x"]},{"percent":"50","projects":["y"]}],"rounding":{"mode":"kg"}}}`))
	if err != nil || d.Serial != "S" || len(d.Preferences.Split) != 2 {
		t.Fatalf("%+v, %v", d, err)
	}
}

// TestDecodeInventoryStrictMembers: the same rules for an inventory, and no
// data after the JSON value.
func TestDecodeInventoryStrictMembers(t *testing.T) {
	const twice = "is given twice: each member may appear once"
	tests := []struct {
		name, old, new, field, value, rule string
	}{
		{"lot id twice", `"id": "L1",`, `"id": "L1", "id": "L2",`, "lots[0].id", "id", twice},
		{"ID", `"id": "L1",`, `"ID": "L1",`, "lots[0].ID", "ID", `member names are case-sensitive: write "id"`},
		{"project country twice", `"country": "IN"}`, `"country": "IN", "country": "KE"}`, "projects[0].country", "country", twice},
		{"price currency twice", `"currency": "USD"}`, `"currency": "USD", "currency": "EUR"}`, "lots[0].price.currency", "currency", twice},
		{"Lots", `"lots"`, `"Lots"`, "Lots", "Lots", `member names are case-sensitive: write "lots"`},
		{"data after the value", `}}]}`, `}}]} {}`, "", "", "unexpected data after the JSON value"},
		{"a closing brace after the value", `}}]}`, `}}]}}`, "", "", "unexpected data after the JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := strings.Replace(oneLotInventory, tt.old, tt.new, 1)
			if js == oneLotInventory {
				t.Fatal("test input unchanged")
			}
			_, err := DecodeInventory(strings.NewReader(js))
			wantFieldErr(t, err, ErrInvalidInventory, tt.field, tt.value, tt.rule)
		})
	}
	inv, err := DecodeInventory(strings.NewReader(oneLotInventory + "\n"))
	if err != nil || inv.FreeGrams("L1") != 10*GramsPerTonne {
		t.Fatalf("%v", err)
	}
}

// TestCheckMembersMalformed: on truncated or malformed input the member
// check neither panics nor reports anything (the decoder does).
func TestCheckMembersMalformed(t *testing.T) {
	js := `{"serial":"S\"x","amount":"1 kg","preferences":{"types":["wind",1,true,null,{"a":[]}],"split":[{"percent":"100"}]}}`
	for i := range len(js) {
		if err := checkMembers([]byte(js[:i]), reflect.TypeFor[demandJSON](), ErrInvalidDemand); err != nil {
			t.Errorf("prefix %q: %v", js[:i], err)
		}
	}
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	if err := checkMembers([]byte(deep), reflect.TypeFor[demandJSON](), ErrInvalidDemand); err != nil {
		t.Error(err)
	}
}

// BenchmarkDecodeInventory decodes the JSON of 100,000 lots; the
// "members" sub-benchmark is the strict member check alone.
func BenchmarkDecodeInventory(b *testing.B) {
	ps, ls := benchLots(100, 100000)
	inv, err := NewInventory(ps, ls)
	if err != nil {
		b.Fatal(err)
	}
	js, err := json.Marshal(inv)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(js)))
		for b.Loop() {
			if _, err := DecodeInventory(bytes.NewReader(js)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("members", func(b *testing.B) {
		b.SetBytes(int64(len(js)))
		b.ReportAllocs()
		for b.Loop() {
			if err := checkMembers(js, reflect.TypeFor[inventoryJSON](), ErrInvalidInventory); err != nil {
				b.Fatal(err)
			}
		}
	})
}
