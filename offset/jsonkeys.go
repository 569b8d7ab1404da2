package offset

// Strict member names. encoding/json keeps the last of two members with the
// same name silently (other JSON tools keep the first, so two readers could
// see different demands in one document) and matches member names without
// regard to case ("SERIAL" sets Serial). checkMembers refuses both, with
// the member's path, as the footprint product decoder and the certificate
// parser do.

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
)

// maxCheckDepth bounds the nesting checkMembers follows (encoding/json
// refuses deeper input anyway).
const maxCheckDepth = 10000

// errMalformed stops checkMembers on input that is not valid JSON; the
// decoder reports that.
var errMalformed = errors.New("malformed JSON")

// checkMembers walks the JSON value b alongside the Go type t (whose
// members are named by their json tags, embedded structs' members being
// the object's own) and returns a field error wrapping sentinel for the
// first object that gives a member twice or names one in another case
// than its tag; nil when there is none. Members t does not have, and
// malformed JSON, are left to the decoder. It runs in one pass over b.
func checkMembers(b []byte, t reflect.Type, sentinel error) error {
	c := memberChecker{b: b, sentinel: sentinel, fields: map[reflect.Type][]jsonField{}}
	if err := c.value(t, "", 0); err != nil && !errors.Is(err, errMalformed) {
		return err
	}
	return nil
}

// locateError walks the JSON value b alongside the Go type t as
// checkMembers does and returns the first bad value it finds as a field
// error with its full JSON path ("lots[1].price.amount") wrapping
// sentinel (and the sentinel of the value's own error, if any): a member
// t does not have, a member given twice or in another case, a value of the
// wrong JSON type, or a value its type's own decoder (UnmarshalJSON,
// UnmarshalText) refuses. It returns nil when it finds none (malformed
// JSON is left to the decoder). It decodes every value it visits, so it
// is meant for locating an error encoding/json has already reported
// without a usable path, not for valid input.
func locateError(b []byte, t reflect.Type, sentinel error) error {
	c := memberChecker{b: b, sentinel: sentinel, fields: map[reflect.Type][]jsonField{}, locate: true}
	if err := c.value(t, "", 0); err != nil && !errors.Is(err, errMalformed) {
		return err
	}
	return nil
}

// withSentinel returns err, a field error, made to wrap sentinel too (a
// copy; other errors and errors already wrapping it are returned as they
// are).
func withSentinel(err, sentinel error) error {
	fe, ok := err.(*fielderr.Error)
	if !ok || errors.Is(err, sentinel) {
		return err
	}
	c := *fe
	if c.Err == nil {
		c.Err = sentinel
	} else {
		c.Err = errors.Join(sentinel, c.Err)
	}
	return &c
}

