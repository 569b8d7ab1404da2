package offset

import (
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/geo"
	"github.com/shopspring/decimal"
)

// Match covers demand d from inventory inv and returns the plan. inv is
// not changed: the plan's Remaining lists what its lots keep, and
// inv.After(plan) returns the whole remaining inventory.
//
// Lots are used in the order of the demand's strategy, lowest free grams of
// a lot first, until the demand (rounded up under its rounding rule) is
// covered; a portfolio split fills each share in turn from the lots its
// filter allows. Errors: a *footprint.FieldError for an invalid demand
// (ErrInvalidDemand, ErrUnknownCurrency, ErrUnknownCountry, or
// ErrMixedCurrencies when cheapest-first would compare currencies), or an
// *UnmetError (errors.Is ErrUnmet) when the preferences cannot be met.
// The cost is about O(lots used + values or projects the filter names),
// not O(lots); a filter combining several attributes may also pass over
// lots that one of them allows and another excludes.
func Match(inv Inventory, d Demand) (Plan, error) {
	if inv.c == nil {
		inv, _ = NewInventory(nil, nil)
	}
	r, _ := inv.c.runs.Get().(*run)
	if r == nil {
		r = new(run)
	}
	r.start(inv.c, inv.ix, inv.st, nil)
	p, err := r.match(&d)
	r.end()
	inv.c.runs.Put(r)
	return p, err
}

// Matcher allocates demand after demand from one inventory, keeping what
// each allocation takes: matching demands one by one with a Matcher gives
// the same plans as calling Match on each successive remaining inventory,
// without copying the inventory between them. A demand that fails leaves
// the Matcher unchanged. Memory is O(lots), whatever the number of
// demands. A Matcher is not safe for concurrent use; give each goroutine
// its own, or serialise calls. Make one with NewMatcher; the zero
// Matcher holds the empty inventory.
type Matcher struct {
	c   *core
	ix  *index
	st  []lotState
	r   run
	nxt [nLists][]int32 // skip pointers over each list, built on first use
	pos [nLists][]int32 // lot → its position in each list, or -1
}

// The lists of an index, as numbered for a Matcher's skip pointers.
const (
	listP    = iota // index.pList
	listV           // index.vList
	listPAll        // index.pAll
	listVAll        // index.vAll
	listAttr        // attribute a: listAttr + 2a (price), listAttr + 2a + 1 (vintage)
	nLists   = listAttr + 2*nAttr
)

// NewMatcher returns a Matcher starting from inv (which it copies; inv is
// not changed). It costs O(lots).
func NewMatcher(inv Inventory) *Matcher {
	if inv.c == nil {
		inv, _ = NewInventory(nil, nil)
	}
	return &Matcher{c: inv.c, ix: inv.ix, st: deepCopy(inv.st)}
}

// init makes a zero Matcher one over the empty inventory, as
// NewMatcher(Inventory{}) makes it.
func (m *Matcher) init() {
	if m.c == nil {
		*m = *NewMatcher(Inventory{})
	}
}

func deepCopy(st []lotState) []lotState {
	n := 0
	for _, s := range st {
		n += len(s.ranges)
	}
	buf := make([]GramRange, 0, n)
	out := make([]lotState, len(st))
	for i, s := range st {
		k := len(buf)
		buf = append(buf, s.ranges...)
		out[i] = lotState{free: s.free, ranges: buf[k:len(buf):len(buf)]}
	}
	return out
}

// Match covers d from what the Matcher still holds and keeps the
// allocation (see the package function Match for the rules and errors).
func (m *Matcher) Match(d Demand) (Plan, error) {
	m.init()
	m.r.start(m.c, m.ix, m.st, m)
	p, err := m.r.match(&d)
	m.r.end()
	return p, err
}

// Inventory returns a snapshot of what the Matcher still holds. It costs
// O(lots).
func (m *Matcher) Inventory() Inventory {
	m.init()
	st := deepCopy(m.st)
	return Inventory{c: m.c, ix: m.c.buildIndex(st), st: st}
}

// skips returns the skip pointers over list k (whose lots are list),
// building them on first use: nxt[j] == j for a lot that may still have
// free grams, and past it for one known to be exhausted.
func (m *Matcher) skips(k int, list []int32) []int32 {
	if m.nxt[k] != nil {
		return m.nxt[k]
	}
	nxt := make([]int32, len(list)+1)
	pos := make([]int32, len(m.st))
	for i := range pos {
		pos[i] = -1
	}
	for j, lot := range list {
		nxt[j] = int32(j)
		if m.st[lot].free == 0 {
			nxt[j] = int32(j + 1)
		}
		pos[lot] = int32(j)
	}
	nxt[len(list)] = int32(len(list))
	m.nxt[k], m.pos[k] = nxt, pos
	return nxt
}

