package offset

import (
	"errors"
	"io"
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
