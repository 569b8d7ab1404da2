package footprint

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
)

// checkFields applies, by hand, the rules the validate tags of ProductSpec
// state, so that Calculate does not pay for reflection. Validate runs the
// tag rules through the shared validator too; tests check that both accept
// and refuse the same specs.
func (s *ProductSpec) checkFields() error {
	if err := required("manufacturer", s.Manufacturer, 200); err != nil {
		return err
	}
	if err := required("model", s.Model, 200); err != nil {
		return err
	}
	if err := textErr("sku", s.SKU, 200); err != nil {
		return err
	}
	if err := textErr("serial", s.Serial, 200); err != nil {
		return err
	}
	if s.Serial != "" && strings.TrimSpace(s.Serial) != s.Serial {
		return bad("serial", s.Serial, serialSpaceRule)
	}
	if strings.ContainsFunc(s.Serial, isFormat) {
		return bad("serial", s.Serial, serialFormatRule)
	}
	if s.Mass.IsZero() {
		return bad("mass", s.Mass.String(), "is required (must be > 0)")
	}
	if s.Mass.Sign() < 0 {
		return bad("mass", s.Mass.String(), "must be > 0")
	}
	if s.PackagedMass.Sign() < 0 {
		return bad("packagedMass", s.PackagedMass.String(), "must be ≥ 0")
	}
	if d := s.Manufacture.Declared; d != nil {
		if err := d.checkFields(); err != nil {
			return fielderr.Prefix("manufacture.declared", err)
		}
	}
	if b := s.Manufacture.BOM; b != nil {
		if err := b.checkFields(); err != nil {
			return fielderr.Prefix("manufacture.bom", err)
		}
	}
	if len(s.Shipping.Legs) > 100 {
		return bad("shipping.legs", strconv.Itoa(len(s.Shipping.Legs)), "must be ≤ 100")
	}
	for i := range s.Shipping.Legs {
		l := &s.Shipping.Legs[i]
		p := func(f string) string { return at("shipping.legs", i, f) }
		switch {
		case l.Mode == "":
			return bad(p("mode"), "", "is required")
		case l.Mass.Sign() < 0:
			return bad(p("mass"), l.Mass.String(), "must be ≥ 0")
		case l.Distance.Sign() < 0:
			return bad(p("distance"), l.Distance.String(), "must be ≥ 0")
		}
		if !textOK(l.Label, 200) { // the path is built only for the error
			return textErr(p("label"), l.Label, 200)
		}
	}
	if u := s.Use; u != nil {
		if err := u.checkFields(); err != nil {
			return fielderr.Prefix("use", err)
		}
	}
	if e := s.EndOfLife; e != nil {
		if e.Mass.Sign() < 0 {
			return bad("endOfLife.mass", e.Mass.String(), "must be ≥ 0")
		}
		if d := e.Declared; d != nil {
			if err := d.checkFields(); err != nil {
				return fielderr.Prefix("endOfLife.declared", err)
			}
		}
	}
	return nil
}

// at returns the path of field f of item i of a list: at("legs", 1,
// "mass") = "legs[1].mass". Paths are built only when an error is returned.
func at(list string, i int, f string) string {
	return list + "[" + strconv.Itoa(i) + "]." + f
}

func required(field, v string, max int) error {
	if strings.TrimSpace(v) == "" {
		return bad(field, v, "is required (more than spaces)")
	}
	return textErr(field, v, max)
}

// serialSpaceRule is the rule a serial with white space at either end
// breaks.
const serialSpaceRule = `must not start or end with white space ("PF-1 " and "PF-1" would name two units)`

// serialFormatRule is the rule a serial with an invisible format
// character breaks.
const serialFormatRule = "must not contain invisible format characters (zero-width spaces, bidi overrides: \"PF-1\u200b\" would print as \"PF-1\" and name another unit)"

// isFormat reports whether r is a format character (Unicode category Cf).
func isFormat(r rune) bool { return unicode.Is(unicode.Cf, r) }

// textErr checks a text field: at most max characters (runes), as the
// validator's max tag counts, valid UTF-8 and no control characters (C0,
// DEL, C1, tabs and line breaks too: the text is printed in tables and
// terminals, where an escape sequence would act and a tab would break
// the columns).
func textErr(field, v string, max int) error {
	if rule := textRule(v, max); rule != "" {
		return bad(field, v, rule)
	}
	return nil
}

// textOK reports whether textErr accepts v, without building the error
// (callers build the field's path only for the error).
func textOK(v string, max int) bool { return textRule(v, max) == "" }

