package offset

import (
	"cmp"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/geo"
	"github.com/shopspring/decimal"
)

var (
	propTypes     = []ProjectType{TypeWind, TypeSolar, TypeBiomass, TypeCookstoves}
	propCountries = []string{"IN", "KE", "BR", "CL", "US", "TH", "AU", "DE"}
	propStandards = []Standard{StandardCDM, StandardVCS, StandardGoldStandard}
	propUnits     = []UnitType{Avoidance, Reduction, Removal}
	propPrices    = []string{"3", "5", "5", "7.25", "9.999"}
)

func pick[T any](r *rand.Rand, v []T) T { return v[r.IntN(len(v))] }

func subset[T any](r *rand.Rand, v []T) []T {
	n := 1 + r.IntN(2)
	var out []T
	for range n {
		x := pick(r, v)
		if !slices.ContainsFunc(out, func(y T) bool { return reflect.DeepEqual(x, y) }) {
			out = append(out, x)
		}
	}
	return out
}

func randomInventory(t testing.TB, r *rand.Rand) Inventory {
	return randomInventoryN(t, r, 1+r.IntN(10), r.IntN(40))
}

// randomInventoryN builds nP projects and nL lots.
func randomInventoryN(t testing.TB, r *rand.Rand, nP, nL int) Inventory {
	var ps []Project
	for i := range nP {
		p := tproj("P"+strconv.Itoa(i), pick(r, propTypes), pick(r, propCountries), pick(r, propStandards), pick(r, propUnits))
		if r.IntN(8) == 0 {
			p.Hemisphere = South // an override
		}
		ps = append(ps, p)
	}
	euro := r.IntN(4) == 0
	var ls []Lot
	for i := range nL {
		cur := "USD"
		if euro && r.IntN(3) == 0 {
			cur = "EUR"
		}
		l := tlot("L"+strconv.Itoa(i), pick(r, ps).ID, 2015+r.IntN(10), uint64(1000*i+1), 1+r.Int64N(4), pick(r, propPrices), cur)
		if r.IntN(5) == 0 {
			l.Status = Held
		}
		if r.IntN(5) == 0 { // a released allocation in the middle: fragmented
			a := r.Int64N(l.Grams())
			b := a + 1 + r.Int64N(l.Grams()-a)
			l.Allocated = []GramRange{{a, b}}
		}
		ls = append(ls, l)
	}
	inv, err := NewInventory(ps, ls)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func randomFilter(r *rand.Rand, inv Inventory, f *Filter) {
	if r.IntN(5) == 0 {
		var ids []string
		for _, p := range inv.Projects() {
			ids = append(ids, p.ID)
		}
		f.Projects = subset(r, ids)
	}
	if r.IntN(5) == 0 {
		f.Types = subset(r, propTypes)
	}
	if r.IntN(6) == 0 {
		f.Countries = subset(r, propCountries)
	}
	if r.IntN(6) == 0 {
		f.Continents = subset(r, []string{Asia, Africa, SouthAmerica, NorthAmerica, Oceania, Europe})
	}
	if r.IntN(8) == 0 {
		f.Hemispheres = subset(r, []Hemisphere{North, South})
	}
	if r.IntN(8) == 0 {
		f.Standards = subset(r, propStandards)
	}
	if r.IntN(8) == 0 {
		f.UnitTypes = subset(r, propUnits)
	}
}

func randomDemand(r *rand.Rand, inv Inventory, i int) Demand {
	grams := 1 + r.Int64N(2_500_000)
	amount := decimal.New(grams, -3)
	if r.IntN(3) == 0 {
		amount = amount.Add(decimal.New(r.Int64N(999)+1, -7)) // a fraction of a gram
	}
	d := Demand{Serial: "D" + strconv.Itoa(i), Amount: footprint.KgCO2e(amount), Country: pick(r, propCountries)}
	p := &d.Preferences
	randomFilter(r, inv, &p.Filter)
	if r.IntN(5) == 0 {
		p.VintageFrom = 2015 + r.IntN(10)
		p.VintageTo = p.VintageFrom + r.IntN(4)
	}
	if r.IntN(10) == 0 {
		p.MaxAge, p.ReferenceYear = r.IntN(8), 2024
	}
	if r.IntN(5) == 0 {
		p.Currency = pick(r, []string{"USD", "EUR"})
	}
	if r.IntN(5) == 0 {
		cur := p.Currency
		if cur == "" {
			cur = "USD"
		}
		p.MaxPrice = &Price{decimal.RequireFromString(pick(r, []string{"4", "6", "8", "10"})), cur}
	}
	p.RetiredOnly = r.IntN(10) == 0
	p.Strategy = pick(r, []Strategy{"", Cheapest, Oldest, Closest, BuyerOrder})
	if r.IntN(5) == 0 {
		percents := pick(r, [][]string{{"50", "50"}, {"30", "30", "40"}, {"33.3", "33.3", "33.4"}, {"12.5", "87.5"}})
		for _, pc := range percents {
			s := Share{Percent: decimal.RequireFromString(pc)}
			if r.IntN(2) == 0 {
				s.Types = subset(r, propTypes)
			}
			if p.Strategy == BuyerOrder && len(p.Projects) == 0 {
				for _, pr := range inv.Projects() {
					s.Projects = append(s.Projects, pr.ID)
				}
			}
			p.Split = append(p.Split, s)
		}
	}
	if p.Strategy == BuyerOrder && len(p.Projects) == 0 && len(p.Split) == 0 {
		p.Strategy = ""
	}
	switch r.IntN(4) {
	case 1:
		p.Rounding = Rounding{Mode: RoundKg}
	case 2:
		p.Rounding = RoundToStep(kgQ("250"))
	case 3:
		p.Rounding = RoundToTiers(kgQ("500"), kgQ("1000"), kgQ("3000"))
	}
	return d
}

// refLine is what the reference matcher allocates.
type refLine struct {
	share int
	lot   string
	g     GramRange
}

// reference matches d by brute force: it scans every lot, sorts the
// allowed ones by the strategy's key and takes greedily. free is updated
// on success. It returns nil lines and a sentinel on failure.
func reference(inv Inventory, free map[string][]GramRange, d Demand) ([]refLine, error) {
	target, err := d.target()
	if err != nil {
		return nil, err
	}
	p := d.Preferences
	shares := p.Split
	if len(shares) == 0 {
		shares = []Share{{Percent: hundred}}
	}
	parts := apportion(target, shares)
	work := map[string][]GramRange{}
	for k, v := range free {
		work[k] = v
	}
	projOK := func(f Filter, pr Project) bool {
		in := func(n int, has func(int) bool) bool {
			if n == 0 {
				return true
			}
			for i := range n {
				if has(i) {
					return true
				}
			}
			return false
		}
		return in(len(f.Projects), func(i int) bool { return f.Projects[i] == pr.ID }) &&
			in(len(f.Types), func(i int) bool { return f.Types[i] == pr.Type }) &&
			in(len(f.Countries), func(i int) bool { return f.Countries[i] == pr.Country }) &&
			in(len(f.Continents), func(i int) bool { return f.Continents[i] == pr.Continent }) &&
			in(len(f.Hemispheres), func(i int) bool { return f.Hemispheres[i] == pr.Hemisphere }) &&
			in(len(f.Standards), func(i int) bool { return f.Standards[i] == pr.Standard }) &&
			in(len(f.UnitTypes), func(i int) bool { return f.UnitTypes[i] == pr.UnitType })
	}
	var out []refLine
	for s, sh := range shares {
		named := p.Projects
		if len(p.Split) > 0 && len(sh.Projects) > 0 {
			named = sh.Projects
		}
		strategy := p.Strategy
		if strategy == "" {
			strategy = Cheapest
			if len(named) > 0 {
				strategy = BuyerOrder
			}
		}
		cur := p.Currency
		if p.MaxPrice != nil {
			cur = p.MaxPrice.Currency
		}
		lo := p.VintageFrom
		if p.MaxAge > 0 && p.ReferenceYear-p.MaxAge > lo {
			lo = p.ReferenceYear - p.MaxAge
		}
		var cands []Lot
		curs := map[string]bool{}
		for _, l := range inv.Lots() {
			pr, _ := inv.Project(l.Project)
			if !projOK(p.Filter, pr) || (len(p.Split) > 0 && !projOK(sh.Filter, pr)) {
				continue
			}
			switch {
			case cur != "" && l.Price.Currency != cur,
				p.MaxPrice != nil && l.Price.Amount.GreaterThan(p.MaxPrice.Amount),
				lo != 0 && l.Vintage < lo,
				p.VintageTo != 0 && l.Vintage > p.VintageTo,
				p.RetiredOnly && l.Status != Retired:
				continue
			}
			if len(work[l.ID]) > 0 { // only a lot with free grams counts
				curs[l.Price.Currency] = true
			}
			cands = append(cands, l)
		}
		if strategy == Cheapest && cur == "" && len(curs) > 1 {
			return nil, ErrMixedCurrencies
		}
		dist := func(l Lot) (float64, string) {
			pr, _ := inv.Project(l.Project)
			a, _ := geo.ByAlpha2(d.Country)
			b, _ := geo.ByAlpha2(pr.Country)
			x, _ := footprint.GreatCircle(footprint.Coordinates{Lat: a.Lat, Lon: a.Lon}, footprint.Coordinates{Lat: b.Lat, Lon: b.Lon})
			f, _ := x.Km().Float64()
			return f, pr.ID
		}
		price := func(a, b Lot) int {
			return cmp.Or(cmp.Compare(a.Price.Currency, b.Price.Currency), a.Price.Amount.Cmp(b.Price.Amount))
		}
		slices.SortFunc(cands, func(a, b Lot) int {
			switch strategy {
			case Cheapest:
				return cmp.Or(price(a, b), cmp.Compare(a.Vintage, b.Vintage), cmp.Compare(a.ID, b.ID))
			case Oldest:
				return cmp.Or(cmp.Compare(a.Vintage, b.Vintage), price(a, b), cmp.Compare(a.ID, b.ID))
			case Closest:
				da, pa := dist(a)
				db, pb := dist(b)
				return cmp.Or(cmp.Compare(da, db), cmp.Compare(pa, pb), cmp.Compare(a.Vintage, b.Vintage), price(a, b), cmp.Compare(a.ID, b.ID))
			default: // buyer order
				ra, rb := slices.Index(named, a.Project), slices.Index(named, b.Project)
				return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(a.Vintage, b.Vintage), price(a, b), cmp.Compare(a.ID, b.ID))
			}
		})
		need := parts[s]
		for _, l := range cands {
			if strategy == BuyerOrder && !slices.Contains(named, l.Project) {
				continue
			}
			for need > 0 && len(work[l.ID]) > 0 {
				r0 := work[l.ID][0]
				n := min(r0.Len(), need)
				out = append(out, refLine{s, l.ID, GramRange{r0.From, r0.From + n}})
				need -= n
				rest := slices.Clone(work[l.ID][1:])
				if n < r0.Len() {
					rest = append([]GramRange{{r0.From + n, r0.To}}, rest...)
				}
				work[l.ID] = rest
			}
		}
		if need > 0 {
			return nil, ErrUnmet
		}
	}
	for k, v := range work {
		free[k] = v
	}
	return out, nil
}

