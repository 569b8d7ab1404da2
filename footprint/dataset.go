package footprint

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/geo"
	"github.com/shopspring/decimal"
)

// ErrUnknownRegion is wrapped by the error of a lookup whose region is not an
// ISO 3166-1 alpha-2 country code, "EU" or "WORLD". It wraps
// ErrFactorNotFound, so errors.Is(err, ErrFactorNotFound) also holds.
var ErrUnknownRegion = fmt.Errorf("footprint: unknown region: %w", ErrFactorNotFound)

// Region codes that are not countries.
const (
	RegionWorld = geo.World // "WORLD": the whole world, the last fallback
	RegionEU    = geo.EU    // "EU": the European Union of 27 member states
)

// Query asks a Dataset for one factor.
type Query struct {
	// Measure names what is measured: "electricity.grid",
	// "freight.air.long-haul", "component.cpu", ...
	Measure string
	// Region is an upper-case ISO 3166-1 alpha-2 country code ("IN"), a
	// region code ("EU"), "WORLD", or "" meaning "WORLD".
	Region string
	// Boundary selects TTW, WTT or WTW rows; "" for measures that have
	// none.
	Boundary Boundary
	// RadiativeForcing selects air-freight rows with or without radiative
	// forcing; "" for measures that have none.
	RadiativeForcing RadiativeForcing
	// NoFallback asks for the exact region only: no country → region →
	// world fallback. A miss is then ErrFactorNotFound.
	NoFallback bool
}

// Resolved is a lookup result: the factor and how it was found. A fallback is
// always reported here, never silent.
type Resolved struct {
	Factor Factor
	// RequestedRegion is the region asked for ("WORLD" when the query
	// left it empty).
	RequestedRegion string
	// Fallback is true when Factor.Region differs from RequestedRegion.
	Fallback bool
	// FallbackPath lists the regions tried, from the requested region to
	// the one that supplied the factor (["DE", "EU"], ["IN", "WORLD"]).
	// It is nil when there was no fallback.
	FallbackPath []string
	// Layer and LayerVersion name the dataset layer that supplied the
	// factor: the caller's dataset or the one it was layered over.
	Layer        string
	LayerVersion string
}

// DatasetLayer names one layer of a layered dataset.
type DatasetLayer struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Dataset is a named, versioned, immutable set of emission factors with an
// index for lookups by measure, region, boundary and radiative forcing.
//
// Lookups fall back from a country to its region ("EU" for an EU member,
// when the dataset has an EU row for the measure) and then to "WORLD"; every
// fallback is reported in Resolved. Datasets can be layered with Over: the
// upper layer's factors win.
//
// A Dataset is safe for concurrent use: nothing changes it after it is built
// (it keeps the FactorRefs of declining-grid years it has been asked for, in
// a cache that is safe for concurrent use). The zero value is not usable;
// build one with NewDataset or a loader.
type Dataset struct {
	layers        []DatasetLayer // top first; one for a plain dataset
	name, version string         // the layers' names and versions joined
	factors       []Factor       // effective factors, top layer first
	byKey         map[factorKey]entry
	byID          map[string]entry
	// claimedKeys and claimedIDs, in a layered dataset, hold the keys and
	// IDs of every factor of every layer, hidden ones included (see Over);
	// nil in a plain dataset, whose byKey and byID hold them.
	claimedKeys map[factorKey]struct{}
	claimedIDs  map[string]struct{}

	// the index Calculate looks factors up in (see index)
	measures  map[string]*measureIndex // by measure
	kinds     map[string]*measureIndex // by component kind without a dot: "cpu" → "component.cpu"
	materials map[string]*measureIndex // by material name: "cardboard" → "material.cardboard"
	fixed     [nFixed]*measureIndex    // the measures Calculate asks for by name
}

// measureIndex holds the factors of one measure.
type measureIndex struct {
	measure  string
	rows     []indexRow            // every factor of the measure, when few
	byRegion map[string][]indexRow // by region, when many (grid intensities)
}

// indexRow is a factor with its boundary and radiative forcing as small
// numbers (see variant), compared faster than strings.
type indexRow struct {
	region  string
	variant uint8
	e       entry
}

