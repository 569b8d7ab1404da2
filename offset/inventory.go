package offset

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
)

// Inventory is an immutable snapshot of the credits a seller holds: the
// projects, the lots and, per lot, which grams are still free. It is
// indexed for matching (lots kept sorted by price and by vintage, overall,
// per project and per attribute value), so matching one demand does not
// scan every lot.
//
// An Inventory never changes once built: Match reads it and reports what
// would remain; After applies a plan and returns a new Inventory; a
// Matcher copies it and allocates demand after demand. It is safe for
// concurrent use. The zero Inventory is empty.
type Inventory struct {
	c  *core
	ix *index
	st []lotState
}

// lotState is what is free in one lot: free grams and the free ranges,
// sorted. Slices in an Inventory are never modified.
type lotState struct {
	free   int64
	ranges []GramRange
}

type lotInfo struct {
	lot     Lot // as given to NewInventory, without Allocated (see lotState)
	proj    int32
	rankP   int32  // rank in the price order (currency, price, vintage, ID)
	rankV   int32  // rank in the vintage order (vintage, currency, price, ID)
	price   scaled // the price per tonne, when it fits (priceOK)
	priceOK bool
	minor   int32 // the decimal places of the price's currency's minor unit
}

// Project attributes indexed as bitsets of projects.
const (
	attrType = iota
	attrCountry
	attrContinent
	attrHemisphere
	attrStandard
	attrUnitType
	nAttr
)

// core is the part of an inventory that never changes between snapshots:
// projects, lots' static data, ranks and attribute indexes.
type core struct {
	projects   []Project // resolved, sorted by ID
	projIdx    map[string]int32
	lots       []lotInfo // sorted by ID
	lotIdx     map[string]int32
	byRankP    []int32 // lots in price order
	byRankV    []int32 // lots in vintage order
	words      int
	attr       [nAttr]map[string]attrValue
	projGroup  [nAttr][]int32 // per attribute, project → its value's group
	nGroups    [nAttr]int
	currencies [][]string // per project, distinct, sorted
	allCur     []string
	curBits    [][]uint64 // per currency of allCur, the projects with a lot in it
	closest    sync.Map   // country of use → *closestOrder (memo, computed on demand)
	runs       sync.Pool  // *run: matching scratch, reused between calls of Match
}

// attrValue is one value of a project attribute: its group number in the
// per-attribute lot lists and the bitset of projects that have it.
type attrValue struct {
	group int32
	bits  []uint64
}

// index lists the lots with free grams, per project (concatenated, with
// offsets in start) and over the whole inventory, in price and in vintage
// order; per attribute, grouped by value (built on first use).
type index struct {
	start        []int32 // per project offsets into pList and vList, len P+1
	pList, vList []int32
	pAll, vAll   []int32
	attr         [nAttr]attrIndex
}

// attrIndex lists the lots with free grams grouped by the value of one
// project attribute (concatenated, with offsets in start), in price and in
// vintage order within each group, so a filter on that attribute walks
// the lots it allows without visiting each allowed project.
type attrIndex struct {
	once  sync.Once
	start []int32 // per group offsets into p and v, len groups+1
	p, v  []int32
}

// attrLists returns the lists of attribute a, building them on first use
// in O(lots with free grams).
func (ix *index) attrLists(c *core, a int) *attrIndex {
	ai := &ix.attr[a]
	ai.once.Do(func() {
		g := c.projGroup[a]
		ai.start = make([]int32, c.nGroups[a]+1)
		for _, i := range ix.pAll {
			ai.start[g[c.lots[i].proj]+1]++
		}
		for k := range c.nGroups[a] {
			ai.start[k+1] += ai.start[k]
		}
		fill := func(all []int32) []int32 {
			out := make([]int32, len(all))
			next := slices.Clone(ai.start[:c.nGroups[a]])
			for _, i := range all {
				k := g[c.lots[i].proj]
				out[next[k]] = i
				next[k]++
			}
			return out
		}
		ai.p, ai.v = fill(ix.pAll), fill(ix.vAll)
	})
	return ai
}

