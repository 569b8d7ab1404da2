package registry_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/internal/nodetest"
	"github.com/lifecarbon/lifecarbon/registry"
)

// TestInteropJournalHash: an independent implementation of the hash rule
// documented on Entry (Node: node:crypto SHA-256, npm canonicalize, its own
// whitespace removal and time formatting) gives every entry's hash: a real
// journal's, bodies re-indented, and random entries with hostile serials
// and reasons and times of every fractional precision. It skips without
// Node (run .ci/node/setup.sh) and fails instead in CI.
func TestInteropJournalHash(t *testing.T) {
	entries := journal(t)
	rng := rand.New(rand.NewPCG(11, 12))
	pieces := []string{"a", "é", "\"", "\\", "<", "&", "\t", "\u2028", "😀", " ", "PF-", "\x01", "/"}
	word := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	for i := range 200 {
		body, _ := json.Marshal(map[string]any{"allocation": rng.Uint64N(1 << 40), "reason": word()})
		if i%2 == 1 {
			var ind bytes.Buffer
			_ = json.Indent(&ind, body, " ", "\t")
			body = ind.Bytes()
		}
		nanos := []int{0, 500_000_000, 123_000, 1_000, 999_999_000}[i%5]
		e := registry.Entry{
			Seq:    1 + rng.Uint64N(1<<53-1),
			Time:   time.Unix(rng.Int64N(4_000_000_000), int64(nanos)).In(time.FixedZone("X", 3600*(i%13-6))),
			Kind:   []registry.Kind{registry.KindStock, registry.KindAllocate, registry.KindRelease}[i%3],
			Serial: word(),
			Body:   body,
			Prev:   strings.Repeat("0123456789abcdef", 4),
		}
		e.Hash = e.ComputeHash()
		entries = append(entries, e)
	}
	type wire struct {
		Seq    uint64 `json:"seq"`
		Unix   int64  `json:"unix"`
		Nanos  int    `json:"nanos"`
		Kind   string `json:"kind"`
		Serial string `json:"serial"`
		Prev   string `json:"prev"`
		Body   string `json:"body"`
	}
	in := make([]wire, len(entries))
	for i, e := range entries {
		in[i] = wire{e.Seq, e.Time.Unix(), e.Time.Nanosecond(), string(e.Kind), e.Serial, e.Prev, string(e.Body)}
	}
	var got []string
	if err := json.Unmarshal(nodetest.Run(t, "journal_hash.mjs", in), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(entries) {
		t.Fatalf("node gave %d hashes for %d entries", len(got), len(entries))
	}
	for i, e := range entries {
		if got[i] != e.Hash {
			t.Fatalf("entry %d (seq %d, serial %q, time %v, body %s): node %s, Go %s", i, e.Seq, e.Serial, e.Time, e.Body, got[i], e.Hash)
		}
	}
}
