package certificate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

func validText(s string) bool { return utf8.ValidString(s) }

// Canonical returns the certificate's canonical bytes: the RFC 8785 (JCS)
// form of its JSON without the signature member. These are the bytes that
// are signed, and the payload of its JWS.
func (c *Certificate) Canonical() []byte {
	return c.appendCanonical(make([]byte, 0, c.sizeHint()), false)
}

// MarshalJSON writes the certificate, signature included, in canonical
// (RFC 8785) form.
func (c Certificate) MarshalJSON() ([]byte, error) {
	return c.appendCanonical(make([]byte, 0, c.sizeHint()+200), true), nil
}

// UnmarshalJSON reads a certificate strictly: the input must be at most
// MaxSize bytes of valid UTF-8 JSON with no duplicated member (anywhere),
// no unknown member, and every value in the form this package writes (a
// document that a different reader could read differently is refused).
// Member order and whitespace are free. Errors wrap ErrTooLarge or
// ErrMalformed. It does not verify the signature or the figures: use
// Verify.
func (c *Certificate) UnmarshalJSON(data []byte) error {
	if len(data) > MaxSize {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(data), MaxSize)
	}
	canon, err := jcs.Canonicalize(data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var p plain
	dec := json.NewDecoder(bytes.NewReader(canon))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	got := Certificate(p)
	if again := got.appendCanonical(nil, true); !bytes.Equal(again, canon) {
		return fmt.Errorf("%w: %s", ErrMalformed, firstDifference(canon, again))
	}
	*c = got
	return nil
}

// Parse reads a certificate's JSON form strictly (see UnmarshalJSON).
func Parse(data []byte) (*Certificate, error) {
	c := new(Certificate)
	if err := c.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return c, nil
}

// plain has Certificate's fields and JSON tags without its methods.
type plain Certificate

// firstDifference describes where a re-encoded document departs from the
// input (both canonical), for the error message.
func firstDifference(in, again []byte) string {
	i := 0
	for i < len(in) && i < len(again) && in[i] == again[i] {
		i++
	}
	from := max(i-24, 0)
	to := min(i+24, len(in))
	return "a member or value is not in the form this package writes (unknown member, empty optional member, non-canonical number or quantity), near " + strconv.Quote(string(in[from:to]))
}

// appendCanonical appends the RFC 8785 form of c. Members are written in
// sorted order by hand (all names are ASCII, so UTF-16 order is byte
// order); TestCanonicalMatchesGeneric proves the output identical to
// jcs.Canonicalize of encoding/json's output.
func (c *Certificate) appendCanonical(b []byte, withSig bool) []byte {
	b = append(b, '{')
	if c.Beneficiary != "" {
		b = append(b, `"beneficiary":`...)
		b = jcs.AppendString(b, c.Beneficiary)
		b = append(b, ',')
	}
	b = append(b, `"footprint":`...)
	b = c.Footprint.appendCanonical(b)
	b = append(b, `,"id":`...)
	b = jcs.AppendString(b, c.ID)
	b = append(b, `,"issuedAt":`...)
	b = appendTime(b, c.IssuedAt)
	b = append(b, `,"issuer":{"name":`...)
	b = jcs.AppendString(b, c.Issuer.Name)
	if c.Issuer.URL != "" {
		b = append(b, `,"url":`...)
		b = jcs.AppendString(b, c.Issuer.URL)
	}
	b = append(b, `},"offsets":[`...)
	for i := range c.Offsets {
		if i > 0 {
			b = append(b, ',')
		}
		b = c.Offsets[i].appendCanonical(b)
	}
	b = append(b, `],"product":{"manufacturer":`...)
	b = jcs.AppendString(b, c.Product.Manufacturer)
	b = append(b, `,"model":`...)
	b = jcs.AppendString(b, c.Product.Model)
	b = append(b, `,"serial":`...)
	b = jcs.AppendString(b, c.Product.Serial)
	b = append(b, `},"schema":`...)
	b = jcs.AppendString(b, c.Schema)
	if withSig && c.Signature != nil {
		b = append(b, `,"signature":{"alg":`...)
		b = jcs.AppendString(b, c.Signature.Alg)
		b = append(b, `,"kid":`...)
		b = jcs.AppendString(b, c.Signature.KeyID)
		b = append(b, `,"value":`...)
		b = jcs.AppendString(b, c.Signature.Value)
		b = append(b, '}')
	}
	if c.Tier != nil {
		b = append(b, `,"tier":{"amount":`...)
		b = appendCO2e(b, c.Tier.Amount)
		b = append(b, `,"name":`...)
		b = jcs.AppendString(b, c.Tier.Name)
		b = append(b, '}')
	}
	b = append(b, `,"totalOffset":`...)
	b = appendCO2e(b, c.TotalOffset)
	return append(b, '}')
}

