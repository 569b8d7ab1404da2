package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
)

var errTest = errors.New("test: invalid")

// word decodes itself: a JSON string that must not be empty.
type word string

func (w *word) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		return fielderr.New("", s, "must not be empty", errWord)
	}
	*w = word(s)
	return nil
}

var errWord = errors.New("word: empty")

// lenient decodes itself and ignores members it does not know.
type lenient struct {
	A int `json:"a"`
}

func (l *lenient) UnmarshalJSON(b []byte) error {
	type plain lenient
	return json.Unmarshal(b, (*plain)(l))
}

type Base struct {
	Kind string `json:"kind"`
}

type item struct {
	Name  string   `json:"name"`
	Tags  []string `json:"tags,omitempty"`
	Count int      `json:"count"`
}

type doc struct {
	Base
	ID       int             `json:"id"`
	Item     item            `json:"item"`
	Items    []item          `json:"items"`
	Ptr      *item           `json:"ptr"`
	Pair     [2]item         `json:"pair"`
	Grid     [][]item        `json:"grid"`
	ByName   map[string]item `json:"byName"`
	Word     word            `json:"word"`
	Lenient  lenient         `json:"lenient"`
	Any      any             `json:"any"`
	Raw      json.RawMessage `json:"raw"`
	Untagged string
	Skip     string `json:"-"`
	Dash     string `json:"-,"`
	hidden   string
}

var typeDoc = reflect.TypeFor[doc]()

var docSchema = Compile(typeDoc)

// Struct types reachable only through a slice, an array, a map, a pointer
// or an embedded struct, to show that Compile follows each.
type (
	inSlice  struct{ A int }
	inArray  struct{ B int }
	inMap    struct{ C int }
	behindP  struct{ D int }
	embedded struct{ E int }
	reach    struct {
		S []inSlice
		R [1]inArray
		M map[string]inMap
		P *behindP
		embedded
	}
)

// TestCompileListsEveryStruct checks that a compiled Schema lists the
// members of every struct type the walk can meet, so its Check never
// falls back to reflection.
func TestCompileListsEveryStruct(t *testing.T) {
	s := Compile(reflect.TypeFor[*reach]())
	for _, st := range []reflect.Type{reflect.TypeFor[reach](), reflect.TypeFor[inSlice](), reflect.TypeFor[inArray](),
		reflect.TypeFor[inMap](), reflect.TypeFor[behindP](), reflect.TypeFor[embedded]()} {
		if _, ok := s.fields[st]; !ok {
			t.Errorf("%v: not listed", st)
		}
	}
	if fs := s.fields[reflect.TypeFor[reach]()]; len(fs) != 5 || fs[4].name != "E" {
		t.Errorf("reach lists %v, want S, R, M, P and the embedded E", fs)
	}
	for _, st := range []reflect.Type{typeDoc, reflect.TypeFor[item](), reflect.TypeFor[lenient](), reflect.TypeFor[Base]()} {
		if _, ok := docSchema.fields[st]; !ok {
			t.Errorf("%v: not listed in doc's Schema", st)
		}
	}
}