// variant numbers a boundary and a radiative forcing choice: 0 to 11, or
// 255 for values a factor cannot have (a query for them finds nothing).
func variant(b Boundary, rf RadiativeForcing) uint8 {
	var v uint8
	switch b {
	case "":
	case TTW:
		v = 1
	case WTT:
		v = 2
	case WTW:
		v = 3
	default:
		return 255
	}
	switch rf {
	case "":
	case RFIncluded:
		v += 4
	case RFExcluded:
		v += 8
	default:
		return 255
	}
	return v
}

// get returns the factor of the region and variant.
func (m *measureIndex) get(region string, v uint8) (entry, bool) {
	rows := m.rows
	if m.byRegion != nil {
		rows = m.byRegion[region]
	}
	for i := range rows {
		if r := &rows[i]; r.variant == v && r.region == region {
			return r.e, true
		}
	}
	return entry{}, false
}

// The measures Calculate asks for by name, as indexes of Dataset.fixed.
const (
	fixAssembly = iota
	fixGrid
	fixWEEE
	fixCredit
	fixAirLongHaul // the freight modes, in the order of modeIndex
	fixAirShortHaul
	fixAirDomestic
	fixSea
	fixRoad
	fixRail
	nFixed
)

var fixedMeasures = [nFixed]string{
	"component.assembly", "electricity.grid", "eol.weee", MeasureRecyclingCredit,
	AirLongHaul.Measure(), AirShortHaul.Measure(), AirDomestic.Measure(), Sea.Measure(), Road.Measure(), Rail.Measure(),
}

// modeFixed returns the index in Dataset.fixed of a mode's measure (-1 for
// an unknown mode).
func modeFixed(m Mode) int {
	switch m {
	case AirLongHaul:
		return fixAirLongHaul
	case AirShortHaul:
		return fixAirShortHaul
	case AirDomestic:
		return fixAirDomestic
	case Sea:
		return fixSea
	case Road:
		return fixRoad
	case Rail:
		return fixRail
	}
	return -1
}

// index builds the lookup index from byKey.
func (d *Dataset) index() {
	d.measures = make(map[string]*measureIndex)
	for k, e := range d.byKey {
		m := d.measures[k.measure]
		if m == nil {
			m = &measureIndex{measure: k.measure}
			d.measures[k.measure] = m
		}
		m.rows = append(m.rows, indexRow{region: k.region, variant: variant(k.boundary, k.rf), e: e})
	}
	d.kinds = make(map[string]*measureIndex)
	d.materials = make(map[string]*measureIndex)
	for name, m := range d.measures {
		if len(m.rows) > 8 {
			m.byRegion = make(map[string][]indexRow)
			for _, r := range m.rows {
				m.byRegion[r.region] = append(m.byRegion[r.region], r)
			}
			m.rows = nil
		}
		if kind, ok := strings.CutPrefix(name, "component."); ok && !strings.Contains(kind, ".") {
			d.kinds[kind] = m
		}
		if mat, ok := strings.CutPrefix(name, "material."); ok {
			d.materials[mat] = m
		}
	}
	for i, name := range fixedMeasures {
		d.fixed[i] = d.measures[name]
	}
}

type factorKey struct {
	measure  string
	region   string
	boundary Boundary
	rf       RadiativeForcing
}

type entry struct {
	f     *Factor
	p     *prepared // f in the form Calculate uses
	layer int32
}

// prepared is a factor in the form Calculate uses, computed once when the
// dataset is built: its amounts in exact 128-bit form and the factor's part
// of a line's FactorRef. A factor's layer name does not change when its
// dataset is layered (see Over), so a prepared factor is shared by every
// dataset that holds the factor. It is never modified after it is built.
type prepared struct {
	f *Factor
	// ref is the Line.Factor of every line that used the factor found
	// without fallback (RequestedRegion is then the factor's Region).
	ref FactorRef
	// amount is Amount with its uncertainty range.
	amount fig
	// icpt is Intercept; rel, low and high are Uncertainty's values.
	icpt, rel, low, high num
	// declined holds the FactorRefs of the years after the first of a
	// declining grid trajectory, for the decline last asked for.
	declined atomic.Pointer[declinedRefs]
}

// declinedRefs are ref with Scale = keep^k for k = 1, 2, ... (years 2, 3,
// ... of a trajectory declining by 1 − keep a year). They are never
// modified once published.
type declinedRefs struct {
	keep num
	refs []FactorRef
}

