package offset_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

var (
	maTypes     = []offset.ProjectType{offset.TypeWind, offset.TypeSolar, offset.TypeBiomass}
	maCountries = []string{"IN", "KE", "BR", "US", "DE"}
	maPrices    = []string{"3", "5", "5", "7.25"}
)

func maPick[T any](r *rand.Rand, v []T) T { return v[r.IntN(len(v))] }

func maProject(id string, typ offset.ProjectType, country string) offset.Project {
	return offset.Project{ID: id, Name: "Test " + id, Standard: offset.StandardVCS, Type: typ,
		UnitType: offset.Reduction, Country: country}
}

func maLot(id, project string, vintage int, first uint64, tonnes int64, price string) offset.Lot {
	return offset.Lot{ID: id, Project: project, Vintage: vintage, Block: offset.RangeBlock(first, first+uint64(tonnes)-1),
		Tonnes: tonnes, Status: offset.Retired, Price: offset.Price{Amount: decimal.RequireFromString(price), Currency: "USD"}}
}

func maInventory(t testing.TB, ps []offset.Project, ls []offset.Lot) offset.Inventory {
	t.Helper()
	inv, err := offset.NewInventory(ps, ls)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// maRandomInventory builds a few projects and small lots (1-3 t, so that
// demands exhaust them), some fragmented and some wholly allocated.
func maRandomInventory(t testing.TB, r *rand.Rand) offset.Inventory {
	var ps []offset.Project
	for i := range 1 + r.IntN(5) {
		ps = append(ps, maProject("P"+strconv.Itoa(i), maPick(r, maTypes), maPick(r, maCountries)))
	}
	var ls []offset.Lot
	for i := range r.IntN(20) {
		l := maLot("L"+strconv.Itoa(i), maPick(r, ps).ID, 2018+r.IntN(6), uint64(1000*i+1), 1+r.Int64N(3), maPick(r, maPrices))
		switch r.IntN(6) {
		case 0: // fragmented
			a := r.Int64N(l.Grams())
			l.Allocated = []offset.GramRange{{From: a, To: a + 1 + r.Int64N(l.Grams()-a)}}
		case 1: // exhausted from the start
			l.Allocated = []offset.GramRange{{From: 0, To: l.Grams()}}
		}
		ls = append(ls, l)
	}
	return maInventory(t, ps, ls)
}

func maRandomDemand(r *rand.Rand, inv offset.Inventory, i int) offset.Demand {
	grams := 1 + r.Int64N(3_000_000)
	d := offset.Demand{Serial: "D" + strconv.Itoa(i), Amount: footprint.KgCO2e(decimal.New(grams, -3)), Country: maPick(r, maCountries)}
	p := &d.Preferences
	p.Strategy = maPick(r, []offset.Strategy{"", offset.Cheapest, offset.Oldest, offset.Closest})
	if r.IntN(4) == 0 {
		p.Types = []offset.ProjectType{maPick(r, maTypes)}
	}
	if r.IntN(5) == 0 {
		ps := inv.Projects()
		p.Projects = []string{maPick(r, ps).ID, maPick(r, ps).ID}
		if p.Projects[0] == p.Projects[1] {
			p.Projects = p.Projects[:1]
		}
		if r.IntN(2) == 0 {
			p.Strategy = offset.BuyerOrder
		}
	}
	if r.IntN(6) == 0 {
		p.VintageFrom = 2018 + r.IntN(6)
	}
	if r.IntN(6) == 0 {
		p.Split = []offset.Share{
			{Percent: decimal.NewFromInt(50), Filter: offset.Filter{Types: []offset.ProjectType{maPick(r, maTypes)}}},
			{Percent: decimal.NewFromInt(50)},
		}
		if p.Strategy == offset.BuyerOrder {
			p.Strategy = ""
		}
	}
	return d
}

func maJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func maErrString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestMatcherApplyReleaseEquivalence: over many random inventories and
// sequences of operations, a Matcher driven with Apply, Release and Match
// holds exactly what a chain of snapshots driven with After, Release and
// the package Match holds, and matches the same plans. Releases revive
// lots the matching exhausted, including (after a reload, which makes a
// new Matcher from a fresh inventory) lots its index does not list.
func TestMatcherApplyReleaseEquivalence(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		r := rand.New(rand.NewPCG(seed, 2026))
		cases := 150
		if testing.Short() {
			cases = 40
		}
		var revived, revivedUnlisted, matchedAfterRevival, unmet int
		for c := range cases {
			inv := maRandomInventory(t, r)
			s := inv
			m := offset.NewMatcher(inv)
			var applied []offset.Plan            // applied to s and m, not yet released
			exhaustedAtLoad := map[string]bool{} // lots without free grams when m was made
			for _, l := range inv.Lots() {
				exhaustedAtLoad[l.ID] = l.FreeGrams() == 0
			}
			justRevived := false
			for step := range 30 {
				where := "seed " + strconv.FormatUint(seed, 10) + " case " + strconv.Itoa(c) + " step " + strconv.Itoa(step)
				switch op := r.IntN(10); {
				case op < 3: // match on the snapshot, apply to both
					p, err := offset.Match(s, maRandomDemand(r, s, step))
					if err != nil {
						unmet++
						break
					}
					if s, err = s.After(p); err != nil {
						t.Fatalf("%s: After: %v", where, err)
					}
					if err := m.Apply(p); err != nil {
						t.Fatalf("%s: Apply: %v", where, err)
					}
					applied = append(applied, p)
				case op < 6: // match with the Matcher, compare with Match on the snapshot
					d := maRandomDemand(r, s, step)
					want, werr := offset.Match(s, d)
					got, gerr := m.Match(d)
					if maErrString(gerr) != maErrString(werr) {
						t.Fatalf("%s: Matcher.Match error %v, Match %v", where, gerr, werr)
					}
					if werr != nil {
						unmet++
						break
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s: Matcher.Match\n %s\nMatch\n %s", where, maJSON(t, got), maJSON(t, want))
					}
					if justRevived {
						matchedAfterRevival++
					}
					var err error
					if s, err = s.After(want); err != nil {
						t.Fatalf("%s: After: %v", where, err)
					}
					applied = append(applied, want)
				case op < 9: // release an earlier plan from both
					if len(applied) == 0 {
						break
					}
					k := r.IntN(len(applied))
					p := applied[k]
					applied = slices.Delete(applied, k, k+1)
					before := s
					var err error
					if s, err = s.Release(p); err != nil {
						t.Fatalf("%s: Inventory.Release: %v", where, err)
					}
					if err := m.Release(p); err != nil {
						t.Fatalf("%s: Matcher.Release: %v", where, err)
					}
					for _, ln := range p.Lines {
						if before.FreeGrams(ln.Lot) == 0 && s.FreeGrams(ln.Lot) > 0 {
							revived++
							justRevived = true
							if exhaustedAtLoad[ln.Lot] {
								revivedUnlisted++
							}
						}
					}
				default: // reload: a new Matcher from a freshly built inventory
					var err error
					if s, err = offset.NewInventory(s.Projects(), s.Lots()); err != nil {
						t.Fatalf("%s: reload: %v", where, err)
					}
					m = offset.NewMatcher(s)
					for _, l := range s.Lots() {
						exhaustedAtLoad[l.ID] = l.FreeGrams() == 0
					}
				}
				if got, want := maJSON(t, m.Inventory()), maJSON(t, s); got != want {
					t.Fatalf("%s: Matcher holds\n %s\nsnapshot\n %s", where, got, want)
				}
			}
		}
		t.Logf("seed %d: %d revivals (%d of lots exhausted at load), %d matches after a revival, %d unmet", seed, revived, revivedUnlisted, matchedAfterRevival, unmet)
		if revived == 0 || revivedUnlisted == 0 || matchedAfterRevival == 0 || unmet == 0 {
			t.Errorf("seed %d: random cases too one-sided", seed)
		}
	}
}