// NewInventory validates projects and lots and returns the inventory they
// form. Projects are resolved (continent and hemisphere derived, see
// Project.Resolved). Each lot must name a project of the list, have a
// unique ID, a serial block whose count equals its tonnes and, when its
// serial carries a country, the project's country.
//
// No serial may belong to two lots, so one credit cannot be sold on two
// certificates: two blocks of the same serial namespace must not share a
// serial (overlap or coincide). The namespace, within which a registry's
// numbers are unique, is
//
//   - for a Verra block, all Verra blocks: Verra numbers its units across
//     the whole registry (a serial's first and last numbers are
//     registry-wide), so two Verra blocks sharing a unit number conflict
//     whatever their project, issuance batch or vintage;
//   - for a Gold Standard block, the serial without its first and last
//     numbers (SerialBlock.Prefix: project, product code, vintage and
//     issuance batch), since Gold Standard numbers each batch from 1;
//   - for a generic range, the lot's project (Lot.Project): such a block
//     names no registry, so blocks of different projects are not compared.
//
// The lots' sizes together must not exceed math.MaxInt64 grams
// (9,223,372,036,854 t), so every sum of grams over the inventory
// (TotalFreeGrams, what an UnmetError reports) fits in an int64; the lot
// where the running total would pass it is refused on its "tonnes" with
// ErrInvalidInventory.
//
// Blocks of different formats are never compared. The fields the check
// reads are canonical (ParseSerialBlock refuses leading zeros in the first
// and last serial numbers and in the Gold Standard prefix fields; Verra's
// other fields are not part of its namespace and are kept as written; and
// SerialBlock.Validate refuses a block that is not what its text parses
// to), so one credit cannot be spelt two ways to dodge the check. Errors are field errors
// with paths such as "lots[3].block"; an overlap wraps ErrInvalidInventory
// and names the later lot of the two ("lots[1].block: overlaps lots[0]
// (L1) serials 1-10 (...)", got "5-14"). It costs O(n log n) for n lots.
func NewInventory(projects []Project, lots []Lot) (Inventory, error) {
	c := &core{projIdx: make(map[string]int32, len(projects)), lotIdx: make(map[string]int32, len(lots))}
	c.projects = make([]Project, 0, len(projects))
	for i, p := range projects {
		r, err := p.Resolved()
		if err != nil {
			return Inventory{}, fielderr.Prefix("projects["+strconv.Itoa(i)+"]", err)
		}
		if _, dup := c.projIdx[r.ID]; dup {
			return Inventory{}, fielderr.New("projects["+strconv.Itoa(i)+"].id", r.ID, "is a duplicate project ID", ErrInvalidInventory)
		}
		c.projIdx[r.ID] = int32(i)
		c.projects = append(c.projects, r.clone()) // the caller keeps its Location and SDGs
	}
	slices.SortFunc(c.projects, func(a, b Project) int { return strings.Compare(a.ID, b.ID) })
	for i, p := range c.projects {
		c.projIdx[p.ID] = int32(i)
	}
	c.lots = make([]lotInfo, 0, len(lots))
	states := make([]lotState, 0, len(lots))
	spans := make([]serialSpan, len(lots))
	var totalGrams int64         // of the lots so far; at most math.MaxInt64
	var nsIDs map[serialNS]int32 // Verra and Gold Standard namespaces; a range's is its project's index
	for i, l := range lots {
		path := "lots[" + strconv.Itoa(i) + "]"
		if err := l.Validate(); err != nil {
			return Inventory{}, fielderr.Prefix(path, err)
		}
		if _, dup := c.lotIdx[l.ID]; dup {
			return Inventory{}, fielderr.New(path+".id", l.ID, "is a duplicate lot ID", ErrInvalidInventory)
		}
		c.lotIdx[l.ID] = 0
		if l.Grams() > math.MaxInt64-totalGrams {
			return Inventory{}, fielderr.New(path+".tonnes", itoa(l.Tonnes), "brings the inventory's total above "+
				maxInventoryTonnes+" t (2^63 − 1 grams, the most one inventory may hold; split the stock into several inventories)", ErrInvalidInventory)
		}
		totalGrams += l.Grams()
		pi, ok := c.projIdx[l.Project]
		if !ok {
			return Inventory{}, fielderr.New(path+".project", l.Project, "is not a project of the inventory", ErrInvalidInventory)
		}
		if bc, pc := l.Block.Country, c.projects[pi].Country; bc != "" && bc != pc {
			return Inventory{}, fielderr.New(path+".block", l.Block.String(), "serial country "+bc+" differs from the project's country "+pc, ErrInvalidLot)
		}
		ns := pi
		if l.Block.Format != FormatRange {
			if nsIDs == nil {
				nsIDs = make(map[serialNS]int32)
			}
			k, seen := nsIDs[l.serialNS()]
			if !seen {
				k = int32(len(c.projects) + len(nsIDs))
				nsIDs[l.serialNS()] = k
			}
			ns = k
		}
		spans[i] = serialSpan{ns, int32(i), l.Block.Start, l.Block.End}
		ps, ok := toScaled(l.Price.Amount)
		minor, _ := MinorUnits(l.Price.Currency) // validated above
		c.lots = append(c.lots, lotInfo{lot: l, proj: pi, price: ps, priceOK: ok, minor: int32(minor)})
	}
	if err := checkOverlaps(lots, spans); err != nil {
		return Inventory{}, err
	}
	slices.SortFunc(c.lots, func(a, b lotInfo) int { return strings.Compare(a.lot.ID, b.lot.ID) })
	for i := range c.lots {
		c.lotIdx[c.lots[i].lot.ID] = int32(i)
		free, _ := c.lots[i].lot.freeRanges() // validated above
		c.lots[i].lot.Allocated = nil         // the caller's slice; lotState holds what is free
		st := lotState{ranges: free}
		for _, r := range free {
			st.free += r.Len()
		}
		states = append(states, st)
	}
	c.rank()
	c.buildAttrs()
	return Inventory{c: c, ix: c.buildIndex(states), st: states}, nil
}