// TestSchemaNeverWritesItsLists gives Schema.Check, from many goroutines
// (run with -race), a type its lists lack: each Check lists it apart, and
// the Schema's own lists stay as they were.
func TestSchemaNeverWritesItsLists(t *testing.T) {
	partial := &Schema{t: typeDoc, fields: map[reflect.Type][]field{typeDoc: docSchema.fields[typeDoc]}}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				err := partial.Check([]byte(`{"item":{"name":"n","size":1}}`), errTest)
				wantErr(t, err, "item.size", "size", "is not a known field")
			}
		}()
	}
	wg.Wait()
	if len(partial.fields) != 1 {
		t.Errorf("the Schema's lists grew to %d types", len(partial.fields))
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name, json   string
		field, value string
		rule         string // "": accepted
	}{
		{"empty object", `{}`, "", "", ""},
		{"null", `null`, "", "", ""},
		{"all members", `{"kind":"k","id":1,"item":{"name":"n","tags":["a"],"count":2},"items":[{"name":"a"},{"name":"b"}],
			"ptr":{"count":1},"pair":[{},{}],"grid":[[{"name":"g"}]],"byName":{"x":{"name":"x"}},"word":"w","lenient":{"a":1,"b":2},
			"any":{"Any":1,"any":2},"raw":{"x":1,"x":2},"Untagged":"u","-":"dash"}`, "", "", ""},
		{"white space everywhere", " { \"id\" : 1 ,\n\t\"item\" : { \"name\" : \"n\" } } ", "", "", ""},
		{"wrong JSON type is the decoder's", `{"id":"x","item":[],"items":{}}`, "", "", ""},
		{"escaped member name", `{"\u0069d":1}`, "", "", ""},

		{"unknown top-level member", `{"id":1,"colour":2}`, "colour", "colour", "is not a known field"},
		{"unknown nested member", `{"item":{"name":"n","size":1}}`, "item.size", "size", "is not a known field"},
		{"unknown member in an array element", `{"items":[{},{"name":"b","x":[]}]}`, "items[1].x", "x", "is not a known field"},
		{"unknown member behind a pointer", `{"ptr":{"y":1}}`, "ptr.y", "y", "is not a known field"},
		{"unknown member in a fixed array", `{"pair":[{},{"z":1}]}`, "pair[1].z", "z", "is not a known field"},
		{"unknown member in nested arrays", `{"grid":[[],[{},{"q":1}]]}`, "grid[1][1].q", "q", "is not a known field"},
		{"unknown member of a map value", `{"byName":{"k":{"w":1}}}`, "byName.k.w", "w", "is not a known field"},
		{"skipped field is unknown", `{"Skip":"s"}`, "Skip", "Skip", "is not a known field"},
		{"unexported field is unknown", `{"hidden":"h"}`, "hidden", "hidden", "is not a known field"},

		{"repeated member", `{"id":1,"id":2}`, "id", "id", "is given twice: each member may appear once"},
		{"repeated embedded member", `{"kind":"a","id":1,"kind":"b"}`, "kind", "kind", "is given twice: each member may appear once"},
		{"repeated nested member", `{"items":[{"count":1,"name":"a","count":1}]}`, "items[0].count", "count", "is given twice: each member may appear once"},
		{"repeated escaped member", `{"id":1,"i\u0064":2}`, "id", "id", "is given twice: each member may appear once"},
		{"repeated map key", `{"byName":{"k":{},"k":{}}}`, "byName.k", "k", "is given twice: each member may appear once"},
		{"repeated member of a type that decodes itself", `{"lenient":{"a":1,"a":2}}`, "lenient.a", "a", "is given twice: each member may appear once"},

		{"other-case member", `{"ID":1}`, "ID", "ID", `member names are case-sensitive: write "id"`},
		{"other-case member beside its own", `{"id":1,"Id":2}`, "Id", "Id", `member names are case-sensitive: write "id"`},
		{"other-case nested member", `{"ptr":{"NAME":"n"}}`, "ptr.NAME", "NAME", `member names are case-sensitive: write "name"`},
		{"other-case untagged field", `{"untagged":"u"}`, "untagged", "untagged", `member names are case-sensitive: write "Untagged"`},
		{"other-case member of a type that decodes itself", `{"lenient":{"A":1}}`, "lenient.A", "A", `member names are case-sensitive: write "a"`},

		{"first error wins", `{"items":[{"x":1}],"id":1,"id":2}`, "items[0].x", "x", "is not a known field"},
		// encoding/json folds case as Unicode simple folding does: the
		// long s (U+017F) matches "s" and the Kelvin sign (U+212A) "k".
		{"long s for s", `{"item":{"name":"n","tagſ":["a"]}}`, "item.tagſ", "tagſ", `member names are case-sensitive: write "tags"`},
		{"escaped long s", `{"item":{"\u017fags":1}}`, "item.ſags", "ſags", "is not a known field"},
		{"Kelvin sign for k", `{"\u212aind":"k"}`, "\u212aind", "\u212aind", `member names are case-sensitive: write "kind"`},
		// encoding/json turns invalid UTF-8 into U+FFFD: two such keys
		// would be one map key, the last value winning.
		{"member name not UTF-8", "{\"byName\":{\"a\xff\":{},\"a\xfe\":{}}}", "byName.a\xff", "a\xff", "member names must be valid UTF-8 (no lone surrogate escapes)"},
		{"escaped lone surrogate keys that decode alike", `{"byName":{"a\ud800":{},"a\udc00":{}}}`, "byName.a\ufffd", "a\ufffd", "member names must be valid UTF-8 (no lone surrogate escapes)"},
		// The same holds for string values: two serials "PF-\xe9" and
		// "PF-\xe8" would both read as "PF-\ufffd".
		{"string value not UTF-8", "{\"id\":\"PF-\xe9\"}", "id", "PF-\xe9", badUTF8},
		{"string value in an array not UTF-8", "{\"any\":[\"ok\",\"M\xfcller\"]}", "any[1]", "M\xfcller", badUTF8},
		{"lone high surrogate escape", `{"id":"a\ud800b"}`, "id", `a\ud800b`, badUTF8},
		{"lone low surrogate escape", `{"id":"a\udc00"}`, "id", `a\udc00`, badUTF8},
		{"high surrogate then another escape", `{"id":"\ud800\u0041"}`, "id", `\ud800\u0041`, badUTF8},
		{"malformed JSON is the decoder's", `{"id":1,"id"`, "", "", ""},
		{"truncated string", `{"colour`, "", "", ""},
		{"trailing comma", `{"id":1,}`, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check([]byte(tt.json), typeDoc, errTest)
			if tt.rule == "" {
				if err != nil {
					t.Fatalf("Check: %v, want nil", err)
				}
				if err := docSchema.Check([]byte(tt.json), errTest); err != nil {
					t.Fatalf("Schema.Check: %v, want nil", err)
				}
				return
			}
			wantErr(t, err, tt.field, tt.value, tt.rule)
			// A compiled Schema reports the same member.
			wantErr(t, docSchema.Check([]byte(tt.json), errTest), tt.field, tt.value, tt.rule)
			// Locate reports the same member.
			wantErr(t, Locate([]byte(tt.json), typeDoc, errTest), tt.field, tt.value, tt.rule)
		})
	}
}