func (s *Summary) appendCanonical(b []byte) []byte {
	b = append(b, `{"dataset":{"name":`...)
	b = jcs.AppendString(b, s.Dataset.Name)
	b = append(b, `,"version":`...)
	b = jcs.AppendString(b, s.Dataset.Version)
	b = append(b, `},"high":`...)
	b = appendCO2e(b, s.High)
	b = append(b, `,"inputDigest":`...)
	b = jcs.AppendString(b, s.InputDigest)
	b = append(b, `,"low":`...)
	b = appendCO2e(b, s.Low)
	b = append(b, `,"stages":[`...)
	for i, st := range s.Stages {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"stage":`...)
		b = jcs.AppendString(b, st.Stage)
		b = append(b, `,"total":`...)
		b = appendCO2e(b, st.Total)
		b = append(b, '}')
	}
	b = append(b, `],"total":`...)
	b = appendCO2e(b, s.Total)
	return append(b, '}')
}

func (l *Line) appendCanonical(b []byte) []byte {
	b = append(b, `{"amount":`...)
	b = appendCO2e(b, l.Amount)
	b = append(b, `,"country":`...)
	b = jcs.AppendString(b, l.Country)
	b = append(b, `,"credits":[`...)
	for i, cr := range l.Credits {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"grams":"`...)
		b = appendDecimal(b, cr.Grams)
		b = append(b, `","serial":`...)
		b = jcs.AppendString(b, cr.Serial)
		b = append(b, '}')
	}
	b = append(b, `],"project":`...)
	b = jcs.AppendString(b, l.Project)
	if l.ProjectName != "" {
		b = append(b, `,"projectName":`...)
		b = jcs.AppendString(b, l.ProjectName)
	}
	b = append(b, `,"standard":`...)
	b = jcs.AppendString(b, l.Standard)
	b = append(b, `,"type":`...)
	b = jcs.AppendString(b, l.Type)
	b = append(b, `,"vintage":`...)
	b = strconv.AppendInt(b, int64(l.Vintage), 10)
	return append(b, '}')
}

func appendJSONString(b []byte, s string) []byte { return jcs.AppendString(b, s) }

func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// sizeHint estimates the canonical size, to allocate once.
func (c *Certificate) sizeHint() int {
	n := 700 + len(c.Beneficiary) + len(c.ID) + len(c.Issuer.Name) + len(c.Issuer.URL) +
		len(c.Product.Manufacturer) + len(c.Product.Model) + len(c.Product.Serial) + len(c.Footprint.InputDigest) + 60*len(c.Footprint.Stages)
	for i := range c.Offsets {
		l := &c.Offsets[i]
		n += 150 + len(l.Project) + len(l.ProjectName) + len(l.Standard) + len(l.Type)
		for _, cr := range l.Credits {
			n += 40 + len(cr.Serial)
		}
	}
	return n
}

// UnmarshalJSON reads a credit: grams must be a JSON string holding a plain
// decimal of at most 48 characters (the form this package writes). The
// decimal package's own decoder would also take "1e30000000" or a
// million digits, whose re-encoding for the strictness check costs
// seconds; such a value is refused before it is parsed.
func (c *Credit) UnmarshalJSON(data []byte) error {
	var raw struct {
		Serial string          `json:"serial"`
		Grams  json.RawMessage `json:"grams"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	var s string
	if err := json.Unmarshal(raw.Grams, &s); err != nil {
		return fmt.Errorf("credits: grams must be a decimal in a JSON string, got %.64s", raw.Grams)
	}
	g, err := dec.Parse(s)
	if err != nil {
		return fmt.Errorf("credits: grams %.64q: %v", s, err)
	}
	*c = Credit{Serial: raw.Serial, Grams: g}
	return nil
}
