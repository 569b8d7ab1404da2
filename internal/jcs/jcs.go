package jcs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects Canonicalize accepts.
const MaxDepth = 128

// Errors wrapped by the errors of this package (match with errors.Is).
var (
	// ErrSyntax: the input is not one well-formed JSON value.
	ErrSyntax = errors.New("jcs: invalid JSON")
	// ErrUnicode: a string holds invalid UTF-8 or an escaped lone surrogate.
	ErrUnicode = errors.New("jcs: invalid Unicode in string")
	// ErrDuplicateKey: an object names the same member twice.
	ErrDuplicateKey = errors.New("jcs: duplicate object member name")
	// ErrNumber: a number does not fit an IEEE 754 double.
	ErrNumber = errors.New("jcs: number out of the range of a double")
	// ErrDepth: arrays and objects nest deeper than MaxDepth.
	ErrDepth = errors.New("jcs: nesting too deep")
)

// Error reports where in the input a problem was found.
type Error struct {
	Offset int   // byte offset in the input
	Err    error // one of the sentinels above
	Detail string
}

// Error formats the error with its offset.
func (e *Error) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("%v at byte %d: %s", e.Err, e.Offset, e.Detail)
	}
	return fmt.Sprintf("%v at byte %d", e.Err, e.Offset)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// Canonicalize returns the RFC 8785 canonical form of the JSON text in.
func Canonicalize(in []byte) ([]byte, error) {
	p := parser{in: in}
	p.skipWS()
	out, err := p.value(make([]byte, 0, len(in)), 0)
	if err != nil {
		return nil, err
	}
	p.skipWS()
	if p.pos != len(p.in) {
		return nil, p.fail(ErrSyntax, "data after the JSON value")
	}
	return out, nil
}

// Check reports whether in is one strict JSON value as Canonicalize
// requires (valid UTF-8, no duplicate member names, ...), without keeping
// the output.
func Check(in []byte) error {
	_, err := Canonicalize(in)
	return err
}

// Marshal encodes v with encoding/json and returns its canonical form.
func Marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Canonicalize(b)
}

type parser struct {
	in  []byte
	pos int
}

func (p *parser) fail(sentinel error, detail string) error {
	return &Error{Offset: p.pos, Err: sentinel, Detail: detail}
}

func (p *parser) skipWS() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) literal(out []byte, lit string) ([]byte, error) {
	if len(p.in)-p.pos < len(lit) || string(p.in[p.pos:p.pos+len(lit)]) != lit {
		return nil, p.fail(ErrSyntax, "unexpected character")
	}
	p.pos += len(lit)
	return append(out, lit...), nil
}

