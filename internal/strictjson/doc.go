// Package strictjson holds JSON documents to the member rules that
// encoding/json does not enforce, walking a document alongside the Go type
// it is to be decoded into.
//
// encoding/json keeps the last of two members with the same name silently
// (other JSON tools keep the first, so two readers could see different
// values in one document) and matches a member to a field without regard
// to case ("SERIAL" sets the field tagged "serial"). Check refuses, in any
// object at any depth:
//
//   - an unknown member: one the struct has no field for (its json tag's
//     name, or the field's name; an untagged embedded struct's members
//     are the object's own);
//   - a repeated member: one given twice in an object (a struct's or a
//     map's);
//   - an other-case member: one that names a field in another case than
//     its own ("Lots" or "LOTS" for "lots"), whether or not the field's
//     own name is also given; case is folded as encoding/json folds it, so
//     "ſerial" (long s) counts for "serial";
//   - a member name or string value that is not valid UTF-8, or that
//     escapes half of a UTF-16 surrogate pair alone (encoding/json would
//     read it with U+FFFD in place, so two different names or texts, two
//     serials say, could be one).
//
// Member names are compared once unescaped, as the decoder reads them. The
// keys of a map whose key type is not a string are compared as written.
//
// A type that decodes itself (its pointer implements json.Unmarshaler or
// encoding.TextUnmarshaler) is still walked for repeated and other-case
// members, but its unknown members are left to its own decoder, which may
// name members otherwise than its fields. Map values are checked as their
// element type; members of an interface value are not checked.
//
// Every error is a *fielderr.Error whose Field is the member's full JSON
// path ("lots[1].price.amount") and which wraps the caller's sentinel. The
// walk is one pass, linear in the input: paths are built only for an
// error.
// Malformed JSON is left to the decoder: Check and Locate report nothing
// for it. Locate also decodes each value, to find the one encoding/json
// refused and name it by its path.
//
// Check lists a struct's members by reflection in every call. Compile
// lists them once, for a type whose documents are checked again and again
// (every allocation of a journal being replayed); the Schema it returns
// is immutable and its Check gives the same answers.
package strictjson
