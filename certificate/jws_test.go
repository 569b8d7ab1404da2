package certificate

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestJWSRoundTrip(t *testing.T) {
	c := signedSample(t)
	jws, err := c.JWS(testKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := VerifyOptions{Keys: testKeys(t)}
	back, err := VerifyJWS(jws, opts)
	if err != nil {
		t.Fatal(err)
	}
	if back.Signature != nil {
		t.Error("the certificate read from a JWS carries a signature")
	}
	if !bytes.Equal(back.Canonical(), c.Canonical()) {
		t.Error("JWS does not carry the same certificate")
	}
	if again, _ := back.JWS(testKey(), nil); again != jws {
		t.Error("JWS not reproduced from the certificate read back")
	}
	if p, _ := ParseJWS(jws); p == nil || !bytes.Equal(p.Canonical(), c.Canonical()) || p.Signature != nil {
		t.Error("ParseJWS does not return the certificate")
	}
	// The JWS signature covers the signing input, the certificate's own
	// signature the canonical bytes: neither verifies in the other's place.
	parts := strings.Split(jws, ".")
	if parts[2] == c.Signature.Value {
		t.Fatal("JWS signature equals the certificate's signature")
	}
	if _, err := VerifyJWS(parts[0]+"."+parts[1]+"."+c.Signature.Value, opts); !errors.Is(err, ErrSignature) {
		t.Errorf("certificate signature accepted as the JWS signature: %v", err)
	}
	d := signedSample(t)
	d.Signature.Value = parts[2]
	if err := d.Verify(opts); !errors.Is(err, ErrSignature) {
		t.Errorf("JWS signature accepted as the certificate's signature: %v", err)
	}
	// An unsigned certificate exports too; an invalid one does not.
	u := sampleCertificate()
	if got, err := u.JWS(testKey(), nil); err != nil || got != jws {
		t.Errorf("unsigned certificate: %v", err)
	}
	if _, err := (&Certificate{}).JWS(testKey(), nil); !errors.Is(err, ErrSchema) {
		t.Errorf("empty certificate: %v", err)
	}
	if _, err := c.JWS(nil, nil); !errors.Is(err, ErrKey) {
		t.Errorf("nil key: %v", err)
	}
	// A certificate signed by one key is not exported under another.
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	if _, err := c.JWS(other, nil); !errors.Is(err, ErrKey) {
		t.Errorf("other key: %v", err)
	}
	// Ed25519 JWS are deterministic and equal to a JWS computed by hand.
	kid, _ := Thumbprint(testKey().Public())
	in := signingInput(EdDSA, kid, c.Canonical())
	if want := string(in) + "." + b64.EncodeToString(ed25519.Sign(testKey(), in)); jws != want {
		t.Errorf("JWS differs from the one computed by hand:\n%s\n%s", jws, want)
	}
}

func TestJWSES256(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := sampleCertificate()
	if err := c.Sign(k, rand.Reader); err != nil {
		t.Fatal(err)
	}
	jws, err := c.JWS(k, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ks, _ := NewKeySet([]Key{{Public: k.Public()}})
	if _, err := VerifyJWS(jws, VerifyOptions{Keys: ks}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.JWS(k, nil); !errors.Is(err, ErrKey) {
		t.Errorf("ES256 without randomness: %v", err)
	}
	if _, err := VerifyJWS(jws, VerifyOptions{Keys: ks, Algorithms: []string{EdDSA}}); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("ES256 under an EdDSA-only policy: %v", err)
	}
}

// TestVerifyJWSChecks: VerifyJWS runs Verify's checks on the JWS.
func TestVerifyJWSChecks(t *testing.T) {
	c := sampleCertificate()
	jws, err := c.JWS(testKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	issued := c.IssuedAt
	window := func(nb, na time.Time) *KeySet {
		ks, _ := NewKeySet([]Key{{Public: testKey().Public(), NotBefore: nb, NotAfter: na}})
		return ks
	}
	cases := []struct {
		name string
		opts VerifyOptions
		want error
	}{
		{"open window", VerifyOptions{Keys: window(time.Time{}, time.Time{})}, nil},
		{"key not yet valid", VerifyOptions{Keys: window(issued.Add(time.Second), time.Time{})}, ErrKeyNotValid},
		{"key expired", VerifyOptions{Keys: window(time.Time{}, issued.Add(-time.Second))}, ErrKeyNotValid},
		{"no key set", VerifyOptions{}, ErrUnknownKey},
		{"revoked", VerifyOptions{Keys: window(time.Time{}, time.Time{}), Revoked: []string{c.ID}}, ErrRevoked},
	}
	for _, tc := range cases {
		_, err := VerifyJWS(jws, tc.opts)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// Signed without Check: VerifyJWS refuses inconsistent figures.
	bad := sampleCertificate()
	bad.TotalOffset = co2("1001 kg")
	kid, _ := Thumbprint(testKey().Public())
	in := signingInput(EdDSA, kid, bad.Canonical())
	forged := string(in) + "." + b64.EncodeToString(ed25519.Sign(testKey(), in))
	if _, err := VerifyJWS(forged, VerifyOptions{Keys: testKeys(t)}); !errors.Is(err, ErrInconsistent) {
		t.Errorf("inconsistent figures: %v", err)
	}
	bad = sampleCertificate()
	bad.Schema = "lifecarbon.certificate.v2"
	in = signingInput(EdDSA, kid, bad.Canonical())
	forged = string(in) + "." + b64.EncodeToString(ed25519.Sign(testKey(), in))
	if _, err := VerifyJWS(forged, VerifyOptions{Keys: testKeys(t)}); !errors.Is(err, ErrSchema) {
		t.Errorf("other schema: %v", err)
	}
}

func TestJWSRefused(t *testing.T) {
	c := signedSample(t)
	jws, _ := c.JWS(testKey(), nil)
	parts := strings.Split(jws, ".")
	enc := func(s string) string { return b64.EncodeToString([]byte(s)) }
	kid := c.Signature.KeyID
	opts := VerifyOptions{Keys: testKeys(t)}
	cases := []struct {
		name, jws string
		want      error
	}{
		{"alg none, empty signature", enc(`{"alg":"none","kid":"`+kid+`"}`) + "." + parts[1] + ".", ErrAlgorithm},
		{"alg none", enc(`{"alg":"none"}`) + "." + parts[1] + "." + parts[2], ErrAlgorithm},
		{"alg HS256", enc(`{"alg":"HS256","kid":"`+kid+`"}`) + "." + parts[1] + "." + parts[2], ErrAlgorithm},
		{"alg ES256 with the Ed25519 key", enc(`{"alg":"ES256","kid":"`+kid+`"}`) + "." + parts[1] + "." + parts[2], ErrAlgorithm},
		{"kid of no known key", enc(`{"alg":"EdDSA","kid":"AAAA"}`) + "." + parts[1] + "." + parts[2], ErrUnknownKey},
		{"extra header parameter", enc(`{"alg":"EdDSA","crit":["b64"],"b64":false,"kid":"`+kid+`"}`) + "." + parts[1] + "." + parts[2], ErrMalformed},
		{"header members out of order", enc(`{"kid":"`+kid+`","alg":"EdDSA"}`) + "." + parts[1] + "." + parts[2], ErrMalformed},
		{"duplicate alg in the header", enc(`{"alg":"EdDSA","alg":"none","kid":"`+kid+`"}`) + "." + parts[1] + "." + parts[2], ErrMalformed},
		{"payload not canonical", parts[0] + "." + enc(" "+string(c.Canonical())) + "." + parts[2], ErrMalformed},
		{"payload with a signature member", parts[0] + "." + enc(string(must(c.MarshalJSON()))) + "." + parts[2], ErrMalformed},
		{"payload changed", parts[0] + "." + enc(strings.Replace(string(c.Canonical()), "PF-3X7Y2Z", "PF-3X7Y2Y", 1)) + "." + parts[2], ErrSignature},
		{"signature of another payload", parts[0] + "." + parts[1] + "." + strings.Repeat("A", 86), ErrSignature},
		{"signature over the payload alone (the certificate's own)", parts[0] + "." + parts[1] + "." + c.Signature.Value, ErrSignature},
		{"signature too short", parts[0] + "." + parts[1] + "." + parts[2][:84], ErrMalformed},
		{"signature too long", parts[0] + "." + parts[1] + "." + parts[2] + "AA", ErrMalformed},
		{"padding", jws + "=", ErrMalformed},
		{"two parts", parts[0] + "." + parts[1], ErrMalformed},
		{"four parts", jws + ".x", ErrMalformed},
		{"empty", "", ErrMalformed},
		{"too large", strings.Repeat("A", MaxJWS+1), ErrTooLarge},
	}
	for _, tc := range cases {
		_, err := VerifyJWS(tc.jws, opts)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// Every character changed: never verifies.
	for i := range jws {
		b := []byte(jws)
		b[i] ^= 1
		if _, err := VerifyJWS(string(b), opts); err == nil {
			t.Fatalf("character %d changed and the JWS verifies", i)
		}
	}
}