// declinedRefs returns the FactorRefs of the n years after the first of a
// trajectory whose intensity is multiplied by keep each year. Footprints
// computed with the same decline share them, like the factor's own ref.
func (p *prepared) declinedRefs(keep num, n int) []FactorRef {
	if d := p.declined.Load(); d != nil && len(d.refs) >= n && d.keep.cmp(keep) == 0 {
		return d.refs[:n:n]
	}
	refs := make([]FactorRef, n)
	scale := numInt(1)
	for k := range refs {
		scale = scale.mul(keep)
		refs[k] = p.ref
		refs[k].Scale = scale.dec()
	}
	p.declined.Store(&declinedRefs{keep: keep, refs: refs})
	return refs
}

func prepare(f *Factor, layer string) *prepared {
	p := &prepared{
		f: f,
		ref: FactorRef{
			ID: f.ID, Measure: f.Measure, Region: f.Region, Basis: f.Basis,
			Amount: f.Amount, Intercept: f.Intercept, Attribute: f.Attribute, Divisor: f.Divisor,
			Boundary: f.Boundary, RF: f.RadiativeForcing, GWP: f.GWP, Source: f.Source,
			RequestedRegion: f.Region, Layer: layer,
		},
		icpt: numOf(f.Intercept),
		rel:  numOf(f.Uncertainty.Relative),
		low:  numOf(f.Uncertainty.Low),
		high: numOf(f.Uncertainty.High),
	}
	p.amount = uncertainFig(numOf(f.Amount), f.Uncertainty)
	return p
}

// Limits on the text fields of a factor and a dataset.
const (
	maxIDLen   = 128  // id, measure, attribute, divisor, basis
	maxTextLen = 2048 // description, source fields, dataset name and version
)

// NewDataset validates factors and builds a dataset named name at version
// version (both required: a footprint records them, so that its figures
// can be traced to the factors). Every factor must have
// an ID (unique in the dataset), a Measure, a Region ("WORLD", "EU" or an
// ISO 3166-1 alpha-2 code), a Basis, a non-zero Amount (a linear factor may
// instead have a non-zero Intercept), a GWP of AR4, AR5 or AR6, a Source
// with publisher, title, year and licence, valid Boundary and
// RadiativeForcing values, and a consistent Uncertainty (Relative in [0, 1),
// or Low ≤ Amount ≤ High). Two factors may not share measure, region,
// boundary and radiative forcing, since a lookup could not choose between
// them. The first problem found is returned as a *FieldError whose Field is
// a path such as "factors[2].source.publisher", wrapping ErrInvalidFactor or
// ErrInvalidDataset.
//
// The factors are copied; the caller may reuse the slice.
func NewDataset(name, version string, factors []Factor) (*Dataset, error) {
	return newDataset(name, version, factors, func(i int) string { return "factors[" + strconv.Itoa(i) + "]" })
}

// newDataset builds a dataset; path names factor i in errors.
func newDataset(name, version string, factors []Factor, path func(int) string) (*Dataset, error) {
	if err := checkText("name", name, maxTextLen, true, ErrInvalidDataset); err != nil {
		return nil, err
	}
	if err := checkText("version", version, maxTextLen, true, ErrInvalidDataset); err != nil {
		return nil, err
	}
	d := &Dataset{
		layers:  []DatasetLayer{{Name: name, Version: version}},
		name:    name,
		version: version,
		factors: make([]Factor, len(factors)),
		byKey:   make(map[factorKey]entry, len(factors)),
		byID:    make(map[string]entry, len(factors)),
	}
	copy(d.factors, factors)
	firstByID := make(map[string]int, len(factors))
	firstByKey := make(map[factorKey]int, len(factors))
	for i := range d.factors {
		f := &d.factors[i]
		if err := f.validate(); err != nil {
			return nil, fielderr.Prefix(path(i), err)
		}
		if j, dup := firstByID[f.ID]; dup {
			return nil, fielderr.New(path(i)+".id", f.ID, "duplicate factor ID (first at "+path(j)+")", ErrInvalidDataset)
		}
		firstByID[f.ID] = i
		k := f.key()
		if j, dup := firstByKey[k]; dup {
			return nil, fielderr.New(path(i)+".id", f.ID, "same measure, region, boundary and radiative forcing as "+path(j)+" ("+d.factors[j].ID+"); a lookup could not choose", ErrInvalidDataset)
		}
		firstByKey[k] = i
		e := entry{f: f, p: prepare(f, name)}
		d.byKey[k] = e
		d.byID[f.ID] = e
	}
	d.index()
	return d, nil
}