// conflictInventory: project P with lots L1 (2020, 10 t, serials 1-10,
// 5 USD) and L2 (2021, 5 t, serials 101-105, 6 USD).
func conflictInventory(t testing.TB) offset.Inventory {
	return maInventory(t, []offset.Project{maProject("P", offset.TypeWind, "IN")},
		[]offset.Lot{maLot("L1", "P", 2020, 1, 10, "5"), maLot("L2", "P", 2021, 101, 5, "6")})
}

func maMatch(t testing.TB, inv offset.Inventory, kgs string, p offset.Preferences) offset.Plan {
	t.Helper()
	plan, err := offset.Match(inv, offset.Demand{Serial: "X", Amount: kg(kgs), Country: "IN", Preferences: p})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func lineSummary(p offset.Plan) string {
	var out string
	for _, l := range p.Lines {
		out += " " + l.Lot + ":" + strconv.FormatInt(l.Grams.From, 10) + "-" + strconv.FormatInt(l.Grams.To, 10)
	}
	return out
}

// TestMatcherApplyConflicts: a plan that cannot be applied or released in
// whole is refused with ErrConflict, with the error the snapshot's After
// or Release gives, and the Matcher keeps exactly what it held.
func TestMatcherApplyConflicts(t *testing.T) {
	inv := conflictInventory(t)
	// 12 t oldest first: all of L1, then L2's grams 0-2,000,000.
	twoLots := maMatch(t, inv, "12000", offset.Preferences{Strategy: offset.Oldest})
	if got := lineSummary(twoLots); got != " L1:0-10000000 L2:0-2000000" {
		t.Fatalf("two-lot plan:%s", got)
	}
	// 1 t of L2 only.
	l2 := maMatch(t, inv, "1000", offset.Preferences{VintageFrom: 2021})
	if got := lineSummary(l2); got != " L2:0-1000000" {
		t.Fatalf("L2 plan:%s", got)
	}
	// The same lot IDs with another project and another vintage.
	otherProject := maMatch(t, maInventory(t, []offset.Project{maProject("Q", offset.TypeWind, "IN")},
		[]offset.Lot{maLot("L1", "Q", 2020, 1, 10, "5")}), "1000", offset.Preferences{})
	otherVintage := maMatch(t, maInventory(t, []offset.Project{maProject("P", offset.TypeWind, "IN")},
		[]offset.Lot{maLot("L1", "P", 2019, 1, 10, "5")}), "1000", offset.Preferences{})
	unknownLot := maMatch(t, maInventory(t, []offset.Project{maProject("P", offset.TypeWind, "IN")},
		[]offset.Lot{maLot("L9", "P", 2020, 1, 10, "5")}), "1000", offset.Preferences{})
	// A plan naming L1's grams 0-1,000,000 twice: each line alone is free,
	// the second is not once the first is taken.
	twice := l2
	twice.Lines = []offset.Line{twoLots.Lines[0], twoLots.Lines[0]}
	twice.Lines[0].Grams = offset.GramRange{From: 0, To: 1_000_000}
	twice.Lines[0].Block = offset.RangeBlock(1, 1)
	twice.Lines[0].Serials = []offset.SerialSpan{{First: 1, Last: 1, FromGram: 0, ToGram: 1_000_000}}
	twice.Lines[0].Amount = kg("1000")
	twice.Lines[1] = twice.Lines[0]
	twice.Amount = kg("2000")

	type step struct {
		release bool
		p       offset.Plan
	}
	tests := []struct {
		name  string
		setup []step // applied first, must succeed
		try   step
		field string
	}{
		{"applied twice", []step{{false, l2}}, step{false, l2}, "lines[0].grams"},
		{"second line taken", []step{{false, l2}}, step{false, twoLots}, "lines[1].grams"},
		{"second line repeats the first", nil, step{false, twice}, "lines[1].grams"},
		{"release never applied", nil, step{true, l2}, "lines[0].grams"},
		{"release, second line not allocated", []step{{false, firstLineOnly(t, twoLots)}}, step{true, twoLots}, "lines[1].grams"},
		{"released twice", []step{{false, l2}, {true, l2}}, step{true, l2}, "lines[0].grams"},
		{"another project", nil, step{false, otherProject}, "lines[0].project"},
		{"another vintage", nil, step{false, otherVintage}, "lines[0].vintage"},
		{"unknown lot", nil, step{false, unknownLot}, "lines[0].lot"},
		{"release another vintage", []step{{false, twoLots}}, step{true, otherVintage}, "lines[0].vintage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := offset.NewMatcher(inv)
			s := inv
			for _, st := range tt.setup {
				var err error
				if st.release {
					s, err = s.Release(st.p)
					if err == nil {
						err = m.Release(st.p)
					}
				} else {
					s, err = s.After(st.p)
					if err == nil {
						err = m.Apply(st.p)
					}
				}
				if err != nil {
					t.Fatalf("setup: %v", err)
				}
			}
			// Skip pointers built, so a failed Apply could corrupt them.
			if _, err := m.Match(offset.Demand{Serial: "probe", Amount: kg("100000")}); !errors.Is(err, offset.ErrUnmet) {
				t.Fatalf("probe match: %v", err)
			}
			before := maJSON(t, m.Inventory())
			var err, want error
			if tt.try.release {
				err = m.Release(tt.try.p)
				_, want = s.Release(tt.try.p)
			} else {
				err = m.Apply(tt.try.p)
				_, want = s.After(tt.try.p)
			}
			var fe *footprint.FieldError
			if !errors.Is(err, offset.ErrConflict) || !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a field error wrapping ErrConflict", err)
			}
			if fe.Field != tt.field {
				t.Errorf("field %q, want %q (%v)", fe.Field, tt.field, err)
			}
			if maErrString(err) != maErrString(want) {
				t.Errorf("Matcher: %v\nsnapshot: %v", err, want)
			}
			if after := maJSON(t, m.Inventory()); after != before {
				t.Errorf("the Matcher changed:\n%s\nwas\n%s", after, before)
			}
			if after := maJSON(t, m.Inventory()); after != maJSON(t, s) {
				t.Errorf("the Matcher differs from the snapshot:\n%s\nsnapshot\n%s", after, maJSON(t, s))
			}
			// And it still matches as the snapshot does.
			d := offset.Demand{Serial: "next", Amount: kg("2500"), Preferences: offset.Preferences{Strategy: offset.Oldest}}
			got, gerr := m.Match(d)
			wantP, werr := offset.Match(s, d)
			if maErrString(gerr) != maErrString(werr) || !reflect.DeepEqual(got, wantP) {
				t.Errorf("next match:%s %v\nsnapshot:%s %v", lineSummary(got), gerr, lineSummary(wantP), werr)
			}
		})
	}
}

