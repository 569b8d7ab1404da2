package footprint

import (
	"errors"
	"strconv"
	"strings"

	"github.com/lifecarbon/lifecarbon/internal/dec"
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
// capacity ÷ density or a partial year, rounded half away from zero at 30
// decimal places). Errors: bad input is a *FieldError naming the field and
// wrapping ErrInvalidProduct; a factor the dataset lacks wraps
// ErrFactorNotFound; a factor of an unusable basis wraps ErrWrongDimension.
// Calculate is safe for concurrent use.
func Calculate(spec ProductSpec, ds *Dataset) (Footprint, error) {
	return calculate(spec, ds, true)
}

// calculate is Calculate; without digest it leaves InputDigest empty (for
// the benchmark that measures what the rest costs).
func calculate(spec ProductSpec, ds *Dataset, digest bool) (Footprint, error) {
	if ds == nil {
		ds = DefaultDataset()
	}
	var c calc
	c.ds = ds
	var n ProductSpec
	var sc attrScratch // the components' attributes, read once
	if err := spec.normalizeView(&n, &sc); err != nil {
		return Footprint{}, err
	}
	lines := estimateLines(&n)
	c.lines = make([]Line, lines)
	// a decimal per line, one per component (a linear line's attribute),
	// and a few for activities, scales and totals
	c.ar.reserve(lines + len(n.Shipping.Legs) + components(&n) + 16)
	var bounds [5]int
	for i := range 4 {
		var err error
		switch i {
		case 0:
			err = c.manufacture(&n, &sc)
		case 1:
			err = c.transport(&n)
		case 2:
			err = c.use(&n)
		default:
			err = c.endOfLife(&n)
		}
		if err != nil {
			return Footprint{}, err
		}
		bounds[i+1] = c.nl
	}
	dsName, dsVersion := ds.Name(), ds.Version()
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
		RecyclingCredit: c.credit,
	}
	if digest {
		fp.InputDigest = n.digest(dsName, dsVersion, &sc)
	}
	if n.Use != nil {
		fp.Method.Lifetime = n.Use.lifetime()
		fp.Method.Country = n.Use.Country
		fp.Method.Grid = c.grid
	}
	var total sum
	for i, name := range [4]StageName{StageManufacture, StageTransport, StageUse, StageEndOfLife} {
		s := &c.sums[i]
		total.addSum(s)
		st := &fp.Stages[i]
		st.Name = name
		st.Lines = c.lines[bounds[i]:bounds[i+1]:bounds[i+1]]
		var sf fig
		s.fig(&sf)
		st.CO2e, st.Low, st.High = c.co2e(&sf)
		c.noteLong(stageFields[i], "subtotal")
	}
	var tf fig
	total.fig(&tf)
	fp.CO2e, fp.Low, fp.High = c.co2e(&tf)
	c.noteLong("", "total")
	if c.long {
		return Footprint{}, c.longErr()
	}
	return fp, nil
}

// fig is an exact figure with its range. When ranged is false the range
// is the value itself (lo and hi are unused).
type fig struct {
	v, lo, hi num
	ranged    bool
}

func point(v num) fig { return fig{v: v} }

// co2e converts a figure, sharing one decimal between equal values. A
// figure too long to be read back (see dec.MaxFigureLen) is noted in
// c.long.
func (c *calc) co2e(f *fig) (v, lo, hi CO2e) {
	if !f.v.fitsFigure() || (f.ranged && (!f.lo.fitsFigure() || !f.hi.fitsFigure())) {
		c.long = true
	}
	v = CO2e{c.ar.dec(f.v)}
	lo, hi = v, v
	if !f.ranged {
		return v, lo, hi
	}
	if f.lo != f.v && f.lo.cmp(f.v) != 0 {
		lo = CO2e{c.ar.dec(f.lo)}
	}
	if f.hi != f.v && f.hi.cmp(f.v) != 0 {
		hi = CO2e{c.ar.dec(f.hi)}
	}
	return v, lo, hi
}

// order makes lo ≤ v ≤ hi: a bound on the wrong side of the value
// (possible for a negative activity or factor) is swapped or widened to
// the value. (Figures are handled through pointers: a fig is too large to
// copy cheaply.)
func (f *fig) order() {
	if !f.ranged {
		return
	}
	if f.lo.cmp(f.hi) > 0 {
		f.lo, f.hi = f.hi, f.lo
	}
	if f.lo.cmp(f.v) > 0 {
		f.lo = f.v
	}
	if f.hi.cmp(f.v) < 0 {
		f.hi = f.v
	}
}

