package offset

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// sampleDemands are demands of every shape json.Marshal writes: each
// optional member left out and given.
func sampleDemands(t testing.TB) []Demand {
	t.Helper()
	laptop, err := DecodeDemand(strings.NewReader(laptopDemandJSON))
	if err != nil {
		t.Fatal(err)
	}
	return []Demand{
		laptop,
		{Serial: "PF-1", Amount: kgQ("1.5"), Preferences: Preferences{Currency: "USD"}},
		{Serial: "PF-2", Amount: kgQ("0.001")},
		{Serial: "PF-3 & <co>", Amount: kgQ("508.2"), Country: "IN", Preferences: Preferences{Strategy: Closest}},
		{Serial: "PF-4", Amount: kgQ("40000"), Preferences: Preferences{
			Filter: Filter{Projects: []string{"a", "b"}, Types: []ProjectType{TypeWind}, Countries: []string{"IN"},
				Continents: []string{"AS"}, Hemispheres: []Hemisphere{North}, Standards: []Standard{"CDM"}, UnitTypes: []UnitType{"removal"}},
			VintageFrom: 2019, VintageTo: 2024, MaxAge: 5, ReferenceYear: 2025, Currency: "EUR",
			MaxPrice: &Price{Amount: decimal.RequireFromString("12.5"), Currency: "EUR"}, RetiredOnly: true,
			Split:    []Share{{Percent: decimal.NewFromInt(60), Filter: Filter{Countries: []string{"IN"}}}, {Percent: decimal.NewFromInt(40)}},
			Strategy: Oldest, Rounding: RoundToStep(kgQ("500")),
		}},
		{Serial: "PF-5", Amount: kgQ("12"), Preferences: Preferences{Rounding: Rounding{Mode: RoundKg}}},
		{Serial: "PF-6", Amount: kgQ("2"), Country: "DE", Beneficiary: "Customer B GmbH & <Co> é", Preferences: Preferences{Currency: "EUR"}},
		{Serial: "PF-7", Amount: kgQ("3"), Beneficiary: "Customer A Ltd"},
	}
}

// planVariants returns copies of p with each list empty and null in turn,
// and its first line without a registry URL.
func planVariants(p Plan) []Plan {
	var out []Plan
	for _, empty := range []bool{true, false} {
		q := p
		q.Shares, q.Costs, q.Remaining = nil, nil, nil
		if empty {
			q.Shares, q.Costs, q.Remaining = []PlanShare{}, []Cost{}, []LotBalance{}
		}
		out = append(out, q)
		q = p
		q.Lines = append([]Line(nil), p.Lines...)
		q.Lines[0].Serials, q.Lines[0].RegistryURL = nil, ""
		if empty {
			q.Lines[0].Serials = []SerialSpan{}
		}
		out = append(out, q)
		q.Lines = nil
		if empty {
			q.Lines = []Line{}
		}
		out = append(out, q)
	}
	return out
}

// sameDecode decodes b with UnmarshalJSON (fast path first) into one
// value and with the strict decoder alone into another, both starting
// from prior, and fails unless both accept or both refuse with the same
// error, leaving the same value. It reports whether the fast path alone
// accepted b.
func sameDecode[T any](t *testing.T, b []byte, prior T, fast func(*T, []byte) error, strict func(*T, []byte) error, canon func([]byte) (T, bool)) bool {
	t.Helper()
	v1, v2 := prior, prior
	e1, e2 := fast(&v1, b), strict(&v2, b)
	if (e1 == nil) != (e2 == nil) || (e1 != nil && e1.Error() != e2.Error()) {
		t.Fatalf("%s:\nwith the fast path: %v\nstrict:             %v", b, e1, e2)
	}
	if !reflect.DeepEqual(v1, v2) {
		t.Fatalf("%s:\nwith the fast path: %#v\nstrict:             %#v", b, v1, v2)
	}
	_, ok := canon(b)
	if ok && e2 != nil {
		t.Fatalf("%s: the fast path accepts what the strict decoder refuses: %v", b, e2)
	}
	return ok
}

