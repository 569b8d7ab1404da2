package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
)

// maxDepth bounds the nesting the walk follows (encoding/json refuses
// deeper input anyway).
const maxDepth = 10000

// maxQuoted bounds how much of a bad JSON value Locate quotes.
const maxQuoted = 200

// errMalformed stops the walk on input that is not valid JSON; the decoder
// reports that.
var errMalformed = errors.New("malformed JSON")

var (
	typeJSONUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	typeTextUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// Check walks the JSON value b alongside the Go type t and returns the
// first unknown, repeated or other-case member (see the package
// documentation) as a *fielderr.Error with its full JSON path wrapping
// sentinel; nil when there is none. It does not decode values (a value of
// the wrong JSON type is left to the decoder), and reports nothing for
// malformed JSON. It runs in one pass over b.
func Check(b []byte, t reflect.Type, sentinel error) error {
	return run(b, t, sentinel, false)
}

// Locate walks b alongside t as Check does and returns the first bad value
// it finds as a *fielderr.Error with its full JSON path wrapping sentinel
// (and the sentinel of the value's own error, if any): a member Check
// refuses, a value of the wrong JSON type, or a value its type's own
// decoder (UnmarshalJSON, UnmarshalText) refuses. It returns nil when it
// finds none. It decodes every value it visits, so it is meant for
// locating an error encoding/json has already reported without a usable
// path, not for valid input.
func Locate(b []byte, t reflect.Type, sentinel error) error {
	return run(b, t, sentinel, true)
}

func run(b []byte, t reflect.Type, sentinel error, locate bool) error {
	c := checker{b: b, sentinel: sentinel, locate: locate, fields: map[reflect.Type][]field{}}
	return c.check(t)
}

// check walks the document as a t; malformed JSON is the decoder's to
// report.
func (c *checker) check(t reflect.Type) error {
	if err := c.value(t, nil, 0); err != nil && !errors.Is(err, errMalformed) {
		return err
	}
	return nil
}

// Schema is Check made ready for one Go type: the members of every struct
// type the walk can meet are listed once, when the Schema is compiled,
// instead of by reflection in every Check. It is for a type whose
// documents are checked many times (a journal replayed entry by entry).
// A Schema is immutable and safe for concurrent use.
type Schema struct {
	t      reflect.Type
	fields map[reflect.Type][]field
}

// Compile returns the Schema of t: Check(b, t, sentinel) and
// Compile(t).Check(b, sentinel) return the same error for every b.
func Compile(t reflect.Type) *Schema {
	c := checker{fields: map[reflect.Type][]field{}}
	seen := map[reflect.Type]bool{}
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Struct:
			for _, f := range c.structFields(t) {
				visit(f.t)
			}
		case reflect.Slice, reflect.Array, reflect.Map:
			visit(t.Elem())
		}
	}
	visit(t)
	return &Schema{t: t, fields: c.fields}
}

// Check is Check(b, t, sentinel) for the Schema's type t.
func (s *Schema) Check(b []byte, sentinel error) error {
	c := checker{b: b, sentinel: sentinel, fields: s.fields, shared: true}
	return c.check(s.t)
}

// WithSentinel returns err, a *fielderr.Error, made to wrap sentinel too
// (a copy; other errors, and errors already wrapping sentinel, are
// returned as they are).
func WithSentinel(err, sentinel error) error {
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

// Join returns the path of member name of the value at path.
func Join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// path is the JSON path of a value, built as a string only for an error
// (building it on the way down would cost depth² on deep input): each
// level names its parent and its member name or element index.
type path struct {
	up    *path
	elem  bool   // an array element, not a member
	name  string // the member's name
	index int    // the element's index
}

// String returns the path as Join and "[i]" write it:
// "lots[1].price.amount". It costs O(length of the path).
func (p *path) String() string {
	var segs []*path
	for q := p; q != nil; q = q.up {
		segs = append(segs, q)
	}
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		q := segs[i]
		switch {
		case q.elem:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(q.index))
			b.WriteByte(']')
		case b.Len() == 0:
			b.WriteString(q.name)
		default:
			b.WriteByte('.')
			b.WriteString(q.name)
		}
	}
	return b.String()
}

type field struct {
	name string
	t    reflect.Type
}

type checker struct {
	b        []byte
	pos      int
	sentinel error
	locate   bool                     // Locate: also decode values
	fields   map[reflect.Type][]field // per struct type, its JSON members
	shared   bool                     // fields is a Schema's: read, never written
}

func (c *checker) ws() {
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
// locate mode it then decodes the value into t when t decodes itself or
// the value is not an object or array whose members were checked one by
// one.
func (c *checker) value(t reflect.Type, at *path, depth int) error {
	if depth > maxDepth {
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
		return c.walk(t, at, depth)
	}
	start := c.pos
	first := c.b[c.pos]
	if err := c.walk(t, at, depth); err != nil {
		return err
	}
	k := t.Kind()
	walked := (first == '{' && k == reflect.Struct) || (first == '[' && (k == reflect.Slice || k == reflect.Array))
	if decodesItself(t) || !walked {
		return c.decode(t, at, c.b[start:c.pos], first != '{' && first != '[')
	}
	return nil
}

// decodesItself reports whether *t has its own UnmarshalJSON or
// UnmarshalText.
func decodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(typeJSONUnmarshaler) || pt.Implements(typeTextUnmarshaler)
}