// maxInventoryTonnes is math.MaxInt64 grams in whole tonnes, for messages.
const maxInventoryTonnes = "9,223,372,036,854"

// serialNS identifies a serial namespace: the block's format and the
// field that scopes its numbers (see NewInventory).
type serialNS struct {
	format SerialFormat
	scope  string
}

// describe names the namespace in an error message.
func (ns serialNS) describe() string {
	switch ns.format {
	case FormatVerra:
		return "Verra registry, whose unit serials are numbered registry-wide"
	case FormatGoldStandard:
		return "Gold Standard batch " + strings.TrimSuffix(ns.scope, "-")
	}
	return "generic blocks of project " + ns.scope
}

// serialNS returns the namespace of the lot's serials, as NewInventory
// documents it.
func (l Lot) serialNS() serialNS {
	switch l.Block.Format {
	case FormatVerra:
		return serialNS{FormatVerra, ""}
	case FormatGoldStandard:
		return serialNS{FormatGoldStandard, l.Block.Prefix}
	}
	return serialNS{l.Block.Format, l.Project}
}

// serialSpan is a lot's block in checkOverlaps: its namespace as a number,
// the lot's index in the input and its first and last serial.
type serialSpan struct {
	ns         int32
	idx        int32
	start, end uint64
}

// checkOverlaps refuses two valid lots whose blocks share a serial in the
// same namespace, given the lots' spans (spans[i] for lots[i]): it sorts
// the spans by namespace and first serial and compares each with the
// furthest-reaching span before it in its namespace, O(n log n). The
// error names the later of the two lots in the input.
func checkOverlaps(lots []Lot, spans []serialSpan) error {
	if len(spans) < 2 {
		return nil
	}
	slices.SortFunc(spans, func(a, b serialSpan) int {
		if a.ns != b.ns {
			return int(a.ns - b.ns)
		}
		if a.start != b.start {
			if a.start < b.start {
				return -1
			}
			return 1
		}
		return int(a.idx - b.idx)
	})
	reach := 0 // the span of the current namespace that ends last so far
	for k := 1; k < len(spans); k++ {
		cur, prev := spans[k], spans[reach]
		if cur.ns != prev.ns {
			reach = k
			continue
		}
		if cur.start <= prev.end {
			a, b := lots[prev.idx], lots[cur.idx]
			ia, ib := prev.idx, cur.idx
			if ia > ib {
				a, b, ia, ib = b, a, ib, ia
			}
			lo, hi := max(a.Block.Start, b.Block.Start), min(a.Block.End, b.Block.End)
			return fielderr.New("lots["+strconv.Itoa(int(ib))+"].block", b.Block.String(),
				"overlaps lots["+strconv.Itoa(int(ia))+"] ("+a.ID+") serials "+
					strconv.FormatUint(a.Block.Start, 10)+"-"+strconv.FormatUint(a.Block.End, 10)+
					" ("+a.serialNS().describe()+"; serials "+strconv.FormatUint(lo, 10)+"-"+strconv.FormatUint(hi, 10)+
					" would be in both): a serial may belong to one lot only", ErrInvalidInventory)
		}
		if cur.end > prev.end {
			reach = k
		}
	}
	return nil
}