// commit keeps the grams a successful run took.
func (m *Matcher) commit(ov []ovEntry) {
	for _, o := range ov {
		s := &m.st[o.lot]
		s.free -= o.taken
		t := o.taken
		for t > 0 {
			r0 := &s.ranges[0]
			if l := r0.Len(); t >= l {
				s.ranges = s.ranges[1:]
				t -= l
			} else {
				r0.From += t
				t = 0
			}
		}
		if s.free == 0 {
			for k := range m.pos {
				if m.pos[k] == nil {
					continue
				}
				if p := m.pos[k][o.lot]; p >= 0 {
					m.nxt[k][p] = p + 1
				}
			}
		}
	}
}

// find returns the first position ≥ k not known to be exhausted (path
// halving).
func find(nxt []int32, k int) int {
	for int(nxt[k]) != k {
		nxt[k] = nxt[nxt[k]]
		k = int(nxt[k])
	}
	return k
}

type ovEntry struct {
	lot   int32
	taken int64
}

// run is one match in progress: grams taken so far are kept in ov, over
// the inventory state st, until the match succeeds. Its slices are
// working memory kept between matches (a Matcher owns one run; Match
// borrows one from the inventory's pool); the plan is built in memory of
// its own.
type run struct {
	c  *core
	ix *index
	st []lotState
	m  *Matcher

	ov      []ovEntry
	ovIdx   []int32 // lot → its position in ov, valid once len(ov) > ovScan (see ovFind)
	ovSave  []ovEntry
	lineLot []int32 // the lot of each plan line
	bits    []uint64
	tmp     []uint64
	order   []int32
	segs    []cursor

	plan  Plan
	spans []SerialSpan
}

// start prepares r for a match over st.
func (r *run) start(c *core, ix *index, st []lotState, m *Matcher) {
	r.c, r.ix, r.st, r.m = c, ix, st, m
	r.ov, r.lineLot = r.ov[:0], r.lineLot[:0]
}

// end drops r's references to the inventory and the plan.
func (r *run) end() {
	r.c, r.ix, r.st, r.m = nil, nil, nil, nil
	r.plan, r.spans = Plan{}, nil
}

// ovScan is how many ov entries ovFind scans before it uses ovIdx.
const ovScan = 16

// ovFind returns the position of lot i in r.ov, or -1. A short ov is
// scanned; a longer one is looked up in ovIdx as a sparse set: ovIdx[i]
// is trusted only when it points inside ov at an entry for lot i, so
// ovIdx never needs clearing between runs, and a match drawing from n
// lots costs O(n), not O(n²).
func (r *run) ovFind(i int32) int {
	if len(r.ov) <= ovScan {
		for k := range r.ov {
			if r.ov[k].lot == i {
				return k
			}
		}
		return -1
	}
	if k := int(r.ovIdx[i]); k < len(r.ov) && r.ov[k].lot == i {
		return k
	}
	return -1
}

// ovAdd appends an entry for lot i (not in ov) and returns its position.
// Whenever ov is longer than ovScan, ovIdx holds every entry's position
// (ov only grows, or is cut back to an earlier prefix, within a run).
func (r *run) ovAdd(i int32) int {
	r.ov = append(r.ov, ovEntry{lot: i})
	k := len(r.ov) - 1
	switch {
	case len(r.ov) == ovScan+1:
		if len(r.ovIdx) < len(r.c.lots) {
			r.ovIdx = make([]int32, len(r.c.lots))
		}
		for j, o := range r.ov {
			r.ovIdx[o.lot] = int32(j)
		}
	case len(r.ov) > ovScan+1:
		r.ovIdx[i] = int32(k)
	}
	return k
}

func (r *run) taken(i int32) int64 {
	if k := r.ovFind(i); k >= 0 {
		return r.ov[k].taken
	}
	return 0
}

func (r *run) free(i int32) int64 { return r.st[i].free - r.taken(i) }

type query struct {
	strategy    Strategy
	all         bool
	named       bool // a filter names projects
	bits        []uint64
	order       []int32
	vLo, vHi    int
	cur         string
	cap         decimal.Decimal
	capS        scaled
	capOK       bool
	hasCap      bool
	retiredOnly bool
}

// filters are the filters a query applies: the demand's, and the share's
// in a split. (Kept out of query, which is partly copied into the plan,
// so that the demand does not escape to the heap.)
type filters struct {
	f [2]*Filter
	n int
}

func (fs *filters) list() []*Filter { return fs.f[:fs.n] }

func (q *query) has(p int32) bool { return q.bits[p/64]&(1<<(p%64)) != 0 }

// planBuf holds, in one allocation, the slices of a plan of one share,
// one line and one currency; a larger plan grows out of it.
type planBuf struct {
	shares [1]PlanShare
	lines  [1]Line
	spans  [3]SerialSpan // a line has at most 3 spans
	costs  [1]Cost
	rem    [1]LotBalance
}