func (f *Factor) key() factorKey {
	return factorKey{measure: f.Measure, region: f.Region, boundary: f.Boundary, rf: f.RadiativeForcing}
}

// Name returns the dataset's name. A layered dataset's name joins its
// layers' names, top first: "acme-supplier over lifecarbon-default".
func (d *Dataset) Name() string { return d.name }

// Version returns the dataset's version. A layered dataset's version joins
// its layers' versions, top first: "3 over 2026.2".
func (d *Dataset) Version() string { return d.version }

func (d *Dataset) join(get func(DatasetLayer) string) string {
	parts := make([]string, len(d.layers))
	for i, l := range d.layers {
		parts[i] = get(l)
	}
	return strings.Join(parts, " over ")
}

// Layers returns the dataset's layers, top (winning) layer first. A plain
// dataset has one layer.
func (d *Dataset) Layers() []DatasetLayer {
	out := make([]DatasetLayer, len(d.layers))
	copy(out, d.layers)
	return out
}

// Factors returns the factors a lookup can return, top layer first, each
// layer in its own order. The slice is a copy.
func (d *Dataset) Factors() []Factor {
	out := make([]Factor, len(d.factors))
	copy(out, d.factors)
	return out
}

// Factor returns the factor with the given ID among those Factors lists:
// in a layered dataset, a factor Over hid (shadowed by the upper layer's
// factor of the same key, or of the same ID) is not found, just as no
// lookup returns it.
func (d *Dataset) Factor(id string) (Factor, bool) {
	e, ok := d.byID[id]
	if !ok {
		return Factor{}, false
	}
	return *e.f, true
}

// Over returns a dataset that layers d over base: a lookup takes d's factor
// when d has one for the same measure, region, boundary and radiative
// forcing, and base's otherwise; Resolved.Layer says which. Fallback goes
// region by region across both layers, so a country factor in base beats a
// WORLD factor in d: the most specific region wins, and among factors of the
// same region, the upper layer's. Neither d nor base changes. Over(nil)
// returns d, and a nil d returns base.
//
// A base factor is hidden, everywhere (Lookup, Factor, Factors and the
// JSON form), when a layer of d has a factor of the same measure, region,
// boundary and radiative forcing, or a factor with the same ID: an ID names
// one factor in a dataset, and the upper layer's wins. A base factor hidden
// by its ID alone leaves its key to the other factors: a lookup for it
// falls back to a wider region (and reports the fallback) or finds
// nothing. So the layered dataset's IDs stay unique, Factor(id) returns the
// factor a lookup would, and MarshalJSON writes a dataset that
// LoadDatasetJSON reads back. The rule looks at every factor of the upper
// layers, hidden ones included, so a factor is visible exactly when no
// layer above its own has a factor of its key or ID, however the layers
// were grouped: a.Over(b).Over(c) and a.Over(b.Over(c)) hold the same
// factors.
func (d *Dataset) Over(base *Dataset) *Dataset {
	if base == nil {
		return d
	}
	if d == nil {
		return base
	}
	off := int32(len(d.layers))
	o := &Dataset{
		layers: append(append(make([]DatasetLayer, 0, len(d.layers)+len(base.layers)), d.layers...), base.layers...),
		byKey:  make(map[factorKey]entry, len(d.byKey)+len(base.byKey)),
		byID:   make(map[string]entry, len(d.byID)+len(base.byID)),
	}
	o.name = o.join(func(l DatasetLayer) string { return l.Name })
	o.version = o.join(func(l DatasetLayer) string { return l.Version })
	// hidden reports whether d hides base's factor f (see above).
	hidden := func(f *Factor) bool { return d.claimsKey(f.key()) || d.claimsID(f.ID) }
	o.claimedKeys = make(map[factorKey]struct{}, len(d.byKey)+len(base.byKey))
	o.claimedIDs = make(map[string]struct{}, len(d.byID)+len(base.byID))
	for _, l := range [2]*Dataset{d, base} {
		l.eachClaim(func(k factorKey) { o.claimedKeys[k] = struct{}{} }, func(id string) { o.claimedIDs[id] = struct{}{} })
	}
	for k, e := range base.byKey {
		if !hidden(e.f) {
			e.layer += off
			o.byKey[k] = e
		}
	}
	for id, e := range base.byID {
		if !hidden(e.f) {
			e.layer += off
			o.byID[id] = e
		}
	}
	for k, e := range d.byKey {
		o.byKey[k] = e
	}
	for id, e := range d.byID {
		o.byID[id] = e
	}
	o.index()
	o.factors = make([]Factor, 0, len(o.byKey))
	o.factors = append(o.factors, d.factors...)
	for i := range base.factors {
		if !hidden(&base.factors[i]) {
			o.factors = append(o.factors, base.factors[i])
		}
	}
	return o
}

