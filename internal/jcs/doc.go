// Package jcs implements the JSON Canonicalization Scheme of RFC 8785: the
// one byte form of a JSON value that lifecarbon hashes and signs.
//
// Canonicalize parses a JSON text strictly and writes it back canonically:
// no whitespace; object members sorted by their names compared as UTF-16
// code units; strings escaped exactly as RFC 8785 section 3.2.2.2 says
// (only '"', '\\' and the controls U+0000–U+001F are escaped, the five
// short escapes \b \t \n \f \r where they exist, otherwise \u00xx with
// lower-case hex; everything else, including non-ASCII, '/', U+2028 and
// U+2029, is written as UTF-8); literals true, false and null as is.
//
// Numbers. RFC 8785 serialises numbers as IEEE 754 doubles printed by the
// ECMAScript Number-to-String algorithm. This package implements that
// algorithm exactly (shortest round-trip digits, plain notation for
// exponents from 1e-7 to 1e21 exclusive, otherwise "1e+21" style; -0 is
// written as 0). A number whose magnitude overflows a double is refused
// (ErrNumber). Note that reading a number as a double may lose digits
// ("0.1000000000000000055511" becomes "0.1"): that is RFC 8785's rule, and
// the reason lifecarbon documents carry every decimal as a JSON string.
//
// Strictness. Input must be one JSON value (RFC 8259) in valid UTF-8 with
// optional surrounding whitespace. Refused with an error wrapping a
// sentinel: invalid syntax (ErrSyntax), invalid UTF-8 or an escaped lone
// surrogate (ErrUnicode, RFC 8785 requires I-JSON strings), a duplicated
// member name in any object (ErrDuplicateKey), nesting deeper than
// MaxDepth (ErrDepth).
//
// AppendString and Less are the building blocks for encoders that write
// canonical bytes directly from a Go struct without the generic parse;
// such encoders must be tested to give exactly Canonicalize's output.
//
// The package has no state; every function is safe for concurrent use.
package jcs
