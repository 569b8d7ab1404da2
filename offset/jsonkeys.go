package offset

// Strict member names. encoding/json keeps the last of two members with the
// same name silently (other JSON tools keep the first, so two readers could
// see different demands in one document) and matches member names without
// regard to case ("SERIAL" sets Serial). checkMembers refuses both, with
// the member's path, as the footprint product decoder and the certificate
// parser do. The walk itself is internal/strictjson's.

import (
	"reflect"

	"github.com/lifecarbon/lifecarbon/internal/strictjson"
)

// checkMembers returns a field error wrapping sentinel for the first
// member of the JSON value b that the Go type t does not have, gives
// twice, or names in another case than its tag; nil when there is none
// (see strictjson.Check).
func checkMembers(b []byte, t reflect.Type, sentinel error) error {
	return strictjson.Check(b, t, sentinel)
}

// Compiled member lists (see strictjson.Schema) of the types a registry's
// journal holds in every allocation entry, so replaying a long journal
// does not list their members by reflection entry after entry. They are
// immutable.
var (
	planSchema   = strictjson.Compile(reflect.TypeFor[planJSON]())
	demandSchema = strictjson.Compile(reflect.TypeFor[demandJSON]())
)

// locateError returns the first bad value of b, decoded as a t, as a field
// error with its full JSON path wrapping sentinel (see strictjson.Locate).
func locateError(b []byte, t reflect.Type, sentinel error) error {
	return strictjson.Locate(b, t, sentinel)
}

// withSentinel returns the field error err made to wrap sentinel too (see
// strictjson.WithSentinel).
func withSentinel(err, sentinel error) error {
	return strictjson.WithSentinel(err, sentinel)
}