// claimsKey reports whether a factor of one of d's layers, hidden or not,
// has the key k.
func (d *Dataset) claimsKey(k factorKey) bool {
	if d.claimedKeys != nil {
		_, ok := d.claimedKeys[k]
		return ok
	}
	_, ok := d.byKey[k]
	return ok
}

// claimsID reports whether a factor of one of d's layers, hidden or not,
// has the ID id.
func (d *Dataset) claimsID(id string) bool {
	if d.claimedIDs != nil {
		_, ok := d.claimedIDs[id]
		return ok
	}
	_, ok := d.byID[id]
	return ok
}

// eachClaim calls key and id with the key and ID of every factor of every
// layer of d, hidden ones included.
func (d *Dataset) eachClaim(key func(factorKey), id func(string)) {
	if d.claimedKeys == nil {
		for k := range d.byKey {
			key(k)
		}
		for i := range d.byID {
			id(i)
		}
		return
	}
	for k := range d.claimedKeys {
		key(k)
	}
	for i := range d.claimedIDs {
		id(i)
	}
}

// Lookup finds the factor for q. Without NoFallback it tries the requested
// region, then (for an EU member state) "EU", then "WORLD", and reports any
// fallback in the result. An unknown region code is an error wrapping
// ErrUnknownRegion even when fallback is allowed; a miss is an error
// wrapping ErrFactorNotFound that names the field (measure, region,
// boundary or radiativeForcing) and what the dataset has. A successful
// lookup without fallback does not allocate.
func (d *Dataset) Lookup(q Query) (Resolved, error) {
	if q.Measure == "" {
		return Resolved{}, fielderr.New("measure", "", "is required", ErrFactorNotFound)
	}
	region := q.Region
	if region == "" {
		region = RegionWorld
	}
	var chain [3]string
	n, ok := regionChain(region, &chain)
	if !ok {
		return Resolved{}, unknownRegion(region)
	}
	if q.NoFallback {
		n = 1
	}
	k := factorKey{measure: q.Measure, boundary: q.Boundary, rf: q.RadiativeForcing}
	for i := 0; i < n; i++ {
		k.region = chain[i]
		e, ok := d.byKey[k]
		if !ok {
			continue
		}
		r := Resolved{
			Factor:          *e.f,
			RequestedRegion: region,
			Layer:           d.layers[e.layer].Name,
			LayerVersion:    d.layers[e.layer].Version,
		}
		if i > 0 {
			r.Fallback = true
			r.FallbackPath = append([]string(nil), chain[:i+1]...)
		}
		return r, nil
	}
	return Resolved{}, d.notFound(q, region, chain[:n])
}

// hit is a successful lookup: the entry, the region asked for, and how
// many regions of its fallback chain (see regionChain) were passed over
// (0: none).
type hit struct {
	e         entry
	requested string
	hop       int
}

// path returns a new copy of the fallback path.
func (h *hit) path() []string {
	var chain [3]string
	regionChain(h.requested, &chain)
	return append([]string(nil), chain[:h.hop+1]...)
}

// regionChain writes to chain the regions a lookup for region tries, in
// order (the region, "EU" for a member state, and "WORLD") and returns how
// many; ok is false for a region that is not a country code, "EU" or
// "WORLD". (It fills the caller's array: an array returned by value is
// copied through memory.)
func regionChain(region string, chain *[3]string) (n int, ok bool) {
	switch region {
	case RegionWorld:
		chain[0] = RegionWorld
		return 1, true
	case RegionEU:
		chain[0], chain[1] = RegionEU, RegionWorld
		return 2, true
	}
	c, ok := geo.ByAlpha2(region)
	if !ok {
		return 0, false
	}
	chain[0], n = region, 1
	if c.EUMember {
		chain[n] = RegionEU
		n++
	}
	chain[n] = RegionWorld
	return n + 1, true
}