// firstLineOnly returns a plan taking the grams of p's first line only,
// so that releasing p finds its first line allocated and its second free.
func firstLineOnly(t testing.TB, p offset.Plan) offset.Plan {
	t.Helper()
	q := p
	q.Lines = p.Lines[:1]
	q.Amount = p.Lines[0].Amount
	return q
}

// TestMatcherApplySameLotTwice: a plan of two adjacent lines of one lot
// applies (the second line sees the ranges the first left), and releases.
func TestMatcherApplySameLotTwice(t *testing.T) {
	inv := conflictInventory(t)
	p := maMatch(t, inv, "2000", offset.Preferences{})
	if got := lineSummary(p); got != " L1:0-2000000" {
		t.Fatalf("plan:%s", got)
	}
	ln := p.Lines[0]
	a, b := ln, ln
	a.Grams, a.Block = offset.GramRange{From: 0, To: 1_000_000}, offset.RangeBlock(1, 1)
	a.Serials, a.Amount = []offset.SerialSpan{{First: 1, Last: 1, FromGram: 0, ToGram: 1_000_000}}, kg("1000")
	b.Grams, b.Block = offset.GramRange{From: 1_000_000, To: 2_000_000}, offset.RangeBlock(2, 2)
	b.Serials, b.Amount = []offset.SerialSpan{{First: 2, Last: 2, FromGram: 0, ToGram: 1_000_000}}, kg("1000")
	split := p
	split.Lines = []offset.Line{b, a}
	m := offset.NewMatcher(inv)
	if err := m.Apply(split); err != nil {
		t.Fatal(err)
	}
	s, err := inv.After(split)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := maJSON(t, m.Inventory()), maJSON(t, s); got != want {
		t.Fatalf("Matcher %s\nsnapshot %s", got, want)
	}
	if got := m.Inventory().FreeGrams("L1"); got != 8_000_000 {
		t.Fatalf("L1 free %d", got)
	}
	if err := m.Release(split); err != nil {
		t.Fatal(err)
	}
	if got, want := maJSON(t, m.Inventory()), maJSON(t, inv); got != want {
		t.Fatalf("after release %s\nwant %s", got, want)
	}
}