func TestLocate(t *testing.T) {
	tests := []struct {
		name, json   string
		field, value string
		rule         string // "": accepted
		also         error
	}{
		{"valid", `{"id":1,"items":[{"name":"a"}],"word":"w","byName":{"k":{"count":3}}}`, "", "", "", nil},
		{"wrong type", `{"id":"x"}`, "id", `"x"`, "has the wrong JSON type (want int)", nil},
		{"wrong type nested", `{"items":[{},{"count":true}]}`, "items[1].count", "true", "has the wrong JSON type (want int)", nil},
		{"object for an array", `{"items":{}}`, "items", "{}", "has the wrong JSON type (want []strictjson.item)", nil},
		{"wrong type in a map value", `{"byName":{"k":{"tags":"t"}}}`, "byName.k.tags", `"t"`, "has the wrong JSON type (want []string)", nil},
		{"own decoder's error", `{"items":[],"word":""}`, "word", "", "must not be empty", errWord},
		{"own decoder's error in an array", `{"grid":[[{"name":1}]]}`, "grid[0][0].name", "1", "has the wrong JSON type (want string)", nil},
		{"unknown member", `{"item":{"nope":1}}`, "item.nope", "nope", "is not a known field", nil},
		{"lenient type's unknown member is its own business", `{"lenient":{"b":1}}`, "", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Locate([]byte(tt.json), typeDoc, errTest)
			if tt.rule == "" {
				if err != nil {
					t.Fatalf("Locate: %v, want nil", err)
				}
				return
			}
			wantErr(t, err, tt.field, tt.value, tt.rule)
			if tt.also != nil && !errors.Is(err, tt.also) {
				t.Errorf("%v does not wrap %v", err, tt.also)
			}
		})
	}
}

func TestMalformedAndDeep(t *testing.T) {
	js := `{"id":1,"item":{"name":"a\"b","tags":["x","y"]},"any":["x",1,true,null,{"a":[]}],"items":[{"count":2}]}`
	for i := range len(js) {
		if err := Check([]byte(js[:i]), typeDoc, errTest); err != nil {
			t.Errorf("Check(%q) = %v, want nil", js[:i], err)
		}
		if err := Locate([]byte(js[:i]), typeDoc, errTest); err != nil {
			t.Errorf("Locate(%q) = %v, want nil", js[:i], err)
		}
	}
	deep := strings.Repeat(`{"any":`, 20000) + "1" + strings.Repeat("}", 20000)
	if err := Check([]byte(deep), typeDoc, errTest); err != nil {
		t.Error(err)
	}
}

func TestWithSentinel(t *testing.T) {
	other := errors.New("other")
	fe := fielderr.New("a", "v", "rule", other)
	got := WithSentinel(fe, errTest)
	if !errors.Is(got, errTest) || !errors.Is(got, other) || got.Error() != fe.Error() {
		t.Errorf("WithSentinel = %v, want both sentinels and the same message", got)
	}
	if fe.Err != other {
		t.Error("WithSentinel changed its argument")
	}
	if got := WithSentinel(got, errTest); !errors.Is(got, errTest) {
		t.Error(got)
	}
	if got := WithSentinel(fielderr.New("a", "", "r", nil), errTest); got.(*fielderr.Error).Err != errTest {
		t.Error(got)
	}
	if got := WithSentinel(other, errTest); got != other {
		t.Error("WithSentinel changed a plain error")
	}
}