func (c *core) rank() {
	n := len(c.lots)
	c.byRankP = make([]int32, n)
	c.byRankV = make([]int32, n)
	for i := range n {
		c.byRankP[i], c.byRankV[i] = int32(i), int32(i)
	}
	// Lots are sorted by ID, so comparing indices breaks ties by ID.
	price := func(a, b int32) int {
		ia, ib := &c.lots[a], &c.lots[b]
		if x := strings.Compare(ia.lot.Price.Currency, ib.lot.Price.Currency); x != 0 {
			return x
		}
		if ia.priceOK && ib.priceOK {
			return cmpScaled(ia.price, ib.price)
		}
		return ia.lot.Price.Amount.Cmp(ib.lot.Price.Amount)
	}
	slices.SortFunc(c.byRankP, func(a, b int32) int {
		if x := price(a, b); x != 0 {
			return x
		}
		if x := c.lots[a].lot.Vintage - c.lots[b].lot.Vintage; x != 0 {
			return x
		}
		return int(a - b)
	})
	slices.SortFunc(c.byRankV, func(a, b int32) int {
		if x := c.lots[a].lot.Vintage - c.lots[b].lot.Vintage; x != 0 {
			return x
		}
		if x := price(a, b); x != 0 {
			return x
		}
		return int(a - b)
	})
	for r, i := range c.byRankP {
		c.lots[i].rankP = int32(r)
	}
	for r, i := range c.byRankV {
		c.lots[i].rankV = int32(r)
	}
}

