package registry

import "testing"

// A spaced body that is not JSON is refused even by a caller that says it
// is valid: compacting it fails and writes nothing, and two such bodies
// would otherwise hash alike (as the empty body).
func TestSumRefusesSpacedNonJSONEvenWhenTold(t *testing.T) {
	for _, body := range []string{`{"demand": {"serial":"A"`, `{"plan": "anything else at all`} {
		e := Entry{Seq: 2, Kind: KindAllocate, Prev: GenesisHash, Body: []byte(body)}
		if _, ok := e.sum(true); ok {
			t.Errorf("sum(%q, valid) accepted a body that is not JSON", body)
		}
	}
}