func TestJoin(t *testing.T) {
	if got := Join("", "a"); got != "a" {
		t.Error(got)
	}
	if got := Join("a[1]", "b"); got != "a[1].b" {
		t.Error(got)
	}
}

// wantErr checks that err is a field error on field with value and rule,
// wrapping errTest.
func wantErr(t *testing.T, err error, field, value, rule string) {
	t.Helper()
	var fe *fielderr.Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a field error", err)
	}
	if fe.Field != field || fe.Value != value || fe.Rule != rule || !errors.Is(err, errTest) {
		t.Errorf("err = %q (field %q, value %q, rule %q), want field %q, value %q, rule %q wrapping errTest", err, fe.Field, fe.Value, fe.Rule, field, value, rule)
	}
}

// FuzzCheck: Check and Locate never panic; what they refuse is a field
// error wrapping the sentinel, and Locate refuses whatever Check does.
// Valid JSON that Check accepts decodes with unknown fields disallowed
// unless a value has the wrong type (Check leaves values to the decoder),
// and valid JSON that Locate accepts decodes.
func FuzzCheck(f *testing.F) {
	f.Add(`{"kind":"k","id":1,"item":{"name":"n","tags":["a"]},"items":[{"name":"a"}],"ptr":{},"pair":[{},{}],"grid":[[{}]],"byName":{"x":{}},"word":"w","lenient":{"a":1},"any":[1],"raw":{}}`)
	f.Add(`{"id":1,"ID":2}`)
	f.Add(`{"items":[{"count":1,"count":2}]}`)
	f.Add(`{"byName":{"k":{"NAME":""}}}`)
	f.Add(`{"word":"","x":1}`)
	f.Add(`{"i\u0064":1,"\"":2}`)
	f.Add(`[{"id":1}]`)
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		cerr := Check(b, typeDoc, errTest)
		lerr := Locate(b, typeDoc, errTest)
		if serr := docSchema.Check(b, errTest); fmt.Sprint(serr) != fmt.Sprint(cerr) {
			t.Fatalf("%q: Schema.Check %v, Check %v", s, serr, cerr)
		}
		for _, err := range []error{cerr, lerr} {
			var fe *fielderr.Error
			if err != nil && (!errors.As(err, &fe) || !errors.Is(err, errTest)) {
				t.Fatalf("%q: %v is not a field error wrapping the sentinel", s, err)
			}
		}
		if cerr != nil && lerr == nil {
			t.Fatalf("%q: Check refuses (%v), Locate accepts", s, cerr)
		}
		if !json.Valid(b) {
			return
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		var v doc
		derr := d.Decode(&v)
		var te *json.UnmarshalTypeError
		if cerr == nil && derr != nil && !errors.As(derr, &te) && !errors.Is(derr, errWord) {
			t.Fatalf("%q: Check accepts, decoding fails: %v", s, derr)
		}
		if lerr == nil && derr != nil {
			t.Fatalf("%q: Locate accepts, decoding fails: %v", s, derr)
		}
	})
}

// ValidString, by hand: each case says whether encoding/json would read
// the token without putting U+FFFD in place of something.
func TestValidString(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want bool
	}{
		{`"plain"`, true},
		{`"Müller"`, true},
		{"\"M\xfcller\"", false},    // Latin-1 ü
		{`"\u00fc"`, true},          // an escaped ü
		{`"\ud83d\ude00"`, true},    // 😀 as a surrogate pair
		{`"\uD83D\uDE00"`, true},    // upper-case hex
		{`"\ud83d"`, false},         // high half alone, at the end
		{`"\ud83dx"`, false},        // high half before a letter
		{`"\ud83d\n"`, false},       // high half before another escape
		{`"\ud83d\u0041"`, false},   // high half before a non-surrogate
		{`"\ude00"`, false},         // low half first
		{`"\\ud800"`, true},         // an escaped backslash, then text
		{`"\\\ud83d\ude00"`, true},  // backslash, then a pair
		{`"\"\ud800"`, false},       // an escaped quote, then a lone half
		{`"\ufffd"`, true},          // U+FFFD written on purpose
		{"\"\xef\xbf\xbd\"", true},  // and as UTF-8
		{"\"\xed\xa0\x80\"", false}, // a surrogate encoded as UTF-8
	} {
		esc := strings.Contains(c.raw, `\`)
		if got := ValidString([]byte(c.raw), esc); got != c.want {
			t.Errorf("ValidString(%q) = %v, want %v", c.raw, got, c.want)
		}
	}
}