func (c *core) buildAttrs() {
	c.words = (len(c.projects) + 63) / 64
	for a := range c.attr {
		c.attr[a] = map[string]attrValue{}
		c.projGroup[a] = make([]int32, len(c.projects))
	}
	set := func(a int, key string, p int) {
		v, ok := c.attr[a][key]
		if !ok {
			v = attrValue{group: int32(len(c.attr[a])), bits: make([]uint64, c.words)}
			c.attr[a][key] = v
			c.nGroups[a]++
		}
		v.bits[p/64] |= 1 << (p % 64)
		c.projGroup[a][p] = v.group
	}
	for i, p := range c.projects {
		set(attrType, string(p.Type), i)
		set(attrCountry, p.Country, i)
		set(attrContinent, p.Continent, i)
		set(attrHemisphere, string(p.Hemisphere), i)
		set(attrStandard, string(p.Standard), i)
		set(attrUnitType, string(p.UnitType), i)
	}
	c.currencies = make([][]string, len(c.projects))
	for _, li := range c.lots {
		cs := c.currencies[li.proj]
		if !slices.Contains(cs, li.lot.Price.Currency) {
			c.currencies[li.proj] = append(cs, li.lot.Price.Currency)
		}
		if !slices.Contains(c.allCur, li.lot.Price.Currency) {
			c.allCur = append(c.allCur, li.lot.Price.Currency)
		}
	}
	for _, cs := range c.currencies {
		slices.Sort(cs)
	}
	slices.Sort(c.allCur)
	c.curBits = make([][]uint64, len(c.allCur))
	for k := range c.curBits {
		c.curBits[k] = make([]uint64, c.words)
	}
	for p, cs := range c.currencies {
		for _, cur := range cs {
			k, _ := slices.BinarySearch(c.allCur, cur)
			c.curBits[k][p/64] |= 1 << (p % 64)
		}
	}
}

// buildIndex lists the lots with free grams in st, in O(lots).
func (c *core) buildIndex(st []lotState) *index {
	ix := &index{start: make([]int32, len(c.projects)+1)}
	n := 0
	for i := range c.lots {
		if st[i].free > 0 {
			ix.start[c.lots[i].proj+1]++
			n++
		}
	}
	for p := range c.projects {
		ix.start[p+1] += ix.start[p]
	}
	ix.pList, ix.vList = make([]int32, n), make([]int32, n)
	ix.pAll, ix.vAll = make([]int32, 0, n), make([]int32, 0, n)
	fill := func(order []int32, all *[]int32, list []int32) {
		next := slices.Clone(ix.start[:len(c.projects)])
		for _, i := range order {
			if st[i].free > 0 {
				*all = append(*all, i)
				p := c.lots[i].proj
				list[next[p]] = i
				next[p]++
			}
		}
	}
	fill(c.byRankP, &ix.pAll, ix.pList)
	fill(c.byRankV, &ix.vAll, ix.vList)
	return ix
}

// Projects returns the inventory's projects, resolved, sorted by ID. Each
// is a copy (its own Location and SDGs): changing one does not change the
// inventory.
func (inv Inventory) Projects() []Project {
	if inv.c == nil {
		return nil
	}
	out := make([]Project, len(inv.c.projects))
	for i := range inv.c.projects {
		out[i] = inv.c.projects[i].clone()
	}
	return out
}

// Project returns the project with ID id, a copy as Projects gives.
func (inv Inventory) Project(id string) (Project, bool) {
	if inv.c == nil {
		return Project{}, false
	}
	i, ok := inv.c.projIdx[id]
	if !ok {
		return Project{}, false
	}
	return inv.c.projects[i].clone(), true
}

// Lots returns the inventory's lots sorted by ID, each with Allocated set
// to what is no longer free in this snapshot.
func (inv Inventory) Lots() []Lot {
	if inv.c == nil {
		return nil
	}
	out := make([]Lot, len(inv.c.lots))
	for i := range inv.c.lots {
		out[i] = inv.lotAt(int32(i))
	}
	return out
}

// Lot returns the lot with ID id, as Lots does.
func (inv Inventory) Lot(id string) (Lot, bool) {
	if inv.c == nil {
		return Lot{}, false
	}
	i, ok := inv.c.lotIdx[id]
	if !ok {
		return Lot{}, false
	}
	return inv.lotAt(i), true
}

func (inv Inventory) lotAt(i int32) Lot {
	l := inv.c.lots[i].lot
	l.Allocated = complement(inv.st[i].ranges, l.Grams())
	return l
}