// scale multiplies the figure by k.
func (f *fig) scale(k num) {
	f.v = f.v.mul(k)
	if f.ranged {
		f.lo, f.hi = f.lo.mul(k), f.hi.mul(k)
		f.order()
	}
}

// scaled returns f × k.
func (f *fig) scaled(k num) fig {
	g := *f
	g.scale(k)
	return g
}

// sum adds up figures: their values, and the amounts by which their low and
// high bounds differ from the values (zero for a figure without a range), so
// that a figure without a range costs one addition. The sum's low bound is
// v + dlo and its high bound v + dhi, exactly the sums of the bounds.
type sum struct {
	v, dlo, dhi num
}

func (s *sum) add(f *fig) {
	s.v = s.v.add(f.v)
	if f.ranged {
		s.dlo = s.dlo.add(f.lo.sub(f.v))
		s.dhi = s.dhi.add(f.hi.sub(f.v))
	}
}

func (s *sum) addSum(t *sum) {
	s.v, s.dlo, s.dhi = s.v.add(t.v), s.dlo.add(t.dlo), s.dhi.add(t.dhi)
}

// fig sets f to the sum as a figure with its range.
func (s *sum) fig(f *fig) {
	f.v, f.lo, f.hi, f.ranged = s.v, s.v.add(s.dlo), s.v.add(s.dhi), true
}

// calc is the state of one Calculate call. It lives on the caller's stack;
// the lines and the decimals of the result are allocated in blocks.
type calc struct {
	ds     *Dataset
	lines  []Line // lines[:nl] are in use; the rest are zero
	nl     int
	ar     decArena
	stage  int
	sums   [4]sum
	credit *Line
	grid   string
	// long is set when a figure is longer than dec.MaxFigureLen;
	// longField and longLabel say where it was first seen.
	long                 bool
	longField, longLabel string
}

// stageFields are the spec's fields behind each stage, for errors.
var stageFields = [4]string{"manufacture", "shipping", "use", "endOfLife"}

// noteLong records where the first figure too long to be read back was
// seen, once c.co2e has set c.long.
func (c *calc) noteLong(field, label string) {
	if c.long && c.longLabel == "" {
		c.longField, c.longLabel = field, label
	}
}

// longErr is the error for a figure too long to be read back.
func (c *calc) longErr() error {
	return fielderr.New(c.longField, c.longLabel, "the exact kg CO2e of this line would be longer than "+strconv.Itoa(dec.MaxFigureLen)+
		" characters, too long for a footprint, plan or certificate to be read back; give the inputs fewer decimal places", ErrInvalidProduct)
}

// estimateLines returns the number of lines of a normalised spec, or a
// little more (a WTW leg priced with a dataset's WTW row has one line, not
// two).
func estimateLines(s *ProductSpec) int {
	n := 0
	if b := s.Manufacture.BOM; b != nil {
		n += len(b.Components) + len(b.Packaging)
		if b.Assembly {
			n++
		}
	} else if s.Manufacture.Declared != nil {
		n++
	}
	if s.Shipping.Boundary == TTW {
		n += len(s.Shipping.Legs)
	} else {
		n += 2 * len(s.Shipping.Legs)
	}
	if u := s.Use; u != nil {
		if u.Trajectory != nil {
			n += u.years()
		} else {
			n++
		}
	}
	if s.EndOfLife != nil {
		n++
	}
	return n
}

// components returns the number of a normalised spec's components.
func components(s *ProductSpec) int {
	if b := s.Manufacture.BOM; b != nil {
		return len(b.Components)
	}
	return 0
}

// add appends a line to the current stage and returns it (valid until the
// next add).
func (c *calc) add(label string, act Activity, ref *FactorRef, f *fig) *Line {
	f.order()
	if c.nl == len(c.lines) { // more lines than estimated
		grown := make([]Line, 2*len(c.lines)+8)
		copy(grown, c.lines)
		c.lines = grown
	}
	l := &c.lines[c.nl] // a zero slot
	c.nl++
	l.Label = label
	l.Activity = act
	l.Factor = ref
	l.CO2e, l.Low, l.High = c.co2e(f)
	c.noteLong(stageFields[c.stage], label)
	c.sums[c.stage].add(f)
	return l
}

