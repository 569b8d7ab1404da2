package certificate

import (
	"errors"
	"strings"
	"testing"
)

func TestJWSRoundTrip(t *testing.T) {
	c := signedSample(t)
	jws, err := c.JWS()
	if err != nil {
		t.Fatal(err)
	}
	opts := VerifyOptions{Keys: testKeys(t)}
	back, err := VerifyJWS(jws, opts)
	if err != nil {
		t.Fatal(err)
	}
	if string(must(back.MarshalJSON())) != string(must(c.MarshalJSON())) {
		t.Error("JWS does not carry the same certificate")
	}
	if again, _ := back.JWS(); again != jws {
		t.Error("JWS not reproduced")
	}
	if _, err := (&Certificate{}).JWS(); !errors.Is(err, ErrUnsigned) {
		t.Errorf("unsigned: %v", err)
	}
}

func TestJWSRefused(t *testing.T) {
	c := signedSample(t)
	jws, _ := c.JWS()
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