// TestMatcherReleaseRevivesExhaustedLot: the Matcher's only lot is used
// up; once its plan is released, the next match takes the same grams again.
// The same holds for a lot already used up when the Matcher was made.
func TestMatcherReleaseRevivesExhaustedLot(t *testing.T) {
	ps := []offset.Project{maProject("P", offset.TypeWind, "IN")}
	free := maInventory(t, ps, []offset.Lot{maLot("L1", "P", 2020, 1, 1, "5")})
	used := maLot("L1", "P", 2020, 1, 1, "5")
	used.Allocated = []offset.GramRange{{From: 0, To: 1_000_000}}
	tonne := offset.Demand{Serial: "A", Amount: kg("1000")}
	other := offset.Demand{Serial: "B", Amount: kg("1")}

	t.Run("exhausted by the Matcher", func(t *testing.T) {
		m := offset.NewMatcher(free)
		p, err := m.Match(tonne)
		if err != nil {
			t.Fatal(err)
		}
		if got := lineSummary(p); got != " L1:0-1000000" {
			t.Fatalf("first plan:%s", got)
		}
		if _, err := m.Match(other); !errors.Is(err, offset.ErrUnmet) {
			t.Fatalf("match of an exhausted inventory: %v", err)
		}
		releaseThenMatchL1(t, m, p, tonne)
	})
	t.Run("exhausted before", func(t *testing.T) {
		p, err := offset.Match(free, tonne) // the plan that took L1, recorded elsewhere
		if err != nil {
			t.Fatal(err)
		}
		m := offset.NewMatcher(maInventory(t, ps, []offset.Lot{used}))
		if _, err := m.Match(other); !errors.Is(err, offset.ErrUnmet) {
			t.Fatalf("match of an exhausted inventory: %v", err)
		}
		releaseThenMatchL1(t, m, p, tonne)
	})
	t.Run("cheaper lot revived", func(t *testing.T) {
		inv := maInventory(t, ps, []offset.Lot{maLot("A", "P", 2020, 1, 1, "3"), maLot("B", "P", 2020, 2, 1, "9")})
		m := offset.NewMatcher(inv)
		pa, err := m.Match(tonne)
		if err != nil {
			t.Fatal(err)
		}
		if got := lineSummary(pa); got != " A:0-1000000" {
			t.Fatalf("first plan:%s", got)
		}
		if _, err := m.Match(offset.Demand{Serial: "half", Amount: kg("500")}); err != nil {
			t.Fatal(err)
		}
		if err := m.Release(pa); err != nil {
			t.Fatal(err)
		}
		q, err := m.Match(tonne)
		if err != nil {
			t.Fatal(err)
		}
		if got := lineSummary(q); got != " A:0-1000000" {
			t.Fatalf("after release, cheapest first:%s", got)
		}
	})
}

