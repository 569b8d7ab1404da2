package jcs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"
)

// The expected outputs below are copied from RFC 8785 (sections 3.2.2,
// 3.2.3 and appendix B), not produced by this code.

func TestRFC8785Example(t *testing.T) {
	in := `{
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`
	want := `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
	got, err := Canonicalize([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestRFC8785Sorting(t *testing.T) {
	in := `{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`
	// RFC 8785 3.2.3: \r, "1", U+0080, ö, €, 😀 (surrogates D83D..), U+FB33.
	want := "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"
	got, err := Canonicalize([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestNumbers(t *testing.T) {
	// RFC 8785 appendix B: IEEE 754 bit patterns and their ES6 form.
	cases := []struct {
		bits uint64
		want string
	}{
		{0x0000000000000000, "0"},
		{0x8000000000000000, "0"}, // minus zero
		{0x0000000000000001, "5e-324"},
		{0x8000000000000001, "-5e-324"},
		{0x7fefffffffffffff, "1.7976931348623157e+308"},
		{0xffefffffffffffff, "-1.7976931348623157e+308"},
		{0x4340000000000000, "9007199254740992"},
		{0xc340000000000000, "-9007199254740992"},
		{0x4430000000000000, "295147905179352830000"},
		{0x44b52d02c7e14af5, "9.999999999999997e+22"},
		{0x44b52d02c7e14af6, "1e+23"},
		{0x44b52d02c7e14af7, "1.0000000000000001e+23"},
		{0x444b1ae4d6e2ef4e, "999999999999999700000"},
		{0x444b1ae4d6e2ef4f, "999999999999999900000"},
		{0x444b1ae4d6e2ef50, "1e+21"},
		{0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
		{0x3eb0c6f7a0b5ed8d, "0.000001"},
		{0x41b3de4355555553, "333333333.3333332"},
		{0x41b3de4355555554, "333333333.33333325"},
		{0x41b3de4355555555, "333333333.3333333"},
		{0x41b3de4355555556, "333333333.3333334"},
		{0x41b3de4355555557, "333333333.33333343"},
		{0xbecbf647612f3696, "-0.0000033333333333333333"},
		{0x43143ff3c1cb0959, "1424953923781206.2"},
	}
	for _, c := range cases {
		f := math.Float64frombits(c.bits)
		if got := string(AppendNumber(nil, f)); got != c.want {
			t.Errorf("%#016x: got %s, want %s", c.bits, got, c.want)
		}
		// And through the parser: the ES form reads back to the same double.
		got, err := Canonicalize([]byte(c.want))
		if err != nil || string(got) != c.want {
			t.Errorf("Canonicalize(%s) = %s, %v", c.want, got, err)
		}
	}
}

func TestNumberForms(t *testing.T) {
	cases := []struct{ in, want, why string }{
		{"1.0", "1", "trailing zero dropped"},
		{"-0", "0", "minus zero is 0"},
		{"-0.0e5", "0", "minus zero in exponent form"},
		{"1e21", "1e+21", "first exponent form"},
		{"1e20", "100000000000000000000", "last plain form"},
		{"1e-6", "0.000001", "smallest plain fraction"},
		{"1e-7", "1e-7", "first negative exponent form"},
		{"123456789012345678901234", "1.2345678901234569e+23", "large integer rounds to a double (Node prints the same)"},
		{"0.1000000000000000055511", "0.1", "digits beyond a double are lost (why decimals are strings)"},
		{"4.50", "4.5", "RFC example"},
		{"2E-3", "0.002", "upper-case E"},
		{"1.5e+2", "150", "explicit plus"},
	}
	for _, c := range cases {
		got, err := Canonicalize([]byte(c.in))
		if err != nil || string(got) != c.want {
			t.Errorf("%s (%s): got %s, %v; want %s", c.in, c.why, got, err, c.want)
		}
	}
}

func TestStrings(t *testing.T) {
	cases := []struct{ in, want, why string }{
		{`"\u0000\u001f"`, `"\u0000\u001f"`, "controls as lower-case \\u00xx"},
		{`"\u0008\u0009\u000a\u000c\u000d"`, `"\b\t\n\f\r"`, "short escapes"},
		{`"\/"`, `"/"`, "solidus not escaped"},
		{`"\u2028\u2029"`, "\"\u2028\u2029\"", "line separators literal"},
		{`"\u007f"`, "\"\x7f\"", "DEL literal"},
		{`"<script>&"`, `"<script>&"`, "HTML characters literal"},
		{`"\u00e9"`, `"é"`, "escaped non-ASCII decoded"},
		{`"\uD83D\uDE00"`, `"😀"`, "surrogate pair decoded"},
		{`"\"\\"`, `"\"\\"`, "quote and backslash"},
	}
	for _, c := range cases {
		got, err := Canonicalize([]byte(c.in))
		if err != nil || string(got) != c.want {
			t.Errorf("%s (%s): got %s, %v; want %s", c.in, c.why, got, err, c.want)
		}
	}
}

func TestRefused(t *testing.T) {
	cases := []struct {
		in   string
		want error
		why  string
	}{
		{`{"a":1,"a":2}`, ErrDuplicateKey, "duplicate member"},
		{`{"a":1,"\u0061":2}`, ErrDuplicateKey, "duplicate after unescaping"},
		{`{"x":{"b":1,"b":1}}`, ErrDuplicateKey, "duplicate in a nested object"},
		{"\"\xff\"", ErrUnicode, "invalid UTF-8"},
		{"\"\xed\xa0\x80\"", ErrUnicode, "UTF-8 encoded surrogate"},
		{`"\ud800"`, ErrUnicode, "lone high surrogate"},
		{`"\udc00"`, ErrUnicode, "lone low surrogate"},
		{`"\ud800\u0041"`, ErrUnicode, "high surrogate then non-surrogate"},
		{`1e400`, ErrNumber, "overflows a double"},
		{`-1e400`, ErrNumber, "overflows a double, negative"},
		{``, ErrSyntax, "empty"},
		{`{"a":1,}`, ErrSyntax, "trailing comma"},
		{`[1,]`, ErrSyntax, "trailing comma in array"},
		{`01`, ErrSyntax, "leading zero"},
		{`1.`, ErrSyntax, "no fraction digits"},
		{`.5`, ErrSyntax, "no integer digit"},
		{`+1`, ErrSyntax, "plus sign"},
		{`NaN`, ErrSyntax, "NaN"},
		{`Infinity`, ErrSyntax, "Infinity"},
		{`0x10`, ErrSyntax, "hex"},
		{`"a` + "\n" + `"`, ErrSyntax, "raw control in string"},
		{`"\x"`, ErrSyntax, "bad escape"},
		{`{} {}`, ErrSyntax, "two values"},
		{`{'a':1}`, ErrSyntax, "single quotes"},
		{`tru`, ErrSyntax, "truncated literal"},
		{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), ErrDepth, "too deep"},
	}
	for _, c := range cases {
		_, err := Canonicalize([]byte(c.in))
		if !errors.Is(err, c.want) {
			t.Errorf("%q (%s): got %v, want %v", c.in, c.why, err, c.want)
		}
	}
	// MaxDepth itself is fine.
	if _, err := Canonicalize([]byte(strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth))); err != nil {
		t.Errorf("depth %d refused: %v", MaxDepth, err)
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := Canonicalize([]byte(`{"id":"a", "id":"b"}`))
	if got, want := err.Error(), `jcs: duplicate object member name at byte 11: "id"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestCompareUTF16 checks Compare against sorting of explicit UTF-16 slices
// over random strings drawn from ranges around the surrogate boundaries.
func TestCompareUTF16(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pool := []rune{'a', 'b', 0x7f, 0x80, 0xff, 0x20ac, 0xd7ff, 0xe000, 0xfb33, 0xffff, 0x10000, 0x1f600, 0x10ffff}
	ref := func(a, b string) int {
		ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
		for i := 0; i < len(ua) && i < len(ub); i++ {
			if ua[i] != ub[i] {
				if ua[i] < ub[i] {
					return -1
				}
				return 1
			}
		}
		switch {
		case len(ua) < len(ub):
			return -1
		case len(ua) > len(ub):
			return 1
		}
		return 0
	}
	gen := func() string {
		n := rng.IntN(4)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = pool[rng.IntN(len(pool))]
		}
		return string(rs)
	}
	for i := 0; i < 20000; i++ {
		a, b := gen(), gen()
		if got, want := Compare(a, b), ref(a, b); got != want {
			t.Fatalf("Compare(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}

// TestAgreesWithEncodingJSON: over random documents, the canonical form
// decodes (with encoding/json) to the same value as the input, is stable
// under a second canonicalization, and its object keys are sorted.
func TestAgreesWithEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		v := randomValue(rng, 0)
		in, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		out, err := Canonicalize(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		var a, b any
		if err := json.Unmarshal(in, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &b); err != nil {
			t.Fatalf("canonical output is not JSON: %s", out)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("value changed:\n%s\n%s", in, out)
		}
		again, err := Canonicalize(out)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not idempotent:\n%s\n%s", out, again)
		}
	}
}

func randomValue(rng *rand.Rand, depth int) any {
	k := rng.IntN(7)
	if depth > 3 {
		k = rng.IntN(4)
	}
	switch k {
	case 0:
		return nil
	case 1:
		return rng.IntN(2) == 0
	case 2:
		switch rng.IntN(3) {
		case 0:
			return float64(rng.Int64N(1<<53) - 1<<52)
		case 1:
			return math.Float64frombits(rng.Uint64()&^(0x7ff<<52) | uint64(rng.IntN(0x7fe))<<52)
		default:
			return rng.NormFloat64()
		}
	case 3:
		return randomString(rng)
	case 4, 5:
		m := map[string]any{}
		for j := rng.IntN(5); j > 0; j-- {
			m[randomString(rng)] = randomValue(rng, depth+1)
		}
		return m
	default:
		s := []any{}
		for j := rng.IntN(5); j > 0; j-- {
			s = append(s, randomValue(rng, depth+1))
		}
		return s
	}
}

func randomString(rng *rand.Rand) string {
	pool := []rune{'a', 'Z', '"', '\\', '/', '\n', 0, 0x1f, 0x7f, 'é', '€', 0x2028, 0xfb33, 0x1f600, '<', '&'}
	rs := make([]rune, rng.IntN(6))
	for i := range rs {
		rs[i] = pool[rng.IntN(len(pool))]
	}
	return string(rs)
}

func TestMarshalSortsStructFields(t *testing.T) {
	type doc struct {
		Zeta  string `json:"zeta"`
		Alpha string `json:"alpha"`
		HTML  string `json:"html"`
	}
	got, err := Marshal(doc{"z", "a", "<&>"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"alpha":"a","html":"<&>","zeta":"z"}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestLessSorts(t *testing.T) {
	keys := []string{"b", "a", "€", "\r", "😀", "\ufb33"}
	sort.Slice(keys, func(i, j int) bool { return Less(keys[i], keys[j]) })
	want := []string{"\r", "a", "b", "€", "😀", "\ufb33"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("got %q, want %q", keys, want)
	}
}

func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1,"x",null]`, `"\ud83d\ude00"`, `1e21`, `{"b":{"a":[]}}`, `-0.0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := Canonicalize(in)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid output %q", out)
		}
		again, err := Canonicalize(out)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not idempotent: %q → %q (%v)", out, again, err)
		}
	})
}