func (r *run) match(d *Demand) (Plan, error) {
	target, amount, known, err := d.rounded()
	if err != nil {
		return Plan{}, err
	}
	prefs := &d.Preferences
	shares := prefs.Split
	var one [1]Share
	var onePart [1]int64
	var parts []int64
	if len(shares) == 0 {
		one[0].Percent = hundred
		shares = one[:]
		onePart[0] = target
		parts = onePart[:]
	} else {
		parts = apportion(target, shares)
	}
	buf := new(planBuf)
	r.plan = Plan{Serial: d.Serial, Demand: d.Amount, Lines: buf.lines[:0], Shares: buf.shares[:]}
	r.spans = buf.spans[:0]
	if len(shares) > 1 {
		r.plan.Shares = make([]PlanShare, len(shares))
	}
	for s := range shares {
		fs := filters{f: [2]*Filter{&prefs.Filter, &shares[s].Filter}, n: 1}
		if len(prefs.Split) > 0 {
			fs.n = 2
		}
		q, err := r.compile(d, &fs, s)
		if err != nil {
			return Plan{}, err
		}
		r.plan.Shares[s] = PlanShare{Percent: shares[s].Percent, Strategy: q.strategy}
		if len(shares) > 1 {
			r.plan.Shares[s].Amount = gramsCO2e(parts[s])
		}
		r.ovSave = append(r.ovSave[:0], r.ov...)
		if got := r.fill(&q, &fs, parts[s], s); got < parts[s] {
			r.ov = append(r.ov[:0], r.ovSave...) // report availability as it was before this share
			share := -1
			if len(prefs.Split) > 0 {
				share = s
			}
			return Plan{}, r.unmet(d, &shares[s].Filter, share, &q, parts[s])
		}
	}
	if len(r.ov) <= len(buf.rem) {
		r.plan.Remaining = buf.rem[:len(r.ov)]
	} else {
		r.plan.Remaining = make([]LotBalance, len(r.ov))
	}
	for k, o := range r.ov {
		r.plan.Remaining[k] = LotBalance{Lot: r.c.lots[o.lot].lot.ID, FreeGrams: r.st[o.lot].free - o.taken}
	}
	if !known {
		amount = gramsCO2e(target)
	}
	r.finish(amount, buf)
	if len(shares) == 1 {
		r.plan.Shares[0].Amount = r.plan.Amount
	}
	if r.m != nil {
		r.m.commit(r.ov)
	}
	return r.plan, nil
}

// finish fills the lines' amounts and costs and the plan's totals; amount
// is the plan's amount (the sum of its lines). Costs are computed on int64
// coefficients when they fit, else on decimals; the result is the same
// exact value.
func (r *run) finish(amount footprint.CO2e, buf *planBuf) {
	p := &r.plan
	type acc struct {
		cur   string
		minor int32
		s     scaled
		ok    bool
		d     decimal.Decimal
	}
	var accs [2]acc
	as := accs[:0]
	for k := range p.Lines {
		ln := &p.Lines[k]
		li := &r.c.lots[r.lineLot[k]]
		g := ln.Grams.Len()
		if len(p.Lines) == 1 {
			ln.Amount = amount
		} else {
			ln.Amount = gramsCO2e(g)
		}
		var cs scaled
		ok := li.priceOK
		if ok {
			cs, ok = costOf(li.price, g)
		}
		switch {
		case g == GramsPerTonne:
			ln.Cost = ln.Price.Amount // one tonne costs the price; decimals are immutable
		case ok:
			ln.Cost = cs.decimal()
		default:
			ln.Cost = ln.Price.Amount.Mul(decimal.New(g, -6))
		}
		i := -1
		for j := range as {
			if as[j].cur == ln.Price.Currency {
				i = j
				break
			}
		}
		if i < 0 {
			as = append(as, acc{cur: ln.Price.Currency, minor: li.minor, s: cs, ok: ok, d: ln.Cost})
			continue
		}
		a := &as[i]
		if a.ok && ok {
			if sum, fits := addScaled(a.s, cs); fits {
				a.s = sum
				continue
			}
		}
		if a.ok {
			a.d = a.s.decimal()
		}
		a.ok = false
		a.d = a.d.Add(ln.Cost)
	}
	if len(as) <= len(buf.costs) {
		p.Costs = buf.costs[:len(as)]
	} else {
		p.Costs = make([]Cost, len(as))
	}
	for i, a := range as {
		n := a.minor
		c := Cost{Currency: a.cur}
		if a.ok {
			if len(p.Lines) == 1 {
				c.Exact = p.Lines[0].Cost // the same value; decimals are immutable
			} else {
				c.Exact = a.s.decimal()
			}
			if up, _ := ceilTo(a.s, n); cmpScaled(up, a.s) != 0 {
				c.Amount = up.decimal()
			} else {
				c.Amount = c.Exact // already in whole minor units
			}
		} else {
			c.Exact = a.d
			c.Amount = a.d.RoundCeil(n)
		}
		p.Costs[i] = c
	}
	if len(p.Costs) > 1 {
		slices.SortFunc(p.Costs, func(a, b Cost) int { return strings.Compare(a.Currency, b.Currency) })
	}
	p.Amount = amount
}

