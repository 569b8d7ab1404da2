package offset

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

const laptopDemandJSON = `{"serial": "PF-3X7Y2Z", "amount": "508.2 kg CO2e", "country": "IN",
 "preferences": {"projects": ["sample-in-wind"], "types": ["wind"], "continents": ["AS", "OC"],
   "vintageFrom": 2019, "maxAge": 6, "referenceYear": 2025, "maxPrice": {"amount": "12.50", "currency": "USD"},
   "split": [{"percent": "50", "types": ["wind"]}, {"percent": "50"}],
   "strategy": "buyer-order",
   "rounding": {"mode": "tier", "tiers": ["500 kg", "1000 kg", "1.5 t"]}}}`

func TestDecodeDemand(t *testing.T) {
	d, err := DecodeDemand(strings.NewReader(laptopDemandJSON))
	if err != nil {
		t.Fatal(err)
	}
	p := d.Preferences
	if d.Serial != "PF-3X7Y2Z" || !d.Amount.Equal(kgQ("508.2")) || p.MaxPrice.String() != "12.50 USD/t" ||
		len(p.Split) != 2 || !p.Split[0].Percent.Equal(decimal.NewFromInt(50)) || !p.Rounding.Tiers[2].Equal(kgQ("1500")) ||
		p.Strategy != BuyerOrder || p.MaxAge != 6 {
		t.Errorf("decoded %+v", d)
	}
	// Encoding and decoding again gives the same demand.
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := DecodeDemand(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if !sameJSON(d, d2) {
		t.Errorf("round trip:\n%+v\n%+v", d, d2)
	}
	if r, _ := d.Rounded(); !r.Equal(kgQ("1000")) {
		t.Errorf("rounded %v", r)
	}
}

func TestDecodeDemandErrors(t *testing.T) {
	tests := []struct {
		name, json, field string
		sentinel          error
	}{
		{"not JSON", `{`, "", ErrInvalidDemand},
		{"trailing data", `{"serial":"a","amount":"1 kg"} {}`, "", ErrInvalidDemand},
		{"unknown field", `{"serial":"a","amount":"1 kg","colour":"red"}`, "colour", ErrInvalidDemand},
		{"amount as a number", `{"serial":"a","amount":1}`, "amount", ErrInvalidDemand},
		{"amount without unit", `{"serial":"a","amount":"1"}`, "amount", ErrInvalidDemand},
		{"amount in kWh", `{"serial":"a","amount":"1 kWh"}`, "amount", ErrInvalidDemand},
		{"zero amount", `{"serial":"a","amount":"0 kg"}`, "amount", ErrInvalidDemand},
		{"negative amount", `{"serial":"a","amount":"-5 kg"}`, "amount", ErrInvalidDemand},
		{"missing serial", `{"amount":"5 kg"}`, "serial", ErrInvalidDemand},
		{"exponent in price", `{"serial":"a","amount":"1 kg","preferences":{"maxPrice":{"amount":"1e3","currency":"USD"}}}`, "preferences.maxPrice.amount", ErrInvalidDemand},
		{"unknown currency", `{"serial":"a","amount":"1 kg","preferences":{"maxPrice":{"amount":"10","currency":"ZZZ"}}}`, "preferences.maxPrice.currency", ErrUnknownCurrency},
		{"lower-case currency", `{"serial":"a","amount":"1 kg","preferences":{"currency":"usd"}}`, "preferences.currency", ErrUnknownCurrency},
		{"cap in another currency", `{"serial":"a","amount":"1 kg","preferences":{"currency":"EUR","maxPrice":{"amount":"10","currency":"USD"}}}`, "preferences.maxPrice.currency", ErrInvalidDemand},
		{"unknown country", `{"serial":"a","amount":"1 kg","country":"ZZ"}`, "country", ErrUnknownCountry},
		{"unknown country in filter", `{"serial":"a","amount":"1 kg","preferences":{"countries":["IN","XX"]}}`, "preferences.countries[1]", ErrUnknownCountry},
		{"bad continent", `{"serial":"a","amount":"1 kg","preferences":{"continents":["Asia"]}}`, "preferences.continents[0]", ErrInvalidDemand},
		{"bad hemisphere", `{"serial":"a","amount":"1 kg","preferences":{"hemispheres":["E"]}}`, "preferences.hemispheres[0]", ErrInvalidDemand},
		{"bad unit type", `{"serial":"a","amount":"1 kg","preferences":{"unitTypes":["offset"]}}`, "preferences.unitTypes[0]", ErrInvalidDemand},
		{"project named twice", `{"serial":"a","amount":"1 kg","preferences":{"projects":["x","x"]}}`, "preferences.projects[1]", ErrInvalidDemand},
		{"vintage range reversed", `{"serial":"a","amount":"1 kg","preferences":{"vintageFrom":2022,"vintageTo":2020}}`, "preferences.vintageTo", ErrInvalidDemand},
		{"max age without reference year", `{"serial":"a","amount":"1 kg","preferences":{"maxAge":3}}`, "preferences.referenceYear", ErrInvalidDemand},
		{"split over 100", `{"serial":"a","amount":"1 kg","preferences":{"split":[{"percent":"60"},{"percent":"50"}]}}`, "preferences.split", ErrInvalidDemand},
		{"split share zero", `{"serial":"a","amount":"1 kg","preferences":{"split":[{"percent":"0"},{"percent":"100"}]}}`, "preferences.split[0].percent", ErrInvalidDemand},
		{"split percent as number", `{"serial":"a","amount":"1 kg","preferences":{"split":[{"percent":100}]}}`, "preferences.split[0].percent", ErrInvalidDemand},
		{"bad strategy", `{"serial":"a","amount":"1 kg","preferences":{"strategy":"random"}}`, "preferences.strategy", ErrInvalidDemand},
		{"buyer order without projects", `{"serial":"a","amount":"1 kg","preferences":{"strategy":"buyer-order"}}`, "preferences.projects", ErrInvalidDemand},
		{"tiers not increasing", `{"serial":"a","amount":"1 kg","preferences":{"rounding":{"mode":"tier","tiers":["1000 kg","500 kg"]}}}`, "preferences.rounding.tiers[1]", ErrInvalidDemand},
		{"tier of a fraction of a gram", `{"serial":"a","amount":"1 kg","preferences":{"rounding":{"mode":"tier","tiers":["0.0001 kg"]}}}`, "preferences.rounding.tiers[0]", ErrInvalidDemand},
		{"step zero", `{"serial":"a","amount":"1 kg","preferences":{"rounding":{"mode":"step","step":"0 kg"}}}`, "preferences.rounding.step", ErrInvalidDemand},
		{"bad rounding mode", `{"serial":"a","amount":"1 kg","preferences":{"rounding":{"mode":"nearest"}}}`, "preferences.rounding.mode", ErrInvalidDemand},
		{"above the largest tier", `{"serial":"a","amount":"2 t","preferences":{"rounding":{"mode":"tier","tiers":["1 t"]}}}`, "preferences.rounding.tiers", ErrInvalidDemand},
		{"too large", `{"serial":"a","amount":"1000000001 t"}`, "amount", ErrInvalidDemand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeDemand(strings.NewReader(tt.json))
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			var fe *footprint.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("field %q, want %q (%v)", fe.Field, tt.field, err)
			}
		})
	}
}

