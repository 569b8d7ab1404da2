package registry_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// The hash is computed exactly as Entry's doc says, written out here by
// hand: SHA-256 of the body, then SHA-256 of the canonical header.
func TestEntryHashByHand(t *testing.T) {
	body := `{"allocation":2,"reason":"returned <boxed>"}`
	e := registry.Entry{
		Seq:    3,
		Time:   time.Date(2026, 11, 29, 10, 0, 3, 500_000_000, time.FixedZone("IST", 5*3600+1800)),
		Kind:   registry.KindRelease,
		Serial: "PF-\"1\"",
		Body:   json.RawMessage(body),
		Prev:   strings.Repeat("ab", 32),
	}
	bodySum := sha256.Sum256([]byte(body))
	// Members sorted by name; the time in UTC (15:30:03.5 IST is
	// 10:00:03.5 UTC); the quote in the serial escaped as RFC 8785 says.
	header := `{"body":"` + hex.EncodeToString(bodySum[:]) + `","kind":"release","prev":"` +
		strings.Repeat("ab", 32) + `","seq":3,"serial":"PF-\"1\"","time":"2026-11-29T04:30:03.5Z"}`
	sum := sha256.Sum256([]byte(header))
	if got, want := e.ComputeHash(), hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("ComputeHash = %s, want %s (header %s)", got, want, header)
	}
	// Re-indenting the body does not change the hash.
	e2 := e
	e2.Body = json.RawMessage("{\n  \"allocation\": 2,\n  \"reason\": \"returned <boxed>\"\n}")
	if e2.ComputeHash() != e.ComputeHash() {
		t.Fatal("re-indented body changed the hash")
	}
	// An escaped quote inside a string does not end it: the space after
	// it is the string's, and is kept.
	e3, e4 := e, e
	e3.Body = json.RawMessage(`{"reason":"a\" b"}`)
	e4.Body = json.RawMessage(`{ "reason" : "a\" b" }`)
	if e3.ComputeHash() != e4.ComputeHash() {
		t.Fatal("whitespace between tokens changed the hash")
	}
	e4.Body = json.RawMessage(`{"reason":"a\"  b"}`)
	if e3.ComputeHash() == e4.ComputeHash() {
		t.Fatal("whitespace inside a string did not change the hash")
	}
	// Any change to a field does.
	for name, change := range map[string]func(*registry.Entry){
		"seq":    func(e *registry.Entry) { e.Seq++ },
		"time":   func(e *registry.Entry) { e.Time = e.Time.Add(time.Microsecond) },
		"kind":   func(e *registry.Entry) { e.Kind = registry.KindAllocate },
		"serial": func(e *registry.Entry) { e.Serial = "PF-2" },
		"body":   func(e *registry.Entry) { e.Body = json.RawMessage(`{"allocation":3,"reason":"returned <boxed>"}`) },
		"prev":   func(e *registry.Entry) { e.Prev = strings.Repeat("ac", 32) },
	} {
		c := e
		change(&c)
		if c.ComputeHash() == e.ComputeHash() {
			t.Errorf("changing %s left the hash unchanged", name)
		}
	}
	bad := e
	bad.Body = json.RawMessage(`{"allocation":`)
	if bad.ComputeHash() != "" {
		t.Error("a body that is not JSON has a hash")
	}
}

