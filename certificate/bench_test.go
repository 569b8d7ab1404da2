package certificate

import (
	"crypto/ed25519"
	"slices"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

// BenchmarkEd25519Sign1KiB is the project-wide baseline: an Ed25519
// signature of 1 KiB.
func BenchmarkEd25519Sign1KiB(b *testing.B) {
	key := testKey()
	msg := make([]byte, 1024)
	b.ReportAllocs()
	for b.Loop() {
		ed25519.Sign(key, msg)
	}
}

// BenchmarkEd25519SignCanonical is the baseline of the issuing target: a
// bare Ed25519 signature of the sample certificate's canonical bytes.
func BenchmarkEd25519SignCanonical(b *testing.B) {
	key := testKey()
	msg := sampleCertificate().Canonical()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		ed25519.Sign(key, msg)
	}
}

// BenchmarkIssue is Sign: Check, canonical bytes, key ID and the Ed25519
// signature of the canonical bytes. Target: ≤ 1.3 ×
// BenchmarkEd25519SignCanonical.
func BenchmarkIssue(b *testing.B) {
	key := testKey()
	c := sampleCertificate()
	b.SetBytes(int64(len(c.Canonical())))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Sign(key, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEd25519VerifyCanonical is the baseline of the verifying
// target: a bare ed25519.Verify over the canonical bytes.
func BenchmarkEd25519VerifyCanonical(b *testing.B) {
	key := testKey()
	msg := sampleCertificate().Canonical()
	sig := ed25519.Sign(key, msg)
	pub := key.Public().(ed25519.PublicKey)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("no")
		}
	}
}

// BenchmarkVerify is Verify of a signed certificate: schema, algorithm,
// key and window, canonical bytes, Ed25519 signature, Check, revocation
// list.
// Target: ≤ 1.2 × BenchmarkEd25519VerifyCanonical.
func BenchmarkVerify(b *testing.B) {
	c := signedSample(b)
	opts := VerifyOptions{Keys: testKeys(b), Revoked: []string{"lc-a", "lc-b"}}
	b.SetBytes(int64(len(c.Canonical())))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Verify(opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssuePaired times Sign and the bare ed25519.Sign of the same
// canonical bytes alternately in one loop (in alternating order) and
// reports the ratio of their median times as "x-sign": both see the same
// load, and the medians ignore the iterations another process
// interrupted, which on a shared machine move the separate benchmarks by
// more than the margin being measured. ns/op is the sum of both.
func BenchmarkIssuePaired(b *testing.B) {
	key := testKey()
	c := sampleCertificate()
	msg := c.Canonical()
	paired(b, "x-sign", func() {
		if err := c.Sign(key, nil); err != nil {
			b.Fatal(err)
		}
	}, func() { ed25519.Sign(key, msg) })
}

// BenchmarkVerifyPaired is BenchmarkIssuePaired for Verify against the
// bare ed25519.Verify of the canonical bytes ("x-verify").
func BenchmarkVerifyPaired(b *testing.B) {
	c := signedSample(b)
	opts := VerifyOptions{Keys: testKeys(b), Revoked: []string{"lc-a", "lc-b"}}
	msg := c.Canonical()
	sig := must(b64.DecodeString(c.Signature.Value))
	pub := testKey().Public().(ed25519.PublicKey)
	paired(b, "x-verify", func() {
		if err := c.Verify(opts); err != nil {
			b.Fatal(err)
		}
	}, func() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("no")
		}
	})
}

// paired runs f and baseline b.N times each, alternately, and reports
// median(f) / median(baseline) under unit.
func paired(b *testing.B, unit string, f, baseline func()) {
	tf := make([]time.Duration, b.N)
	tb := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		first, second := f, baseline
		if i&1 == 1 {
			first, second = baseline, f
		}
		t0 := time.Now()
		first()
		t1 := time.Now()
		second()
		t2 := time.Now()
		if i&1 == 0 {
			tf[i], tb[i] = t1.Sub(t0), t2.Sub(t1)
		} else {
			tb[i], tf[i] = t1.Sub(t0), t2.Sub(t1)
		}
	}
	b.StopTimer()
	slices.Sort(tf)
	slices.Sort(tb)
	b.ReportMetric(float64(tf[len(tf)/2])/float64(tb[len(tb)/2]), unit)
}

// BenchmarkJWS is the JWS export: Check, canonical bytes, the JWS signing
// input (base64url) and its Ed25519 signature.
func BenchmarkJWS(b *testing.B) {
	key := testKey()
	c := signedSample(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.JWS(key, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCanonical is the direct struct → RFC 8785 encoder.
func BenchmarkCanonical(b *testing.B) {
	c := signedSample(b)
	b.ReportAllocs()
	for b.Loop() {
		c.Canonical()
	}
}

// BenchmarkCanonicalGeneric is the generic path the direct encoder
// replaces: encoding/json, then internal/jcs.
func BenchmarkCanonicalGeneric(b *testing.B) {
	c := signedSample(b)
	c.Signature = nil
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jcs.Marshal((*plain)(c)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseVerify reads the JSON form strictly and verifies it.
func BenchmarkParseVerify(b *testing.B) {
	js, _ := signedSample(b).MarshalJSON()
	opts := VerifyOptions{Keys: testKeys(b)}
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := Parse(js)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Verify(opts); err != nil {
			b.Fatal(err)
		}
	}
}