// sameJSON compares demands by their JSON form (decimals compare by
// value there: "12.50" and "12.5" print alike).
func sameJSON(a, b Demand) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func FuzzDecodeDemand(f *testing.F) {
	f.Add(laptopDemandJSON)
	f.Add(`{"serial":"a","amount":"1 kg"}`)
	f.Add(`{"serial":"a","amount":"1 kg","country":"DE","beneficiary":"Customer B GmbH"}`)
	f.Add(`{"serial":"a","amount":"0.5 t","preferences":{"split":[{"percent":"33.3"},{"percent":"66.7"}],"rounding":{"mode":"kg"}}}`)
	f.Add(`{"serial":"a","amount":"1 kg","preferences":{"maxPrice":{"amount":"-1","currency":"USD"}}}`)
	f.Add(`[]`)
	inv := SampleInventory()
	f.Fuzz(func(t *testing.T, s string) {
		d, err := DecodeDemand(strings.NewReader(s))
		if err != nil {
			var fe *footprint.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("%v is not a FieldError", err)
			}
			return
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		d2, err := DecodeDemand(strings.NewReader(string(b)))
		if err != nil || !sameJSON(d, d2) {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		// Matching a valid demand never panics, and a plan covers it.
		p, err := Match(inv, d)
		if err == nil && p.Amount.Cmp(d.Amount) < 0 {
			t.Fatalf("plan %v below demand %v", p.Amount, d.Amount)
		}
	})
}