// addHit appends a line priced with a dataset factor.
func (c *calc) addHit(label string, act Activity, h *hit, f *fig) *Line {
	return c.add(label, act, h.ref(), f)
}

// ref returns the FactorRef of a line priced with the factor found: the
// dataset's own when there was no fallback, else a new one that reports
// the fallback.
func (h *hit) ref() *FactorRef {
	p := &h.e.p.ref
	if h.hop == 0 {
		return p
	}
	r := new(FactorRef)
	*r = *p
	r.RequestedRegion = h.requested
	r.Fallback = true
	r.FallbackPath = h.path()
	return r
}

var decOne = decimal.NewFromInt(1)

// uncertainFig applies an uncertainty to an amount: ± Relative × amount, or
// the Low and High values.
func uncertainFig(a num, u Uncertainty) fig {
	switch {
	case !u.Relative.IsZero():
		return relFig(a, numOf(u.Relative))
	case !u.Low.IsZero() || !u.High.IsZero():
		return fig{a, numOf(u.Low), numOf(u.High), true}
	}
	return point(a)
}

// relFig returns a ± |a × rel|.
func relFig(a, rel num) fig {
	d := a.mul(rel)
	if d.sign() < 0 {
		d = d.negate()
	}
	return fig{a, a.sub(d), a.add(d), true}
}

// declaredRef describes a caller-supplied figure as a factor per item.
func declaredRef(measure, source string, amount decimal.Decimal) FactorRef {
	return FactorRef{ID: measure, Measure: measure, Basis: PerItem, Amount: amount, Source: Source{Title: source, Publisher: "declared in the product specification"}}
}