// findIn does Lookup's work for Calculate, without copying the factor, in
// the measure's index m (nil: the dataset has no factor of the measure).
func (d *Dataset) findIn(m *measureIndex, q *Query) (hit, error) {
	if q.Measure == "" {
		return hit{}, fielderr.New("measure", "", "is required", ErrFactorNotFound)
	}
	region := q.Region
	if region == "" || region == RegionWorld {
		// the common case: no fallback to consider
		if m != nil {
			if e, ok := m.get(RegionWorld, variant(q.Boundary, q.RadiativeForcing)); ok {
				return hit{e: e, requested: RegionWorld}, nil
			}
		}
		return hit{}, d.notFound(*q, RegionWorld, []string{RegionWorld})
	}
	var chain [3]string
	n, ok := regionChain(region, &chain)
	if !ok {
		return hit{}, unknownRegion(region)
	}
	if q.NoFallback {
		n = 1
	}
	if m != nil {
		v := variant(q.Boundary, q.RadiativeForcing)
		for i := 0; i < n; i++ {
			if e, ok := m.get(chain[i], v); ok {
				return hit{e: e, requested: region, hop: i}, nil
			}
		}
	}
	return hit{}, d.notFound(*q, region, chain[:n])
}

func unknownRegion(region string) error {
	rule := "unknown region: must be an upper-case ISO 3166-1 alpha-2 country code such as \"IN\", \"EU\" or \"WORLD\""
	return fielderr.New("region", region, rule+countryHint(region, true), ErrUnknownRegion)
}

// countryHint suggests the code meant by a country code not accepted: the
// same in upper case ("de"), the alpha-2 code of an alpha-3 one ("DEU"),
// or "GB" for "UK"; "" when it has no suggestion. Regions ("EU") count
// when regions is set.
func countryHint(code string, regions bool) string {
	up := strings.ToUpper(code)
	switch {
	case up != code && (geo.IsCountry(up) || regions && geo.IsRegion(up)):
		return " (did you mean \"" + up + "\"?)"
	case up == "UK":
		return " (use \"GB\" for the United Kingdom)"
	}
	if c, ok := geo.ByAlpha3(up); ok {
		return " (use \"" + c.Alpha2 + "\" for " + c.Name + ")"
	}
	return ""
}

// notFound explains a miss: which part of the query matched nothing.
func (d *Dataset) notFound(q Query, region string, tried []string) error {
	var regions, boundaries, rfs []string
	seen := map[string]bool{}
	add := func(list *[]string, kind, v string) {
		if !seen[kind+v] {
			seen[kind+v] = true
			*list = append(*list, strconv.Quote(v))
		}
	}
	measureKnown := false
	for k := range d.byKey {
		if k.measure != q.Measure {
			continue
		}
		measureKnown = true
		add(&boundaries, "b", string(k.boundary))
		add(&rfs, "r", string(k.rf))
		if k.boundary == q.Boundary && k.rf == q.RadiativeForcing {
			add(&regions, "g", k.region)
		}
	}
	name := d.Name()
	switch {
	case !measureKnown:
		return fielderr.New("measure", q.Measure, "no factor for this measure in dataset "+strconv.Quote(name), ErrFactorNotFound)
	case !seen["b"+string(q.Boundary)]:
		return fielderr.New("boundary", string(q.Boundary), "measure "+strconv.Quote(q.Measure)+" has boundaries "+joinSorted(boundaries), ErrFactorNotFound)
	case len(regions) == 0:
		return fielderr.New("radiativeForcing", string(q.RadiativeForcing), "measure "+strconv.Quote(q.Measure)+" with boundary "+strconv.Quote(string(q.Boundary))+" has radiative forcing choices "+joinSorted(rfs), ErrFactorNotFound)
	}
	rule := "no factor for measure " + strconv.Quote(q.Measure) + " in this region"
	if q.NoFallback {
		rule += " (fallback disabled)"
	} else {
		rule += " or its fallbacks (tried " + strings.Join(tried, ", ") + ")"
	}
	return fielderr.New("region", region, rule, ErrFactorNotFound)
}

func joinSorted(xs []string) string {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
	return strings.Join(xs, ", ")
}

