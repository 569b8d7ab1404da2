package jcs

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/lifecarbon/lifecarbon/internal/nodetest"
)

// TestInteropNode compares Canonicalize with npm "canonicalize" (the RFC
// 8785 reference implementation, run by Node) over random documents with
// random doubles, hostile strings and keys that sort differently in UTF-16
// and in UTF-8. It skips when Node or the package is absent (run
// .ci/node/setup.sh), and fails instead under LIFECARBON_REQUIRE_INTEROP=1.
func TestInteropNode(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var docs []string
	var want []string
	for i := 0; i < 1000; i++ {
		var in []byte
		if i%2 == 0 {
			in, _ = json.MarshalIndent(randomValue(rng, 0), "", " ")
		} else {
			// A bare double in the form strconv writes, exponent included.
			f := math.Float64frombits(rng.Uint64())
			if math.IsNaN(f) || math.IsInf(f, 0) {
				continue
			}
			in = strconv.AppendFloat(nil, f, 'g', -1, 64)
		}
		out, err := Canonicalize(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		docs = append(docs, string(in))
		want = append(want, string(out))
	}
	res := nodetest.Run(t, "canonicalize.mjs", docs)
	var got []string
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("input %s\nnode: %s\ngo:   %s", docs[i], got[i], want[i])
		}
	}
}