// complement returns [0, total) minus the sorted ranges free.
func complement(free []GramRange, total int64) []GramRange {
	var out []GramRange
	pos := int64(0)
	for _, r := range free {
		if r.From > pos {
			out = append(out, GramRange{pos, r.From})
		}
		pos = r.To
	}
	if pos < total {
		out = append(out, GramRange{pos, total})
	}
	return out
}

// FreeGrams returns the grams still free in the lot with ID id (0 for an
// unknown lot).
func (inv Inventory) FreeGrams(id string) int64 {
	if inv.c == nil {
		return 0
	}
	i, ok := inv.c.lotIdx[id]
	if !ok {
		return 0
	}
	return inv.st[i].free
}

// TotalFreeGrams returns the grams free across all lots.
func (inv Inventory) TotalFreeGrams() int64 {
	var n int64
	for _, s := range inv.st {
		n += s.free
	}
	return n
}

// Len returns the number of lots.
func (inv Inventory) Len() int { return len(inv.st) }

// After returns the inventory that remains once plan p is allocated: the
// grams of every line are taken from their lots. It fails with ErrConflict
// when a line's grams are not all free here (the plan was made against
// another snapshot and they have been taken since), when a line's lot
// here is not the one the line describes (another project, vintage or
// serial block: the plan was made against another inventory), when a
// line's Serials or Amount are not what its Grams give (Line.Validate:
// a certificate names the serials, so they must be the grams taken), or
// when the plan's Amount is not the sum of its lines'; and leaves inv as
// it was. It costs O(lots).
func (inv Inventory) After(p Plan) (Inventory, error) {
	return inv.apply(p, false)
}

// Release returns the inventory with the grams of plan p's lines free
// again (a product returned, an allocation cancelled). It fails with
// ErrConflict when a line's grams are not all allocated here, its lot
// here is not the one the line describes, or the plan does not agree with
// itself (as After). It costs O(lots).
//
// The inventory records which grams are allocated, not by which plan, so
// Release cannot tell p's grams from another plan's: a plan that was
// matched but never applied with After (or was already released) frees
// grams some other plan holds, and the next Match sells those credits
// again — a double count Release cannot detect. The caller's book of
// record must release only a plan it has recorded as applied to this
// inventory's line of snapshots and not yet released.
func (inv Inventory) Release(p Plan) (Inventory, error) {
	return inv.apply(p, true)
}

func (inv Inventory) apply(p Plan, release bool) (Inventory, error) {
	if len(p.Lines) == 0 {
		return inv, nil
	}
	if inv.c == nil {
		return Inventory{}, fielderr.New("lines[0].lot", p.Lines[0].Lot, "is not a lot of the inventory", ErrConflict)
	}
	st := slices.Clone(inv.st)
	var sum int64
	for k, ln := range p.Lines {
		path := "lines[" + strconv.Itoa(k) + "]"
		i, err := inv.c.planLot(path, ln)
		if err != nil {
			return Inventory{}, err
		}
		next, err := moveGrams(path, ln, st[i].ranges, release)
		if err != nil {
			return Inventory{}, err
		}
		st[i] = lotState{free: st[i].free + gramsDelta(ln.Grams, release), ranges: next}
		sum = planTotal(sum, ln.Grams)
	}
	if err := checkPlanAmount(&p, sum); err != nil {
		return Inventory{}, err
	}
	return Inventory{c: inv.c, ix: inv.c.buildIndex(st), st: st}, nil
}

// planLot returns the index of the lot plan line ln (at path, such as
// "lines[2]") draws from, checking that it is a lot of c, that the line's
// grams are a range of it, that it is the lot the line describes
// (sameLot) and that the line's serials and amount are what its grams give
// (Line.Validate); errors wrap ErrConflict.
func (c *core) planLot(path string, ln Line) (int32, error) {
	i, ok := c.lotIdx[ln.Lot]
	if !ok {
		return 0, fielderr.New(path+".lot", ln.Lot, "is not a lot of the inventory", ErrConflict)
	}
	g := ln.Grams
	lot := &c.lots[i].lot
	if g.From < 0 || g.To > lot.Grams() || g.From >= g.To {
		return 0, fielderr.New(path+".grams", itoa(g.From)+"-"+itoa(g.To), "is not a gram range of lot "+ln.Lot, ErrConflict)
	}
	if err := sameLot(path, ln, lot); err != nil {
		return 0, err
	}
	if err := ln.check(ErrConflict); err != nil {
		return 0, fielderr.Prefix(path, err)
	}
	return i, nil
}