func freeMap(inv Inventory) map[string][]GramRange {
	m := map[string][]GramRange{}
	for _, l := range inv.Lots() {
		fr, _ := l.freeRanges()
		m[l.ID] = fr
	}
	return m
}

// TestPropertyMatch checks, over many random inventories and batches of
// demands (fixed seed): plans agree with a brute-force reference matcher;
// every plan covers its demand and sums exactly; no line uses a lot outside
// the preferences (the reference only offers allowed lots); no gram is
// allocated twice across a batch; grams are conserved per lot; a split
// holds within one gram per share; MatchBatch, a Matcher and chained
// Match + After agree.
func TestPropertyMatch(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 4))
	cases := 400
	if testing.Short() {
		cases = 100
	}
	var plans, fails int
	for c := range cases {
		inv := randomInventory(t, r)
		var demands []Demand
		for i := range 1 + r.IntN(12) {
			demands = append(demands, randomDemand(r, inv, i))
		}
		p, f := checkBatch(t, c, inv, demands)
		plans, fails = plans+p, fails+f
	}
	t.Logf("%d plans, %d failures", plans, fails)
	if plans < cases || fails == 0 {
		t.Errorf("random cases too one-sided: %d plans, %d failures", plans, fails)
	}
}

// TestPropertyMatchManyProjects is TestPropertyMatch over inventories of
// many projects, with filters on one or several attributes, so that
// matching walks the lots of an attribute's values (skipping those of
// projects another filter excludes) as well as merging projects' lists.
func TestPropertyMatchManyProjects(t *testing.T) {
	r := rand.New(rand.NewPCG(2025, 11))
	cases := 60
	if testing.Short() {
		cases = 15
	}
	var plans, fails int
	for c := range cases {
		inv := randomInventoryN(t, r, 20+r.IntN(100), 50+r.IntN(250))
		var demands []Demand
		for i := range 1 + r.IntN(30) {
			d := randomDemand(r, inv, i)
			f := &d.Preferences.Filter
			for f.Types == nil && f.Countries == nil && f.Continents == nil && f.Hemispheres == nil && f.Standards == nil && f.UnitTypes == nil {
				randomFilter(r, inv, f)
			}
			if r.IntN(3) == 0 { // a second attribute
				f.Standards = subset(r, propStandards)
			}
			demands = append(demands, d)
		}
		p, f := checkBatch(t, c, inv, demands)
		plans, fails = plans+p, fails+f
	}
	t.Logf("%d plans, %d failures", plans, fails)
	if plans < cases || fails == 0 {
		t.Errorf("random cases too one-sided: %d plans, %d failures", plans, fails)
	}
}