var (
	typeJSONUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	typeTextUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// maxQuotedJSON bounds how much of a bad JSON value locateError quotes.
const maxQuotedJSON = 200

// decodeCheck decodes raw, the JSON value at path, into a new value of
// type t and turns a failure into a field error at path (leaf: raw is a
// string, number or literal, so an error of the type's own names the
// value itself; otherwise its field is taken as relative to path).
func (c *memberChecker) decodeCheck(t reflect.Type, path string, raw []byte, leaf bool) error {
	err := json.Unmarshal(raw, reflect.New(t).Interface())
	if err == nil {
		return nil
	}
	var fe *fielderr.Error
	var te *json.UnmarshalTypeError
	quoted := string(raw)
	if len(quoted) > maxQuotedJSON {
		quoted = quoted[:maxQuotedJSON] + "..."
	}
	switch {
	case errors.As(err, &fe):
		out := *fe
		if leaf || out.Field == "" {
			out.Field = path
		} else {
			out = *fielderr.Prefix(path, fe).(*fielderr.Error)
		}
		return withSentinel(&out, c.sentinel)
	case errors.As(err, &te):
		if leaf || te.Field == "" {
			return fielderr.New(path, quoted, "has the wrong JSON type (want "+te.Type.String()+")", c.sentinel)
		}
		return fielderr.New(joinField(path, te.Field), te.Value, "has the wrong JSON type (want "+te.Type.String()+")", c.sentinel)
	}
	return fielderr.New(path, quoted, "is not a valid value: "+err.Error(), c.sentinel)
}

type jsonField struct {
	name string
	t    reflect.Type
}

type memberChecker struct {
	b        []byte
	pos      int
	sentinel error
	locate   bool                         // locateError: also report unknown members and bad values
	fields   map[reflect.Type][]jsonField // per struct type, its JSON members
}

func (c *memberChecker) ws() {
	for c.pos < len(c.b) {
		switch c.b[c.pos] {
		case ' ', '\t', '\n', '\r':
			c.pos++
		default:
			return
		}
	}
}

// value checks the value at c.pos, of type t (nil: not checked). In
// locate mode it then decodes the value into t when t decodes itself
// (json.Unmarshaler, encoding.TextUnmarshaler) or the value is not an
// object or array whose members were checked one by one.
func (c *memberChecker) value(t reflect.Type, path string, depth int) error {
	if depth > maxCheckDepth {
		return errMalformed
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	c.ws()
	if c.pos >= len(c.b) {
		return errMalformed
	}
	if !c.locate || t == nil {
		return c.walk(t, path, depth)
	}
	start := c.pos
	first := c.b[c.pos]
	if err := c.walk(t, path, depth); err != nil {
		return err
	}
	custom := decodesItself(t)
	k := t.Kind()
	walked := (first == '{' && k == reflect.Struct) || (first == '[' && (k == reflect.Slice || k == reflect.Array))
	if custom || !walked {
		return c.decodeCheck(t, path, c.b[start:c.pos], first != '{' && first != '[')
	}
	return nil
}

// decodesItself reports whether *t has its own UnmarshalJSON or
// UnmarshalText.
func decodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(typeJSONUnmarshaler) || pt.Implements(typeTextUnmarshaler)
}

// next moves past the separator after an array element or object member:
// done is true at the closing bracket end, false after a comma.
func (c *memberChecker) next(end byte) (done bool, err error) {
	c.ws()
	if c.pos >= len(c.b) {
		return false, errMalformed
	}
	c.pos++
	switch c.b[c.pos-1] {
	case ',':
		return false, nil
	case end:
		return true, nil
	}
	return false, errMalformed
}

// walk checks the value at c.pos (after white space) and moves past it.
func (c *memberChecker) walk(t reflect.Type, path string, depth int) error {
	switch c.b[c.pos] {
	case '{':
		return c.object(t, path, depth)
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		c.pos++
		c.ws()
		if c.pos < len(c.b) && c.b[c.pos] == ']' {
			c.pos++
			return nil
		}
		for i := 0; ; i++ {
			if err := c.value(elem, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
			if done, err := c.next(']'); done || err != nil {
				return err
			}
		}
	case '"':
		_, _, err := c.str()
		return err
	}
	for c.pos < len(c.b) { // number or literal
		switch c.b[c.pos] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return nil
		}
		c.pos++
	}
	return nil
}

// str skips the string at c.pos and returns its raw bytes (quotes
// included) and whether it holds an escape.
func (c *memberChecker) str() ([]byte, bool, error) {
	start, esc := c.pos, false
	c.pos++
	for c.pos < len(c.b) {
		switch c.b[c.pos] {
		case '\\':
			esc = true
			c.pos += 2
			continue
		case '"':
			c.pos++
			return c.b[start:c.pos], esc, nil
		}
		c.pos++
	}
	return nil, false, errMalformed
}

func (c *memberChecker) object(t reflect.Type, path string, depth int) error {
	var fields []jsonField
	if t != nil && t.Kind() == reflect.Struct {
		fields = c.structFields(t)
	}
	var seen uint64 // fields[i] given, i < 64
	var more []int  // fields[i] given, i ≥ 64
	c.pos++
	c.ws()
	if c.pos < len(c.b) && c.b[c.pos] == '}' {
		c.pos++
		return nil
	}
	for {
		c.ws()
		if c.pos >= len(c.b) || c.b[c.pos] != '"' {
			return errMalformed
		}
		raw, esc, err := c.str()
		if err != nil {
			return err
		}
		key := raw[1 : len(raw)-1]
		if esc {
			var name string
			if json.Unmarshal(raw, &name) != nil {
				return errMalformed
			}
			key = []byte(name)
		}
		c.ws()
		if c.pos >= len(c.b) || c.b[c.pos] != ':' {
			return errMalformed
		}
		c.pos++
		var ft reflect.Type
		k := -1
		for i := range fields {
			if fields[i].name == string(key) {
				k = i
				break
			}
		}
		switch {
		case fields == nil:
		case k < 0:
			for _, f := range fields {
				if bytes.EqualFold([]byte(f.name), key) {
					return fielderr.New(joinField(path, string(key)), string(key), "member names are case-sensitive: write "+strconv.Quote(f.name), c.sentinel)
				}
			}
			// A type that decodes itself may name its members otherwise
			// than its fields; its own decoder reports what it refuses.
			if c.locate && !decodesItself(t) {
				return fielderr.New(joinField(path, string(key)), string(key), "is not a known field", c.sentinel)
			}
		case k < 64 && seen&(1<<k) != 0, k >= 64 && slices.Contains(more, k):
			return fielderr.New(joinField(path, string(key)), string(key), "is given twice: each member may appear once", c.sentinel)
		default:
			if k < 64 {
				seen |= 1 << k
			} else {
				more = append(more, k)
			}
			ft = fields[k].t
		}
		if err := c.value(ft, joinField(path, string(key)), depth+1); err != nil {
			return err
		}
		if done, err := c.next('}'); done || err != nil {
			return err
		}
	}
}

// structFields returns the JSON members of struct type t as encoding/json
// names them: the json tag's name or the field's, embedded untagged
// structs contributing their own members.
func (c *memberChecker) structFields(t reflect.Type) []jsonField {
	if fs, ok := c.fields[t]; ok {
		return fs
	}
	fs := []jsonField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && f.Tag.Get("json") == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				fs = append(fs, c.structFields(et)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs = append(fs, jsonField{name, f.Type})
	}
	c.fields[t] = fs
	return fs
}

func joinField(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
