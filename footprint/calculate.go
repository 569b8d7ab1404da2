package footprint

import (
	"errors"
	"strconv"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

// Calculate computes the footprint of one product with the factors of ds
// (nil means DefaultDataset(); passing DefaultDataset() explicitly gives a
// byte-identical result).
//
// The stages:
//   - manufacture: the declared figure, or each bill-of-materials component
//     (per item, per kg, or linear in an attribute), packaging materials by
//     mass, and assembly;
//   - transport: each leg's mass × distance (tkm) times the mode's freight
//     factor; WTW legs have a TTW line and a WTT line; air legs use the
//     factors with or without radiative forcing as the spec says;
//   - use: the yearly energy times the years of use times the grid
//     intensity, one line per year when a trajectory is given (a partial
//     final year counts its fraction of the yearly energy);
//   - end of life: per kg of mass or a declared figure.
//
// Everything is computed exactly (no rounding; the one exception is a
// quotient that does not terminate, such as a memory die area of
// capacity ÷ density or a partial year, rounded half-even at 30 decimal
// places). Errors: bad input is a *FieldError naming the field and wrapping
// ErrInvalidProduct; a factor the dataset lacks wraps ErrFactorNotFound; a
// factor of an unusable basis wraps ErrWrongDimension. Calculate is safe for
// concurrent use.
func Calculate(spec ProductSpec, ds *Dataset) (Footprint, error) {
	if ds == nil {
		ds = DefaultDataset()
	}
	var n ProductSpec
	if err := spec.normalize(&n); err != nil {
		return Footprint{}, err
	}
	c := calc{ds: ds, spec: &n}
	c.lines = make([]Line, 0, c.estimateLines())
	var bounds [5]int
	steps := [4]func() error{c.manufacture, c.transport, c.use, c.endOfLife}
	for i, step := range steps {
		if err := step(); err != nil {
			return Footprint{}, err
		}
		bounds[i+1] = len(c.lines)
	}
	dsName, dsVersion := ds.Name(), ds.Version()
	digest := n.digest(dsName, dsVersion)
	fp := Footprint{
		Manufacturer: n.Manufacturer,
		Model:        n.Model,
		SKU:          n.SKU,
		Serial:       n.Serial,
		Mass:         n.Mass,
		PackagedMass: n.PackagedMass,
		Stages:       make([]Stage, 4),
		Method: Method{
			Boundary:         n.Shipping.Boundary,
			RadiativeForcing: n.Shipping.RadiativeForcing,
			Uncertainty:      "interval",
		},
		Dataset:         DatasetLayer{Name: dsName, Version: dsVersion},
		InputDigest:     digest,
		RecyclingCredit: c.credit,
	}
	if n.Use != nil {
		fp.Method.Lifetime = n.Use.Lifetime
		fp.Method.Country = n.Use.Country
		fp.Method.Grid = c.grid
	}
	var total fig
	for i, name := range [4]StageName{StageManufacture, StageTransport, StageUse, StageEndOfLife} {
		s := c.sums[i]
		total.addTo(s)
		st := Stage{Name: name, Lines: c.lines[bounds[i]:bounds[i+1]:bounds[i+1]]}
		st.CO2e, st.Low, st.High = s.co2e()
		fp.Stages[i] = st
	}
	fp.CO2e, fp.Low, fp.High = total.co2e()
	return fp, nil
}

// fig is an exact figure with its range. When ranged is false the range
// is the value itself (lo and hi are unused).
type fig struct {
	v, lo, hi num
	ranged    bool
}

func point(v num) fig { return fig{v: v} }

func (f fig) low() num {
	if f.ranged {
		return f.lo
	}
	return f.v
}

func (f fig) high() num {
	if f.ranged {
		return f.hi
	}
	return f.v
}

// co2e converts a figure, sharing one decimal between equal values.
func (f fig) co2e() (v, lo, hi CO2e) {
	v = CO2e{f.v.dec()}
	lo, hi = v, v
	if !f.ranged {
		return v, lo, hi
	}
	if f.lo.cmp(f.v) != 0 {
		lo = CO2e{f.lo.dec()}
	}
	if f.hi.cmp(f.v) != 0 {
		hi = CO2e{f.hi.dec()}
	}
	return v, lo, hi
}

// ordered returns the figure with lo ≤ v ≤ hi: a bound on the wrong side of
// the value (possible for a negative activity or factor) is swapped or
// widened to the value.
func (f fig) ordered() fig {
	if !f.ranged {
		return f
	}
	lo, hi := f.lo, f.hi
	if lo.cmp(hi) > 0 {
		lo, hi = hi, lo
	}
	if lo.cmp(f.v) > 0 {
		lo = f.v
	}
	if hi.cmp(f.v) < 0 {
		hi = f.v
	}
	return fig{f.v, lo, hi, true}
}

func (f fig) scale(k num) fig {
	if !f.ranged {
		return point(f.v.mul(k))
	}
	return fig{f.v.mul(k), f.lo.mul(k), f.hi.mul(k), true}.ordered()
}

func (f *fig) addTo(g fig) {
	f.v, f.lo, f.hi, f.ranged = f.v.add(g.v), f.lo.add(g.low()), f.hi.add(g.high()), true
}

type calc struct {
	ds     *Dataset
	spec   *ProductSpec
	lines  []Line
	stage  int
	sums   [4]fig
	credit *Line
	grid   string
}

func (c *calc) estimateLines() int {
	n := 2
	if b := c.spec.Manufacture.BOM; b != nil {
		n += len(b.Components) + len(b.Packaging) + 1
	}
	n += 2 * len(c.spec.Shipping.Legs)
	if u := c.spec.Use; u != nil {
		n += u.years()
	}
	return n
}

// add appends a line to the current stage.
func (c *calc) add(label string, act Activity, ref FactorRef, f fig) {
	f = f.ordered()
	v, lo, hi := f.co2e()
	c.lines = append(c.lines, Line{Label: label, Activity: act, Factor: ref, CO2e: v, Low: lo, High: hi})
	c.sums[c.stage].addTo(f)
}

var decOne = decimal.NewFromInt(1)

// factorFig returns a factor's amount with its low and high values.
func factorFig(f *Factor) fig {
	return uncertainFig(numOf(f.Amount), f.Uncertainty)
}

// uncertainFig applies an uncertainty to an amount: ± Relative × amount, or
// the Low and High values.
func uncertainFig(a num, u Uncertainty) fig {
	switch {
	case !u.Relative.IsZero():
		d := a.mul(numOf(u.Relative))
		if d.sign() < 0 {
			d = d.negate()
		}
		return fig{a, a.sub(d), a.add(d), true}
	case !u.Low.IsZero() || !u.High.IsZero():
		return fig{a, numOf(u.Low), numOf(u.High), true}
	}
	return point(a)
}

func refOf(r *Resolved) FactorRef {
	f := &r.Factor
	return FactorRef{
		ID: f.ID, Measure: f.Measure, Region: f.Region, Basis: f.Basis,
		Amount: f.Amount, Intercept: f.Intercept, Attribute: f.Attribute, Divisor: f.Divisor,
		Boundary: f.Boundary, RF: f.RadiativeForcing, GWP: f.GWP, Source: f.Source,
		RequestedRegion: r.RequestedRegion, Fallback: r.Fallback, FallbackPath: r.FallbackPath,
		Layer: r.Layer,
	}
}

// declaredRef describes a caller-supplied figure as a factor per item.
func declaredRef(measure, source string, amount decimal.Decimal) FactorRef {
	return FactorRef{ID: measure, Measure: measure, Basis: PerItem, Amount: amount, Source: Source{Title: source, Publisher: "declared in the product specification"}}
}

// lookupErr re-labels a lookup failure with the spec field that caused it.
func lookupErr(field string, err error) error {
	var fe *fielderr.Error
	if errors.As(err, &fe) {
		c := *fe
		c.Field = field
		if c.Value == "" {
			c.Value = fe.Value
		}
		return &c
	}
	return err
}

func (c *calc) manufacture() error {
	c.stage = 0
	m := c.spec.Manufacture
	if d := m.Declared; d != nil {
		f := uncertainFig(numOf(d.Amount.v), d.Uncertainty)
		c.add("declared", Items(decOne), declaredRef("declared.manufacture", d.Source, d.Amount.v), f)
		return nil
	}
	b := m.BOM
	for i := range b.Components {
		if err := c.component(i, &b.Components[i], b.Region); err != nil {
			return fielderr.Prefix("manufacture.bom.components["+strconv.Itoa(i)+"]", err)
		}
	}
	for i, p := range b.Packaging {
		r, err := c.ds.Lookup(Query{Measure: materialMeasure(p.Material), Region: b.Region})
		if err != nil {
			return lookupErr("manufacture.bom.packaging["+strconv.Itoa(i)+"].material", err)
		}
		if r.Factor.Basis != PerKg || r.Factor.IsLinear() {
			return fielderr.New("manufacture.bom.packaging["+strconv.Itoa(i)+"].material", p.Material, "factor "+r.Factor.ID+" is per "+string(r.Factor.Basis)+"; packaging needs a factor per kg", ErrWrongDimension)
		}
		f := factorFig(&r.Factor).scale(numOf(p.Mass.v))
		c.add(p.Material, p.Mass.Activity(), refOf(&r), f)
		c.lines[len(c.lines)-1].Packaging = true
	}
	if b.Assembly {
		r, err := c.ds.Lookup(Query{Measure: "component.assembly", Region: b.Region})
		if err != nil {
			return lookupErr("manufacture.bom.assembly", err)
		}
		if r.Factor.Basis != PerItem || r.Factor.IsLinear() {
			return fielderr.New("manufacture.bom.assembly", "true", "factor "+r.Factor.ID+" is per "+string(r.Factor.Basis)+"; assembly needs a factor per item", ErrWrongDimension)
		}
		c.add("assembly", Items(decOne), refOf(&r), factorFig(&r.Factor))
	}
	return nil
}

func (c *calc) component(i int, comp *Component, region string) error {
	field := "kind"
	value := comp.Kind
	if comp.Material != "" {
		field, value = "material", comp.Material
	}
	r, err := c.ds.Lookup(Query{Measure: comp.measure(), Region: region})
	if err != nil {
		return lookupErr(field, err)
	}
	f := &r.Factor
	label := comp.Name
	if label == "" {
		label = value
	}
	q := numOf(comp.Quantity)
	switch {
	case f.IsLinear():
		x, err := attr(comp, f.Attribute, f)
		if err != nil {
			return err
		}
		if f.Divisor != "" {
			d, err := attr(comp, f.Divisor, f)
			if err != nil {
				return err
			}
			if d.sign() <= 0 {
				return bad("attributes."+f.Divisor, comp.Attributes[f.Divisor], "must be > 0 (divisor of factor "+f.ID+")")
			}
			x = x.div(d)
		}
		icpt := numOf(f.Intercept)
		per := numOf(f.Amount).mul(x).add(icpt)
		var pf fig
		u := f.Uncertainty
		switch {
		case !u.Relative.IsZero():
			pf = uncertainFig(per, u)
		case !u.Low.IsZero() || !u.High.IsZero():
			pf = fig{per, numOf(u.Low).mul(x).add(icpt), numOf(u.High).mul(x).add(icpt), true}
		default:
			pf = point(per)
		}
		c.add(label, Items(comp.Quantity), refOf(&r), pf.scale(q))
	case f.Basis == PerKg:
		if comp.Mass.IsZero() {
			return bad("mass", "", "is required: factor "+f.ID+" is per kg of "+value)
		}
		act := comp.Mass.Activity()
		m := numOf(comp.Mass.v)
		if q.cmp(numInt(1)) != 0 {
			m = m.mul(q)
			act = Activity{Amount: m.dec(), Basis: PerKg}
		}
		c.add(label, act, refOf(&r), factorFig(f).scale(m))
	case f.Basis == PerItem:
		c.add(label, Items(comp.Quantity), refOf(&r), factorFig(f).scale(q))
	default:
		return fielderr.New(field, value, "factor "+f.ID+" is per "+string(f.Basis)+" without an attribute; a component needs a factor per item, per kg, or linear in an attribute", ErrWrongDimension)
	}
	return nil
}

// attr reads a component attribute a factor needs; a missing one is an
// error naming it, never a zero.
func attr(comp *Component, name string, f *Factor) (num, error) {
	s, ok := comp.Attributes[name]
	if !ok {
		return num{}, bad("attributes."+name, "", "is required by factor "+f.ID+" (in "+string(f.Basis)+")")
	}
	n, err := parseNum(s)
	if err != nil {
		return num{}, bad("attributes."+name, s, "must be a plain decimal string")
	}
	return n, nil
}

func (c *calc) transport() error {
	c.stage = 1
	sh := &c.spec.Shipping
	for i := range sh.Legs {
		if err := c.leg(&sh.Legs[i], sh); err != nil {
			return fielderr.Prefix("shipping.legs["+strconv.Itoa(i)+"]", err)
		}
	}
	return nil
}

func (c *calc) leg(l *Leg, sh *Shipping) error {
	dist := l.Distance
	if dist.IsZero() {
		gcd, err := GreatCircle(*l.From, *l.To)
		if err != nil {
			return reSentinel(err)
		}
		dist = l.Mode.AdjustedDistance(gcd)
	}
	tkm := numOf(l.Mass.v).mul(numOf(dist.v))
	tkm.exp -= 6 // kg × m = 10⁻⁶ t·km
	if tkm.bd != nil {
		tkm = numOf(tkm.bd.Shift(-6))
	}
	act := Activity{Amount: tkm.dec(), Basis: PerTonneKm}
	label := l.Label
	if label == "" {
		label = string(l.Mode)
	}
	var rf RadiativeForcing
	if l.Mode.IsAir() {
		rf = sh.RadiativeForcing
	}
	q := Query{Measure: l.Mode.Measure(), Region: l.Region, Boundary: TTW, RadiativeForcing: rf}
	ttw, err := c.ds.Lookup(q)
	if err != nil {
		if sh.Boundary == WTW {
			// a dataset may publish WTW rows instead of TTW + WTT
			q.Boundary = WTW
			if wtw, err2 := c.ds.Lookup(q); err2 == nil {
				return c.freightLine(label, act, tkm, &wtw)
			}
		}
		return lookupErr("mode", err)
	}
	if err := c.freightLine(label, act, tkm, &ttw); err != nil {
		return err
	}
	if sh.Boundary == TTW {
		return nil
	}
	q.Boundary = WTT
	wtt, err := c.ds.Lookup(q)
	if err != nil && rf != "" {
		// upstream fuel factors do not depend on radiative forcing; a
		// dataset may publish them without the choice
		q.RadiativeForcing = ""
		wtt, err = c.ds.Lookup(q)
	}
	if err != nil {
		return lookupErr("mode", err)
	}
	return c.freightLine(label, act, tkm, &wtt)
}

func (c *calc) freightLine(label string, act Activity, tkm num, r *Resolved) error {
	if r.Factor.Basis != PerTonneKm || r.Factor.IsLinear() {
		return fielderr.New("mode", r.Factor.Measure, "factor "+r.Factor.ID+" is per "+string(r.Factor.Basis)+"; freight needs a factor per tkm", ErrWrongDimension)
	}
	c.add(label, act, refOf(r), factorFig(&r.Factor).scale(tkm))
	return nil
}

// yearLabels are the labels of use-phase lines, one per year.
var yearLabels = func() (t [31]string) {
	for i := range t {
		t[i] = "year " + strconv.Itoa(i)
	}
	return t
}()

// yearlyKWh returns the use phase's energy per year in kWh.
func (u *Use) yearlyKWh() num {
	switch {
	case len(u.Modes) > 0:
		// E_TEC = 8760/1000 × Σ P × share  (ENERGY STAR)
		var s num
		for _, m := range u.Modes {
			s = s.add(numOf(m.Power.v).mul(numOf(m.Share)))
		}
		return s.mul(numE(876, -2))
	case !u.AveragePower.IsZero():
		// P × hours per day × 365 / 1000
		return numOf(u.AveragePower.v).mul(numOf(u.HoursPerDay)).mul(numE(365, -3))
	}
	return kwhOf(u.YearlyEnergy)
}

// kwhOf returns an energy in kWh: J ÷ 3.6e6 = (c ÷ 9) × 25 × 10^(exp−7),
// exact whenever 9 divides the coefficient (always, for an energy given in
// Wh or kWh); otherwise through Energy.KWh.
func kwhOf(e Energy) num {
	v := numOf(e.v)
	if q, ok := v.divSmall(9); ok {
		q = q.mul(numInt(25))
		q.exp -= 7
		return q
	}
	return numTrim(e.KWh())
}

func (c *calc) use() error {
	c.stage = 2
	u := c.spec.Use
	if u == nil {
		return nil
	}
	yearly := u.yearlyKWh()
	full, rem := u.split()
	var frac num
	if !rem.isZero() {
		frac = rem.div(numInt(8760))
	}
	t := u.Trajectory
	if t != nil && len(t.KgPerKWh) > 0 {
		c.grid = "trajectory"
		yearAct := Activity{Amount: yearly.dec(), Basis: PerKWh}
		for k, ki := range t.KgPerKWh {
			e, act := yearly, yearAct
			if k == full {
				e = yearly.mul(frac)
				act = Activity{Amount: e.dec(), Basis: PerKWh}
			}
			a := numOf(ki)
			ref := declaredRef("trajectory", t.Source, ki)
			ref.Measure, ref.Basis, ref.Region = "electricity.grid", PerKWh, u.Country
			c.add(yearLabels[k+1], act, ref, point(a).scale(e))
		}
		return nil
	}
	var base fig
	var ref FactorRef
	if g := u.Grid; g != nil {
		c.grid = "explicit"
		base = uncertainFig(numOf(g.KgPerKWh), g.Uncertainty)
		ref = declaredRef("grid.explicit", g.Source, g.KgPerKWh)
		ref.Measure, ref.Basis, ref.Region = "electricity.grid", PerKWh, u.Country
	} else {
		c.grid = "dataset"
		r, err := c.ds.Lookup(Query{Measure: "electricity.grid", Region: u.Country})
		if err != nil {
			return lookupErr("use.country", err)
		}
		if r.Factor.Basis != PerKWh || r.Factor.IsLinear() {
			return fielderr.New("use.country", u.Country, "factor "+r.Factor.ID+" is per "+string(r.Factor.Basis)+"; the use phase needs a factor per kWh", ErrWrongDimension)
		}
		base = factorFig(&r.Factor)
		ref = refOf(&r)
	}
	if t == nil {
		years := numInt(int64(full)).add(frac)
		e := yearly.mul(years)
		c.add("electricity", Activity{Amount: e.dec(), Basis: PerKWh}, ref, base.scale(e))
		return nil
	}
	c.grid = "decline"
	keep := numInt(1).sub(numOf(t.YearlyDecline))
	yearAct := Activity{Amount: yearly.dec(), Basis: PerKWh}
	scale := numInt(1)
	n := u.years()
	for k := 0; k < n; k++ {
		e, act := yearly, yearAct
		if k == full {
			e = yearly.mul(frac)
			act = Activity{Amount: e.dec(), Basis: PerKWh}
		}
		r := ref
		if k > 0 {
			scale = scale.mul(keep)
			r.Scale = scale.dec()
		}
		c.add(yearLabels[k+1], act, r, base.scale(scale).scale(e))
	}
	return nil
}

func (c *calc) endOfLife() error {
	c.stage = 3
	e := c.spec.EndOfLife
	if e == nil {
		return nil
	}
	if d := e.Declared; d != nil {
		c.add("declared", Items(decOne), declaredRef("declared.end-of-life", d.Source, d.Amount.v), uncertainFig(numOf(d.Amount.v), d.Uncertainty))
	} else {
		m := e.Mass
		if m.IsZero() {
			m = c.spec.Mass
		}
		r, err := c.ds.Lookup(Query{Measure: "eol.weee", Region: e.Region})
		if err != nil {
			return lookupErr("endOfLife.perKg", err)
		}
		if r.Factor.Basis != PerKg || r.Factor.IsLinear() {
			return fielderr.New("endOfLife.perKg", "true", "factor "+r.Factor.ID+" is per "+string(r.Factor.Basis)+"; end of life needs a factor per kg", ErrWrongDimension)
		}
		c.add("e-waste treatment", m.Activity(), refOf(&r), factorFig(&r.Factor).scale(numOf(m.v)))
	}
	if e.RecyclingCredit {
		m := e.Mass
		if m.IsZero() {
			m = c.spec.Mass
		}
		r, err := c.ds.Lookup(Query{Measure: "eol.recycling-credit", Region: e.Region})
		if err != nil {
			return lookupErr("endOfLife.recyclingCredit", err)
		}
		if r.Factor.Basis != PerKg || r.Factor.IsLinear() {
			return fielderr.New("endOfLife.recyclingCredit", "true", "factor "+r.Factor.ID+" is per "+string(r.Factor.Basis)+"; a recycling credit needs a factor per kg", ErrWrongDimension)
		}
		f := factorFig(&r.Factor).scale(numOf(m.v)).ordered()
		v, lo, hi := f.co2e()
		c.credit = &Line{Label: "recycling credit (not in total)", Activity: m.Activity(), Factor: refOf(&r), CO2e: v, Low: lo, High: hi}
	}
	return nil
}