// apportion splits total grams between shares by the largest-remainder
// method: each share gets floor(total × percent / 100) and the grams left
// over go one each to the largest remainders (ties to the earlier share),
// so every share is within one gram of its exact part and the parts add
// up to total.
func apportion(total int64, shares []Share) []int64 {
	out := make([]int64, len(shares))
	if len(shares) == 1 {
		out[0] = total
		return out
	}
	rem := make([]decimal.Decimal, len(shares))
	left := total
	t := decimal.NewFromInt(total)
	for i, s := range shares {
		exact := t.Mul(s.Percent).Shift(-2)
		fl := exact.Floor()
		out[i] = fl.IntPart()
		rem[i] = exact.Sub(fl)
		left -= out[i]
	}
	idx := make([]int, len(shares))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rem[idx[a]].GreaterThan(rem[idx[b]]) })
	for k := 0; left > 0; k++ {
		out[idx[k%len(idx)]]++
		left--
	}
	return out
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}

// filterDims lists a filter's attribute lists in the fixed order used by
// matching and by UnmetError.
func filterDims(f *Filter) [nAttr]struct {
	name string
	vals []string
} {
	return [nAttr]struct {
		name string
		vals []string
	}{
		attrType:       {"types", strs(f.Types)},
		attrCountry:    {"countries", f.Countries},
		attrContinent:  {"continents", f.Continents},
		attrHemisphere: {"hemispheres", strs(f.Hemispheres)},
		attrStandard:   {"standards", strs(f.Standards)},
		attrUnitType:   {"unitTypes", strs(f.UnitTypes)},
	}
}

// dimLen returns the number of values filter f lists for attribute a.
func dimLen(f *Filter, a int) int {
	switch a {
	case attrType:
		return len(f.Types)
	case attrCountry:
		return len(f.Countries)
	case attrContinent:
		return len(f.Continents)
	case attrHemisphere:
		return len(f.Hemispheres)
	case attrStandard:
		return len(f.Standards)
	}
	return len(f.UnitTypes)
}

// dimVal returns the i-th value filter f lists for attribute a.
func dimVal(f *Filter, a, i int) string {
	switch a {
	case attrType:
		return string(f.Types[i])
	case attrCountry:
		return f.Countries[i]
	case attrContinent:
		return f.Continents[i]
	case attrHemisphere:
		return string(f.Hemispheres[i])
	case attrStandard:
		return string(f.Standards[i])
	}
	return string(f.UnitTypes[i])
}

// projectBits returns the bitset of named projects.
func (r *run) projectBits(ids []string, path string) ([]uint64, error) {
	bs := make([]uint64, r.c.words)
	for i, id := range ids {
		p, ok := r.c.projIdx[id]
		if !ok {
			return nil, fielderr.New(path+"["+strconv.Itoa(i)+"]", id, "is not a project of the inventory", ErrInvalidDemand)
		}
		bs[p/64] |= 1 << (p % 64)
	}
	return bs, nil
}

// attrBits returns the bitset of projects whose attribute a is in vals.
func (r *run) attrBits(a int, vals []string) []uint64 {
	bs := make([]uint64, r.c.words)
	for _, v := range vals {
		for w, x := range r.c.attr[a][v].bits {
			bs[w] |= x
		}
	}
	return bs
}

func and(dst, src []uint64) {
	for w := range dst {
		dst[w] &= src[w]
	}
}

// scratchBits returns *buf resized to the inventory's bitset length (its
// contents are not cleared).
func (r *run) scratchBits(buf *[]uint64) []uint64 {
	*buf = slices.Grow((*buf)[:0], r.c.words)[:r.c.words]
	return *buf
}

// filterPath is the JSON path of the k-th filter of a query for share s.
func filterPath(k, s int) string {
	if k == 0 {
		return "preferences"
	}
	return "preferences.split[" + strconv.Itoa(s) + "]"
}