func samePlan(t *testing.T, b []byte) bool {
	t.Helper()
	return sameDecode(t, b, Plan{Serial: "prior"}, (*Plan).UnmarshalJSON, (*Plan).unmarshalStrict, canonPlan)
}

func sameDemand(t *testing.T, b []byte) bool {
	t.Helper()
	return sameDecode(t, b, Demand{Serial: "prior"}, (*Demand).UnmarshalJSON, (*Demand).unmarshalStrict, canonDemand)
}

// mutations returns variants of the JSON text s: prefixes, bytes replaced
// by a few others (at every stride-th byte from the first, to keep the
// test short; FuzzCanonPlan goes further), and edits a person or another
// encoder might make.
func mutations(s string, first, stride int) []string {
	var out []string
	for i := first; i < len(s); i += stride {
		out = append(out, s[:i], s[:i]+" "+s[i:])
		for _, c := range []string{"", "0", "-", "\"", "}", "\\", "A", "\xff"} {
			out = append(out, s[:i]+c+s[i+1:])
		}
	}
	edits := [][2]string{
		{`"lines":`, `"Lines":`}, {`"serial":`, `"serial":"X","serial":`}, {`"serial":`, `"SERIAL":"X","serial":`},
		{`"lot":`, `"lotz":"x","lot":`}, {`"vintage":20`, `"vintage":020`}, {`"vintage":2`, `"vintage":-2`},
		{`"share":0`, `"share":-0`}, {`"share":0`, `"share":0.0`}, {`"share":0`, `"share":1e0`},
		{`"share":0`, `"share":9223372036854775808`}, {`"freeGrams":`, `"freeGrams":-`},
		{`"first":`, `"first":-`}, {`"first":`, `"first":18446744073709551615,"x":`},
		{`"percent":"`, `"percent":"+`}, {`"percent":"`, `"percent":"\u0031`}, {`"cost":"`, `"cost":"1e`},
		{`"cost":"`, `"cost":"` + strings.Repeat("1", 129)}, {`"exact":"`, `"exact":1`},
		{`"project":"sample`, `"project":"s\u0061mple`}, {`"projectName":"`, `"projectName":"\u0026 \ud800 \"`},
		{`,"registryUrl":"https://example.org/lifecarbon-sample/sample-us-landfill"`, ``},
		{`"block":"`, `"block":"x`}, {`"amount":"`, `"amount":"1`}, {`"amount":"`, `"amount":" `},
		{`"price":{"amount":"`, `"price":{"amount":"\u0035`}, {`"price":{"amount":"`, `"price":{"amount":"5e3`},
		{`"shares":[`, `"shares":null,"x":[`}, {`"shares":`, `"shares":null,"y":`},
		{`"serials":[`, `"serials":[],"x":[`}, {`"remaining":`, `"remaining":[],"x":`},
		{`"costs":`, `"costs":null,"x":`}, {`"lines":[`, `"lines":[],"z":[`},
		{`"country":"`, `"country":"\u00e9`}, {`"country":"`, `"country":"é`}, {`"country":"`, `"country":"` + "\xff"},
		{`"preferences":{`, `"preferences":{"currency":"USD",`}, {`"preferences":{`, `"preferences":{},"x":{`},
		{`"retiredOnly":true`, `"retiredOnly":false`}, {`"retiredOnly":true`, `"retiredOnly":null`},
		{`"split":[`, `"split":[],"x":[`}, {`"split":[`, `"split":null,"x":[`}, {`"tiers":[`, `"tiers":[],"x":[`},
		{`"step":"`, `"step":"","x":"`}, {`"step":"`, `"step":"0 kg","x":"`}, {`"maxPrice":`, `"maxPrice":null,"x":`},
		{`"rounding":{`, `"rounding":{},"x":{`}, {`"vintageFrom":`, `"vintageFrom":9999999999999999999,"x":`},
		{`"amount":"`, `"amount":null,"x":"`}, {`}`, `} `}, {`{`, ` {`},
		{`"beneficiary":"`, `"Beneficiary":"`}, {`"beneficiary":"`, `"beneficiary":"X","beneficiary":"`},
		{`"beneficiary":"`, `"beneficiary":null,"x":"`}, {`"beneficiary":"`, `"beneficiary":"\u0041\t`},
		{`,"beneficiary":"Customer A Ltd"`, ``}, {`"country":"DE",`, ``},
	}
	// Each array, and each object, made empty or null in turn.
	for i := range len(s) - 1 {
		if s[i] != ':' || (s[i+1] != '[' && s[i+1] != '{') {
			continue
		}
		depth, j := 0, i+1
		for ; j < len(s); j++ {
			if s[j] == '[' || s[j] == '{' {
				depth++
			} else if s[j] == ']' || s[j] == '}' {
				if depth--; depth == 0 {
					break
				}
			}
		}
		if j < len(s) {
			out = append(out, s[:i+2]+s[j:], s[:i+1]+"null"+s[j+1:])
		}
	}
	for _, e := range edits {
		if strings.Contains(s, e[0]) {
			out = append(out, strings.Replace(s, e[0], e[1], 1), strings.ReplaceAll(s, e[0], e[1]))
		}
	}
	return out
}