// validate checks one factor. Field paths are relative to the factor
// ("source.publisher").
func (f *Factor) validate() error {
	bad := func(field, value, rule string) error { return fielderr.New(field, value, rule, ErrInvalidFactor) }
	if err := checkToken("id", f.ID, false); err != nil {
		return err
	}
	if err := checkToken("measure", f.Measure, true); err != nil {
		return err
	}
	switch {
	case f.Region == "":
		return bad("region", "", "is required (\"WORLD\" for a global factor)")
	case f.Region == RegionWorld || f.Region == RegionEU || geo.IsCountry(f.Region):
	default:
		return unknownRegionFactor(f.Region)
	}
	if err := checkToken("per", string(f.Basis), false); err != nil {
		return err
	}
	if f.Attribute != "" {
		if err := checkToken("attribute", f.Attribute, true); err != nil {
			return err
		}
	}
	if f.Divisor != "" {
		if f.Attribute == "" {
			return bad("divisor", f.Divisor, "needs an attribute: a divisor only applies to a linear factor")
		}
		if err := checkToken("divisor", f.Divisor, true); err != nil {
			return err
		}
		if f.Divisor == f.Attribute {
			return bad("divisor", f.Divisor, "must differ from the attribute")
		}
	}
	if !f.Intercept.IsZero() && f.Attribute == "" {
		return bad("intercept", f.Intercept.String(), "is only allowed on a linear factor (set attribute)")
	}
	if f.Amount.IsZero() && (f.Attribute == "" || f.Intercept.IsZero()) {
		return bad("amount", f.Amount.String(), "must be set and non-zero (a zero factor would hide missing data; leave the factor out to fall back)")
	}
	if err := f.checkSigns(); err != nil {
		return err
	}
	switch f.Boundary {
	case "", TTW, WTT, WTW:
	default:
		return bad("boundary", string(f.Boundary), "must be TTW, WTT, WTW or empty")
	}
	switch f.RadiativeForcing {
	case "", RFIncluded, RFExcluded:
	default:
		return bad("radiativeForcing", string(f.RadiativeForcing), "must be \"included\", \"excluded\" or empty")
	}
	switch f.GWP {
	case AR4, AR5, AR6:
	case "":
		return bad("gwp", "", "is required (AR4, AR5 or AR6)")
	default:
		return bad("gwp", string(f.GWP), "must be AR4, AR5 or AR6")
	}
	if err := f.Uncertainty.validate(f.Amount); err != nil {
		return err
	}
	if err := checkText("description", f.Description, maxTextLen, false, ErrInvalidFactor); err != nil {
		return err
	}
	return fielderr.Prefix("source", f.Source.validate())
}

// MeasureRecyclingCredit is the one measure whose factors are negative: a
// credit per kg for the materials recovered at end of life.
const MeasureRecyclingCredit = "eol.recycling-credit"

// checkSigns holds a factor to the sign of what it measures: an emission
// (amount and the low bound ≥ 0; a negative grid or freight factor would
// silently lower a footprint; a linear factor's intercept may be negative,
// and Calculate refuses a component whose figure comes out negative), or,
// for
// MeasureRecyclingCredit, a credit (amount < 0, high bound ≤ 0).
func (f *Factor) checkSigns() error {
	bad := func(field string, v decimal.Decimal, rule string) error {
		return fielderr.New(field, v.String(), rule, ErrInvalidFactor)
	}
	if f.Measure == MeasureRecyclingCredit {
		if f.Amount.Sign() >= 0 {
			return bad("amount", f.Amount, "must be < 0: a recycling credit is a negative kg CO2e per kg")
		}
		if f.Uncertainty.High.Sign() > 0 {
			return bad("uncertainty.high", f.Uncertainty.High, "must be ≤ 0 for a recycling credit")
		}
		return nil
	}
	const rule = "must be ≥ 0: only " + MeasureRecyclingCredit + " factors may be negative"
	switch {
	case f.Amount.Sign() < 0:
		return bad("amount", f.Amount, rule)
	case f.Uncertainty.Low.Sign() < 0:
		return bad("uncertainty.low", f.Uncertainty.Low, rule)
	}
	return nil
}

func unknownRegionFactor(region string) error {
	e := unknownRegion(region).(*fielderr.Error)
	e.Err = ErrInvalidFactor
	return e
}

var one = decimal.NewFromInt(1)