// compile turns the demand's preferences and the filters fs of share s
// into a query. The query's bitset and order live in r's working memory.
func (r *run) compile(d *Demand, fs *filters, s int) (query, error) {
	p := &d.Preferences
	q := query{all: true, vLo: p.VintageFrom, vHi: p.VintageTo, cur: p.Currency, retiredOnly: p.RetiredOnly}
	if p.MaxAge > 0 && p.ReferenceYear-p.MaxAge > q.vLo {
		q.vLo = p.ReferenceYear - p.MaxAge
	}
	if p.MaxPrice != nil {
		q.cur, q.cap, q.hasCap = p.MaxPrice.Currency, p.MaxPrice.Amount, true
		q.capS, q.capOK = toScaled(q.cap)
	}
	n := len(r.c.projects)
	q.bits = r.scratchBits(&r.bits)
	for i := 0; i < n; i += 64 {
		if n-i >= 64 {
			q.bits[i/64] = ^uint64(0)
		} else {
			q.bits[i/64] = 1<<(n-i) - 1
		}
	}
	// The buyer's order of choice: the share's named projects, else the
	// demand's; r.order collects their indices as they are looked up.
	namedK := 0
	if fs.n > 1 && len(fs.f[1].Projects) > 0 {
		namedK = 1
	}
	named := fs.f[namedK].Projects
	r.order = r.order[:0]
	for k, f := range fs.list() {
		if len(f.Projects) > 0 {
			tmp := r.scratchBits(&r.tmp)
			clear(tmp)
			for i, id := range f.Projects {
				pi, ok := r.c.projIdx[id]
				if !ok {
					return query{}, fielderr.New(filterPath(k, s)+".projects["+strconv.Itoa(i)+"]", id, "is not a project of the inventory", ErrInvalidDemand)
				}
				tmp[pi/64] |= 1 << (pi % 64)
				if k == namedK {
					r.order = append(r.order, pi)
				}
			}
			and(q.bits, tmp)
			q.all, q.named = false, true
		}
		for a := range nAttr {
			nv := dimLen(f, a)
			if nv == 0 {
				continue
			}
			tmp := r.scratchBits(&r.tmp)
			clear(tmp)
			for i := range nv {
				for w, x := range r.c.attr[a][dimVal(f, a, i)].bits {
					tmp[w] |= x
				}
			}
			and(q.bits, tmp)
			q.all = false
		}
	}
	q.strategy = p.Strategy
	if q.strategy == "" {
		q.strategy = Cheapest
		if len(named) > 0 {
			q.strategy = BuyerOrder
		}
	}
	switch q.strategy {
	case BuyerOrder:
		q.order = slices.DeleteFunc(r.order, func(pi int32) bool { return !q.has(pi) })
	case Closest:
		co := r.c.closestFrom(d.Country)
		if co.err != nil {
			return query{}, co.err
		}
		q.order = co.order
	case Cheapest:
		if q.cur == "" && len(r.c.allCur) > 1 {
			var cs []string
			for k, cur := range r.c.allCur {
				if q.all || intersects(q.bits, r.c.curBits[k]) {
					cs = append(cs, cur)
				}
			}
			if len(cs) > 1 {
				// The allowed projects have lots in several currencies;
				// only the lots the demand can use count.
				cs = r.usableCurrencies(&q, cs)
			}
			if len(cs) > 1 {
				return query{}, fielderr.New("preferences.currency", "",
					"cheapest first needs one currency: the allowed lots are priced in "+strings.Join(cs, ", ")+"; set currency or maxPrice", ErrMixedCurrencies)
			}
		}
	}
	return q, nil
}

// usableCurrencies returns those of the currencies cands (sorted) in which
// query q, of no currency, can use a lot: one of an allowed project with
// free grams that passes check (vintage, status). The per-project
// currency bitsets compile tries first ignore those, so a demand whose
// vintage bounds leave one currency would otherwise be refused as mixed.
// Price lists are sorted by currency first, so once a currency is found
// the rest of its run is skipped (binary search); it costs at most
// O(allowed projects + lots of the currencies not found).
func (r *run) usableCurrencies(q *query, cands []string) []string {
	found := make([]bool, len(cands))
	left := len(cands)
	scan := func(seg []int32) {
		for k := 0; k < len(seg) && left > 0; {
			cur := r.c.lots[seg[k]].lot.Price.Currency
			c, ok := slices.BinarySearch(cands, cur)
			if ok && !found[c] {
				i := seg[k]
				if r.free(i) <= 0 || r.check(q, i, true) != use {
					k++
					continue
				}
				found[c] = true
				left--
			}
			// Skip the rest of this currency's run.
			k += sort.Search(len(seg)-k, func(j int) bool { return r.c.lots[seg[k+j]].lot.Price.Currency > cur })
		}
	}
	if q.all {
		scan(r.ix.pAll)
	} else {
		for w, x := range q.bits {
			for x != 0 && left > 0 {
				p := w*64 + bits.TrailingZeros64(x)
				x &= x - 1
				scan(r.ix.pList[r.ix.start[p]:r.ix.start[p+1]])
			}
		}
	}
	out := cands[:0]
	for c, ok := range found {
		if ok {
			out = append(out, cands[c])
		}
	}
	return out
}

func intersects(a, b []uint64) bool {
	for w := range a {
		if a[w]&b[w] != 0 {
			return true
		}
	}
	return false
}

func popcount(bs []uint64) int {
	n := 0
	for _, x := range bs {
		n += bits.OnesCount64(x)
	}
	return n
}

func (q *query) overCap(li *lotInfo) bool {
	if q.capOK && li.priceOK {
		return cmpScaled(li.price, q.capS) > 0
	}
	return li.lot.Price.Amount.GreaterThan(q.cap)
}

type verdict int

const (
	use verdict = iota
	skip
	stop
)

// check decides whether lot i fits q; in a list sorted by price (priceOrder)
// or by vintage, a lot past the limit ends the walk.
func (r *run) check(q *query, i int32, priceOrder bool) verdict {
	li := &r.c.lots[i]
	l := &li.lot
	if !q.all && !q.has(li.proj) {
		return skip
	}
	if q.cur != "" && l.Price.Currency != q.cur {
		if priceOrder && l.Price.Currency > q.cur {
			return stop
		}
		return skip
	}
	if q.hasCap && q.overCap(li) {
		if priceOrder {
			return stop
		}
		return skip
	}
	if q.vHi != 0 && l.Vintage > q.vHi {
		if !priceOrder {
			return stop
		}
		return skip
	}
	if q.vLo != 0 && l.Vintage < q.vLo {
		return skip
	}
	if q.retiredOnly && l.Status != Retired {
		return skip
	}
	return use
}