// planTotal adds up plan lines' grams as apply checks them: it returns
// sum + g, the grams of one more line (already checked by planLot, so at
// most a lot's size).
func planTotal(sum int64, g GramRange) int64 {
	if sum > math.MaxInt64-g.Len() {
		return math.MaxInt64 // no plan sums to this: its amount will differ
	}
	return sum + g.Len()
}

// checkPlanAmount checks, once every line has passed planLot, that the
// plan's Amount is the sum of its lines' amounts (sum grams), as Plan
// documents: a certificate states Amount as the total offset.
func checkPlanAmount(p *Plan, sum int64) error {
	if !isGrams(p.Amount, sum) {
		return fielderr.New("amount", p.Amount.String(), "must be the sum of the lines' amounts ("+gramsCO2e(sum).String()+")", ErrConflict)
	}
	return nil
}

// moveGrams returns the sorted free ranges free of line ln's lot with the
// line's grams taken (or, releasing, freed again), in a new slice (free is
// not modified), or ErrConflict when they are not all free (allocated).
func moveGrams(path string, ln Line, free []GramRange, release bool) ([]GramRange, error) {
	g := ln.Grams
	var next []GramRange
	var ok bool
	if release {
		next, ok = addRange(free, g)
	} else {
		next, ok = subRange(free, g)
	}
	if !ok {
		rule := "grams are not all free in lot " + ln.Lot
		if release {
			rule = "grams are not all allocated in lot " + ln.Lot
		}
		return nil, fielderr.New(path+".grams", itoa(g.From)+"-"+itoa(g.To), rule, ErrConflict)
	}
	return next, nil
}

// gramsDelta is the change in a lot's free grams when g is taken (or,
// releasing, freed).
func gramsDelta(g GramRange, release bool) int64 {
	if release {
		return g.Len()
	}
	return -g.Len()
}

// sameLot checks that plan line ln describes lot l as this inventory holds
// it: the same project, vintage and serials (the line's Block must be the
// sub-block of l's block its grams fall in). A plan made against another
// inventory whose lot merely has the same ID fails with ErrConflict.
func sameLot(path string, ln Line, l *Lot) error {
	differs := func(field, value, what, want string) error {
		return fielderr.New(path+"."+field, value, "differs from lot "+l.ID+"'s "+what+" "+want+
			" in this inventory (the plan was made against another inventory)", ErrConflict)
	}
	if ln.Project != l.Project {
		return differs("project", ln.Project, "project", l.Project)
	}
	if ln.Vintage != l.Vintage {
		return differs("vintage", strconv.Itoa(ln.Vintage), "vintage", strconv.Itoa(l.Vintage))
	}
	first := l.Block.Start + uint64(ln.Grams.From/GramsPerTonne)
	last := l.Block.Start + uint64((ln.Grams.To-1)/GramsPerTonne)
	if want, _ := l.Block.Sub(first, last); ln.Block != want {
		return differs("block", ln.Block.String(), "serials for grams "+itoa(ln.Grams.From)+"-"+itoa(ln.Grams.To)+",", want.String())
	}
	return nil
}

// subRange removes g from the sorted free ranges; g must lie inside one.
func subRange(free []GramRange, g GramRange) ([]GramRange, bool) {
	for k, r := range free {
		if g.From >= r.From && g.To <= r.To {
			out := make([]GramRange, 0, len(free)+1)
			out = append(out, free[:k]...)
			if g.From > r.From {
				out = append(out, GramRange{r.From, g.From})
			}
			if g.To < r.To {
				out = append(out, GramRange{g.To, r.To})
			}
			return append(out, free[k+1:]...), true
		}
	}
	return nil, false
}