// decode decodes raw, the JSON value at path, into a new value of type t
// and turns a failure into a field error at path (leaf: raw is a string,
// number or literal, so an error of the type's own names the value
// itself; otherwise its field is taken as relative to path).
func (c *checker) decode(t reflect.Type, at *path, raw []byte, leaf bool) error {
	err := json.Unmarshal(raw, reflect.New(t).Interface())
	if err == nil {
		return nil
	}
	path := at.String()
	var fe *fielderr.Error
	var te *json.UnmarshalTypeError
	quoted := string(raw)
	if len(quoted) > maxQuoted {
		quoted = quoted[:maxQuoted] + "..."
	}
	switch {
	case errors.As(err, &fe):
		out := *fe
		if leaf || out.Field == "" {
			out.Field = path
		} else {
			out = *fielderr.Prefix(path, fe).(*fielderr.Error)
		}
		return WithSentinel(&out, c.sentinel)
	case errors.As(err, &te):
		if leaf || te.Field == "" {
			return fielderr.New(path, quoted, "has the wrong JSON type (want "+te.Type.String()+")", c.sentinel)
		}
		return fielderr.New(Join(path, te.Field), te.Value, "has the wrong JSON type (want "+te.Type.String()+")", c.sentinel)
	}
	msg := err.Error()
	if len(msg) > maxQuoted {
		msg = msg[:maxQuoted] + "..."
	}
	return fielderr.New(path, quoted, "is not a valid value: "+msg, c.sentinel)
}

// next moves past the separator after an array element or object member:
// done is true at the closing bracket end, false after a comma.
func (c *checker) next(end byte) (done bool, err error) {
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
func (c *checker) walk(t reflect.Type, at *path, depth int) error {
	switch c.b[c.pos] {
	case '{':
		return c.object(t, at, depth)
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
			if err := c.value(elem, &path{up: at, elem: true, index: i}, depth+1); err != nil {
				return err
			}
			if done, err := c.next(']'); done || err != nil {
				return err
			}
		}
	case '"':
		raw, esc, err := c.str()
		if err == nil && !ValidString(raw, esc) {
			return fielderr.New(at.String(), string(raw[1:len(raw)-1]), badUTF8, c.sentinel)
		}
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

// badUTF8 is the rule a string that is not valid UTF-8 breaks.
const badUTF8 = "must be valid UTF-8 (encoding/json would read each bad byte or lone surrogate as U+FFFD, so two different texts could be one)"

// ValidString reports whether raw, a JSON string token with its quotes
// (esc: whether it holds a backslash escape), decodes to exactly what it
// says: its bytes are valid UTF-8 and every \u escape of a UTF-16
// surrogate is half of a pair. encoding/json reads a bad byte or a lone
// surrogate as U+FFFD without an error.
func ValidString(raw []byte, esc bool) bool {
	if !utf8.Valid(raw) {
		return false
	}
	if !esc {
		return true
	}
	for i := 0; i < len(raw)-1; i++ {
		if raw[i] != '\\' {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // a one-letter escape (\\ included)
			continue
		}
		r, ok := hex4(raw, i+2)
		if !ok {
			return false
		}
		i += 5
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return false // a low half first
		case r >= 0xD800 && r <= 0xDBFF:
			if i+6 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
				return false
			}
			lo, ok := hex4(raw, i+3)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return false
			}
			i += 6
		}
	}
	return true
}

// hex4 reads the four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// str skips the string at c.pos and returns its raw bytes (quotes
// included) and whether it holds an escape.
func (c *checker) str() ([]byte, bool, error) {
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

// object checks the object at c.pos, of type t, and moves past it.
func (c *checker) object(t reflect.Type, at *path, depth int) error {
	var fields []field // nil: t is not a struct
	var elem reflect.Type
	var keys map[string]bool // a map's keys so far
	switch {
	case t == nil:
	case t.Kind() == reflect.Struct:
		fields = c.structFields(t)
	case t.Kind() == reflect.Map:
		elem, keys = t.Elem(), map[string]bool{}
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
		if !ValidString(raw, esc) {
			return fielderr.New(Join(at.String(), string(key)), string(key), "member names must be valid UTF-8 (no lone surrogate escapes)", c.sentinel)
		}
		p := &path{up: at, name: string(key)}
		ft := elem
		if keys != nil {
			if keys[string(key)] {
				return fielderr.New(p.String(), string(key), "is given twice: each member may appear once", c.sentinel)
			}
			keys[string(key)] = true
		}
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
					return fielderr.New(p.String(), string(key), "member names are case-sensitive: write "+strconv.Quote(f.name), c.sentinel)
				}
			}
			// A type that decodes itself may name its members otherwise
			// than its fields; its own decoder reports what it refuses.
			if !decodesItself(t) {
				return fielderr.New(p.String(), string(key), "is not a known field", c.sentinel)
			}
		case k < 64 && seen&(1<<k) != 0, k >= 64 && slices.Contains(more, k):
			return fielderr.New(p.String(), string(key), "is given twice: each member may appear once", c.sentinel)
		default:
			if k < 64 {
				seen |= 1 << k
			} else {
				more = append(more, k)
			}
			ft = fields[k].t
		}
		if err := c.value(ft, p, depth+1); err != nil {
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
func (c *checker) structFields(t reflect.Type) []field {
	if fs, ok := c.fields[t]; ok {
		return fs
	}
	if c.shared { // not met when the Schema was compiled: list it apart
		c.fields, c.shared = maps.Clone(c.fields), false
	}
	fs := []field{}
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
		fs = append(fs, field{name, f.Type})
	}
	c.fields[t] = fs
	return fs
}