// advance returns the first position ≥ k in list[:end] of a lot with free
// grams that fits q, or end.
func (r *run) advance(q *query, list, nxt []int32, k, end int, priceOrder bool) int {
	for k < end {
		if nxt != nil {
			if k = find(nxt, k); k >= end {
				return end
			}
		}
		i := list[k]
		if r.free(i) > 0 {
			switch r.check(q, i, priceOrder) {
			case use:
				return k
			case stop:
				return end
			}
		}
		k++
	}
	return end
}

// list returns list k of the index and, in a Matcher, its skip pointers.
func (r *run) list(k int) (list, nxt []int32) {
	switch k {
	case listP:
		list = r.ix.pList
	case listV:
		list = r.ix.vList
	case listPAll:
		list = r.ix.pAll
	case listVAll:
		list = r.ix.vAll
	default:
		ai := r.ix.attrLists(r.c, (k-listAttr)/2)
		list = ai.p
		if (k-listAttr)%2 == 1 {
			list = ai.v
		}
	}
	if r.m != nil {
		nxt = r.m.skips(k, list)
	}
	return list, nxt
}

// fromVintage returns the first position in list[k:end] (sorted by
// vintage) of a lot of vintage ≥ q.vLo.
func (r *run) fromVintage(q *query, list []int32, k, end int) int {
	return k + sort.Search(end-k, func(j int) bool { return r.c.lots[list[k+j]].lot.Vintage >= q.vLo })
}

// walk takes from list[k:end] in order until need grams are taken.
func (r *run) walk(q *query, list, nxt []int32, k, end int, priceOrder bool, need int64, share int) int64 {
	var got int64
	if !priceOrder && q.vLo != 0 {
		k = r.fromVintage(q, list, k, end)
	}
	for got < need {
		if k = r.advance(q, list, nxt, k, end, priceOrder); k >= end {
			break
		}
		got += r.take(list[k], need-got, share)
		k++
	}
	return got
}

// cursor is a position k in a segment of a list ending at end; rank is the
// global rank of the lot at k.
type cursor struct {
	rank   int32
	k, end int
}

// mergeProjects is the number of allowed projects up to which a filter on
// several attributes merges the allowed projects' lists rather than walk
// the lots of one attribute's values.
const mergeProjects = 16

// fill takes need grams for share s under q and returns what it found.
func (r *run) fill(q *query, fs *filters, need int64, s int) int64 {
	ix := r.ix
	switch q.strategy {
	case BuyerOrder, Closest:
		list, nxt := r.list(listV)
		var got int64
		for _, p := range q.order {
			if !q.has(p) {
				continue
			}
			got += r.walk(q, list, nxt, int(ix.start[p]), int(ix.start[p+1]), false, need-got, s)
			if got == need {
				break
			}
		}
		return got
	}
	priceOrder := q.strategy == Cheapest
	order := 0 // 0 price, 1 vintage
	if !priceOrder {
		order = 1
	}
	if q.all {
		list, nxt := r.list(listPAll + order)
		return r.walk(q, list, nxt, 0, len(list), priceOrder, need, s)
	}
	// The allowed lots are the union of segments of one list: either the
	// values an attribute filter names (each value's lots are contiguous
	// in that attribute's list) or the allowed projects (each project's
	// lots are contiguous in pList and vList). Merge the segments by
	// global rank.
	segs := r.segs[:0]
	f, a := r.driver(q, fs)
	var list, nxt []int32
	if a >= 0 {
		list, nxt = r.list(listAttr + 2*a + order)
		segs = r.groupSegs(segs, f, a)
	} else {
		list, nxt = r.list(listP + order)
		for w, x := range q.bits {
			for x != 0 {
				p := w*64 + bits.TrailingZeros64(x)
				x &= x - 1
				if st, en := ix.start[p], ix.start[p+1]; st < en {
					segs = append(segs, cursor{k: int(st), end: int(en)})
				}
			}
		}
	}
	r.segs = segs
	return r.merge(q, list, nxt, segs, priceOrder, need, s)
}

// driver chooses the attribute (and the filter listing it) whose values'
// lots fill walks, or returns a < 0 to merge the allowed projects' lists:
// one attribute listed by one filter (and no named projects) is exact, its
// values' lots are exactly the allowed ones; with several, the one with
// the fewest lots, unless few projects are allowed.
func (r *run) driver(q *query, fs *filters) (*Filter, int) {
	var f *Filter
	a, cands := -1, 0
	for _, g := range fs.list() {
		for b := range nAttr {
			if dimLen(g, b) > 0 {
				f, a = g, b
				cands++
			}
		}
	}
	if cands <= 1 && !q.named {
		return f, a
	}
	if cands == 0 || popcount(q.bits) <= mergeProjects {
		return nil, -1
	}
	best := -1
	for _, g := range fs.list() {
		for b := range nAttr {
			if dimLen(g, b) == 0 {
				continue
			}
			n := 0
			for _, c := range r.groupSegs(r.segs[:0], g, b) {
				n += c.end - c.k
			}
			if best < 0 || n < best {
				best, f, a = n, g, b
			}
		}
	}
	return f, a
}