func (u Uncertainty) validate(amount decimal.Decimal) error {
	bad := func(field, value, rule string) error {
		return fielderr.New("uncertainty."+field, value, rule, ErrInvalidFactor)
	}
	hasRange := !u.Low.IsZero() || !u.High.IsZero()
	if !u.Relative.IsZero() {
		if hasRange {
			return bad("relative", u.Relative.String(), "give either relative or low and high, not both")
		}
		if u.Relative.Sign() < 0 || u.Relative.GreaterThanOrEqual(one) {
			return bad("relative", u.Relative.String(), "must be ≥ 0 and < 1 (0.186 means ±18.6 %)")
		}
		return nil
	}
	if hasRange {
		// a bound of zero reads as not given (the zero decimal is the
		// absent one), so a range needs both of its bounds on the side of
		// zero the amount is on: {high: 12} alone is not [0, 12]
		switch {
		case amount.Sign() > 0 && u.Low.Sign() <= 0:
			return bad("low", u.Low.String(), "must be > 0 for a positive amount "+amount.String()+" (give both low and high: a low of 0 reads as not given)")
		case amount.Sign() < 0 && u.High.Sign() >= 0:
			return bad("high", u.High.String(), "must be < 0 for a negative amount "+amount.String()+" (give both low and high: a high of 0 reads as not given)")
		}
		if u.Low.GreaterThan(amount) {
			return bad("low", u.Low.String(), "must be ≤ amount "+amount.String())
		}
		if u.High.LessThan(amount) {
			if u.High.IsZero() {
				return bad("high", "0", "must be ≥ amount "+amount.String()+" (give both low and high: a high of 0 reads as not given)")
			}
			return bad("high", u.High.String(), "must be ≥ amount "+amount.String())
		}
	}
	return nil
}

func (s Source) validate() error {
	if err := checkText("publisher", s.Publisher, maxTextLen, true, ErrInvalidFactor); err != nil {
		return err
	}
	if err := checkText("title", s.Title, maxTextLen, true, ErrInvalidFactor); err != nil {
		return err
	}
	if s.Year < 1900 || s.Year > 2200 {
		v := ""
		if s.Year != 0 {
			v = strconv.Itoa(s.Year)
		}
		return fielderr.New("year", v, "is required: the year of publication, 1900 to 2200", ErrInvalidFactor)
	}
	if err := checkText("license", s.License, maxTextLen, true, ErrInvalidFactor); err != nil {
		return err
	}
	if s.URL != "" {
		if err := checkText("url", s.URL, maxTextLen, false, ErrInvalidFactor); err != nil {
			return err
		}
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fielderr.New("url", s.URL, "must be an http or https URL", ErrInvalidFactor)
		}
	}
	return nil
}

// checkToken checks an identifier-like field: required, at most maxIDLen
// bytes, no spaces or control characters; lower=true further restricts it
// to lower-case letters, digits and . _ -.
func checkToken(field, v string, lower bool) error {
	if v == "" {
		return fielderr.New(field, "", "is required", ErrInvalidFactor)
	}
	if len(v) > maxIDLen {
		return fielderr.New(field, v, "must be at most "+strconv.Itoa(maxIDLen)+" bytes", ErrInvalidFactor)
	}
	if plainToken(v, lower) {
		return nil
	}
	if !utf8.ValidString(v) {
		return fielderr.New(field, v, "must be valid UTF-8", ErrInvalidFactor)
	}
	for _, r := range v {
		switch {
		case lower && !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'):
			return fielderr.New(field, v, "must use only lower-case letters, digits and . _ -", ErrInvalidFactor)
		case unicode.IsSpace(r) || unicode.IsControl(r):
			return fielderr.New(field, v, "must not contain spaces or control characters", ErrInvalidFactor)
		}
	}
	return nil
}

// plainToken reports whether v is printable ASCII without spaces (with
// lower, only a-z 0-9 . _ -): the common case of checkToken, which accepts
// it.
func plainToken(v string, lower bool) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if lower {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return false
			}
		} else if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// checkText checks a free-text field: valid UTF-8, no control characters
// other than tab, at most max bytes, and non-empty when required.
func checkText(field, v string, max int, required bool, sentinel error) error {
	if strings.TrimSpace(v) == "" {
		if required {
			return fielderr.New(field, v, "is required", sentinel)
		}
		return nil
	}
	if len(v) > max {
		return fielderr.New(field, v, "must be at most "+strconv.Itoa(max)+" bytes", sentinel)
	}
	if !utf8.ValidString(v) {
		return fielderr.New(field, v, "must be valid UTF-8", sentinel)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\t' {
			return fielderr.New(field, v, "must not contain control characters", sentinel)
		}
	}
	return nil
}