// checkBatch matches demands against inv in order with Match and After,
// a Matcher and MatchBatch, checks them against the reference and each
// other, and returns the number of plans and failures.
func checkBatch(t *testing.T, c int, inv Inventory, demands []Demand) (plans, fails int) {
	t.Helper()
	initial := freeMap(inv)
	refFree := freeMap(inv)
	batch := MatchBatch(inv, demands)
	chain := inv
	m := NewMatcher(inv)
	used := map[string][]GramRange{}
	fi := 0
	for i, d := range demands {
		want, refErr := reference(inv, refFree, d)
		p, err := Match(chain, d)
		mp, merr := m.Match(d)
		var batchErr error
		if fi < len(batch.Failures) && batch.Failures[fi].Index == i {
			batchErr = batch.Failures[fi].Err
			fi++
		}
		if (err == nil) != (refErr == nil) || (err != nil && !errors.Is(err, refErr)) {
			t.Fatalf("case %d demand %d %+v: err %v, reference %v", c, i, d.Preferences, err, refErr)
		}
		if (merr == nil) != (err == nil) || (batchErr == nil) != (err == nil) {
			t.Fatalf("case %d demand %d: Match %v, Matcher %v, batch %v", c, i, err, merr, batchErr)
		}
		if err != nil {
			fails++
			continue
		}
		plans++
		if !reflect.DeepEqual(p, mp) || !reflect.DeepEqual(p, batch.Plans[i]) {
			t.Fatalf("case %d demand %d: Match, Matcher and MatchBatch plans differ", c, i)
		}
		var got []refLine
		for _, l := range p.Lines {
			got = append(got, refLine{l.Share, l.Lot, l.Grams})
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d demand %d %+v:\n got %v\nwant %v", c, i, d.Preferences, got, want)
		}
		checkPlan(t, inv, d, p)
		for _, l := range p.Lines {
			used[l.Lot] = append(used[l.Lot], l.Grams)
		}
		if chain, err = chain.After(p); err != nil {
			t.Fatal(err)
		}
	}
	// No gram twice, and only grams that were free.
	for lot, rs := range used {
		slices.SortFunc(rs, func(a, b GramRange) int { return cmp.Compare(a.From, b.From) })
		for k, g := range rs {
			if k > 0 && g.From < rs[k-1].To {
				t.Fatalf("case %d: lot %s grams %v and %v overlap", c, lot, rs[k-1], g)
			}
			if !slices.ContainsFunc(initial[lot], func(f GramRange) bool { return g.From >= f.From && g.To <= f.To }) {
				t.Fatalf("case %d: lot %s grams %v were not free", c, lot, g)
			}
		}
	}
	// Conservation per lot: allocated + remaining = initial.
	for _, final := range []Inventory{batch.Remaining, chain, m.Inventory()} {
		for _, l := range inv.Lots() {
			var alloc int64
			for _, g := range used[l.ID] {
				alloc += g.Len()
			}
			if alloc+final.FreeGrams(l.ID) != l.FreeGrams() {
				t.Fatalf("case %d lot %s: %d allocated + %d free ≠ %d", c, l.ID, alloc, final.FreeGrams(l.ID), l.FreeGrams())
			}
		}
	}
	return plans, fails
}

