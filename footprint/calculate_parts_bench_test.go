package footprint

import (
	"crypto/sha256"
	"testing"
)

// The parts of BenchmarkFootprintReferenceLaptop, measured alone: checking
// and normalising the spec, writing its canonical input, hashing it, and
// the whole calculation without the input digest.

func BenchmarkPartNormalize(b *testing.B) {
	s := ReferenceLaptop()
	b.ReportAllocs()
	for b.Loop() {
		var n ProductSpec
		var sc attrScratch
		if err := s.normalizeView(&n, &sc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPartCanonical(b *testing.B) {
	n, sc := normalizedReference(b)
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = n.appendCanonicalRec(buf[:0], "lifecarbon-default", "2026.2", sc)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkPartSHA256(b *testing.B) {
	n, sc := normalizedReference(b)
	buf := n.appendCanonicalRec(nil, "lifecarbon-default", "2026.2", sc)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		_ = sha256.Sum256(buf)
	}
}

// BenchmarkPartWithoutDigest is BenchmarkFootprintReferenceLaptop without
// the input digest (canonical bytes and SHA-256): what everything else
// costs.
func BenchmarkPartWithoutDigest(b *testing.B) {
	s := ReferenceLaptop()
	ds := DefaultDataset()
	b.ReportAllocs()
	for b.Loop() {
		fp, err := calculate(s, ds, false)
		if err != nil || fp.InputDigest != "" {
			b.Fatal(err, fp.InputDigest)
		}
	}
}

// normalizedReference returns the reference laptop normalised, with its
// recorded attributes.
func normalizedReference(b *testing.B) (*ProductSpec, *attrScratch) {
	var n ProductSpec
	var sc attrScratch
	if err := ReferenceLaptop().normalizeView(&n, &sc); err != nil {
		b.Fatal(err)
	}
	return &n, &sc
}
