package footprint

// Locating a bad value in a product specification's JSON. encoding/json
// reports the errors of a type's own UnmarshalJSON (a quantity, a decimal)
// without saying where in the document the value was; checkJSON walks the
// document alongside the Go types and reports the first bad value with its
// path ("shipping.legs[1].distance"). It also holds every decimal member
// to this library's rule for decimals in JSON: a string holding a plain
// decimal (no exponent, no bare JSON number), which the decimal package's
// own decoder does not enforce.

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

	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

var (
	typeDecimal       = reflect.TypeFor[decimal.Decimal]()
	typeUnmarshaler   = reflect.TypeFor[json.Unmarshaler]()
	typeTextUnmarshal = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// checkJSON returns the first bad value of the JSON value raw, decoded as a
// t, as a *FieldError whose field is path and the value's path below it;
// nil when it finds none. Members the type does not have are skipped (the
// decoder reports them); so is malformed JSON.
func checkJSON(raw []byte, t reflect.Type, path string) error {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == typeDecimal {
		return checkDecimalJSON(raw, path)
	}
	own := reflect.PointerTo(t).Implements(typeUnmarshaler) || reflect.PointerTo(t).Implements(typeTextUnmarshal)
	switch {
	case t.Kind() == reflect.Struct && len(raw) > 0 && raw[0] == '{':
		members := objectMembers(raw)
		if members == nil {
			return nil
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" { // an embedded struct's members are the object's own
				if err := checkJSON(raw, f.Type, path); err != nil {
					return err
				}
				continue
			}
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			v, ok := members[name]
			if !ok {
				continue
			}
			if err := checkJSON(v, f.Type, joinPath(path, name)); err != nil {
				return err
			}
		}
		if own { // the type's own rules, beyond its members'
			if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
				return placeError(err, path, raw, false)
			}
		}
		return nil
	case own:
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			return placeError(err, path, raw, true)
		}
		return nil
	case t.Kind() == reflect.Slice && len(raw) > 0 && raw[0] == '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
		for i, v := range items {
			if err := checkJSON(v, t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		return nil
	case t.Kind() == reflect.Map && len(raw) > 0 && raw[0] == '{':
		members := objectMembers(raw)
		for _, k := range slices.Sorted(maps.Keys(members)) { // the first bad value, the same every time
			v := members[k]
			if err := checkJSON(v, t.Elem(), joinPath(path, k)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
		return fielderr.New(path, clip(string(raw)), "must be a JSON "+jsonKind(t.Kind().String()), ErrInvalidProduct)
	}
	return nil
}

// checkDecimalJSON holds a decimal member to the rule: a JSON string
// holding a plain decimal.
func checkDecimalJSON(raw []byte, path string) error {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return fielderr.New(path, clip(string(raw)), "must be a decimal in a JSON string, such as \"0.25\" (a bare JSON number is refused: it may not survive other JSON tools exactly)", ErrInvalidProduct)
	}
	if _, err := dec.Parse(s); err != nil {
		return fielderr.New(path, clip(s), "must be a plain decimal string: "+err.Error(), ErrInvalidProduct)
	}
	return nil
}

// placeError gives an error found at path its place: a leaf's error takes
// path as its field (a quantity names only its dimension); an object's own
// rule (a *FieldError naming a member) is prefixed with path.
func placeError(err error, path string, raw []byte, leaf bool) error {
	var fe *fielderr.Error
	if errors.As(err, &fe) {
		c := *fe
		if leaf {
			c.Field = path
		} else {
			c.Field = joinPath(path, fe.Field)
		}
		return &c
	}
	return fielderr.New(path, clip(string(raw)), err.Error(), ErrInvalidProduct)
}

// joinPath is join that also keeps path when name is empty.
func joinPath(path, name string) string {
	if name == "" {
		return path
	}
	return join(path, name)
}

// objectMembers returns the members of the JSON object raw (DecodeProductSpec
// has refused repeated members already), or nil when raw is malformed: the
// decoder reports it.
func objectMembers(raw []byte) map[string]json.RawMessage {
	var members map[string]json.RawMessage
	if json.Unmarshal(raw, &members) != nil {
		return nil
	}
	return members
}

// clip shortens a value for an error message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:30] + "…" + s[len(s)-30:]
	}
	return s
}

// decodeStrict decodes the JSON object b into v (a pointer to a struct's
// plain alias), refusing unknown members as DecodeProductSpec does: a
// type's own UnmarshalJSON does not inherit the outer decoder's setting.
func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return jsonError(err)
	}
	return nil
}