func checkPlan(t *testing.T, inv Inventory, d Demand, p Plan) {
	target, _ := d.target()
	var sum int64
	shareSum := make([]int64, len(p.Shares))
	for _, l := range p.Lines {
		g := l.Grams.Len()
		sum += g
		shareSum[l.Share] += g
		var sg int64
		lot, _ := inv.Lot(l.Lot)
		for _, s := range l.Serials {
			sg += s.Grams()
			if s.First < lot.Block.Start || s.Last > lot.Block.End {
				t.Fatalf("span %v outside block %v", s, lot.Block)
			}
		}
		if err := l.Validate(); err != nil {
			t.Fatalf("line %v: %v", l, err)
		}
		if sg != g || !l.Amount.Equal(gramsCO2e(g)) {
			t.Fatalf("line %v: spans %d g, range %d g", l, sg, g)
		}
		if !l.Cost.Equal(l.Price.Amount.Mul(decimal.New(g, -6))) {
			t.Fatalf("line cost %v", l.Cost)
		}
	}
	if sum != target || !p.Amount.Equal(gramsCO2e(sum)) || p.Amount.Cmp(d.Amount) < 0 {
		t.Fatalf("plan covers %v (%d g), demand %v, target %d g", p.Amount, sum, d.Amount, target)
	}
	total := decimal.NewFromInt(target)
	for s, ps := range p.Shares {
		if !ps.Amount.Equal(gramsCO2e(shareSum[s])) {
			t.Fatalf("share %d lines %d g, share %v", s, shareSum[s], ps.Amount)
		}
		exact := total.Mul(ps.Percent).Shift(-2)
		if decimal.NewFromInt(shareSum[s]).Sub(exact).Abs().GreaterThanOrEqual(decimal.NewFromInt(1)) {
			t.Fatalf("share %d: %d g, exact %v", s, shareSum[s], exact)
		}
	}
	for _, c := range p.Costs {
		n, _ := MinorUnits(c.Currency)
		if c.Amount.LessThan(c.Exact) || c.Amount.Sub(c.Exact).GreaterThanOrEqual(decimal.New(1, -int32(n))) {
			t.Fatalf("cost %+v", c)
		}
	}
}

