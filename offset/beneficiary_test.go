package offset

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestDemandBeneficiaryJSON: the beneficiary is written and read back; a
// demand without one is written as before (no member), so demands and
// journals written before it existed read back byte for byte.
func TestDemandBeneficiaryJSON(t *testing.T) {
	for _, tt := range []struct {
		d    Demand
		want string
	}{
		{Demand{Serial: "PF-1", Amount: kgQ("1.5"), Country: "DE"},
			`{"serial":"PF-1","amount":"1.5 kg CO2e","country":"DE"}`},
		{Demand{Serial: "PF-1", Amount: kgQ("1.5"), Country: "DE", Beneficiary: "Customer B GmbH"},
			`{"serial":"PF-1","amount":"1.5 kg CO2e","country":"DE","beneficiary":"Customer B GmbH"}`},
		{Demand{Serial: "PF-1", Amount: kgQ("1.5"), Beneficiary: "Société <A> & \"B\"\n", Preferences: Preferences{Currency: "USD"}},
			`{"serial":"PF-1","amount":"1.5 kg CO2e","beneficiary":"Société \u003cA\u003e \u0026 \"B\"\n","preferences":{"currency":"USD"}}`},
	} {
		b, err := json.Marshal(tt.d)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("marshal:\n got %s\nwant %s", b, tt.want)
		}
		if _, ok := canonDemand(b); !ok {
			t.Errorf("%s does not take the fast path", b)
		}
		for _, in := range []string{string(b), strings.ReplaceAll(string(b), ",", ", ")} {
			d, err := DecodeDemand(strings.NewReader(in))
			if err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			if !reflect.DeepEqual(d, tt.d) {
				t.Errorf("%s read back as %#v, want %#v", in, d, tt.d)
			}
			if b2, _ := json.Marshal(d); string(b2) != string(b) {
				t.Errorf("re-marshalled %s, want %s", b2, b)
			}
		}
	}
	// A demand written before the member existed reads with no
	// beneficiary and is written again byte for byte.
	old := `{"serial":"PF-3X7Y2Z","amount":"508.2 kg CO2e","country":"IN","preferences":{"projects":["sample-in-wind"],"rounding":{"mode":"tier","tiers":["500 kg CO2e","1000 kg CO2e"]}}}`
	var d Demand
	if err := json.Unmarshal([]byte(old), &d); err != nil {
		t.Fatal(err)
	}
	if d.Beneficiary != "" {
		t.Errorf("beneficiary %q from a demand without one", d.Beneficiary)
	}
	if b, _ := json.Marshal(d); string(b) != old {
		t.Errorf("old demand re-marshalled as\n%s\nwant\n%s", b, old)
	}
	// The member is strict like the others.
	for _, bad := range []string{
		`{"serial":"a","amount":"1 kg","Beneficiary":"X"}`,
		`{"serial":"a","amount":"1 kg","beneficiary":"X","beneficiary":"Y"}`,
		`{"serial":"a","amount":"1 kg","beneficiary":1}`,
	} {
		if _, err := DecodeDemand(strings.NewReader(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// TestDemandBeneficiaryInvalid: a beneficiary the certificate would refuse
// (longer than 512 bytes, invalid UTF-8) is refused with a field error on
// "beneficiary"; 512 bytes of valid UTF-8 are accepted.
func TestDemandBeneficiaryInvalid(t *testing.T) {
	long := strings.Repeat("é", 256) // 512 bytes
	for _, b := range []string{long, "Customer A Ltd", "line\nbreak"} {
		if err := (Demand{Serial: "a", Amount: kgQ("1"), Beneficiary: b}).Validate(); err != nil {
			t.Errorf("%q: %v", b, err)
		}
	}
	err := Demand{Serial: "a", Amount: kgQ("1"), Beneficiary: long + "x"}.Validate()
	wantFieldErr(t, err, ErrInvalidDemand, "beneficiary", long+"x", "must be at most 512 bytes")
	err = Demand{Serial: "a", Amount: kgQ("1"), Beneficiary: "A\xffB"}.Validate()
	wantFieldErr(t, err, ErrInvalidDemand, "beneficiary", "A\xffB", "must be valid UTF-8")
	_, err = DecodeDemand(strings.NewReader(`{"serial":"a","amount":"1 kg","beneficiary":"` + long + `x"}`))
	wantFieldErr(t, err, ErrInvalidDemand, "beneficiary", long+"x", "must be at most 512 bytes")
}

// TestMatchIgnoresBeneficiary: the beneficiary does not change the plan.
func TestMatchIgnoresBeneficiary(t *testing.T) {
	inv := SampleInventory()
	d := Demand{Serial: "PF-1", Amount: kgQ("508.2"), Country: "IN", Preferences: Preferences{Currency: "USD"}}
	p1, err := Match(inv, d)
	if err != nil {
		t.Fatal(err)
	}
	d.Beneficiary = "Customer A Ltd"
	p2, err := Match(inv, d)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p1, p2) {
		t.Errorf("plans differ:\n%+v\n%+v", p1, p2)
	}
}