// textRule returns the rule of textErr that v breaks, or "".
func textRule(v string, max int) string {
	if len(v) > max && utf8.RuneCountInString(v) > max {
		return "must be ≤ " + strconv.Itoa(max)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c == 0x7f {
			return "must not contain control characters"
		}
		if c >= 0x80 { // the rest rune by rune
			for _, r := range v[i:] {
				if r == utf8.RuneError && !utf8.ValidString(v) {
					return "must be valid UTF-8"
				}
				if unicode.IsControl(r) {
					return "must not contain control characters"
				}
			}
			break
		}
	}
	return ""
}

func (d *DeclaredFigure) checkFields() error {
	if d.Amount.Sign() < 0 {
		return bad("amount", d.Amount.String(), "must be ≥ 0")
	}
	return required("source", d.Source, 500)
}

func (b *BillOfMaterials) checkFields() error {
	switch {
	case len(b.Components) == 0:
		return bad("components", "", "is required")
	case len(b.Components) > 1000:
		return bad("components", strconv.Itoa(len(b.Components)), "must be ≤ 1000")
	case len(b.Packaging) > 100:
		return bad("packaging", strconv.Itoa(len(b.Packaging)), "must be ≤ 100")
	}
	for i := range b.Components {
		c := &b.Components[i]
		p := func(f string) string { return at("components", i, f) }
		if !textOK(c.Kind, 128) { // the path is built only for the error
			return textErr(p("kind"), c.Kind, 128)
		}
		if !textOK(c.Material, 128) { // the path is built only for the error
			return textErr(p("material"), c.Material, 128)
		}
		if !textOK(c.Name, 200) { // the path is built only for the error
			return textErr(p("name"), c.Name, 200)
		}
		if c.Quantity.Sign() <= 0 {
			return bad(p("quantity"), c.Quantity.String(), "must be > 0")
		}
		if c.Mass.Sign() < 0 {
			return bad(p("mass"), c.Mass.String(), "must be ≥ 0")
		}
		if len(c.Attributes) > 32 {
			return bad(p("attributes"), strconv.Itoa(len(c.Attributes)), "must be ≤ 32")
		}
	}
	for i, m := range b.Packaging {
		p := func(f string) string { return at("packaging", i, f) }
		if m.Material == "" {
			return bad(p("material"), "", "is required")
		}
		if !textOK(m.Material, 128) { // the path is built only for the error
			return textErr(p("material"), m.Material, 128)
		}
		if m.Mass.Sign() <= 0 {
			return bad(p("mass"), m.Mass.String(), "must be > 0")
		}
	}
	return nil
}

var twentyFour = numInt(24)

func (u *Use) checkFields() error {
	switch {
	case u.YearlyEnergy.Sign() < 0:
		return bad("yearlyEnergy", u.YearlyEnergy.String(), "must be ≥ 0")
	case len(u.Modes) > 16:
		return bad("modes", strconv.Itoa(len(u.Modes)), "must be ≤ 16")
	case u.AveragePower.Sign() < 0:
		return bad("averagePower", u.AveragePower.String(), "must be ≥ 0")
	case u.HoursPerDay.Sign() < 0:
		return bad("hoursPerDay", u.HoursPerDay.String(), "must be ≥ 0")
	case numOf(u.HoursPerDay).cmp(twentyFour) > 0:
		return bad("hoursPerDay", u.HoursPerDay.String(), "must be ≤ 24")
	}
	for i, m := range u.Modes {
		p := func(f string) string { return at("modes", i, f) }
		if strings.TrimSpace(m.Name) == "" {
			return bad(p("name"), m.Name, "is required (more than spaces)")
		}
		if !textOK(m.Name, 64) { // the path is built only for the error
			return textErr(p("name"), m.Name, 64)
		}
		switch {
		case m.Power.Sign() < 0:
			return bad(p("power"), m.Power.String(), "must be ≥ 0")
		case m.Share.Sign() < 0:
			return bad(p("share"), m.Share.String(), "must be ≥ 0")
		case numOf(m.Share).cmp(numInt(1)) > 0:
			return bad(p("share"), m.Share.String(), "must be ≤ 1")
		}
	}
	if g := u.Grid; g != nil {
		if g.KgPerKWh.Sign() <= 0 {
			return bad("grid.kgPerKWh", g.KgPerKWh.String(), "must be > 0")
		}
		if err := required("grid.source", g.Source, 500); err != nil {
			return err
		}
	}
	if t := u.Trajectory; t != nil {
		switch {
		case len(t.KgPerKWh) > 30:
			return bad("trajectory.kgPerKWh", strconv.Itoa(len(t.KgPerKWh)), "must be ≤ 30")
		case t.YearlyDecline.Sign() < 0:
			return bad("trajectory.yearlyDecline", t.YearlyDecline.String(), "must be ≥ 0")
		}
		if err := textErr("trajectory.source", t.Source, 500); err != nil {
			return err
		}
	}
	return nil
}