// Failing a demand in the middle of a batch takes nothing.
func TestBatchFailureTakesNothing(t *testing.T) {
	inv := strategyInventory(t)
	demands := []Demand{
		{Serial: "a", Amount: kgQ("1000"), Preferences: Preferences{Strategy: Oldest}},
		// 50 % wind (2 t) + 50 % anything: 3 t each → wind short after
		// the other share? Share 0 is wind 3 t > 2 t: fails.
		{Serial: "b", Amount: kgQ("6000"), Preferences: Preferences{Split: []Share{
			{Percent: decimal.NewFromInt(50)}, {Percent: decimal.NewFromInt(50), Filter: Filter{Types: []ProjectType{TypeWind}}}}}},
		{Serial: "c", Amount: kgQ("1000"), Preferences: Preferences{Strategy: Oldest}},
	}
	res := MatchBatch(inv, demands)
	if len(res.Failures) != 1 || res.Failures[0].Index != 1 || !errors.Is(res.Failures[0].Err, ErrUnmet) {
		t.Fatalf("failures %+v", res.Failures)
	}
	// a takes D2 (2018), c takes B1 (2019) from gram 0: b took nothing.
	if summary(res.Plans[0]) != "D2:0-1000000" || summary(res.Plans[2]) != "B1:0-1000000" {
		t.Errorf("plans %s | %s", summary(res.Plans[0]), summary(res.Plans[2]))
	}
	if res.Remaining.TotalFreeGrams() != inv.TotalFreeGrams()-2_000_000 {
		t.Errorf("remaining %d", res.Remaining.TotalFreeGrams())
	}
}