func (p *parser) value(out []byte, depth int) ([]byte, error) {
	if p.pos >= len(p.in) {
		return nil, p.fail(ErrSyntax, "unexpected end of input")
	}
	switch c := p.in[p.pos]; {
	case c == '{':
		return p.object(out, depth+1)
	case c == '[':
		return p.array(out, depth+1)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return AppendString(out, s), nil
	case c == 't':
		return p.literal(out, "true")
	case c == 'f':
		return p.literal(out, "false")
	case c == 'n':
		return p.literal(out, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(out)
	default:
		return nil, p.fail(ErrSyntax, "unexpected character")
	}
}

func (p *parser) array(out []byte, depth int) ([]byte, error) {
	if depth > MaxDepth {
		return nil, p.fail(ErrDepth, "")
	}
	p.pos++ // '['
	out = append(out, '[')
	p.skipWS()
	if p.pos < len(p.in) && p.in[p.pos] == ']' {
		p.pos++
		return append(out, ']'), nil
	}
	for i := 0; ; i++ {
		if i > 0 {
			out = append(out, ',')
		}
		p.skipWS()
		var err error
		if out, err = p.value(out, depth); err != nil {
			return nil, err
		}
		p.skipWS()
		if p.pos >= len(p.in) {
			return nil, p.fail(ErrSyntax, "unterminated array")
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return append(out, ']'), nil
		default:
			return nil, p.fail(ErrSyntax, "expected ',' or ']'")
		}
	}
}

type member struct {
	name  string
	value []byte
	at    int // the offset of the member's name in the input
}

func (p *parser) object(out []byte, depth int) ([]byte, error) {
	if depth > MaxDepth {
		return nil, p.fail(ErrDepth, "")
	}
	p.pos++ // '{'
	p.skipWS()
	if p.pos < len(p.in) && p.in[p.pos] == '}' {
		p.pos++
		return append(out, '{', '}'), nil
	}
	var members []member
	for {
		p.skipWS()
		if p.pos >= len(p.in) || p.in[p.pos] != '"' {
			return nil, p.fail(ErrSyntax, "expected a member name")
		}
		at := p.pos
		name, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipWS()
		if p.pos >= len(p.in) || p.in[p.pos] != ':' {
			return nil, p.fail(ErrSyntax, "expected ':'")
		}
		p.pos++
		p.skipWS()
		v, err := p.value(nil, depth)
		if err != nil {
			return nil, err
		}
		members = append(members, member{name, v, at})
		p.skipWS()
		if p.pos >= len(p.in) {
			return nil, p.fail(ErrSyntax, "unterminated object")
		}
		if p.in[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.in[p.pos] == '}' {
			p.pos++
			break
		}
		return nil, p.fail(ErrSyntax, "expected ',' or '}'")
	}
	// Sorting brings a repeated name next to its first occurrence (a stable
	// sort keeps them in input order), so duplicates cost O(n log n), not a
	// comparison of every pair; the one reported is the earliest repeat in
	// the input.
	sort.SliceStable(members, func(i, j int) bool { return Less(members[i].name, members[j].name) })
	dup := -1
	for i := 1; i < len(members); i++ {
		if members[i].name == members[i-1].name && (dup < 0 || members[i].at < members[dup].at) {
			dup = i
		}
	}
	if dup >= 0 {
		return nil, &Error{Offset: members[dup].at, Err: ErrDuplicateKey, Detail: strconv.Quote(members[dup].name)}
	}
	out = append(out, '{')
	for i, m := range members {
		if i > 0 {
			out = append(out, ',')
		}
		out = AppendString(out, m.name)
		out = append(out, ':')
		out = append(out, m.value...)
	}
	return append(out, '}'), nil
}

// str reads a JSON string starting at the opening quote and returns its
// decoded value.
func (p *parser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.in) {
		c := p.in[p.pos]
		if c == '"' {
			s := p.in[start:p.pos]
			if !utf8.Valid(s) {
				return "", p.fail(ErrUnicode, "invalid UTF-8")
			}
			p.pos++
			return string(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.fail(ErrSyntax, "control character in string")
		}
		p.pos++
	}
	buf := append([]byte(nil), p.in[start:p.pos]...)
	for {
		if p.pos >= len(p.in) {
			return "", p.fail(ErrSyntax, "unterminated string")
		}
		c := p.in[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(buf) {
				return "", p.fail(ErrUnicode, "invalid UTF-8")
			}
			return string(buf), nil
		case c < 0x20:
			return "", p.fail(ErrSyntax, "control character in string")
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		// escape
		if p.pos+1 >= len(p.in) {
			return "", p.fail(ErrSyntax, "unterminated escape")
		}
		e := p.in[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail(ErrSyntax, "bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 || p.pos+1 >= len(p.in) || p.in[p.pos] != '\\' || p.in[p.pos+1] != 'u' {
					return "", p.fail(ErrUnicode, "lone surrogate")
				}
				p.pos += 2
				r2, ok := p.hex4()
				if !ok {
					return "", p.fail(ErrSyntax, "bad \\u escape")
				}
				if r2 < 0xDC00 || r2 > 0xDFFF {
					return "", p.fail(ErrUnicode, "lone surrogate")
				}
				r = utf16.DecodeRune(r, r2)
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.fail(ErrSyntax, "bad escape")
		}
	}
}

func (p *parser) hex4() (rune, bool) {
	if len(p.in)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.in[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

func (p *parser) number(out []byte) ([]byte, error) {
	start := p.pos
	in := p.in
	if in[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(in) && in[p.pos] >= '0' && in[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(in) && in[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return nil, p.fail(ErrSyntax, "bad number")
	}
	if p.pos < len(in) && in[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.fail(ErrSyntax, "bad number")
		}
	}
	if p.pos < len(in) && (in[p.pos] == 'e' || in[p.pos] == 'E') {
		p.pos++
		if p.pos < len(in) && (in[p.pos] == '+' || in[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.fail(ErrSyntax, "bad number")
		}
	}
	f, err := strconv.ParseFloat(string(in[start:p.pos]), 64)
	if err != nil || math.IsInf(f, 0) {
		// ParseFloat only fails here on overflow (the syntax was checked).
		return nil, &Error{Offset: start, Err: ErrNumber, Detail: string(in[start:p.pos])}
	}
	return AppendNumber(out, f), nil
}

// AppendNumber appends f as the ECMAScript Number-to-String algorithm
// (ECMA-262 Number::toString, radix 10) prints it, which is RFC 8785's
// number form. f must be finite; NaN and infinities are written as null
// (JSON has no form for them; Canonicalize never produces them).
func AppendNumber(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	if f == 0 {
		return append(dst, '0') // also -0
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	// Shortest round-trip digits: "d.ddde±x".
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	var digits [24]byte
	k := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[k] = e[i]
			k++
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	n := exp + 1 // value = 0.digits × 10^n
	d := digits[:k]
	switch {
	case k <= n && n <= 21:
		dst = append(dst, d...)
		for j := 0; j < n-k; j++ {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, d[:n]...)
		dst = append(dst, '.')
		dst = append(dst, d[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for j := 0; j < -n; j++ {
			dst = append(dst, '0')
		}
		dst = append(dst, d...)
	default:
		dst = append(dst, d[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, d[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// plainPrefix returns the length of the longest prefix of s that holds no
// byte JSON escapes (a control character, '"' or '\\'). It tests eight
// bytes at a time: with L = 0x0101…01 and H = 0x8080…80, (x − k·L) & ^x & H
// is non-zero exactly when some byte of x is below k (for k ≤ 0x80), and a
// byte equal to c is a zero byte of x ^ c·L.
func plainPrefix(s string) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		q := x ^ ('"' * lo)
		b := x ^ ('\\' * lo)
		if ((x-0x20*lo)&^x|(q-lo)&^q|(b-lo)&^b)&hi != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			break
		}
	}
	return i
}

// AppendString appends s as an RFC 8785 JSON string. s must be valid
// UTF-8 (invalid bytes are copied as they are; callers check first).
func AppendString(dst []byte, s string) []byte {
	i := plainPrefix(s)
	if i == len(s) { // nothing to escape: the common case
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	dst = append(dst, '"')
	start := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// Less reports whether member name a sorts before b in RFC 8785 order:
// comparing the names' UTF-16 code units as unsigned integers.
func Less(a, b string) bool {
	return Compare(a, b) < 0
}

// Compare compares a and b by their UTF-16 code units: -1, 0 or +1.
func Compare(a, b string) int {
	i, j := 0, 0
	var pa, pb rune = -1, -1 // pending low surrogate
	for {
		var ua, ub rune
		endA, endB := false, false
		if pa >= 0 {
			ua, pa = pa, -1
		} else if i < len(a) {
			r, size := utf8.DecodeRuneInString(a[i:])
			i += size
			if r >= 0x10000 {
				hi, lo := utf16.EncodeRune(r)
				ua, pa = hi, lo
			} else {
				ua = r
			}
		} else {
			endA = true
		}
		if pb >= 0 {
			ub, pb = pb, -1
		} else if j < len(b) {
			r, size := utf8.DecodeRuneInString(b[j:])
			j += size
			if r >= 0x10000 {
				hi, lo := utf16.EncodeRune(r)
				ub, pb = hi, lo
			} else {
				ub = r
			}
		} else {
			endB = true
		}
		switch {
		case endA && endB:
			return 0
		case endA:
			return -1
		case endB:
			return 1
		case ua < ub:
			return -1
		case ua > ub:
			return 1
		}
	}
}