// TestPlainPrefix checks the eight-bytes-at-a-time scan against a byte by
// byte one: every byte value at every position of strings up to 20 bytes
// long, in a background of plain bytes (ASCII and UTF-8 continuation
// bytes, which must not be mistaken for control characters).
func TestPlainPrefix(t *testing.T) {
	naive := func(s string) int {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
				return i
			}
		}
		return len(s)
	}
	for _, bg := range []byte{'a', 0x80, 0xa0, 0xff, 0x7f, 0x20, '#', '[', ']'} {
		for n := 0; n <= 20; n++ {
			for pos := 0; pos < n; pos++ {
				for c := 0; c < 256; c++ {
					b := make([]byte, n)
					for i := range b {
						b[i] = bg
					}
					b[pos] = byte(c)
					if got, want := plainPrefix(string(b)), naive(string(b)); got != want {
						t.Fatalf("plainPrefix(%q) = %d, want %d", b, got, want)
					}
				}
			}
		}
	}
}

// TestDuplicateReportsEarliestRepeat checks that among many members the
// repeat reported is the first one in the input, at its offset: "k7" is
// repeated at the end, "k3" earlier; "k3"'s repeat is reported.
func TestDuplicateReportsEarliestRepeat(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 10_000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	b.WriteString(`,"k3":0`)
	at := b.Len() - len(`"k3":0`)
	b.WriteString(`,"k7":0}`)
	_, err := Canonicalize([]byte(b.String()))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrDuplicateKey) || e.Offset != at || e.Detail != `"k3"` {
		t.Fatalf("got %v, want a duplicate \"k3\" at offset %d", err, at)
	}
}
