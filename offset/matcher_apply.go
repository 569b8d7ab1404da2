package offset

import (
	"slices"
	"strconv"
)

// Apply takes plan p's grams from what the Matcher holds, as
// Inventory.After does for a snapshot: the grams of every line are taken
// from their lots, so later calls of Match do not give them out again. It
// is how a book of record replays a journal of plans, or applies a plan
// matched elsewhere, without copying the inventory.
//
// It fails with ErrConflict, as After does, when a line's lot is not one
// of the inventory, its grams are not a gram range of the lot or are not
// all free here, or the lot here is not the one the line describes
// (another project, vintage or serial block: the plan was made against
// another inventory), or the plan does not agree with itself (a line's
// Serials or Amount are not what its Grams give, or the plan's Amount is
// not the sum of its lines'). Errors are the field errors After returns
// ("lines[1].grams", ...). On any error the Matcher is unchanged. It costs
// O(lines × free ranges of the lots touched), not O(lots).
func (m *Matcher) Apply(p Plan) error {
	return m.apply(p, false)
}

// Release frees plan p's grams again in what the Matcher holds, as
// Inventory.Release does for a snapshot (a product returned, an
// allocation cancelled). It fails with ErrConflict when a line's grams
// are not all allocated here, or its lot here is not the one the line
// describes, or the plan does not agree with itself (as Apply); on any
// error the Matcher is unchanged. It costs
// O(lines × free ranges of the lots touched), except that a Release that
// makes an exhausted lot free again drops the Matcher's skip pointers,
// so the next Match costs O(lots) to rebuild them; and when the
// Matcher's index of lots does not list that lot (it had no free grams
// when the Matcher was made, or when the index was last rebuilt), Release
// rebuilds the index at once, also O(lots).
//
// The inventory records which grams are allocated, not by which plan, so
// Release cannot tell p's grams from another plan's: a plan that was
// matched but never applied with After (or was already released) frees
// grams some other plan holds, and the next Match sells those credits
// again — a double count Release cannot detect. The caller's book of
// record must release only a plan it has recorded as applied to this
// inventory's line of snapshots and not yet released.
func (m *Matcher) Release(p Plan) error {
	return m.apply(p, true)
}

// lotChange is the state a lot will have once a plan is applied.
type lotChange struct {
	lot int32
	st  lotState
}

// changeScan is how many changes apply scans before it looks lots up in a
// map.
const changeScan = 8

// apply takes (or, releasing, frees) p's grams: it checks every line
// against new range slices of the lots touched (so that a later line of
// the same lot sees what an earlier one did), then commits them all. The
// Matcher's own range slices are never modified here.
func (m *Matcher) apply(p Plan, release bool) error {
	m.init()
	if len(p.Lines) == 0 {
		return nil
	}
	var buf [4]lotChange
	chs := buf[:0]
	var at map[int32]int // lot → its position in chs, once len(chs) > changeScan
	find := func(i int32) int {
		if at != nil {
			if k, ok := at[i]; ok {
				return k
			}
			return -1
		}
		for k := range chs {
			if chs[k].lot == i {
				return k
			}
		}
		return -1
	}
	var sum int64 // the lines' grams
	for k, ln := range p.Lines {
		path := "lines[" + strconv.Itoa(k) + "]"
		i, err := m.c.planLot(path, ln)
		if err != nil {
			return err
		}
		c := find(i)
		if c < 0 {
			chs = append(chs, lotChange{lot: i, st: m.st[i]})
			c = len(chs) - 1
			if at != nil {
				at[i] = c
			} else if len(chs) > changeScan {
				at = make(map[int32]int, 2*len(chs))
				for j, ch := range chs {
					at[ch.lot] = j
				}
			}
		}
		s := &chs[c].st
		next, err := moveGrams(path, ln, s.ranges, release)
		if err != nil {
			return err
		}
		*s = lotState{free: s.free + gramsDelta(ln.Grams, release), ranges: next}
		sum = planTotal(sum, ln.Grams)
	}
	if err := checkPlanAmount(&p, sum); err != nil {
		return err
	}
	revived, rebuild := false, false
	for _, ch := range chs {
		was := m.st[ch.lot].free
		m.st[ch.lot] = ch.st
		switch {
		case ch.st.free == 0 && was > 0:
			m.exhausted(ch.lot)
		case was == 0 && ch.st.free > 0:
			revived = true
			rebuild = rebuild || !m.listed(ch.lot)
		}
	}
	if rebuild {
		m.ix = m.c.buildIndex(m.st)
	}
	if revived {
		// find halves paths past exhausted lots, so a lot free again
		// cannot be unmarked in place: build the skip pointers afresh on
		// next use.
		for k := range m.nxt {
			m.nxt[k], m.pos[k] = nil, nil
		}
	}
	return nil
}

// exhausted marks lot i, now without free grams, as exhausted in every
// list whose skip pointers are built (as commit does).
func (m *Matcher) exhausted(i int32) {
	for k := range m.pos {
		if m.pos[k] == nil {
			continue
		}
		if p := m.pos[k][i]; p >= 0 {
			m.nxt[k][p] = p + 1
		}
	}
}

// listed reports whether the Matcher's index lists lot i (it lists the
// lots that had free grams when it was built), by a binary search of the
// lot's project's lots in price order.
func (m *Matcher) listed(i int32) bool {
	li := &m.c.lots[i]
	seg := m.ix.pList[m.ix.start[li.proj]:m.ix.start[li.proj+1]]
	_, ok := slices.BinarySearchFunc(seg, li.rankP, func(j, rank int32) int {
		return int(m.c.lots[j].rankP - rank)
	})
	return ok
}