// groupSegs appends the segments of attribute a's lists holding the lots
// of the values f lists for a (once each; unknown values have none).
func (r *run) groupSegs(segs []cursor, f *Filter, a int) []cursor {
	ai := r.ix.attrLists(r.c, a)
	base := len(segs)
	for i := range dimLen(f, a) {
		v, ok := r.c.attr[a][dimVal(f, a, i)]
		if !ok {
			continue
		}
		st, en := int(ai.start[v.group]), int(ai.start[v.group+1])
		if st == en || slices.ContainsFunc(segs[base:], func(c cursor) bool { return c.k == st }) {
			continue
		}
		segs = append(segs, cursor{k: st, end: en})
	}
	return segs
}

// merge takes from the segments of list, each sorted by rank, in global
// rank order until need grams are taken. It reuses segs as its heap.
func (r *run) merge(q *query, list, nxt []int32, segs []cursor, priceOrder bool, need int64, s int) int64 {
	if len(segs) == 1 {
		return r.walk(q, list, nxt, segs[0].k, segs[0].end, priceOrder, need, s)
	}
	rank := func(i int32) int32 {
		if priceOrder {
			return r.c.lots[i].rankP
		}
		return r.c.lots[i].rankV
	}
	h := segs[:0]
	for _, c := range segs {
		start, end := c.k, c.end
		if !priceOrder && q.vLo != 0 {
			start = r.fromVintage(q, list, start, end)
		}
		if k := r.advance(q, list, nxt, start, end, priceOrder); k < end {
			h = append(h, cursor{rank(list[k]), k, end})
		}
	}
	less := func(a, b int) bool { return h[a].rank < h[b].rank }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			if l+1 < len(h) && less(l+1, l) {
				l++
			}
			if !less(l, i) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	var got int64
	for got < need && len(h) > 0 {
		c := h[0]
		got += r.take(list[c.k], need-got, s)
		if got == need {
			break
		}
		if k := r.advance(q, list, nxt, c.k+1, c.end, priceOrder); k < c.end {
			h[0] = cursor{rank(list[k]), k, c.end}
		} else {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		down(0)
	}
	return got
}

// take allocates up to want grams of lot i, lowest free grams first, adding
// one line per contiguous range, and returns how many it took.
func (r *run) take(i int32, want int64, share int) int64 {
	o := r.ovFind(i)
	if o < 0 {
		o = r.ovAdd(i)
	}
	skipG := r.ov[o].taken
	left := want
	for _, rg := range r.st[i].ranges {
		if left == 0 {
			break
		}
		l := rg.Len()
		if skipG >= l {
			skipG -= l
			continue
		}
		from := rg.From + skipG
		skipG = 0
		n := min(rg.To-from, left)
		r.line(i, GramRange{from, from + n}, share)
		left -= n
	}
	got := want - left
	r.ov[o].taken += got
	return got
}

func (r *run) line(i int32, g GramRange, share int) {
	li := &r.c.lots[i]
	l := &li.lot
	p := &r.c.projects[li.proj]
	a := len(r.spans)
	r.spans = appendSpans(r.spans, l.Block.Start, g)
	sub, _ := l.Block.Sub(l.Block.Start+uint64(g.From/GramsPerTonne), l.Block.Start+uint64((g.To-1)/GramsPerTonne))
	r.lineLot = append(r.lineLot, i)
	r.plan.Lines = append(r.plan.Lines, Line{
		Share: share, Lot: l.ID, Project: p.ID, ProjectName: p.Name, Standard: p.Standard, Type: p.Type,
		UnitType: p.UnitType, Country: p.Country, RegistryURL: p.RegistryURL, Vintage: l.Vintage,
		Status: l.Status, Block: sub, Grams: g, Serials: r.spans[a:len(r.spans):len(r.spans)], Price: l.Price,
	})
}

// closestOrder is the projects of an inventory sorted by distance from one
// country of use.
type closestOrder struct {
	order []int32
	err   error
}

// closestFrom returns the projects sorted by the great-circle distance
// between the representative points of country and of each project's
// country (ties and projects whose country has no point, last, by project
// ID). Results are memoised per country in the core (safe for concurrent
// use).
func (c *core) closestFrom(country string) *closestOrder {
	if v, ok := c.closest.Load(country); ok {
		return v.(*closestOrder)
	}
	co := &closestOrder{}
	from, ok := geo.ByAlpha2(country)
	if !ok || !from.HasPoint {
		co.err = fielderr.New("country", country, "the country table has no representative point for it, so the closest strategy cannot rank projects", ErrUnknownCountry)
	} else {
		a := footprint.Coordinates{Lat: from.Lat, Lon: from.Lon}
		dist := map[string]footprint.Distance{}
		known := map[string]bool{}
		for _, p := range c.projects {
			if _, done := known[p.Country]; done {
				continue
			}
			to, ok := geo.ByAlpha2(p.Country)
			if ok && to.HasPoint {
				d, err := footprint.GreatCircle(a, footprint.Coordinates{Lat: to.Lat, Lon: to.Lon})
				if err == nil {
					dist[p.Country] = d
					known[p.Country] = true
					continue
				}
			}
			known[p.Country] = false
		}
		co.order = make([]int32, len(c.projects))
		for i := range co.order {
			co.order[i] = int32(i)
		}
		slices.SortStableFunc(co.order, func(x, y int32) int {
			cx, cy := c.projects[x].Country, c.projects[y].Country
			kx, ky := known[cx], known[cy]
			switch {
			case kx && !ky:
				return -1
			case !kx && ky:
				return 1
			case kx && ky:
				return dist[cx].Cmp(dist[cy])
			}
			return 0
		})
	}
	v, _ := c.closest.LoadOrStore(country, co)
	return v.(*closestOrder)
}

// unmet builds the UnmetError for share s that could not get asked grams.
func (r *run) unmet(d *Demand, sf *Filter, s int, q *query, asked int64) error {
	p := &d.Preferences
	type cons struct {
		name, rule string
		ok         func(i int32) bool
	}
	inBits := func(bs []uint64) func(int32) bool {
		return func(i int32) bool {
			pr := r.c.lots[i].proj
			return bs[pr/64]&(1<<(pr%64)) != 0
		}
	}
	var cs []cons
	addFilter := func(f *Filter, prefix string) {
		if len(f.Projects) > 0 {
			bs, _ := r.projectBits(f.Projects, "")
			cs = append(cs, cons{prefix + "projects", "project in [" + strings.Join(f.Projects, ", ") + "]", inBits(bs)})
		}
		for a, dim := range filterDims(f) {
			if len(dim.vals) > 0 {
				cs = append(cs, cons{prefix + dim.name, strings.TrimSuffix(dim.name, "s") + " in [" + strings.Join(dim.vals, ", ") + "]", inBits(r.attrBits(a, dim.vals))})
			}
		}
	}
	addFilter(&p.Filter, "")
	if s >= 0 {
		addFilter(sf, "split["+strconv.Itoa(s)+"].")
	}
	if q.vLo != 0 || q.vHi != 0 {
		rule := "vintage"
		if q.vLo != 0 {
			rule += " ≥ " + strconv.Itoa(q.vLo)
			if p.MaxAge > 0 {
				rule += " (at most " + strconv.Itoa(p.MaxAge) + " years before " + strconv.Itoa(p.ReferenceYear) + ")"
			}
		}
		if q.vHi != 0 {
			if q.vLo != 0 {
				rule += " and"
			}
			rule += " ≤ " + strconv.Itoa(q.vHi)
		}
		lo, hi := q.vLo, q.vHi
		cs = append(cs, cons{"vintage", rule, func(i int32) bool {
			v := r.c.lots[i].lot.Vintage
			return (lo == 0 || v >= lo) && (hi == 0 || v <= hi)
		}})
	}
	if p.Currency != "" {
		cur := p.Currency
		cs = append(cs, cons{"currency", "priced in " + cur, func(i int32) bool { return r.c.lots[i].lot.Price.Currency == cur }})
	}
	if p.MaxPrice != nil {
		mp := *p.MaxPrice
		cs = append(cs, cons{"maxPrice", "price ≤ " + mp.String() + "; lots in other currencies are excluded (no exchange rates)", func(i int32) bool {
			pr := r.c.lots[i].lot.Price
			return pr.Currency == mp.Currency && !pr.Amount.GreaterThan(mp.Amount)
		}})
	}
	if p.RetiredOnly {
		cs = append(cs, cons{"retiredOnly", "retired lots only", func(i int32) bool { return r.c.lots[i].lot.Status == Retired }})
	}
	// Each sum adds the free grams of distinct lots, so it is at most the
	// inventory's total grams, which NewInventory keeps ≤ math.MaxInt64.
	alone := make([]int64, len(cs))
	cum := make([]int64, len(cs))
	var total int64
	for i := range int32(len(r.c.lots)) {
		f := r.free(i)
		if f == 0 {
			continue
		}
		total += f
		all := true
		for k, c := range cs {
			ok := c.ok(i)
			if ok {
				alone[k] += f
			}
			all = all && ok
			if all {
				cum[k] += f
			}
		}
	}
	e := &UnmetError{Serial: d.Serial, Share: s, Asked: gramsCO2e(asked), Available: gramsCO2e(total)}
	e.Constraints = append(e.Constraints, Constraint{Name: "inventory", Rule: "free stock", Alone: gramsCO2e(total), Cumulative: gramsCO2e(total)})
	if total < asked {
		e.Binding = "inventory"
	}
	for k, c := range cs {
		e.Constraints = append(e.Constraints, Constraint{Name: c.name, Rule: c.rule, Alone: gramsCO2e(alone[k]), Cumulative: gramsCO2e(cum[k])})
		if e.Binding == "" && cum[k] < asked {
			e.Binding = c.name
		}
		e.Available = gramsCO2e(cum[k])
	}
	if e.Binding == "" {
		// Every constraint leaves enough, yet the walk came short: only
		// possible when the demand's shares compete for the same lots.
		e.Binding = "split"
	}
	return e
}