// TestCanonMatchesStrict: plans and demands as json.Marshal writes them
// take the fast path, and for them and thousands of variants the fast path
// decodes exactly what the strict decoder does, accepting and refusing the
// same input with the same error.
func TestCanonMatchesStrict(t *testing.T) {
	fastN, n := 0, 0
	stride := 3
	if testing.Short() {
		stride = 17
	}
	for k, p := range append(samplePlans(t), planVariants(samplePlans(t)[0])...) {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if !samePlan(t, b) {
			t.Errorf("a plan json.Marshal wrote does not take the fast path: %s", b)
		}
		for _, m := range mutations(string(b), k%stride, stride) {
			n++
			if samePlan(t, []byte(m)) {
				fastN++
			}
		}
	}
	for k, d := range sampleDemands(t) {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if !sameDemand(t, b) {
			t.Errorf("a demand json.Marshal wrote does not take the fast path: %s", b)
		}
		for _, m := range mutations(string(b), k%stride, stride) {
			n++
			if sameDemand(t, []byte(m)) {
				fastN++
			}
		}
	}
	t.Logf("%d variants, %d of them on the fast path", n, fastN)
}

// FuzzCanonPlan: for any input, decoding a plan (and a demand) with the
// fast path gives what the strict decoder gives, error for error.
func FuzzCanonPlan(f *testing.F) {
	for _, p := range samplePlans(f) {
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	for _, d := range sampleDemands(f) {
		b, _ := json.Marshal(d)
		f.Add(b)
	}
	f.Add([]byte(`{"serial":"S","SERIAL":"T"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		samePlan(t, b)
		sameDemand(t, b)
	})
}

// TestCanonInt: integers are read as encoding/json reads them, at the
// edges of their ranges too.
func TestCanonInt(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "-1", "01", "1.0", "1e3", "-", "", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616", "99999999999999999999"} {
		var want struct {
			I int64
			U uint64
			N int
		}
		for _, k := range []string{"I", "U", "N"} {
			c := &canon{b: []byte(s)}
			var got any
			switch k {
			case "I":
				got = c.int64()
			case "U":
				got = c.uint64()
			case "N":
				got = c.int()
			}
			ok := c.done()
			err := json.Unmarshal([]byte(`{"`+k+`":`+s+`}`), &want)
			if ok && err != nil {
				t.Errorf("%s %q: read as %v, encoding/json refuses it: %v", k, s, got, err)
			}
			if ok && reflect.ValueOf(want).FieldByName(k).Interface() != got {
				t.Errorf("%s %q: read as %v, encoding/json reads %v", k, s, got, reflect.ValueOf(want).FieldByName(k).Interface())
			}
		}
	}
}