// gridRef describes a caller-supplied grid intensity.
func gridRef(id, source, country string, amount decimal.Decimal) FactorRef {
	r := declaredRef(id, source, amount)
	r.Measure, r.Basis, r.Region = "electricity.grid", PerKWh, country
	return r
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

func (c *calc) manufacture(n *ProductSpec, sc *attrScratch) error {
	c.stage = 0
	m := n.Manufacture
	if d := m.Declared; d != nil {
		f := uncertainFig(numOf(d.Amount.v), d.Uncertainty)
		ref := declaredRef("declared.manufacture", d.Source, d.Amount.v)
		c.add("declared", Items(decOne), &ref, &f)
		return nil
	}
	b := m.BOM
	for i := range b.Components {
		var rec []attr
		if sc.ok {
			rec = sc.of(i)
		}
		if err := c.component(i, &b.Components[i], b.Region, rec, sc.ok); err != nil {
			return fielderr.Prefix("manufacture.bom.components["+strconv.Itoa(i)+"]", err)
		}
	}
	for i, p := range b.Packaging {
		m := c.ds.materials[p.Material]
		q := Query{Region: b.Region}
		if m != nil {
			q.Measure = m.measure
		} else {
			q.Measure = materialMeasure(p.Material)
		}
		h, err := c.ds.findIn(m, &q)
		if err != nil {
			return lookupErr("manufacture.bom.packaging["+strconv.Itoa(i)+"].material", err)
		}
		f := h.e.f
		if f.Basis != PerKg || f.IsLinear() {
			return fielderr.New("manufacture.bom.packaging["+strconv.Itoa(i)+"].material", p.Material, "factor "+f.ID+" is per "+string(f.Basis)+"; packaging needs a factor per kg", ErrWrongDimension)
		}
		fg := h.e.p.amount.scaled(numOf(p.Mass.v))
		l := c.addHit(p.Material, p.Mass.Activity(), &h, &fg)
		l.Packaging = true
	}
	if b.Assembly {
		h, err := c.ds.findIn(c.ds.fixed[fixAssembly], &Query{Measure: "component.assembly", Region: b.Region})
		if err != nil {
			return lookupErr("manufacture.bom.assembly", err)
		}
		f := h.e.f
		if f.Basis != PerItem || f.IsLinear() {
			return fielderr.New("manufacture.bom.assembly", "true", "factor "+f.ID+" is per "+string(f.Basis)+"; assembly needs a factor per item", ErrWrongDimension)
		}
		fg := h.e.p.amount
		c.addHit("assembly", Items(decOne), &h, &fg)
	}
	return nil
}

// component prices component i; its attributes are rec when recorded.
func (c *calc) component(i int, comp *Component, region string, rec []attr, recorded bool) error {
	field := "kind"
	value := comp.Kind
	if comp.Material != "" {
		field, value = "material", comp.Material
	}
	var m *measureIndex
	switch {
	case comp.Material != "":
		m = c.ds.materials[comp.Material]
	case strings.IndexByte(comp.Kind, '.') >= 0:
		m = c.ds.measures[comp.Kind]
	default:
		m = c.ds.kinds[comp.Kind]
	}
	lq := Query{Region: region}
	if m != nil {
		lq.Measure = m.measure
	} else {
		lq.Measure = comp.measure()
	}
	h, err := c.ds.findIn(m, &lq)
	if err != nil {
		return lookupErr(field, err)
	}
	p := h.e.p
	f := p.f
	label := comp.Name
	if label == "" {
		label = value
	}
	q := numOf(comp.Quantity)
	switch {
	case f.IsLinear():
		x, err := attrOf(comp, rec, recorded, f.Attribute, f)
		if err != nil {
			return err
		}
		if f.Divisor != "" {
			d, err := attrOf(comp, rec, recorded, f.Divisor, f) // > 0
			if err != nil {
				return err
			}
			x = x.div(d)
		}
		per := p.amount.v.mul(x).add(p.icpt)
		if per.sign() < 0 { // a negative intercept, outside the fitted range
			return bad("attributes."+f.Attribute, comp.Attributes[f.Attribute], negativeLinearRule(f.ID))
		}
		var pf fig
		switch {
		case !p.rel.isZero():
			// the relative spread is the slope's (Factor.Bounds), as a
			// stated low and high are: the intercept stays exact
			r := relFig(p.amount.v.mul(x), p.rel)
			pf = fig{per, r.lo.add(p.icpt), r.hi.add(p.icpt), true}
			if pf.lo.sign() < 0 {
				return bad("attributes."+f.Attribute, comp.Attributes[f.Attribute], negativeLinearRule(f.ID)+" at its low bound")
			}
		case !p.low.isZero() || !p.high.isZero():
			pf = fig{per, p.low.mul(x).add(p.icpt), p.high.mul(x).add(p.icpt), true}
			if pf.lo.sign() < 0 { // the same at the factor's low bound
				return bad("attributes."+f.Attribute, comp.Attributes[f.Attribute], negativeLinearRule(f.ID)+" at its low bound")
			}
		default:
			pf = point(per)
		}
		pf.scale(q)
		ln := c.addHit(label, Items(comp.Quantity), &h, &pf)
		ln.AttributeValue = c.ar.dec(x)
	case f.Basis == PerKg:
		if comp.Mass.IsZero() {
			return bad("mass", "", "is required: factor "+f.ID+" is per kg of "+value)
		}
		act := comp.Mass.Activity()
		m := numOf(comp.Mass.v)
		if q.cmp(numInt(1)) != 0 {
			m = m.mul(q)
			act = Activity{Amount: c.ar.dec(m), Basis: PerKg}
		}
		f := p.amount.scaled(m)
		c.addHit(label, act, &h, &f)
	case f.Basis == PerItem:
		f := p.amount.scaled(q)
		c.addHit(label, Items(comp.Quantity), &h, &f)
	default:
		return fielderr.New(field, value, "factor "+f.ID+" is per "+string(f.Basis)+" without an attribute; a component needs a factor per item, per kg, or linear in an attribute", ErrWrongDimension)
	}
	return nil
}

// attrOf reads a component attribute a factor needs (from rec when the
// attributes were recorded); a missing one is an error naming it, never a
// zero, and so is a zero one: a component whose die, capacity or area is
// zero is not there, and pricing it at its intercept (or at nothing, for
// a display) would hide a mistake.
func attrOf(comp *Component, rec []attr, recorded bool, name string, f *Factor) (num, error) {
	var n num
	found := false
	if recorded {
		for i := range rec {
			if rec[i].k == name {
				n, found = rec[i].n, true
				break
			}
		}
	} else if s, ok := comp.Attributes[name]; ok {
		var err error
		if n, err = parseNum(s); err != nil {
			return num{}, bad("attributes."+name, s, "must be a plain decimal string")
		}
		found = true
	}
	if !found {
		return num{}, bad("attributes."+name, "", "is required by factor "+f.ID+" (in "+string(f.Basis)+")")
	}
	if n.sign() <= 0 {
		return num{}, bad("attributes."+name, comp.Attributes[name], "must be > 0 (factor "+f.ID+" is per "+string(f.Basis)+" of it)")
	}
	return n, nil
}

func (c *calc) transport(n *ProductSpec) error {
	c.stage = 1
	sh := &n.Shipping
	for i := range sh.Legs {
		if err := c.leg(&sh.Legs[i], sh, n.PackagedMass); err != nil {
			return fielderr.Prefix("shipping.legs["+strconv.Itoa(i)+"]", err)
		}
	}
	return nil
}

func (c *calc) leg(l *Leg, sh *Shipping, packaged Mass) error {
	dist := numOf(l.Distance.v)
	var from, to Place
	if dist.isZero() {
		var err error
		if from, to, err = l.ends(); err != nil {
			return reSentinel(err)
		}
		if err := checkEnds(from.At, to.At); err != nil {
			return reSentinel(err)
		}
		dist = l.Mode.adjustedMetres(greatCircleMetres(from.At, to.At))
	}
	tkm := numOf(l.mass(packaged).v).mul(dist)
	tkm.exp -= 6 // kg × m = 10⁻⁶ t·km
	if tkm.bd != nil {
		tkm = numOf(tkm.bd.Shift(-6))
	}
	act := Activity{Amount: c.ar.dec(tkm), Basis: PerTonneKm}
	label := l.Label
	switch {
	case label != "":
	case from.Code != "" && to.Code != "":
		label = from.Code + " → " + to.Code
	default:
		label = string(l.Mode)
	}
	var rf RadiativeForcing
	if l.Mode.IsAir() {
		rf = sh.RadiativeForcing
	}
	q := Query{Measure: l.Mode.Measure(), Region: l.Region, Boundary: TTW, RadiativeForcing: rf}
	m := c.ds.fixed[modeFixed(l.Mode)]
	ttw, err := c.ds.findIn(m, &q)
	if err != nil {
		if sh.Boundary == WTW {
			// a dataset may publish WTW rows instead of TTW + WTT
			q.Boundary = WTW
			if wtw, err2 := c.ds.findIn(m, &q); err2 == nil {
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
	wtt, err := c.ds.findIn(m, &q)
	if err != nil && rf != "" {
		// upstream fuel factors do not depend on radiative forcing; a
		// dataset may publish them without the choice
		q.RadiativeForcing = ""
		wtt, err = c.ds.findIn(m, &q)
	}
	if err != nil {
		return lookupErr("mode", err)
	}
	return c.freightLine(label, act, tkm, &wtt)
}

func (c *calc) freightLine(label string, act Activity, tkm num, h *hit) error {
	f := h.e.f
	if f.Basis != PerTonneKm || f.IsLinear() {
		return fielderr.New("mode", f.Measure, "factor "+f.ID+" is per "+string(f.Basis)+"; freight needs a factor per tkm", ErrWrongDimension)
	}
	fg := h.e.p.amount.scaled(tkm)
	c.addHit(label, act, h, &fg)
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

func (c *calc) use(n *ProductSpec) error {
	c.stage = 2
	u := n.Use
	if u == nil {
		return nil
	}
	yearly := u.yearlyKWh()
	full, rem := u.split()
	// the energy of a partial final year: yearly × hours ÷ 8760, divided
	// last so that it stays exact whenever the quotient terminates
	var part num
	if !rem.isZero() {
		part = yearly.mul(rem).div(numInt(8760))
	}
	t := u.Trajectory
	if t != nil && len(t.KgPerKWh) > 0 {
		c.grid = "trajectory"
		yearAct := Activity{Amount: c.ar.dec(yearly), Basis: PerKWh}
		refs := make([]FactorRef, len(t.KgPerKWh))
		for k, ki := range t.KgPerKWh {
			e, act := yearly, yearAct
			if k == full {
				e = part
				act = Activity{Amount: c.ar.dec(e), Basis: PerKWh}
			}
			refs[k] = gridRef("trajectory", t.Source, u.Country, ki)
			f := point(numOf(ki))
			f.scale(e)
			c.add(yearLabels[k+1], act, &refs[k], &f)
		}
		return nil
	}
	var base fig
	var ref *FactorRef
	var dsRef *prepared // the dataset's factor, when ref is its own FactorRef
	if g := u.Grid; g != nil {
		c.grid = "explicit"
		base = uncertainFig(numOf(g.KgPerKWh), g.Uncertainty)
		r := gridRef("grid.explicit", g.Source, u.Country, g.KgPerKWh)
		ref = &r
	} else {
		c.grid = "dataset"
		h, err := c.ds.findIn(c.ds.fixed[fixGrid], &Query{Measure: "electricity.grid", Region: u.Country})
		if err != nil {
			return lookupErr("use.country", err)
		}
		f := h.e.f
		if f.Basis != PerKWh || f.IsLinear() {
			return fielderr.New("use.country", u.Country, "factor "+f.ID+" is per "+string(f.Basis)+"; the use phase needs a factor per kWh", ErrWrongDimension)
		}
		base = h.e.p.amount
		ref = h.ref()
		if h.hop == 0 {
			dsRef = h.e.p
		}
	}
	if t == nil {
		e := yearly.mul(numInt(int64(full))).add(part)
		f := base.scaled(e)
		c.add("electricity", Activity{Amount: c.ar.dec(e), Basis: PerKWh}, ref, &f)
		return nil
	}
	c.grid = "decline"
	keep := numInt(1).sub(numOf(t.YearlyDecline))
	yearAct := Activity{Amount: c.ar.dec(yearly), Basis: PerKWh}
	scale := numInt(1)
	ny := u.years()
	var scaled []FactorRef // the FactorRefs of years 2 to ny, with their Scale
	if ny > 1 {
		if dsRef != nil {
			scaled = dsRef.declinedRefs(keep, ny-1)
		} else {
			scaled = make([]FactorRef, ny-1)
		}
	}
	for k := 0; k < ny; k++ {
		e, act := yearly, yearAct
		if k == full {
			e = part
			act = Activity{Amount: c.ar.dec(e), Basis: PerKWh}
		}
		r := ref
		if k > 0 {
			scale = scale.mul(keep)
			r = &scaled[k-1]
			if dsRef == nil {
				*r = *ref
				r.Scale = c.ar.dec(scale)
			}
		}
		f := base.scaled(scale)
		f.scale(e)
		c.add(yearLabels[k+1], act, r, &f)
	}
	return nil
}

func (c *calc) endOfLife(n *ProductSpec) error {
	c.stage = 3
	e := n.EndOfLife
	if e == nil {
		return nil
	}
	if d := e.Declared; d != nil {
		ref := declaredRef("declared.end-of-life", d.Source, d.Amount.v)
		f := uncertainFig(numOf(d.Amount.v), d.Uncertainty)
		c.add("declared", Items(decOne), &ref, &f)
	} else {
		m := e.Mass
		if m.IsZero() {
			m = n.Mass
		}
		h, err := c.ds.findIn(c.ds.fixed[fixWEEE], &Query{Measure: "eol.weee", Region: e.Region})
		if err != nil {
			return lookupErr("endOfLife.perKg", err)
		}
		f := h.e.f
		if f.Basis != PerKg || f.IsLinear() {
			return fielderr.New("endOfLife.perKg", "true", "factor "+f.ID+" is per "+string(f.Basis)+"; end of life needs a factor per kg", ErrWrongDimension)
		}
		fg := h.e.p.amount.scaled(numOf(m.v))
		c.addHit("e-waste treatment", m.Activity(), &h, &fg)
	}
	if e.RecyclingCredit {
		m := e.Mass
		if m.IsZero() {
			m = n.Mass
		}
		h, err := c.ds.findIn(c.ds.fixed[fixCredit], &Query{Measure: MeasureRecyclingCredit, Region: e.Region})
		if err != nil {
			return lookupErr("endOfLife.recyclingCredit", err)
		}
		f := h.e.f
		if f.Basis != PerKg || f.IsLinear() {
			return fielderr.New("endOfLife.recyclingCredit", "true", "factor "+f.ID+" is per "+string(f.Basis)+"; a recycling credit needs a factor per kg", ErrWrongDimension)
		}
		fg := h.e.p.amount.scaled(numOf(m.v))
		fg.order()
		l := &Line{Label: "recycling credit (not in total)", Activity: m.Activity(), Factor: h.ref()}
		l.CO2e, l.Low, l.High = c.co2e(&fg)
		c.noteLong("endOfLife.recyclingCredit", l.Label)
		c.credit = l
	}
	return nil
}