// TestMatcherApplyExternalPlan: grams a Matcher is told were taken
// elsewhere are not given out by its next matches.
func TestMatcherApplyExternalPlan(t *testing.T) {
	inv := conflictInventory(t)
	m := offset.NewMatcher(inv)
	d := func(serial, kgs string) offset.Demand { return offset.Demand{Serial: serial, Amount: kg(kgs)} }
	p1, err := m.Match(d("1", "3000"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := inv.After(p1)
	if err != nil {
		t.Fatal(err)
	}
	// Matched elsewhere against the same snapshot: the rest of L1.
	ext, err := offset.Match(s, d("ext", "7000"))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Apply(ext); err != nil {
		t.Fatal(err)
	}
	if s, err = s.After(ext); err != nil {
		t.Fatal(err)
	}
	p3, err := m.Match(d("3", "2000"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := offset.Match(s, d("3", "2000"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p3, want) {
		t.Fatalf("Matcher:%s\nsnapshot:%s", lineSummary(p3), lineSummary(want))
	}
	// No gram in two plans.
	byLot := map[string][]offset.GramRange{}
	for _, p := range []offset.Plan{p1, ext, p3} {
		for _, ln := range p.Lines {
			byLot[ln.Lot] = append(byLot[ln.Lot], ln.Grams)
		}
	}
	for lot, rs := range byLot {
		slices.SortFunc(rs, func(a, b offset.GramRange) int { return cmp.Compare(a.From, b.From) })
		for k := 1; k < len(rs); k++ {
			if rs[k].From < rs[k-1].To {
				t.Fatalf("lot %s: grams %v and %v given out twice", lot, rs[k-1], rs[k])
			}
		}
	}
	if len(byLot["L2"]) == 0 {
		t.Fatalf("the last plan should come from L2 once L1 is used up:%s", lineSummary(p3))
	}
}

// releaseThenMatchL1 releases p on m and checks that the next match of d
// takes lot L1's first tonne again.
func releaseThenMatchL1(t *testing.T, m *offset.Matcher, p offset.Plan, d offset.Demand) {
	t.Helper()
	if err := m.Release(p); err != nil {
		t.Fatal(err)
	}
	q, err := m.Match(d)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	if got := lineSummary(q); got != " L1:0-1000000" {
		t.Fatalf("after release:%s", got)
	}
}
