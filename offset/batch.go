package offset

import "encoding/json"

// BatchFailure is a demand of a batch that could not be matched.
//
// Its JSON form is {"index": 1, "error": "..."}: the error as text, so a
// batch's failures written out say why (the JSON cannot be decoded back
// into an error value).
type BatchFailure struct {
	// Index is the demand's position in the batch.
	Index int `json:"index"`
	// Err is what Match returned for it.
	Err error `json:"-"`
}

// MarshalJSON writes {"index": Index, "error": Err's text}.
func (f BatchFailure) MarshalJSON() ([]byte, error) {
	msg := ""
	if f.Err != nil {
		msg = f.Err.Error()
	}
	return json.Marshal(struct {
		Index int    `json:"index"`
		Error string `json:"error"`
	}{f.Index, msg})
}

// BatchResult is the outcome of MatchBatch.
type BatchResult struct {
	// Plans[i] answers demands[i]; it is the zero Plan for a failed demand.
	Plans []Plan
	// Failures lists the demands that could not be matched, in order.
	Failures []BatchFailure
	// Remaining is the inventory once every plan is allocated.
	Remaining Inventory
}

// MatchBatch matches demands in the order given against inv, each against
// what the ones before it left: the result is the same as calling Match on
// each demand in turn with the previous plan applied (Inventory.After). A
// demand that fails is recorded in Failures and takes nothing; the batch
// goes on. inv is not changed. For batches too large to hold every plan,
// use a Matcher or MatchStream.
func MatchBatch(inv Inventory, demands []Demand) BatchResult {
	m := NewMatcher(inv)
	res := BatchResult{Plans: make([]Plan, len(demands))}
	for i := range demands {
		p, err := m.Match(demands[i])
		if err != nil {
			res.Failures = append(res.Failures, BatchFailure{Index: i, Err: err})
			continue
		}
		res.Plans[i] = p
	}
	res.Remaining = m.Inventory()
	return res
}

// MatchStream matches a stream of demands in order without holding them or
// their plans: next returns the demands one at a time (ok false at the
// end), emit receives each demand's index and plan or error. Memory stays
// O(lots) however many demands pass. An error returned by emit stops the
// stream and is returned; the remaining inventory is returned either way.
func MatchStream(inv Inventory, next func() (Demand, bool), emit func(index int, p Plan, err error) error) (Inventory, error) {
	m := NewMatcher(inv)
	for i := 0; ; i++ {
		d, ok := next()
		if !ok {
			break
		}
		p, err := m.Match(d)
		if e := emit(i, p, err); e != nil {
			return m.Inventory(), e
		}
	}
	return m.Inventory(), nil
}