// addRange adds g to the sorted free ranges, merging neighbours; g must not
// overlap any.
func addRange(free []GramRange, g GramRange) ([]GramRange, bool) {
	k, _ := slices.BinarySearchFunc(free, g.From, func(r GramRange, x int64) int { return cmpInt64(r.From, x) })
	if (k > 0 && free[k-1].To > g.From) || (k < len(free) && free[k].From < g.To) {
		return nil, false
	}
	out := make([]GramRange, 0, len(free)+1)
	out = append(out, free[:k]...)
	if len(out) > 0 && out[len(out)-1].To == g.From {
		out[len(out)-1].To = g.To
	} else {
		out = append(out, g)
	}
	if k < len(free) && free[k].From == out[len(out)-1].To {
		out[len(out)-1].To = free[k].To
		k++
	}
	return append(out, free[k:]...), true
}

type inventoryJSON struct {
	Projects []Project `json:"projects"`
	Lots     []Lot     `json:"lots"`
}

// MarshalJSON encodes the snapshot as {"projects": [...], "lots": [...]},
// the form DecodeInventory reads.
func (inv Inventory) MarshalJSON() ([]byte, error) {
	return json.Marshal(inventoryJSON{Projects: inv.Projects(), Lots: inv.Lots()})
}

// MaxInventoryJSON is the most input DecodeInventory reads: 1 GiB, about
// 1 KiB per lot for a million lots (a lot with a Verra serial and a few
// allocated ranges takes some 300 bytes). A longer document is refused.
const MaxInventoryJSON = 1 << 30

// utf8BOM is the UTF-8 byte order mark some Windows tools put before JSON
// (RFC 8259 §8.1 lets a parser skip it).
var utf8BOM = []byte("\xef\xbb\xbf")

// DecodeInventory reads {"projects": [...], "lots": [...]} (at most
// MaxInventoryJSON bytes) and builds the inventory with NewInventory.
// Unknown fields are refused, as are a member given twice, a member name
// in another case than its own ("ID" for "id") and data after the JSON
// value; a leading UTF-8 byte order mark is skipped. Errors are field
// errors naming the full JSON path of the bad
// value ("lots[1].price.amount", "projects[0].location.lat") and wrapping
// ErrInvalidInventory, together with the more specific sentinel of
// NewInventory when there is one (ErrInvalidSerial, ErrUnknownCurrency,
// ...): errors.Is matches both. A read error is returned as is.
func DecodeInventory(r io.Reader) (Inventory, error) {
	return decodeInventory(r, MaxInventoryJSON)
}

// decodeInventory is DecodeInventory reading at most limit bytes.
func decodeInventory(r io.Reader, limit int64) (Inventory, error) {
	if r == nil {
		return Inventory{}, fielderr.New("", "", "no input (nil reader)", ErrInvalidInventory)
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Inventory{}, err
	}
	if int64(len(b)) > limit {
		return Inventory{}, fielderr.New("", "", "inventory JSON larger than "+itoa(limit)+" bytes (MaxInventoryJSON)", ErrInvalidInventory)
	}
	b = bytes.TrimPrefix(b, utf8BOM)
	var raw inventoryJSON
	if err := strictUnmarshal(b, &raw, ErrInvalidInventory); err != nil {
		return Inventory{}, err
	}
	if err := checkMembers(b, reflect.TypeFor[inventoryJSON](), ErrInvalidInventory); err != nil {
		return Inventory{}, err
	}
	inv, err := NewInventory(raw.Projects, raw.Lots)
	if err != nil {
		return Inventory{}, withSentinel(err, ErrInvalidInventory)
	}
	return inv, nil
}