// journal returns the entries of a small journal: stock, three
// allocations, a release.
func journal(t testing.TB) []registry.Entry {
	t.Helper()
	ctx := context.Background()
	r, st := stocked(t)
	for _, s := range []string{"PF-1", "PF-2", "PF-3"} {
		if _, err := r.Allocate(ctx, windDemand(s, "100")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Release(ctx, "PF-2", "returned"); err != nil {
		t.Fatal(err)
	}
	es, err := st.Read(ctx, 1, 100)
	if err != nil || len(es) != 5 {
		t.Fatalf("read %d entries, %v", len(es), err)
	}
	if _, err := registry.Verify(es, registry.GenesisHash); err != nil {
		t.Fatalf("Verify of a registry's own journal: %v", err)
	}
	return es
}

// storeOf returns a MemStore holding es as given.
func storeOf(t testing.TB, es []registry.Entry) *registry.MemStore {
	t.Helper()
	st := registry.NewMemStore()
	for _, e := range es {
		if err := st.Append(context.Background(), []registry.Entry{e}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// rechain recomputes Prev and Hash from entry i on, as someone rewriting
// history would.
func rechain(es []registry.Entry, i int) {
	for ; i < len(es); i++ {
		if i > 0 {
			es[i].Prev = es[i-1].Hash
		}
		es[i].Hash = es[i].ComputeHash()
	}
}

func setPlanGrams(t *testing.T, e *registry.Entry, g offset.GramRange) {
	t.Helper()
	var b map[string]json.RawMessage
	if err := json.Unmarshal(e.Body, &b); err != nil {
		t.Fatal(err)
	}
	var p offset.Plan
	if err := json.Unmarshal(b["plan"], &p); err != nil {
		t.Fatal(err)
	}
	p.Lines[0].Grams = g
	pj, _ := json.Marshal(p)
	b["plan"] = pj
	e.Body, _ = json.Marshal(b)
}

// A changed, removed or forged entry is found, and named.
func TestOpenRefusesDamagedJournal(t *testing.T) {
	cases := []struct {
		name    string
		damage  func(es []registry.Entry) []registry.Entry
		seq     uint64
		field   string
		wrapped error
	}{
		{"body changed, hash kept", func(es []registry.Entry) []registry.Entry {
			es[2].Body = json.RawMessage(strings.Replace(string(es[2].Body), `"100 kg CO2e"`, `"1 kg CO2e"`, 1))
			return es
		}, 3, "hash", nil},
		{"body changed, its hash recomputed", func(es []registry.Entry) []registry.Entry {
			es[1].Body = json.RawMessage(strings.Replace(string(es[1].Body), `"country":"IN"`, `"country":"LK"`, 1))
			es[1].Hash = es[1].ComputeHash()
			return es
		}, 3, "prev", nil},
		{"demand changed, chain rewritten", func(es []registry.Entry) []registry.Entry {
			es[2].Body = json.RawMessage(strings.Replace(string(es[2].Body), `"100 kg CO2e"`, `"1 kg CO2e"`, 1))
			rechain(es, 2)
			return es
		}, 3, "body.plan.demand", nil},
		{"plan amount changed, chain rewritten", func(es []registry.Entry) []registry.Entry {
			// The third "100 kg CO2e" is the plan's amount (after the
			// demand's and the plan's demand).
			b := string(es[2].Body)
			i := strings.Index(b, `"amount":"100 kg CO2e","shares"`)
			es[2].Body = json.RawMessage(b[:i] + `"amount":"90 kg CO2e","shares"` + b[i+len(`"amount":"100 kg CO2e","shares"`):])
			rechain(es, 2)
			return es
		}, 3, "body.plan.amount", nil},
		{"allocate body cut short", func(es []registry.Entry) []registry.Entry {
			es[2].Body = es[2].Body[:len(es[2].Body)-1]
			return es
		}, 3, "body", nil},
		{"entry removed", func(es []registry.Entry) []registry.Entry {
			return append(es[:2:2], es[3:]...)
		}, 4, "seq", nil},
		// History rewritten with a consistent chain: PF-2's plan claims
		// PF-1's grams. The chain is whole; the double count is not.
		{"plan claims grams already allocated", func(es []registry.Entry) []registry.Entry {
			setPlanGrams(t, &es[2], offset.GramRange{From: 50_000, To: 150_000})
			rechain(es, 2)
			return es
		}, 3, "body.plan", offset.ErrConflict},
		{"release of a serial never allocated", func(es []registry.Entry) []registry.Entry {
			es[4].Serial = "PF-9"
			rechain(es, 4)
			return es
		}, 5, "body.allocation", nil},
		{"serial of the entry differs from the demand's", func(es []registry.Entry) []registry.Entry {
			es[1].Serial = "PF-X"
			rechain(es, 1)
			return es
		}, 2, "serial", nil},
		{"unknown member in a body", func(es []registry.Entry) []registry.Entry {
			es[4].Body = json.RawMessage(`{"allocation":3,"reason":"returned","extra":1}`)
			rechain(es, 4)
			return es
		}, 5, "body", nil},
		{"member given twice in a body", func(es []registry.Entry) []registry.Entry {
			es[4].Body = json.RawMessage(`{"allocation":3,"allocation":2,"reason":"returned"}`)
			rechain(es, 4)
			return es
		}, 5, "body", nil},
		{"unknown kind", func(es []registry.Entry) []registry.Entry {
			es[4].Kind = "refund"
			rechain(es, 4)
			return es
		}, 5, "kind", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es := c.damage(journal(t))
			if c.field == "seq" || c.field == "prev" {
				// MemStore refuses a gap and a broken chain; serve the
				// entries as they are.
				_, err := registry.Open(context.Background(), sliceStore(es), registry.Options{})
				checkJournalErr(t, err, c.seq, c.field, c.wrapped)
				return
			}
			_, err := registry.Open(context.Background(), storeOf(t, es), registry.Options{})
			checkJournalErr(t, err, c.seq, c.field, c.wrapped)
		})
	}
}

func checkJournalErr(t *testing.T, err error, seq uint64, field string, wrapped error) {
	t.Helper()
	var je *registry.JournalError
	if !errors.As(err, &je) || !errors.Is(err, registry.ErrJournal) {
		t.Fatalf("err = %v, want a *JournalError wrapping ErrJournal", err)
	}
	if je.Seq != seq || je.Field != field {
		t.Fatalf("error names entry %d field %q, want %d %q: %v", je.Seq, je.Field, seq, field, err)
	}
	if wrapped != nil && !errors.Is(err, wrapped) {
		t.Fatalf("err = %v, want it to wrap %v", err, wrapped)
	}
}

// sliceStore serves fixed entries by position (entry from is s[from-1]),
// whatever their Seq, as a damaged database might; it accepts no writes.
type sliceStore []registry.Entry

func (s sliceStore) Append(context.Context, []registry.Entry) error { return registry.ErrSeqTaken }

func (s sliceStore) Read(_ context.Context, from uint64, max int) ([]registry.Entry, error) {
	if from == 0 || from > uint64(len(s)) {
		return nil, nil
	}
	return s[from-1 : min(uint64(len(s)), from-1+uint64(max))], nil
}

func TestVerifyStretch(t *testing.T) {
	es := journal(t)
	// A stretch from entry 3 on verifies against the hash of entry 2.
	last, err := registry.Verify(es[2:], es[1].Hash)
	if err != nil || last != es[4].Hash {
		t.Fatalf("Verify(stretch) = %s, %v; want %s", last, err, es[4].Hash)
	}
	if _, err := registry.Verify(es[2:], registry.GenesisHash); !errors.Is(err, registry.ErrJournal) {
		t.Fatalf("stretch against the genesis hash: err = %v, want ErrJournal", err)
	}
	if _, err := registry.Verify([]registry.Entry{es[0], es[0]}, registry.GenesisHash); !errors.Is(err, registry.ErrJournal) {
		t.Fatalf("entry repeated: err = %v, want ErrJournal", err)
	}
}
