package fielderr

import (
	"strconv"
	"strings"
)

// Error reports that one field of an input broke one rule.
//
// Field is the path of the field in the input's JSON form, for example
// "shipping.legs[1].distance"; Value is the offending value as the caller
// wrote it (empty when the field was missing); Rule says what was expected.
// Err, when set, is a package sentinel (such as footprint.ErrInvalidQuantity)
// so that errors.Is works on the whole chain.
type Error struct {
	Field string
	Value string
	Rule  string
	Err   error
}

// maxValueLen bounds how much of an offending value an error message quotes.
const maxValueLen = 64

// Error formats the error as `field: rule, got "value"`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Rule)
	v := e.Value
	if len(v) > maxValueLen {
		v = v[:maxValueLen] + "..."
	}
	b.WriteString(", got ")
	b.WriteString(strconv.Quote(v))
	return b.String()
}

// Unwrap returns the sentinel the error wraps, if any.
func (e *Error) Unwrap() error { return e.Err }

// New returns an *Error.
func New(field, value, rule string, sentinel error) *Error {
	return &Error{Field: field, Value: value, Rule: rule, Err: sentinel}
}

// Prefix returns err with its field path prefixed by prefix when err is an
// *Error (a copy is made; err is not modified). Other errors are returned
// unchanged. Prefix("legs[1]", e) on a field "distance" gives
// "legs[1].distance".
func Prefix(prefix string, err error) error {
	fe, ok := err.(*Error)
	if !ok || prefix == "" {
		return err
	}
	c := *fe
	switch {
	case c.Field == "":
		c.Field = prefix
	case strings.HasPrefix(c.Field, "["):
		c.Field = prefix + c.Field
	default:
		c.Field = prefix + "." + c.Field
	}
	return &c
}