// memberPresent reports whether the JSON object b has a member named name
// (matched as encoding/json matches, without regard to case) that is not
// null.
func memberPresent(b []byte, name string) bool {
	var members map[string]json.RawMessage
	if json.Unmarshal(b, &members) != nil {
		return false
	}
	for k, v := range members {
		if strings.EqualFold(k, name) && string(bytes.TrimSpace(v)) != "null" {
			return true
		}
	}
	return false
}

// UnmarshalJSON decodes a use phase. A "lifetime" given as zero ("0 y") is
// refused, not read as the default: in JSON the default is an absent
// member. (In Go the zero Duration means the default, 5 years.) So is a
// yearlyEnergy, averagePower or hoursPerDay given as zero, which would
// otherwise read as absent.
func (u *Use) UnmarshalJSON(b []byte) error {
	type plain Use
	var p plain
	if err := decodeStrict(b, &p); err != nil {
		return err
	}
	if p.Lifetime.IsZero() && memberPresent(b, "lifetime") {
		return bad("lifetime", p.Lifetime.String(), "must be > 0 and at most 30 years (leave it out for the default, "+DefaultLifetime.String()+")")
	}
	// a zero energy model member would read as absent, and another model
	// would then be used without a word
	for _, m := range [...]struct {
		name, value string
		zero        bool
	}{
		{"yearlyEnergy", p.YearlyEnergy.String(), p.YearlyEnergy.IsZero()},
		{"averagePower", p.AveragePower.String(), p.AveragePower.IsZero()},
		{"hoursPerDay", p.HoursPerDay.String(), p.HoursPerDay.IsZero()},
	} {
		if m.zero && memberPresent(b, m.name) {
			return bad(m.name, m.value, "must be > 0 (a use phase with no energy is left out)")
		}
	}
	*u = Use(p)
	return nil
}

// UnmarshalJSON decodes a product specification. A "packagedMass" given
// as zero ("0 kg") is refused, not read as the default (the mass): in JSON
// the default is an absent member, as for a use phase's lifetime.
func (s *ProductSpec) UnmarshalJSON(b []byte) error {
	type plain ProductSpec
	var p plain
	if err := decodeStrict(b, &p); err != nil {
		return err
	}
	if err := zeroMassGiven(b, "packagedMass", p.PackagedMass, "the product's mass"); err != nil {
		return err
	}
	*s = ProductSpec(p)
	return nil
}

// UnmarshalJSON decodes a shipping leg. A "mass" given as zero is refused,
// not read as the default (the packaged mass), and so is a "distance"
// given as zero, not read as absent.
func (l *Leg) UnmarshalJSON(b []byte) error {
	type plain Leg
	var p plain
	if err := decodeStrict(b, &p); err != nil {
		return err
	}
	if err := zeroMassGiven(b, "mass", p.Mass, "the packaged mass"); err != nil {
		return err
	}
	if p.Distance.IsZero() && memberPresent(b, "distance") {
		return bad("distance", p.Distance.String(), "must be > 0 (leave it out and give both ends to have it computed)")
	}
	*l = Leg(p)
	return nil
}

// UnmarshalJSON decodes an end of life. A "mass" given as zero is refused,
// not read as the default (the product's mass).
func (e *EndOfLife) UnmarshalJSON(b []byte) error {
	type plain EndOfLife
	var p plain
	if err := decodeStrict(b, &p); err != nil {
		return err
	}
	if err := zeroMassGiven(b, "mass", p.Mass, "the product's mass"); err != nil {
		return err
	}
	*e = EndOfLife(p)
	return nil
}

// zeroMassGiven refuses a mass member that the object b gives as zero:
// in Go the zero Mass means the default, in JSON an absent member does.
func zeroMassGiven(b []byte, name string, m Mass, def string) error {
	if m.IsZero() && memberPresent(b, name) {
		return bad(name, m.String(), "must be > 0 (leave it out for the default, "+def+")")
	}
	return nil
}

// UnmarshalJSON decodes coordinates; both "lat" and "lon" are required (a
// missing one is an error, not 0°).
func (c *Coordinates) UnmarshalJSON(b []byte) error {
	type plain Coordinates
	var p plain
	if err := decodeStrict(b, &p); err != nil {
		return err
	}
	for _, m := range [2]string{"lat", "lon"} {
		if !memberPresent(b, m) {
			return bad(m, "", "is required (decimal degrees)")
		}
	}
	*c = Coordinates(p)
	return nil
}
